"""Which framework runtime serves a model object (or an artifact file), and the artifact bytes that
runtime loads.

Nothing here imports a framework the model does not come from: an object of xgboost or torch can
only exist once its module is loaded, so detection looks in sys.modules, and each serializer
imports its own library when it runs.
"""

import io
import os
import sys
import tempfile
from typing import Any

PYTHON_CLOSURE = "python-closure"
SKLEARN = "sklearn"
XGBOOST = "xgboost"
PYTORCH = "pytorch"
RUNTIMES = (PYTHON_CLOSURE, SKLEARN, XGBOOST, PYTORCH)
JAVA = "java"  # serves a jar (runtimes/java); nothing here serializes for it

# The runtime that serves an artifact file, by the file's ending (deploy_file, the command line).
FILE_ENDINGS = {
    ".pkl": SKLEARN, ".pickle": SKLEARN, ".joblib": SKLEARN,
    ".json": XGBOOST, ".ubj": XGBOOST,
    ".pt": PYTORCH, ".pth": PYTORCH,
    ".cloudpickle": PYTHON_CLOSURE,
    ".jar": JAVA,
}


def framework_of_file(path: str) -> str:
    """The runtime for the artifact at path, from its ending (case-insensitive); ValueError for an
    ending not in FILE_ENDINGS."""
    ending = os.path.splitext(path)[1].lower()
    if ending not in FILE_ENDINGS:
        raise ValueError("Cannot tell which runtime serves %s from its ending %s: name one "
                         "(framework=, --framework): %s; or use an ending: %s"
                         % (os.path.basename(path), repr(ending) if ending else "(none)",
                            ", ".join(RUNTIMES + (JAVA,)), " ".join(FILE_ENDINGS)))
    return FILE_ENDINGS[ending]


def detect_framework(model: Any) -> str:
    """The runtime for model: an xgboost Booster or XGBModel, a TorchScript module, a
    scikit-learn estimator (has predict, class from an sklearn module), else any callable as a
    python-closure. Raises ValueError for anything else."""
    xgboost = sys.modules.get("xgboost")
    if xgboost is not None and isinstance(model, (xgboost.Booster, xgboost.XGBModel)):
        return XGBOOST
    torch = sys.modules.get("torch")
    if torch is not None:
        if isinstance(model, torch.jit.ScriptModule):
            return PYTORCH
        if isinstance(model, torch.nn.Module):  # callable, but its outputs are tensors
            raise ValueError("A torch.nn.Module is deployed as TorchScript: pass "
                             "torch.jit.script(model) (or torch.jit.trace(model, example))")
    if isinstance(model, type):
        raise ValueError("Pass a fitted model or a function, not the class %s" % model.__name__)
    if type(model).__module__.startswith("sklearn") and hasattr(model, "predict"):
        return SKLEARN
    if callable(model):
        return PYTHON_CLOSURE
    raise ValueError("Cannot tell which runtime serves a %s: pass framework= one of %s"
                     % (type(model).__name__, ", ".join(RUNTIMES)))


def serialize(model: Any, framework: str) -> bytes:
    """The artifact the framework's runtime loads (see clipper_container.runtime)."""
    serializers = {PYTHON_CLOSURE: _closure, SKLEARN: _sklearn, XGBOOST: _xgboost,
                   PYTORCH: _pytorch}
    if framework not in serializers:
        raise ValueError("Unknown framework %r: the runtimes are %s"
                         % (framework, ", ".join(RUNTIMES)))
    return serializers[framework](model)


def _closure(function) -> bytes:
    if not callable(function):
        raise ValueError("A python-closure is a function, not a %s" % type(function).__name__)
    try:
        import cloudpickle
    except ImportError:
        raise ImportError("Deploying a function needs cloudpickle: apt-get install "
                          "python3-cloudpickle") from None
    return cloudpickle.dumps(function)


def _sklearn(estimator) -> bytes:
    buffer = io.BytesIO()
    try:
        import joblib  # scikit-learn depends on it; it stores large arrays efficiently
    except ImportError:
        import pickle
        pickle.dump(estimator, buffer, protocol=pickle.HIGHEST_PROTOCOL)
    else:
        joblib.dump(estimator, buffer)
    return buffer.getvalue()


def _xgboost(model) -> bytes:
    booster = model.get_booster() if hasattr(model, "get_booster") else model
    try:
        return bytes(booster.save_raw("json"))
    except TypeError:  # xgboost before 1.6: save_raw takes no format, save_model picks by suffix
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "model.json")
            booster.save_model(path)
            with open(path, "rb") as saved:
                return saved.read()


def _pytorch(module) -> bytes:
    import torch
    buffer = io.BytesIO()
    torch.jit.save(module, buffer)
    return buffer.getvalue()

"""The model kinds: what each trains, with which framework, reproducibly (fixed seeds).

Every kind builds an object with fit(images, labels) and predict(images) over 2-D arrays of raw
pixel values (0 to 16), predict answering the whole batch in one vectorised call; it is pickled as
the cached artifact.
"""

import importlib
from dataclasses import dataclass
from typing import Callable, Tuple

SEED = 0


class MissingFramework(Exception):
    """A package the model needs is not installed; the message says which Debian package."""


@dataclass(frozen=True)
class Kind:
    name: str
    needs: Tuple[Tuple[str, str, str], ...]  # (module, framework, Debian package)
    build: Callable[[], object]

    def check_installed(self) -> None:
        """Imports what the kind needs; raises MissingFramework naming the first one missing."""
        for module, framework, package in _DATA + self.needs:
            try:
                importlib.import_module(module)
            except ImportError as error:
                raise MissingFramework("digits-%s needs %s (%s), which cannot be imported: %s;"
                                       " apt-get install %s" % (self.name, framework, module,
                                                                error, package)) from None


_SKLEARN = ("sklearn", "scikit-learn", "python3-sklearn")
# Every kind loads the data with scikit-learn and computes with numpy.
_DATA = (("numpy", "numpy", "python3-numpy"), _SKLEARN)


def _scaled(estimator):
    """estimator behind a division by 16, so it sees pixel values in [0, 1]."""
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    return make_pipeline(FunctionTransformer(_divide_by_16), estimator)


def _divide_by_16(images):
    return images / 16.0


def _logreg():
    from sklearn.linear_model import LogisticRegression
    return _scaled(LogisticRegression(max_iter=5000, random_state=SEED))


def _linear_svm():
    from sklearn.svm import LinearSVC
    return _scaled(LinearSVC(C=0.1, max_iter=20000, random_state=SEED))


def _kernel_svm():
    from sklearn.svm import SVC
    return _scaled(SVC(C=10, gamma="scale", random_state=SEED))


def _forest():
    from sklearn.ensemble import RandomForestClassifier
    return RandomForestClassifier(n_estimators=100, random_state=SEED, n_jobs=1)


def _cnn():
    from clipper_digits.cnn import CnnClassifier
    return CnnClassifier(seed=SEED)


def _xgboost():
    from xgboost import XGBClassifier
    return XGBClassifier(n_estimators=100, max_depth=4, learning_rate=0.3, tree_method="hist",
                         random_state=SEED, n_jobs=1)


KINDS = {kind.name: kind for kind in (
    Kind("logreg", (), _logreg),
    Kind("linear-svm", (), _linear_svm),
    Kind("kernel-svm", (), _kernel_svm),
    Kind("forest", (), _forest),
    Kind("cnn", (("torch", "PyTorch", "python3-torch"),), _cnn),
    Kind("xgboost", (("xgboost", "XGBoost", "python3-xgboost"),), _xgboost),
)}


def kind(name: str) -> Kind:
    """The kind called name; raises ValueError listing the known ones."""
    found = KINDS.get(name)
    if found is None:
        raise ValueError("unknown digits model %r (known: %s)" % (name, ", ".join(KINDS)))
    return found

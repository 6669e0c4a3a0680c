"""Framework runtimes: serve an uploaded model artifact without writing a model file.

    python3 -m clipper_container.runtime sklearn      # or python-closure, xgboost, pytorch

The management service starts runtimes/<name>/run with the usual CLIPPER_* variables plus
CLIPPER_ARTIFACT_URL (where to GET the artifact), CLIPPER_ARTIFACT_DIGEST ("sha256:<hex>") and,
when it has one, CLIPPER_MANAGEMENT_AUTH_TOKEN. The runtime fetches the artifact into a cache
(CLIPPER_ARTIFACT_CACHE, default <tmp>/clipper-artifacts; a cached file named by its digest is
reused once it verifies), checks its SHA-256, loads it with the framework, and serves a predict
that predicts the whole batch in one call.

Every failure before serving (unknown framework, missing package, bad download, wrong digest,
artifact that does not load, a model that fails on its sample input CLIPPER_SAMPLE_INPUT) ends the
process with status 1 and one line on stderr, since that line is what shows up in the launcher's
log; the traceback is logged at debug only.

Loading an artifact runs its pickle: only serve artifacts you uploaded yourself.
"""

import hashlib
import importlib
import json
import logging
import os
import re
import sys
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Callable, List, Mapping, Optional, Sequence, Tuple

from clipper_container.service import PredictFn, one_line

LOG = logging.getLogger("clipper_container.runtime")  # not __main__ under python3 -m

DIGEST_PATTERN = re.compile(r"sha256:[0-9a-f]{64}")
CHUNK_BYTES = 1024 * 1024
FETCH_TIMEOUT_SECONDS = 60.0  # per socket operation, not for the whole download

# The Debian package that provides each module a runtime imports (there is no PyPI here).
DEBIAN_PACKAGES = {
    "numpy": "python3-numpy",
    "sklearn": "python3-sklearn",
    "joblib": "python3-joblib",
    "xgboost": "python3-xgboost",
    "torch": "python3-torch",
    "cloudpickle": "python3-cloudpickle",
}


class StartupError(Exception):
    """The runtime cannot start serving; str() is the one line to print."""


# Fetching -------------------------------------------------------------------------------------

def default_cache_dir() -> str:
    return os.path.join(tempfile.gettempdir(), "clipper-artifacts")


def parse_digest(digest: Optional[str]) -> str:
    """The canonical "sha256:<64 lowercase hex>" form of digest, or StartupError."""
    text = (digest or "").strip()
    if text[:7].lower() == "sha256:":
        text = "sha256:" + text[7:].lower()
    if not DIGEST_PATTERN.fullmatch(text):
        raise StartupError("CLIPPER_ARTIFACT_DIGEST must be sha256:<64 hex digits>, not %r"
                           % (digest or ""))
    return text


def sha256_of_file(path: str) -> str:
    hasher = hashlib.sha256()
    with open(path, "rb") as source:
        for chunk in iter(lambda: source.read(CHUNK_BYTES), b""):
            hasher.update(chunk)
    return "sha256:" + hasher.hexdigest()


def fetch_artifact(url: Optional[str], digest: str, cache_dir: Optional[str] = None,
                   token: Optional[str] = None) -> str:
    """The path of a verified copy of the artifact named digest, downloaded from url unless the
    cache already holds it.

    The download streams to a temporary file beside the cached name and is renamed into place only
    once its SHA-256 matches, so replicas starting together never see each other's partial files.
    Raises StartupError when the download fails or the bytes do not match.
    """
    digest = parse_digest(digest)
    cache_dir = cache_dir or default_cache_dir()
    try:
        os.makedirs(cache_dir, mode=0o700, exist_ok=True)
    except OSError as error:
        raise StartupError("Cannot create the artifact cache %s: %s" % (cache_dir, error))
    cached = os.path.join(cache_dir, digest)
    if os.path.isfile(cached):
        if sha256_of_file(cached) == digest:
            LOG.info("Using the cached artifact %s", cached)
            return cached
        LOG.warning("The cached %s does not match its digest; fetching it again", cached)
        _remove_quietly(cached)
    if not url:
        raise StartupError("CLIPPER_ARTIFACT_URL is not set and %s is not cached in %s"
                           % (digest, cache_dir))
    handle, partial = tempfile.mkstemp(prefix=".fetching-", dir=cache_dir)
    try:
        with os.fdopen(handle, "wb") as target:
            size, actual = _download(url, token, digest, target)
        if actual != digest:
            raise StartupError("The artifact fetched from %s is %s, not %s: refusing to load it"
                               % (url, actual, digest))
        os.replace(partial, cached)
    except BaseException:
        _remove_quietly(partial)
        raise
    LOG.info("Fetched %s (%d bytes) from %s", digest, size, url)
    return cached


def _download(url: str, token: Optional[str], digest: str, target) -> Tuple[int, str]:
    """Streams url into target; returns (size, "sha256:<hex>" of what arrived)."""
    headers = {"Accept": "application/octet-stream"}
    if token:
        headers["Authorization"] = "Bearer " + token
    hasher, size = hashlib.sha256(), 0
    try:
        request = urllib.request.Request(url, headers=headers)
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:
            for chunk in iter(lambda: response.read(CHUNK_BYTES), b""):
                hasher.update(chunk)
                target.write(chunk)
                size += len(chunk)
    except urllib.error.HTTPError as error:
        answer = error.read(500).decode("utf-8", "replace")
        raise StartupError("Cannot fetch %s from %s: HTTP %d %s" % (
            digest, url, error.code, one_line(answer) or error.reason))
    except (OSError, ValueError) as error:  # URLError, refused, timeout, malformed URL
        raise StartupError("Cannot fetch %s from %s: %s" % (
            digest, url, one_line(str(getattr(error, "reason", error)))))
    return size, "sha256:" + hasher.hexdigest()


def _remove_quietly(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


# Loading --------------------------------------------------------------------------------------

def to_json_rows(values: Any) -> List[str]:
    """One JSON text per row of a batch's result (numpy array, tensor or list)."""
    rows = values.tolist() if hasattr(values, "tolist") else list(values)
    return [json.dumps(_plain(row)) for row in rows]


def _plain(value: Any) -> Any:
    """value with numpy scalars and arrays turned into Python numbers and lists."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def stack(inputs: Sequence[Any]):
    """The batch as one 2-D numpy array, or the list itself for string and bytes inputs (which a
    scikit-learn pipeline with a vectorizer takes as they are)."""
    import numpy
    if inputs and isinstance(inputs[0], (str, bytes)):
        return list(inputs)
    lengths = sorted({len(x) for x in inputs})
    if len(lengths) > 1:
        raise ValueError("The model takes inputs of one length; this batch mixes lengths %s"
                         % ", ".join(map(str, lengths)))
    return numpy.stack(inputs)


def load_closure(path: str, env: Mapping[str, str]) -> PredictFn:
    """A function pickled with cloudpickle; it is predict itself (the SDK checks its outputs)."""
    import cloudpickle
    with open(path, "rb") as source:
        function = cloudpickle.load(source)
    if not callable(function):
        raise TypeError("the artifact holds a %s, not a function" % type(function).__name__)
    return function


def load_sklearn(path: str, env: Mapping[str, str]) -> PredictFn:
    """A fitted estimator saved with joblib or pickle (joblib.load reads both); PREDICT_METHOD
    (default predict) names the method to call, e.g. predict_proba."""
    import joblib
    estimator = joblib.load(path)
    method_name = env.get("PREDICT_METHOD", "").strip() or "predict"
    method = None if method_name.startswith("_") else getattr(estimator, method_name, None)
    if not callable(method):
        raise TypeError("the %s has no method %s (PREDICT_METHOD)"
                        % (type(estimator).__name__, method_name))

    def predict(inputs):
        return to_json_rows(method(stack(inputs)))

    return predict


def load_xgboost(path: str, env: Mapping[str, str]) -> PredictFn:
    """A booster saved as JSON or UBJSON (or the old binary format): Booster.load_model takes the
    raw bytes of any of them and tells them apart itself."""
    import xgboost
    with open(path, "rb") as source:
        raw = bytearray(source.read())
    booster = xgboost.Booster()
    booster.load_model(raw)

    def predict(inputs):
        return to_json_rows(booster.predict(xgboost.DMatrix(stack(inputs))))

    return predict


def load_pytorch(path: str, env: Mapping[str, str]) -> PredictFn:
    """A TorchScript module (torch.jit.save), run in eval mode on float32 rows."""
    import torch
    module = torch.jit.load(path, map_location="cpu")
    module.eval()

    def predict(inputs):
        with torch.no_grad():
            output = module(torch.tensor(stack(inputs), dtype=torch.float32))
        if not isinstance(output, torch.Tensor):
            raise TypeError("the module returned a %s, not a tensor" % type(output).__name__)
        return to_json_rows(output)

    return predict


@dataclass(frozen=True)
class Framework:
    name: str
    modules: Tuple[str, ...]  # imported before fetching, so a missing package fails at once
    load: Callable[[str, Mapping[str, str]], PredictFn]


FRAMEWORKS = {framework.name: framework for framework in (
    Framework("python-closure", ("cloudpickle",), load_closure),
    Framework("sklearn", ("numpy", "sklearn", "joblib"), load_sklearn),
    Framework("xgboost", ("numpy", "xgboost"), load_xgboost),
    Framework("pytorch", ("numpy", "torch"), load_pytorch),
)}


def framework_named(name: str) -> Framework:
    """The framework called name with its modules importable, or StartupError saying which
    Debian package to install."""
    framework = FRAMEWORKS.get(name)
    if framework is None:
        raise StartupError("Unknown framework %r: the runtimes are %s"
                           % (name, ", ".join(FRAMEWORKS)))
    require(framework.name, framework.modules)
    return framework


def require(runtime: str, modules: Sequence[str]) -> None:
    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError as error:
            package = DEBIAN_PACKAGES.get(module, module)
            raise StartupError("The %s runtime needs %s: apt-get install %s (%s)"
                               % (runtime, package, package, one_line(str(error))))


def load(framework: Framework, path: str, digest: str,
         env: Optional[Mapping[str, str]] = None) -> PredictFn:
    """framework's predict for the artifact at path, or StartupError with the loader's message."""
    try:
        return framework.load(path, os.environ if env is None else env)
    except Exception as error:  # a pickle can raise anything; one line says enough
        LOG.debug("Loading %s failed", digest, exc_info=True)
        raise StartupError("Cannot load the %s artifact %s: %s: %s" % (
            framework.name, digest, type(error).__name__, one_line(str(error))))


# Running --------------------------------------------------------------------------------------

def prepare(name: str, env: Optional[Mapping[str, str]] = None) -> PredictFn:
    """Everything before serving: checks the framework, fetches and verifies the artifact, loads
    it. Raises StartupError."""
    env = os.environ if env is None else env
    framework = framework_named(name)
    digest = parse_digest(env.get("CLIPPER_ARTIFACT_DIGEST"))
    path = fetch_artifact(env.get("CLIPPER_ARTIFACT_URL", "").strip(), digest,
                          env.get("CLIPPER_ARTIFACT_CACHE", "").strip() or None,
                          env.get("CLIPPER_MANAGEMENT_AUTH_TOKEN", "").strip() or None)
    predict = load(framework, path, digest, env)
    LOG.info("Loaded %s with the %s runtime", digest, framework.name)
    return predict


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Prepares and serves the framework named by the one argument; 1 when it cannot start."""
    argv = sys.argv[1:] if argv is None else list(argv)
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if len(argv) != 1:
        print("usage: python3 -m clipper_container.runtime {%s}" % ",".join(FRAMEWORKS),
              file=sys.stderr)
        return 2
    from clipper_container.config import ContainerConfig
    from clipper_container.registration import RegistrationError
    from clipper_container.server import run
    from clipper_container.service import SampleInputError
    try:
        config = ContainerConfig.from_env()
        predict = prepare(argv[0])
        run(predict, config)  # predicts CLIPPER_SAMPLE_INPUT, if set, before serving
    except (StartupError, SampleInputError, ValueError, OSError, RegistrationError) as error:
        print("clipper runtime %s: %s" % (argv[0], error), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

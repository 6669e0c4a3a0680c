"""ClipperClient: the management service's admin API (port 1338) with Clipper's method names.

Standard library only (urllib and json); serializing a model imports only the framework the model
comes from (see clipper_client.frameworks).
"""

import base64
import hashlib
import json
import numbers
import os
import re
import time
import urllib.error
import urllib.request
from typing import Any, Callable, List, Mapping, Optional

from clipper_client import frameworks

DEFAULT_URL = "http://127.0.0.1:1338"
POLL_SECONDS = 0.2
ENV_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
CHUNK_BYTES = 1024 * 1024

Progress = Optional[Callable[[str], None]]


class ClipperError(Exception):
    """The management service refused a call (status is its HTTP status) or could not be reached
    (status None); error and cause are the fields of its JSON error."""

    def __init__(self, status: Optional[int], error: str, cause: str = ""):
        super().__init__(status, error, cause)
        self.status = status
        self.error = error
        self.cause = cause

    def __str__(self) -> str:
        text = self.error if self.status is None else "[%d] %s" % (self.status, self.error)
        if "\n" in self.cause:  # e.g. a replica's last output: on lines of its own
            return "%s:\n%s" % (text, self.cause)
        return "%s (%s)" % (text, self.cause) if self.cause else text


class DeployError(ClipperError):
    """A deployed model version got no replica UP: one exited (cause is what it last wrote, its
    last_exit) or none was UP in time (cause lists their statuses); replicas is the last
    get_replicas."""

    def __init__(self, error: str, cause: str, replicas: List[dict]):
        super().__init__(None, error, cause)
        self.args = (error, cause, replicas)  # so that copies and pickles rebuild it
        self.replicas = replicas


class ClipperClient:
    """Calls the admin API of the management service at url, sending token as a bearer token
    when given. timeout is the HTTP timeout of each call, in seconds."""

    def __init__(self, url: str = DEFAULT_URL, token: Optional[str] = None,
                 timeout: float = 30.0):
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout

    # Applications and links ------------------------------------------------------------------

    def register_application(self, name: str, input_type: str, default_output: str,
                             slo_micros: int, **extra) -> Any:
        """Creates an application (add_app); extra fields are sent as they are."""
        return self._post("add_app", dict(name=name, input_type=input_type,
                                          default_output=default_output,
                                          latency_slo_micros=slo_micros, **extra))

    def link_model_to_app(self, app_name: str, model_name: str) -> Any:
        return self._post("add_model_links", {"app_name": app_name, "model_names": [model_name]})

    def get_application(self, name: str) -> dict:
        """The app's fields (name, input_type, linked_models, ...), or {} when there is none."""
        return self._post("get_application", {"name": name}) or {}

    # Artifacts and models --------------------------------------------------------------------

    def upload_artifact(self, data: bytes) -> str:
        """Stores data in the service and returns its digest, "sha256:<hex>". The SHA-256 goes in
        X-Artifact-Sha256, so the service refuses bytes damaged on the way."""
        data = bytes(data)
        return self._upload(data, len(data), hashlib.sha256(data).hexdigest())

    def upload_file(self, path: str) -> str:
        """upload_artifact of the file at path, streamed: read once to hash it and once to send
        it, never held in memory whole. Raises OSError when it cannot be read."""
        hasher = hashlib.sha256()
        with open(path, "rb") as source:
            for chunk in iter(lambda: source.read(CHUNK_BYTES), b""):
                hasher.update(chunk)
        with open(path, "rb") as source:
            return self._upload(source, os.fstat(source.fileno()).st_size, hasher.hexdigest())

    def _upload(self, body, size: int, hex_digest: str) -> str:
        """POSTs body (bytes or a binary file) of size bytes to upload_artifact."""
        answer = self._request("POST", "/admin/upload_artifact", body, {
            "Content-Type": "application/octet-stream", "Content-Length": str(size),
            "X-Artifact-Sha256": hex_digest})
        digest = "sha256:" + hex_digest
        if not isinstance(answer, dict) or answer.get("digest") != digest:
            raise ClipperError(None, "The service stored the artifact as %r, not %s"
                               % (answer.get("digest") if isinstance(answer, dict) else answer,
                                  digest))
        return digest

    def deploy_model(self, name: str, version, input_type: str, model: Any,
                     framework: Optional[str] = None, batch_size: int = -1,
                     env: Optional[Mapping[str, str]] = None, sample_input: Any = None,
                     timeout: float = 120.0, progress: Progress = None) -> str:
        """Deploys model (a fitted scikit-learn estimator, an xgboost Booster or XGBModel, a
        TorchScript module, or a function of a batch) as name:version and waits until a replica is
        UP; returns the artifact's digest.

        framework (python-closure, sklearn, xgboost, pytorch) is detected from model when None.
        env adds variables to the replicas' environment (e.g. PREDICT_METHOD=predict_proba for
        sklearn). sample_input, one input of the model (a list of numbers for doubles, floats and
        ints, a str for strings, bytes for bytes; a str is sent as it is, so base64 for bytes), is
        predicted by each replica before it serves: the first query finds the model warm, and a
        model that fails on it does not start. progress, when given, is called with one line per
        step done. Raises ClipperError when the service refuses a step, DeployError when a replica
        exits (with what it last wrote, e.g. the model's error) or none is UP within timeout
        seconds.
        """
        framework = framework or frameworks.detect_framework(model)
        env, sample = _checked_env(env), _sample_field(sample_input)
        data = frameworks.serialize(model, framework)
        digest = self.upload_artifact(data)
        _tell(progress, "Uploaded the %s model (%d bytes) as %s" % (framework, len(data), digest))
        self._add_and_wait(name, version, input_type, framework, digest, batch_size, env, sample,
                           timeout, progress)
        return digest

    def deploy_file(self, name: str, version, input_type: str, path: str,
                    framework: Optional[str] = None, env: Optional[Mapping[str, str]] = None,
                    sample_input: Any = None, batch_size: int = -1, timeout: float = 120.0,
                    progress: Progress = None) -> str:
        """Deploys an already-serialized artifact, the file at path, as name:version and waits
        until a replica is UP; returns the artifact's digest.

        framework is the runtime that serves it, by default from the file's ending: .pkl, .pickle,
        .joblib → sklearn; .json, .ubj → xgboost; .pt, .pth → pytorch (TorchScript); .cloudpickle
        → python-closure; .jar → java, whose env must name the class in MODEL_CLASS. The file is
        streamed, not read into memory whole. The rest is as in deploy_model. Raises ValueError
        for an unknown ending without framework or a jar without MODEL_CLASS, OSError when the
        file cannot be read.
        """
        framework = framework or frameworks.framework_of_file(path)
        env, sample = _checked_env(env), _sample_field(sample_input)
        if framework == frameworks.JAVA and not env.get("MODEL_CLASS", "").strip():
            raise ValueError("A java artifact needs the class that implements "
                             "ai.clipper.sdk.Model: env MODEL_CLASS (--class)")
        digest = self.upload_file(path)
        _tell(progress, "Uploaded %s (%d bytes) as %s" % (path, os.path.getsize(path), digest))
        self._add_and_wait(name, version, input_type, framework, digest, batch_size, env, sample,
                           timeout, progress)
        return digest

    def _add_and_wait(self, name: str, version, input_type: str, framework: str, digest: str,
                      batch_size: int, env: dict, sample: Any, timeout: float,
                      progress: Progress) -> List[dict]:
        """add_model of the uploaded artifact with its runtime, then wait_for_replica."""
        request = {"model_name": name, "model_version": str(version), "input_type": input_type,
                   "container_name": framework, "model_data_path": digest,
                   "batch_size": batch_size}
        if env:
            request["env"] = env
        if sample is not None:
            request["sample_input"] = sample
        self._post("add_model", request)
        _tell(progress, "Added model %s:%s (%s runtime, %s inputs); waiting up to %g s for a "
              "replica UP" % (name, version, framework, input_type, timeout))
        replicas = self.wait_for_replica(name, version, timeout)
        up = next(replica for replica in replicas if replica.get("status") == "UP")
        _tell(progress, "Replica %s of %s:%s is UP at %s:%s" % (
            up.get("model_replica_id"), name, version, up.get("host"), up.get("port")))
        return replicas

    def deploy_python_closure(self, name: str, version, input_type: str,
                              func: Callable, **options) -> str:
        """deploy_model of func with the python-closure runtime: func takes a batch (a list of
        inputs) and returns one string per input."""
        return self.deploy_model(name, version, input_type, func, framework="python-closure",
                                 **options)

    def wait_for_replica(self, name: str, version, timeout: float = 120.0) -> List[dict]:
        """Polls get_replicas until one replica of name:version is UP and returns them all.

        Raises DeployError at once when none is UP and one has exited (its last_exit, what it
        last wrote, is the cause: typically the model's own error), and after timeout seconds
        with their statuses otherwise.
        """
        deadline = time.monotonic() + timeout
        while True:
            replicas = self.get_replicas(name, version) or []
            if any(replica.get("status") == "UP" for replica in replicas):
                return replicas
            exited = next((replica for replica in replicas if replica.get("last_exit")), None)
            if exited is not None:
                raise DeployError("Model %s:%s did not start: replica %s exited" % (
                    name, version, exited.get("model_replica_id")),
                    str(exited["last_exit"]).strip(), replicas)
            if time.monotonic() >= deadline:
                statuses = ", ".join("replica %s %s" % (r.get("model_replica_id"), r.get("status"))
                                     for r in replicas) or "no replica yet"
                raise DeployError("Model %s:%s has no replica UP after %g s" % (
                    name, version, timeout), statuses, replicas)
            time.sleep(min(POLL_SECONDS, max(0.0, deadline - time.monotonic())))

    def get_model(self, name: str, version) -> Any:
        return self._post("get_model", self._version(name, version))

    def get_replicas(self, name: str, version) -> List[dict]:
        """[{"model_replica_id", "host", "port", "status": UP | STARTING | DOWN}, ...], with
        "last_exit", what the replica last wrote, for one that exited and is not UP again."""
        return self._post("get_replicas", self._version(name, version))

    def set_num_replicas(self, name: str, version, num_replicas: int) -> Any:
        return self._post("set_num_replicas", dict(self._version(name, version),
                                                   num_replicas=num_replicas))

    def set_model_version(self, name: str, version) -> Any:
        """Makes version the one name's applications query."""
        return self._post("set_model_version", self._version(name, version))

    def delete_model_version(self, name: str, version) -> Any:
        return self._post("delete_versioned_model", self._version(name, version))

    # HTTP ----------------------------------------------------------------------------------------

    @staticmethod
    def _version(name: str, version) -> dict:
        return {"model_name": name, "model_version": str(version)}

    def _post(self, call: str, payload: dict) -> Any:
        return self._request("POST", "/admin/" + call, json.dumps(payload).encode("utf-8"),
                             {"Content-Type": "application/json"})

    def _request(self, method: str, path: str, body: Any, headers: dict) -> Any:
        """The parsed JSON answer (None when empty), or ClipperError. body is bytes, a binary file
        (sent as it is read; headers then give its Content-Length) or None."""
        headers = dict(headers, Accept="application/json")
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        request = urllib.request.Request(self.url + path, data=body, method=method,
                                         headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = response.read()
        except urllib.error.HTTPError as error:
            raise _error_of(error.code, error.read()) from None
        except OSError as error:  # URLError, refused connection, timeout
            raise ClipperError(None, "Cannot reach the management service at %s" % self.url,
                               str(getattr(error, "reason", error))) from None
        return json.loads(answer) if answer.strip() else None


def _checked_env(env: Optional[Mapping[str, str]]) -> dict:
    """env as {str: str}, or ValueError for a name the service refuses (checked before any
    upload)."""
    env = dict(env or {})
    for key in env:
        if not ENV_NAME.fullmatch(str(key)) or str(key).startswith("CLIPPER_"):
            raise ValueError("Invalid env name %r: names are [A-Z][A-Z0-9_]* and do not "
                             "start with CLIPPER_" % key)
    return {str(key): str(value) for key, value in env.items()}


def _sample_field(sample: Any) -> Any:
    """add_model's sample_input for sample: a str as it is, bytes as base64 text, a sequence of
    numbers (list, tuple, numpy array) as a list of int/float; None stays None. The service checks
    it against the input type. ValueError for anything else."""
    if sample is None or isinstance(sample, str):
        return sample
    if isinstance(sample, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(sample)).decode("ascii")
    values = sample.tolist() if hasattr(sample, "tolist") else sample
    try:
        values = list(values)
    except TypeError:
        values = None
    if values is None or not all(isinstance(v, numbers.Real) and not isinstance(v, bool)
                                 for v in values):
        raise ValueError("sample_input must be a list of numbers, a str or bytes, not %r"
                         % (sample,))
    return [int(v) if isinstance(v, numbers.Integral) else float(v) for v in values]


def _tell(progress: Progress, line: str) -> None:
    if progress is not None:
        progress(line)


def _error_of(status: int, body: bytes) -> ClipperError:
    """The ClipperError for an error answer: {"error", "cause"} when it is JSON, else its text."""
    text = body.decode("utf-8", "replace").strip()
    try:
        answer = json.loads(text)
    except ValueError:
        answer = None
    if isinstance(answer, dict) and "error" in answer:
        return ClipperError(status, str(answer["error"]), str(answer.get("cause") or ""))
    return ClipperError(status, text or "HTTP %d" % status)

"""ClipperClient: the management service's admin API (port 1338) with Clipper's method names.

Standard library only (urllib and json); serializing a model imports only the framework the model
comes from (see clipper_client.frameworks).
"""

import hashlib
import json
import re
import time
import urllib.error
import urllib.request
from typing import Any, Callable, List, Mapping, Optional

from clipper_client import frameworks

DEFAULT_URL = "http://127.0.0.1:1338"
POLL_SECONDS = 0.2
ENV_NAME = re.compile(r"[A-Z][A-Z0-9_]*")


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
        return "%s (%s)" % (text, self.cause) if self.cause else text


class DeployError(ClipperError):
    """A deployed model version got no replica UP in time; replicas is the last get_replicas."""

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

    # Artifacts and models --------------------------------------------------------------------

    def upload_artifact(self, data: bytes) -> str:
        """Stores data in the service and returns its digest, "sha256:<hex>". The SHA-256 goes in
        X-Artifact-Sha256, so the service refuses bytes damaged on the way."""
        data = bytes(data)
        hex_digest = hashlib.sha256(data).hexdigest()
        answer = self._request("POST", "/admin/upload_artifact", data, {
            "Content-Type": "application/octet-stream", "X-Artifact-Sha256": hex_digest})
        digest = "sha256:" + hex_digest
        if not isinstance(answer, dict) or answer.get("digest") != digest:
            raise ClipperError(None, "The service stored the artifact as %r, not %s"
                               % (answer.get("digest") if isinstance(answer, dict) else answer,
                                  digest))
        return digest

    def deploy_model(self, name: str, version, input_type: str, model: Any,
                     framework: Optional[str] = None, batch_size: int = -1,
                     env: Optional[Mapping[str, str]] = None, sample_input: Any = None,
                     timeout: float = 120.0) -> str:
        """Deploys model (a fitted scikit-learn estimator, an xgboost Booster or XGBModel, a
        TorchScript module, or a function of a batch) as name:version and waits until a replica is
        UP; returns the artifact's digest.

        framework (python-closure, sklearn, xgboost, pytorch) is detected from model when None.
        env adds variables to the replicas' environment (e.g. PREDICT_METHOD=predict_proba for
        sklearn). sample_input is reserved: it is accepted and not used yet (the management
        service does not know the frontend, so nothing sends it a query). Raises ClipperError
        when the service refuses a step, DeployError when no replica is UP within timeout seconds.
        """
        framework = framework or frameworks.detect_framework(model)
        env = dict(env or {})
        for key in env:
            if not ENV_NAME.fullmatch(str(key)) or str(key).startswith("CLIPPER_"):
                raise ValueError("Invalid env name %r: names are [A-Z][A-Z0-9_]* and do not "
                                 "start with CLIPPER_" % key)
        digest = self.upload_artifact(frameworks.serialize(model, framework))
        request = {"model_name": name, "model_version": str(version), "input_type": input_type,
                   "container_name": framework, "model_data_path": digest,
                   "batch_size": batch_size}
        if env:
            request["env"] = {str(key): str(value) for key, value in env.items()}
        self._post("add_model", request)
        self.wait_for_replica(name, version, timeout)
        return digest

    def deploy_python_closure(self, name: str, version, input_type: str,
                              func: Callable, **options) -> str:
        """deploy_model of func with the python-closure runtime: func takes a batch (a list of
        inputs) and returns one string per input."""
        return self.deploy_model(name, version, input_type, func, framework="python-closure",
                                 **options)

    def wait_for_replica(self, name: str, version, timeout: float = 120.0) -> List[dict]:
        """Polls get_replicas until one replica of name:version is UP and returns them all;
        DeployError with their statuses after timeout seconds."""
        deadline = time.monotonic() + timeout
        while True:
            replicas = self.get_replicas(name, version) or []
            if any(replica.get("status") == "UP" for replica in replicas):
                return replicas
            if time.monotonic() >= deadline:
                statuses = ", ".join("replica %s %s" % (r.get("model_replica_id"), r.get("status"))
                                     for r in replicas) or "no replica yet"
                raise DeployError("Model %s:%s has no replica UP after %g s" % (
                    name, version, timeout), statuses, replicas)
            time.sleep(min(POLL_SECONDS, max(0.0, deadline - time.monotonic())))

    def get_model(self, name: str, version) -> Any:
        return self._post("get_model", self._version(name, version))

    def get_replicas(self, name: str, version) -> List[dict]:
        """[{"model_replica_id", "host", "port", "status": UP | STARTING | DOWN}, ...]"""
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

    def _request(self, method: str, path: str, body: Optional[bytes], headers: dict) -> Any:
        """The parsed JSON answer (None when empty), or ClipperError."""
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

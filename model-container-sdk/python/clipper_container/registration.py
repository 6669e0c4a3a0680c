"""Registers a container as a replica with the management service (POST /admin/add_replica, with
"Authorization: Bearer <token>" when the config has a management token).

The container and the management service may start in any order, so a refused connection or a 5xx
answer is retried for a while; a 4xx answer is final (the service understood and said no).
"""

import json
import logging
import time
import urllib.error
import urllib.request
from typing import Callable

from clipper_container.config import ContainerConfig

LOG = logging.getLogger(__name__)


class RegistrationError(RuntimeError):
    """The management service refused the registration or never accepted it."""


def register(config: ContainerConfig, port: int, within_seconds: float = 30.0,
             should_stop: Callable[[], bool] = lambda: False) -> bool:
    """Registers config's model version at advertised_host:port with config.management_url.

    Retries once a second for within_seconds while the service cannot be reached or answers 5xx,
    and gives up quietly (False) when should_stop() becomes true. Raises RegistrationError when the
    service answers 4xx or never accepts in time; returns True once registered.
    """
    url = config.management_url.rstrip("/") + "/admin/add_replica"
    body = json.dumps({
        "model_name": config.model_name,
        "model_version": config.model_version,
        "input_type": config.input_type.value,
        "host": config.advertised_host,
        "port": port,
    }).encode("utf-8")
    headers = {"Content-Type": "application/json"}
    if config.management_token:
        headers["Authorization"] = "Bearer " + config.management_token
    deadline = time.monotonic() + within_seconds
    while True:
        problem = _post(url, body, headers)
        if problem is None:
            return True
        if should_stop():
            return False
        if time.monotonic() + 1.0 > deadline:
            raise RegistrationError("Could not register with %s: %s" % (url, problem))
        time.sleep(1.0)


def _post(url: str, body: bytes, headers: dict):
    """None when the service answered 2xx, else a description of a problem worth retrying."""
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            LOG.info("Registered with %s: %s", url, response.read().decode("utf-8", "replace"))
            return None
    except urllib.error.HTTPError as error:
        answer = error.read().decode("utf-8", "replace")
        if error.code < 500:
            raise RegistrationError(
                "The management service refused the registration (%d): %s" % (error.code, answer))
        return "%d %s" % (error.code, answer)
    except OSError as error:  # URLError, refused connection, timeout
        return str(error)

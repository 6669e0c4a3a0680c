"""A Python client of the management service: deploy a model in one call.

    from clipper_client import ClipperClient

    clipper = ClipperClient("http://127.0.0.1:1338")
    clipper.register_application("digits", "doubles", "-1", 100000)
    clipper.deploy_model("digits-logreg", 1, "doubles", fitted_estimator)
    clipper.link_model_to_app("digits", "digits-logreg")

deploy_model uploads the model as an artifact and has the service start the runtime of its
framework (runtimes/ at the repository's root), which fetches, verifies and serves it;
deploy_file does the same for an artifact file already saved. Standard library only; it imports a
framework only to serialize a model of that framework. The command line:

    python3 -m clipper_client deploy NAME VERSION FILE [--app APP] [--sample-input JSON] ...
"""

from clipper_client.client import ClipperClient, ClipperError, DeployError
from clipper_client.frameworks import RUNTIMES, detect_framework, framework_of_file, serialize

__all__ = ["ClipperClient", "ClipperError", "DeployError", "RUNTIMES", "detect_framework",
           "framework_of_file", "serialize"]

"""ClipperClient against a fake admin API (a real local HTTP server that records what it gets):
the artifact upload, deploy_model's upload + add_model + wait for a replica UP, Clipper's admin
calls, errors, and which runtime each kind of model goes to.

Artifacts the client uploads are loaded back with the runtimes' loaders, so the two agree.
"""

import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import support
from support import SDK_DIR
from clipper_client import ClipperClient, ClipperError, DeployError, detect_framework, serialize
from clipper_container import runtime


def _skip_without(module, package):
    return unittest.skipIf(importlib.util.find_spec(module) is None,
                           "skipping: %s not installed (apt-get install %s)" % (module, package))


SKIP_NO_SKLEARN = _skip_without("sklearn", "python3-sklearn")
SKIP_NO_XGBOOST = _skip_without("xgboost", "python3-xgboost")
SKIP_NO_TORCH = _skip_without("torch", "python3-torch")
SKIP_NO_CLOUDPICKLE = _skip_without("cloudpickle", "python3-cloudpickle")

UP = {"model_replica_id": 1, "host": "127.0.0.1", "port": 40211, "status": "UP"}
STARTING = dict(UP, status="STARTING")
DOWN = dict(UP, model_replica_id=2, status="DOWN")


class FakeAdmin:
    """A local admin API that records every request as (method, path, headers, body) and answers
    from answers[call], a list of (status, JSON) taken in order with the last one repeated
    (200 {} by default). upload_artifact stores the body and answers its digest."""

    def __init__(self, **answers):
        self.answers = {call: list(script) for call, script in answers.items()}
        self.requests = []
        self.artifacts = {}
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                fake.requests.append((self.command, self.path, dict(self.headers), body))
                status, answer = fake.answer(self.path.rsplit("/", 1)[-1], body)
                data = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        self.url = "http://127.0.0.1:%d" % self.server.server_port

    def answer(self, call, body):
        script = self.answers.get(call)
        if script:
            return script.pop(0) if len(script) > 1 else script[0]
        if call == "upload_artifact":
            digest = "sha256:" + hashlib.sha256(body).hexdigest()
            self.artifacts[digest] = body
            return 200, {"digest": digest, "size": len(body)}
        return 200, {}

    def calls(self):
        """[(path, parsed JSON body or the raw bytes)] of the requests so far."""
        return [(path, body if path.endswith("upload_artifact") else json.loads(body))
                for _, path, _, body in self.requests]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class ClientTestCase(unittest.TestCase):

    def admin(self, **answers):
        fake = FakeAdmin(**answers)
        self.addCleanup(fake.close)
        return fake

    def client(self, fake, **options):
        return ClipperClient(fake.url + "/", timeout=5, **options)

    def load_back(self, loader, fake, digest, **env):
        """The runtime's predict for an artifact the client uploaded to fake."""
        with tempfile.NamedTemporaryFile() as artifact:
            artifact.write(fake.artifacts[digest])
            artifact.flush()
            return loader(artifact.name, env)


class AdminCallsTest(ClientTestCase):

    def test_upload_sends_the_bytes_and_their_sha256_and_returns_the_digest(self):
        fake = self.admin()
        data = bytes(range(256)) * 10
        digest = self.client(fake).upload_artifact(data)
        hex_digest = hashlib.sha256(data).hexdigest()
        self.assertEqual(digest, "sha256:" + hex_digest)
        [(method, path, headers, body)] = fake.requests
        self.assertEqual((method, path, body), ("POST", "/admin/upload_artifact", data))
        self.assertEqual(headers["X-Artifact-Sha256"], hex_digest)
        self.assertEqual(headers["Content-Type"], "application/octet-stream")
        self.assertNotIn("Authorization", headers)

    def test_sends_the_token_as_a_bearer_token_on_every_call(self):
        fake = self.admin()
        client = self.client(fake, token="s3cret")
        client.upload_artifact(b"model")
        client.link_model_to_app("app", "m")
        self.assertEqual([headers["Authorization"] for _, _, headers, _ in fake.requests],
                         ["Bearer s3cret"] * 2)

    def test_admin_calls_send_clippers_fields(self):
        fake = self.admin(get_replicas=[(200, [UP])])
        client = self.client(fake)
        client.register_application("app", "doubles", "-1", 100000, extra_field=1)
        client.link_model_to_app("app", "m")
        client.set_num_replicas("m", 2, 3)
        client.set_model_version("m", "2")
        client.delete_model_version("m", 1)
        client.get_model("m", 1)
        self.assertEqual(client.get_replicas("m", 2), [UP])
        self.assertEqual(fake.calls(), [
            ("/admin/add_app", {"name": "app", "input_type": "doubles", "default_output": "-1",
                                "latency_slo_micros": 100000, "extra_field": 1}),
            ("/admin/add_model_links", {"app_name": "app", "model_names": ["m"]}),
            ("/admin/set_num_replicas", {"model_name": "m", "model_version": "2",
                                         "num_replicas": 3}),
            ("/admin/set_model_version", {"model_name": "m", "model_version": "2"}),
            ("/admin/delete_versioned_model", {"model_name": "m", "model_version": "1"}),
            ("/admin/get_model", {"model_name": "m", "model_version": "1"}),
            ("/admin/get_replicas", {"model_name": "m", "model_version": "2"}),
        ])

    def test_errors_of_the_service_raise_clipper_error_with_status_error_and_cause(self):
        fake = self.admin(
            add_app=[(409, {"error": "Application app already exists", "cause": "name taken"})],
            add_model_links=[(401, {"error": "Unauthorized", "cause": None})],
            set_model_version=[(500, b"<html>oops</html>")],
            upload_artifact=[(413, {"error": "Artifact too large", "cause": "max 1 GB"})])
        client = self.client(fake)
        cases = [
            (lambda: client.register_application("app", "doubles", "-1", 1000),
             409, "Application app already exists", "name taken"),
            (lambda: client.link_model_to_app("app", "m"), 401, "Unauthorized", ""),
            (lambda: client.set_model_version("m", 1), 500, "<html>oops</html>", ""),
            (lambda: client.upload_artifact(b"big"), 413, "Artifact too large", "max 1 GB"),
        ]
        for call, status, error, cause in cases:
            with self.subTest(error=error):
                with self.assertRaises(ClipperError) as raised:
                    call()
                failure = raised.exception
                self.assertEqual((failure.status, failure.error, failure.cause),
                                 (status, error, cause))
        self.assertEqual(str(raised.exception), "[413] Artifact too large (max 1 GB)")

    def test_an_unreachable_service_raises_clipper_error_without_a_status(self):
        client = ClipperClient("http://127.0.0.1:%d" % support.free_port(), timeout=5)
        with self.assertRaisesRegex(ClipperError, "Cannot reach the management service") as raised:
            client.get_replicas("m", 1)
        self.assertIsNone(raised.exception.status)


@SKIP_NO_SKLEARN
class DeployModelTest(ClientTestCase):

    def estimator(self):
        import numpy
        from sklearn.linear_model import LogisticRegression
        random = numpy.random.RandomState(0)
        features = random.rand(40, 3)
        return LogisticRegression().fit(features, features[:, 0] > 0.5), random.rand(4, 3)

    def test_uploads_an_sklearn_estimator_adds_it_and_waits_for_a_replica_up(self):
        fake = self.admin(get_replicas=[(200, []), (200, [STARTING]), (200, [UP, DOWN])])
        estimator, queries = self.estimator()
        digest = self.client(fake).deploy_model("logreg", 3, "doubles", estimator)
        self.assertEqual([path for path, _ in fake.calls()],
                         ["/admin/upload_artifact", "/admin/add_model"]
                         + ["/admin/get_replicas"] * 3)
        self.assertEqual(fake.calls()[1][1], {
            "model_name": "logreg", "model_version": "3", "input_type": "doubles",
            "container_name": "sklearn", "model_data_path": digest, "batch_size": -1})
        predict = self.load_back(runtime.load_sklearn, fake, digest)
        self.assertEqual(predict(list(queries)),
                         [json.dumps(bool(y)) for y in estimator.predict(queries)])

    def test_sends_env_and_batch_size_and_refuses_bad_env_names_before_uploading(self):
        fake = self.admin(get_replicas=[(200, [UP])])
        client = self.client(fake)
        estimator, _ = self.estimator()
        client.deploy_model("logreg", 1, "doubles", estimator, batch_size=8,
                            env={"PREDICT_METHOD": "predict_proba"})
        added = fake.calls()[1][1]
        self.assertEqual((added["batch_size"], added["env"]),
                         (8, {"PREDICT_METHOD": "predict_proba"}))
        for bad in ("lower", "CLIPPER_PORT", "1ABC", "A-B"):
            with self.subTest(env=bad):
                with self.assertRaisesRegex(ValueError, "Invalid env name"):
                    client.deploy_model("logreg", 1, "doubles", estimator, env={bad: "x"})
        self.assertEqual(len(fake.requests), 3)  # nothing sent for the refused ones

    def test_raises_deploy_error_with_the_replicas_statuses_after_the_timeout(self):
        fake = self.admin(get_replicas=[(200, [STARTING, DOWN])])
        estimator, _ = self.estimator()
        with self.assertRaises(DeployError) as raised:
            self.client(fake).deploy_model("logreg", 1, "doubles", estimator, timeout=0.5)
        self.assertEqual(str(raised.exception), "Model logreg:1 has no replica UP after 0.5 s "
                                                "(replica 1 STARTING, replica 2 DOWN)")
        self.assertEqual(raised.exception.replicas, [STARTING, DOWN])
        self.assertGreaterEqual(len(fake.requests), 3)  # polled, not asked once

    def test_a_refused_add_model_raises_clipper_error_and_does_not_wait(self):
        fake = self.admin(add_model=[(400, {"error": "Unknown container", "cause": "sklearn"})])
        estimator, _ = self.estimator()
        with self.assertRaisesRegex(ClipperError, r"\[400\] Unknown container \(sklearn\)"):
            self.client(fake).deploy_model("logreg", 1, "doubles", estimator)
        self.assertEqual(len(fake.requests), 2)


@SKIP_NO_CLOUDPICKLE
class DeployClosureTest(ClientTestCase):

    def test_deploys_a_function_with_the_python_closure_runtime(self):
        fake = self.admin(get_replicas=[(200, [UP])])
        scale = 2.0
        digest = self.client(fake).deploy_python_closure(
            "double", 1, "doubles", lambda inputs: [str(sum(x) * scale) for x in inputs])
        self.assertEqual(fake.calls()[1][1]["container_name"], "python-closure")
        predict = self.load_back(runtime.load_closure, fake, digest)
        self.assertEqual(predict([[1, 2], [0.5]]), ["6.0", "1.0"])

    def test_the_client_imports_no_framework_and_no_grpc_to_deploy_a_function(self):
        code = ("import sys, clipper_client\n"
                "data = clipper_client.serialize(lambda b: b, "
                "clipper_client.detect_framework(lambda b: b))\n"
                "print(sorted(m for m in ('sklearn', 'xgboost', 'torch', 'numpy', 'grpc')"
                " if m in sys.modules))\n")
        finished = subprocess.run([sys.executable, "-c", code], cwd="/", timeout=30,
                                  env=dict(os.environ, PYTHONPATH=SDK_DIR), capture_output=True)
        self.assertEqual(finished.returncode, 0, finished.stderr.decode())
        self.assertEqual(finished.stdout.decode().strip(), "[]")


class FrameworkDetectionTest(unittest.TestCase):

    def test_a_function_or_any_callable_is_a_python_closure(self):
        class Callable:
            def __call__(self, inputs):
                return inputs

        for model in (lambda inputs: inputs, len, Callable()):
            with self.subTest(model=model):
                self.assertEqual(detect_framework(model), "python-closure")

    def test_refuses_what_no_runtime_serves(self):
        for model, message in [(object(), "Cannot tell which runtime serves a object"),
                               (dict, "not the class dict")]:
            with self.subTest(message=message):
                with self.assertRaisesRegex(ValueError, message):
                    detect_framework(model)
        with self.assertRaisesRegex(ValueError, "Unknown framework 'tensorflow'"):
            serialize(lambda inputs: inputs, "tensorflow")

    @SKIP_NO_SKLEARN
    def test_an_sklearn_estimator_or_pipeline_is_sklearn(self):
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        self.assertEqual(detect_framework(LogisticRegression()), "sklearn")
        self.assertEqual(detect_framework(make_pipeline(StandardScaler(), LogisticRegression())),
                         "sklearn")
        with self.assertRaisesRegex(ValueError, "Cannot tell which runtime serves a Standard"):
            detect_framework(StandardScaler())  # a transformer: nothing to predict with

    @SKIP_NO_XGBOOST
    def test_an_xgboost_booster_or_sklearn_style_model_is_xgboost_and_saves_its_booster(self):
        import numpy
        import xgboost
        features = numpy.random.RandomState(0).rand(30, 3)
        labels = (features[:, 0] > 0.5).astype(int)
        classifier = xgboost.XGBClassifier(n_estimators=3).fit(features, labels)
        booster = classifier.get_booster()
        for model in (booster, classifier):
            with self.subTest(model=type(model).__name__):
                self.assertEqual(detect_framework(model), "xgboost")
                with tempfile.NamedTemporaryFile() as artifact:
                    artifact.write(serialize(model, "xgboost"))
                    artifact.flush()
                    predict = runtime.load_xgboost(artifact.name, {})
                rows = [json.loads(output) for output in predict(list(features[:4]))]
                numpy.testing.assert_allclose(rows, classifier.predict_proba(features[:4])[:, 1],
                                              rtol=1e-6)

    @SKIP_NO_TORCH
    def test_a_torchscript_module_is_pytorch_and_a_plain_module_must_be_scripted(self):
        import torch
        plain = torch.nn.Linear(3, 1)
        with self.assertRaisesRegex(ValueError, r"torch.jit.script\(model\)"):
            detect_framework(plain)
        scripted = torch.jit.script(plain)
        self.assertEqual(detect_framework(scripted), "pytorch")
        with tempfile.NamedTemporaryFile() as artifact:
            artifact.write(serialize(scripted, "pytorch"))
            artifact.flush()
            predict = runtime.load_pytorch(artifact.name, {})
        rows = [[1.0, 2.0, 3.0]]
        with torch.no_grad():
            expected = scripted(torch.tensor(rows)).tolist()
        self.assertEqual([json.loads(output) for output in predict(rows)], expected)


if __name__ == "__main__":
    unittest.main()

"""ClipperClient against a fake admin API (a real local HTTP server that records what it gets):
the artifact upload (bytes or a streamed file), deploy_model's and deploy_file's upload +
add_model + wait for a replica UP (or for one to exit), sample inputs, Clipper's admin calls,
errors, and which runtime each kind of model goes to.

Artifacts the client uploads are loaded back with the runtimes' loaders, so the two agree.
"""

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import support
from support import SDK_DIR
from clipper_client import (ClipperClient, ClipperError, DeployError, detect_framework,
                            framework_of_file, serialize)
from clipper_container import runtime


from support import SKIP_NO_CLOUDPICKLE, SKIP_NO_SKLEARN, SKIP_NO_TORCH, SKIP_NO_XGBOOST

UP = {"model_replica_id": 1, "host": "127.0.0.1", "port": 40211, "status": "UP"}
STARTING = dict(UP, status="STARTING")
DOWN = dict(UP, model_replica_id=2, status="DOWN")
EXITED = dict(DOWN, last_exit="2026-01-01 INFO clipper_container.runtime Loaded sha256:ab\n"
                              "clipper runtime sklearn: The model failed on its sample input: "
                              "ValueError: X has 3 features, but LogisticRegression is "
                              "expecting 4 features as input.\n")


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

    def test_upload_file_streams_the_file_with_its_length_and_sha256(self):
        fake = self.admin()
        data = os.urandom(3 * 1024 * 1024 + 5)  # several of the client's chunks
        with tempfile.NamedTemporaryFile(suffix=".pkl") as artifact:
            artifact.write(data)
            artifact.flush()
            digest = self.client(fake).upload_file(artifact.name)
        self.assertEqual(digest, "sha256:" + hashlib.sha256(data).hexdigest())
        [(_, path, headers, body)] = fake.requests
        self.assertEqual((path, body), ("/admin/upload_artifact", data))
        self.assertEqual(headers["Content-Length"], str(len(data)))
        self.assertEqual(headers["X-Artifact-Sha256"], digest[len("sha256:"):])
        self.assertNotIn("Transfer-Encoding", headers)
        with self.assertRaises(FileNotFoundError):
            self.client(fake).upload_file("/nonexistent/model.pkl")
        self.assertEqual(len(fake.requests), 1)

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

    def test_get_application_answers_the_app_or_an_empty_dict(self):
        app = {"name": "app", "input_type": "doubles", "linked_models": ["m"]}
        fake = self.admin(get_application=[(200, app), (200, {})])
        client = self.client(fake)
        self.assertEqual(client.get_application("app"), app)
        self.assertEqual(client.get_application("other"), {})
        self.assertEqual(fake.calls()[1], ("/admin/get_application", {"name": "other"}))

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

    def test_raises_deploy_error_with_the_replicas_last_output_at_once_when_one_exited(self):
        fake = self.admin(get_replicas=[(200, [STARTING]), (200, [STARTING, EXITED])])
        estimator, _ = self.estimator()
        started = time.monotonic()
        with self.assertRaises(DeployError) as raised:
            self.client(fake).deploy_model("logreg", 1, "doubles", estimator, timeout=60)
        self.assertLess(time.monotonic() - started, 10)  # not the timeout
        failure = raised.exception
        self.assertEqual(failure.error, "Model logreg:1 did not start: replica 2 exited")
        self.assertEqual(failure.cause, EXITED["last_exit"].strip())
        self.assertIn("clipper runtime sklearn: The model failed on its sample input: ValueError",
                      str(failure))
        self.assertEqual(str(failure).splitlines()[0],
                         "Model logreg:1 did not start: replica 2 exited:")
        self.assertEqual(failure.replicas, [STARTING, EXITED])
        self.assertEqual(len(fake.requests), 4)  # upload, add_model, get_replicas twice

    def test_a_replica_up_wins_over_one_that_exited(self):
        fake = self.admin(get_replicas=[(200, [EXITED, UP])])
        estimator, _ = self.estimator()
        self.client(fake).deploy_model("logreg", 1, "doubles", estimator)
        self.assertEqual(len(fake.requests), 3)

    def test_sends_the_sample_input_to_add_model_in_its_json_form(self):
        import numpy
        cases = [([1, 2.5, -3], [1, 2.5, -3]), ((1, 2), [1, 2]),
                 (numpy.array([0.5, 1.0]), [0.5, 1.0]),
                 (numpy.array([1, 2], dtype=numpy.int64), [1, 2]),
                 ("some text", "some text"), (b"\x00\xff", base64.b64encode(b"\x00\xff").decode()),
                 (None, None)]
        estimator, _ = self.estimator()
        for sample, sent in cases:
            with self.subTest(sample=sample):
                fake = self.admin(get_replicas=[(200, [UP])])
                self.client(fake).deploy_model("logreg", 1, "doubles", estimator,
                                               sample_input=sample)
                added = fake.calls()[1][1]
                self.assertEqual("sample_input" in added, sent is not None)
                # as JSON text, so that 1 and 1.0 differ
                self.assertEqual(json.dumps(added.get("sample_input")), json.dumps(sent))

    def test_refuses_a_sample_input_that_is_no_input_before_uploading(self):
        fake = self.admin()
        estimator, _ = self.estimator()
        for bad in (3, [1, "2"], [True], {"a": 1}, [[1, 2]]):
            with self.subTest(sample=bad):
                with self.assertRaisesRegex(ValueError, "sample_input must be a list of numbers"):
                    self.client(fake).deploy_model("logreg", 1, "doubles", estimator,
                                                   sample_input=bad)
        self.assertEqual(fake.requests, [])

    def test_reports_each_step_to_progress(self):
        fake = self.admin(get_replicas=[(200, [UP])])
        estimator, _ = self.estimator()
        lines = []
        digest = self.client(fake).deploy_model("logreg", 2, "doubles", estimator,
                                                progress=lines.append, timeout=30)
        self.assertEqual(len(lines), 3, lines)
        self.assertRegex(lines[0], r"^Uploaded the sklearn model \(\d+ bytes\) as " + digest)
        self.assertEqual(lines[1], "Added model logreg:2 (sklearn runtime, doubles inputs); "
                                   "waiting up to 30 s for a replica UP")
        self.assertEqual(lines[2], "Replica 1 of logreg:2 is UP at 127.0.0.1:40211")

    def test_a_refused_add_model_raises_clipper_error_and_does_not_wait(self):
        fake = self.admin(add_model=[(400, {"error": "Unknown container", "cause": "sklearn"})])
        estimator, _ = self.estimator()
        with self.assertRaisesRegex(ClipperError, r"\[400\] Unknown container \(sklearn\)"):
            self.client(fake).deploy_model("logreg", 1, "doubles", estimator)
        self.assertEqual(len(fake.requests), 2)


class DeployFileTest(ClientTestCase):

    def artifact(self, name, data=b"model bytes"):
        """A file called name holding data, in a folder removed after the test."""
        folder = tempfile.mkdtemp(prefix="clipper-client-test-")
        self.addCleanup(shutil.rmtree, folder, True)
        path = os.path.join(folder, name)
        with open(path, "wb") as target:
            target.write(data)
        return path

    def test_uploads_the_file_and_adds_it_with_the_runtime_of_its_ending(self):
        fake = self.admin(get_replicas=[(200, [UP])])
        path = self.artifact("booster.ubj")
        digest = self.client(fake).deploy_file("xgb", 4, "floats", path, sample_input=[1, 2],
                                               env={"NTHREAD": 1}, batch_size=16)
        self.assertEqual(digest, "sha256:" + hashlib.sha256(b"model bytes").hexdigest())
        self.assertEqual(fake.artifacts, {digest: b"model bytes"})
        self.assertEqual(fake.calls()[1:], [
            ("/admin/add_model", {"model_name": "xgb", "model_version": "4",
                                  "input_type": "floats", "container_name": "xgboost",
                                  "model_data_path": digest, "batch_size": 16,
                                  "env": {"NTHREAD": "1"}, "sample_input": [1, 2]}),
            ("/admin/get_replicas", {"model_name": "xgb", "model_version": "4"})])

    def test_a_jar_needs_model_class_and_nothing_is_sent_without_it(self):
        fake = self.admin(get_replicas=[(200, [UP])])
        client = self.client(fake)
        path = self.artifact("model.jar")
        with self.assertRaisesRegex(ValueError, "env MODEL_CLASS"):
            client.deploy_file("j", 1, "doubles", path)
        self.assertEqual(fake.requests, [])
        client.deploy_file("j", 1, "doubles", path, env={"MODEL_CLASS": "com.example.Sum"})
        added = fake.calls()[1][1]
        self.assertEqual((added["container_name"], added["env"]),
                         ("java", {"MODEL_CLASS": "com.example.Sum"}))

    def test_an_unknown_ending_needs_a_framework(self):
        fake = self.admin(get_replicas=[(200, [UP])])
        path = self.artifact("model.bin")
        with self.assertRaisesRegex(ValueError, "Cannot tell which runtime serves model.bin "
                                                "from its ending '.bin'"):
            self.client(fake).deploy_file("m", 1, "doubles", path)
        self.assertEqual(fake.requests, [])
        self.client(fake).deploy_file("m", 1, "doubles", path, framework="sklearn")
        self.assertEqual(fake.calls()[1][1]["container_name"], "sklearn")

    def test_a_replica_that_exits_raises_deploy_error_with_its_output(self):
        fake = self.admin(get_replicas=[(200, [EXITED])])
        with self.assertRaisesRegex(DeployError, "replica 2 exited:\n.*INFO.*\nclipper runtime "
                                                 "sklearn: The model failed on its sample input"):
            self.client(fake).deploy_file("m", 1, "doubles", self.artifact("m.pkl"))


class FileEndingTest(unittest.TestCase):

    def test_each_ending_names_its_runtime_in_any_case(self):
        cases = {"m.pkl": "sklearn", "m.pickle": "sklearn", "dir.v2/m.joblib": "sklearn",
                 "m.json": "xgboost", "M.UBJ": "xgboost", "m.pt": "pytorch", "m.pth": "pytorch",
                 "m.jar": "java", "f.cloudpickle": "python-closure"}
        for path, framework in cases.items():
            with self.subTest(path=path):
                self.assertEqual(framework_of_file(path), framework)
        for path in ("m.bin", "model", "m.pkl.gz", "dir.pkl/model"):
            with self.subTest(path=path):
                with self.assertRaisesRegex(ValueError, "Cannot tell which runtime serves"):
                    framework_of_file(path)


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

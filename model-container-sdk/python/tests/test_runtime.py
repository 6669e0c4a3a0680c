"""The framework runtimes (clipper_container.runtime, runtimes/<name>/run): fetching an artifact by
digest from a real HTTP server, verifying and caching it, loading it per framework, predicting a
whole batch in one call, and failing with one clear line.

A framework that is not installed is skipped and says which Debian package it needs.
"""

import hashlib
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

import support
from support import RUNTIMES_DIR, SDK_DIR, ContainerTestCase
from clipper_container import runtime
from clipper_container.runtime import StartupError


from support import SKIP_NO_CLOUDPICKLE, SKIP_NO_SKLEARN, SKIP_NO_TORCH, SKIP_NO_XGBOOST

# Sizes of the batches CountingLogisticRegression.predict was called with, in this process.
PREDICT_CALLS = []


def digest_of(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


class ArtifactServer:
    """A local HTTP server answering GET /admin/artifacts/<digest> for the artifacts it holds
    (404 JSON otherwise), recording each request's path and Authorization header."""

    def __init__(self, artifacts=()):
        self.artifacts = {digest_of(data): data for data in artifacts}
        self.requests = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                fake.requests.append((self.path, self.headers["Authorization"]))
                data = fake.artifacts.get(self.path.rsplit("/", 1)[-1])
                status = 200 if data is not None else 404
                if data is None:
                    data = json.dumps({"error": "No artifact", "cause": self.path}).encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def url(self, digest):
        return "http://127.0.0.1:%d/admin/artifacts/%s" % (self.server.server_port, digest)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class RuntimeTestCase(ContainerTestCase):

    def setUp(self):
        self.cache = tempfile.mkdtemp(prefix="clipper-artifacts-test-")
        self.addCleanup(shutil.rmtree, self.cache, True)

    def serve_artifacts(self, *artifacts):
        server = ArtifactServer(artifacts)
        self.addCleanup(server.close)
        return server

    def prepared(self, framework, data, **env):
        """The runtime's predict for data, fetched over HTTP as the launcher's env says."""
        server = self.serve_artifacts(data)
        digest = digest_of(data)
        return runtime.prepare(framework, dict(env, CLIPPER_ARTIFACT_URL=server.url(digest),
                                               CLIPPER_ARTIFACT_DIGEST=digest,
                                               CLIPPER_ARTIFACT_CACHE=self.cache))

    def assertFailsWith(self, message_part, call, *args, **kwargs):
        """Asserts call raises StartupError with one line containing message_part."""
        with self.assertRaises(StartupError) as raised:
            call(*args, **kwargs)
        message = str(raised.exception)
        self.assertIn(message_part, message)
        self.assertNotIn("\n", message)
        return message


class FetchTest(RuntimeTestCase):

    def test_fetches_the_artifact_verifies_it_and_caches_it_under_its_digest(self):
        data = os.urandom(3 * runtime.CHUNK_BYTES + 17)  # several chunks
        server = self.serve_artifacts(data)
        digest = digest_of(data)
        path = runtime.fetch_artifact(server.url(digest), digest, self.cache)
        self.assertEqual(path, os.path.join(self.cache, digest))
        with open(path, "rb") as fetched:
            self.assertEqual(fetched.read(), data)
        self.assertEqual(os.listdir(self.cache), [digest])
        self.assertEqual(server.requests, [("/admin/artifacts/" + digest, None)])

    def test_sends_the_management_token_as_a_bearer_token(self):
        server = self.serve_artifacts(b"model")
        runtime.fetch_artifact(server.url(digest_of(b"model")), digest_of(b"model"), self.cache,
                               token="s3cret")
        self.assertEqual(server.requests[0][1], "Bearer s3cret")

    def test_reuses_a_cached_artifact_that_verifies_without_fetching_it(self):
        server = self.serve_artifacts(b"model")
        digest = digest_of(b"model")
        first = runtime.fetch_artifact(server.url(digest), digest, self.cache)
        again = runtime.fetch_artifact(server.url(digest), digest, self.cache)
        self.assertEqual(first, again)
        self.assertEqual(len(server.requests), 1)
        self.assertEqual(runtime.fetch_artifact(None, digest, self.cache), first)

    def test_fetches_again_when_the_cached_file_does_not_verify(self):
        server = self.serve_artifacts(b"model")
        digest = digest_of(b"model")
        with open(os.path.join(self.cache, digest), "wb") as damaged:
            damaged.write(b"mode")
        path = runtime.fetch_artifact(server.url(digest), digest, self.cache)
        with open(path, "rb") as fetched:
            self.assertEqual(fetched.read(), b"model")
        self.assertEqual(len(server.requests), 1)

    def test_refuses_bytes_that_do_not_match_the_digest_and_keeps_none_of_them(self):
        server = self.serve_artifacts(b"other model")
        wanted = digest_of(b"model")
        server.artifacts[wanted] = b"other model"  # a store that answers the wrong bytes
        message = self.assertFailsWith("refusing to load it", runtime.fetch_artifact,
                                       server.url(wanted), wanted, self.cache)
        self.assertIn("is %s, not %s" % (digest_of(b"other model"), wanted), message)
        self.assertEqual(os.listdir(self.cache), [])

    def test_a_failed_download_says_what_went_wrong(self):
        server = self.serve_artifacts()
        digest = digest_of(b"model")
        message = self.assertFailsWith("HTTP 404", runtime.fetch_artifact, server.url(digest),
                                       digest, self.cache)
        self.assertIn("No artifact", message)
        closed = "http://127.0.0.1:%d/admin/artifacts/%s" % (support.free_port(), digest)
        self.assertFailsWith("Cannot fetch %s from %s" % (digest, closed),
                             runtime.fetch_artifact, closed, digest, self.cache)
        self.assertFailsWith("CLIPPER_ARTIFACT_URL is not set", runtime.fetch_artifact, "",
                             digest, self.cache)
        self.assertEqual(os.listdir(self.cache), [])

    def test_takes_only_a_sha256_digest(self):
        upper = "SHA256:" + "AB" * 32
        self.assertEqual(runtime.parse_digest(upper), "sha256:" + "ab" * 32)
        for bad in (None, "", "ab" * 32, "sha256:abc", "md5:" + "ab" * 16, "sha256:" + "g" * 64):
            with self.subTest(digest=bad):
                self.assertFailsWith("must be sha256:<64 hex digits>", runtime.parse_digest, bad)


class FrameworkTest(RuntimeTestCase):

    def test_an_unknown_framework_names_the_runtimes(self):
        self.assertFailsWith("Unknown framework 'tensorflow': the runtimes are python-closure, "
                             "sklearn, xgboost, pytorch", runtime.prepare, "tensorflow", {})

    def test_a_missing_package_names_the_debian_package_to_install(self):
        self.numpy()  # the runtimes ask for numpy first, so without it that is what they name
        cases = [("sklearn", "sklearn", "python3-sklearn"),
                 ("xgboost", "xgboost", "python3-xgboost"), ("pytorch", "torch", "python3-torch"),
                 ("python-closure", "cloudpickle", "python3-cloudpickle")]
        for framework, module, package in cases:
            # None in sys.modules makes importing the module fail, as if it were not installed.
            with self.subTest(framework=framework), mock.patch.dict(sys.modules, {module: None}):
                self.assertFailsWith("The %s runtime needs %s: apt-get install %s"
                                     % (framework, package, package),
                                     runtime.framework_named, framework)

    def test_results_become_one_json_text_per_row(self):
        numpy = self.numpy()
        self.assertEqual(runtime.to_json_rows(numpy.array([3, 1], dtype=numpy.int64)), ["3", "1"])
        self.assertEqual(runtime.to_json_rows(numpy.array([[0.5, 0.25]], dtype=numpy.float32)),
                         ["[0.5, 0.25]"])
        self.assertEqual(runtime.to_json_rows(numpy.array(["cat", "dog"])), ['"cat"', '"dog"'])
        self.assertEqual(runtime.to_json_rows([numpy.float64(1.5), [numpy.int32(2)]]),
                         ["1.5", "[2]"])

    def test_a_batch_of_inputs_of_different_lengths_is_refused_with_their_lengths(self):
        numpy = self.numpy()
        self.assertEqual(runtime.stack([numpy.zeros(2), numpy.ones(2)]).shape, (2, 2))
        self.assertEqual(runtime.stack(["a b", "c"]), ["a b", "c"])
        with self.assertRaisesRegex(ValueError, "mixes lengths 2, 3"):
            runtime.stack([numpy.zeros(2), numpy.zeros(3)])

    def numpy(self):
        if importlib.util.find_spec("numpy") is None:
            self.skipTest("skipping: numpy not installed (apt-get install python3-numpy)")
        import numpy
        return numpy


def small_classification():
    """60 rows of 4 features in 3 classes, and 5 rows to predict."""
    import numpy
    random = numpy.random.RandomState(0)
    features = random.rand(60, 4)
    labels = (features[:, 0] * 3).astype(int)
    return features, labels, random.rand(5, 4)


def fitted_logistic_regression(cls=None):
    from sklearn.linear_model import LogisticRegression
    features, labels, queries = small_classification()
    return (cls or LogisticRegression)().fit(features, labels), queries


def joblib_bytes(model):
    import joblib
    buffer = io.BytesIO()
    joblib.dump(model, buffer)
    return buffer.getvalue()


if importlib.util.find_spec("sklearn") is not None:
    from sklearn.linear_model import LogisticRegression

    class CountingLogisticRegression(LogisticRegression):
        """Records the size of each batch it predicts in PREDICT_CALLS."""

        def predict(self, X):
            PREDICT_CALLS.append(len(X))
            return super().predict(X)


@SKIP_NO_SKLEARN
class SklearnRuntimeTest(RuntimeTestCase):

    def test_predicts_a_whole_batch_in_one_call_as_the_estimator_does(self):
        estimator, queries = fitted_logistic_regression(CountingLogisticRegression)
        predict = self.prepared("sklearn", joblib_bytes(estimator))
        del PREDICT_CALLS[:]
        outputs = predict(list(queries))
        self.assertEqual(PREDICT_CALLS, [5])
        self.assertEqual(outputs, [json.dumps(int(y)) for y in estimator.predict(queries)])

    def test_reads_a_plain_pickle_too(self):
        import pickle
        estimator, queries = fitted_logistic_regression()
        predict = self.prepared("sklearn", pickle.dumps(estimator))
        self.assertEqual(predict(list(queries)),
                         [str(int(y)) for y in estimator.predict(queries)])

    def test_answers_predict_proba_rows_when_predict_method_says_so(self):
        estimator, queries = fitted_logistic_regression()
        predict = self.prepared("sklearn", joblib_bytes(estimator),
                                PREDICT_METHOD="predict_proba")
        rows = [json.loads(output) for output in predict(list(queries))]
        self.assertEqual(rows, estimator.predict_proba(queries).tolist())

    def test_refuses_a_predict_method_the_estimator_lacks(self):
        estimator, _ = fitted_logistic_regression()
        self.assertFailsWith("the LogisticRegression has no method transform (PREDICT_METHOD)",
                             self.prepared, "sklearn", joblib_bytes(estimator),
                             PREDICT_METHOD="transform")

    def test_gives_a_text_pipeline_its_strings_as_they_are(self):
        from sklearn.feature_extraction.text import CountVectorizer
        from sklearn.naive_bayes import MultinomialNB
        from sklearn.pipeline import make_pipeline
        texts = ["good fine great", "bad awful", "great good", "awful bad bad"]
        pipeline = make_pipeline(CountVectorizer(), MultinomialNB()).fit(texts, list("+-+-"))
        predict = self.prepared("sklearn", joblib_bytes(pipeline))
        self.assertEqual(predict(["fine good", "bad"]), ['"+"', '"-"'])

    def test_an_artifact_that_does_not_load_fails_with_the_loaders_message(self):
        data = b"not a pickle at all\nsecond line"
        message = self.assertFailsWith("Cannot load the sklearn artifact %s: " % digest_of(data),
                                       self.prepared, "sklearn", data)
        self.assertNotIn("Traceback", message)


@SKIP_NO_CLOUDPICKLE
class ClosureRuntimeTest(RuntimeTestCase):

    def test_serves_the_pickled_function_itself(self):
        import cloudpickle
        offset = 10  # captured, so cloudpickle pickles the closure by value

        def predict(inputs):
            return [str(sum(x) + offset) for x in inputs]

        loaded = self.prepared("python-closure", cloudpickle.dumps(predict))
        self.assertEqual(loaded([[1, 2], [3]]), ["13", "13"])

    def test_an_artifact_that_is_not_a_function_is_refused(self):
        import cloudpickle
        self.assertFailsWith("TypeError: the artifact holds a dict, not a function",
                             self.prepared, "python-closure", cloudpickle.dumps({"a": 1}))

    def test_an_artifact_that_does_not_unpickle_fails_with_one_line(self):
        self.assertFailsWith("Cannot load the python-closure artifact", self.prepared,
                             "python-closure", b"\x80\x05garbage")


@SKIP_NO_XGBOOST
class XgboostRuntimeTest(RuntimeTestCase):

    def test_loads_json_and_ubjson_boosters_from_their_bytes_and_predicts_like_them(self):
        import numpy
        import xgboost
        features, labels, queries = small_classification()
        booster = xgboost.train({"objective": "multi:softprob", "num_class": 3},
                                xgboost.DMatrix(features, label=labels), num_boost_round=3)
        expected = booster.predict(xgboost.DMatrix(queries))
        for model_format in ("json", "ubj"):
            with self.subTest(format=model_format):
                predict = self.prepared("xgboost", bytes(booster.save_raw(model_format)))
                rows = [json.loads(output) for output in predict(list(queries))]
                numpy.testing.assert_allclose(rows, expected, rtol=1e-6)

    def test_bytes_that_are_no_booster_fail_with_the_first_line_of_xgboosts_message(self):
        message = self.assertFailsWith("Cannot load the xgboost artifact", self.prepared,
                                       "xgboost", b"garbage bytes")
        self.assertNotIn("Stack trace", message)


@SKIP_NO_TORCH
class PytorchRuntimeTest(RuntimeTestCase):

    def test_runs_a_torchscript_module_on_float32_rows_of_the_batch(self):
        import torch
        linear = torch.nn.Linear(4, 2)
        module = torch.jit.script(torch.nn.Sequential(linear, torch.nn.Softmax(dim=1)))
        buffer = io.BytesIO()
        torch.jit.save(module, buffer)
        _, _, queries = small_classification()
        predict = self.prepared("pytorch", buffer.getvalue())
        rows = [json.loads(output) for output in predict(list(queries))]
        with torch.no_grad():
            expected = module(torch.tensor(queries, dtype=torch.float32)).tolist()
        self.assertEqual(rows, expected)

    def test_bytes_that_are_no_torchscript_fail_with_one_line(self):
        self.assertFailsWith("Cannot load the pytorch artifact", self.prepared, "pytorch",
                             b"garbage bytes")


@SKIP_NO_SKLEARN
class RuntimeProcessTest(RuntimeTestCase):
    """The runtime as the launcher starts it: the run script or python3 -m, env, gRPC."""

    def test_the_sklearn_run_script_fetches_verifies_and_serves_the_estimator(self):
        estimator, queries = fitted_logistic_regression()
        data = joblib_bytes(estimator)
        server = self.serve_artifacts(data)
        process, port = self.run_script(
            os.path.join(RUNTIMES_DIR, "sklearn", "run"), "logreg",
            CLIPPER_ARTIFACT_URL=server.url(digest_of(data)),
            CLIPPER_ARTIFACT_DIGEST=digest_of(data), CLIPPER_ARTIFACT_CACHE=self.cache,
            CLIPPER_MANAGEMENT_AUTH_TOKEN="s3cret")
        outputs = self.predict(port, queries.tolist())
        self.assertEqual(outputs, [str(int(y)) for y in estimator.predict(queries)])
        self.assertEqual(server.requests, [("/admin/artifacts/" + digest_of(data),
                                            "Bearer s3cret")])

    def test_exits_1_with_one_line_and_no_traceback_when_the_digest_does_not_match(self):
        server = self.serve_artifacts(b"tampered")
        wanted = digest_of(b"model")
        server.artifacts[wanted] = b"tampered"
        finished = subprocess.run(
            [sys.executable, "-m", "clipper_container.runtime", "sklearn"],
            env=dict(os.environ, PYTHONPATH=SDK_DIR, CLIPPER_PORT=str(support.free_port()),
                     CLIPPER_ARTIFACT_URL=server.url(wanted), CLIPPER_ARTIFACT_DIGEST=wanted,
                     CLIPPER_ARTIFACT_CACHE=self.cache),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=30)
        stderr = finished.stderr.decode()
        self.assertEqual(finished.returncode, 1, stderr)
        self.assertEqual(stderr.strip().splitlines(), [
            "clipper runtime sklearn: The artifact fetched from %s is %s, not %s: refusing to "
            "load it" % (server.url(wanted), digest_of(b"tampered"), wanted)])

    def test_predicts_its_sample_input_before_serving_and_exits_1_when_the_model_fails_on_it(self):
        estimator, queries = fitted_logistic_regression()  # 4 features
        data = joblib_bytes(estimator)
        server = self.serve_artifacts(data)
        env = dict(CLIPPER_ARTIFACT_URL=server.url(digest_of(data)),
                   CLIPPER_ARTIFACT_DIGEST=digest_of(data), CLIPPER_ARTIFACT_CACHE=self.cache)
        _, port = self.run_script(os.path.join(RUNTIMES_DIR, "sklearn", "run"), "logreg",
                                  CLIPPER_SAMPLE_INPUT="0.1,0.2,0.3,0.4", **env)
        self.assertEqual(self.predict(port, queries.tolist()),
                         [str(int(y)) for y in estimator.predict(queries)])

        finished = subprocess.run(
            [sys.executable, "-m", "clipper_container.runtime", "sklearn"],
            env=dict(os.environ, PYTHONPATH=SDK_DIR, CLIPPER_PORT=str(support.free_port()),
                     CLIPPER_SAMPLE_INPUT="1,2,3", **env),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)
        stderr = finished.stderr.decode()
        self.assertEqual(finished.returncode, 1, stderr)
        last = stderr.strip().splitlines()[-1]  # after the fetch and load lines
        self.assertEqual(last, "clipper runtime sklearn: The model failed on its sample input: "
                               "ValueError: X has 3 features, but LogisticRegression is expecting "
                               "4 features as input.")
        self.assertNotIn("Traceback", stderr)


if __name__ == "__main__":
    unittest.main()

"""The client's command line (python3 -m clipper_client deploy, ./clipper deploy) against the fake
admin API of test_client: its arguments, the framework from the file's ending, the app and link
steps, the lines it prints and its exit status.
"""

import hashlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout
from unittest import mock

import support  # noqa: F401  (puts the SDK on sys.path)
from support import REPO_DIR, SDK_DIR
from test_client import EXITED, UP, FakeAdmin
from clipper_client import cli


class CliTestCase(unittest.TestCase):

    def setUp(self):
        self.folder = tempfile.mkdtemp(prefix="clipper-cli-test-")
        self.addCleanup(shutil.rmtree, self.folder, True)

    def admin(self, **answers):
        answers.setdefault("get_replicas", [(200, [UP])])
        fake = FakeAdmin(**answers)
        self.addCleanup(fake.close)
        return fake

    def artifact(self, name, data=b"model bytes"):
        path = os.path.join(self.folder, name)
        with open(path, "wb") as target:
            target.write(data)
        return path

    def deploy(self, fake, *args):
        """Runs `deploy ARGS --url <fake>` in this process: (status, stdout, stderr)."""
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            try:
                status = cli.main(["deploy", "--url", fake.url, "--timeout", "5"] + list(args))
            except SystemExit as exit:  # argparse's usage errors
                status = exit.code
        return status, out.getvalue(), err.getvalue()

    def added(self, fake):
        """The add_model request the fake received."""
        [request] = [body for path, body in fake.calls() if path == "/admin/add_model"]
        return request


class DeployCommandTest(CliTestCase):

    def test_uploads_adds_and_waits_printing_one_line_per_step(self):
        fake = self.admin()
        path = self.artifact("digits.pkl")
        status, out, err = self.deploy(fake, "digits-logreg", "3", path)
        self.assertEqual((status, err), (0, ""))
        digest = "sha256:" + hashlib.sha256(b"model bytes").hexdigest()
        self.assertEqual(fake.artifacts, {digest: b"model bytes"})
        self.assertEqual([path for path, _ in fake.calls()],
                         ["/admin/upload_artifact", "/admin/add_model", "/admin/get_replicas"])
        self.assertEqual(self.added(fake), {
            "model_name": "digits-logreg", "model_version": "3", "input_type": "doubles",
            "container_name": "sklearn", "model_data_path": digest, "batch_size": -1})
        self.assertEqual(out.splitlines(), [
            "Uploaded %s (11 bytes) as %s" % (path, digest),
            "Added model digits-logreg:3 (sklearn runtime, doubles inputs); waiting up to 5 s "
            "for a replica UP",
            "Replica 1 of digits-logreg:3 is UP at 127.0.0.1:40211"])

    def test_takes_the_framework_from_the_files_ending(self):
        cases = {"m.pkl": "sklearn", "m.pickle": "sklearn", "m.joblib": "sklearn",
                 "m.json": "xgboost", "m.ubj": "xgboost", "m.pt": "pytorch", "m.pth": "pytorch",
                 "f.cloudpickle": "python-closure", "m.JobLib": "sklearn"}
        for name, framework in cases.items():
            with self.subTest(file=name):
                fake = self.admin()
                status, _, err = self.deploy(fake, "m", "1", self.artifact(name))
                self.assertEqual(status, 0, err)
                self.assertEqual(self.added(fake)["container_name"], framework)
                self.assertNotIn("env", self.added(fake))

    def test_a_jar_is_java_and_needs_class_which_goes_in_model_class(self):
        fake = self.admin()
        jar = self.artifact("sum.jar")
        status, _, err = self.deploy(fake, "sum", "1", jar, "--class", "com.example.Sum")
        self.assertEqual(status, 0, err)
        self.assertEqual((self.added(fake)["container_name"], self.added(fake)["env"]),
                         ("java", {"MODEL_CLASS": "com.example.Sum"}))
        fake = self.admin()
        status, _, err = self.deploy(fake, "sum", "1", jar)
        self.assertEqual(status, 2)
        self.assertIn("a jar needs --class", err)
        self.assertEqual(fake.requests, [])

    def test_framework_overrides_the_ending_and_an_unknown_ending_needs_it(self):
        fake = self.admin()
        status, _, err = self.deploy(fake, "m", "1", self.artifact("model.bin"))
        self.assertEqual(status, 2)
        self.assertIn("error: Cannot tell which runtime serves model.bin from its ending '.bin'",
                      err)
        self.assertIn("usage:", err)
        self.assertEqual(fake.requests, [])
        for name in ("model.bin", "model.json"):
            with self.subTest(file=name):
                fake = self.admin()
                status, _, err = self.deploy(fake, "m", "1", self.artifact(name),
                                             "--framework", "pytorch")
                self.assertEqual(status, 0, err)
                self.assertEqual(self.added(fake)["container_name"], "pytorch")

    def test_refuses_arguments_that_do_not_fit_before_sending_anything(self):
        cases = [(["--class", "C"], "--class is for a jar (the java runtime), not sklearn"),
                 (["--sample-input", "hello"], "--sample-input takes JSON"),
                 (["--sample-input", "5"], "--sample-input takes JSON"),
                 (["--env", "NOEQUALS"], "--env takes NAME=VALUE, not 'NOEQUALS'"),
                 (["--timeout", "0"], "--timeout must be positive"),
                 (["--timeout", "soon"], "invalid float value: 'soon'")]
        for extra, message in cases:
            with self.subTest(extra=extra):
                fake = self.admin()
                status, out, err = self.deploy(fake, "m", "1", self.artifact("m.pkl"), *extra)
                self.assertEqual((status, out), (2, ""))
                self.assertIn(message, err)
                self.assertEqual(fake.requests, [])
        fake = self.admin()
        with redirect_stderr(io.StringIO()) as err, self.assertRaises(SystemExit) as exit:
            cli.main(["deploy", "m", "1"])  # no FILE
        self.assertEqual(exit.exception.code, 2)
        self.assertIn("the following arguments are required: FILE", err.getvalue())

    def test_sends_the_sample_input_env_input_type_and_token(self):
        fake = self.admin()
        status, _, err = self.deploy(fake, "m", "1", self.artifact("m.pkl"),
                                     "--sample-input", "[1, 2.5, -3]", "--input-type", "floats",
                                     "--env", "PREDICT_METHOD=predict_proba", "--env", "A=b=c",
                                     "--token", "s3cret")
        self.assertEqual(status, 0, err)
        added = self.added(fake)
        self.assertEqual((added["sample_input"], added["input_type"], added["env"]),
                         ([1, 2.5, -3], "floats", {"PREDICT_METHOD": "predict_proba", "A": "b=c"}))
        self.assertEqual({headers.get("Authorization") for _, _, headers, _ in fake.requests},
                         {"Bearer s3cret"})
        fake = self.admin()
        status, _, err = self.deploy(fake, "m", "1", self.artifact("m.pkl"),
                                     "--input-type", "strings", "--sample-input", '"some text"')
        self.assertEqual(status, 0, err)
        self.assertEqual(self.added(fake)["sample_input"], "some text")

    def test_the_token_defaults_to_the_services_variable(self):
        fake = self.admin()
        with mock.patch.dict(os.environ, {"CLIPPER_MANAGEMENT_AUTH_TOKEN": "from-env"}):
            status, _, err = self.deploy(fake, "m", "1", self.artifact("m.pkl"))
        self.assertEqual(status, 0, err)
        self.assertEqual(fake.requests[0][2]["Authorization"], "Bearer from-env")

    def test_creates_a_missing_app_then_links_the_model(self):
        fake = self.admin()  # get_application answers {}: no such app
        status, out, err = self.deploy(fake, "m", "1", self.artifact("m.pkl"), "--app", "digits",
                                       "--input-type", "ints")
        self.assertEqual(status, 0, err)
        self.assertEqual(fake.calls()[3:], [
            ("/admin/get_application", {"name": "digits"}),
            ("/admin/add_app", {"name": "digits", "input_type": "ints", "default_output": "-1",
                                "latency_slo_micros": 100000}),
            ("/admin/add_model_links", {"app_name": "digits", "model_names": ["m"]})])
        self.assertEqual(out.splitlines()[3:], [
            "Created app digits (ints inputs, default output -1, SLO 100000 us)",
            "Linked model m to app digits"])

    def test_links_to_an_existing_app_once(self):
        app = {"name": "digits", "input_type": "doubles", "linked_models": []}
        fake = self.admin(get_application=[(200, app)])
        status, out, err = self.deploy(fake, "m", "1", self.artifact("m.pkl"), "--app", "digits")
        self.assertEqual(status, 0, err)
        self.assertEqual([path for path, _ in fake.calls()[3:]],
                         ["/admin/get_application", "/admin/add_model_links"])
        self.assertEqual(out.splitlines()[3:], ["App digits exists (doubles inputs)",
                                                "Linked model m to app digits"])
        fake = self.admin(get_application=[(200, dict(app, linked_models=["m"]))])
        status, out, err = self.deploy(fake, "m", "2", self.artifact("m.pkl"), "--app", "digits")
        self.assertEqual(status, 0, err)
        self.assertEqual([path for path, _ in fake.calls()[3:]], ["/admin/get_application"])
        self.assertEqual(out.splitlines()[-1], "Model m is already linked to app digits")

    def test_exits_1_with_the_services_error_or_the_replicas_last_output(self):
        cases = [
            ({"add_model": [(400, {"error": "Invalid request", "cause": "bad input_type"})]},
             "error: [400] Invalid request (bad input_type)"),
            ({"get_replicas": [(200, [EXITED])]},
             "error: Model m:1 did not start: replica 2 exited:\n"),
            ({"add_model_links": [(409, {"error": "Conflict", "cause": "incompatible"})]},
             "error: [409] Conflict (incompatible)"),
        ]
        for answers, message in cases:
            with self.subTest(message=message):
                fake = self.admin(**answers)
                status, _, err = self.deploy(fake, "m", "1", self.artifact("m.pkl"),
                                             "--app", "app")
                self.assertEqual(status, 1)
                self.assertTrue(err.startswith(message), err)
        self.assertIn("clipper runtime sklearn: The model failed on its sample input", EXITED[
            "last_exit"])
        fake = self.admin()
        status, _, err = self.deploy(fake, "m", "1", os.path.join(self.folder, "missing.pkl"))
        self.assertEqual((status, fake.requests), (1, []))
        self.assertEqual(err.strip(), "error: cannot read %s: No such file or directory"
                         % os.path.join(self.folder, "missing.pkl"))


class CommandProcessTest(CliTestCase):
    """python3 -m clipper_client and ./clipper deploy as processes."""

    def run_command(self, command, **env):
        return subprocess.run(command, capture_output=True, text=True, timeout=60,
                              env=dict(os.environ, **env))

    def test_python_m_clipper_client_deploy(self):
        fake = self.admin()
        done = self.run_command([sys.executable, "-m", "clipper_client", "deploy", "m", "1",
                                 self.artifact("m.pt"), "--url", fake.url], PYTHONPATH=SDK_DIR)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(len(done.stdout.splitlines()), 3, done.stdout)
        self.assertEqual(self.added(fake)["container_name"], "pytorch")

    def test_clipper_deploy_uses_the_local_management_port_unless_given_a_url(self):
        script = os.path.join(REPO_DIR, "clipper")
        fake = self.admin()
        port = str(fake.server.server_port)
        done = self.run_command([script, "deploy", "m", "1", self.artifact("m.ubj")],
                                CLIPPER_MANAGEMENT_PORT=port)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("Replica 1 of m:1 is UP", done.stdout)
        self.assertEqual(self.added(fake)["container_name"], "xgboost")
        other = self.admin()
        done = self.run_command([script, "deploy", "m", "1", self.artifact("m.ubj"),
                                 "--url=" + other.url], CLIPPER_MANAGEMENT_PORT=port)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(len(other.requests), 3)
        self.assertEqual(len(fake.requests), 3)  # nothing more than the first deploy's

    def test_clipper_usage_lists_both_commands(self):
        done = self.run_command([os.path.join(REPO_DIR, "clipper")])
        self.assertEqual(done.returncode, 2)
        self.assertIn("./clipper up", done.stdout)
        self.assertIn("./clipper deploy NAME VERSION FILE [options]", done.stdout)


if __name__ == "__main__":
    unittest.main()

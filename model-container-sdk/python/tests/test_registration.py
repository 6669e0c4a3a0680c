"""Self-registration: POST <url>/admin/add_replica, retried while the service is down or failing."""

import json
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, HTTPServer

import support
from support import ContainerTestCase
from clipper_container import ContainerConfig, InputType, RegistrationError
from clipper_container.registration import register


class FakeManagementService:
    """A local HTTP server answering add_replica with the given statuses, then 200."""

    def __init__(self, statuses=()):
        self.statuses = list(statuses)
        self.requests = []
        self.authorizations = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                fake.requests.append((self.path, self.headers["Content-Type"], json.loads(body)))
                fake.authorizations.append(self.headers["Authorization"])
                status = fake.statuses.pop(0) if fake.statuses else 200
                answer = json.dumps({"message": "status %d" % status}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        self.url = "http://127.0.0.1:%d" % self.server.server_port

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def config_for(url, token=None):
    return ContainerConfig("pysum", "2", InputType.DOUBLES, 0, "10.1.2.3", url, token)


class RegistrationTest(ContainerTestCase):

    def fake(self, statuses=()):
        service = FakeManagementService(statuses)
        self.addCleanup(service.close)
        return service

    def test_posts_the_replica_as_json_to_add_replica(self):
        service = self.fake()
        self.assertTrue(register(config_for(service.url + "/"), 7123))
        self.assertEqual(service.requests, [("/admin/add_replica", "application/json", {
            "model_name": "pysum", "model_version": "2", "input_type": "doubles",
            "host": "10.1.2.3", "port": 7123})])
        self.assertEqual(service.authorizations, [None])

    def test_sends_the_management_token_as_a_bearer_token(self):
        service = self.fake()
        self.assertTrue(register(config_for(service.url, "s3cret"), 7123))
        self.assertEqual(service.authorizations, ["Bearer s3cret"])

    def test_retries_while_the_service_answers_5xx(self):
        service = self.fake([503, 500])
        self.assertTrue(register(config_for(service.url), 7123, within_seconds=10))
        self.assertEqual(len(service.requests), 3)

    def test_fails_at_once_when_the_service_refuses(self):
        service = self.fake([409])
        with self.assertRaisesRegex(RegistrationError, "refused the registration \\(409\\)"):
            register(config_for(service.url), 7123, within_seconds=10)
        self.assertEqual(len(service.requests), 1)

    def test_gives_up_after_the_time_allowed_when_nothing_listens(self):
        began = time.monotonic()
        url = "http://127.0.0.1:%d" % support.free_port()
        with self.assertRaisesRegex(RegistrationError, "Could not register"):
            register(config_for(url), 7123, within_seconds=1.5)
        self.assertLess(time.monotonic() - began, 5)

    def test_a_started_container_registers_the_port_it_bound(self):
        service = self.fake()
        container = support.start(lambda inputs: ["0"] * len(inputs), config_for(service.url))
        self.addCleanup(lambda: container.stop(0).wait(5))
        self.assertEqual(service.requests[0][2]["port"], container.port)
        self.assertNotEqual(container.port, 0)


if __name__ == "__main__":
    unittest.main()

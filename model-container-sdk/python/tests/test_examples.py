"""The example models as the process launcher runs them: the run script, CLIPPER_* env, SIGTERM."""

import importlib.util
import os
import signal
import unittest

import support
from support import MODELS_DIR


def load_model(name):
    spec = importlib.util.spec_from_file_location(
        name.replace("-", "_"), os.path.join(MODELS_DIR, name, "model.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@unittest.skipUnless(os.path.isdir(MODELS_DIR), "examples/models not found")
class ExampleModelsTest(support.ContainerTestCase):

    def test_python_sum_answers_shortest_json_sums_and_exits_0_on_sigterm(self):
        process, port = self.run_example("python-sum")
        outputs = self.predict(port, [[1, 2, 3], [1.5, 1.5, 1], [0.1, 0.2], []])
        self.assertEqual(outputs, ["6", "4", "0.30000000000000004", "0"])

        process.send_signal(signal.SIGTERM)
        self.assertEqual(process.wait(timeout=10), 0)
        self.assertIn("Received SIGTERM", process.stderr.read().decode())

    def test_python_noop_answers_0_for_any_input(self):
        _, port = self.run_example("python-noop")
        self.assertEqual(self.predict(port, [[1], [2, 3]]), ["0", "0"])

    def test_python_sum_formats_numbers_as_the_java_example_does(self):
        format_number = load_model("python-sum").format_number
        cases = {6.0: "6", -3.0: "-3", 0.5: "0.5", 1e20: "1e+20", 1e14: "100000000000000",
                 float("nan"): "NaN"}
        for value, expected in cases.items():
            with self.subTest(value=value):
                self.assertEqual(format_number(value), expected)


if __name__ == "__main__":
    unittest.main()

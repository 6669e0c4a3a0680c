"""ContainerConfig.from_env reads the same CLIPPER_* variables, defaults and aliases as Java."""

import unittest

import support  # noqa: F401  (puts the SDK on sys.path)
from clipper_container import ContainerConfig, InputType


class ContainerConfigTest(unittest.TestCase):

    def test_uses_clippers_defaults_when_nothing_is_set(self):
        config = ContainerConfig.from_env({})
        self.assertEqual(config, ContainerConfig(
            model_name="model", model_version="1", input_type=InputType.DOUBLES, port=7000,
            advertised_host="127.0.0.1", management_url=None))

    def test_reads_every_variable(self):
        config = ContainerConfig.from_env({
            "CLIPPER_MODEL_NAME": "sum", "CLIPPER_MODEL_VERSION": "3",
            "CLIPPER_INPUT_TYPE": "strings", "CLIPPER_PORT": "7123",
            "CLIPPER_CONTAINER_HOST": "10.0.0.5",
            "CLIPPER_MANAGEMENT_URL": "http://mgmt:1338",
            "CLIPPER_MANAGEMENT_AUTH_TOKEN": "s3cret"})
        self.assertEqual(config, ContainerConfig("sum", "3", InputType.STRINGS, 7123, "10.0.0.5",
                                                 "http://mgmt:1338", "s3cret"))

    def test_accepts_clippers_input_type_aliases_in_any_case(self):
        expected = {
            InputType.BYTES: ["bytes", "byte", "b", "BYTES"],
            InputType.INTS: ["integers", "integer", "ints", "int", "i", " Ints "],
            InputType.FLOATS: ["floats", "float", "f"],
            InputType.DOUBLES: ["doubles", "double", "d", "Double"],
            InputType.STRINGS: ["strings", "string", "str", "strs", "s"],
        }
        for input_type, names in expected.items():
            for name in names:
                with self.subTest(name=name):
                    config = ContainerConfig.from_env({"CLIPPER_INPUT_TYPE": name})
                    self.assertIs(config.input_type, input_type)

    def test_rejects_an_unknown_input_type_naming_the_variable(self):
        with self.assertRaisesRegex(ValueError, "CLIPPER_INPUT_TYPE.*'tensors'"):
            ContainerConfig.from_env({"CLIPPER_INPUT_TYPE": "tensors"})

    def test_rejects_a_port_that_is_not_a_number(self):
        with self.assertRaisesRegex(ValueError, "CLIPPER_PORT"):
            ContainerConfig.from_env({"CLIPPER_PORT": "seven"})

    def test_treats_a_blank_management_url_and_token_as_none(self):
        config = ContainerConfig.from_env(
            {"CLIPPER_MANAGEMENT_URL": "  ", "CLIPPER_MANAGEMENT_AUTH_TOKEN": ""})
        self.assertIsNone(config.management_url)
        self.assertIsNone(config.management_token)


if __name__ == "__main__":
    unittest.main()

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
            "CLIPPER_MANAGEMENT_AUTH_TOKEN": "s3cret", "CLIPPER_SAMPLE_INPUT": "hello"})
        self.assertEqual(config, ContainerConfig("sum", "3", InputType.STRINGS, 7123, "10.0.0.5",
                                                 "http://mgmt:1338", "s3cret", "hello"))

    def test_has_no_sample_input_unless_the_variable_is_set_even_empty(self):
        self.assertIsNone(ContainerConfig.from_env({}).sample_input)
        self.assertIsNone(ContainerConfig.from_env({}).sample())
        empty = ContainerConfig.from_env({"CLIPPER_SAMPLE_INPUT": "",
                                          "CLIPPER_INPUT_TYPE": "strings"})
        self.assertEqual(empty.sample(), "")


class SampleInputTest(unittest.TestCase):
    """sample() reads CLIPPER_SAMPLE_INPUT as the management service writes it (and as the Java
    SDK's ContainerConfig.sample() does)."""

    def sample(self, input_type, text):
        return ContainerConfig(input_type=input_type, sample_input=text).sample()

    def test_decodes_each_input_type(self):
        cases = [
            (InputType.DOUBLES, "1,2.5,-3", [1.0, 2.5, -3.0]),
            (InputType.DOUBLES, " 1.0E300 , -0.5 ", [1e300, -0.5]),  # Jackson's spelling too
            (InputType.FLOATS, "0.25,4", [0.25, 4.0]),
            (InputType.INTS, "1,-2,2147483647", [1, -2, 2147483647]),
            (InputType.DOUBLES, "", []),
            (InputType.STRINGS, "a, b,c", "a, b,c"),
            (InputType.BYTES, "AP9h", b"\x00\xffa"),
            (InputType.BYTES, "AA", b"\x00"),  # unpadded, as Java's decoder accepts
        ]
        for input_type, text, expected in cases:
            with self.subTest(input_type=input_type, text=text):
                sample = self.sample(input_type, text)
                self.assertEqual(sample, expected)
                if isinstance(expected, list):
                    kind = int if input_type is InputType.INTS else float
                    self.assertTrue(all(type(value) is kind for value in sample), sample)

    def test_rejects_text_that_is_not_of_the_input_type(self):
        cases = [(InputType.DOUBLES, "1,x", "is not doubles separated by commas: '1,x'"),
                 (InputType.INTS, "1.5", "is not ints separated by commas"),
                 (InputType.FLOATS, "1,,2", "is not floats"),
                 (InputType.BYTES, "not base64!", "is not base64 bytes")]
        for input_type, text, message in cases:
            with self.subTest(text=text):
                with self.assertRaisesRegex(ValueError, "CLIPPER_SAMPLE_INPUT " + message):
                    self.sample(input_type, text)

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

"""python3 -m clipper_digits serve KIND | train [--json] [KIND ...] | test-set.

serve: train when not cached, then serve; train: ahead of time, printing each model's test accuracy
and training time (a markdown table, or JSON with --json); test-set: the test images and labels as
JSON ({"images": [[64 pixels], ...], "labels": [...]}), for clients such as the integration tests.

serve reads LABEL_PERMUTATION (train on relabelled digits), DEGRADE_AFTER, DEGRADE_RATE,
DIGITS_CACHE_DIR and the SDK's CLIPPER_* variables. Whatever stops it before serving (a missing
framework, a bad variable) is one line on stderr and exit status 2, never a stack trace.
"""

import json
import os
import sys

from clipper_digits import kinds

USAGE = ("usage: python3 -m clipper_digits serve KIND | train [--json] [KIND ...] | test-set"
         "  (KIND: %s)" % ", ".join(kinds.KINDS))


def main(argv) -> int:
    command, args = (argv[0], argv[1:]) if argv else (None, [])
    try:
        if command == "serve" and len(args) == 1:
            return serve(args[0], os.environ)
        if command == "train":
            as_json = "--json" in args
            names = [a for a in args if a != "--json"] or list(kinds.KINDS)
            return train(names, os.environ, as_json)
        if command == "test-set" and not args:
            return test_set()
    except (kinds.MissingFramework, ValueError) as error:
        print(error, file=sys.stderr)
        return 2
    print(USAGE, file=sys.stderr)
    return 2


def serve(name, env) -> int:
    kind = kinds.kind(name)
    kind.check_installed()
    try:
        from clipper_container import serve as serve_container
    except ImportError as error:
        raise kinds.MissingFramework("digits-%s needs the Python SDK's gRPC (%s): apt-get install"
                                     " python3-grpcio python3-protobuf" % (name, error)) from None
    from clipper_digits import artifacts, data
    from clipper_digits.degradation import Degradation
    from clipper_digits.serving import DigitsPredictor

    degradation = Degradation.from_env(env)
    permutation = env.get("LABEL_PERMUTATION") or None
    if permutation:
        data.permutation(permutation)
    artifact = artifacts.load_or_train(kind, permutation, artifacts.cache_dir(env))
    serve_container(DigitsPredictor(artifact.model, degradation))
    return 0


def train(names, env, as_json=False) -> int:
    """Trains (or finds cached) each kind, plus logreg on permuted labels, and prints a table."""
    from clipper_digits import artifacts, data

    chosen = [kinds.kind(name) for name in names]
    for kind in chosen:
        kind.check_installed()
    jobs = [(kind, None) for kind in chosen]
    if any(kind.name == "logreg" for kind in chosen):
        jobs.append((kinds.kind("logreg"), env.get("LABEL_PERMUTATION") or data.PERMUTATION))
    made = {}
    for kind, permutation in jobs:
        artifact = artifacts.load_or_train(kind, permutation, artifacts.cache_dir(env))
        made["digits-%s%s" % (kind.name, "-permuted" if permutation else "")] = {
            "test_accuracy": artifact.test_accuracy, "train_seconds": artifact.train_seconds}
    if as_json:
        print(json.dumps(made))
        return 0
    print("| model | test accuracy (360 images) | training time |\n|---|---|---|")
    for name, made_one in made.items():
        print("| %s | %.4f | %.2f s |" % (name, made_one["test_accuracy"], made_one["train_seconds"]))
    return 0


def test_set() -> int:
    from clipper_digits import data

    split = data.load()
    print(json.dumps({"images": split.test_images.tolist(), "labels": split.test_labels.tolist()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

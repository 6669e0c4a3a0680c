"""python3 -m clipper_digits serve KIND | train [KIND ...]: see the package docstring.

serve reads LABEL_PERMUTATION (train on relabelled digits), DEGRADE_AFTER, DEGRADE_RATE,
DIGITS_CACHE_DIR and the SDK's CLIPPER_* variables. Whatever stops it before serving (a missing
framework, a bad variable) is one line on stderr and exit status 2, never a stack trace.
"""

import os
import sys

from clipper_digits import kinds

USAGE = "usage: python3 -m clipper_digits serve KIND | train [KIND ...]  (KIND: %s)" % ", ".join(
    kinds.KINDS)


def main(argv) -> int:
    if len(argv) < 1 or argv[0] not in ("serve", "train") or (argv[0] == "serve" and len(argv) != 2):
        print(USAGE, file=sys.stderr)
        return 2
    try:
        if argv[0] == "serve":
            return serve(argv[1], os.environ)
        return train(argv[1:] or list(kinds.KINDS), os.environ)
    except (kinds.MissingFramework, ValueError) as error:
        print(error, file=sys.stderr)
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


def train(names, env) -> int:
    """Trains (or finds cached) each kind, plus logreg on permuted labels, and prints a table."""
    from clipper_digits import artifacts, data

    chosen = [kinds.kind(name) for name in names]
    for kind in chosen:
        kind.check_installed()
    jobs = [(kind, None) for kind in chosen]
    if any(kind.name == "logreg" for kind in chosen):
        jobs.append((kinds.kind("logreg"), env.get("LABEL_PERMUTATION") or data.PERMUTATION))
    print("| model | test accuracy | training time |\n|---|---|---|")
    for kind, permutation in jobs:
        artifact = artifacts.load_or_train(kind, permutation, artifacts.cache_dir(env))
        print("| digits-%s%s | %.4f | %.2f s |" % (kind.name, "-permuted" if permutation else "",
                                                 artifact.test_accuracy, artifact.train_seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

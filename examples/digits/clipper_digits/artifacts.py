"""Trained models, cached on disk: trained on first use, then loaded in a fraction of a second.

The cache lives in DIGITS_CACHE_DIR, by default run/cache/digits/ in the repository (ignored by git).
A file's name holds a hash of everything that decides the weights (the kind, the label permutation,
the framework versions and the source of the modules that train), so a change to any of them trains afresh
instead of loading a stale model. Files are written to a temporary name and renamed, so replicas
that start together never read a half-written one.
"""

import hashlib
import importlib
import os
import pickle
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import Optional

import numpy

from clipper_digits import data
from clipper_digits.kinds import Kind

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CACHE_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(PACKAGE_DIR))),
                                 "run", "cache", "digits")
# The modules whose source decides the weights: a change to one of them trains afresh.
TRAINING_SOURCES = ("artifacts.py", "cnn.py", "data.py", "kinds.py")


@dataclass
class Artifact:
    """A trained model with how it was made and how well it does on the test images."""

    model: object
    kind: str
    permutation: Optional[str]
    train_seconds: float
    test_accuracy: float


def cache_dir(env=None) -> str:
    env = os.environ if env is None else env
    return env.get("DIGITS_CACHE_DIR") or DEFAULT_CACHE_DIR


def path_of(kind: Kind, permutation: Optional[str], directory: str) -> str:
    digest = hashlib.sha256(repr((kind.name, permutation, _versions(kind))).encode())
    for name in TRAINING_SOURCES:
        with open(os.path.join(PACKAGE_DIR, name), "rb") as source:
            digest.update(source.read())
    suffix = "-permuted" if permutation else ""
    return os.path.join(directory, "%s%s-%s.pkl" % (kind.name, suffix, digest.hexdigest()[:12]))


def load_or_train(kind: Kind, permutation: Optional[str], directory: str) -> Artifact:
    """The cached artifact, or a freshly trained one (then cached)."""
    path = path_of(kind, permutation, directory)
    try:
        with open(path, "rb") as cached:
            return pickle.load(cached)
    except FileNotFoundError:
        pass
    artifact = train(kind, permutation)
    os.makedirs(directory, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=directory, suffix=".tmp", delete=False) as out:
        pickle.dump(artifact, out)
    os.replace(out.name, path)
    print("digits-%s%s: trained in %.1f s, test accuracy %.4f, cached as %s" % (
        kind.name, " (permuted labels)" if permutation else "", artifact.train_seconds,
        artifact.test_accuracy, path), file=sys.stderr)
    return artifact


def train(kind: Kind, permutation: Optional[str]) -> Artifact:
    """Trains on the images with index % 5 != 0 only; scores on the others."""
    split = data.load()
    relabel = data.permutation(permutation) if permutation else numpy.arange(10)
    started = time.perf_counter()
    model = kind.build().fit(split.train_images, relabel[split.train_labels])
    seconds = time.perf_counter() - started
    accuracy = float(numpy.mean(model.predict(split.test_images) == relabel[split.test_labels]))
    return Artifact(model, kind.name, permutation, seconds, accuracy)


def _versions(kind: Kind):
    modules = ["numpy", "sklearn"] + [module for module, _, _ in kind.needs]
    return [(m, getattr(importlib.import_module(m), "__version__", "?")) for m in modules]

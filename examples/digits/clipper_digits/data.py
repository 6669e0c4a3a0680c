"""The digits data set and its one split: the images whose index % 5 == 0 are the test set.

load_digits() is scikit-learn's bundled copy (1,797 images of 8x8 pixels, values 0 to 16), so
nothing is downloaded. Every model trains on the other images only and takes the raw pixel values
(the 64 numbers a query sends); scaling happens inside the models.
"""

from typing import NamedTuple

import numpy

TEST_EVERY = 5
PIXELS = 64
# Group B's labels in the personalisation experiment: digit d is called PERMUTATION[d]. A
# derangement (no digit keeps its label), and unlike the degradation's d + 1.
PERMUTATION = "7390814265"


class Split(NamedTuple):
    train_images: numpy.ndarray
    train_labels: numpy.ndarray
    test_images: numpy.ndarray
    test_labels: numpy.ndarray


def load() -> Split:
    """The training images (index % 5 != 0) and the test images (index % 5 == 0), in index order."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    test = numpy.arange(len(digits.target)) % TEST_EVERY == 0
    return Split(digits.data[~test], digits.target[~test], digits.data[test], digits.target[test])


def permutation(text: str) -> numpy.ndarray:
    """The label map written as ten distinct digits ("7390814265": 0 is called 7, 1 is 3, ...).

    Raises ValueError for anything else.
    """
    if len(text) != 10 or sorted(text) != list("0123456789"):
        raise ValueError("LABEL_PERMUTATION must be the ten digits 0-9 in some order, not %r" % text)
    return numpy.array([int(c) for c in text])

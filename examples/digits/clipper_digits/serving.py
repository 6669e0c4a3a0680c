"""The predict function a digits container serves: a batch of 64-pixel images in, digits out."""

from typing import List, Sequence

import numpy

from clipper_digits import data
from clipper_digits.degradation import Degradation


class DigitsPredictor:
    """Calls the model once per batch (vectorised) and answers each digit as a string ("7")."""

    def __init__(self, model, degradation: Degradation):
        self._model = model
        self._degradation = degradation

    def __call__(self, inputs: Sequence) -> List[str]:
        for index, image in enumerate(inputs):
            if len(image) != data.PIXELS:
                raise ValueError("input %d has %d values; a digits model takes %d (an 8x8 image,"
                                 " pixel values 0 to 16)" % (index, len(image), data.PIXELS))
        digits = numpy.asarray(self._model.predict(numpy.stack(inputs).astype(numpy.float64)))
        return [str(int(d)) for d in self._degradation.apply(digits.astype(numpy.int64))]

"""Makes a model worse on purpose, for the selection experiments: DEGRADE_AFTER and DEGRADE_RATE.

After the first DEGRADE_AFTER inputs this container answered, a share DEGRADE_RATE of its answers
is a wrong digit (the prediction + 1, mod 10). Deterministic: of the first k inputs past the
threshold exactly floor(k * DEGRADE_RATE) are wrong, spread evenly, so tests can count on it.
"""

import threading
from typing import Mapping, Optional

import numpy


class Degradation:
    """Counts the inputs answered and turns the chosen share of them into wrong digits."""

    def __init__(self, after: Optional[int] = None, rate: float = 1.0):
        if after is not None and after < 0:
            raise ValueError("DEGRADE_AFTER must be 0 or more, not %d" % after)
        if not 0.0 <= rate <= 1.0:
            raise ValueError("DEGRADE_RATE must be between 0 and 1, not %s" % rate)
        self.after = after
        self.rate = rate
        self._answered = 0
        self._lock = threading.Lock()

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "Degradation":
        """DEGRADE_AFTER (unset: never) and DEGRADE_RATE (default 1); ValueError when malformed."""
        after, rate = env.get("DEGRADE_AFTER", "").strip(), env.get("DEGRADE_RATE", "1").strip()
        try:
            return cls(int(after) if after else None, float(rate))
        except ValueError as error:
            if "must be" in str(error):
                raise
            raise ValueError("DEGRADE_AFTER must be an integer and DEGRADE_RATE a number, not %r"
                             " and %r" % (after, rate)) from None

    def apply(self, digits: numpy.ndarray) -> numpy.ndarray:
        """digits, the predictions for the next len(digits) inputs, with the degraded ones wrong."""
        with self._lock:
            first = self._answered
            self._answered += len(digits)
        if self.after is None:
            return digits
        past = numpy.arange(first, first + len(digits)) - self.after  # 0 for the first degraded
        wrong = (past >= 0) & (numpy.floor((past + 1) * self.rate) > numpy.floor(past * self.rate))
        return numpy.where(wrong, (digits + 1) % 10, digits)

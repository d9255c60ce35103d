"""The statistics results need: Wilson score intervals for a share, and the two-proportion z-test
that says whether two communes truly differ."""

import math
from dataclasses import dataclass

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Share:
    count: int
    total: int

    @property
    def value(self) -> float:
        return self.count / self.total if self.total else 0.0

    @property
    def interval(self) -> tuple[float, float]:
        return wilson(self.count, self.total)

    @property
    def low(self) -> float:
        return self.interval[0]

    @property
    def high(self) -> float:
        return self.interval[1]


def wilson(count: int, total: int, z: float = Z95) -> tuple[float, float]:
    """The 95% Wilson score interval of count/total (good near 0% and 100% and for small n)."""
    if total <= 0:
        return (0.0, 0.0)
    p = count / total
    z2 = z * z
    denom = 1 + z2 / total
    centre = (p + z2 / (2 * total)) / denom
    half = z * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def two_proportions(k1: int, n1: int, k2: int, n2: int) -> tuple[float, bool]:
    """(z, meaningful): the pooled two-proportion z statistic and whether |z| > 1.96 (p < 0.05,
    two-sided). Too few answers on either side is never meaningful."""
    if n1 < 5 or n2 < 5:
        return 0.0, False
    pooled = (k1 + k2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return 0.0, False
    z = (k1 / n1 - k2 / n2) / se
    return z, abs(z) > Z95

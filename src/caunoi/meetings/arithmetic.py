"""The counting of a community meeting, exact (no floats): "more than a share" is
`count × den > num × total` with the share as a fraction, and "at least" is `≥`.

Two denominators (reference/domain.md §3.5): procedural votes (chair, secretary, voting method)
count the representatives present; decisions and the quorum count all households of the area."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from . import policy


def _share(value: float | Fraction) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(str(value))


def more_than(count: int, total: int, share: float | Fraction) -> bool:
    """count > share × total; never true of an empty denominator."""
    if total <= 0:
        return False
    s = _share(share)
    return count * s.denominator > s.numerator * total


def at_least(count: int, total: int, share: float | Fraction) -> bool:
    """count ≥ share × total (a petition of "at least 50 %"); never true of an empty total."""
    if total <= 0:
        return False
    s = _share(share)
    return count * s.denominator >= s.numerator * total


def needed_more_than(total: int, share: float | Fraction) -> int:
    """The smallest count that is more than share × total."""
    s = _share(share)
    return (s.numerator * total) // s.denominator + 1


def has_quorum(present: int, households: int) -> bool:
    return more_than(present, households, policy.QUORUM_SHARE.value)


def procedural_passed(votes_for: int, present: int) -> bool:
    return more_than(votes_for, present, policy.PROCEDURAL_SHARE.value)


def decision_passed(votes_for: int, households: int) -> bool:
    return more_than(votes_for, households, policy.DECISION_SHARE.value)


@dataclass(frozen=True)
class Verdict:
    """A count against its denominator, for the page: "126 of 240 households (52.5 %): passed"."""

    count: int
    total: int
    needed: int
    ok: bool

    @property
    def share(self) -> float:
        return self.count / self.total if self.total else 0.0


def quorum_verdict(present: int, households: int) -> Verdict:
    share = policy.QUORUM_SHARE.value
    return Verdict(
        present, households, needed_more_than(households, share), has_quorum(present, households)
    )


def procedural_verdict(votes_for: int, present: int) -> Verdict:
    share = policy.PROCEDURAL_SHARE.value
    return Verdict(
        votes_for, present, needed_more_than(present, share), procedural_passed(votes_for, present)
    )


def decision_verdict(votes_for: int, households: int) -> Verdict:
    share = policy.DECISION_SHARE.value
    return Verdict(
        votes_for,
        households,
        needed_more_than(households, share),
        decision_passed(votes_for, households),
    )

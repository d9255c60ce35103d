"""The counting: more than a share (never ≥), two denominators, exact fractions."""

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from caunoi.meetings import arithmetic

totals = st.integers(min_value=1, max_value=100_000)


@given(totals, st.data())
def test_more_than_half_is_strict(total, data):
    count = data.draw(st.integers(min_value=0, max_value=total))
    assert arithmetic.more_than(count, total, 0.5) == (2 * count > total)
    assert arithmetic.at_least(count, total, 0.5) == (2 * count >= total)


@given(totals)
def test_exactly_half_is_not_more_than_half(total):
    if total % 2 == 0:
        assert not arithmetic.more_than(total // 2, total, 0.5)
        assert arithmetic.at_least(total // 2, total, 0.5)
    assert arithmetic.more_than(total // 2 + 1, total, 0.5)


@given(totals, st.fractions(min_value=0, max_value=1, max_denominator=1000))
def test_needed_is_the_smallest_count_that_passes(total, share):
    needed = arithmetic.needed_more_than(total, share)
    assert arithmetic.more_than(needed, total, share)
    assert not arithmetic.more_than(needed - 1, total, share)


def test_float_share_is_read_exactly():
    # 0.1 as a float is not 1/10; the rule's value is read from its decimal text.
    assert arithmetic.more_than(11, 100, 0.1)
    assert not arithmetic.more_than(10, 100, 0.1)
    assert arithmetic.needed_more_than(3, Fraction(1, 3)) == 2


def test_empty_denominator_never_passes():
    assert not arithmetic.more_than(0, 0, 0.5)
    assert not arithmetic.at_least(0, 0, 0.5)


@given(st.integers(min_value=1, max_value=5000), st.data())
def test_two_denominators(households, data):
    """A decision backed by all present can still fail: it counts all households, not those
    present; a procedural vote counts those present."""
    present = data.draw(st.integers(min_value=0, max_value=households))
    votes = data.draw(st.integers(min_value=0, max_value=present))
    assert arithmetic.procedural_passed(votes, present) == (2 * votes > present)
    assert arithmetic.decision_passed(votes, households) == (2 * votes > households)
    if arithmetic.decision_passed(votes, households) and present:
        assert arithmetic.procedural_passed(votes, present)


def test_the_question_and_answer_case():
    """310 households, 216 present, 110 votes: a majority of those present, 35.5 % of all."""
    assert arithmetic.procedural_passed(110, 216)
    verdict = arithmetic.decision_verdict(110, 310)
    assert not verdict.ok and verdict.needed == 156 and round(verdict.share * 100, 1) == 35.5

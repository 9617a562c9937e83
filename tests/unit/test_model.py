"""Months: values that compare, hash, order and pickle as one would expect."""

from __future__ import annotations

import copy
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorecard.periods import Month

months = st.builds(Month, st.integers(1900, 2200), st.integers(1, 12))


@given(months, months)
def test_months_compare_hash_and_order_as_year_and_month(a: Month, b: Month) -> None:
    assert (a == b) == ((a.year, a.month) == (b.year, b.month))
    assert (a < b) == ((a.year, a.month) < (b.year, b.month))
    assert (a <= b) == ((a.year, a.month) <= (b.year, b.month))
    if a == b:
        assert hash(a) == hash(b)
    assert a - (a.minus(b)) == b


@given(months)
def test_a_month_comes_back_from_pickle_and_parse_as_the_one_object(month: Month) -> None:
    # Workers send months back pickled: the parent's dictionaries then find them by
    # identity, not by calling __eq__ a million times.
    one = Month.from_index(month.index)
    assert pickle.loads(pickle.dumps(month)) is one
    assert Month.parse(str(month)) is one
    assert copy.deepcopy(month) == month
    assert month + 0 is one


def test_a_month_is_not_equal_to_other_things() -> None:
    july = Month(2008, 7)
    assert july != (2008, 7)
    assert july != "2008-07"
    assert july != 2008 * 12 + 6  # its hash, but not the same thing
    assert {july: 1}.get(2008 * 12 + 6) is None


@pytest.mark.parametrize("text", ["2008-13", "2008-00", "2008-7", "July 2008", " "])
def test_parse_refuses_what_is_not_a_month(text: str) -> None:
    with pytest.raises(ValueError):
        Month.parse(text)


def test_a_month_outside_1_to_12_is_refused() -> None:
    with pytest.raises(ValueError):
        Month(2008, 13)

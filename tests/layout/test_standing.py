"""The words and figures of where a result stands against its path, as both the tracking sheet
and the roll-up print them: the trend marks, the gap and its years, the change needed."""

from __future__ import annotations

import math

import pytest

from pipeline.layout.standing import gap, needed, trend, years

NAN = math.nan


@pytest.mark.parametrize(
    ("values", "marks"),
    [
        # the baseline, then 2026 and 2027: up, then the same
        ([10.0, 12.0, 12.0], "▲ ="),
        # nothing in 2027: a dash, and 2028 is compared with 2026's 12, the latest before it
        ([10.0, 12.0, NAN, 11.0], "▲ – ▼"),
        # no baseline: the first result has nothing before it
        ([NAN, 5.0, 4.0], "• ▼"),
        # no result at all: no marks
        ([3.0, NAN, NAN], ""),
    ],
)
def test_the_trend_marks_each_year_against_the_latest_figure_before_it(values, marks):
    assert trend(values) == marks


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (-0.46, "chậm 0,5 năm"),
        (5.13, "nhanh 5,1 năm"),
        (0.04, "nhanh dưới 0,1 năm"),  # rounds to nothing at one decimal, but is not on it
        (0.0, ""),  # on the path
        (NAN, ""),  # no path that moves the better way
    ],
)
def test_a_gap_in_years_of_the_path_in_words(value, text):
    assert years(value) == text


@pytest.mark.parametrize(
    ("value", "in_years", "text"),
    [
        (-0.7901, -0.46, "\u22120,79\nchậm 0,5 năm"),
        (1263.4149, NAN, "+1.263,41"),  # no years where the path falls to its target
        (0.0, 0.0, "0"),  # equal as printed
        (0.001, 0.0, "0"),  # no "+0"
        (NAN, NAN, ""),
    ],
)
def test_the_gap_is_signed_better_plus_worse_minus(value, in_years, text):
    assert gap({"chenh_lo_trinh": value, "nam_chenh": in_years}) == text


def test_the_change_needed_stands_over_the_one_planned():
    line = {"don_vi_thay_doi": "%/năm", "thay_doi_can": 5.76, "thay_doi_moi_nam": 4.99}
    assert needed(line) == "5,76 %/năm\n(kế hoạch 4,99)"
    # none needed now (the target reached): the plan alone, on a line of its own, since
    # LibreOffice breaks no line before a minus sign
    line = {"don_vi_thay_doi": "điểm %/năm", "thay_doi_can": NAN, "thay_doi_moi_nam": -0.92}
    assert needed(line) == "kế hoạch\n\u22120,92 điểm %/năm"
    assert needed({**line, "thay_doi_moi_nam": NAN}) == ""

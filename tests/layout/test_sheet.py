"""The sheet model: text wrapping, row heights, the printed page."""

from __future__ import annotations

import pytest

from pipeline.layout.sheet import (
    ADMINISTRATIVE,
    LINE_HEIGHT,
    PADDING,
    Axis,
    Merge,
    Page,
    SheetLayout,
    Title,
    value_axis,
    wrapped_lines,
)


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("", 10, 1),
        ("ngắn", 10, 1),
        ("Tỷ lệ hộ nghèo theo chuẩn đa chiều", 10, 4),  # 11 characters a line at width 10
        ("một\nhai", 40, 2),  # a line break starts a line
        ("x" * 30, 10, 3),  # a word longer than the column runs over several lines
    ],
)
def test_wrapped_lines(text, width, lines):
    assert wrapped_lines(text, width) == lines


def test_a_row_is_as_tall_as_its_longest_text_or_a_cap():
    sheet = SheetLayout("x")
    sheet.fit(3, [("một hai ba bốn năm sáu bảy tám", 10), ("a", 10)])
    assert sheet.heights[3] == 3 * LINE_HEIGHT + 2 * PADDING
    sheet.fit(4, [("một hai ba bốn năm sáu bảy tám", 10)], most=1)
    assert sheet.heights[4] == LINE_HEIGHT + 2 * PADDING


def test_the_page_defaults_to_an_administrative_a4_text():
    page = Page()
    assert (page.paper, page.landscape, page.pages_wide) == ("A4", False, 1)
    # Nghị định 30/2020/NĐ-CP, Phụ lục I
    assert (page.margins.top, page.margins.bottom, page.margins.left, page.margins.right) == (
        20,
        20,
        30,
        15,
    )
    assert page.margins is ADMINISTRATIVE
    sheet = SheetLayout("x")
    sheet.printed(5, 12, 3)
    assert (sheet.page.columns, sheet.page.rows, sheet.page.header_row) == (5, 12, 3)


def test_a_heading_merges_its_titles_over_the_table_then_writes_its_header_row():
    sheet = SheetLayout("S", widths=[5, 20, 10, 3, 40])
    titles = [Title("TIÊU ĐỀ"), Title("dòng phụ", "subtitle"), Title("-----", fitted=False)]
    sheet.heading(titles, ["TT", "Chỉ tiêu", "Đơn vị tính"], 4, top=1)
    assert sheet.merges == [
        Merge(1, 0, 1, 2, "TIÊU ĐỀ", "title"),
        Merge(2, 0, 2, 2, "dòng phụ", "subtitle"),
        Merge(3, 0, 3, 2, "-----", "title"),
    ]
    assert sheet.cells == [
        (4, 0, "TT", "header"),
        (4, 1, "Chỉ tiêu", "header"),
        (4, 2, "Đơn vị tính", "header"),
    ]
    assert sorted(sheet.heights) == [1, 2, 4]  # a line not fitted keeps the default height


def test_a_title_may_span_fewer_columns_than_its_header():
    sheet = SheetLayout("S", widths=[40, 12, 13, 13])
    sheet.heading([Title("HIỆN TRẠNG")], ["Chỉ tiêu", "Đơn vị", "A", "B"], 2, across=2)
    assert sheet.merges == [Merge(0, 0, 0, 1, "HIỆN TRẠNG", "title")]
    assert sheet.merges[0].last_col == sheet.merges[0][3] == 1  # a merge is still a tuple


# ---------------------------------------------------------------------------- the value axis


def test_the_axis_of_a_fall_below_the_path_shows_the_fall():
    # issue 20's livestock: 21.613 con in 2025, target 18.000 (below it), the compound path
    # −3,59 %/năm: 20.837 in 2026, 20.088 in 2027 …; results fell below it, 20.500 and 19.500.
    # The spreadsheet's own axis ran 0–25.000: the 337 and 588 under the path were 1,3 and
    # 2,4 % of the height, a flat line. The rule: least 18.000, greatest 21.613; padded by 5 % of
    # 21.613 = 1.080,65 each side: 16.919,35 to 22.693,65; the least step of 1, 2, 5 × 10^k
    # at most 8 times in that: 5.774,3 / 8 = 721,8 → 1.000; ends on whole steps: 16.000 to
    # 23.000. The 588 under the path is now 588 / 7.000 = 8 % of the height.
    path = [21_613, 20_837, 20_088, 19_366, 18_671, 18_000]
    assert value_axis([*path, 20_500, 19_500, 18_000]) == Axis(16_000, 23_000, 1_000)


def test_the_axis_of_a_small_dip_near_a_percentage_does_not_dramatise_it():
    # issue 20's political organisations: "≥ 95" every year, no baseline, results 96 then 94.
    # The spreadsheet's own axis ran 92,5–97,5, so the two points fell through 40 % of the
    # height. The rule: least 94, greatest 96, padded by 5 % of 96 = 4,8: 89,2 to 100,8, and
    # no higher than 100, a percentage no value passes; (100 − 89,2) / 8 = 1,35 → step 2;
    # ends on whole steps: 88 to 100. The dip is 2 / 12 = 17 % of the height: a dip, not a fall
    # (a change reads in proportion to the indicator's size, not to the spread of the points).
    assert value_axis([96, 94, 95], ceiling=100) == Axis(88, 100, 2)


@pytest.mark.parametrize(
    ("values", "ceiling", "whole", "axis"),
    [
        # what is never negative stays at or above zero: 0 − 5 % of 3 is not drawn
        ([0, 1, 3], None, True, Axis(0, 4, 1)),
        # counts step in whole numbers: 0 to 145 + 7,25, 152,25 / 8 = 19,03 → 20
        ([0, 30, 58, 93, 145], None, True, Axis(0, 160, 20)),
        # a percentage at 100 is not padded past it; 99,1 + 4,96 would be
        ([98.79, 98.5, 99.1, 97], 100, False, Axis(92, 100, 1)),
        # a value past the ceiling (a growth of 120 %) lifts it
        ([90, 120], 100, False, Axis(80, 130, 10)),
        # below zero, padded both ways by 5 % of 5: −5,25 to 3,25, 8,5 / 8 → 2
        ([-5, 3], None, False, Axis(-6, 4, 2)),
        # fractions: 8,84 to 11,76, 2,92 / 8 = 0,365 → 0,5
        ([9.4, 11.2, 10], 100, False, Axis(8.5, 12, 0.5)),
        # nothing but zeros: 0 to 1
        ([0, 0], None, False, Axis(0, 1, 0.2)),
        # the roll-up's bars of one commune: 0 to 1 commune, whole
        ([0, 1], 1, True, Axis(0, 1, 1)),
    ],
)
def test_the_value_axis_rule(values, ceiling, whole, axis):
    assert value_axis(values, ceiling, whole) == axis


def test_no_value_no_axis_of_its_own():
    assert value_axis([None, float("nan")]) is None


def test_an_axis_says_the_decimals_of_its_labels():
    assert [Axis(0, 1, s).decimals for s in (1000, 1, 0.5, 0.2, 0.05)] == [0, 0, 1, 1, 2]

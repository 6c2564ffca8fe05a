"""The sheet model: text wrapping, row heights, the printed page."""

from __future__ import annotations

import pytest

from pipeline.layout.sheet import (
    ADMINISTRATIVE,
    LINE_HEIGHT,
    PADDING,
    Merge,
    Page,
    SheetLayout,
    Title,
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

"""The tracking workbook of the seed with Mường Lầm's results year by year (tests/yearly.py),
read back: values and colours, the numbers its sparklines and charts draw, the sparklines'
ranges, the charts' series, the printed page; and rendered to PDF with LibreOffice."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import printed_pages, printed_row

WORKBOOK = "theo_doi_2030.xlsx"
SHEET = "'Theo dõi 2030'"


@pytest.fixture(scope="module")
def path(tracked_output) -> Path:
    return tracked_output / "muong_lam" / WORKBOOK


@pytest.fixture(scope="module")
def book(path):
    return openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def rows(book) -> dict[str, int]:
    """Each Biểu 03 row's Excel row on the table, by its group and TT."""
    table = book["Theo dõi 2030"]
    found, group = {}, ""
    for row in table.iter_rows(min_row=5, max_col=2):
        tt = row[0].value
        if tt in ("I", "II", "III"):
            group = tt
        elif tt:
            found[f"{group}.{tt}"] = row[0].row
    return found


def test_the_workbook_holds_the_table_and_the_charts(book):
    assert book.sheetnames == ["Theo dõi 2030", "Biểu đồ"]
    table = book["Theo dõi 2030"]
    assert (
        table["A1"].value
        == "KẾT QUẢ THỰC HIỆN CÁC MỤC TIÊU ĐẾN NĂM 2030 QUA TỪNG NĂM – XÃ MƯỜNG LẦM"
    )
    assert [c.value for c in table[4][:16]] == [
        "TT",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Hiện trạng 2025 (gộp)",
        "2026",
        "2027",
        "2028",
        "2029",
        "2030",
        "Mục tiêu đến 2030",
        "Diễn biến ▲ tăng, ▼ giảm",
        "Lộ trình năm 2027",
        "Hơn (+), kém (−) lộ trình",
        "Tình trạng năm 2027",
        "Lý do",
        "Thay đổi cần mỗi năm từ nay (kế hoạch)",
    ]
    # the sparkline for the screen, beside the print area (LibreOffice prints it as dots)
    assert table["R4"].value == "Xu hướng 2025-2030"


# (row, its baseline as shown, its results 2026 and 2027 as typed, the fill of each, the latest
# status, the yearly change shown): tests/yearly.py works each out by hand
SHOWN = [
    ("II.1", "32,92", ("34,9", "35,5"), ("FFE2EFDA", "FFFFC7CE"), "Chậm tiến độ",
     "5,76 %/năm\n(kế hoạch 4,99)"),
    ("I.4", "77,72", ("75", "72,5"), ("FFDDEBF7", "FFE2EFDA"), "Vượt tiến độ",
     "\u22122,50 điểm %/năm\n(kế hoạch \u22122,54)"),
    ("I.6", "37,6", ("37,8", "38,1"), ("FFC6EFCE", "FFC6EFCE"), "Đã đạt mục tiêu 2030",
     "kế hoạch\n\u22120,92 điểm %/năm"),
    ("II.4", "98,79", ("98,5", "99,1"), ("FFC6EFCE", "FFC6EFCE"), "Đã đạt mục tiêu 2030",
     "kế hoạch\n\u22120,36 điểm %/năm"),
    ("I.2", "758,2", ("770", None), ("FFFFFFFF", "FFFFFFFF"), "Không theo dõi được", None),
    ("I.8", "0", ("01", None), ("FFFFEB9C", "FFEDEDED"), "Chưa có số liệu", "31,61 %/năm"),
    ("II.13", "75,98", (None, "77"), ("FFEDEDED", "FFFFC7CE"), "Chậm tiến độ",
     "1,00 điểm %/năm\n(kế hoạch 0,80)"),
    # a target set below its baseline: reached, then short of the target itself
    ("I.3", "21.613", ("22.100", "17.500"), ("FFC6EFCE", "FFFFC7CE"), "Chậm tiến độ",
     "0,94 %/năm\n(kế hoạch \u22123,59)"),
    # a term total: its running total ahead, then on the path; 29 a year, planned and needed
    ("III.4", "167", ("30", "28"), ("FFE2EFDA", "FFDDEBF7"), "Đúng tiến độ",
     "29,00 Đảng viên/năm\n(kế hoạch 29,00)"),
    # a target to meet every year: 2026 missed for good, so the row stands at it in 2027
    # 2026's miss stands in 2027 (96 met that year's target), named by its year
    ("III.6", None, ("93", "96"), ("FFF8CBAD", "FFE2EFDA"), "Không đạt mục tiêu năm 2026", None),
]  # fmt: skip


@pytest.mark.parametrize(("row", "base", "results", "fills", "status", "change"), SHOWN)
def test_each_row_shows_its_results_coloured_by_status(
    book, rows, row, base, results, fills, status, change
):
    table = book["Theo dõi 2030"]
    at = rows[row]
    assert table.cell(at, 4).value == base
    assert (table.cell(at, 5).value, table.cell(at, 6).value) == results
    assert (table.cell(at, 5).fill.fgColor.rgb, table.cell(at, 6).fill.fgColor.rgb) == fills
    assert table.cell(at, 14).value == status
    assert table.cell(at, 16).value == change
    assert table.cell(at, 7).value is None  # 2028: after the latest year reported


# what the page prints for the latest year with a result (tests/yearly.py; the gaps worked out
# in tests/judge/test_track.py): (row, the trend, the path's point, the gap, the reason)
PRINTED = [
    # income: 32,92 → 34,9 → 35,5, up twice; 35,5 is 0,79 below 2027's point 36,29, 0,46 of
    # the path's change that year: half a year behind
    ("II.1", "▲ ▲", "36,29", "\u22120,79\nchậm 0,5 năm",
     'kết quả "35,5" kém hơn lộ trình năm 2027 "36,29" (cao hơn là tốt)'),
    # labour in agriculture, lower is better: 77,72 → 75 → 72,5, down twice; 0,13 below the
    # point is better: +, 0,05 of the path's fall of 2,54 points rounds to 0,1 year ahead
    ("I.4", "▼ ▼", "72,63", "+0,13\nnhanh 0,1 năm",
     'kết quả "72,5" tốt hơn lộ trình năm 2027 "72,63" (thấp hơn là tốt)'),
    # trained labour: 46,31 → 47 → 44; 3,79 below 47,79, over five years of 0,74 points
    ("I.5", "▲ ▼", "47,79", "\u22123,79\nchậm 5,1 năm",
     'kết quả "44" kém hơn lộ trình năm 2027 "47,79" (cao hơn là tốt)'),
    # waste: nothing in 2026, then 77 above the 75,98 baseline; 0,59 below 77,59: 0,73 of 0,80
    ("II.13", "– ▲", "77,59", "\u22120,59\nchậm 0,7 năm",
     'kết quả "77" kém hơn lộ trình năm 2027 "77,59" (cao hơn là tốt)'),
    # livestock, a target below its baseline: 21.613 → 22.100 → 17.500, up then down; 17.500
    # is 2.588,06 below 2027's point 21.613 × (18.000 / 21.613)^(2/5) = 20.088,06 (the path
    # falls to a target below the baseline: no years to count in)
    ("I.3", "▲ ▼", "20.088,06", "\u22122.588,06",
     'kết quả "17.500" kém hơn lộ trình năm 2027 "20.088,06" (cao hơn là tốt)'),
    # poverty, no baseline: the first result has nothing before it (•), then down; no path
    ("II.3", "• ▼", "không có", None, 'kết quả "9,4" vượt ngưỡng mục tiêu 2030 "< 10"'),
    # party admissions, a term total: its running total 30, 58 from 0 (not from the last
    # term's 167), up twice, on 2027's point 2 × 29 = 58
    ("III.4", "▲ ▲", "58", "0", 'kết quả cộng dồn "58" bằng lộ trình năm 2027 "58"'),
    # political organisations, "≥ 95" every year: no baseline, 93 then 96; the year's point is
    # the target, 96 is 1 above it; 2026's miss is said
    ("III.6", "• ▲", "95", "+1",
     'kết quả "96" tốt hơn mục tiêu năm 2027 "≥ 95" (cao hơn là tốt); năm 2026 đã không đạt '
     "mục tiêu năm"),
]  # fmt: skip


@pytest.mark.parametrize(("row", "trend", "point", "gap", "why"), PRINTED)
def test_the_page_prints_the_trend_the_path_the_gap_and_why(
    book, rows, row, trend, point, gap, why
):
    table = book["Theo dõi 2030"]
    at = rows[row]
    assert [table.cell(at, c).value for c in (11, 12, 13, 15)] == [trend, point, gap, why]


def test_the_numbers_drawn_are_the_baseline_results_path_and_target(book, rows):
    table = book["Theo dõi 2030"]
    at = rows["II.1"]  # income: 32,92 → 42, compound 4,99 %/năm
    results = [table.cell(at, c).value for c in range(19, 25)]
    path = [table.cell(at, c).value for c in range(25, 31)]
    goal = [table.cell(at, c).value for c in range(31, 37)]
    assert results == [32.9216, 34.9, 35.5, None, None, None]
    assert [round(v, 2) for v in path] == [32.92, 34.56, 36.29, 38.1, 40.0, 42.0]
    assert goal == [42] * 6
    assert [table.cell(4, c).value for c in range(19, 25)] == [str(y) for y in range(2025, 2031)]
    # a target without a path draws none
    assert {table.cell(rows["I.8"], c).value for c in range(25, 31)} == {None}


def test_each_row_with_a_figure_has_a_sparkline_of_its_results(path, rows):
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    lines = dict(
        (sqref, formula)
        for formula, sqref in re.findall(
            r"<x14:sparkline><xm:f>(.*?)</xm:f><xm:sqref>(.*?)</xm:sqref>", xml
        )
    )
    at = rows["II.1"]
    assert lines[f"R{at}"] == f"{SHEET}!S{at}:X{at}"
    assert f"R{rows['I.2']}" in lines  # its baseline and the 770 typed
    assert f"R{rows['II.3']}" in lines  # its results, without a baseline
    assert f"R{rows['I.7']}" not in lines  # no figure at all
    assert 'displayEmptyCellsAs="gap"' in xml and 'markers="1"' in xml


def test_each_numeric_target_gets_a_line_chart_of_results_path_and_target(book, rows):
    charts = book["Biểu đồ"]._charts
    titles = [_title(chart) for chart in charts]
    assert titles == [
        "I.3. Tổng đàn gia súc (Con)",
        "I.4. Tỷ lệ lao động nông nghiệp (%)",
        "I.5. Tỷ lệ lao động qua đào tạo (%)",
        "I.6. Tỷ lệ che phủ rừng (%)",
        "I.8. Sản phẩm OCOP đạt 3 sao (Sản phẩm)",
        "II.1. Thu nhập bình quân đầu người (Tr.đ/người/năm)",
        "II.3. Tỷ lệ hộ nghèo, cận nghèo (chuẩn đa chiều) (%)",
        "II.4. Tỷ lệ dân tham gia BHYT (%)",
        "II.6. Xã đạt chuẩn nông thôn mới (Tiêu chí)",
        "II.13. Tỷ lệ thu gom chất thải rắn sinh hoạt (%)",
        "III.4. Kết nạp đảng viên mới (Đảng viên)",
        "III.6. Tổ chức chính trị - xã hội cấp xã HTTNV (%)",
    ]
    income = charts[titles.index("II.1. Thu nhập bình quân đầu người (Tr.đ/người/năm)")]
    at = rows["II.1"]
    # then a series of points per status (tests/layout/test_charts.py)
    assert [(s.tx.v, s.val.numRef.f) for s in income.series[:3]] == [
        ("Kết quả", f"{SHEET}!$S${at}:$X${at}"),
        ("Lộ trình", f"{SHEET}!$Y${at}:$AD${at}"),
        ("Mục tiêu 2030: 42", f"{SHEET}!$AE${at}:$AJ${at}"),
    ]
    assert {s.cat.numRef.f for s in income.series} == {f"{SHEET}!$S$4:$X$4"}
    poverty = charts[titles.index("II.3. Tỷ lệ hộ nghèo, cận nghèo (chuẩn đa chiều) (%)")]
    assert [s.tx.v for s in poverty.series[:2]] == [  # no path
        "Kết quả",
        "Mục tiêu 2030: < 10 (không kể 10)",
    ]


def _title(chart) -> str:
    return "".join(run.t for p in chart.title.tx.rich.p for run in (p.r or []))


def test_both_sheets_print_on_a4_landscape_one_page_wide(book, rows):
    table, charts = book["Theo dõi 2030"], book["Biểu đồ"]
    for sheet in (table, charts):
        assert (sheet.page_setup.paperSize, sheet.page_setup.orientation) == (9, "landscape")
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (sheet.page_setup.fitToWidth or 1, sheet.page_setup.fitToHeight) == (1, 0)
        margins = sheet.page_margins
        assert [round(m * 25.4) for m in (margins.top, margins.bottom, margins.left)] == [
            20,
            20,
            30,
        ]
        assert sheet.oddFooter.center.text == "Trang &P/&N"
    # the table's rows (5-45), a blank row, the legend's title, its eight colours and three
    # notes (the path, the gap, the trend)
    assert table.print_area == "'Theo dõi 2030'!$A$1:$P$55"
    assert table.print_title_rows == "$4:$4"
    # twelve charts, two across and two down a page: breaks before the third and fifth rows
    assert charts.print_area == "'Biểu đồ'!$A$1:$P$92"
    assert [b.id for b in charts.row_breaks.brk] == [32, 62]


@pytest.mark.libreoffice
@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice is not installed",
)
def test_the_workbook_renders_to_pdf_with_its_charts(path, tmp_path):
    pages = printed_pages(path, tmp_path)
    # the table over two pages, its header on both; the charts on three more
    assert len(pages) == 5
    assert all("Tình trạng năm" in page and "Hơn (+), kém" in page for page in pages[:2])
    assert "Màu ô của mỗi năm" in pages[1]
    assert all("Lộ trình" in page and "Mục tiêu 2030" in page for page in pages[2:])
    assert "II.1. Thu nhập bình quân đầu người (Tr.đ/người/năm)" in pages[3]
    assert [f"Trang {n}/5" in page for n, page in enumerate(pages, start=1)] == [True] * 5
    # on paper, income's row (its two-line cells printed a line above and below its own):
    # 2027's point, the gap in its unit and in years, the status and why
    row = printed_row(pages[0], "Thu nhập bình quân")
    for printed in (
        "36,29",
        "\u22120,79",
        "chậm 0,5 năm",
        "Chậm tiến độ",
        'kết quả "35,5" kém hơn lộ trình năm 2027',
        "5,76 %/năm",
        "▲▲",  # the trend, as marks a page prints (pdftotext drops the space between them)
    ):
        assert printed in row, printed
    assert "Hơn (+), kém (−) lộ trình:" in pages[1]  # the note under the legend

"""The annex workbook, read back with openpyxl: every Biểu against the report, cell by cell, with
its formatting and print settings; determinism, formula injection, re-runs, and the printed page."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from tests.conftest import printed_pages
from tests.test_record import BIEU_01, BIEU_02, BIEU_03

FULL = {"K đạt": "Không đạt"}


@pytest.fixture
def annex(seed_output) -> openpyxl.Workbook:
    """The seed's annex, loaded afresh for each test (reading a cell openpyxl lacks adds it)."""
    return openpyxl.load_workbook(seed_output / "muong_lam" / "bieu_chi_tieu.xlsx")


def test_one_sheet_per_biểu_in_the_records_order_then_the_checks(annex):
    assert annex.sheetnames == ["Biểu 01", "Biểu 02", "Biểu 03", "Kiểm tra"]


@pytest.mark.parametrize(
    ("sheet", "title", "expected"),
    [
        ("Biểu 01", "BIỂU CÁC CHỈ TIÊU ĐẠI HỘI XÃ ĐỨA MÒN, NHIỆM KỲ 2020-2025", BIEU_01),
        ("Biểu 02", "BIỂU CÁC CHỈ TIÊU ĐẠI HỘI XÃ MƯỜNG LẦM, NHIỆM KỲ 2020-2025", BIEU_02),
    ],
)
def test_biểu_01_and_02_match_the_report_cell_by_cell(annex, sheet, title, expected):
    ws = annex[sheet]
    assert (ws["E1"].value, ws["A2"].value) == (sheet, title)
    assert [c.value for c in ws[4][:6]] == [
        "TT",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Chỉ tiêu NQ Đại hội XXIII",
        "Kết quả thực hiện",
        "Đánh giá",
    ]
    item = None
    for offset, want in enumerate(expected):
        row = 5 + offset
        cells = [ws.cell(row, c).value for c in range(1, 7)]
        if len(want) == 2:  # a group row: numeral, then its name merged over the table
            assert cells[:2] == list(want)
            assert f"B{row}:F{row}" in {str(r) for r in ws.merged_cells.ranges}
            assert ws.cell(row, 2).font.b
            continue
        tt, name, unit, target, _, result, _, rating = want
        item = row if tt else item
        shown_tt = ws.cell(item, 1).value
        assert [shown_tt, *cells[1:]] == [
            tt or shown_tt,
            name,
            unit,
            target,
            result or None,
            FULL.get(rating, rating),
        ]
    # the tally line under the table, in the report's words
    assert ws.cell(5 + len(expected), 1).value.startswith("Tổng số: 20 chỉ tiêu: ")


def test_each_item_number_is_merged_over_its_sub_rows(annex):
    merged = {str(r) for r in annex["Biểu 01"].merged_cells.ranges}
    # item 4 (rows 9-10: fruit trees and livestock), item 19 (rows 33-35: three sub-rows)
    assert {"A9:A10", "A33:A35", "A2:F2", "E1:F1"} <= merged
    assert annex["Biểu 01"]["A33"].value == "19"


def test_tally_lines(annex):
    ws = annex["Biểu 01"]
    assert ws["A37"].value == "Tổng số: 20 chỉ tiêu: 07 vượt, 10 đạt, 03 không đạt"
    assert ws["A38"].value == (
        "Tính lại từ chỉ tiêu và kết quả: 20 chỉ tiêu: 06 vượt, 09 đạt, 05 không đạt"
    )
    assert annex["Biểu 02"]["A35"].value == "Tổng số: 20 chỉ tiêu: 08 vượt, 11 đạt, 01 không đạt"


def test_biểu_03_matches_the_report(annex):
    ws = annex["Biểu 03"]
    assert (ws["D1"].value, ws["A2"].value) == (
        "Biểu 03",
        "BIỂU CÁC CHỈ TIÊU ĐẠI HỘI ĐẢNG BỘ XÃ MƯỜNG LẦM, NHIỆM KỲ 2025-2030",
    )
    assert ws["A3"].value == (
        "(Kèm theo Báo cáo của Ban Chấp hành Đảng bộ xã khóa 1 tại Đại hội đại biểu Đảng bộ xã "
        "lần thứ I )"
    )
    assert ws["A3"].font.i and not ws["A3"].font.b
    assert [c.value for c in ws[6][:5]] == [
        "TT",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Mục tiêu đến 2030",
        "Ghi chú",
    ]
    for offset, want in enumerate(BIEU_03):
        row = 7 + offset
        cells = [ws.cell(row, c).value for c in range(1, 6)]
        if len(want) == 2:
            assert cells[:2] == list(want)
            continue
        tt, name, unit, target, _, note = want
        assert cells == [tt, name, unit, target, note or None]


def test_what_the_record_does_not_show_is_beside_the_print_area(annex):
    ws = annex["Biểu 01"]
    assert [ws.cell(4, c).value for c in range(8, 13)] == [
        "Tỷ lệ đạt (%)",
        "Đánh giá tính lại",
        "Vì sao",
        "Giữ đánh giá công bố",
        "Lý do giữ",
    ]
    assert ws["H8"].value == "183,7"  # row 8, item 3: 24,8 / 13,5
    assert (ws["F12"].value, ws["I12"].value) == ("Vượt", "Không đạt")  # row 12, item 5
    assert ws["J12"].value == 'kết quả "90" kém hơn chỉ tiêu "80" (thấp hơn là tốt)'
    assert ws["I6"].value is None  # computed = published: nothing to say
    b3 = annex["Biểu 03"]
    assert [b3.cell(10, c).value for c in range(7, 12)] == [  # row 10, I.3 livestock
        "21.613",
        "Cộng",
        "-3.613",
        "-3,59 %/năm",
        "Mục tiêu 2030 kém mức đã đạt năm 2025",
    ]


def test_the_check_sheet_lists_every_finding_with_its_cell(annex, output_dir):
    ws = annex["Kiểm tra"]
    assert [c.value for c in ws[3]] == [
        "Mức độ",
        "Loại",
        "Tệp",
        "Sheet",
        "Ô",
        "Xã",
        "Nhóm",
        "TT",
        "Chỉ tiêu",
        "Nội dung",
    ]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    assert len(rows) == 28
    assert rows[2][:9] == [
        "phát hiện",
        "đánh giá lệch",
        "raw/son_la/dua_mon.xlsx",
        "Chỉ tiêu",
        "F9",
        "Đứa Mòn",
        "II",
        "5",
        "Tỷ lệ lao động nông nghiệp trong tổng lao động xã hội",
    ]


def test_formatting(annex):
    ws = annex["Biểu 01"]
    assert {ws[c].font.name for c in ("A2", "A4", "B6", "F6", "A37")} == {"Times New Roman"}
    assert (ws["A2"].font.b, ws["A2"].font.sz) == (True, 14)
    assert ws["A4"].font.b and ws["A4"].alignment.wrap_text
    assert ws["B6"].border.left.style == "thin"
    colours = {ws[c].value: ws[c].fill.fgColor.rgb for c in ("F6", "F7", "F9")}
    assert colours == {"Vượt": "FFC6EFCE", "Đạt": "FFDDEBF7", "Không đạt": "FFFFC7CE"}


@pytest.mark.parametrize("sheet", ["Biểu 01", "Biểu 02", "Biểu 03"])
def test_print_settings(annex, sheet):
    ws = annex[sheet]
    setup = ws.page_setup
    assert (setup.paperSize, setup.orientation) == (9, "portrait")  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (
        setup.fitToWidth in (None, 1) and setup.fitToHeight == 0
    )  # one page wide (1 is the default)
    margins = ws.page_margins
    assert (round(margins.left * 25.4), round(margins.right * 25.4)) == (30, 15)
    assert (round(margins.top * 25.4), round(margins.bottom * 25.4)) == (20, 20)
    header = 6 if sheet == "Biểu 03" else 4
    assert ws.print_title_rows == f"${header}:${header}"
    last = "E" if sheet == "Biểu 03" else "F"
    assert ws.print_area.startswith(f"'{sheet}'!$A$1:${last}$")
    assert ws.oddFooter.center.text == "Trang &P/&N"


def test_the_check_sheet_prints_landscape(annex):
    assert annex["Kiểm tra"].page_setup.orientation == "landscape"


# --- re-running


# --- the printed page


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_each_biểu_prints_one_page_wide_with_its_header_on_every_page(seed_output, tmp_path):
    pages = printed_pages(seed_output / "muong_lam" / "bieu_chi_tieu.xlsx", tmp_path)
    assert len(pages) >= 4
    for page in pages:
        if "Mức độ" in page:  # the check sheet: its header row on every page, all columns
            assert "Nội dung" in page
            continue
        # not split across pages sideways: every page has the first and the last printed column
        assert "TT" in page and ("Đánh giá" in page or "Ghi chú" in page)
    assert (tmp_path / "bieu_chi_tieu.pdf").stat().st_size > 0

"""Rendering sheet layouts into .xlsx: formats, page setup, and text that stays text."""

from __future__ import annotations

import io

import openpyxl
import pytest

from pipeline.layout.sheet import Page, SheetLayout
from pipeline.render.xlsx import render
from tests.conftest import edit


@pytest.mark.parametrize("text", ["=1+1", "@SUM(A1)", "+A1", '=HYPERLINK("http://x")'])
def test_text_from_raw_never_becomes_a_formula(seed_raw_dir, run_cli, output_dir, text):
    edit(seed_raw_dir / "son_la/dua_mon.xlsx", "Chỉ tiêu", "B3", text)
    assert run_cli(seed_raw_dir).status == 0
    cell = openpyxl.load_workbook(output_dir / "muong_lam" / "bieu_chi_tieu.xlsx")["Biểu 01"]["B6"]
    assert (cell.value, cell.data_type) == (text, "s")


def rendered(sheet: SheetLayout) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(render([sheet], "Thử")))


def test_the_page_prints_as_the_layout_says():
    page = Page(landscape=True, pages_wide=2, repeat_columns=(0, 1))
    sheet = SheetLayout("Trang", widths=[10, 20, 30], page=page)
    sheet.put(0, 0, "Tiêu đề", "header")
    sheet.put(3, 2, "x", "text")
    sheet.printed(3, 4, 0)
    ws = rendered(sheet)["Trang"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (2, 0)
    assert ws.print_area == "'Trang'!$A$1:$C$4"
    assert (ws.print_title_rows, ws.print_title_cols) == ("$1:$1", "$A:$B")
    margins = ws.page_margins
    assert [
        round(x * 25.4, 3) for x in (margins.top, margins.bottom, margins.left, margins.right)
    ] == [
        20,
        20,
        30,
        15,
    ]
    assert ws.oddFooter.center.text == "Trang &P/&N"


def test_each_style_name_gets_its_format():
    sheet = SheetLayout("S", widths=[12])
    sheet.put(0, 0, "Vượt", "rating:Vượt")
    sheet.put(1, 0, "Tên", "title")
    sheet.printed(1, 2, None)
    ws = rendered(sheet)["S"]
    assert ws["A1"].fill.fgColor.rgb == "FFC6EFCE"
    assert ws["A1"].font.color.rgb == "FF006100"
    assert (ws["A2"].font.name, ws["A2"].font.b, ws["A2"].font.sz) == ("Times New Roman", True, 14)


def test_a_text_longer_than_a_cell_holds_is_cut_and_says_so():
    sheet = SheetLayout("S", widths=[12])
    sheet.put(0, 0, "x" * 40_000, "text")
    sheet.printed(1, 1, None)
    value = rendered(sheet)["S"]["A1"].value
    assert len(value) == 32_767
    assert value.endswith(
        "(cắt bớt: một ô Excel chỉ chứa được 32.767 ký tự; đủ nội dung trong tệp CSV)"
    )

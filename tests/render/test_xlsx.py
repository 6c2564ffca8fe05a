"""Rendering sheet layouts into .xlsx: formats, page setup, and text that stays text."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from pipeline.layout.sheet import Chart, Page, Range, Series, SheetLayout, Sparkline
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


def test_numbers_sparklines_and_charts_are_drawn_from_the_model():
    sheet = SheetLayout("Số liệu", widths=[12, 8, 8, 8])
    sheet.put(0, 1, "2025", "side_header")
    sheet.put(0, 2, "2026", "side_header")
    sheet.number(1, 1, 40.5, "side_value")
    sheet.number(1, 2, None, "side_value")  # a gap, not a zero
    data = Range("Số liệu", 1, 1, 1, 2)
    sheet.sparklines.append(Sparkline(1, 0, data))
    years = Range("Số liệu", 0, 1, 0, 2)
    sheet.charts.append(
        Chart("line", "Rừng", years, [Series("Kết quả", data, "#1F4E78")], 3, 0, 400, 200)
    )
    sheet.printed(4, 20, None)
    data_bytes = render([sheet], "Thử")
    ws = openpyxl.load_workbook(io.BytesIO(data_bytes))["Số liệu"]
    assert (ws["B2"].value, ws["B2"].number_format, ws["C2"].value) == (40.5, "#,##0.00", None)
    (chart,) = ws._charts
    assert [(s.tx.v, s.val.numRef.f) for s in chart.series] == [("Kết quả", "'Số liệu'!$B$2:$C$2")]
    with zipfile.ZipFile(io.BytesIO(data_bytes)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<xm:f>'Số liệu'!B2:C2</xm:f><xm:sqref>A2</xm:sqref>" in xml

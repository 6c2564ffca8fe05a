"""Rendering sheet layouts into .xlsx: formats, page setup, and text that stays text."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from pipeline.layout.sheet import (
    Axis,
    Chart,
    Lookup,
    Page,
    Range,
    Series,
    SheetLayout,
    Sparkline,
    Validation,
)
from pipeline.layout.style import POINTS
from pipeline.render.xlsx import render
from tests.conftest import cases, edit


@pytest.mark.parametrize("text", cases(["=1+1", "@SUM(A1)", "+A1", '=HYPERLINK("http://x")']))
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
        drawn = archive.read("xl/charts/chart1.xml").decode()
    assert "<xm:f>'Số liệu'!B2:C2</xm:f><xm:sqref>A2</xm:sqref>" in xml
    # the values the chart keeps beside its cells: the number, and nothing (not 0) for the gap
    assert '<c:ptCount val="2"/><c:pt idx="0"><c:v>40.5</c:v></c:pt></c:numCache>' in drawn


def test_a_line_chart_draws_its_lines_points_legend_and_axis_as_the_model_says():
    sheet = SheetLayout("Số liệu", widths=[12, 8, 8])
    sheet.put(0, 1, "2025", "side_header")
    sheet.put(0, 2, "2026", "side_header")
    for row, values in enumerate([(40, 44), (4, 4), (6, 6), (None, 44)], start=1):
        for col, value in enumerate(values, start=1):
            sheet.number(row, col, value, "side_value")
    years = Range("Số liệu", 0, 1, 0, 2)

    def line(row: int) -> Range:
        return Range("Số liệu", row, 1, row, 2)

    series = [
        Series("Kết quả", line(1), "#1F4E78"),
        Series("Mục tiêu", line(2), "#C00000", "dash", 1.5, markers=False),
        Series("Mục tiêu", line(3), "#C00000", "dot", 1.5, markers=False, legend=False),
        Series("Vượt tiến độ", line(4), "#000000", "none", marker="progress:Vượt tiến độ"),
    ]
    axis = Axis(0, 50, 2.5)
    sheet.charts.append(Chart("line", "Rừng", years, series, 6, 0, 400, 200, axis=axis))
    sheet.printed(3, 6, None)
    with zipfile.ZipFile(io.BytesIO(render([sheet], "Thử"))) as archive:
        xml = archive.read("xl/charts/chart1.xml").decode()
    # the axis: its ends, its step, labels with the decimals of the step
    assert '<c:max val="50"/><c:min val="0"/>' in xml
    assert '<c:majorUnit val="2.5"/>' in xml
    assert '<c:numFmt formatCode="#,##0.0" sourceLinked="0"/>' in xml
    # the lines: solid and 2,25 points, dashed and dotted at 1,5, none
    assert xml.count('<a:ln w="28575">') == 1 and xml.count('<a:ln w="19050">') == 2
    assert '<a:prstDash val="dash"/>' in xml and '<a:prstDash val="sysDot"/>' in xml
    assert "<a:ln><a:noFill/></a:ln>" in xml
    # the status's point: the style's fill, bordered with its ink
    status = POINTS["progress:Vượt tiến độ"]
    point = (
        f'<a:solidFill><a:srgbClr val="{status.fill[1:]}"/></a:solidFill><a:ln><a:solidFill>'
        f'<a:srgbClr val="{status.border[1:]}"/>'
    )
    assert point in xml
    # the band's second line is left out of the legend
    assert '<c:legendEntry><c:idx val="2"/><c:delete val="1"/></c:legendEntry>' in xml


def form_sheet() -> tuple[SheetLayout, SheetLayout]:
    """A sheet to type in: a code column with its drop-down list from another sheet, a strict
    list of words, a column with only help, and the name beside the code looked up."""
    page = Page(centred=False, footer_size=10)
    sheet = SheetLayout("Nhập", widths=[20, 16, 30, 30], page=page, empty_text=True)
    sheet.column_styles = {0: "form_text", 1: "form_text"}
    for c, text in enumerate(["Mã", "Loại", "Ghi chú", "Tên"]):
        sheet.put(0, c, text, "form_header")
    sheet.put(1, 0, "dan_so", "form_cell")
    sheet.put(1, 2, "", "form_cell")
    codes = Range("Danh mục", 1, 0, 2, 1)
    sheet.lookups.append(Lookup(1, 3, 0, codes, 2, "(không có)", "Dân số", "form_side"))
    listed = Range("Danh mục", 1, 0, 2, 0)
    sheet.validations += [
        Validation(1, 0, 50, 0, "Mã", "Chọn mã.", source=listed, error_title="Mã", error="Lạ."),
        Validation(1, 1, 50, 1, "Loại", "Chọn loại.", values=("Cũ", "Mới"), strict=True),
        Validation(1, 2, 50, 2, "Ghi chú", "Gõ tự do."),
    ]
    sheet.freeze = (1, 0)
    sheet.printed(4, 2, 0)
    catalogue = SheetLayout("Danh mục", widths=[20, 30])
    for r, (code, name) in enumerate([("Mã", "Tên"), ("dan_so", "Dân số"), ("dien_tich", "")]):
        catalogue.put(r, 0, code, "form_cell")
        catalogue.put(r, 1, name, "form_cell")
    catalogue.printed(2, 3, None)
    return sheet, catalogue


def test_a_column_offers_its_drop_down_list_and_says_what_goes_in_it():
    book = openpyxl.load_workbook(io.BytesIO(render(list(form_sheet()), "Thử")))
    found = {
        str(v.sqref): (v.type, v.formula1, v.promptTitle, v.prompt, v.errorStyle, v.error)
        for v in book["Nhập"].data_validations.dataValidation
    }
    assert found == {  # no error style: Excel's default, stop
        "A2:A51": ("list", "'Danh mục'!$A$2:$A$3", "Mã", "Chọn mã.", "warning", "Lạ."),
        "B2:B51": ("list", '"Cũ,Mới"', "Loại", "Chọn loại.", None, ""),
        "C2:C51": (None, None, "Ghi chú", "Gõ tự do.", None, None),  # any value: help only
    }


def test_a_looked_up_cell_shows_the_name_now_and_looks_it_up_again():
    data = render(list(form_sheet()), "Thử")
    formula = openpyxl.load_workbook(io.BytesIO(data))["Nhập"]["D2"]
    shown = openpyxl.load_workbook(io.BytesIO(data), data_only=True)["Nhập"]["D2"]
    assert formula.value == (
        '=IF(A2="","",IFERROR(VLOOKUP(A2,\'Danh mục\'!$A$2:$B$3,2,FALSE),"(không có)"))'
    )
    assert (shown.value, shown.font.i) == ("Dân số", True)


def test_a_form_freezes_its_header_formats_its_columns_as_text_and_keeps_empty_texts():
    ws = openpyxl.load_workbook(io.BytesIO(render(list(form_sheet()), "Thử")))["Nhập"]
    assert ws.freeze_panes == "A2"
    assert [ws.column_dimensions[c].number_format for c in "ABC"] == ["@", "@", "General"]
    assert (ws["A2"].number_format, ws["C2"].data_type) == ("@", "s")
    assert not ws.print_options.horizontalCentered
    assert ws.oddFooter.center.size == 10

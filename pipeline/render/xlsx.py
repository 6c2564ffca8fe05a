"""Rendering `SheetLayout`s into an .xlsx file with xlsxwriter.

The look is `pipeline/layout/style.py`'s, translated once into XlsxWriter's format properties;
every format is built once, when the workbook is created.
Every text is written as a string, never as a formula, number or link: an indicator named
`=1+1` stays text; the one formula is a `Lookup`'s, built here from its cells. Document
properties are fixed, so the same input gives the same bytes.
"""

from __future__ import annotations

import io

import xlsxwriter
from xlsxwriter.utility import quote_sheetname, xl_range_abs, xl_rowcol_to_cell

from pipeline.layout.sheet import Chart, Lookup, Page, Range, Series, SheetLayout, Validation
from pipeline.layout.style import (
    BAR_EDGE,
    CHART_FONT,
    CHART_TITLE,
    FIXED_DATE,
    FOOTER,
    GRIDLINES,
    MARKER_SIZE,
    PAPERS,
    POINTS,
    SPARKLINE,
    STYLES,
    Font,
    Style,
)

OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


def format_of(style: Style) -> dict:
    """A style as XlsxWriter's format properties: only what differs from XlsxWriter's default
    is set (a property set to its default would still make a format of its own)."""
    font = style.font
    props: dict = {"font_name": font.name, "font_size": font.size}
    if style.valign:
        props["valign"] = {"center": "vcenter"}.get(style.valign, style.valign)
    if style.wrap:
        props["text_wrap"] = True
    if style.align:
        props["align"] = style.align
    if font.bold:
        props["bold"] = True
    if font.italic:
        props["italic"] = True
    if font.underline:
        props["underline"] = True
    if font.colour:
        props["font_color"] = font.colour
    if style.fill:
        props["bg_color"] = style.fill
    if style.border:
        props["border"] = 1
        if style.border.colour:
            props["border_color"] = style.border.colour
    if style.number_format:
        props["num_format"] = style.number_format
    if style.indent:
        props["indent"] = style.indent
    return props


FORMATS = {name: format_of(style) for name, style in STYLES.items()}


CELL_LIMIT = 32_767  # the most characters an Excel cell holds
CUT = " … (cắt bớt: một ô Excel chỉ chứa được 32.767 ký tự; đủ nội dung trong tệp CSV)"


def fitting(text: str) -> str:
    """A text as an Excel cell can hold it: cut, and said to be cut, past the cell's limit."""
    return text if len(text) <= CELL_LIMIT else text[: CELL_LIMIT - len(CUT)] + CUT


def render(sheets: list[SheetLayout], title: str) -> bytes:
    """The workbook's bytes."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, OPTIONS)
    book.set_properties({"title": title, "author": "", "created": FIXED_DATE})
    formats = _Formats(book)
    numbers = {(layout.name, r, c): v for layout in sheets for r, c, v, _ in layout.numbers}
    for layout in sheets:
        sheet = book.add_worksheet(layout.name)
        _sheet(sheet, layout, formats)
        for chart in layout.charts:
            sheet.insert_chart(chart.row, chart.col, _chart(book, chart, numbers))
    book.close()
    return buffer.getvalue()


class _Formats(dict):
    """A workbook's formats by style name, each added at its first use: XlsxWriter numbers and
    writes only the formats cells use, in the order of their first use, so the bytes are the
    same as with every style added first, and a workbook that uses a few of the fifty styles
    does not make them all."""

    def __init__(self, book) -> None:
        super().__init__()
        self.book = book

    def __missing__(self, name: str):
        made = self[name] = self.book.add_format(FORMATS[name])
        return made


def _sheet(sheet, layout: SheetLayout, formats: dict) -> None:
    for col, width in enumerate(layout.widths):
        style = layout.column_styles.get(col)
        sheet.set_column(col, col, width, formats[style] if style else None)
    for row, height in sorted(layout.heights.items()):
        sheet.set_row(row, height)
    for r1, c1, r2, c2, text, style in layout.merges:
        if (r1, c1) == (r2, c2):
            sheet.write_string(r1, c1, fitting(text), formats[style])
        else:
            sheet.merge_range(r1, c1, r2, c2, "", formats[style])
            sheet.write_string(r1, c1, fitting(text), formats[style])
    for row, col, text, style in layout.cells:
        if text or layout.empty_text:
            sheet.write_string(row, col, fitting(text), formats[style])
        else:
            sheet.write_blank(row, col, None, formats[style])
    for r1, c1, r2, c2, style in layout.blanks:
        for row in range(r1, r2 + 1):
            for col in range(c1, c2 + 1):
                sheet.write_blank(row, col, None, formats[style])
    for row, col, value, style in layout.numbers:
        sheet.write_number(row, col, value, formats[style])
    for lookup in layout.lookups:
        sheet.write_formula(
            lookup.row, lookup.col, _formula(lookup), formats[lookup.style], lookup.shown
        )
    for v in layout.validations:
        sheet.data_validation(v.first_row, v.first_col, v.last_row, v.last_col, _validation(v))
    if layout.sparklines:  # one group of sparklines: their look is worked out once
        first = layout.sparklines[0]
        sheet.add_sparkline(
            first.row,
            first.col,
            {
                "location": [xl_rowcol_to_cell(line.row, line.col) for line in layout.sparklines],
                "range": [_reference(line.data) for line in layout.sparklines],
                "markers": True,
                "empty_cells": "gaps",
                "series_color": SPARKLINE,
                "markers_color": SPARKLINE,
            },
        )
    _page(sheet, layout.page)
    if layout.breaks:
        sheet.set_h_pagebreaks(layout.breaks)
    if layout.freeze:
        sheet.freeze_panes(*layout.freeze)
    if layout.autofilter:
        sheet.autofilter(*layout.autofilter)
    sheet.ignore_errors({"number_stored_as_text": "A1:XFD1048576"})


def _page(sheet, page: Page) -> None:
    sheet.set_paper(PAPERS[page.paper].code)
    if page.landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    margins = page.margins
    sheet.set_margins(
        left=margins.left / 25.4,
        right=margins.right / 25.4,
        top=margins.top / 25.4,
        bottom=margins.bottom / 25.4,
    )
    if page.centred:
        sheet.center_horizontally()
    sheet.fit_to_pages(page.pages_wide, 0)
    if page.repeat_columns:
        sheet.repeat_columns(*page.repeat_columns)
    sheet.print_area(0, 0, page.rows - 1, page.columns - 1)
    if page.header_row is not None:
        sheet.repeat_rows(page.header_row)
    footer = page.footer.format(page="&P", pages="&N")
    sheet.set_footer(f'&C&"{FOOTER.name},Regular"&{page.footer_size}{footer}', {"margin": 0.3})


def _formula(lookup: Lookup) -> str:
    """Excel's words for a lookup: nothing for an empty code, else the code's name, or the
    `missing` text."""
    at = xl_rowcol_to_cell(lookup.row, lookup.key_col)
    missing = lookup.missing.replace('"', '""')
    found = f"VLOOKUP({at},{_area(lookup.table)},{lookup.column},FALSE)"
    return f'=IF({at}="","",IFERROR({found},"{missing}"))'


def _validation(v: Validation) -> dict:
    """XlsxWriter's options for a column's help, and its drop-down list if it has one."""
    if not v.values and v.source is None:
        return {"validate": "any", "input_title": v.title, "input_message": v.message}
    return {
        "validate": "list",
        "source": list(v.values) if v.values else f"={_area(v.source)}",
        "ignore_blank": True,
        "input_title": v.title,
        "input_message": v.message,
        "error_type": "stop" if v.strict else "warning",
        "error_title": v.error_title,
        "error_message": v.error,
    }


def _reference(block: Range) -> str:
    """A range as a formula refers to it: 'Sheet name'!$A$1:$F$1."""
    corners = (block.first_row, block.first_col, block.last_row, block.last_col)
    return f"{quote_sheetname(block.sheet)}!{xl_range_abs(*corners)}"


def _area(block: Range) -> str:
    """A range as a lookup or a list refers to it, two corners even for one cell:
    'Sheet name'!$A$2:$A$2."""
    first = xl_rowcol_to_cell(block.first_row, block.first_col, True, True)
    last = xl_rowcol_to_cell(block.last_row, block.last_col, True, True)
    return f"{quote_sheetname(block.sheet)}!{first}:{last}"


def _each(block: Range) -> list[tuple[str, int, int]]:
    """The cells of a range by sheet, row and column, row by row."""
    return [
        (block.sheet, row, col)
        for row in range(block.first_row, block.last_row + 1)
        for col in range(block.first_col, block.last_col + 1)
    ]


def _cells(block: Range) -> list:
    return [block.sheet, block.first_row, block.first_col, block.last_row, block.last_col]


DASHES = {"dash": "dash", "dot": "round_dot"}  # the model's lines as XlsxWriter's dash types


def _chart(book, chart: Chart, numbers: dict[tuple[str, int, int], float]):
    """A native Excel chart: lines over years, or bars stacked per category. The values each
    series keeps beside its reference (for a reader that does not read the cells) are the
    numbers written (`numbers`, by sheet, row and column), and nothing where none is: XlsxWriter
    would keep a blank cell as a 0."""
    font = _chart_font(CHART_FONT)
    if chart.kind == "line":
        drawn = book.add_chart({"type": "line"})
    else:
        drawn = book.add_chart({"type": "bar", "subtype": "stacked"})
    for series in chart.series:
        options = {
            "name": series.name,
            "categories": _cells(chart.categories),
            "values": _cells(series.values),
            "values_data": [numbers.get(cell) for cell in _each(series.values)],
        }
        if chart.kind == "line":
            options.update(_line(series))
        else:
            options["fill"] = {"color": series.colour}
            options["border"] = {"color": BAR_EDGE}
            options["gap"] = 60
        drawn.add_series(options)
    drawn.set_title({"name": chart.title, "name_font": _chart_font(CHART_TITLE)})
    values = {
        "num_font": font,
        "major_gridlines": {"visible": True, "line": {"color": GRIDLINES}},
    }
    if chart.value_title:
        values["name"] = chart.value_title
        values["name_font"] = {**font, "bold": False}
    if chart.whole:
        values["num_format"] = "0"
    if chart.axis:
        axis = chart.axis
        values.update({"min": axis.low, "max": axis.high, "major_unit": axis.step})
        values["num_format"] = "#,##0" + ("." + "0" * axis.decimals if axis.decimals else "")
    categories = {"num_font": font}
    if chart.kind == "line":
        drawn.set_x_axis(categories)
        drawn.set_y_axis(values)
        drawn.show_blanks_as("gap")
    else:  # a bar chart's categories run down its vertical axis: first at the top
        drawn.set_x_axis(values)
        drawn.set_y_axis({**categories, "reverse": True})
    legend = {"position": "bottom", "font": font}
    hidden = [i for i, series in enumerate(chart.series) if not series.legend]
    if hidden:
        legend["delete_series"] = hidden
    drawn.set_legend(legend)
    drawn.set_size({"width": chart.width, "height": chart.height})
    return drawn


def _line(series: Series) -> dict:
    """A line series' options: its line, and its points."""
    if series.line == "none":
        line = {"none": True}
    else:
        line = {"color": series.colour, "width": series.width}
        if series.line in DASHES:
            line["dash_type"] = DASHES[series.line]
    options = {"line": line}
    fill, border = (
        (POINTS[series.marker].fill, POINTS[series.marker].border)
        if series.marker
        else (series.colour, series.colour)
    )
    options["marker"] = (
        {
            "type": "circle",
            "size": MARKER_SIZE,
            "fill": {"color": fill},
            "border": {"color": border},
        }
        if series.markers
        else {"type": "none"}
    )
    return options


def _chart_font(font: Font) -> dict:
    """A font as XlsxWriter's charts take it."""
    return {"name": font.name, "size": font.size, **({"bold": True} if font.bold else {})}

"""Drawing `Marks` onto a copy of the officer's own workbook with openpyxl.

XlsxWriter only writes new workbooks; openpyxl opens the officer's `.xlsx` or `.xlsm` and keeps
its sheets, values and formatting (pictures and charts it cannot keep). A `.xls`, `.ods` or
`.xlsb` workbook (which openpyxl cannot open) becomes a new `.xlsx` holding its cells' values at
the same addresses, read with the calamine reader. Which of the two a format gets is its
`marker` in `pipeline/formats.py`. The list of problems is the sheet model of
`pipeline/layout/marks.py`, drawn in the annexes' styles (`pipeline/layout/style.py`, translated
once into openpyxl's style objects). The document properties and the zip
entries' dates are fixed, so the same record gives the same bytes.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass

import openpyxl
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.writer.excel import ExcelWriter

from pipeline import formats
from pipeline.layout.marks import Marks
from pipeline.layout.sheet import Page, SheetLayout
from pipeline.layout.style import FIXED_DATE, FOOTER, INK, PAPERS, SEVERITY, STYLES, ZIP_DATE, Style
from pipeline.text import key, visible

AUTHOR = "bieu"
VALUES_SUFFIX = formats.XLSX.suffix  # a copy of a workbook's values, as openpyxl writes it


def _rgb(colour: str | None) -> str:
    """A colour as openpyxl takes it: RRGGBB; none, the ink of plain text."""
    return (colour or INK).lstrip("#")


FILL = {level: _rgb(fill) for level, fill in SEVERITY.items()}  # of a marked cell, by severity


@dataclass(frozen=True)
class _Look:
    """A style as openpyxl's style objects, made once and given to every cell of that style."""

    font: Font
    alignment: Alignment
    border: Border | None
    fill: PatternFill | None


def _look(style: Style) -> _Look:
    font = style.font
    side = Side(style="thin", color=_rgb(style.border.colour)) if style.border else None
    return _Look(
        Font(
            name=font.name,
            size=font.size,
            bold=font.bold,
            italic=font.italic,
            underline="single" if font.underline else None,
            color=_rgb(font.colour),
        ),
        Alignment(horizontal=style.align, vertical=style.valign, wrap_text=style.wrap),
        Border(left=side, right=side, top=side, bottom=side) if side else None,
        PatternFill("solid", fgColor=_rgb(style.fill)) if style.fill else None,
    )


_LOOKS = {name: _look(style) for name, style in STYLES.items()}


@dataclass(frozen=True)
class Copy:
    """A marked copy: its bytes, and the suffix its file must bear (`.xlsm` keeps its macros;
    a workbook rebuilt from values is `.xlsx`)."""

    data: bytes
    suffix: str


def marked_copy(source: bytes, suffix: str, marks: Marks) -> Copy | None:
    """The workbook `source` (a raw file's bytes, of this suffix) with its problems marked;
    None when it cannot be opened at all (its problem says so already)."""
    sheets = {key(p.sheet) for p in marks.problems if p.sheet}
    book, suffix = _open(source, suffix.lower(), sheets)
    if book is None:
        return None
    titles = {key(sheet.title): sheet for sheet in book.worksheets}

    def find(name: str):
        return book[name] if name in book.sheetnames else titles.get(key(name))

    for (name, a1), mark in marks.cells.items():
        sheet = find(name)
        if sheet is None:
            continue  # the list still names it
        cell = _top_left(sheet, a1)
        cell.fill = PatternFill("solid", fgColor=FILL[mark.level])
        note = mark.note
        if cell.comment is not None:
            note += f"\n\nGhi chú có sẵn trong tệp: {cell.comment.text}"
        lines = sum(len(line) // 48 + 1 for line in note.split("\n"))
        cell.comment = Comment(note, AUTHOR, height=min(24 + 15 * lines, 400), width=320)
    listing = book.create_sheet(marks.sheet.name, 0)
    _draw(listing, marks.sheet)
    for (row, col), (name, a1) in marks.links.items():
        sheet = find(name)
        if sheet is not None:
            cell = listing.cell(row + 1, col + 1)
            location = f"{quote_sheetname(sheet.title)}!{a1}"
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=location, display=a1)
    book.active = 0
    listing.sheet_view.tabSelected = True
    for sheet in book.worksheets[1:]:
        sheet.sheet_view.tabSelected = False
        # printed, each of the officer's sheets fits one landscape page wide
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return Copy(_save(book), suffix)


def _open(source: bytes, suffix: str, sheets: set[str]) -> tuple[openpyxl.Workbook | None, str]:
    """The workbook as openpyxl sees it (a format marked as its own), or rebuilt from the values
    of `sheets` (any other; sheets by `key`); and the copy's suffix. None for a file that
    cannot be opened, or that is larger, expanded, than reading allows (`formats.fits_limits`:
    a zip bomb is not opened to be marked either)."""
    kind = formats.of(suffix)
    if kind is not None and kind.marker is None:  # it says so where it is read
        return None, suffix
    if kind is None or kind.marker != formats.OWN:
        return _from_values(source, sheets), VALUES_SUFFIX
    if not formats.fits_limits(source):
        return None, suffix
    if _sheet_bytes(source) > WHOLE_COPY_BYTES:  # openpyxl would load every sheet, used or not
        return _from_values(source, sheets), VALUES_SUFFIX
    try:
        with warnings.catch_warnings():  # "data validation extension is not supported", …
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(source), keep_vba=kind.macros, rich_text=True)
        return book, suffix
    except Exception:  # a file openpyxl cannot open: any reader error is the file's
        return None, suffix


# a workbook whose sheets hold more than this, once expanded, is marked as a copy of the values
# of its sheets with problems only: openpyxl loads every sheet of a workbook it opens (a table of
# a commune is some tens of kilobytes; 2 MB of sheets is data the pipeline does not read)
WHOLE_COPY_BYTES = 2 * 2**20


def _sheet_bytes(source: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(source)) as book:
        return sum(p.file_size for p in book.infolist() if p.filename.startswith("xl/worksheets/"))


def _from_values(source: bytes, sheets: set[str]) -> openpyxl.Workbook | None:
    """A new workbook holding the values of the sheets that have problems, at the same addresses
    (calamine reads a sheet into a full grid: only the sheets that loading read are read)."""
    from python_calamine import CalamineWorkbook

    try:
        found = CalamineWorkbook.from_filelike(io.BytesIO(source))
        grids = {
            name: found.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in found.sheet_names
            if key(name) in sheets
        }
    except Exception:  # a corrupt or foreign file: any reader error is the file's
        return None
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, grid in grids.items():
        sheet = book.create_sheet(name)
        for r, values in enumerate(grid, start=1):
            for c, value in enumerate(values, start=1):
                if value == "" or value is None:
                    continue
                if isinstance(value, str):  # a control character marked, as loading marks it
                    value = visible(value)
                cell = sheet.cell(r, c, value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text stays text: "=1+1" is no formula
    return book


def _top_left(sheet, a1: str):
    """The cell at `a1`, or the first cell of the merged range it lies in."""
    cell = sheet[a1]
    if isinstance(cell, MergedCell):
        merged = next(r for r in sheet.merged_cells.ranges if a1 in r)
        cell = sheet.cell(merged.min_row, merged.min_col)
    return cell


def _style(cell, look: _Look) -> None:
    cell.font, cell.alignment = look.font, look.alignment
    if look.border is not None:
        cell.border = look.border
    if look.fill is not None:
        cell.fill = look.fill


def _draw(sheet, layout: SheetLayout) -> None:
    """A `SheetLayout` drawn on an openpyxl sheet (every text as text)."""
    for col, width in enumerate(layout.widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    for row, height in layout.heights.items():
        sheet.row_dimensions[row + 1].height = height
    for r1, c1, r2, c2, text, style in layout.merges:
        if (r1, c1) != (r2, c2):
            sheet.merge_cells(
                start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1
            )
        _text(sheet.cell(r1 + 1, c1 + 1), text, style)
    for row, col, text, style in layout.cells:
        _text(sheet.cell(row + 1, col + 1), text, style)
    _page(sheet, layout.page)
    if layout.freeze:
        sheet.freeze_panes = sheet.cell(layout.freeze[0] + 1, layout.freeze[1] + 1)
    if layout.autofilter:
        r1, c1, r2, c2 = layout.autofilter
        first, last = sheet.cell(r1 + 1, c1 + 1), sheet.cell(r2 + 1, c2 + 1)
        sheet.auto_filter.ref = f"{first.coordinate}:{last.coordinate}"


def _text(cell, text: str, style: str) -> None:
    if text:
        cell.value = text
        cell.data_type = "s"
    _style(cell, _LOOKS[style])


def _page(sheet, page: Page) -> None:
    setup = sheet.page_setup
    setup.paperSize = PAPERS[page.paper].code
    setup.orientation = "landscape" if page.landscape else "portrait"
    setup.fitToWidth, setup.fitToHeight = page.pages_wide, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    margins = page.margins
    sheet.page_margins.left, sheet.page_margins.right = margins.left / 25.4, margins.right / 25.4
    sheet.page_margins.top, sheet.page_margins.bottom = margins.top / 25.4, margins.bottom / 25.4
    sheet.page_margins.footer = 0.3
    sheet.print_options.horizontalCentered = True
    last = get_column_letter(page.columns)
    sheet.print_area = f"A1:{last}{page.rows}"
    if page.header_row is not None:
        sheet.print_title_rows = f"{page.header_row + 1}:{page.header_row + 1}"
    footer = page.footer.format(page="&P", pages="&N")
    sheet.oddFooter.center.text = footer
    sheet.oddFooter.center.font = f"{FOOTER.name},Regular"
    sheet.oddFooter.center.size = FOOTER.size


class _FixedDates(zipfile.ZipFile):
    """A zip file whose entries all carry one date, so that the same workbook gives the same
    bytes (openpyxl stamps each entry with the current time, or a sheet's temporary file's; the
    Word report's `docx.dated` does the same after python-docx's save)."""

    def writestr(self, name, data, compress_type=None, compresslevel=None):
        if not isinstance(name, zipfile.ZipInfo):
            name = zipfile.ZipInfo(name, ZIP_DATE)
            name.compress_type = zipfile.ZIP_DEFLATED
            name.external_attr = 0o600 << 16
        super().writestr(name, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        with open(filename, "rb") as stream:
            self.writestr(arcname or str(filename), stream.read(), compress_type, compresslevel)


def _save(book: openpyxl.Workbook) -> bytes:
    """The workbook's bytes, with fixed document dates (openpyxl's own save stamps the time)."""
    book.properties.created = book.properties.modified = FIXED_DATE
    buffer = io.BytesIO()
    with _FixedDates(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(book, archive).save()
    return buffer.getvalue()

"""The look of every product, in terms every renderer shares: fonts, sizes, alignment, fills,
borders, the paper, and the dates a file is stamped with.

A layout names a style ("title", "header", "rating:Vượt", "mark:lỗi"); this module says what each
looks like. Each renderer translates the table once into its own library's terms (XlsxWriter
formats, python-docx runs and shading, openpyxl styles) and spells no colour or font itself.
Colours are hex, "#RRGGBB"; sizes in points; lengths in millimetres. The colours of the ratings
and of the progress to 2030 are the vocabulary's (`schemas/vocabulary.py`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from schemas.vocabulary import ERROR, FINDING, PROGRESS, RATINGS, WARNING

FONT = "Times New Roman"  # every text of every product (Nghị định 30/2020/NĐ-CP, Phụ lục I)
INK = "#000000"  # the colour of a text that has none of its own
GREY = "#595959"  # notes: a sheet's side title, the tally's recomputed line
WARN = "#9C0006"  # a text that warns: an error's severity, a target below its baseline
SIDE_LINE, SIDE_FILL = "#A6A6A6", "#F2F2F2"  # the columns beside the print area
LINK = "#0563C1"  # a link to a cell, as spreadsheets colour one
FORM_HEADER, DECIDE = "#DDEBF7", "#FCE4D6"  # a form's header row; a row of a draft to decide
# a problem's severity: the fill of its cell in a marked copy, and of its level in the list of
# a marked copy and in the annex's Kiểm tra
SEVERITY = {ERROR: "#FF7C80", WARNING: "#FFC000", FINDING: "#BDD7EE"}  # red, amber, light blue

# the dates a file carries, fixed so that the same input gives the same bytes: its document
# properties (created, modified), and its zip entries (the earliest date a zip entry can carry)
FIXED_DATE = dt.datetime(2000, 1, 1)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Paper:
    """A paper size: its width and height in millimetres (portrait), and the number a
    spreadsheet's page setup gives it."""

    width: float
    height: float
    code: int


PAPERS = {"A4": Paper(210, 297, 9)}


@dataclass(frozen=True)
class Font:
    """A font: size in points (whole), bold, italic, underlined, its colour (None: `INK`)."""

    size: int
    bold: bool = False
    italic: bool = False
    underline: bool = False
    colour: str | None = None
    name: str = FONT


@dataclass(frozen=True)
class Border:
    """A thin line on the four sides of a cell; its colour (None: automatic, black)."""

    colour: str | None = None


@dataclass(frozen=True)
class Style:
    """The look of a cell or a line: its font; its alignment across ("left", "center", "right";
    None: as the kind of value goes); its fill; its border; how a number written as a number
    shows (a spreadsheet's number format; None: as typed); its indent in levels; where a text
    sits in its row's height ("center", "top"; None: the bottom, a spreadsheet's default) and
    whether it wraps. The products' texts are centred in their rows and wrap; the forms' are not
    all."""

    font: Font
    align: str | None = None
    fill: str | None = None
    border: Border | None = None
    number_format: str | None = None
    indent: int = 0
    valign: str | None = "center"
    wrap: bool = True


_PLAIN = Style(Font(12))  # a line of the sheet outside the table
_CELL = replace(_PLAIN, border=Border())  # a cell of the printed table
_SIDE = Style(Font(11), border=Border(SIDE_LINE))  # a cell beside the print area


def _form_line(font: Font) -> Style:
    """A line of a form outside its tables: at the cell's foot, unwrapped."""
    return Style(font, valign=None, wrap=False)


_FORM_CELL = Style(Font(11), border=Border(), number_format="@", valign="top")


def _coloured(fill: str, ink: str) -> Style:
    return replace(_CELL, font=Font(12, colour=ink), align="center", fill=fill)


# the styles the layouts name; a renderer draws each of them, whichever a sheet uses
STYLES: dict[str, Style] = {
    "bieu_so": Style(Font(12, bold=True), "right"),
    "title": Style(Font(14, bold=True), "center"),
    "subtitle": Style(Font(12, italic=True), "center"),
    "header": replace(_CELL, font=Font(12, bold=True), align="center"),
    "group": replace(_CELL, font=Font(12, bold=True), align="center"),
    "group_name": replace(_CELL, font=Font(12, bold=True), align="left"),
    "tt": replace(_CELL, align="center"),
    "text": replace(_CELL, align="left"),
    "center": replace(_CELL, align="center"),
    "number": replace(_CELL, align="right"),
    "text_center": replace(_CELL, align="center"),
    "tally": Style(Font(12, bold=True), "left"),
    "tally_note": Style(Font(12, italic=True, colour=GREY), "left"),
    "warn": replace(_CELL, font=Font(12, bold=True, colour=WARN)),
    "side_title": Style(Font(12, bold=True, italic=True, colour=GREY), "center"),
    "side_header": replace(_SIDE, font=Font(11, bold=True), align="center", fill=SIDE_FILL),
    "side_text": replace(_SIDE, align="left"),
    "side_center": replace(_SIDE, align="center"),
    "side_number": replace(_SIDE, align="right"),
    "side_warn": replace(_SIDE, font=Font(11, bold=True, colour=WARN), align="left"),
    **{f"rating:{r.word}": _coloured(r.fill, r.ink) for r in RATINGS},
    **{f"progress:{p.word}": _coloured(p.fill, p.ink) for p in PROGRESS},
    "side_value": replace(_SIDE, align="right", number_format="#,##0.00"),
    "count": replace(_CELL, align="center", number_format="0"),
    "legend": Style(Font(11), "left", indent=1),
    # a problem's severity in its fill (a marked copy's list, Kiểm tra); a link to its cell
    **{f"mark:{level}": replace(_CELL, align="center", fill=f) for level, f in SEVERITY.items()},
    "link": replace(_CELL, font=Font(12, underline=True, colour=LINK), align="center"),
    # the ready-to-fill forms (`bieu mau`): 11-point, typed into cells formatted as text
    "form_title": _form_line(Font(14, bold=True)),
    "form_heading": _form_line(Font(12, bold=True)),
    "form_note": Style(Font(11), valign="top"),
    "form_header": Style(Font(11, bold=True), "center", FORM_HEADER, Border()),
    # a header the form cannot know in full ("Chỉ tiêu NQ Đại hội …"): to finish as printed
    "form_header_todo": Style(Font(11, bold=True, colour=WARN), "center", DECIDE, Border()),
    "form_cell": _FORM_CELL,
    "form_group": replace(_FORM_CELL, font=Font(11, bold=True)),
    "form_decide": replace(_FORM_CELL, fill=DECIDE),
    "form_decide_note": replace(_FORM_CELL, font=Font(11, colour=WARN), fill=DECIDE),
    "form_side": replace(_FORM_CELL, font=Font(11, italic=True)),
    "form_text": replace(_form_line(Font(11)), number_format="@"),
}


# ---------------------------------------------------------------------------- printed page

FOOTER = Font(11)  # the page number at the foot of a printed sheet


# ---------------------------------------------------------------------------- charts

SPARKLINE = "#1F4E78"  # a sparkline's line and points
CHART_FONT = Font(9)  # a chart's axes and legend
CHART_TITLE = Font(10, bold=True)
GRIDLINES = "#D9D9D9"
BAR_EDGE = "#FFFFFF"  # between the stacked parts of a bar
# the lines of a tracked target's chart: its results, the path to it, the target
RESULT_INK, PATH_INK, GOAL_INK = SPARKLINE, "#7F7F7F", "#C00000"
GUIDE_WIDTH = 1.5  # points: the path's and the target's lines (the results': a series' own)


@dataclass(frozen=True)
class Marker:
    """A point of a chart drawn in colours of its own: its fill and its border."""

    fill: str
    border: str


MARKER_SIZE = 6  # a chart's point, across
# a status's colours in a chart, by the style name of its cell in a table (`progress:…`): a
# year's point on its line, a status's part of a bar; its hue the table cell's, strong enough
# to see as a point, bordered with the cell's ink
POINTS: dict[str, Marker] = {f"progress:{p.word}": Marker(p.bar, p.ink) for p in PROGRESS}


# ---------------------------------------------------------------------------- documents


@dataclass(frozen=True)
class Text:
    """The look of a document's paragraph: its font, its alignment ("left", "center",
    "justify"), its first line's indent (mm) and the space before and after it (points)."""

    font: Font
    align: str
    first_line: float = 0
    space_before: float = 0
    space_after: float = 6


BODY_SIZE = 14  # points: Phụ lục I asks 13-14 for the text
INDENT = 12.7  # mm: the first line of a paragraph of prose
# the paragraph styles of `pipeline/layout/document.py`
PARAGRAPHS: dict[str, Text] = {
    "title": Text(Font(BODY_SIZE, bold=True), "center"),
    "subtitle": Text(Font(BODY_SIZE, italic=True), "center"),
    "heading1": Text(Font(BODY_SIZE, bold=True), "justify", INDENT),
    "heading2": Text(Font(BODY_SIZE, bold=True), "justify", INDENT),
    "heading3": Text(Font(BODY_SIZE, bold=True, italic=True), "justify", INDENT),
    "body": Text(Font(BODY_SIZE), "justify", INDENT),
}
# the text in a document's tables: the workbook's size, clear of the cells' borders
TABLE_TEXT = Text(Font(12), "left", space_before=2, space_after=2)

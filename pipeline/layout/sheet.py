"""The sheet model every layout builds and every renderer draws: cells with style names, merged
ranges, column widths, row heights, and the printed page; for a workbook a person fills in, the
help and drop-down lists of its columns and the cells that look a typed code up.

Renderer-neutral: the xlsx renderer (`pipeline/render/xlsx.py`) turns a `SheetLayout` into an
Excel sheet, the Word renderer into a table; a PDF or HTML renderer would read the same model.
Style names (`"title"`, `"rating:Vượt"`) say how a cell looks in `pipeline/layout/style.py`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd

from pipeline.parse import format_vi
from schemas.vocabulary import PROGRESS_OF, RATING

LINE_HEIGHT = 15.0  # points per line of 12-point Times New Roman
PADDING = 4.5  # points above and below the text, so that a line does not touch the borders
CHAR_WIDTH = 0.8  # Excel width units a character of 12-point Times New Roman takes, on average


@dataclass(frozen=True)
class Margins:
    """Page margins in millimetres."""

    top: float
    bottom: float
    left: float
    right: float


# Nghị định 30/2020/NĐ-CP, Phụ lục I: top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm
ADMINISTRATIVE = Margins(top=20, bottom=20, left=30, right=15)


@dataclass
class Page:
    """How a sheet or a document prints: on A4, portrait or landscape, within the administrative
    margins, centred, `pages_wide` pages across, its header row (and `repeat_columns`) on every
    page, the footer and the header at the top centre (`{page}` and `{pages}` stand for the page
    number and count; empty: none, in `footer_size` points), the header left off the first page
    unless `header_on_first_page`. The workbook renderer draws footers; the document renderer
    both."""

    paper: str = "A4"
    landscape: bool = False
    margins: Margins = ADMINISTRATIVE
    pages_wide: int = 1
    columns: int = 0  # columns 0 .. columns - 1 are printed
    rows: int = 0  # rows 0 .. rows - 1 are printed
    header_row: int | None = None  # repeated on every printed page
    repeat_columns: tuple[int, int] | None = None  # printed on every page, left of the rest
    footer: str = "Trang {page}/{pages}"
    header: str = ""
    header_on_first_page: bool = True
    centred: bool = True  # centred across the page; else from the left margin
    footer_size: int = 11


@dataclass(frozen=True)
class Range:
    """A block of cells of a sheet, by name: rows and columns from 0, both ends included."""

    sheet: str
    first_row: int
    first_col: int
    last_row: int
    last_col: int


@dataclass(frozen=True)
class Sparkline:
    """A small line drawn inside the cell (`row`, `col`) from the numbers of `data`; empty
    cells are gaps, each point marked."""

    row: int
    col: int
    data: Range


LINES = ("solid", "dash", "dot", "none")  # how a series' line is drawn; "none": points only


@dataclass(frozen=True)
class Series:
    """One line or bar set of a chart: its name, its numbers, its colour (#RRGGBB), its line
    (one of `LINES`) and its width in points, points marked or not, and in the colours of a
    style of `pipeline/layout/style.py` `POINTS` (`marker`; "": the series' colour); whether
    the legend names it."""

    name: str
    values: Range
    colour: str
    line: str = "solid"
    width: float = 2.25
    markers: bool = True
    marker: str = ""
    legend: bool = True


# the value axis of every chart: it covers everything the chart draws, with AXIS_PADDING of the
# largest value's size above and below (a change reads in proportion to the indicator's size),
# never below zero for what is never negative, never above a `ceiling` (100 for a percentage)
# the values stay within; its ends on whole steps of 1, 2 or 5 times a power of ten, the least
# that gives at most MOST_STEPS gridlines' intervals
AXIS_PADDING = 0.05
MOST_STEPS = 8
NICE_STEPS = (1, 2, 5)


@dataclass(frozen=True)
class Axis:
    """A value axis: from `low` to `high`, a gridline every `step`."""

    low: float
    high: float
    step: float

    @property
    def decimals(self) -> int:
        """The decimals its labels need to show each step."""
        return next(d for d in range(10) if abs(round(self.step, d) - self.step) < 1e-9)


def value_axis(
    values: Sequence[float | None], ceiling: float | None = None, whole: bool = False
) -> Axis | None:
    """The value axis for a chart of `values` (missing ones left out; none: None, the
    spreadsheet's own): from the least to the greatest, padded by `AXIS_PADDING` of the
    greatest size, kept at or above zero if no value is below it and at or under `ceiling` if
    none is above it, its ends on whole steps (`whole`: steps of whole numbers, for counts)."""
    drawn = [float(v) for v in values if v is not None and not pd.isna(v)]
    if not drawn:
        return None
    least, most = min(drawn), max(drawn)
    pad = AXIS_PADDING * max(abs(least), abs(most)) or 1.0
    low, high = least - pad, most + pad
    if least >= 0:
        low = max(low, 0.0)
    capped = ceiling is not None and most <= ceiling and low < ceiling
    if capped:
        high = min(high, ceiling)
    for step in _steps((high - low) / MOST_STEPS, whole):
        bottom = math.floor(round(low / step, 9)) * step
        top = math.ceil(round(high / step, 9)) * step
        if round((top - bottom) / step) <= MOST_STEPS:
            break
    top = min(top, ceiling) if capped else top
    return Axis(round(bottom, 9), round(float(top), 9), step)


def _steps(least: float, whole: bool):
    """The steps of `NICE_STEPS` times a power of ten from the first at least `least`, in
    increasing order (`whole`: whole numbers only)."""
    power = 10.0 ** math.floor(math.log10(least))
    while True:
        for n in NICE_STEPS:
            step = round(n * power, 12)
            if step >= least * (1 - 1e-9) and (not whole or step % 1 == 0):
                yield step
        power *= 10


@dataclass
class Chart:
    """A chart over cells: `kind` "line" (years across) or "stacked_bar" (one bar per category,
    its series stacked), its title, the category labels, its series, where its top left corner
    is (`row`, `col`), its size in pixels, the title of its value axis, whether the values
    are whole numbers (counts), and its value axis (None: the spreadsheet's own)."""

    kind: str
    title: str
    categories: Range
    series: list[Series]
    row: int
    col: int
    width: int
    height: int
    value_title: str = ""
    whole: bool = False
    axis: Axis | None = None


class Merge(NamedTuple):
    """Cells drawn as one, holding a text in a style: rows and columns from 0, both ends
    included (a single cell is written without merging)."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int
    text: str
    style: str


@dataclass(frozen=True)
class Title:
    """A line above a table, merged over its columns: its text, its style, and whether its row
    is made tall enough for the text wrapped (else it keeps the default height)."""

    text: str
    style: str = "title"
    fitted: bool = True


@dataclass(frozen=True)
class Validation:
    """What a person is told, and offered, in the cells of a block (rows and columns from 0,
    both ends included): `title` and `message` shown as a cell is selected; with `values`, or
    the cells of `source`, a drop-down list, anything else refused (`strict`) or warned of and
    kept, with `error` (under `error_title`) as the reason."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int
    title: str
    message: str
    values: tuple[str, ...] = ()
    source: Range | None = None
    strict: bool = False
    error_title: str = ""
    error: str = ""


@dataclass(frozen=True)
class Lookup:
    """A cell (`row`, `col`) showing what the code typed in column `key_col` of its row names:
    column `column` (from 1) of the row of `table` whose first column holds the code; `missing`
    where none does, nothing while the code is empty. It shows `shown` until it is worked out
    again."""

    row: int
    col: int
    key_col: int
    table: Range
    column: int
    missing: str
    shown: str
    style: str


@dataclass
class SheetLayout:
    name: str
    cells: list[tuple[int, int, str, str]] = field(default_factory=list)  # row, col, text, style
    merges: list[Merge] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)
    heights: dict[int, float] = field(default_factory=dict)
    page: Page = field(default_factory=Page)
    freeze: tuple[int, int] | None = None
    autofilter: tuple[int, int, int, int] | None = None
    numbers: list[tuple[int, int, float, str]] = field(default_factory=list)  # for charts
    sparklines: list[Sparkline] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    breaks: list[int] = field(default_factory=list)  # rows that start a new printed page
    column_styles: dict[int, str] = field(default_factory=dict)  # for cells nothing is put in
    validations: list[Validation] = field(default_factory=list)
    lookups: list[Lookup] = field(default_factory=list)
    empty_text: bool = False  # an empty cell is an empty text (a form's, to type in), not blank
    # a cell's note, by (row, col): a spreadsheet's comment, a web page's title and its text
    notes: dict[tuple[int, int], str] = field(default_factory=dict)
    # blocks of empty cells of a style (first row, first col, last row, last col, style): a
    # form's rows below its table, formatted as text to be typed into
    blanks: list[tuple[int, int, int, int, str]] = field(default_factory=list)

    def put(self, row: int, col: int, text: object, style: str) -> None:
        self.cells.append((row, col, "" if text is None or text != text else str(text), style))

    def merge(
        self, first_row: int, first_col: int, last_row: int, last_col: int, text: str, style: str
    ) -> None:
        """Cells drawn as one (`Merge`), holding `text`."""
        self.merges.append(Merge(first_row, first_col, last_row, last_col, text, style))

    def titles(self, lines: Sequence[Title], last: int, top: int = 0) -> int:
        """Lines merged over the columns 0 to `last`, one a row from `top`, each row tall enough
        for its text unless the line says not; returns the row after them."""
        width = sum(self.widths[: last + 1])
        for row, line in enumerate(lines, start=top):
            self.merge(row, 0, row, last, line.text, line.style)
            if line.fitted:
                self.fit(row, [(line.text, width)])
        return top + len(lines)

    def header(
        self, row: int, texts: Sequence[str], style: str = "header", fitted: bool = True
    ) -> None:
        """A header row: a text a column from the first, the row tall enough for them (unless
        not `fitted`)."""
        for col, text in enumerate(texts):
            self.put(row, col, text, style)
        if fitted:
            self.fit(row, [(t, self.widths[i]) for i, t in enumerate(texts)])

    def heading(
        self,
        lines: Sequence[Title],
        columns: Sequence[str],
        header: int,
        top: int = 0,
        across: int | None = None,
        fitted: bool = True,
    ) -> None:
        """A table's head: its title lines from row `top`, merged over its columns (the first
        `across`, or as many as it has), then its header row at `header` (fitted unless not
        `fitted`)."""
        self.titles(lines, (across or len(columns)) - 1, top)
        self.header(header, columns, fitted=fitted)

    def number(self, row: int, col: int, value: float | None, style: str) -> None:
        """A number written as a number (a chart or a sparkline draws it); missing: a gap."""
        if value is None or pd.isna(value):
            self.put(row, col, "", style)
        else:
            self.numbers.append((row, col, float(value), style))

    def fit(self, row: int, texts: list[tuple[str, float]], most: int | None = None) -> None:
        """Make a row tall enough for its wrapped texts, given as (text, column width) pairs; a
        text counts for at most `most` lines."""
        lines = max([1] + [min(wrapped_lines(t, w), most or 999) for t, w in texts if t])
        height = lines * LINE_HEIGHT + 2 * PADDING
        self.heights[row] = max(self.heights.get(row, 0), height)

    def printed(self, columns: int, rows: int, header_row: int | None) -> None:
        """Set the print area (the first `columns` columns and `rows` rows) and the header row
        repeated on every page."""
        self.page.columns, self.page.rows, self.page.header_row = columns, rows, header_row


def wrapped_lines(text: str, width: float) -> int:
    """How many lines a text wraps to in a column `width` units wide, breaking between words,
    and inside a word that is longer than a line (as Excel does)."""
    capacity = max((width - 1) / CHAR_WIDTH, 1)
    if len(text) <= capacity and "\n" not in text:
        return 1  # most cells: the words of a line take no more than its characters
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split(" "):
            need = len(word) + (1 if used else 0)
            if used and used + need > capacity:
                lines, used, need = lines + 1, 0.0, len(word)
            if need > capacity:
                extra = math.ceil(need / capacity) - 1
                lines, used = lines + extra, need - extra * capacity
            else:
                used += need
    return lines


def amount(value: float | None) -> str:
    """A computed figure as shown beside the tables: up to two decimals, empty when missing."""
    return "" if value is None or pd.isna(value) else format_vi(round(value, 2))


def rating_style(rating: str) -> str:
    """The style of a rating cell: coloured by its rating, plain centred for anything else."""
    return f"rating:{rating}" if rating in RATING else "text_center"


def progress_style(status: str) -> str:
    """The style of a cell coloured by where a year's result stands on the way to 2030."""
    return f"progress:{status}" if status in PROGRESS_OF else "text_center"

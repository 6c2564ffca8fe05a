"""Headers and header matching: where a sheet's header row is, which of its columns each column
of a layout is (its own header, a synonym, a prefix), and what is said of the headers that match
none (a column missing, a header mistyped, a header twice). The cells of a header read as text.

Pure: rows of cells in, column indexes and problems out. `load` reads the workbooks with it.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from rapidfuzz import fuzz, process

from pipeline import workbook
from pipeline.cells import column_letter
from pipeline.parse import format_vi
from pipeline.problems import ERROR, WARNING, Problem
from pipeline.text import clean, key
from schemas.catalogue import INDICATOR_SHEET, UNIT_SHEET
from schemas.commune import INFO_SHEET, MEMBER_SHEET
from schemas.layout import YEAR_HEADER, Sheet
from schemas.tables import HEADER_SYNONYMS, RESULT_SHEET, TARGET_SHEET, YEARLY_SHEET

HEADER_SEARCH_ROWS = 15


def header_key(value: object) -> str:
    """Headers match whatever the keyboard: NFKC (km² = km2), case and spaces folded."""
    return unicodedata.normalize("NFKC", key(value))


def header_match(value: object) -> str:
    """A header as it is matched: folded (`header_key`), a synonym of the record's own header
    read as that header ("STT" is "tt"; "Chỉ tiêu Nghị quyết Đại hội XXIII" is "chỉ tiêu nq đại
    hội xxiii"), by `schemas.tables.HEADER_SYNONYMS`."""
    folded = header_key(value)
    if folded in _SYNONYMS:
        return _SYNONYMS[folded]
    for alias, header in _PREFIX_SYNONYMS:
        if folded.startswith(alias + " "):
            return header + folded[len(alias) :]
    return folded


def cell_text(value: object) -> str:
    """A cell as text. A number typed as a number is written without grouping (5436, 1,13) so
    that reading it back is never ambiguous."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):  # as Excel shows a logical value
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return format_vi(value).replace(".", "")
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, dt.timedelta):  # a duration as Excel shows it: 30:00:00
        seconds = round(value.total_seconds())
        sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
        return f"{sign}{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return clean(value)


def cell_value(value: object) -> object:
    """A value cell kept for the parser: numbers and dates as they are, text cleaned."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, int | float | dt.datetime | dt.date) and not isinstance(value, bool):
        return value
    return cell_text(value)


Grid = list[list[object]]


NEAR_HEADER = 80  # an unknown header this near an optional column not found is named (RapidFuzz
# ratio, accents aside): a mistyped header, not an office's own column


def header_columns(header: list[object], sheet: Sheet) -> dict[str, list[int]]:
    """Every column of a header row that each field of the layout matches: its own header, or,
    for a prefix column, a header going on from it that is not another field's own header."""
    cells = [header_match(v) for v in header]
    exact = {name: header_key(col.header) for name, col in sheet.columns.items()}
    own = set(exact.values())
    return {
        name: [
            j
            for j, t in enumerate(cells)
            if t == exact[name] or (col.prefix and t.startswith(exact[name]) and t not in own)
        ]
        for name, col in sheet.columns.items()
    }


def _cells_named(cells: list[str]) -> str:
    return ", ".join(cells[:-1]) + f" và {cells[-1]}" if len(cells) > 1 else cells[0]


def _plain(text: str) -> str:
    """A folded header without its accents (đ as d), as a header typed without them reads."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d"))
    return "".join(c for c in plain if not unicodedata.combining(c))


def _nearest(text: str, candidates: dict, scorer=fuzz.WRatio) -> tuple[object, float] | None:
    """The key of the candidate (a folded header) nearest to `text` (folded), and how near
    (0-100), accents aside."""
    if not candidates:
        return None
    plain = {k: _plain(v) for k, v in candidates.items()}
    found = process.extractOne(_plain(text), plain, scorer=scorer)
    return (found[2], found[1]) if found else None


def twice(
    matched: dict[str, list[int]],
    header_row: int,
    sheet: Sheet,
    hidden: workbook.Hidden,
    tep: str,
    sheet_name: str,
) -> list[Problem]:
    """A problem for each field whose header stands in more than one column, naming them all
    (and which are hidden): which is the data is for a person to say."""
    problems = []
    for name, found in matched.items():
        if len(found) < 2:
            continue
        cells = [f"{column_letter(j)}{header_row + 1}" for j in found]
        shut = [column_letter(j) for j in found if j in hidden.columns]
        note = f" (cột {', '.join(shut)} đang ẩn)" if shut else ""
        problems.append(
            Problem(
                tep,
                sheet_name,
                cells[0],
                f'cột "{sheet.columns[name].header}" có ở {len(found)} ô tiêu đề: '
                f"{_cells_named(cells)}{note}: không rõ cột nào là số liệu đúng; xóa cột thừa "
                "hoặc sửa tiêu đề của nó",
            )
        )
    return problems


def unknown_headers(
    header: list[object],
    header_row: int,
    sheet: Sheet,
    matched: dict[str, list[int]],
    claimed: set[int],
    tep: str,
    sheet_name: str,
) -> tuple[list[Problem], list[Problem]]:
    """The required columns missing, and the headers of no column that may stand for a column
    not found, each at its own cell with that column's header. Each missing required column
    takes the unknown header nearest to it (an error: the sheet is not read); with none
    missing, an unknown header near enough to an optional column not found is a warning (that
    column is not read). Other unknown headers (an office's own columns) are left alone."""
    at = lambda j: f"{column_letter(j)}{header_row + 1}"  # noqa: E731
    unknown = {
        j: header_key(cell_text(value))
        for j, value in enumerate(header)
        if j not in claimed
        and cell_text(value)
        and not (sheet.years is not None and YEAR_HEADER.match(header_key(cell_text(value))))
    }
    absent = [n for n, found in matched.items() if not found]
    required = [n for n in absent if sheet.columns[n].required]
    near = _near_headers(unknown, absent, required, sheet)
    end = len(header) - next(
        (i for i, v in enumerate(reversed(header)) if cell_text(v)), len(header)
    )
    missing = []
    for name in required:
        typed = [j for j, n in near.items() if n == name]
        hint = (
            f', hoặc sửa tiêu đề "{cell_text(header[typed[0]])}" ở {at(typed[0])} nếu đó chính '
            "là cột này"
            if typed
            else ""
        )
        missing.append(
            Problem(
                tep,
                sheet_name,
                at(end),
                f'thiếu cột "{sheet.columns[name].header}": thêm cột này vào dòng tiêu đề (hàng '
                f"{header_row + 1}){hint}",
            )
        )
    headings = []
    for j, name in near.items():
        wanted = sheet.columns[name].header
        said = f'tiêu đề "{cell_text(header[j])}" không khớp cột nào của sheet'
        if required:
            said += f'; gần nhất là cột đang thiếu "{wanted}"'
        else:
            said += f' nên cột {column_letter(j)} không được đọc; gần nhất là "{wanted}"'
        said += ": nếu đúng là cột này, sửa tiêu đề cho khớp"
        headings.append(Problem(tep, sheet_name, at(j), said, ERROR if required else WARNING))
    return missing, headings


def _near_headers(
    unknown: dict[int, str], absent: list[str], required: list[str], sheet: Sheet
) -> dict[int, str]:
    """The unknown headers (by column index) that may stand for a column not found, with that
    column's name: each required column missing takes the free unknown header nearest to it;
    with none missing, an unknown header takes the optional column not found nearest to it
    when near enough (`NEAR_HEADER`)."""
    near: dict[int, str] = {}
    for name in required:
        free = {j: text for j, text in unknown.items() if j not in near}
        found = _nearest(header_key(sheet.columns[name].header), free)
        if found:
            near[found[0]] = name
    if not required:
        optional = {n: header_key(sheet.columns[n].header) for n in absent}
        for j, text in unknown.items():
            found = _nearest(text, optional, fuzz.ratio)
            if found and found[1] >= NEAR_HEADER:
                near[j] = found[0]
    return near


def find_header(grid: Grid, sheet: Sheet) -> int | None:
    """The header row of a sheet (from 0): the first of its first rows holding the header of
    the layout's first column; None where none does."""
    first = header_key(sheet.columns[sheet.first].header)
    return next(
        (i for i, row in enumerate(grid[:HEADER_SEARCH_ROWS]) if first in map(header_match, row)),
        None,
    )


def same_table(grid: Grid, sheet: Sheet) -> bool:
    """Whether a sheet holds the table a layout reads: a header row with every required column
    (and, for a sheet with one column per year, a year)."""
    first = header_key(sheet.columns[sheet.first].header)
    header = next((r for r in grid[:HEADER_SEARCH_ROWS] if first in map(header_key, r)), None)
    if header is None:
        return False
    matched = header_columns(header, sheet)
    if any(col.required and not matched[n] for n, col in sheet.columns.items()):
        return False
    return sheet.years is None or any(YEAR_HEADER.match(header_key(cell_text(v))) for v in header)


# the kinds of table a workbook holds, and the layout each is read by (a synonym of a prefix
# column's header is matched as a prefix, so the layouts are known here)
KINDS = ("units", "indicators", "info", "members", "rows", "targets", "yearly")
SHEETS = {
    "units": UNIT_SHEET,
    "indicators": INDICATOR_SHEET,
    "info": INFO_SHEET,
    "members": MEMBER_SHEET,
    "rows": RESULT_SHEET,
    "targets": TARGET_SHEET,
    "yearly": YEARLY_SHEET,
}
_SYNONYMS = {header_key(alias): header_key(header) for alias, header in HEADER_SYNONYMS.items()}
_PREFIX_SYNONYMS = [  # those of a header matched as a prefix
    (alias, header)
    for alias, header in _SYNONYMS.items()
    if any(
        c.prefix and header_key(c.header) == header
        for s in SHEETS.values()
        for c in s.columns.values()
    )
]

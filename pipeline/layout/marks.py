"""The marks on a copy of an officer's workbook: each problem of the record on its own cell.

Pure: the record's problems in, one `Marks` per raw workbook out. A problem at a cell fills it
in its severity's colour (`layout/style.SEVERITY`: red for an error, amber for a warning; the
gravest where a cell has several) and gives it a note holding the messages, each opening with its
level ("Cảnh báo: …"); a first sheet lists every problem of the workbook, with a link to its
cell, and also those that have no cell (a missing sheet or column). The copy itself is drawn by
`pipeline/render/marked.py`. `marked_sheet` lays a sheet of the workbook itself out with the same
marks, for a renderer that draws the whole sheet (the intake page's, `pipeline/render/html.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.cells import a1, column_index
from pipeline.headers import cell_text
from pipeline.layout.sheet import Page, SheetLayout, Title
from pipeline.parse import format_vi
from pipeline.problems import Problem, in_order
from schemas.vocabulary import ERROR, SEVERITIES, WARNING

LIST_SHEET = "Danh sách vấn đề"
LEVEL_WORD = {level: level.capitalize() for level in SEVERITIES}  # a note names its level
LIST_COLUMNS = [("STT", 6), ("Mức độ", 11), ("Sheet", 16), ("Ô", 10), ("Nội dung", 90)]
HEADER_ROW = 3
_CELL = re.compile(r"^([A-Z]{1,3})(\d+)$")
_ROW = re.compile(r"^hàng (\d+)(?:-\d+)?$")  # a row, or a block of rows: "hàng 5-7"
_COLUMN = re.compile(r"^([A-Z]{1,3})$")


@dataclass
class CellMark:
    """What a cell gets: the worst level among its problems, and their messages."""

    level: str
    notes: list[str] = field(default_factory=list)

    @property
    def note(self) -> str:
        return "\n".join(self.notes)


@dataclass
class Marks:
    """Everything marked in one raw workbook (`tep`, as messages name it)."""

    tep: str
    problems: list[Problem]  # in reading order
    cells: dict[tuple[str, str], CellMark]  # by (sheet, A1)
    sheet: SheetLayout  # the list of problems, the copy's first sheet
    links: dict[tuple[int, int], tuple[str, str]]  # list cell (row, col) -> (sheet, A1)


def target(problem: Problem) -> str:
    """The cell a problem's link goes to: its own cell, the first cell of its row or column;
    empty when it has none (a missing sheet, a file that cannot be read)."""
    if _CELL.match(problem.o):
        return problem.o
    if row := _ROW.match(problem.o):
        return f"A{row[1]}"
    if column := _COLUMN.match(problem.o):
        return f"{column[1]}1"
    return ""


def marks(problems: list[Problem]) -> dict[str, Marks]:
    """Per raw workbook with problems, its marks (problems in reading order, each once)."""
    by_file: dict[str, list[Problem]] = {}
    for problem in in_order(problems):
        by_file.setdefault(problem.tep, []).append(problem)
    return {tep: _marks(tep, found) for tep, found in by_file.items()}


def _marks(tep: str, problems: list[Problem]) -> Marks:
    cells: dict[tuple[str, str], CellMark] = {}
    for problem in problems:
        if problem.sheet and _CELL.match(problem.o):
            mark = cells.setdefault((problem.sheet, problem.o), CellMark(problem.muc_do))
            mark.level = min(mark.level, problem.muc_do, key=SEVERITIES.index)  # the gravest
            mark.notes.append(f"{LEVEL_WORD[problem.muc_do]}: {problem.noi_dung}")
    sheet, links = problem_list(tep, problems)
    return Marks(tep, problems, cells, sheet, links)


def problem_list(
    tep: str, problems: list[Problem]
) -> tuple[SheetLayout, dict[tuple[int, int], tuple[str, str]]]:
    """The copy's first sheet: every problem of the workbook, with a link to its cell."""
    widths = [w for _, w in LIST_COLUMNS]
    last = len(LIST_COLUMNS) - 1
    sheet = SheetLayout(LIST_SHEET, widths=widths, page=Page(landscape=True))
    title = f"CÁC VẤN ĐỀ TRONG TỆP {tep}"
    note = (
        f"Bản sao để tìm ô, chương trình ghi lại mỗi lần chạy: ô có {ERROR} tô đỏ, ô có {WARNING} "
        "tô cam, lời nhắn nằm ở ghi chú của ô (bấm vào ô trong cột Ô để đến ô đó). Sửa trong tệp "
        f"gốc {tep}, không sửa bản sao này."
    )
    columns = [text for text, _ in LIST_COLUMNS]
    sheet.heading([Title(title), Title(note, "tally_note")], columns, HEADER_ROW, fitted=False)
    links: dict[tuple[int, int], tuple[str, str]] = {}
    for number, problem in enumerate(problems, start=1):
        row = HEADER_ROW + number
        cell = target(problem) if problem.sheet else ""
        values = [str(number), problem.muc_do, problem.sheet, problem.o, problem.noi_dung]
        styles = ["tt", f"mark:{problem.muc_do}", "text", "link" if cell else "center", "text"]
        for col, (value, style) in enumerate(zip(values, styles, strict=True)):
            sheet.put(row, col, value, style)
        if cell:
            links[(row, 3)] = (problem.sheet, cell)
        sheet.fit(row, [(v, widths[i]) for i, v in enumerate(values)])
    end = HEADER_ROW + 1 + len(problems)
    sheet.printed(len(LIST_COLUMNS), end, HEADER_ROW)
    sheet.freeze = (HEADER_ROW + 1, 0)
    sheet.autofilter = (HEADER_ROW, 0, end - 1, last)
    return sheet, links


# a sheet laid out whole for a page: its columns as wide as their longest text, within these
WIDEST, NARROWEST = 60.0, 6.0


def marked_sheet(
    name: str, grid: list[list[object]], cells: dict[tuple[str, str], CellMark]
) -> SheetLayout:
    """The sheet `name` of an officer's workbook (`grid`: its values as read, A1 at [0][0]) as a
    sheet model: every value as text (a number in Vietnamese notation), each cell with problems
    (`Marks.cells`) in its level's `mark:` style with its messages as its note. Rows and columns
    after the last value or mark are left out."""
    marked = {o: mark for (sheet, o), mark in cells.items() if sheet == name}
    values = {
        (r, c): text
        for r, row in enumerate(grid)
        for c, value in enumerate(row)
        if (text := _shown(value))
    }
    places = set(values) | {_place(o) for o in marked}
    rows = max((r for r, _ in places), default=-1) + 1
    cols = max((c for _, c in places), default=-1) + 1
    longest = [0] * cols
    for (_, c), text in values.items():
        longest[c] = max(longest[c], max(len(line) for line in text.split("\n")))
    layout = SheetLayout(name, widths=[min(max(n + 2.0, NARROWEST), WIDEST) for n in longest])
    for r in range(rows):
        for c in range(cols):
            text = values.get((r, c), "")
            mark = marked.get(a1(r, c))
            if mark is not None:
                layout.put(r, c, text, f"mark:{mark.level}")
                layout.notes[(r, c)] = mark.note
            elif text:
                number = isinstance(grid[r][c], int | float) and not isinstance(grid[r][c], bool)
                layout.put(r, c, text, "number" if number else "text")
    layout.printed(cols, rows, None)
    return layout


def _place(o: str) -> tuple[int, int]:
    """A cell's (row, col) from its A1 address."""
    found = _CELL.match(o)
    return int(found[2]) - 1, column_index(found[1])


def _shown(value: object) -> str:
    """A value as a page shows it: a number in Vietnamese notation (1.234,5), else as read."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value == value:
        return format_vi(value)
    return cell_text(value)

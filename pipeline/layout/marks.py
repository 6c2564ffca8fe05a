"""The marks on a copy of an officer's workbook: each problem of the record on its own cell.

Pure: the record's problems in, one `Marks` per raw workbook out. A problem at a cell fills it
in its severity's colour (`layout/style.SEVERITY`: red for an error, amber for a warning; the
gravest where a cell has several) and gives it a note holding the messages, each opening with its
level ("Cảnh báo: …"); a first sheet lists every problem of the workbook, with a link to its
cell, and also those that have no cell (a missing sheet or column). The copy itself is drawn by
`pipeline/render/marked.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.layout.sheet import Page, SheetLayout, Title
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

"""A problem found in the record: what a person reads, one line each."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from schemas.vocabulary import ERROR, MISSED_YEAR, WARNING, YES

RATING, TALLY, PROSE, BEHIND = "đánh giá lệch", "tổng hợp lệch", "thuyết minh lệch", "mục tiêu kém"
FINDING_KINDS = (RATING, TALLY, PROSE, BEHIND)
# findings of the results year by year (sheet "Kết quả hằng năm")
BACKWARDS, MISSED_FOR_GOOD, OFF_PATH = "kết quả lùi", "không đạt mục tiêu 2030", "lệch lộ trình"
# a target to meet every year, missed in one of them: the tracking status, as a kind of finding
MISSED_THAT_YEAR = MISSED_YEAR.lower()
TRACK_KINDS = (BACKWARDS, MISSED_FOR_GOOD, MISSED_THAT_YEAR, OFF_PATH)
ENTRY = "nhập liệu"  # a problem in how the record is typed (validation), not a finding


@dataclass(frozen=True, order=True)
class Problem:
    """One problem of the record (an error or a warning) or one finding of the judgement, each
    of its level `muc_do` (a word of `SEVERITIES`), located in the raw workbook: file, sheet and
    cell (A1) where known."""

    tep: str
    sheet: str = ""
    o: str = ""
    noi_dung: str = ""
    muc_do: str = ERROR
    xa: str = ""
    tt: str = ""
    loai: str = ""  # for findings: which kind (FINDING_KINDS); empty for the record's problems
    nhom: str = ""  # the table row's group (Biểu 03 numbers its items again in each group)
    chi_tieu: str = ""  # the indicator the row is about, as printed

    @property
    def kind(self) -> str:
        """What kind of problem, in words: a finding's kind, or the record's own."""
        return self.loai or ENTRY

    def line(self) -> str:
        """The line printed for the user: `raw/x.xlsx › Chỉ tiêu › E7: ...`."""
        where = " › ".join(part for part in (self.tep, self.sheet, self.o) if part)
        return tagged(f"{where}: {self.noi_dung}", self.muc_do)


def tagged(line: str, severity: str) -> str:
    """A line as printed: a warning's or a finding's opens with its tag (`[cảnh báo] `,
    `[phát hiện] `), an error's with none."""
    return line if severity == ERROR else f"[{severity}] {line}"


def at_cell(
    row: Mapping,
    column: str,
    text: str,
    cell,
    kind: str = "",
    o: str | None = None,
    level: str = WARNING,
) -> Problem:
    """A warning (or, with `level=FINDING`, a finding) about one cell of a table row (`row` as a
    record of a loaded table), located by `cell(file, sheet, column, excel_row)`, or at `o`
    where given."""
    return Problem(
        row["_tep"],
        row["_sheet"],
        o if o is not None else cell(row["_tep"], row["_sheet"], column, row["_dong"]),
        text,
        level,
        xa=str(row["ma_xa"]),
        tt=str(row.get("muc", "")),
        loai=kind,
        nhom=str(row.get("nhom", "")),
        chi_tieu=str(row.get("chi_tieu", "")),
    )


def rating_kept(row: Mapping) -> str:
    """What a finding about a published rating adds where the officer kept that rating: why."""
    return f"; giữ đánh giá công bố vì: {row['ly_do_giu']}" if row["giu_danh_gia"] == YES else ""


_A1 = re.compile(r"^([A-Z]+)(\d+)$")


def sort_key(problem: Problem) -> tuple:
    """Problems in reading order: by file, sheet, then cell (row first: E7 before A8)."""
    m = _A1.match(problem.o)
    where = (int(m[2]), len(m[1]), m[1]) if m else (0, 0, problem.o)
    return (problem.tep, problem.sheet, where, problem.noi_dung)


def in_order(problems: list[Problem]) -> list[Problem]:
    """Each problem once, in reading order."""
    return sorted(dict.fromkeys(problems), key=sort_key)

"""Reading a congress report's annex tables from its Word document (python-docx).

Pure but for python-docx's own reading: a `docx` Document in, the annex tables it holds out, as
printed. A table is an annex table where a row near its top holds the headers "TT" and "Chỉ
tiêu" (whatever their case, accents or line breaks); it is a 2020-2025 results table (Biểu
01/02) or a 2025-2030 targets table (Biểu 03) by its other headers, matched as the loader
matches a raw sheet's (`load.tidy_sheet`). What is printed above it gives its Biểu số, title,
italic line and term. A table that runs on with no heading of its own (split over a page, its
header repeated) continues the one before.

Each cell is read as printed, its lines joined with spaces ("K\\nđạt" is "K đạt"). An item number
merged down over its sub-rows makes them sub-rows (TT empty, as `raw/` records them); another
column merged down gives each row the same printed value. A heading row repeated inside the
table is skipped. Published ratings are written in full words (`K đạt` → `Không đạt`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.table import _Cell

from pipeline.load import header_key, tidy_sheet
from pipeline.text import clean, key
from schemas.layout import Sheet
from schemas.tables import RESULT_SHEET, TARGET_SHEET
from schemas.vocabulary import NEW, OLD, PUBLISHED_WORDS

# the printed columns of each kind of table: the layout's, less what only the record adds
PRINTED = {
    OLD: ("tt", "chi_tieu", "don_vi", "chi_tieu_nq", "ket_qua", "danh_gia"),
    NEW: ("tt", "chi_tieu", "don_vi", "muc_tieu", "ghi_chu"),
}
LAYOUTS = {
    kind: Sheet(layout.name, {name: layout.columns[name] for name in PRINTED[kind]})
    for kind, layout in ((OLD, RESULT_SHEET), (NEW, TARGET_SHEET))
}
_LABEL = re.compile(r"^biểu\s*(?:số\s*)?(\d+[a-z]?)$")
_TERM = re.compile(r"(\d{4})\s*[-–]\s*(\d{4})")
_NUMBERING = re.compile(r"^\(?[0-9a-z]{1,2}\)?$")


@dataclass
class Found:
    """An annex table as printed: its kind (`OLD` results, `NEW` targets), its number in the
    document, what is printed above it, its target column's header, and its rows."""

    kind: str
    number: int
    bieu: str = ""
    title: str = ""
    subtitle: str = ""
    term: str = ""
    header: str = ""
    rows: list[dict[str, str]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"Biểu {self.bieu}" if self.bieu else f"bảng thứ {self.number}"


class TableError(ValueError):
    """An annex table that cannot be read: its message is the line a person reads."""


def annex_tables(document: Document) -> list[Found]:
    """Every annex table of the document, in order; raises `TableError` on one whose headers
    lack a column the record needs."""
    found: list[Found] = []
    above: list[str] = []
    number = 0
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            text = clean("".join(t.text or "" for t in element.iter(qn("w:t"))))
            if text:
                above.append(text)
        elif element.tag == qn("w:tbl"):
            number += 1
            table = read_table(DocxTable(element, document), number)
            if table is None:
                above = []
                continue
            heading = _heading(above)
            if not heading["bieu"] and not above and found and found[-1].kind == table.kind:
                found[-1].rows.extend(table.rows)  # the same table, run on past a page
            else:
                table.__dict__.update(heading)
                found.append(table)
            above = []
    return found


def grid(table: DocxTable) -> list[list[tuple[str, bool, bool]]]:
    """The table's cells by grid column: (text as printed, merged down from the row above,
    merged across from the column before)."""
    rows = []
    for tr in table._tbl.tr_lst:
        row: list[tuple[str, bool, bool]] = []
        for tc in tr.tc_lst:
            below = tc.vMerge == "continue"
            text = "" if below else _Cell(tc, table).text
            row.append((text, below, False))
            row.extend(("", below, True) for _ in range(tc.grid_span - 1))
        rows.append(row)
    return rows


def read_table(table: DocxTable, number: int) -> Found | None:
    """The table as printed, or None where it is not an annex table."""
    cells = grid(table)
    top = [[text for text, _, _ in row] for row in cells[:5]]
    keys = {header_key(text) for row in top for text in row}
    wanted = [header_key(LAYOUTS[OLD].columns[n].header) for n in ("tt", "chi_tieu")]
    if not all(w in keys for w in wanted):
        return None
    goal = header_key(TARGET_SHEET.columns["muc_tieu"].header)
    kind = NEW if any(k.startswith(goal) for k in keys) else OLD
    layout = LAYOUTS[kind]
    tidy = tidy_sheet(_carried(cells), layout, "", layout.name, {})
    if tidy.rows is None:
        missing = [p.noi_dung.split('"')[1] for p in tidy.problems]
        columns = ", ".join(f'"{m}"' for m in missing)
        raise TableError(f"bảng thứ {number} (có cột TT, Chỉ tiêu) thiếu cột {columns}")
    names = list(layout.columns)
    header = tidy.headers.get("chi_tieu_nq" if kind == OLD else "muc_tieu", "")
    tt_header = header_key(layout.columns["tt"].header)
    rows = []
    for values in tidy.rows:
        row = dict(zip(names, values[: len(names)], strict=True))
        if header_key(row["tt"]) == tt_header or _numbering(row):
            continue  # the heading repeated, or the row numbering the columns
        if kind == OLD:
            row["danh_gia"] = PUBLISHED_WORDS.get(key(row["danh_gia"]), row["danh_gia"])
        rows.append({k: str(v) for k, v in row.items()})
    return Found(kind, number, header=header, rows=rows)


def _carried(cells: list[list[tuple[str, bool, bool]]]) -> list[list[str]]:
    """The grid as text: a cell merged down carries the text above it, except in the first
    column (TT), where it marks a sub-row and stays empty."""
    out: list[list[str]] = []
    for r, row in enumerate(cells):
        texts = []
        for c, (text, below, _) in enumerate(row):
            if below and c > 0 and r > 0 and c < len(out[-1]):
                text = out[-1][c]
            texts.append(text)
        out.append(texts)
    return out


def _numbering(row: dict[str, str]) -> bool:
    """A row that numbers the columns: (1) (2) (3) …, or A B 1 2 …"""
    values = [v for v in row.values() if v]
    return len(values) >= 3 and all(_NUMBERING.match(key(v)) for v in values)


def _heading(above: list[str]) -> dict[str, str]:
    """What is printed above a table: "Biểu 01", the title (on one line or several), the italic
    line in brackets, a rule; each found from the last "Biểu" label on."""
    lines = above[-12:]
    start = next((i for i in range(len(lines) - 1, -1, -1) if _LABEL.match(key(lines[i]))), None)
    if start is None:
        return {"bieu": "", "title": "", "subtitle": "", "term": ""}
    bieu = _LABEL.match(key(lines[start]))[1]
    title, subtitle = [], []
    for line in lines[start + 1 :]:
        if set(line) <= set("-–_ ."):
            continue
        (subtitle if subtitle or line.startswith("(") else title).append(line)
    text = " ".join(title)
    term = _TERM.search(text)
    return {
        "bieu": bieu,
        "title": text,
        "subtitle": " ".join(subtitle),
        "term": f"{term[1]}-{term[2]}" if term else "",
    }

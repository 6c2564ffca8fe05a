"""Reading a congress report's annex tables from its Word document (python-docx).

Pure but for python-docx's own reading: a `docx` Document in, the annex tables it holds out, as
printed. Tables are found wherever they are: in the body, in another table's cell, in a text box.
A table is an annex table where a row near its top holds the headers "TT" and "Chỉ tiêu"
(whatever their case, accents or line breaks, or a synonym such as "STT": `headers.header_match`);
it is a 2020-2025 results table (Biểu 01/02) or a 2025-2030 targets table (Biểu 03) by its other
headers, matched as the loader matches a raw sheet's (`load.tidy_sheet`). One that lacks a column
the record needs is not an annex table: it is skipped with a note saying why. What is printed
above a table gives its Biểu số, title, italic line and term.

A table split over pages (two Word tables) is joined whether or not its header is repeated and
whatever single paragraph stands between the parts ("Biểu 01 (tiếp theo)", a page number): the
signal is the same columns (count and widths) and the item numbering running on across the
break. Every data row seen in the parts, and in a table right after them that could not be
joined, is counted (`Found.seen`), so that the import can refuse a draft shorter than the table.

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

from pipeline.headers import header_match
from pipeline.load import tidy_sheet
from pipeline.text import clean, key
from schemas.layout import Col, Sheet
from schemas.tables import RESULT_SHEET, TARGET_SHEET
from schemas.vocabulary import NEW, OLD, PUBLISHED_WORDS

# the printed columns of each kind of table: the layout's, less what only the record adds
PRINTED = {
    OLD: ("tt", "chi_tieu", "don_vi", "chi_tieu_nq", "ket_qua", "danh_gia"),
    NEW: ("tt", "chi_tieu", "don_vi", "muc_tieu", "ghi_chu"),
}
# a results table's printed notes ("Ghi chú": "ước") are kept as the row's note in the record
NOTES = Col(TARGET_SHEET.columns["ghi_chu"].header, required=False)
LAYOUTS = {
    OLD: Sheet(
        RESULT_SHEET.name,
        {**{name: RESULT_SHEET.columns[name] for name in PRINTED[OLD]}, "ghi_chu_nhap": NOTES},
    ),
    NEW: Sheet(TARGET_SHEET.name, {name: TARGET_SHEET.columns[name] for name in PRINTED[NEW]}),
}
_LABEL = re.compile(r"^biểu\s*(?:số\s*)?(\d+[a-z]?)$")
_TERM = re.compile(r"(\d{4})\s*[-–]\s*(\d{4})")
_NUMBERING = re.compile(r"^\(?[0-9a-z]{1,2}\)?$")
_ITEM = re.compile(r"^(\d+)\.?$")
_GROUP = re.compile(r"^([IVXLC]+)\.?$")
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_WIDTH_SLACK = 0.05  # the parts of a split table: each column's width within 5 % of the table's


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
    parts: list[int] = field(default_factory=list)  # the Word tables it was read from
    seen: int = 0  # data rows seen in them and in a table right after that was not joined
    unjoined: list[int] = field(default_factory=list)  # such tables
    head: list[list[str]] = field(default_factory=list)  # its rows down to the header row
    widths: tuple[int, ...] = ()  # its columns' widths (twentieths of a point)

    @property
    def label(self) -> str:
        return f"Biểu {self.bieu}" if self.bieu else f"bảng thứ {self.number}"


@dataclass
class Reading:
    """What a document holds: its annex tables, and a note for each table skipped (why)."""

    tables: list[Found] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class TableError(ValueError):
    """An annex table that cannot be read: its message is the line a person reads."""


def annex_tables(document: Document) -> list[Found]:
    """Every annex table of the document, in order (`read_document` also says what it skipped)."""
    return read_document(document).tables


def read_document(document: Document) -> Reading:
    """Every annex table of the document, in order, split tables joined; and why each table
    with the headers "TT" and "Chỉ tiêu" but not an annex table's other columns was skipped."""
    reading = Reading()
    above: list[str] = []  # the texts printed since the last table
    read: set = set()  # the annex tables read: their cells hold no text above another table
    last: Found | None = None  # the annex table that a table right after it may continue
    number = 0
    for element in _blocks(document.element.body):
        if any(table in read for table in element.iterancestors(qn("w:tbl"))):
            continue
        if element.tag == qn("w:p"):
            text = _own_text(element)
            if text:
                above.append(text)
            continue
        number += 1
        cells = grid(DocxTable(element, document))
        near = last if last is not None and len(above) <= 1 else None
        try:
            table = read_table(cells, number, near, _widths(element, cells))
        except TableError as err:
            reading.notes.append(str(err))
            table = None
        if table is not None and near is not None and _continues(near, table):
            near.rows.extend(table.rows)  # the same table, run on past a page
            near.parts.append(number)
            near.seen += table.seen
            read.add(element)
        elif table is not None and table.head:
            table.__dict__.update(_heading(above))
            reading.tables.append(table)
            read.add(element)
            last = table
        else:
            if near is not None and _numbered(cells):  # rows of the table, not joined
                near.seen += _data_rows(_carried(cells), 0, near.kind)
                near.unjoined.append(number)
            last = None
        above = []
    return reading


def _blocks(body):
    """The paragraphs and tables of a document in order, wherever they are: in the body, in a
    table's cells, in a text box (not its copy for older Word, in mc:Fallback)."""
    for element in body.iter(qn("w:p"), qn("w:tbl")):
        if not any(a.tag == _FALLBACK for a in element.iterancestors()):
            yield element


def _own_text(paragraph) -> str:
    """A paragraph's text, without the text of a text box anchored in it."""
    return clean(
        "".join(
            t.text or ""
            for t in paragraph.iter(qn("w:t"))
            if next(t.iterancestors(qn("w:p"))) is paragraph
        )
    )


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


def read_table(
    cells: list[list[tuple[str, bool, bool]]],
    number: int,
    before: Found | None = None,
    widths: tuple[int, ...] = (),
) -> Found | None:
    """The table as printed, or None where it is not an annex table. A table without a header
    row of its own is read with the header of `before` (the annex table right above it) where
    it has the same columns: it may be its continuation. Raises `TableError` for a table with
    the headers "TT" and "Chỉ tiêu" that lacks another column the record needs."""
    carried = _carried(cells)
    wanted = [header_match(LAYOUTS[OLD].columns[n].header) for n in ("tt", "chi_tieu")]
    at = next(
        (
            i
            for i, row in enumerate(carried[:5])
            if all(w in map(header_match, row) for w in wanted)
        ),
        None,
    )
    widths = widths or (max((len(row) for row in cells), default=0),)
    if at is None:
        if before is None or not _same_columns(before.widths, widths):
            return None
        kind, head, rows = before.kind, [], before.head + carried
    else:
        keys = {header_match(text) for row in carried[: at + 1] for text in row}
        goal = header_match(TARGET_SHEET.columns["muc_tieu"].header)
        kind = NEW if any(k.startswith(goal) for k in keys) else OLD
        head, rows = carried[: at + 1], carried
    layout = LAYOUTS[kind]
    tidy = tidy_sheet(rows, layout, "", layout.name, {})
    if tidy.rows is None:
        missing = [p.noi_dung.split('"')[1] for p in tidy.problems]
        columns = ", ".join(f'"{m}"' for m in missing)
        raise TableError(
            f"bảng thứ {number} (có cột TT, Chỉ tiêu) thiếu cột {columns}: không phải bảng chỉ "
            "tiêu, bỏ qua"
        )
    names = list(layout.columns)
    header = tidy.headers.get("chi_tieu_nq" if kind == OLD else "muc_tieu", "")
    out = []
    for values in tidy.rows:
        row = dict(zip(names, values[: len(names)], strict=True))
        if _heading_row(row) or _numbering(row):
            continue  # the heading repeated, or the row numbering the columns
        if kind == OLD:
            row["danh_gia"] = PUBLISHED_WORDS.get(key(row["danh_gia"]), row["danh_gia"])
        out.append({k: str(v) for k, v in row.items()})
    seen = _data_rows(carried, len(head), kind)
    return Found(
        kind, number, header=header, rows=out, parts=[number], seen=seen, head=head, widths=widths
    )


def _heading_row(row: dict[str, str]) -> bool:
    return header_match(row["tt"]) == header_match(LAYOUTS[OLD].columns["tt"].header)


def _data_rows(carried: list[list[str]], start: int, kind: str) -> int:
    """How many rows of a table, from `start`, print something: the document's own count of
    a table's rows, whatever the columns are read as (a heading repeated, or a row numbering
    the columns, not counted)."""
    count = 0
    for texts in carried[start:]:
        values = dict(enumerate(t for t in texts if t))
        if not values:
            continue
        first = header_match(texts[0]) if texts else ""
        if first == header_match(LAYOUTS[kind].columns["tt"].header) or _numbering(values):
            continue
        count += 1
    return count


def _widths(table, cells: list[list[tuple[str, bool, bool]]]) -> tuple[int, ...]:
    """The table's columns: how many (its widest row), then each one's printed width as its
    grid gives it (twentieths of a point), where it gives them all."""
    columns = max((len(row) for row in cells), default=0)
    grid_columns = table.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")
    widths = [column.get(qn("w:w"), "") for column in grid_columns]
    if len(widths) != columns or not all(w.isdigit() for w in widths):
        return (columns,)
    return (columns, *map(int, widths))


def _same_columns(before: tuple[int, ...], after: tuple[int, ...]) -> bool:
    """Two tables with the same columns: as many, each as wide (within `_WIDTH_SLACK` of the
    table's width) where both give their widths."""
    if before[:1] != after[:1]:
        return False
    if len(before) != len(after):  # one part gives no widths: its columns' count alone
        return True
    total = max(sum(before[1:]), sum(after[1:]), 1)
    return all(
        abs(a - b) <= _WIDTH_SLACK * total for a, b in zip(before[1:], after[1:], strict=True)
    )


def _continues(before: Found, after: Found) -> bool:
    """`after` runs `before` on: the same kind and columns, and its first numbered row the next
    group (I, II … III) or the next item (19 → 20) after `before`'s last, or a sub-row first."""
    if after.kind != before.kind or not _same_columns(before.widths, after.widths):
        return False
    if not after.rows or not after.rows[0]["tt"]:
        return bool(after.rows)  # its first row a sub-row of the last item
    first = after.rows[0]["tt"]
    last_item = next((m for r in reversed(before.rows) if (m := _ITEM.match(r["tt"]))), None)
    last_group = next((m for r in reversed(before.rows) if (m := _GROUP.match(r["tt"]))), None)
    if item := _ITEM.match(first):
        return last_item is not None and int(item[1]) == int(last_item[1]) + 1
    if group := _GROUP.match(first):
        return last_group is not None and _roman(group[1]) == _roman(last_group[1]) + 1
    return False


def _roman(text: str) -> int:
    values = [{"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}[c] for c in text]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _numbered(cells: list[list[tuple[str, bool, bool]]]) -> bool:
    """A table whose first column numbers items or groups (1, 2 …; I, II …)."""
    return any(row and (_ITEM.match(row[0][0]) or _GROUP.match(row[0][0])) for row in cells)


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

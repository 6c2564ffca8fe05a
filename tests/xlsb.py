"""Writing a small Excel binary workbook (.xlsb) for tests.

No Python library on PyPI writes .xlsb reliably (pyxlsb and its kin only read it; LibreOffice
cannot save it), so this writes the few parts a reader needs by hand, after Microsoft's
[MS-XLSB] specification: a zip holding `xl/workbook.bin` (the sheets: BrtBundleSh), its
relationships, and one `xl/worksheets/sheetN.bin` per sheet (BrtWsDim, then BrtRowHdr and one
BrtCellSt or BrtCellReal per filled cell). Each record is its type and size, each written in
7-bit groups (2.1.4), then its data; strings are UTF-16 with their length in characters."""

from __future__ import annotations

import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

# record types (MS-XLSB 2.3)
ROW_HDR, CELL_ERROR, CELL_REAL, CELL_ST = 0x0000, 0x0003, 0x0005, 0x0006
BEGIN_COL_INFOS, COL_INFO, END_COL_INFOS = 0x0186, 0x003C, 0x0187
BEGIN_SHEET, END_SHEET, WS_DIM = 0x0081, 0x0082, 0x0094
BEGIN_SHEET_DATA, END_SHEET_DATA = 0x0091, 0x0092
BEGIN_BOOK, END_BOOK = 0x0083, 0x0084
BEGIN_BUNDLE_SHS, END_BUNDLE_SHS, BUNDLE_SH = 0x008F, 0x0090, 0x009C

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="bin" '
    'ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    "{sheets}</Types>"
)
SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.bin" '
    'ContentType="application/vnd.ms-excel.worksheet"/>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    "{}</Relationships>"
)
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _varint(value: int) -> bytes:
    """A record's type or size in 7-bit groups, low first, the high bit saying more follow."""
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def record(kind: int, data: bytes = b"") -> bytes:
    return _varint(kind) + _varint(len(data)) + data


def wide(text: str) -> bytes:
    """An XLWideString: its length in UTF-16 code units, then the text."""
    encoded = text.encode("utf-16-le")
    return struct.pack("<I", len(encoded) // 2) + encoded


@dataclass(frozen=True)
class Error:
    """A cell holding one of Excel's error values, by its code (BErr, MS-XLSB 2.5.97.2)."""

    code: int  # 0x07 is #DIV/0!


def _cell(column: int, value: object) -> bytes:
    head = struct.pack("<II", column, 0)  # the column, then the style (0) and its flags
    if isinstance(value, Error):
        return record(CELL_ERROR, head + bytes([value.code]))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return record(CELL_REAL, head + struct.pack("<d", float(value)))
    return record(CELL_ST, head + wide(str(value)))


def sheet_part(
    rows: list[list[object]], hidden_rows: set[int] = frozenset(), hidden_columns=frozenset()
) -> bytes:
    """A worksheet's records: its dimensions, its hidden columns (BrtColInfo, fHidden), then
    each row (BrtRowHdr, fDyZero where it is hidden) with its filled cells; rows and columns
    from 0."""
    width = max((len(r) for r in rows), default=1)
    out = [
        record(BEGIN_SHEET),
        record(WS_DIM, struct.pack("<IIII", 0, max(len(rows) - 1, 0), 0, max(width - 1, 0))),
    ]
    if hidden_columns:
        out.append(record(BEGIN_COL_INFOS))
        out.extend(
            record(COL_INFO, struct.pack("<IIIIH", c, c, 0, 0, 0x0001)) for c in hidden_columns
        )
        out.append(record(END_COL_INFOS))
    out.append(record(BEGIN_SHEET_DATA))
    for r, values in enumerate(rows):
        filled = [(c, v) for c, v in enumerate(values) if v not in ("", None)]
        if not filled and r not in hidden_rows:
            continue
        flags = 0x10 if r in hidden_rows else 0  # fDyZero
        out.append(record(ROW_HDR, struct.pack("<IIHBBBI", r, 0, 300, 0, flags, 0, 0)))
        out.extend(_cell(c, v) for c, v in filled)
    out += [record(END_SHEET_DATA), record(END_SHEET)]
    return b"".join(out)


def workbook_part(names: list[str], hidden: set[str]) -> bytes:
    """The workbook's records: each sheet's state (0 shown, 1 hidden), tab id, relationship
    and name."""
    sheets = [
        record(
            BUNDLE_SH,
            struct.pack("<II", 1 if name in hidden else 0, n) + wide(f"rId{n}") + wide(name),
        )
        for n, name in enumerate(names, start=1)
    ]
    return b"".join(
        [record(BEGIN_BOOK), record(BEGIN_BUNDLE_SHS), *sheets, record(END_BUNDLE_SHS)]
        + [record(END_BOOK)]
    )


def write_xlsb(
    path: Path,
    sheets: dict[str, list[list[object]]],
    hidden: set[str] = frozenset(),
    hidden_rows: dict[str, set[int]] | None = None,
    hidden_columns: dict[str, set[int]] | None = None,
) -> Path:
    """An .xlsb workbook with these sheets (text as text, numbers as numbers, `Error`s as
    error values); the sheets in `hidden` hidden, and in a sheet the rows and columns (from 0)
    `hidden_rows` and `hidden_columns` give."""
    hidden_rows, hidden_columns = hidden_rows or {}, hidden_columns or {}
    names = list(sheets)
    relations = "".join(
        f'<Relationship Id="rId{n}" Type="{OFFICE}/worksheet" Target="worksheets/sheet{n}.bin"/>'
        for n in range(1, len(names) + 1)
    )
    top = f'<Relationship Id="rId1" Type="{OFFICE}/officeDocument" Target="xl/workbook.bin"/>'
    types = "".join(SHEET_TYPE.format(n=n) for n in range(1, len(names) + 1))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES.format(sheets=types))
        book.writestr("_rels/.rels", RELS.format(top))
        book.writestr("xl/workbook.bin", workbook_part(names, set(hidden)))
        book.writestr("xl/_rels/workbook.bin.rels", RELS.format(relations))
        for n, name in enumerate(names, start=1):
            part = sheet_part(
                sheets[name], hidden_rows.get(name, set()), hidden_columns.get(name, set())
            )
            book.writestr(f"xl/worksheets/sheet{n}.bin", part)
    return path

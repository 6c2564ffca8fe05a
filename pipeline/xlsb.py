"""Checking an .xlsb workbook (Excel's binary format) before the calamine reader opens it.

An .xlsb file is a zip like an .xlsx one, but its parts are records, not XML: each a type and a
size, written 7 bits a byte, then its data (MS-XLSB 2.1.4). Its zip is checked as an .xlsx
one is (`workbook.open_zip`: size, password, compression; every part read no further than the
limit), then the records of the sheets the pipeline uses are scanned for cells far away
(calamine reads a sheet into a full grid), error values (which calamine gives as empty cells)
and hidden rows and columns (BrtRowHdr's fDyZero, BrtColInfo's fHidden). Percentages are not
seen (their number formats, in `xl/styles.bin`, are not read): a number shown as 85% is read
as 0,85, as in an .xls file.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from defusedxml import DefusedXmlException, ElementTree

from pipeline.workbook import (
    MAX_COLUMNS,
    UNSAFE,
    Refused,
    Special,
    broken,
    far,
    open_zip,
    read_zip_part,
    refuse_far,
)

# the parts the calamine reader reads whole on opening an .xlsb file (MS-XLSB 2.1.7)
_READ_WHOLE = ("xl/_rels/workbook.bin.rels", "xl/sharedStrings.bin", "xl/styles.bin")
_BUNDLE_SH, _ROW_HDR, _COL_INFO = 0x009C, 0x0000, 0x003C
_CELL_RECORDS = range(0x0001, 0x000C)  # BrtCellBlank … BrtFmlaError: the column comes first
_CELL_ERROR, _FORMULA_ERROR = 0x0003, 0x000B
_ERRORS = {  # BErr (MS-XLSB 2.5.97.2)
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
    0x2B: "#GETTING_DATA",
}


def _records(data: bytes):
    """Each record of a binary part: (type, payload). A type and a size are written 7 bits a
    byte, low first, the high bit saying another byte follows (MS-XLSB 2.1.4)."""
    at = 0
    while at < len(data):
        values = []
        for most in (2, 4):  # a type takes at most 2 bytes, a size 4
            value = shift = 0
            for _ in range(most):
                if at >= len(data):
                    return
                byte = data[at]
                at += 1
                value |= (byte & 0x7F) << shift
                shift += 7
                if not byte & 0x80:
                    break
            values.append(value)
        kind, size = values
        yield kind, data[at : at + size]
        at += size


def _sheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name and the zip part that holds it (BrtBundleSh: state, tab id, the
    relationship's id and the name, both as UTF-16 with their length first)."""
    names = set(book.namelist())
    rels = ElementTree.fromstring(read_zip_part(book, "xl/_rels/workbook.bin.rels"))
    target = {r.get("Id"): r.get("Target", "") for r in rels}
    parts: dict[str, str] = {}
    for kind, data in _records(read_zip_part(book, "xl/workbook.bin")):
        if kind != _BUNDLE_SH or len(data) < 16:
            continue
        length = int.from_bytes(data[8:12], "little")
        rid = data[12 : 12 + 2 * length].decode("utf-16-le", errors="replace")
        rest = data[12 + 2 * length :]
        size = int.from_bytes(rest[:4], "little")
        name = rest[4 : 4 + 2 * size].decode("utf-16-le", errors="replace")
        path = str(PurePosixPath(os.path.normpath(f"xl/{target.get(rid, '')}")))
        if path in names:
            parts[name] = path
    return parts


def scan_sheet(data: bytes, name: str) -> Special:
    """An .xlsb sheet's error values and its hidden rows and columns; raise `Refused` for a
    sheet whose cells reach past the rows and columns a table can have."""
    special = Special()
    row = 0
    for kind, payload in _records(data):
        if kind == _ROW_HDR and len(payload) >= 12:
            row = int.from_bytes(payload[:4], "little")
            if payload[11] & 0x10 and not far(row + 1, 0):  # fDyZero: the row is hidden
                special.hidden_rows.add(row)
        elif kind == _COL_INFO and len(payload) >= 18:
            first, last = (int.from_bytes(payload[i : i + 4], "little") for i in (0, 4))
            if payload[16] & 0x01:  # fHidden
                special.hidden_columns.update(range(first, min(last + 1, MAX_COLUMNS)))
        elif kind in _CELL_RECORDS and len(payload) >= 4:
            column = int.from_bytes(payload[:4], "little")
            if far(row + 1, column):
                refuse_far(name, (row + 1, column))
            if kind in (_CELL_ERROR, _FORMULA_ERROR) and len(payload) > 8:
                special.errors[(row, column)] = _ERRORS.get(payload[8], "#N/A")
    return special


def inspect(path: Path, wanted: Callable[[str], bool]) -> dict[str, Special | Refused]:
    """Check an .xlsb workbook (Excel's binary format) before it is read, as `inspect` does an
    .xlsx one: its size and parts before they are expanded, then for each sheet `wanted`
    accepts its error values and hidden rows and columns, or why it must not be read. Its
    percentages are not seen (their number formats are not read)."""
    try:
        book = open_zip(path)
    except zipfile.BadZipFile:
        return {}  # calamine says what is wrong in its own words
    with book:
        names = set(book.namelist())
        if "xl/workbook.bin" not in names or "xl/_rels/workbook.bin.rels" not in names:
            return {}  # calamine says what is wrong in its own words
        try:
            for part in _READ_WHOLE:
                if part in names:
                    read_zip_part(book, part)
            sheets: dict[str, Special | Refused] = {}
            for name, part in _sheet_parts(book).items():
                if wanted(name):
                    try:
                        sheets[name] = scan_sheet(read_zip_part(book, part), name)
                    except Refused as refused:
                        refused.sheet = name
                        sheets[name] = refused
            return sheets
        except DefusedXmlException as err:
            raise Refused(UNSAFE) from err
        except ElementTree.ParseError as err:
            raise Refused(broken("Excel")) from err

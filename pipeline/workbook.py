"""Opening a raw workbook safely, and seeing every cell as Excel shows it.

The calamine reader is fast, but it reads a sheet into a full grid (one cell far away, at
XFD1048576, asks for 512 GiB), expands whatever a zip holds, and gives an Excel error value, a
formula never calculated and a number shown as a percentage as an empty cell, an empty cell and a
fraction. So before calamine opens an .xlsx or .xlsm file, `inspect` checks its declared and
decompressed sizes (a zip bomb is refused before it is expanded) and scans the XML of the sheets
the pipeline uses for where their cells are, which cells hold error values or formulas without a
value, and which numbers are formatted as percentages. Only the sheets the pipeline uses are read.

`.xls` and `.ods` files (older offices) are read by calamine after their file size is checked;
their cells' types are not inspected.
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath

from defusedxml import ElementTree

MAX_FILE_BYTES = 50 * 2**20  # a commune's workbook is a few dozen kilobytes
MAX_PART_BYTES = 20 * 2**20  # any one part of it, uncompressed
MAX_ROWS = 5_000  # a sheet's cells lie within these rows and columns
MAX_COLUMNS = 200

Cell = tuple[int, int]  # (row, column), both from 0: A1 is (0, 0)


@dataclass(frozen=True)
class Flawed:
    """A cell whose value cannot be read as Excel shows it, and why (Vietnamese)."""

    message: str


def error_value(code: str) -> Flawed:
    return Flawed(
        f"ô có giá trị lỗi {code} của Excel (một công thức không tính được): gõ giá trị như đã "
        "in trong báo cáo; chữ bắt đầu bằng dấu = thì gõ thêm dấu nháy đơn ' ở đầu để Excel "
        "giữ nguyên là chữ"
    )


UNVALUED = Flawed(
    "ô chứa công thức chưa từng được tính (tệp không được lưu bằng Excel hay LibreOffice): "
    "mở tệp bằng Excel rồi lưu lại, hoặc gõ giá trị như đã in trong báo cáo"
)


class Refused(Exception):
    """A workbook or sheet that is not read, with why (Vietnamese) and where."""

    def __init__(self, reason: str, sheet: str = "", cell: str = "") -> None:
        super().__init__(reason)
        self.reason, self.sheet, self.cell = reason, sheet, cell


@dataclass
class Special:
    """The cells of a sheet that calamine does not give as Excel shows them."""

    errors: dict[Cell, str] = field(default_factory=dict)  # an error value: "#DIV/0!"
    unvalued: set[Cell] = field(default_factory=set)  # a formula Excel never calculated
    percent: set[Cell] = field(default_factory=set)  # a number shown as a percentage


def column_index(letters: str) -> int:
    """Excel letters to a column index from 0: A → 0, AB → 27."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def a1(cell: Cell) -> str:
    row, column = cell
    letters, number = "", column + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.0f}".replace(".", ",")


def check_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise Refused(
            f"tệp nặng {_megabytes(size)} MB, quá {_megabytes(MAX_FILE_BYTES)} MB (một tệp xã "
            "thường chỉ vài chục KB): tệp có thể bị hỏng hoặc chứa nhiều dữ liệu thừa; lưu "
            "riêng các sheet cần dùng sang một tệp mới"
        )


def _read_part(book: zipfile.ZipFile, name: str) -> bytes:
    """A part of the zip, decompressed no further than the limit, whatever its header says."""
    info = book.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise Refused(
            f"một phần của tệp ({name}) khi giải nén nặng {_megabytes(info.file_size)} MB, quá "
            f"{_megabytes(MAX_PART_BYTES)} MB: tệp có thể bị hỏng hoặc cố ý làm phình"
        )
    with book.open(info) as stream:
        data = stream.read(MAX_PART_BYTES + 1)
    if len(data) > MAX_PART_BYTES:
        raise Refused(
            f"một phần của tệp ({name}) giải nén ra hơn {_megabytes(MAX_PART_BYTES)} MB: tệp "
            "có thể bị hỏng hoặc cố ý làm phình"
        )
    return data


def _sheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name and the zip part that holds it."""
    names = set(book.namelist())
    workbook = ElementTree.fromstring(_read_part(book, "xl/workbook.xml"))
    rels = ElementTree.fromstring(_read_part(book, "xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target", "") for r in rels}
    parts = {}
    for sheet in workbook.iter():
        if sheet.tag.endswith("}sheet"):
            rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
            path = target.get(rid, "")
            path = path.lstrip("/") if path.startswith("/") else f"xl/{path}"
            path = str(PurePosixPath(os.path.normpath(path)))
            if path in names:
                parts[sheet.get("name", "")] = path
    return parts


_PERCENT_FORMATS = {9, 10}  # Excel's built-in 0% and 0.00%


def _percent_styles(book: zipfile.ZipFile) -> set[int]:
    """The cell styles (by index) whose number format shows a percentage."""
    if "xl/styles.xml" not in book.namelist():
        return set()
    styles = ElementTree.fromstring(_read_part(book, "xl/styles.xml"))
    percent = set(_PERCENT_FORMATS)
    for element in styles.iter():
        if element.tag.endswith("}numFmt"):
            code = re.sub(r'"[^"]*"|\\.', "", element.get("formatCode", ""))
            if "%" in code:
                percent.add(int(element.get("numFmtId", "-1")))
    xfs = next((e for e in styles.iter() if e.tag.endswith("}cellXfs")), None)
    if xfs is None:
        return set()
    return {i for i, xf in enumerate(xfs) if int(xf.get("numFmtId", "0")) in percent}


_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"')
_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})(\d+)"')
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ATTR = re.compile(rb'\b(r|t|s)="([^"]*)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")


def scan_sheet(data: bytes, name: str, percent_styles: set[int]) -> Special:
    """Where a sheet's cells lie, and its special cells; raise `Refused` for a sheet whose cells
    reach past the rows and columns a table can have."""
    rows = [int(r) for r in _ROW.findall(data)]
    refs = _REF.findall(data)
    far_row = max([*rows, *(int(r) for _, r in refs)], default=0)
    far_column = max((column_index(c.decode()) for c, _ in refs), default=0)
    if far_row > MAX_ROWS or far_column >= MAX_COLUMNS:
        far = next(
            (
                f"{c.decode()}{r.decode()}"
                for c, r in refs
                if int(r) > MAX_ROWS or column_index(c.decode()) >= MAX_COLUMNS
            ),
            f"hàng {far_row}",
        )
        raise Refused(
            f"sheet có ô ở {far}, ngoài vùng một biểu có thể có "
            f"({f'{MAX_ROWS:,}'.replace(',', '.')} dòng, {MAX_COLUMNS} cột)"
            ": xóa các hàng, cột thừa (kể cả ô chỉ có định dạng) rồi lưu lại",
            name,
            far,
        )
    special = Special()
    if b"<f" not in data and b't="e"' not in data and not percent_styles:
        return special
    for attributes, body in _CELL.findall(data):
        attrs = dict(_ATTR.findall(attributes))
        if b"r" not in attrs:
            continue
        letters, number = re.match(rb"([A-Z]+)(\d+)", attrs[b"r"]).groups()
        cell = (int(number) - 1, column_index(letters.decode()))
        kind = attrs.get(b"t", b"n")
        value = _VALUE.search(body or b"")
        if kind == b"e":
            special.errors[cell] = (value[1] if value else b"#N/A").decode(errors="replace")
        elif body and b"<f" in body and (value is None or (not value[1] and kind != b"str")):
            special.unvalued.add(cell)  # no value, or an empty one where text is not expected
        elif kind == b"n" and value and int(attrs.get(b"s", b"0") or 0) in percent_styles:
            special.percent.add(cell)
    return special


def inspect(path: Path, wanted: Callable[[str], bool]) -> dict[str, Special | Refused]:
    """Check an .xlsx or .xlsm workbook before it is read. For each sheet whose name `wanted`
    accepts, its special cells, or why it must not be read. Raise `Refused` for a workbook that
    must not be read at all."""
    check_size(path)
    try:
        with zipfile.ZipFile(path) as book:
            parts = _sheet_parts(book)
            if "xl/sharedStrings.xml" in book.namelist():  # calamine reads it whole on opening
                _read_part(book, "xl/sharedStrings.xml")
            percent = _percent_styles(book)
            sheets: dict[str, Special | Refused] = {}
            for name, part in parts.items():
                if wanted(name):
                    try:
                        sheets[name] = scan_sheet(_read_part(book, part), name, percent)
                    except Refused as refused:
                        refused.sheet = name
                        sheets[name] = refused
            return sheets
    except (zipfile.BadZipFile, KeyError, zlib.error, ElementTree.ParseError, ValueError):
        return {}  # not a workbook as expected: calamine says so in its own words
    except Exception as err:  # defusedxml refuses entities and the like
        if type(err).__module__.startswith("defusedxml"):
            raise Refused("tệp chứa nội dung XML không an toàn (thực thể, DTD): không đọc") from err
        raise


def as_shown(grid: list[list[object]], special: Special) -> dict[Cell, Flawed]:
    """Make the grid calamine read show each number formatted as a percentage as the percentage
    (0,85 → 85), as Excel does; return the cells that cannot be read as Excel shows them (an
    error value, a formula never calculated), each with why."""
    for row, column in special.percent:
        if row < len(grid) and column < len(grid[row]):
            grid[row][column] = _percentage(grid[row][column])
    flaws = {cell: error_value(code) for cell, code in special.errors.items()}
    return flaws | dict.fromkeys(special.unvalued, UNVALUED)


def _percentage(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return float(Decimal(repr(value)) * 100)

"""Opening a raw workbook safely, and seeing every cell as Excel shows it.

The calamine reader is fast, but it reads a sheet into a full grid (one cell far away, at
XFD1048576, asks for 512 GiB), expands whatever a zip holds, and gives an Excel error value, a
formula never calculated and a number shown as a percentage as an empty cell, an empty cell and a
fraction. So before calamine opens an .xlsx or .xlsm file, `inspect` checks its declared and
decompressed sizes (a zip bomb is refused before it is expanded) and scans the XML of the sheets
the pipeline uses for where their cells are, which cells hold error values or formulas without a
value, and which numbers are formatted as percentages. Only the sheets the pipeline uses are read.

Every zipped file (a workbook, a Word report: `open_zip`, `check_package`) is refused with its
reason before anything is expanded: one protected by a password (the zip's encryption flag, or the
OLE "EncryptedPackage" file Excel and Word write when a password is set), a part compressed in a
way Excel and Word never use, a part larger than the limit once expanded, a part that declares a
DTD or entities (unsafe XML), a part cut off or not well-formed (broken).

An `.ods` file (LibreOffice) is checked the same way (`inspect_ods`: its content's size, cells
far away, error values, percentages); an `.xls` file (older Excel) only for its size: its cells'
types are not inspected.

Both scans also collect the rows and columns a sheet hides (`<row hidden="1">`, `<col min max
hidden="1">`, or a height or width of 0; in .ods `table:visibility="collapse"` or `"filter"`),
so that what is read but not seen can be said. Whether a sheet itself is hidden the calamine
reader tells for every format (`sheets_metadata`); an .xls file's hidden rows and columns are
not seen. An `.xlsb` file (Excel's binary format) is checked in `pipeline/xlsb.py` with the same
zip checks. Which check a format gets is its entry in `pipeline/formats.py`.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from xml.parsers import expat

from defusedxml import DefusedXmlException, ElementTree

from pipeline.cells import a1, column_index
from pipeline.paths import MAX_FILE_BYTES
from pipeline.text import CONTROL, CONTROL_MARK

MAX_PART_BYTES = 20 * 2**20  # any one part of it, uncompressed
# an XML part of a file whose reader builds every element in memory (python-docx: about 170 bytes
# each; a 100-page report holds some 150.000): a few kilobytes of zip must not cost gigabytes
MAX_XML_ELEMENTS = 500_000
MAX_ROWS = 5_000  # a sheet's cells lie within these rows and columns
MAX_COLUMNS = 200

Cell = tuple[int, int]  # (row, column), both from 0: A1 is (0, 0)


@dataclass(frozen=True)
class Flawed:
    """A cell whose value cannot be read as Excel shows it, and why (Vietnamese); a `warning`
    lets the run go on."""

    message: str
    warning: bool = False


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
    hidden_rows: set[int] = field(default_factory=set)  # rows hidden (from 0), as Excel hides
    hidden_columns: set[int] = field(default_factory=set)  # them; only those a table can have


@dataclass(frozen=True)
class Hidden:
    """What a person does not see of a sheet: the sheet itself, its rows and its columns (both
    from 0)."""

    sheet: bool = False
    rows: frozenset[int] = frozenset()
    columns: frozenset[int] = frozenset()


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


def read_zip_part(book: zipfile.ZipFile, name: str, app: str = "Excel") -> bytes:
    """A part of the zip, decompressed no further than the limit, whatever its header says; an
    XML part that declares a DTD or entities is refused as unsafe, a part that cannot be
    expanded as broken."""
    info = book.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise Refused(
            f"một phần của tệp ({name}) khi giải nén nặng {_megabytes(info.file_size)} MB, quá "
            f"{_megabytes(MAX_PART_BYTES)} MB: tệp có thể bị hỏng hoặc cố ý làm phình"
        )
    try:
        with book.open(info) as stream:
            data = stream.read(MAX_PART_BYTES + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError) as err:  # cut off, or its check fails
        raise Refused(broken(app, name)) from err
    if len(data) > MAX_PART_BYTES:
        raise Refused(
            f"một phần của tệp ({name}) giải nén ra hơn {_megabytes(MAX_PART_BYTES)} MB: tệp "
            "có thể bị hỏng hoặc cố ý làm phình"
        )
    if name.endswith((".xml", ".rels")) and _DECLARATION.search(data):
        raise Refused(UNSAFE)
    return data


# a DTD or an entity declared in an XML part: Excel and Word never write one
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)
UNSAFE = "tệp chứa nội dung XML không an toàn (thực thể, DTD): không đọc"
# what an OLE compound file (its first bytes) holding a password-protected package holds
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
# the ways Excel and Word compress a part (zipfile reads no other without extra libraries that
# these files never need)
_COMPRESSIONS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}


def broken(app: str, part: str = "", where: str = "") -> str:
    """Why a file is broken: one of its parts cannot be read as `app` writes it."""
    what = f"phần {part}{where}" if part else "một phần của tệp"
    return f"tệp hỏng: {what} không đọc được như {app} ghi (mở tệp bằng {app} rồi lưu lại)"


def protected(app: str) -> str:
    return (
        f"tệp được bảo vệ bằng mật khẩu: mở tệp bằng {app}, gỡ mật khẩu (Tệp › Thông tin › "
        "Mã hóa bằng mật khẩu, xóa mật khẩu) rồi lưu lại"
    )


def check_protected(path: Path, app: str = "Excel") -> None:
    """Raise `Refused` for a file that Excel or Word saved with a password: an OLE compound
    file holding an "EncryptedPackage" instead of the zip (the size already checked)."""
    with path.open("rb") as stream:
        if stream.read(len(_OLE)) != _OLE:
            return
        tail = b""
        while chunk := stream.read(2**20):
            if _ENCRYPTED in tail + chunk:
                raise Refused(protected(app))
            tail = chunk[-len(_ENCRYPTED) :]


def open_zip(path: Path, app: str = "Excel") -> zipfile.ZipFile:
    """The file's zip, its size checked and its parts' flags read before anything is expanded:
    a part encrypted with a password, or compressed in a way Excel and Word never use, is
    refused. Raises `zipfile.BadZipFile` for a file that is not a zip."""
    check_size(path)
    check_protected(path, app)
    book = zipfile.ZipFile(path)
    for info in book.infolist():
        if info.flag_bits & 0x1:
            book.close()
            raise Refused(protected(app))
        if info.compress_type not in _COMPRESSIONS:
            book.close()
            raise Refused(broken(app, info.filename, " (nén theo cách lạ)"))
    return book


def check_package(path: Path, app: str = "Word") -> None:
    """Check a zipped file before a reader that expands every part (python-docx) opens it:
    every part within the limit once expanded, every XML part within `MAX_XML_ELEMENTS`
    (counted from its tags, before it is parsed), well-formed, with no DTD and no entity.
    Raises `Refused` with why; `zipfile.BadZipFile` for a file that is not a zip."""
    with open_zip(path, app) as book:
        for info in book.infolist():
            data = read_zip_part(book, info.filename, app)
            if info.filename.endswith((".xml", ".rels")):
                elements = data.count(b"<") - data.count(b"</")  # at least as many as there are
                if elements > MAX_XML_ELEMENTS:
                    raise Refused(
                        f"một phần của tệp ({info.filename}) có hơn "
                        f"{f'{MAX_XML_ELEMENTS:,}'.replace(',', '.')} phần tử XML: tệp có thể bị "
                        "hỏng hoặc cố ý làm phình; nếu là báo cáo rất dài, chép riêng các bảng phụ "
                        f"lục sang một tệp {app} mới"
                    )
                parser = expat.ParserCreate()
                try:
                    parser.Parse(data, True)
                except expat.ExpatError:  # cut off, or not XML
                    raise Refused(broken(app, info.filename)) from None


def _sheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name and the zip part that holds it."""
    names = set(book.namelist())
    workbook = ElementTree.fromstring(read_zip_part(book, "xl/workbook.xml"))
    rels = ElementTree.fromstring(read_zip_part(book, "xl/_rels/workbook.xml.rels"))
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


_WORKBOOK_PARTS = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels"}  # every .xlsx has them
_PERCENT_FORMATS = {9, 10}  # Excel's built-in 0% and 0.00%


def _percent_styles(book: zipfile.ZipFile) -> set[int]:
    """The cell styles (by index) whose number format shows a percentage."""
    if "xl/styles.xml" not in book.namelist():
        return set()
    styles = ElementTree.fromstring(read_zip_part(book, "xl/styles.xml"))
    percent = set(_PERCENT_FORMATS)
    for element in styles.iter():
        if element.tag.endswith("}numFmt"):
            code = re.sub(r'"[^"]*"|\\.', "", element.get("formatCode", ""))
            if "%" in code:
                percent.add(_whole(element.get("numFmtId", "")))
    xfs = next((e for e in styles.iter() if e.tag.endswith("}cellXfs")), None)
    if xfs is None:
        return set()
    return {i for i, xf in enumerate(xfs) if _whole(xf.get("numFmtId", "0")) in percent}


def _whole(text: str | bytes) -> int:
    """An index as the XML writes it; -1 where it is not a whole number (no style then)."""
    text = text.strip()
    return int(text) if text.isdigit() else -1


# the quick reading: every row and cell with its reference written the usual way, r="A1"
_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"')
_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})(\d+)"')
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s/>]")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s/>]")
_ERROR_TYPE = re.compile(rb"""\bt\s*=\s*["']e["']""")
# the careful reading: rows and cells in order, with their attributes however they are quoted
_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>|<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ATTR = re.compile(rb"""\b(r|t|s)\s*=\s*(["'])(.*?)\2""")
_VALUE = re.compile(rb"<(?:\w+:)?v\b[^>]*>([^<]*)</(?:\w+:)?v>")
_A1 = re.compile(rb"([A-Za-z]{1,4})(\d+)")
# hidden rows and columns: <row r="5" hidden="1">, <col min="5" max="6" hidden="1"/>
_ROW_ATTRS = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_COL_ATTRS = re.compile(rb"<(?:\w+:)?col\b([^>]*)>")
_ANY_ATTR = re.compile(rb"""([\w:]+)\s*=\s*(["'])(.*?)\2""")
_TRUE = (b"1", b"true")
_ZERO = re.compile(rb"0+(?:\.0*)?|\.0+")  # a size of 0 however written: 0, 0.0, .0
_ZERO_SIZE = re.compile(rb"""\b(?:ht|width)\s*=\s*["'](?:0+(?:\.0*)?|\.0+)["']""")


def far(row: int, column: int) -> bool:
    return row > MAX_ROWS or column >= MAX_COLUMNS


def refuse_far(name: str, cell: Cell) -> None:
    where = a1(cell[0] - 1, cell[1])
    raise Refused(
        f"sheet có ô ở {where}, ngoài vùng một biểu có thể có "
        f"({f'{MAX_ROWS:,}'.replace(',', '.')} dòng, {MAX_COLUMNS} cột)"
        ": xóa các hàng, cột thừa (kể cả ô chỉ có định dạng) rồi lưu lại",
        name,
        where,
    )


def _cells(data: bytes, written: bool = False):
    """Every cell of a sheet's XML in order: (row from 1, column from 0, attributes, body), its
    place worked out as Excel and calamine do where a row or a cell gives none. `written`: every
    cell's place is written out (`scan_sheet`'s quick reading), and a cell with no body whose
    attributes cannot say "error" (no letter e) is left out: a cell only formatted (a blank
    form's hundreds) has nothing special to find."""
    row = column = 0
    for tag in _TAG.finditer(data):
        if tag[1] is not None:  # a row
            attrs = {k: v for k, _, v in _ATTR.findall(tag[1])}
            row = int(attrs[b"r"]) if attrs.get(b"r", b"").isdigit() else row + 1
            column = -1
            continue
        if written and not tag[3] and b"e" not in tag[2]:
            continue
        attrs = {k: v for k, _, v in _ATTR.findall(tag[2])}
        body = tag[3] or b""
        ref = _A1.fullmatch(attrs.get(b"r", b""))
        if ref:
            row, column = int(ref[2]), column_index(ref[1].decode().upper())
        else:
            column += 1
        yield row, column, attrs, body


def _attributes(tag: bytes) -> dict[bytes, bytes]:
    return {k.split(b":")[-1]: v for k, _, v in _ANY_ATTR.findall(tag)}


def _shut(attrs: dict[bytes, bytes], size: bytes) -> bool:
    """Whether a row (size `ht`) or column (`width`) is hidden, or made too small to see."""
    hidden = attrs.get(b"hidden", b"").lower() in _TRUE
    return hidden or _ZERO.fullmatch(attrs.get(size, b"1")) is not None


def _hidden(data: bytes) -> tuple[set[int], set[int]]:
    """The rows and the columns (from 0) a sheet's XML hides (or sizes 0), within those a table
    can have."""
    rows: set[int] = set()
    columns: set[int] = set()
    if b"hidden" not in data and not _ZERO_SIZE.search(data):
        return rows, columns
    row = 0
    for tag in _ROW_ATTRS.finditer(data):
        attrs = _attributes(tag[1])
        row = int(attrs[b"r"]) if attrs.get(b"r", b"").isdigit() else row + 1
        if _shut(attrs, b"ht") and not far(row, 0):
            rows.add(row - 1)
    for tag in _COL_ATTRS.finditer(data):
        attrs = _attributes(tag[1])
        if _shut(attrs, b"width"):
            low, high = (attrs.get(k, b"0") for k in (b"min", b"max"))
            if low.isdigit() and high.isdigit():
                columns.update(range(int(low) - 1, min(int(high), MAX_COLUMNS)))
    return rows, columns


def scan_sheet(data: bytes, name: str, percent_styles: set[int]) -> Special:
    """Where a sheet's cells lie, its special cells and its hidden rows and columns; raise
    `Refused` for a sheet whose cells reach past the rows and columns a table can have."""
    hidden_rows, hidden_columns = _hidden(data)
    rows, refs = _ROW.findall(data), _REF.findall(data)
    quick = len(rows) == len(_ROW_TAG.findall(data)) and len(refs) == len(_CELL_TAG.findall(data))
    if quick:  # every place written out the usual way: the far ones found without a loop
        letters, numbers = zip(*refs, strict=True) if refs else ((), ())
        far_row = max(map(int, (*rows, *numbers)), default=0)
        far_column = max((column_index(c.decode()) for c in set(letters)), default=0)
        if far(far_row, far_column):
            for c, r in refs:
                if far(int(r), column_index(c.decode())):
                    refuse_far(name, (int(r), column_index(c.decode())))
            refuse_far(name, (far_row, 0))
        if b"<f" not in data and not _ERROR_TYPE.search(data) and not percent_styles:
            return Special(hidden_rows=hidden_rows, hidden_columns=hidden_columns)
    special = Special(hidden_rows=hidden_rows, hidden_columns=hidden_columns)
    for row, column, attrs, body in _cells(data, quick):
        if far(row, column):
            refuse_far(name, (row, column))
        cell = (row - 1, column)
        kind = attrs.get(b"t", b"n")
        value = _VALUE.search(body)
        if kind == b"e":
            special.errors[cell] = (value[1] if value else b"#N/A").decode(errors="replace")
        elif b"<f" in body and (value is None or (not value[1] and kind != b"str")):
            special.unvalued.add(cell)  # no value, or an empty one where text is not expected
        elif kind == b"n" and value and _whole(attrs.get(b"s", b"0") or b"0") in percent_styles:
            special.percent.add(cell)
    return special


def inspect(path: Path, wanted: Callable[[str], bool]) -> dict[str, Special | Refused]:
    """Check an .xlsx or .xlsm workbook before it is read. For each sheet whose name `wanted`
    accepts, its special cells, or why it must not be read. Raise `Refused` for a workbook that
    must not be read at all."""
    try:
        book = open_zip(path)
    except zipfile.BadZipFile:
        return {}  # not a workbook as expected: calamine says so in its own words
    if not set(book.namelist()) >= _WORKBOOK_PARTS:
        book.close()
        return {}  # not a workbook as expected: calamine says so in its own words
    try:
        with book:
            parts = _sheet_parts(book)
            if "xl/sharedStrings.xml" in book.namelist():  # calamine reads it whole on opening
                read_zip_part(book, "xl/sharedStrings.xml")
            percent = _percent_styles(book)
            sheets: dict[str, Special | Refused] = {}
            for name, part in parts.items():
                if wanted(name):
                    try:
                        sheets[name] = scan_sheet(read_zip_part(book, part), name, percent)
                    except Refused as refused:
                        refused.sheet = name
                        sheets[name] = refused
            return sheets
    except DefusedXmlException as err:  # a DTD or entity the check of the parts let through
        raise Refused(UNSAFE) from err
    except ElementTree.ParseError as err:
        raise Refused(broken("Excel")) from err


def check_file(path: Path, wanted: Callable[[str], bool]) -> dict[str, Special | Refused]:
    """Check a workbook whose cells are not inspected (an .xls file) before it is read: its size,
    and no password (the reader then says in its own words whatever else is wrong)."""
    check_size(path)
    check_protected(path)
    return {}


def fits_limits(source: bytes) -> bool:
    """No part of a zipped workbook says it expands past the limit (zipfile never reads past
    what a part says, so a part that lies about its size is cut there)."""
    try:
        with zipfile.ZipFile(io.BytesIO(source)) as book:
            return all(part.file_size <= MAX_PART_BYTES for part in book.infolist())
    except zipfile.BadZipFile:
        return False


def as_shown(grid: list[list[object]], special: Special) -> dict[Cell, Flawed]:
    """Make the grid calamine read show each number formatted as a percentage as the percentage
    (0,85 → 85), as Excel does, and each control character as a visible mark
    (`mark_controls`); return the cells that cannot be read as Excel shows them (an error
    value, a formula never calculated), each with why, and the cells marked, each with a
    warning."""
    for row, column in special.percent:
        if row < len(grid) and column < len(grid[row]):
            grid[row][column] = _percentage(grid[row][column])
    flaws = {cell: error_value(code) for cell, code in special.errors.items()}
    return mark_controls(grid) | flaws | dict.fromkeys(special.unvalued, UNVALUED)


def mark_controls(grid: list[list[object]]) -> dict[Cell, Flawed]:
    """Replace in `grid` each character that no .xlsx or .docx can hold (`text.CONTROL`: a
    control character, stored in an .xlsx as `_x0001_`) by a visible mark, so that no later
    stage sees one; return the cells where one was, each with a warning."""
    texts = [value for row in grid for value in row if isinstance(value, str)]
    if not CONTROL.search("".join(texts)):
        return {}
    found: dict[Cell, Flawed] = {}
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if isinstance(value, str) and CONTROL.search(value):
                codes = ", ".join(
                    dict.fromkeys(f"U+{ord(ch):04X}" for ch in CONTROL.findall(value))
                )
                row[c] = CONTROL.sub(CONTROL_MARK, value)
                found[(r, c)] = Flawed(
                    f"ô có ký tự điều khiển không in được ({codes}), thường do chép từ phần mềm "
                    f'khác: đã thay bằng dấu "{CONTROL_MARK}"; gõ lại nội dung ô để bỏ ký tự này',
                    warning=True,
                )
    return found


def _percentage(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return float(Decimal(repr(value)) * 100)


# ---------------------------------------------------------------------------- .ods

_ODS_TABLE = re.compile(
    rb'<table:table\b[^>]*?\btable:name="([^"]*)"[^>]*>(.*?)</table:table>', re.S
)
_ODS_TAG = re.compile(
    rb"<table:table-row(?=[\s/>])([^>]*?)/?>"
    rb"|<table:(?:covered-)?table-cell\b([^>]*?)(?:/>|>(.*?)</table:(?:covered-)?table-cell>)",
    re.S,
)
_ODS_ATTR = re.compile(rb'\b([\w:-]+)="([^"]*)"')
_ODS_TEXT = re.compile(rb"<text:p\b[^>]*>(.*?)</text:p>", re.S)
_ODS_COLUMN = re.compile(rb"<table:table-column(?=[\s/>])([^>]*?)/?>")
_ODS_HIDDEN = (b"collapse", b"filter")  # table:visibility of a row or column not shown


def inspect_ods(path: Path, wanted: Callable[[str], bool]) -> dict[str, Special | Refused]:
    """Check an .ods workbook before it is read, as `inspect` does an .xlsx one: its content's
    size, then for each sheet `wanted` accepts its special cells (error values, percentages), or
    why it must not be read (a filled cell past the rows and columns a table can have)."""
    try:
        with open_zip(path, "LibreOffice") as book:
            if "content.xml" not in book.namelist():
                return {}  # calamine says what is wrong in its own words
            content = read_zip_part(book, "content.xml", "LibreOffice")
    except zipfile.BadZipFile:
        return {}  # calamine says what is wrong in its own words
    sheets: dict[str, Special | Refused] = {}
    for raw_name, table in _ODS_TABLE.findall(content):
        name = raw_name.decode("utf-8", errors="replace").replace("&amp;", "&")
        if wanted(name):
            try:
                sheets[name] = _scan_ods_table(table, name)
            except Refused as refused:
                refused.sheet = name
                sheets[name] = refused
    return sheets


def _scan_ods_table(table: bytes, name: str) -> Special:
    special = Special()
    column = 0
    for tag in _ODS_COLUMN.finditer(table):  # the columns, each repeated as many times as it says
        attrs = dict(_ODS_ATTR.findall(tag[1]))
        repeat = int(attrs.get(b"table:number-columns-repeated", b"1") or 1)
        if attrs.get(b"table:visibility") in _ODS_HIDDEN and column < MAX_COLUMNS:
            special.hidden_columns.update(range(column, min(column + repeat, MAX_COLUMNS)))
        column += repeat
    row, column, repeat_rows = -1, 0, 1
    for tag in _ODS_TAG.finditer(table):
        if tag[1] is not None:  # a row, repeated as many times as it says
            row += repeat_rows
            attrs = dict(_ODS_ATTR.findall(tag[1]))
            repeat_rows = max(_whole(attrs.get(b"table:number-rows-repeated", b"1")), 1)
            if attrs.get(b"table:visibility") in _ODS_HIDDEN and row < MAX_ROWS:
                special.hidden_rows.update(range(row, min(row + repeat_rows, MAX_ROWS)))
            column = 0
            continue
        attrs = dict(_ODS_ATTR.findall(tag[2]))
        repeat = max(_whole(attrs.get(b"table:number-columns-repeated", b"1")), 1)
        kind = attrs.get(b"calcext:value-type") or attrs.get(b"office:value-type")
        if kind or tag[3]:  # a filled cell (an empty run of cells is how LibreOffice pads a row)
            if far(row + 1, column + repeat - 1) or repeat_rows > 1 and far(row + repeat_rows, 0):
                refuse_far(name, (row + 1, column))
            for offset in range(repeat):
                cell = (row, column + offset)
                if kind == b"error":
                    shown = _ODS_TEXT.search(tag[3] or b"")
                    code = shown[1].decode(errors="replace") if shown else "#VALUE!"
                    special.errors[cell] = code or "#VALUE!"
                elif kind == b"percentage":
                    special.percent.add(cell)
        column += repeat
    return special

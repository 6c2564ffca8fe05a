"""The input formats: every kind of file `raw/` may hold, each declared once.

A workbook format says how it is found (its suffixes: `paths.walk` reads every file bearing
one), what the user calls it, how it is opened and checked before it is read (its size, a
password, a zip bomb, cells far away, error values, percentages, hidden rows and columns:
`inspect`), how it is read (`read`: the calamine reader, whose `sheets_metadata` tells which
sheets are hidden), and how its marked copy is made (`marker`: the officer's own workbook opened
with openpyxl, or a new .xlsx of its values) or, for a format that cannot be marked, why
(`unmarked`, said to the user). Other office files that are not read are named here too
(`NOT_READ`), each with what is said of it. `paths`, `load` and `render/marked` ask this module;
no other module spells a workbook's suffix. Adding a format is one entry: docs/inputs.md.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import paths

if TYPE_CHECKING:
    from python_calamine import CalamineWorkbook

    from pipeline.workbook import Refused, Special

Inspect = Callable[[Path, Callable[[str], bool]], "dict[str, Special | Refused]"]

OWN, VALUES = "own", "values"  # a marked copy of the workbook itself; of its cells' values


def _later(module: str, name: str) -> Callable:
    """`module.name`, imported when first called: a run with nothing changed walks `raw/` with
    this registry and answers before any reader is loaded (docs/incremental.md)."""

    def call(*args):
        return getattr(importlib.import_module(module), name)(*args)

    call.__qualname__ = call.__name__ = f"{module}.{name}"
    return call


def calamine(path: Path) -> CalamineWorkbook:
    """A workbook opened with the calamine reader (the one pandas' `engine="calamine"` uses)."""
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(path))


@dataclass(frozen=True)
class Format:
    """One format of workbook read from `raw/`."""

    suffixes: tuple[str, ...]  # as found in raw/, lower case; the first is the one messages name
    name: str  # what the user calls it, as Excel's "Save as type" list does
    listed_as: str  # how a message listing the formats read names it
    inspect: Inspect  # opened and checked before it is read; its special cells and hidden parts
    read: Callable[[Path], CalamineWorkbook] = calamine
    marker: str | None = VALUES  # OWN: openpyxl opens the workbook itself; VALUES: a new .xlsx
    macros: bool = False  # its marked copy keeps the workbook's macros
    unmarked: str = ""  # with no marker (None): why it cannot be marked, a warning at each file

    @property
    def suffix(self) -> str:
        return self.suffixes[0]


WORKBOOK = "pipeline.workbook"  # the checks of the zipped and older formats
XLSX = Format((".xlsx",), "Sổ làm việc Excel", ".xlsx", _later(WORKBOOK, "inspect"), marker=OWN)
XLSM = replace(XLSX, suffixes=(".xlsm",), name="Sổ làm việc Excel có macro", macros=True)
XLS = Format((".xls",), "Sổ làm việc Excel 97-2003", ".xls", _later(WORKBOOK, "check_file"))
ODS = Format((".ods",), "Bảng tính OpenDocument", ".ods", _later(WORKBOOK, "inspect_ods"))
XLSB = Format((".xlsb",), "Sổ làm việc nhị phân Excel", ".xlsb", _later("pipeline.xlsb", "inspect"))

FORMATS = (XLSX, XLSM, XLS, ODS, XLSB)

# what a format that cannot be marked (no `marker`) may say as its `unmarked` (`{}` its suffix)
CANNOT_MARK = (
    "bảng tính dạng {} không có bản tô màu các ô có vấn đề (các vấn đề vẫn được nêu ở đây): "
    f"muốn có bản tô màu, mở tệp bằng Excel và lưu lại dạng {XLSX.suffix} ({XLSX.name})"
)
BY_SUFFIX = {suffix: f for f in FORMATS for suffix in f.suffixes}
READ = frozenset(BY_SUFFIX)
# the formats a message lists where a file cannot be read as any of them
LISTED = ", ".join(dict.fromkeys(f.listed_as for f in FORMATS))

# office files in raw/ that are not read, each named rather than skipped in silence, as
# (is it an error, what is said; `{}` is the suffix). A workbook in a format not read (a
# template, WPS, Apple Numbers) may hold a commune's data: an error, else the province's
# roll-up would go without it. A single table (.csv) cannot hold a commune's workbook, and a
# Word report is imported with `bieu nhap-word`: a warning.
SAVE_AS_XLSX = (
    "bảng tính dạng {} chưa đọc được: mở tệp bằng Excel (hoặc WPS, LibreOffice), lưu lại dạng "
    f"{XLSX.suffix} ({XLSX.name}), rồi xóa tệp này hoặc chuyển ra khỏi thư mục dữ liệu gốc"
)
NOT_READ = {
    **dict.fromkeys(
        (".xltx", ".xltm", ".xlt", ".ots", ".fods", ".et", ".ett", ".numbers"),
        (True, SAVE_AS_XLSX),
    ),
    **dict.fromkeys(
        (".csv", ".tsv"),
        (
            False,
            "không đọc tệp {}: số liệu một xã cần tệp bảng tính "
            f"{XLSX.suffix} có các sheet theo mẫu (bieu mau)",
        ),
    ),
    **dict.fromkeys(
        (".docx", ".doc", ".odt", ".rtf"),
        (
            False,
            "không đọc tệp Word ({}) khi dựng phụ lục: bảng chỉ tiêu trong báo cáo Word nhập "
            "bằng lệnh bieu nhap-word; để báo cáo ở thư mục khác thì không còn dòng này",
        ),
    ),
}


def of(suffix: str) -> Format | None:
    """The format of a file by its suffix (`.xlsx`), whatever its case; None for one not read."""
    return BY_SUFFIX.get(suffix.lower())


def walk(raw: Path) -> tuple[list[Path], list[tuple[str, str, bool]]]:
    """Every workbook under `raw` in a format read, and what could not be read there
    (`paths.walk`)."""
    return paths.walk(raw, READ, NOT_READ)


def workbooks(raw: Path) -> list[Path]:
    """Every workbook under `raw` in a format read, sorted."""
    return walk(raw)[0]


def fits_limits(source: bytes) -> bool:
    """Whether a zipped workbook's parts all say they expand within the reader's limit (a zip
    bomb is not opened to be marked either)."""
    from pipeline import workbook

    return workbook.fits_limits(source)


# what of a workbook may run or reach out when an officer opens it: a commune's upload holding
# any is refused by the intake page (docs/server.md), before it could enter the province's raw/
MACRO, EMBEDDED, LINKED = "macro (VBA)", "đối tượng nhúng (OLE, ActiveX)", "liên kết tới tệp khác"
ZIPPED_ACTIVE = (
    ("xl/vbaproject.bin", MACRO),
    ("xl/macrosheets/", MACRO),
    ("xl/dialogsheets/", MACRO),
    ("basic/", MACRO),  # OpenDocument's macros
    ("scripts/", MACRO),
    ("xl/activex/", EMBEDDED),
    ("xl/embeddings/", EMBEDDED),
    ("xl/externallinks/", LINKED),
)
# the same by the types a package declares for its parts ([Content_Types].xml of Office,
# META-INF/manifest.xml of OpenDocument): Office finds a part by its relationship and type,
# whatever its name (a macro stored as xl/media/image1.bin is still run)
TYPED_ACTIVE = (
    ("vbaproject", MACRO),
    ("macrosheet", MACRO),
    ("dialogsheet", MACRO),
    ("activex", EMBEDDED),
    ("oleobject", EMBEDDED),  # Office's embedded objects; OpenDocument's sun.star.oleobject
    ("externallink", LINKED),
    ("spreadsheetml.connections", LINKED),  # a query of a web page or a database
)
TYPES = ("[content_types].xml", "meta-inf/manifest.xml")
MAX_TYPES_BYTES = 2**20  # a package's list of types is a few kilobytes

# an older file's macros live in a storage of this name (its directory holds names in UTF-16)
OLE_ACTIVE = (("_VBA_PROJECT_CUR".encode("utf-16-le"), MACRO),)


def active_content(path: Path) -> list[str]:
    """The kinds of active content (`MACRO`, `EMBEDDED`, `LINKED`) a workbook holds, in that
    order, each once: by its parts' names in a zip package, by its storages' names in an older
    (OLE) file; none for a file that is neither (the readers say what is wrong with it)."""
    import zipfile
    import zlib

    found: set[str] = set()
    try:
        with zipfile.ZipFile(path) as package:
            names = [name.lower() for name in package.namelist()]
            types = "".join(
                package.open(info).read(MAX_TYPES_BYTES).decode("utf-8", "replace").lower()
                for info in package.infolist()
                if info.filename.lower() in TYPES
            )
        found = {what for start, what in ZIPPED_ACTIVE for name in names if name.startswith(start)}
        found |= {what for mark, what in TYPED_ACTIVE if mark in types}
    except zipfile.BadZipFile:
        head = path.read_bytes()
        if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
            found = {what for mark, what in OLE_ACTIVE if mark in head}
    except (OSError, EOFError, RuntimeError, NotImplementedError, ValueError, zlib.error):
        return []  # a package that cannot be opened: its reader says so
    return [what for what in (MACRO, EMBEDDED, LINKED) if what in found]

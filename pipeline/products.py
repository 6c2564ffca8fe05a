"""What `make annexes` writes: the list of products, each turning a view into a file's bytes.

Every new commune gets the files of `COMMUNE_PRODUCTS` in `output/<mã xã mới>/`; every province
gets its roll-up workbook in `output/tong_hop_tinh/`; every raw workbook with errors or warnings
gets a marked copy in `output/ban_danh_dau/`, under the path it has in `raw/`. Adding a product
is adding an entry here: the manifest, the lock check and the rebuild of a commune's files all
derive from these lists.
CSV files are UTF-8 with a byte-order mark, so that Excel shows the diacritics; numbers are
written the machine way (a dot for decimals) in numeric columns and as printed in the columns
that hold printed text.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pandas as pd

from pipeline.layout.annex import workbook_sheets
from pipeline.layout.marks import marks
from pipeline.layout.report import report
from pipeline.layout.rollup import FOLDER, rollup
from pipeline.layout.track import tracking_sheets
from pipeline.problems import Problem
from pipeline.render import docx
from pipeline.render.xlsx import render
from pipeline.text import slug
from pipeline.view import TRACK_TABLE, CommuneView, ProvinceView, Table, Views
from schemas.vocabulary import MARKED_FOLDER


def always(views: Views, code: str) -> bool:
    return True


@dataclass(frozen=True)
class Product:
    """One file of a new commune: its name, how it is made from the commune's view, and which
    communes get it (`applies`, asked of the views by commune code, so that the files a run
    will write are known before any commune's view is cut)."""

    name: str
    make: Callable[[CommuneView, docx.Prototypes | None], bytes]  # the run's Word prototypes
    what: str  # one line for the README and for messages
    applies: Callable[[Views, str], bool] = always


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # how a spreadsheet sees a formula begin


def cell(value: object) -> object:
    """A table's value as its CSV cell: missing as empty; a text a spreadsheet would read as a
    formula with a single quote in front (as OWASP's advice on CSV injection says: `=1+1` is
    written `'=1+1`); numbers in the machine's notation."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(table: Table) -> bytes:
    """A table as CSV, UTF-8 with a byte-order mark (so that Excel shows the diacritics)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows([cell(v) for v in row] for row in table.rows)
    return out.getvalue().encode("utf-8-sig")


def annex_workbook(view: CommuneView, prototypes: docx.Prototypes | None = None) -> bytes:
    return render(workbook_sheets(view), f"Biểu chỉ tiêu xã {view.name}")


def report_document(view: CommuneView, prototypes: docx.Prototypes | None = None) -> bytes:
    return docx.render(report(view), prototypes)


def tracking_workbook(view: CommuneView, prototypes: docx.Prototypes | None = None) -> bytes:
    return render(tracking_sheets(view), f"Theo dõi mục tiêu 2030 xã {view.name}")


def tracks(views: Views, code: str) -> bool:
    return views.tracks(code)


def table(name: str) -> Callable[[CommuneView, docx.Prototypes | None], bytes]:
    """The product that writes the commune's machine-readable table `name` as CSV."""
    return lambda view, prototypes=None: csv_bytes(view.tables[name])


WORKBOOK = "bieu_chi_tieu.xlsx"
DOCUMENT = "bao_cao_chi_tieu.docx"
COMMUNE_PRODUCTS = (
    Product(WORKBOOK, annex_workbook, "the annexes: Biểu 01-03 and Kiểm tra"),
    Product(DOCUMENT, report_document, "the report's words on the indicators, and the annexes"),
    Product("chi_tieu.csv", table("chi_tieu.csv"), "every 2020-2025 row, rated"),
    Product("tong_hop.csv", table("tong_hop.csv"), "every old commune's tallies"),
    Product("muc_tieu_2030.csv", table("muc_tieu_2030.csv"), "every 2030 target and baseline"),
    Product("kiem_tra.csv", table("kiem_tra.csv"), "every warning and finding"),
    Product(
        "theo_doi_2030.xlsx",
        tracking_workbook,
        "each year's results against the path to the 2030 targets, with charts",
        tracks,
    ),
    Product(TRACK_TABLE, table(TRACK_TABLE), "every 2030 target, year by year", tracks),
)
FILES = tuple(p.name for p in COMMUNE_PRODUCTS)  # every file a new commune may get
EVERY_COMMUNE = tuple(p.name for p in COMMUNE_PRODUCTS if p.applies is always)  # and must get


def files_of(views: Views, code: str) -> list[str]:
    """The names of the files this new commune gets."""
    return [product.name for product in COMMUNE_PRODUCTS if product.applies(views, code)]


def commune_files(
    views: Views, code: str, prototypes: docx.Prototypes | None = None
) -> dict[str, bytes]:
    """A new commune's files, by name; `prototypes`: the Word documents a run's reports start
    from, kept from one commune to the next (set up again for this commune if none is given)."""
    view = views.commune(code)
    prototypes = prototypes or docx.Prototypes()
    return {
        product.name: product.make(view, prototypes)
        for product in COMMUNE_PRODUCTS
        if product.applies(views, code)
    }


def rollup_files(
    provinces: dict[str, ProvinceView], only: list[str]
) -> dict[str, dict[str, bytes]]:
    """The province roll-up workbooks named in `only` (paths under `output/`), under
    `output/tong_hop_tinh/`, each made from its province's view."""
    wanted = {Path(name).stem for name in only}
    books = {name: rollup(v) for name, v in provinces.items() if name in wanted}
    return {
        FOLDER: {f"{name}.xlsx": render(sheets, title) for name, (title, sheets) in books.items()}
    }


def rollup_name(province: str) -> str:
    """A province's roll-up file: its name without diacritics, whatever its case."""
    return f"{FOLDER}/{slug(province)}.xlsx"


def rollup_digests(provinces: dict[str, ProvinceView]) -> dict[str, str]:
    """Each province roll-up's path under `output/` and its view's digest: what it shows."""
    return {f"{FOLDER}/{name}.xlsx": v.digest() for name, v in provinces.items()}


MARKED = MARKED_FOLDER  # the folder of `output/` that holds the marked copies, and nothing else


# The marked copies this process made, by the workbook's name, its bytes' digest and its
# problems: a process that runs again and again (the intake page's server) marks again only
# the workbooks that changed. Process-wide on purpose (docs/design.md, "Process-wide state").
MARKED_COPIES: dict[tuple, object] = {}
MARKED_COPIES_KEPT = 20_000  # a country's workbooks with problems; the oldest go first


def marked_files(
    problems: list[Problem], read: Callable[[str], bytes | None]
) -> dict[str, dict[str, bytes]]:
    """A marked copy of every raw workbook with problems (`read(name)` gives its bytes, None
    if it is missing), under `output/ban_danh_dau/` at its path in `raw/`: `son_la/x.xlsx`;
    a `.xls` or `.ods` workbook's copy is an `.xlsx` named after it, `son_la/x.xls.xlsx`. A
    workbook that cannot be opened gets none."""
    found_marks = marks(problems)
    if not found_marks:
        return {}
    from pipeline.render.marked import marked_copy  # openpyxl: loaded only for a copy to mark

    copies: dict[str, bytes] = {}
    for tep, found in found_marks.items():
        source = read(tep)
        name = PurePosixPath(*PurePosixPath(tep).parts[1:])
        copy = None
        if source is not None:
            remembered = (tep, hashlib.sha256(source).digest(), tuple(found.problems))
            if remembered not in MARKED_COPIES:
                if len(MARKED_COPIES) >= MARKED_COPIES_KEPT:
                    MARKED_COPIES.pop(next(iter(MARKED_COPIES)))
                MARKED_COPIES[remembered] = marked_copy(source, name.suffix, found)
            copy = MARKED_COPIES[remembered]
        if copy is not None:
            copies[str(name) if copy.suffix == name.suffix.lower() else f"{name}{copy.suffix}"] = (
                copy.data
            )
    return {MARKED: copies} if copies else {}

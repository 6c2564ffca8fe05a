"""Reading `raw/`: every workbook into tidy frames that remember each value's cell.

`read_cells` is the only function here that touches disk. `tidy_sheet` and `assemble` are pure:
cell grids in, frames out, with `_tep`, `_sheet` and `_dong` (the Excel row) on every row and a
column-letter map per sheet, so that any later stage can point a person at the cell.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.parse import format_vi
from pipeline.paths import WORKBOOK_SUFFIXES
from pipeline.problems import Problem, column_letter
from pipeline.text import clean, key
from schemas.catalogue import FILE_STEM, INDICATOR_SHEET, UNIT_SHEET
from schemas.commune import INFO_SHEET, MEMBER_SHEET, NEW, OLD
from schemas.layout import Sheet
from schemas.tables import RESULT_SHEET, TARGET_SHEET

HEADER_SEARCH_ROWS = 15
META = ["_tep", "_sheet", "_dong"]


@dataclass
class Record:
    """Everything in `raw/`, one frame per kind of table across all communes."""

    units: pd.DataFrame
    indicators: pd.DataFrame
    info: pd.DataFrame
    members: pd.DataFrame
    rows: pd.DataFrame
    targets: pd.DataFrame
    letters: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    headers: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def cell(self, tep: str, sheet: str, column: str, row: int | None) -> str:
        """A1 address of `column` (a field, or `field__anything`) in row `row` of a sheet."""
        letter = self.letters.get((tep, sheet), {}).get(column.split("__")[0], "")
        if row is None or pd.isna(row):
            return letter
        return f"{letter}{int(row)}" if letter else f"hàng {int(row)}"


@dataclass
class Tidy:
    frame: pd.DataFrame | None
    letters: dict[str, str]
    headers: dict[str, str]
    problems: list[Problem]


def header_key(value: object) -> str:
    """Headers match whatever the keyboard: NFKC (km² = km2), case and spaces folded."""
    return unicodedata.normalize("NFKC", key(value))


def cell_text(value: object) -> str:
    """A cell as text. A number typed as a number is written without grouping (5436, 1,13) so
    that reading it back is never ambiguous."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, int | float):
        return format_vi(value).replace(".", "")
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%d/%m/%Y}"
    return clean(value)


def cell_value(value: object) -> object:
    """A value cell kept for the parser: numbers and dates as they are, text cleaned."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, int | float | dt.datetime | dt.date) and not isinstance(value, bool):
        return value
    return cell_text(value)


def tidy_sheet(grid: pd.DataFrame, sheet: Sheet, tep: str, sheet_name: str) -> Tidy:
    """Find the header row, map the layout's columns, and return the data rows as a frame."""
    keys = grid.head(HEADER_SEARCH_ROWS).map(header_key)
    first = header_key(sheet.columns[sheet.first].header)
    hits = keys.eq(first).to_numpy().nonzero()
    if not len(hits[0]):
        where = Problem(tep, sheet_name, "")
        return Tidy(
            None,
            {},
            {},
            [
                _with(
                    where,
                    f'không tìm thấy dòng tiêu đề (ô ghi "{sheet.columns[sheet.first].header}") '
                    f"trong {HEADER_SEARCH_ROWS} dòng đầu",
                )
            ],
        )
    header_row = int(hits[0][0])
    header_cells = keys.iloc[header_row]
    letters: dict[str, str] = {}
    headers: dict[str, str] = {}
    positions: dict[str, int] = {}
    problems: list[Problem] = []
    for name, col in sheet.columns.items():
        wanted = header_key(col.header)
        match = [
            j
            for j, text in enumerate(header_cells)
            if text == wanted or (col.prefix and str(text).startswith(wanted))
        ]
        if match:
            positions[name] = match[0]
            letters[name] = column_letter(match[0])
            headers[name] = clean(grid.iat[header_row, match[0]])
        elif col.required:
            problems.append(
                Problem(tep, sheet_name, f"hàng {header_row + 1}", f'thiếu cột "{col.header}"')
            )
    if problems:
        return Tidy(None, letters, headers, problems)
    body = grid.iloc[header_row + 1 :]
    data = {
        name: body.iloc[:, positions[name]].map(
            cell_value if sheet.columns[name].value else cell_text
        )
        if name in positions
        else pd.Series("", index=body.index, dtype=object)
        for name in sheet.columns
    }
    frame = pd.DataFrame(data, index=body.index)
    filled = frame.map(lambda v: v != "").any(axis=1)
    frame = (
        frame[filled]
        .assign(_tep=tep, _sheet=sheet_name, _dong=lambda d: d.index + 1)
        .reset_index(drop=True)
    )
    return Tidy(frame, letters, headers, problems)


def _with(problem: Problem, text: str) -> Problem:
    return Problem(problem.tep, problem.sheet, problem.o, text)


def find_sheet(grids: dict[str, pd.DataFrame], name: str) -> str | None:
    """The workbook's own name of a sheet, matched whatever its case and spacing."""
    wanted = header_key(name)
    return next((s for s in grids if header_key(s) == wanted), None)


def read_cells(path: Path) -> dict[str, pd.DataFrame]:
    """Every sheet of a workbook as a grid of raw cell values, A1 at [0, 0]. Raises on a file
    that cannot be read as a workbook."""
    return pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine="calamine")


def discover(raw_dir: Path) -> tuple[Path | None, list[Path]]:
    """The catalogue and every commune workbook under `raw_dir` (Excel's `~$` lock files and
    hidden files skipped)."""
    files = sorted(
        p
        for p in raw_dir.rglob("*")
        if p.is_file()
        and p.suffix.lower() in WORKBOOK_SUFFIXES
        and not p.name.startswith(("~$", "."))
    )
    catalogue = next((p for p in files if p.parent == raw_dir and p.stem == FILE_STEM), None)
    return catalogue, [p for p in files if p != catalogue]


def display_path(path: Path, raw_dir: Path) -> str:
    """How a file is named in messages: from the raw folder's own name, `raw/son_la/x.xlsx`."""
    return (Path(raw_dir.name) / path.relative_to(raw_dir)).as_posix()


def load_record(raw_dir: Path) -> Record:
    """Read every workbook in `raw_dir` into a Record; what cannot be read becomes a Problem."""
    catalogue, communes = discover(raw_dir)
    problems: list[Problem] = []
    grids: dict[str, dict[str, pd.DataFrame]] = {}
    cat_name = display_path(raw_dir / f"{FILE_STEM}.xlsx", raw_dir)
    if catalogue is None:
        problems.append(Problem(cat_name, "", "", "không tìm thấy tệp danh mục chỉ tiêu"))
    for path in ([catalogue] if catalogue else []) + communes:
        name = display_path(path, raw_dir)
        try:
            grids[name] = read_cells(path)
        except Exception as err:  # a corrupt or foreign file: any reader error is the user's
            problems.append(Problem(name, "", "", f"không đọc được tệp ({type(err).__name__})"))
    if catalogue is not None:
        cat_name = display_path(catalogue, raw_dir)
    return assemble(grids, cat_name, problems)


def assemble(
    grids: dict[str, dict[str, pd.DataFrame]], catalogue: str, problems: list[Problem]
) -> Record:
    """Turn every workbook's grids into the Record's frames (pure)."""
    parts: dict[str, list[pd.DataFrame]] = {
        k: [] for k in ("units", "indicators", "info", "members", "rows", "targets")
    }
    letters: dict[tuple[str, str], dict[str, str]] = {}
    headers: dict[tuple[str, str], dict[str, str]] = {}
    problems = list(problems)

    def take(tep: str, sheet: Sheet, into: str, extra: dict | None = None) -> pd.DataFrame | None:
        book = grids.get(tep, {})
        name = find_sheet(book, sheet.name)
        if name is None:
            problems.append(Problem(tep, "", "", f'thiếu sheet "{sheet.name}"'))
            return None
        tidy = tidy_sheet(book[name], sheet, tep, name)
        problems.extend(tidy.problems)
        letters[(tep, name)] = tidy.letters
        headers[(tep, name)] = tidy.headers
        if tidy.frame is not None:
            frame = tidy.frame.assign(**(extra or {}))
            parts[into].append(frame)
            return frame
        return None

    if catalogue in grids:
        take(catalogue, INDICATOR_SHEET, "indicators")
        take(catalogue, UNIT_SHEET, "units")
    for tep in grids:
        if tep == catalogue:
            continue
        info = take(tep, INFO_SHEET, "info")
        if info is None or info.empty:
            if info is not None:
                problems.append(Problem(tep, INFO_SHEET.name, "", "sheet không có dòng số liệu"))
            continue
        if len(info) > 1:
            problems.append(
                Problem(
                    tep,
                    info["_sheet"].iat[0],
                    f"hàng {info['_dong'].iat[1]}",
                    "sheet chỉ được có một dòng số liệu (một xã mỗi tệp)",
                )
            )
        ma_xa = info["ma_xa"].iat[0]
        kind = key(info["loai"].iat[0])
        if kind == key(OLD):
            take(tep, RESULT_SHEET, "rows", {"ma_xa": ma_xa})
        elif kind == key(NEW):
            take(tep, TARGET_SHEET, "targets", {"ma_xa": ma_xa})
            take(tep, MEMBER_SHEET, "members", {"ma_xa": ma_xa})

    def frame(kind: str, sheet: Sheet, extra: tuple[str, ...] = ()) -> pd.DataFrame:
        columns = [*sheet.columns, *extra, *META]
        found = [f for f in parts[kind] if not f.empty]
        return (
            pd.concat(found, ignore_index=True)[columns]
            if found
            else pd.DataFrame(
                {c: pd.Series(dtype="int64" if c == "_dong" else "str") for c in columns}
            )
        )

    return Record(
        units=frame("units", UNIT_SHEET),
        indicators=frame("indicators", INDICATOR_SHEET),
        info=frame("info", INFO_SHEET),
        members=frame("members", MEMBER_SHEET, ("ma_xa",)),
        rows=frame("rows", RESULT_SHEET, ("ma_xa",)),
        targets=frame("targets", TARGET_SHEET, ("ma_xa",)),
        letters=letters,
        headers=headers,
        problems=problems,
        files=[t for t in grids if t != catalogue],
    )

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
from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from pipeline import processes, workbook
from pipeline.parse import format_vi
from pipeline.paths import display_path, walk, why
from pipeline.problems import ERROR, WARNING, Problem, column_letter
from pipeline.text import clean, key
from schemas.catalogue import FILE_STEM, INDICATOR_SHEET, UNIT_SHEET
from schemas.commune import INFO_SHEET, MEMBER_SHEET
from schemas.layout import YEAR_HEADER, Sheet
from schemas.tables import HEADER_SYNONYMS, RESULT_SHEET, TARGET_SHEET, YEARLY_SHEET
from schemas.vocabulary import NEW, OLD

Cell = workbook.Cell

HEADER_SEARCH_ROWS = 15


@dataclass
class Where:
    """Where every value was read: each sheet's column letters and printed headers."""

    letters: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    headers: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)

    def cell(self, tep: str, sheet: str, column: str, row: int | None) -> str:
        """A1 address of `column` (a field, or `field__anything`) in row `row` of a sheet."""
        letter = self.letters.get((tep, sheet), {}).get(column.split("__")[0], "")
        if row is None or pd.isna(row):
            return letter
        return f"{letter}{int(row)}" if letter else f"hàng {int(row)}"

    def at(self, row, column: str) -> str:
        """A1 address of `column` in a row of a loaded table (a record or a Series). On a line
        of a sheet with one column per year (it has `_cot`), the value is at that column in the
        row, and the year at that column in the header row."""
        field = column.split("__")[0]
        if "_cot" in row and field in ("ket_qua", "nam"):
            return f"{row['_cot']}{int(row['_hang_tieu_de' if field == 'nam' else '_dong'])}"
        return self.cell(row["_tep"], row["_sheet"], column, row["_dong"])


@dataclass
class Record:
    """Everything in `raw/`, one frame per kind of table across all communes, as read (shaped
    as `schemas.stages` says: `UnitsRead`, `IndicatorsRead`, `InfoRead`, …)."""

    units: pd.DataFrame
    indicators: pd.DataFrame
    info: pd.DataFrame
    members: pd.DataFrame
    rows: pd.DataFrame
    targets: pd.DataFrame
    yearly: pd.DataFrame
    where: Where = field(default_factory=Where)
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


@dataclass
class Tidy:
    rows: list[list[object]] | None
    letters: dict[str, str]
    headers: dict[str, str]
    problems: list[Problem]


def header_key(value: object) -> str:
    """Headers match whatever the keyboard: NFKC (km² = km2), case and spaces folded."""
    return unicodedata.normalize("NFKC", key(value))


def header_match(value: object) -> str:
    """A header as it is matched: folded (`header_key`), a synonym of the record's own header
    read as that header ("STT" is "tt"; "Chỉ tiêu Nghị quyết Đại hội XXIII" is "chỉ tiêu nq đại
    hội xxiii"), by `schemas.tables.HEADER_SYNONYMS`."""
    folded = header_key(value)
    if folded in _SYNONYMS:
        return _SYNONYMS[folded]
    for alias, header in _PREFIX_SYNONYMS:
        if folded.startswith(alias + " "):
            return header + folded[len(alias) :]
    return folded


def cell_text(value: object) -> str:
    """A cell as text. A number typed as a number is written without grouping (5436, 1,13) so
    that reading it back is never ambiguous."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):  # as Excel shows a logical value
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return format_vi(value).replace(".", "")
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, dt.timedelta):  # a duration as Excel shows it: 30:00:00
        seconds = round(value.total_seconds())
        sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
        return f"{sign}{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return clean(value)


def cell_value(value: object) -> object:
    """A value cell kept for the parser: numbers and dates as they are, text cleaned."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, int | float | dt.datetime | dt.date) and not isinstance(value, bool):
        return value
    return cell_text(value)


Grid = list[list[object]]
# a sheet as read: its grid and its cells that cannot be read as Excel shows them; or why the
# sheet was not read
Opened = tuple[Grid, dict[Cell, workbook.Flawed]] | workbook.Refused


def tidy_sheet(
    grid: Grid, sheet: Sheet, tep: str, sheet_name: str, flaws: dict[Cell, workbook.Flawed]
) -> Tidy:
    """Find the header row, map the layout's columns, and return the data rows (plain lists, one
    per filled row, in the layout's column order, then the Excel row number). A cell the layout
    reads that cannot be read as Excel shows it (`flaws`) is a problem at that cell."""
    first = header_key(sheet.columns[sheet.first].header)
    header_row = next(
        (i for i, row in enumerate(grid[:HEADER_SEARCH_ROWS]) if first in map(header_match, row)),
        None,
    )
    if header_row is None:
        wanted = sheet.columns[sheet.first].header
        return Tidy(
            None,
            {},
            {},
            [
                Problem(
                    tep,
                    sheet_name,
                    "",
                    f'không tìm thấy dòng tiêu đề (ô ghi "{wanted}") trong '
                    f"{HEADER_SEARCH_ROWS} dòng đầu",
                )
            ],
        )
    cells = [header_match(v) for v in grid[header_row]]
    letters: dict[str, str] = {}
    headers: dict[str, str] = {}
    positions: list[int | None] = []
    missing: list[Problem] = []
    for name, col in sheet.columns.items():
        wanted = header_key(col.header)
        found = next(
            (
                j
                for j, t in enumerate(cells)
                if t == wanted or (col.prefix and t.startswith(wanted))
            ),
            None,
        )
        positions.append(found)
        if found is not None:
            letters[name] = column_letter(found)
            headers[name] = clean(grid[header_row][found])
        elif col.required:
            free = len(cells) - next((i for i, t in enumerate(reversed(cells)) if t), len(cells))
            missing.append(
                Problem(
                    tep,
                    sheet_name,
                    f"{column_letter(free)}{header_row + 1}",
                    f'thiếu cột "{col.header}": thêm cột này vào dòng tiêu đề (hàng '
                    f"{header_row + 1})",
                )
            )
    years: list[tuple[int, int]] = []
    if sheet.years is not None:
        years, wrong = year_columns(grid[header_row], header_row, tep, sheet_name)
        missing.extend(wrong)
    if missing:
        return Tidy(None, letters, headers, missing)
    read = {j for j in positions if j is not None} | {j for _, j in years}
    problems = [
        Problem(tep, sheet_name, workbook.a1(cell), flaw.message)
        for cell, flaw in sorted(flaws.items())
        if cell[0] > header_row and cell[1] in read
    ]
    converters = [cell_value if c.value else cell_text for c in sheet.columns.values()]
    rows = []
    for number, raw in enumerate(grid[header_row + 1 :], start=header_row + 2):
        values = [
            convert(raw[j]) if j is not None and j < len(raw) else ""
            for j, convert in zip(positions, converters, strict=True)
        ]
        if sheet.years is None:
            if any(v != "" for v in values):
                rows.append([*values, number])
            continue
        # one line per year column: [fields…, year, value, column letter, header row, row]
        cells = [(year, j, cell_value(raw[j]) if j < len(raw) else "") for year, j in years]
        if any(v != "" for v in values) or any(v != "" for _, _, v in cells):
            rows.extend(
                [*values, year, value, column_letter(j), header_row + 1, number]
                for year, j, value in cells
            )
    return Tidy(rows, letters, headers, problems)


def year_columns(
    header: list[object], header_row: int, tep: str, sheet_name: str
) -> tuple[list[tuple[int, int]], list[Problem]]:
    """The columns of a header row headed by a year ("2026", "Năm 2026"), as (year, column
    index); a year headed twice, or no year at all, is a problem at the header row."""
    found: dict[int, int] = {}
    problems = []
    for j, value in enumerate(header):
        match = YEAR_HEADER.match(header_key(cell_text(value)))
        if not match:
            continue
        year = int(match[1])
        if year in found:
            problems.append(
                Problem(
                    tep,
                    sheet_name,
                    f"{column_letter(j)}{header_row + 1}",
                    f"năm {year} đã có ở cột {column_letter(found[year])}: mỗi năm một cột",
                )
            )
        else:
            found[year] = j
    if not found:
        free = len(header) - next(
            (i for i, v in enumerate(reversed(header)) if cell_text(v)), len(header)
        )
        problems.append(
            Problem(
                tep,
                sheet_name,
                f"{column_letter(free)}{header_row + 1}",
                "không có cột năm nào: ghi các năm của nhiệm kỳ (2026, 2027, …) ở dòng tiêu đề, "
                "mỗi năm một cột",
            )
        )
    return sorted(found.items(), key=lambda item: item[1]), problems


def find_sheet(grids: dict[str, Opened], name: str) -> str | None:
    """The workbook's own name of a sheet, matched whatever its case and spacing."""
    wanted = header_key(name)
    return next((s for s in grids if header_key(s) == wanted), None)


def read_cells(path: Path, known: set[str]) -> dict[str, Opened]:
    """The sheets of a workbook whose names match `known` (as `header_key` folds them), as rows
    of cell values, A1 at [0][0], with the cells that cannot be read as Excel shows them
    (`workbook.as_shown`); a sheet that must not be read is its `Refused` instead. Read with
    the calamine reader (the one pandas' `engine="calamine"` uses, without a DataFrame per
    sheet) after `workbook.inspect` checked the file. Raises `Refused` for a workbook that must
    not be read, and any reader error on a file that cannot be read as a workbook."""
    wanted = lambda name: header_key(name) in known  # noqa: E731
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        inspected = workbook.inspect(path, wanted)
    elif path.suffix.lower() == ".ods":
        inspected = workbook.inspect_ods(path, wanted)
    else:
        workbook.check_size(path)
        workbook.check_protected(path)
        inspected = {}
    book = CalamineWorkbook.from_path(str(path))
    grids: dict[str, Opened] = {}
    for name in book.sheet_names:
        if not wanted(name):
            continue
        found = inspected.get(name, workbook.Special())
        if isinstance(found, workbook.Refused):
            grids[name] = found
        else:
            grid = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            grids[name] = (grid, workbook.as_shown(grid, found))
    return grids


def discover(raw_dir: Path) -> tuple[Path | None, list[Path], list[Problem]]:
    """The catalogue, every commune workbook under `raw_dir` (Excel's `~$` lock files and
    hidden files skipped, links followed), and what could not be read there."""
    files, notes = walk(raw_dir)
    catalogue = next((p for p in files if p.parent == raw_dir and p.stem == FILE_STEM), None)
    problems = [
        Problem(name, noi_dung=why, muc_do=ERROR if bad else WARNING) for name, why, bad in notes
    ]
    return catalogue, [p for p in files if p != catalogue], problems


KINDS = ("units", "indicators", "info", "members", "rows", "targets", "yearly")
SHEETS = {
    "units": UNIT_SHEET,
    "indicators": INDICATOR_SHEET,
    "info": INFO_SHEET,
    "members": MEMBER_SHEET,
    "rows": RESULT_SHEET,
    "targets": TARGET_SHEET,
    "yearly": YEARLY_SHEET,
}
EXTRA = {"members": ("ma_xa",), "rows": ("ma_xa",), "targets": ("ma_xa",), "yearly": ("ma_xa",)}
OPTIONAL = {"yearly"}  # sheets a workbook may leave out
# a sheet with a column per year is read as one line per row and year: the year, the cell's
# value, its column letter and the header row, before the Excel row
YEAR_FIELDS = ("nam", "ket_qua", "_cot", "_hang_tieu_de")
WHOLE_NUMBERS = {"_dong", "nam", "_hang_tieu_de"}
KNOWN_SHEETS = {header_key(sheet.name) for sheet in SHEETS.values()}  # the only sheets read
_SYNONYMS = {header_key(alias): header_key(header) for alias, header in HEADER_SYNONYMS.items()}
_PREFIX_SYNONYMS = [  # those of a header matched as a prefix
    (alias, header)
    for alias, header in _SYNONYMS.items()
    if any(
        c.prefix and header_key(c.header) == header
        for s in SHEETS.values()
        for c in s.columns.values()
    )
]


def fields(kind: str) -> list[str]:
    """The columns of a kind of table as read, in the order `tidy_workbook` gives its rows."""
    years = YEAR_FIELDS if SHEETS[kind].years is not None else ()
    return [*SHEETS[kind].columns, *years, "_dong", "_tep", "_sheet", *EXTRA.get(kind, ())]


@dataclass
class Part:
    """What one workbook contributes to the Record: rows per kind of table (each the layout's
    values, then the Excel row, file and sheet, then any extra columns), and where they were."""

    rows: dict[str, list[list[object]]] = field(default_factory=dict)
    letters: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    headers: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def tidy_workbook(grids: dict[str, Opened], tep: str, catalogue: bool) -> Part:
    """One workbook's sheets as rows of the Record's tables (pure)."""
    part = Part()

    def take(kind: str, extra: tuple = ()) -> list[list[object]] | None:
        sheet = SHEETS[kind]
        name = find_sheet(grids, sheet.name)
        if name is None:
            if kind not in OPTIONAL:
                part.problems.append(Problem(tep, "", "", f'thiếu sheet "{sheet.name}"'))
            return None
        opened = grids[name]
        if isinstance(opened, workbook.Refused):
            part.problems.append(Problem(tep, name, opened.cell, opened.reason))
            return None
        grid, flaws = opened
        tidy = tidy_sheet(grid, sheet, tep, name, flaws)
        part.problems.extend(tidy.problems)
        part.letters[(tep, name)] = tidy.letters
        part.headers[(tep, name)] = tidy.headers
        if tidy.rows is None:
            return None
        rows = [[*row, tep, name, *extra] for row in tidy.rows]
        part.rows.setdefault(kind, []).extend(rows)
        return rows

    if catalogue:
        take("indicators")
        take("units")
        return part
    info = take("info")
    if info is None:
        return part
    if not info:
        part.problems.append(Problem(tep, INFO_SHEET.name, "", "sheet không có dòng số liệu"))
        return part
    fields = list(INFO_SHEET.columns)
    code_at, kind_at, name_at = (fields.index(f) for f in ("ma_xa", "loai", "ten_xa"))
    kinds = [key(row[kind_at]) for row in info]
    kept = (
        len(info) == 2
        and sorted(kinds) == sorted((key(OLD), key(NEW)))
        and key(info[0][code_at]) == key(info[1][code_at])
    )
    if len(info) > 1 and not kept:
        part.problems.append(
            Problem(
                tep,
                info[0][len(fields) + 2],
                f"hàng {info[1][len(fields)]}",
                "sheet chỉ được có một dòng số liệu (một xã mỗi tệp), hoặc hai dòng cùng mã xã "
                f'cho một xã giữ nguyên: một dòng "{OLD}", một dòng "{NEW}"',
            )
        )
        info = info[:1]
        kinds = kinds[:1]
    for row, kind in zip(info, kinds, strict=True):
        code = row[code_at]
        if kind == key(OLD):
            take("rows", (code,))
        elif kind == key(NEW) and kept and find_sheet(grids, MEMBER_SHEET.name) is None:
            take("targets", (code,))
            take("yearly", (code,))
            # a commune kept as it is was formed from itself: its row "Trước sắp xếp"
            old = info[kinds.index(key(OLD))]
            member = [old[code_at], old[name_at], old[len(fields)], tep, old[len(fields) + 2]]
            part.rows.setdefault("members", []).append([*member, code])
        elif kind == key(NEW):
            take("targets", (code,))
            take("yearly", (code,))
            take("members", (code,))
    return part


def read_part(path: Path, raw_dir: Path, catalogue: bool) -> Part:
    """Read and tidy one workbook (the shell's unit of work, run in parallel for many files)."""
    name = display_path(path, raw_dir)
    try:
        with open(path, "rb"):  # a file that cannot be opened says why, in the user's words
            pass
    except OSError as err:
        return Part(problems=[Problem(name, "", "", f"không đọc được tệp ({why(err)})")])
    try:
        grids = read_cells(path, KNOWN_SHEETS)
    except workbook.Refused as refused:
        return Part(problems=[Problem(name, "", "", f"không đọc tệp: {refused.reason}")])
    except PasswordError:  # an .xls file saved with a password
        reason = workbook.protected("Excel")
        return Part(problems=[Problem(name, "", "", f"không đọc tệp: {reason}")])
    except CalamineError:  # a corrupt or foreign file: the reader's error is the file's
        reason = "tệp hỏng hoặc không phải bảng tính .xlsx, .xls, .ods"
        return Part(problems=[Problem(name, "", "", f"không đọc được tệp: {reason}")])
    return tidy_workbook(grids, name, catalogue)


def _read_many(args: tuple[list[Path], Path]) -> list[Part]:
    paths, raw_dir = args
    return [read_part(p, raw_dir, False) for p in paths]


def load_record(raw_dir: Path, workers: int = 1) -> Record:
    """Read every workbook in `raw_dir` into a Record; what cannot be read becomes a Problem.
    With `workers` > 1 the commune workbooks are read by that many processes."""
    catalogue, communes, problems = discover(raw_dir)
    parts: list[Part] = []
    if catalogue is None:
        name = display_path(raw_dir / f"{FILE_STEM}.xlsx", raw_dir)
        problems.append(Problem(name, "", "", "không tìm thấy tệp danh mục chỉ tiêu"))
    else:
        parts.append(read_part(catalogue, raw_dir, True))
    if workers > 1 and len(communes) > 4 * PARALLEL_CHUNK:
        chunks = [communes[i : i + PARALLEL_CHUNK] for i in range(0, len(communes), PARALLEL_CHUNK)]
        with processes.pool(workers) as pool:
            for chunk in pool.map(_read_many, [(c, raw_dir) for c in chunks]):
                parts.extend(chunk)
    else:
        parts.extend(read_part(p, raw_dir, False) for p in communes)
    if catalogue is not None and not communes:
        problems.append(
            Problem(
                raw_dir.name,
                noi_dung="chưa có tệp xã nào: mỗi xã một tệp bảng tính (.xlsx) trong thư mục "
                "của tỉnh, ví dụ raw/ten_tinh/ten_xa.xlsx",
            )
        )
    return assemble(parts, [display_path(p, raw_dir) for p in communes], problems)


PARALLEL_CHUNK = 64


def assemble(parts: list[Part], files: list[str], problems: list[Problem]) -> Record:
    """The Record's frames from every workbook's rows (pure)."""
    letters: dict[tuple[str, str], dict[str, str]] = {}
    headers: dict[tuple[str, str], dict[str, str]] = {}
    problems = list(problems)
    rows: dict[str, list[list[object]]] = {k: [] for k in KINDS}
    for part in parts:
        letters.update(part.letters)
        headers.update(part.headers)
        problems.extend(part.problems)
        for kind, found in part.rows.items():
            rows[kind].extend(found)

    def frame(kind: str) -> pd.DataFrame:
        columns = fields(kind)
        if not rows[kind]:
            return pd.DataFrame(
                {c: pd.Series(dtype="int64" if c in WHOLE_NUMBERS else "str") for c in columns}
            )
        return pd.DataFrame(rows[kind], columns=columns)

    return Record(
        **{kind: frame(kind) for kind in KINDS},
        where=Where(letters, headers),
        problems=problems,
        files=files,
    )

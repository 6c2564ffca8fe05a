"""Reading `raw/`: every workbook into tidy frames that remember each value's cell.

`read_cells` is the only function here that touches disk. `tidy_sheet` and `assemble` are pure:
cell grids in, frames out, with `_tep`, `_sheet` and `_dong` (the Excel row) on every row and a
column-letter map per sheet, so that any later stage can point a person at the cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import pandas as pd
from python_calamine import CalamineError, PasswordError, SheetTypeEnum, SheetVisibleEnum

from pipeline import formats, processes, workbook
from pipeline.cells import a1, column_letter
from pipeline.headers import (
    HEADER_SEARCH_ROWS,
    KINDS,
    SHEETS,
    Grid,
    cell_text,
    cell_value,
    find_header,
    header_columns,
    header_key,
    same_table,
    twice,
    unknown_headers,
)
from pipeline.paths import display_path, start_command, why
from pipeline.problems import ERROR, WARNING, Problem
from pipeline.text import clean, key
from schemas.catalogue import FILE_STEM
from schemas.commune import INFO_SHEET, MEMBER_SHEET
from schemas.layout import YEAR_HEADER, Sheet
from schemas.stages import InfoRead, Located, OfCommune, ResultRowsRead, YearlyRead
from schemas.tables import UNFILLED
from schemas.vocabulary import NEW, OLD

Cell = workbook.Cell
ASKED = formats.XLSX.suffix  # the format a message asks an officer to save as


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
        if YearlyRead.cot in row and field in (ResultRowsRead.ket_qua, YearlyRead.nam):
            return f"{row['_cot']}{int(row['_hang_tieu_de' if field == 'nam' else '_dong'])}"
        return self.cell(row[Located.tep], row[Located.sheet], column, row[Located.dong])


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
    unknown: list[Problem] = field(default_factory=list)  # headers of no column, where they are


ALL_SHOWN = workbook.Hidden()


class Read(NamedTuple):
    """A sheet as read: its grid, its cells that cannot be read as Excel shows them, and what a
    person does not see of it."""

    grid: Grid
    flaws: dict[Cell, workbook.Flawed]
    hidden: workbook.Hidden = ALL_SHOWN


# a sheet as read, or why it was not read
Opened = Read | workbook.Refused


def tidy_sheet(
    grid: Grid,
    sheet: Sheet,
    tep: str,
    sheet_name: str,
    flaws: dict[Cell, workbook.Flawed],
    hidden: workbook.Hidden = ALL_SHOWN,
) -> Tidy:
    """Find the header row, map the layout's columns, and return the data rows (plain lists, one
    per filled row, in the layout's column order, then the Excel row number). A cell the layout
    reads that cannot be read as Excel shows it (`flaws`) is a problem at that cell; a header
    matched by two columns, or a required column missing, is a problem and the sheet is not
    read; an unknown header is named where it stands with the header it is nearest to; rows and
    columns read while `hidden` are warned about, one line per hidden block of rows or column."""
    header_row = find_header(grid, sheet)
    if header_row is None:
        wanted = sheet.columns[sheet.first].header
        said = f'không tìm thấy dòng tiêu đề (ô ghi "{wanted}") trong {HEADER_SEARCH_ROWS} dòng'
        said += " đầu"
        return Tidy(None, {}, {}, [Problem(tep, sheet_name, "", said)])
    header = grid[header_row]
    matched = header_columns(header, sheet)
    positions = [found[0] if found else None for found in matched.values()]
    letters = {n: column_letter(found[0]) for n, found in matched.items() if found}
    headers = {n: clean(header[found[0]]) for n, found in matched.items() if found}
    years: list[tuple[int, int]] = []
    missing = twice(matched, header_row, sheet, hidden, tep, sheet_name)
    if sheet.years is not None:
        years, wrong = year_columns(header, header_row, tep, sheet_name, hidden.columns)
        missing.extend(wrong)
    claimed = {j for found in matched.values() for j in found} | {j for _, j in years}
    absent, headings = unknown_headers(header, header_row, sheet, matched, claimed, tep, sheet_name)
    missing.extend(absent)
    if missing:
        return Tidy(None, letters, headers, missing, headings)
    read = {j for j in positions if j is not None} | {j for _, j in years}
    problems = [
        Problem(tep, sheet_name, a1(*cell), flaw.message, WARNING if flaw.warning else ERROR)
        for cell, flaw in sorted(flaws.items())
        if (cell[0] > header_row or flaw.warning and cell[0] == header_row) and cell[1] in read
    ]
    problems.extend(unfinished(headers, letters, header_row, sheet, tep, sheet_name))
    rows = data_rows(grid, header_row, sheet, positions, years)
    filled = {row[-1] for row in rows}
    problems.extend(hidden_read(grid, header_row, read, filled, hidden, tep, sheet_name))
    return Tidy(rows, letters, headers, problems, headings)


def unfinished(
    headers: dict[str, str],
    letters: dict[str, str],
    header_row: int,
    sheet: Sheet,
    tep: str,
    sheet_name: str,
) -> list[Problem]:
    """A warning at a header that goes on as printed ("Chỉ tiêu NQ Đại hội XXIII") still holding
    what a form left to finish ("Chỉ tiêu NQ Đại hội …"): the annex prints it as it is."""
    return [
        Problem(
            tep,
            sheet_name,
            f"{letters[name]}{header_row + 1}",
            f'tiêu đề "{header}" chưa ghi xong: ghi như bản in thay cho dấu "{UNFILLED}", ví dụ '
            '"Chỉ tiêu NQ Đại hội XXIII"; phụ lục in tiêu đề này như đã ghi',
            WARNING,
        )
        for name, header in headers.items()
        if sheet.columns[name].prefix and UNFILLED in header
    ]


def data_rows(
    grid: Grid,
    header_row: int,
    sheet: Sheet,
    positions: list[int | None],
    years: list[tuple[int, int]],
) -> list[list[object]]:
    """The filled rows under the header: the values of the layout's columns (at `positions`,
    None for a column not found), then the Excel row. On a sheet with one column per year
    (`years`: year, column), one line per row and year: the fields, the year, its value, its
    column letter and the header row, then the Excel row."""
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
        cells = [(year, j, cell_value(raw[j]) if j < len(raw) else "") for year, j in years]
        if any(v != "" for v in values) or any(v != "" for _, _, v in cells):
            rows.extend(
                [*values, year, value, column_letter(j), header_row + 1, number]
                for year, j, value in cells
            )
    return rows


SEEN = "bỏ ẩn để thấy số liệu đang dùng, hoặc xóa nếu đó là số liệu cũ không dùng nữa"


def hidden_read(
    grid: Grid,
    header_row: int,
    read: set[int],
    filled: set[int],
    hidden: workbook.Hidden,
    tep: str,
    sheet_name: str,
) -> list[Problem]:
    """Warnings for what is read but hidden: each block of
    hidden rows from the header row down holding a row read (`filled`, Excel rows), and each
    hidden column read holding a value below the header."""
    found: list[Problem] = []
    shut = sorted(r + 1 for r in hidden.rows if r >= header_row)
    blocks: list[list[int]] = []
    for row in shut:
        if blocks and row == blocks[-1][-1] + 1:
            blocks[-1].append(row)
        else:
            blocks.append([row])
    for block in blocks:
        if header_row + 1 in block or filled.intersection(block):
            where = f"hàng {block[0]}" + (f"-{block[-1]}" if len(block) > 1 else "")
            found.append(
                Problem(tep, sheet_name, where, f"hàng đang ẩn nhưng vẫn được đọc: {SEEN}", WARNING)
            )
    for j in sorted(read & hidden.columns):
        if any(j < len(row) and cell_text(row[j]) for row in grid[header_row + 1 :]):
            found.append(
                Problem(
                    tep,
                    sheet_name,
                    f"{column_letter(j)}{header_row + 1}",
                    f'cột {column_letter(j)} ("{cell_text(grid[header_row][j])}") đang ẩn nhưng '
                    f"vẫn được đọc: {SEEN}",
                    WARNING,
                )
            )
    return found


def year_columns(
    header: list[object],
    header_row: int,
    tep: str,
    sheet_name: str,
    hidden: frozenset[int] = frozenset(),
) -> tuple[list[tuple[int, int]], list[Problem]]:
    """The columns of a header row headed by a year ("2026", "Năm 2026"), as (year, column
    index); a year headed twice (saying which of its columns are `hidden`), or no year at all,
    is a problem at the header row."""
    found: dict[int, int] = {}
    problems = []
    for j, value in enumerate(header):
        match = YEAR_HEADER.match(header_key(cell_text(value)))
        if not match:
            continue
        year = int(match[1])
        if year in found:
            shut = [column_letter(c) for c in (found[year], j) if c in hidden]
            note = f" (cột {', '.join(shut)} đang ẩn)" if shut else ""
            problems.append(
                Problem(
                    tep,
                    sheet_name,
                    f"{column_letter(j)}{header_row + 1}",
                    f"năm {year} đã có ở cột {column_letter(found[year])}{note}: mỗi năm một cột",
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
    (`workbook.as_shown`) and what of the sheet is hidden; a sheet that must not be read is its
    `Refused` instead. Where one of those sheets is hidden, every visible sheet is read too, so
    that a visible copy of it can be found. Read with the calamine reader (the one pandas'
    `engine="calamine"` uses, without a DataFrame per sheet) after its format's `inspect`
    (`pipeline.formats`) checked the file. Raises `Refused` for a workbook that must not be
    read, and any reader error on a file that cannot be read as a workbook."""
    wanted = lambda name: header_key(name) in known  # noqa: E731
    # a file of no format read (never one the walk found) is checked for its size and a
    # password only, as an .xls file is, and the reader says what else is wrong with it
    kind = formats.of(path.suffix) or formats.XLS
    inspected = kind.inspect(path, wanted)
    book = kind.read(path)
    shut = {m.name for m in book.sheets_metadata if m.visible != SheetVisibleEnum.Visible}
    take = wanted
    if any(wanted(name) for name in shut):
        sheets = {m.name for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet}
        seen = lambda name: name in sheets and name not in shut and not wanted(name)  # noqa: E731
        inspected |= kind.inspect(path, seen)
        take = lambda name: wanted(name) or seen(name)  # noqa: E731
    grids: dict[str, Opened] = {}
    for name in book.sheet_names:
        if not take(name):
            continue
        found = inspected.get(name, workbook.Special())
        if isinstance(found, workbook.Refused):
            grids[name] = found
        else:
            grid = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            hidden = workbook.Hidden(
                name in shut, frozenset(found.hidden_rows), frozenset(found.hidden_columns)
            )
            grids[name] = Read(grid, workbook.as_shown(grid, found), hidden)
    return grids


def discover(raw_dir: Path) -> tuple[Path | None, list[Path], list[Problem]]:
    """The catalogue, every commune workbook under `raw_dir` (Excel's `~$` lock files and
    hidden files skipped, links followed), and what could not be read there."""
    files, notes = formats.walk(raw_dir)
    problems = [
        Problem(name, noi_dung=why, muc_do=ERROR if bad else WARNING) for name, why, bad in notes
    ]
    catalogue, said = find_catalogue(files, raw_dir)
    named = {p for p in files if is_catalogue(p)}
    return catalogue, [p for p in files if p not in named], [*problems, *said]


def is_catalogue(path: Path) -> bool:
    """A file named as the catalogue, whatever its suffix and case (Windows does not tell
    `Danh_muc_chi_tieu.xlsx` from `danh_muc_chi_tieu.xlsx`)."""
    return path.stem.casefold() == FILE_STEM.casefold()


def find_catalogue(files: list[Path], raw_dir: Path) -> tuple[Path | None, list[Problem]]:
    """The catalogue among the workbooks of `raw_dir`: the one file named as the catalogue right
    in it. None, with why, where there is none or more than one (a LibreOffice .ods copy beside
    the .xlsx is never chosen silently); a copy in a folder below is named and not read."""
    shown = {p: display_path(p, raw_dir) for p in files if is_catalogue(p)}
    top = [p for p in shown if p.parent == raw_dir]
    problems = [
        Problem(
            name,
            noi_dung=f"tệp danh mục chỉ tiêu chỉ được đọc ở ngay trong {raw_dir.name}/: không đọc "
            f"tệp này; xóa tệp nếu là bản sao, hoặc chuyển lên {raw_dir.name}/",
            muc_do=WARNING,
        )
        for p, name in shown.items()
        if p.parent != raw_dir
    ]
    if len(top) > 1:
        names = ", ".join(shown[p] for p in top)
        problems.append(
            Problem(
                raw_dir.name,
                noi_dung=f"có {len(top)} tệp danh mục chỉ tiêu ({names}), chỉ được có một: giữ "
                f"tệp đúng, xóa hoặc chuyển các tệp kia ra khỏi {raw_dir.name}/",
            )
        )
    elif not top:
        name = display_path(raw_dir / f"{FILE_STEM}{ASKED}", raw_dir)
        problems.append(
            Problem(
                name,
                "",
                "",
                "không tìm thấy tệp danh mục chỉ tiêu; chép danh mục mẫu vào bằng "
                f"`{start_command(raw_dir)}`",
            )
        )
    return (top[0] if len(top) == 1 else None), problems


EXTRA = {
    "members": (OfCommune.ma_xa,),
    "rows": (OfCommune.ma_xa,),
    "targets": (OfCommune.ma_xa,),
    "yearly": (OfCommune.ma_xa,),
}
OPTIONAL = {"yearly"}  # sheets a workbook may leave out
# a sheet with a column per year is read as one line per row and year: the year, the cell's
# value, its column letter and the header row, before the Excel row
YEAR_FIELDS = (YearlyRead.nam, ResultRowsRead.ket_qua, YearlyRead.cot, YearlyRead.hang_tieu_de)
WHOLE_NUMBERS = {Located.dong, YearlyRead.nam, YearlyRead.hang_tieu_de}
KNOWN_SHEETS = {header_key(sheet.name) for sheet in SHEETS.values()}  # the only sheets read


def fields(kind: str) -> list[str]:
    """The columns of a kind of table as read, in the order `tidy_workbook` gives its rows."""
    years = YEAR_FIELDS if SHEETS[kind].years is not None else ()
    return [
        *SHEETS[kind].columns,
        *years,
        Located.dong,
        Located.tep,
        Located.sheet,
        *EXTRA.get(kind, ()),
    ]


@dataclass
class Part:
    """What one workbook contributes to the Record: rows per kind of table (each the layout's
    values, then the Excel row, file and sheet, then any extra columns), and where they were."""

    rows: dict[str, list[list[object]]] = field(default_factory=dict)
    letters: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    headers: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


# an empty sheet of the catalogue, and what it leaves unknown
NO_INDICATORS = (
    "sheet không có dòng số liệu: ghi mỗi chỉ tiêu một dòng (thiếu thì không biết chỉ tiêu nào "
    "cao hơn là tốt hay thấp hơn là tốt, gộp ra sao)"
)
NO_UNITS = (
    "sheet không có dòng số liệu: ghi mỗi đơn vị tính một dòng (thiếu thì không biết đơn vị nào "
    "là tỷ lệ, quy đổi ra sao)"
)

HIDDEN_SHEET = (
    "sheet đang ẩn nhưng vẫn được đọc: bỏ ẩn sheet (chuột phải vào tên một sheet › Bỏ ẩn) để "
    "thấy số liệu đang dùng"
)


def tidy_workbook(grids: dict[str, Opened], tep: str, catalogue: bool) -> Part:
    """One workbook's sheets as rows of the Record's tables (pure)."""
    part = Part()

    def take(kind: str, extra: tuple = ()) -> list[list[object]] | None:
        return _take(part, grids, tep, kind, extra)

    if catalogue:
        # a catalogue without indicators or units would leave every row's direction, merge and
        # unit unknown (each scored as "higher is better"): an error, as an empty Thông tin is
        if take("indicators") == []:
            part.problems.append(Problem(tep, SHEETS["indicators"].name, "", NO_INDICATORS))
        if take("units") == []:
            part.problems.append(Problem(tep, SHEETS["units"].name, "", NO_UNITS))
        return part
    info = take("info")
    if info is None:
        return part
    if not info:
        part.problems.append(Problem(tep, INFO_SHEET.name, "", "sheet không có dòng số liệu"))
        return part
    fields = list(INFO_SHEET.columns)
    code_at, kind_at, name_at = (
        fields.index(f) for f in (OfCommune.ma_xa, InfoRead.loai, InfoRead.ten_xa)
    )
    info, kinds, kept = _info_rows(part, tep, info, code_at, kind_at)
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


def _info_rows(
    part: Part, tep: str, info: list[list[object]], code_at: int, kind_at: int
) -> tuple[list[list[object]], list[str], bool]:
    """The rows of the info sheet kept, their kinds, and whether they are a commune kept as it
    is (two rows of one code, one "Trước sắp xếp" and one "Sau sắp xếp"). More rows than that
    are an error and only the first is kept."""
    fields = list(INFO_SHEET.columns)
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
        return info[:1], kinds[:1], kept
    return info, kinds, kept


def _take(
    part: Part, grids: dict[str, Opened], tep: str, kind: str, extra: tuple
) -> list[list[object]] | None:
    """The rows of one kind of sheet, each with its file, sheet and `extra`, added to `part`
    with the sheet's problems, letters and headers; None when the sheet is not read."""
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
    if opened.hidden.sheet:
        refused = _hidden_sheet(grids, tep, name, sheet)
        if refused:
            part.problems.append(refused)
            return None
        part.problems.append(Problem(tep, name, "", HIDDEN_SHEET, WARNING))
    tidy = tidy_sheet(
        grid=opened.grid,
        sheet=sheet,
        tep=tep,
        sheet_name=name,
        flaws=opened.flaws,
        hidden=opened.hidden,
    )
    part.problems.extend([*tidy.unknown, *tidy.problems])
    part.letters[(tep, name)] = tidy.letters
    part.headers[(tep, name)] = tidy.headers
    if tidy.rows is None:
        return None
    rows = [[*row, tep, name, *extra] for row in tidy.rows]
    part.rows.setdefault(kind, []).extend(rows)
    return rows


def _hidden_sheet(grids: dict[str, Opened], tep: str, name: str, sheet: Sheet) -> Problem | None:
    """The error of a hidden sheet when a visible sheet of another name has its header row
    (which of the two holds the figures is not clear); None when the hidden one is alone."""
    copies = [
        other
        for other, read in grids.items()
        if header_key(other) not in KNOWN_SHEETS
        and isinstance(read, Read)
        and not read.hidden.sheet
        and same_table(read.grid, sheet)
    ]
    if not copies:
        return None
    named = ", ".join(f'"{c}"' for c in copies)
    return Problem(
        tep,
        name,
        "",
        f"sheet đang ẩn, còn sheet {named} đang hiện có cùng dòng tiêu đề: "
        "không rõ sheet nào là số liệu đúng; xóa sheet thừa rồi đặt tên sheet "
        f'đúng là "{sheet.name}" (bỏ ẩn nếu giữ sheet này)',
    )


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
        reason = f"tệp hỏng hoặc không phải bảng tính {formats.LISTED}"
        return Part(problems=[Problem(name, "", "", f"không đọc được tệp: {reason}")])
    part = tidy_workbook(grids, name, catalogue)
    kind = formats.of(path.suffix)
    if kind is not None and kind.marker is None:  # its problems are listed, never marked
        part.problems.append(Problem(name, noi_dung=kind.unmarked, muc_do=WARNING))
    return part


def _read_many(args: tuple[list[Path], Path]) -> list[Part]:
    paths, raw_dir = args
    return [read_part(p, raw_dir, False) for p in paths]


def load_record(raw_dir: Path, workers: int = 1, read=None) -> Record:
    """Read every workbook in `raw_dir` into a Record; what cannot be read becomes a Problem.
    With `workers` > 1 the commune workbooks are read by that many processes; `read` in place
    of `read_part` in this one (the intake page's server passes its reader that remembers each
    workbook read, by its bytes)."""
    read = read or read_part
    catalogue, communes, problems = discover(raw_dir)
    parts: list[Part] = []
    if catalogue is not None:
        parts.append(read(catalogue, raw_dir, True))
    if workers > 1 and len(communes) > 4 * PARALLEL_CHUNK:
        chunks = [communes[i : i + PARALLEL_CHUNK] for i in range(0, len(communes), PARALLEL_CHUNK)]
        with processes.pool(workers) as pool:
            for chunk in pool.map(_read_many, [(c, raw_dir) for c in chunks]):
                parts.extend(chunk)
    else:
        parts.extend(read(p, raw_dir, False) for p in communes)
    if catalogue is not None and not communes:
        problems.append(
            Problem(
                raw_dir.name,
                noi_dung=f"chưa có tệp xã nào: mỗi xã một tệp bảng tính ({ASKED}) trong thư "
                f"mục của tỉnh (ví dụ raw/ten_tinh/ten_xa{ASKED}), tạo bằng lệnh mau ở dòng dưới",
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

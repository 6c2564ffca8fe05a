"""The sheets of a commune's ready-to-fill workbook (`bieu mau`), and of a draft imported from
Word (`bieu nhap-word`), the same workbook with its rows: every sheet and column the pipeline
reads, and nothing of another commune. Its guide, the first sheet, is `layout/form_guide.py`'s.

Pure: a `Commune` (and, for a draft, its `Table`s) and the catalogue in, `SheetLayout`s out,
drawn by the workbook renderer like every other workbook. The sheets and headers come from the
layouts in `schemas/` (`INFO_SHEET`, `RESULT_SHEET`, `TARGET_SHEET`, `YEARLY_SHEET`,
`MEMBER_SHEET`), each column's input message from its `Col.help`, the drop-down lists from
`schemas.vocabulary` and from the workbook's last sheet, Danh mục (the catalogue by name, where
the unit beside each indicator is looked up too): a person picks an indicator by its name, and
the pipeline reads the code from it. Every cell is formatted as text: 3-4 stays 3-4.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

from pipeline.catalogue import Catalogue
from pipeline.layout.sheet import (
    LINE_HEIGHT,
    PADDING,
    Lookup,
    Margins,
    Page,
    Range,
    SheetLayout,
    Validation,
    wrapped_lines,
)
from pipeline.text import clean, vietnamese_order
from schemas.commune import INFO_SHEET, MEMBER_SHEET
from schemas.layout import Sheet
from schemas.tables import (
    CONGRESS_HEADER,
    CONGRESS_HELP,
    RESULT_SHEET,
    TARGET_SHEET,
    YEARLY_SHEET,
)
from schemas.vocabulary import KEPT, KINDS, NEW, OLD, PUBLISHED, READINGS, TERMS, YES

CATALOGUE_SHEET = "Danh mục"
# beside Mã chỉ tiêu, where a person picks the indicator by its name: the catalogue's unit of
# that indicator, to check the row's unit against; beside a name the catalogue does not hold, so
UNIT_BESIDE = "Đơn vị trong danh mục"
NOT_LISTED = "(tên không có trong danh mục)"
# a draft's columns after the record's: how sure the suggested code is, the runner-up, and why
# a person must decide the row
SCORE, RUNNER_UP, DECIDE = "Độ khớp (%)", "Chỉ tiêu gần thứ hai", "Cần người quyết định"
BLANK_ROWS = 40  # rows laid out, bordered and printable, in a blank table
SPARE_ROWS = 10  # more rows after a draft's
VALIDATED_ROWS = 500  # rows the drop-down lists cover
FONT_SCALE = 12 / 11  # the form is in 11-point type; `wrapped_lines` counts 12-point
INCH = 25.4  # millimetres
# narrower than the administrative margins: a form is typed into, not filed
MARGINS = Margins(top=0.6 * INCH, bottom=0.6 * INCH, left=0.5 * INCH, right=0.4 * INCH)
NOT_IN_LIST = "Giá trị này không có trong danh sách của cột."
KEEP_ANYWAY = " Vẫn giữ nếu bản in ghi như vậy."


@dataclass(frozen=True)
class Commune:
    """Who the workbook is for: `kind` is Trước sắp xếp, Sau sắp xếp or Giữ nguyên; `members`
    the old communes (code, name) of a new commune; `bieu` its Biểu số where known (a kept
    commune's 2025-2030 Biểu takes the next number)."""

    code: str
    name: str
    province: str
    kind: str
    members: tuple[tuple[str, str], ...] = ()
    bieu: str = ""


@dataclass
class Table:
    """An annex table read from a report, for a draft: its kind (`OLD` results or `NEW`
    targets), what is printed around it, and its rows (field → text) with, per row, the
    suggested code's score, the runner-up and why a person must decide ("" where not)."""

    kind: str
    bieu: str = ""
    title: str = ""
    subtitle: str = ""
    term: str = ""
    header: str = ""  # the printed header of the target column ("Chỉ tiêu NQ Đại hội XXIII")
    rows: list[dict[str, str]] = field(default_factory=list)
    scores: list[str] = field(default_factory=list)
    runners_up: list[str] = field(default_factory=list)
    decide: list[str] = field(default_factory=list)
    printed: dict[str, str] = field(default_factory=dict)  # Thông tin's figures the prose gives


WIDTHS = {
    "tt": 6,
    "chi_tieu": 44,
    "don_vi": 14,
    "danh_gia": 12,
    "ma_chi_tieu": 40,  # the indicator's name, as the catalogue gives it
    "ghi_chu_nhap": 30,
    "tieu_de": 40,
    "dong_phu": 30,
    "ten_xa": 20,
    "tinh": 16,
    "loai": 16,
    "cach_doc_so": 20,
    "ly_do_giu": 24,
    "ghi_chu": 24,
    "dien_giai": 30,
    "ma_xa": 16,
    "ma_xa_cu": 16,
    "ten_xa_cu": 24,
    SCORE: 10,
    RUNNER_UP: 30,
    DECIDE: 55,
}
PAGE_WIDTH = 170  # column widths that print legibly across one landscape A4 page
YEAR_WIDTH = 10  # a year's column of the results year by year


def sheets(commune: Commune, catalogue: Catalogue, tables: list[Table]) -> list[SheetLayout]:
    """The workbook's sheets after its guide: Thông tin, the commune's tables (blank, or as read
    for a draft), Xã hợp thành for a new commune, and the catalogue."""
    results = next((t for t in tables if t.kind == OLD), None)
    targets = next((t for t in tables if t.kind == NEW), None)
    lists = listed(catalogue)
    out = [_info(commune, tables)]
    if commune.kind in (OLD, KEPT):
        out.append(_table(RESULT_SHEET, results, lists))
    if commune.kind in (NEW, KEPT):
        table = targets or prefilled_targets(catalogue)
        out += [_table(TARGET_SHEET, table, lists), _yearly(table, lists)]
    if commune.kind == NEW:
        out.append(_members(commune))
    out.append(_catalogue(lists))
    return out


# ---------------------------------------------------------------------------- Thông tin


def info_rows(commune: Commune, tables: list[Table]) -> list[dict[str, str]]:
    """The rows of Thông tin: one per Biểu the workbook holds, what is known filled in."""
    kinds = [OLD, NEW] if commune.kind == KEPT else [commune.kind]
    rows = []
    for i, kind in enumerate(kinds):
        table = next((t for t in tables if t.kind == kind), Table(kind))
        bieu = table.bieu or commune.bieu
        if i and not table.bieu and commune.bieu.isdigit():
            bieu = f"{int(commune.bieu) + 1:0{len(commune.bieu)}d}"
        rows.append(
            {
                "ma_xa": commune.code,
                "tinh": commune.province,
                "ten_xa": commune.name,
                "loai": kind,
                "bieu_so": bieu,
                "nhiem_ky": table.term or TERMS[kind],
                "tieu_de": table.title or title(commune.name, kind),
                "dong_phu": table.subtitle,
                **table.printed,
            }
        )
    return rows


# a Biểu's title as the seed's reports print it: an old commune's congress, then the first
# congress of the Party committee of the commune it became
TITLES = {
    OLD: "BIỂU CÁC CHỈ TIÊU ĐẠI HỘI XÃ {}, NHIỆM KỲ {}",
    NEW: "BIỂU CÁC CHỈ TIÊU ĐẠI HỘI ĐẢNG BỘ XÃ {}, NHIỆM KỲ {}",
}


def title(name: str, kind: str) -> str:
    """The title a form fills in for a Biểu of this kind: the commune's name and the term."""
    return TITLES[kind].format(clean(name).upper(), TERMS[kind])


def _info(commune: Commune, tables: list[Table]) -> SheetLayout:
    rows = info_rows(commune, tables)
    columns = list(INFO_SHEET.columns)
    sheet = _header(INFO_SHEET, {}, columns)
    for r, row in enumerate(rows, start=1):
        for c, name in enumerate(columns):
            sheet.put(r, c, row.get(name, ""), "form_cell")
    _lists(sheet, INFO_SHEET, {"loai": (KINDS, True), "cach_doc_so": (READINGS, True)}, columns)
    _text_below(sheet, len(rows))
    sheet.page = _page(sheet, len(rows), landscape=True, repeat=0)
    return sheet


# ---------------------------------------------------------------------------- the tables


def prefilled_targets(catalogue: Catalogue) -> Table:
    """A new commune's Mục tiêu as the catalogue lists its 2025-2030 indicators, by group (I,
    II…, in the catalogue's order), to keep or delete: name, unit and code filled, the target
    left to type."""
    listed = catalogue.indicators.drop_duplicates("ma_key")
    listed = listed[listed["nhom_muc_tieu"] != ""]
    groups = list(dict.fromkeys(listed["nhom_muc_tieu"]))
    rows: list[dict[str, str]] = []
    for number, group in enumerate(groups, start=1):
        rows.append({"tt": roman(number), "chi_tieu": group})
        members = listed[listed["nhom_muc_tieu"] == group]
        for item, record in enumerate(members.to_dict("records"), start=1):
            rows.append(
                {
                    "tt": str(item),
                    "chi_tieu": record["ten_chi_tieu"],
                    "don_vi": record["don_vi"],
                    "ma_chi_tieu": record["ma_chi_tieu"],
                }
            )
    return Table(NEW, rows=rows)


def roman(number: int) -> str:
    numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, letters in numerals:
        while number >= value:
            out, number = out + letters, number - value
    return out


def form_columns(layout: Sheet, draft: bool) -> list[str]:
    """The form's columns: the layout's, the catalogue name beside the code, and for a draft
    the suggestion columns."""
    names = list(layout.columns)
    at = names.index("ma_chi_tieu") + 1
    extra = [SCORE, RUNNER_UP, DECIDE] if draft else []
    return [*names[:at], UNIT_BESIDE, *names[at:], *extra]


def _table(layout: Sheet, table: Table | None, lists: Listed) -> SheetLayout:
    table = table or Table(OLD)
    draft = bool(table.decide)
    columns = form_columns(layout, draft)
    value_column = "chi_tieu_nq" if "chi_tieu_nq" in layout.columns else "muc_tieu"
    headers = {value_column: table.header or default_header(layout, value_column)}
    sheet = _header(layout, headers, columns)
    if headers[value_column] == CONGRESS_HEADER:
        _to_finish(sheet, columns.index(value_column))
    key = columns.index("ma_chi_tieu")
    count = max(len(table.rows) + SPARE_ROWS, BLANK_ROWS)
    for r in range(1, count + 1):
        row = named(table.rows[r - 1], lists) if r <= len(table.rows) else {}
        note = table.decide[r - 1] if draft and r <= len(table.rows) else ""
        style = "form_decide" if note else ("form_group" if _is_group(row) else "form_cell")
        texts = [(row.get(n, ""), _width(n, layout)) for n in columns]
        texts += [(note, _width(DECIDE, layout))]
        fit(sheet, r, texts)
        for c, name in enumerate(columns):
            if name == UNIT_BESIDE:
                _unit_beside(sheet, r, c, key, lists, row.get("ma_chi_tieu", ""))
            elif name == SCORE:
                sheet.put(r, c, table.scores[r - 1] if row else "", style)
            elif name == RUNNER_UP:
                sheet.put(r, c, table.runners_up[r - 1] if row else "", style)
            elif name == DECIDE:
                sheet.put(r, c, note, "form_decide_note" if note else "form_cell")
            else:
                sheet.put(r, c, row.get(name, ""), style)
    offered = {
        "don_vi": (lists.unit_range, False),
        "danh_gia": (PUBLISHED, False),
        "ma_chi_tieu": (lists.name_range, False),
        "cach_doc_so": (READINGS, True),
        "giu_danh_gia": ((YES,), True),
    }
    _lists(sheet, layout, offered, columns)
    _text_below(sheet, count)
    sheet.page = _page(sheet, count, landscape=True, repeat=1)
    return sheet


def _is_group(row: dict[str, str]) -> bool:
    """A group row: its TT in Roman numerals (I, II.)."""
    tt = row.get("tt", "").rstrip(".")
    return tt.isupper() and tt.isalpha()


def named(row: dict[str, str], lists: Listed) -> dict[str, str]:
    """A row as the form writes it: its indicator by the catalogue's name, not its code."""
    code = row.get("ma_chi_tieu", "")
    return {**row, "ma_chi_tieu": lists.name_of.get(code, code)} if code else row


def _unit_beside(sheet: SheetLayout, r: int, c: int, key: int, lists: Listed, name: str) -> None:
    """Beside a row's indicator (in column `key`), the catalogue's unit of it, looked up as the
    person picks a name (shown as it is now until the workbook is recalculated)."""
    shown = lists.unit_of_name.get(name, NOT_LISTED if name else "")
    sheet.lookups.append(Lookup(r, c, key, lists.name_rows, 2, NOT_LISTED, shown, "form_side"))


def default_header(layout: Sheet, name: str) -> str:
    """A blank table's header for the target column: a 2025-2030 table's targets are "Mục tiêu
    đến 2030"; "Chỉ tiêu NQ" goes on as printed with the congress that adopted them, which the
    form cannot know ("Chỉ tiêu NQ Đại hội …", to finish: `_to_finish`)."""
    header = layout.columns[name].header
    if name == "muc_tieu":
        return f"{header} {TERMS[NEW][-4:]}"
    return CONGRESS_HEADER if name == "chi_tieu_nq" else header


def _to_finish(sheet: SheetLayout, c: int) -> None:
    """The header cell a person finishes as printed: highlighted, and saying so when selected."""
    at = next(i for i, (r, col, _, _) in enumerate(sheet.cells) if (r, col) == (0, c))
    sheet.cells[at] = (0, c, CONGRESS_HEADER, "form_header_todo")
    sheet.validations.append(Validation(0, c, 0, c, "Tiêu đề cột", CONGRESS_HELP))


# ---------------------------------------------------------------------------- Kết quả hằng năm


def term_years(term: str = TERMS[NEW]) -> list[str]:
    """The years a term's results are typed for: all but its first (the baseline's)."""
    start, end = (int(y) for y in term.split("-"))
    return [str(year) for year in range(start + 1, end + 1)]


def _yearly(targets: Table, lists: Listed) -> SheetLayout:
    """The results year by year, optional: Biểu 03's rows as Mục tiêu lists them now, its
    indicators by name and code only (rows found by code still match once Mục tiêu's rows are
    deleted or numbered again), with one empty column per year of the term."""
    layout = YEARLY_SHEET
    names = list(layout.columns)
    at = names.index("ma_chi_tieu")
    years = term_years()
    # the years first after the row's name, so that they print on the first page
    columns = [*names[:at], *years, names[at], UNIT_BESIDE, *names[at + 1 :]]
    sheet = _header(layout, {}, columns)
    for c, name in enumerate(columns):
        if name in years:
            # put again as when it was written straight: the shared strings count each writing
            sheet.put(0, c, name, "form_header")
            sheet.widths[c] = YEAR_WIDTH
            sheet.validations.append(
                Validation(1, c, VALIDATED_ROWS, c, f"Kết quả năm {name}", layout.years.help)
            )
    key = columns.index("ma_chi_tieu")
    count = max(len(targets.rows) + SPARE_ROWS, BLANK_ROWS)
    for r in range(1, count + 1):
        row = named(targets.rows[r - 1], lists) if r <= len(targets.rows) else {}
        group = _is_group(row)
        row = row if group else {**row, "tt": ""}
        style = "form_group" if group else "form_cell"
        fit(sheet, r, [(row.get(n, ""), _width(n, layout)) for n in ("chi_tieu", "ma_chi_tieu")])
        for c, name in enumerate(columns):
            if name == UNIT_BESIDE:
                _unit_beside(sheet, r, c, key, lists, row.get("ma_chi_tieu", ""))
            else:
                sheet.put(r, c, "" if name in years else row.get(name, ""), style)
    _lists(sheet, layout, {"cach_doc_so": (READINGS, True)}, columns)
    _text_below(sheet, count)
    sheet.page = _page(sheet, count, landscape=True, repeat=1)
    return sheet


# ---------------------------------------------------------------------------- Xã hợp thành


def _members(commune: Commune) -> SheetLayout:
    columns = list(MEMBER_SHEET.columns)
    sheet = _header(MEMBER_SHEET, {}, columns)
    count = max(len(commune.members), 4)
    for r in range(1, count + 1):
        code, name = commune.members[r - 1] if r <= len(commune.members) else ("", "")
        sheet.put(r, 0, code, "form_cell")
        sheet.put(r, 1, name, "form_cell")
    _text_below(sheet, count)
    sheet.page = form_page(count, len(columns), landscape=False, header_row=0)
    return sheet


# ---------------------------------------------------------------------------- Danh mục

# the catalogue as the form shows it: by name, in Vietnamese dictionary order (the codes stay
# in raw/danh_muc_chi_tieu.xlsx); under the names, apart and headed, the units
CATALOGUE_HEADERS = ["Tên chỉ tiêu", "Đơn vị tính", "Nhóm mục tiêu 2025-2030", "Loại mục tiêu"]
UNIT_HEADER = "Các đơn vị tính (danh sách để chọn ở cột Đơn vị tính)"
NAME_COLUMN, UNIT_COLUMN = 0, 0  # the names (their units beside them); the units, under them


@dataclass(frozen=True)
class Listed:
    """The catalogue as the workbook offers it on Danh mục: each indicator's name, unit, group
    and kind of target, a row each in the names' order (for the indicator's drop-down list and
    the unit looked up beside it), and the units (for the unit's drop-down list); its code, to
    write a name for it."""

    codes: list[str]
    names: list[str]
    units_of: list[str]
    groups: list[str]
    kinds: list[str]
    units: list[str]

    @cached_property
    def name_of(self) -> dict[str, str]:
        return dict(zip(self.codes, self.names, strict=True))

    @cached_property
    def unit_of_name(self) -> dict[str, str]:
        return dict(zip(self.names, self.units_of, strict=True))

    @property
    def name_rows(self) -> Range:
        """The names and their units (an empty catalogue: one empty row)."""
        return Range(CATALOGUE_SHEET, 1, NAME_COLUMN, max(len(self.codes), 1), NAME_COLUMN + 1)

    @property
    def name_range(self) -> Range:
        rows = self.name_rows
        return Range(rows.sheet, rows.first_row, NAME_COLUMN, rows.last_row, NAME_COLUMN)

    @property
    def unit_heading(self) -> int:
        """The row of the units' heading: one empty row under the names."""
        return self.name_rows.last_row + 2

    @property
    def unit_range(self) -> Range:
        first = self.unit_heading + 1
        last = first + max(len(self.units), 1) - 1
        return Range(CATALOGUE_SHEET, first, UNIT_COLUMN, last, UNIT_COLUMN)


def listed(catalogue: Catalogue) -> Listed:
    """What the drop-down lists offer: the catalogue's coded indicators, by name in Vietnamese
    dictionary order (a person looks a name up as in a dictionary), and its named units, in
    the catalogue's order, once each."""
    indicators = catalogue.indicators.drop_duplicates("ma_key")
    indicators = indicators[indicators["ma_chi_tieu"] != ""]
    indicators = indicators.sort_values("ten_chi_tieu", key=lambda n: n.map(vietnamese_order))
    units = catalogue.units.drop_duplicates("don_vi_key")
    units = units[units["don_vi"] != ""]
    return Listed(
        codes=indicators["ma_chi_tieu"].tolist(),
        names=indicators["ten_chi_tieu"].tolist(),
        units_of=indicators["don_vi"].tolist(),
        groups=indicators["nhom_muc_tieu"].tolist(),
        kinds=indicators["loai_muc_tieu"].tolist(),
        units=units["don_vi"].tolist(),
    )


def _catalogue(lists: Listed) -> SheetLayout:
    """The catalogue's names, units, groups and kinds of target, and under them its units: what
    the drop-down lists offer, to look a name up (Ctrl+F), and what each target means over the
    term (the kind is the catalogue's: changed in raw/danh_muc_chi_tieu.xlsx, not here)."""
    sheet = SheetLayout(CATALOGUE_SHEET, widths=[60, 16, 30, 16], empty_text=True)
    for c, text in enumerate(CATALOGUE_HEADERS):
        sheet.put(0, c, text, "form_header")
    rows = zip(lists.names, lists.units_of, lists.groups, lists.kinds, strict=True)
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values):
            sheet.put(r, c, value, "form_cell")
    sheet.put(lists.unit_heading, UNIT_COLUMN, UNIT_HEADER, "form_header")
    for r, unit in enumerate(lists.units, start=lists.unit_range.first_row):
        sheet.put(r, UNIT_COLUMN, unit, "form_cell")
    sheet.freeze = (1, 0)
    sheet.page = form_page(lists.unit_range.last_row, len(CATALOGUE_HEADERS), landscape=True)
    return sheet


# ---------------------------------------------------------------------------- shared


def _header(layout: Sheet, printed: dict, columns: list[str]) -> SheetLayout:
    """A sheet whose header row is as the pipeline expects it, frozen; every column formatted
    as text, with its help as the input message of its cells."""
    sheet = SheetLayout(layout.name, empty_text=True)
    for c, name in enumerate(columns):
        col = layout.columns.get(name)
        sheet.put(0, c, printed.get(name) or (col.header if col else name), "form_header")
        sheet.widths.append(_width(name, layout))
        sheet.column_styles[c] = "form_text"
        if col and col.help:
            title = clean(col.header)[:32]
            sheet.validations.append(Validation(1, c, VALIDATED_ROWS, c, title, col.help))
    sheet.heights[0] = 32
    sheet.freeze = (1, 0)
    return sheet


def _text_below(sheet: SheetLayout, last: int) -> None:
    """The rows under a table's last laid-out row (`last`), down to the last its drop-down
    lists and input messages cover, formatted as text cell by cell as the laid-out rows are:
    a program that does not give a new cell its column's format would read 3-4 there as a
    date."""
    if last < VALIDATED_ROWS:
        sheet.blanks.append((last + 1, 0, VALIDATED_ROWS, len(sheet.widths) - 1, "form_text"))


def _width(name: str, layout: Sheet) -> float:
    if name == UNIT_BESIDE:
        return 16
    return WIDTHS.get(name, 14 if name in layout.columns else 30)


def fit(sheet: SheetLayout, row: int, texts: list[tuple[str, float]]) -> None:
    """A row tall enough for its wrapped texts (Excel does not grow a row a program wrote)."""
    lines = max([1] + [wrapped_lines(text, width * FONT_SCALE) for text, width in texts if text])
    if lines > 1:
        sheet.heights[row] = lines * LINE_HEIGHT + 2 * PADDING


def _lists(sheet: SheetLayout, layout: Sheet, lists: dict, columns: list[str]) -> None:
    """Drop-down lists with the column's input message: `(values or a range, strict)`; a
    strict list refuses anything else, the others warn and let the printed word stand."""
    for name, (source, strict) in lists.items():
        if name not in columns:
            continue
        c = columns.index(name)
        col = layout.columns[name]
        title = clean(col.header)[:32]
        values, cells = (source, None) if isinstance(source, tuple) else ((), source)
        sheet.validations.append(
            Validation(
                1,
                c,
                VALIDATED_ROWS,
                c,
                title,
                col.help,
                values=values,
                source=cells,
                strict=strict,
                error_title=title,
                error=NOT_IN_LIST + ("" if strict else KEEP_ANYWAY),
            )
        )


def _page(sheet: SheetLayout, rows: int, landscape: bool, repeat: int) -> Page:
    """The page of a table under its header row: too wide for a page, it prints over more, its
    first columns (up to `repeat`) repeated on each."""
    width = sum(sheet.widths)
    page = form_page(rows, len(sheet.widths), landscape, header_row=0)
    if width > PAGE_WIDTH:
        page.pages_wide, page.repeat_columns = math.ceil(width / PAGE_WIDTH), (0, repeat)
    return page


def form_page(rows: int, columns: int, landscape: bool, header_row: int | None = None) -> Page:
    """A form's page: A4, fitted to the page's width, rows 0 .. `rows` printed, numbered in
    the footer."""
    return Page(
        landscape=landscape,
        margins=MARGINS,
        columns=columns,
        rows=rows + 1,
        header_row=header_row,
        centred=False,
        footer_size=10,
    )

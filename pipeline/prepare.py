"""Preparing the record: every value parsed, every word made canonical, every row classified.

Pure: the Record as read in, a `Prepared` record out, with the catalogue built once. Nothing here
decides whether a value is right; `validate` does, from what this stage computed. Cells are
parsed once per distinct value, so a country's tables cost about what their distinct cells do.
"""

from __future__ import annotations

import dataclasses
import functools
import operator
import re
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

from pipeline.catalogue import FACTOR, Catalogue, unit_words
from pipeline.columns import canonical, keyed, per_distinct
from pipeline.kinds import fill_kinds
from pipeline.load import Record, Where
from pipeline.parse import INFO_READING, INVALID, NUMBER, RANGE, Expr, format_vi, parse_expr
from pipeline.problems import Problem
from pipeline.text import key, slug
from schemas import stages as st
from schemas.stages import (
    IndicatorsRead,
    InfoRead,
    Located,
    MembersRead,
    OfCommune,
    ResultRows,
    ResultRowsRead,
    TargetRowsRead,
    UnitsRead,
    YearlyResults,
)
from schemas.vocabulary import (
    DIRECTIONS,
    GROUP,
    ITEM,
    KINDS,
    MERGE_RULES,
    NEW,
    NO,
    OLD,
    PUBLISHED_WORDS,
    READINGS,
    SUBROW,
    TARGET_KINDS,
    UNBOUNDED,
    UNIT_KINDS,
    WEIGHT_NAME,
    YES,
)

ROMAN = r"[IVXLC]+\.?"
EMPTY_DTYPES = {
    "text": "str",
    "kind": "str",
    "lo": float,
    "hi": float,
    "denom": float,
    "decimals": "int64",
}
ITEM_NUMBER = r"\d+\.?"
SUB_LABEL = r"[-+•]|[a-zđ][).]?"


@dataclass
class Prepared:
    """The record, prepared: one frame per kind of table across all communes (shaped as
    `schemas.stages` says), the catalogue, and where every value was read."""

    catalogue: Catalogue
    info: pd.DataFrame  # st.Info
    members: pd.DataFrame  # st.Members
    rows: pd.DataFrame  # st.ResultRows
    targets: pd.DataFrame  # st.TargetRows
    yearly: pd.DataFrame  # st.YearlyResults
    where: Where = field(default_factory=Where)
    problems: list[Problem] = field(default_factory=list)  # what could not be read
    files: list[str] = field(default_factory=list)

    @functools.cached_property
    def old_communes(self) -> pd.DataFrame:
        """The old communes of `info`, the first row of each matching key, indexed by it, with
        the columns the checks look an old commune up by (`COMMUNE_FACTS`; computed once,
        `keeping` gives a new record)."""
        return first_of_kind(self.info[[*KIND_AND_KEY, *COMMUNE_FACTS]], OLD)

    @functools.cached_property
    def new_communes(self) -> pd.DataFrame:
        """The new communes of `info`, as `old_communes` has the old."""
        return first_of_kind(self.info[[*KIND_AND_KEY, *COMMUNE_FACTS]], NEW)

    def keeping(self, new_communes: set[str]) -> Prepared:
        """The record of these new communes and their old communes only (same catalogue)."""
        members = self.members[self.members[OfCommune.ma_xa].isin(new_communes)]
        codes = new_communes | set(members[st.MembersRead.ma_xa_cu])
        return dataclasses.replace(
            self,
            info=self.info[self.info[OfCommune.ma_xa].isin(codes)],
            members=members,
            rows=self.rows[self.rows[OfCommune.ma_xa].isin(codes)],
            targets=self.targets[self.targets[OfCommune.ma_xa].isin(codes)],
            yearly=self.yearly[self.yearly[OfCommune.ma_xa].isin(codes)],
        )


# what the checks look a commune up by in `Prepared.old_communes` and `new_communes`: where its
# facts were read, its code, name and province, and the figures a weighted mean and the sums
# need, as typed and as numbers (cut from `info`'s hundred columns before its rows are: each
# column costs its own step)
COMMUNE_FACTS = [
    Located.tep,
    Located.sheet,
    Located.dong,
    OfCommune.ma_xa,
    InfoRead.ten_xa,
    InfoRead.tinh,
    *(st.Parsed(column).text for column in WEIGHT_NAME),
    *(f"{column}__so" for column in WEIGHT_NAME),
]
KIND_AND_KEY = [InfoRead.loai, ResultRows.ma_key]


def first_of_kind(info: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The rows of `info` of one kind of commune (old or new), the first of each matching key
    (`ma_key`), indexed by it."""
    return (
        info[info[InfoRead.loai] == kind]
        .drop_duplicates(ResultRows.ma_key)
        .set_index(ResultRows.ma_key)
    )


def parse_column(
    values: pd.Series, readings: pd.Series, integer: pd.Series, where: str | None = None
) -> pd.DataFrame:
    """Parse a column of cells into the fields of `Expr`, once per distinct (cell, reading,
    unit of whole things): the combinations are numbered with `pd.factorize`, not hashed as
    tuples row by row. Named `<column>__kind`, `__lo`, ... with `__text` last, as they stand
    beside the column in a prepared frame."""
    names = [f"{values.name}__{part}" for part in PARTS_ORDER]
    if values.empty:  # typed as a column of parsed cells is: the stages' contracts hold
        return pd.DataFrame(
            {
                name: pd.Series(dtype=EMPTY_DTYPES.get(part, object))
                for name, part in zip(names, PARTS_ORDER, strict=True)
            },
            index=values.index,
        )
    value_codes, value_uniques = pd.factorize(values, use_na_sentinel=False)
    reading_codes, reading_uniques = pd.factorize(readings, use_na_sentinel=False)
    whole = integer.to_numpy(dtype=bool).astype(np.int64)
    combined = (value_codes * len(reading_uniques) + reading_codes) * 2 + whole
    codes, combos = pd.factorize(combined)
    as_tuple = operator.attrgetter(*PARTS_ORDER)  # dataclasses.astuple deep-copies: far slower
    parsed = [
        as_tuple(
            parse_expr(
                value_uniques[c // 2 // len(reading_uniques)],
                reading_uniques[c // 2 % len(reading_uniques)] or None,
                bool(c % 2),
                where,
            )
        )
        for c in combos
    ]
    columns = list(zip(*parsed, strict=True)) if parsed else [[] for _ in PARTS_ORDER]
    return pd.DataFrame(
        {
            name: np.asarray(column, dtype=object)[codes]
            for name, column in zip(names, columns, strict=True)
        },
        index=values.index,
    ).infer_objects()


# the fields of `Expr` in the order a prepared frame has them: the printed text last
PARTS_ORDER = [*(f.name for f in dataclasses.fields(Expr) if f.name != "text"), "text"]


def with_parsed(
    frame: pd.DataFrame, column: str, readings, integer, where: str | None = None
) -> pd.DataFrame:
    """Add `column__kind`, `__lo`, ..., `__text` beside `column` (`where`: as `parse_number`)."""
    return pd.concat([frame, parse_column(frame[column], readings, integer, where)], axis=1)


def plain_number(frame: pd.DataFrame, column: str) -> pd.Series:
    """Cells that hold one plain number (not a bound, range or fraction)."""
    parsed = st.Parsed(column)
    # compared in numpy: a pandas comparison costs fifty times as much on a few dozen rows
    plain = (
        (frame[parsed.kind].to_numpy() == NUMBER)
        & (frame[parsed.op].to_numpy() == "=")
        & frame[parsed.denom].isna().to_numpy()
    )
    return pd.Series(plain, index=frame.index)


# ---------------------------------------------------------------------------- units in cells

# the parts of a parsed cell that reading its unit may change, in this order
UNIT_PARTS = ("kind", "lo", "hi", "denom", "decimals", "error", "ambiguity", "note")
MOST_DECIMALS = 6  # a conversion that does not end (× 1/3) is kept to this many


def with_units(
    parts: pd.DataFrame,
    cells: pd.Series,
    row_units: pd.Series,
    readings: pd.Series,
    catalogue: Catalogue,
) -> pd.DataFrame:
    """Every unit typed after a number in `cells` (parsed into `parts`, as `parse_column`
    gives them) read against its row's unit (`row_units`, "don_vi"): the row's own unit stays
    as typed; a unit the catalogue converts into the row's turns the figure into the row's
    unit, with a note saying so (a warning); a unit that does not convert, or that the
    catalogue does not know, makes the cell unreadable, with its reason. The printed text
    stays as typed; a unit of whole things typed in the cell settles how its number reads
    ("15.000 con" is fifteen thousand) as the row's own unit would."""
    parsed = st.Parsed(cells.name)
    kind = parts[parsed.kind].to_numpy()  # compared in numpy: fifty times cheaper on a few rows
    typed = parts[parsed.unit].notna().to_numpy() & ((kind == NUMBER) | (kind == RANGE))
    if not typed.any():
        return parts
    rows = np.flatnonzero(typed)

    def at_typed(column: pd.Series) -> list:  # as iterating the column gives them
        return np.asarray(column.to_numpy())[rows].tolist()

    asked = [
        at_typed(cells),
        *(
            at_typed(parts[getattr(parsed, p)])
            for p in ("text", "unit", "kind", "op", "lo", "hi", "denom", "decimals", "ambiguity")
        ),
    ]
    asked.insert(3, at_typed(row_units))  # the cell, its text and unit, then the row's unit
    read: dict[tuple, tuple] = {}
    answers = []
    for reading, *values in zip(at_typed(readings), *asked, strict=True):
        if (reading, *values) not in read:
            read[(reading, *values)] = read_unit(catalogue, reading, *values)
        answers.append(read[(reading, *values)])
    written = {}
    for part, answered in zip(UNIT_PARTS, zip(*answers, strict=True), strict=True):
        name = getattr(parsed, part)
        values = parts[name].to_numpy(dtype=object, copy=True)
        if all(map(_same, values[rows], answered)):  # most units change a part or two
            continue
        # the answers typed as a column of them would be (a part with some text or figures
        # holds NaN where it is missing, as `read_unit`'s None reads in a frame)
        values[rows] = pd.Series(answered).to_numpy(dtype=object)
        # each part keeps its type (a column of floats stays one)
        written[name] = pd.Series(values, index=parts.index, dtype=object).astype(parts[name].dtype)
    return parts.assign(**written)


def _same(before, after) -> bool:
    """A part of a cell left as it was by reading its unit (a missing part stays missing,
    whichever of None, NaN or NA says so)."""
    if before is after:
        return True
    if pd.isna(before) or pd.isna(after):
        return bool(pd.isna(before) and pd.isna(after))
    return bool(before == after)


def read_unit(
    catalogue: Catalogue,
    notation: str,
    cell,
    text: str,
    typed: str,
    row_unit: str,
    kind: str,
    op,
    lo,
    hi,
    denom,
    decimals: int,
    ambiguity,
) -> tuple:
    """One cell's parts (`UNIT_PARTS`) once the unit typed in it is read against its row's
    (`notation`: the row's settled reading, or "")."""
    unchanged = (kind, lo, hi, denom, decimals, None, ambiguity, None)
    reading = catalogue.read_unit(typed, row_unit)
    if reading.same or reading.ratio == 1 or not reading.judged:
        return unchanged
    shown = _shown(kind, op, lo, hi, denom, decimals)
    if not row_unit:
        note = (
            f'"{text}" ghi đơn vị trong ô nhưng dòng này không ghi "Đơn vị tính": đọc là {shown}, '
            "không đối chiếu được đơn vị"
        )
        return (*unchanged[:-1], note)
    whole = catalogue.counts_whole(reading.found)
    if reading.found and whole != catalogue.counts_whole(row_unit):
        again = parse_expr(cell, notation or None, whole)  # the typed unit settles a dot
        if again.kind == INVALID:
            return (INVALID, None, None, None, decimals, again.error, None, None)
        kind, op, lo, hi, denom = again.kind, again.op, again.lo, again.hi, again.denom
        decimals, ambiguity = again.decimals, again.ambiguity
    if key(row_unit) not in catalogue.unit.index and catalogue.knows_units():
        return unchanged  # the row's unit is reported on its own cell
    if not reading.found:
        error = (
            f'"{text}": không nhận ra đơn vị "{typed}" ghi sau số (không có trong sheet "Đơn vị" '
            f'của danh mục); ghi số theo đơn vị của dòng "{row_unit}", không kèm chữ, hoặc thêm '
            "đơn vị này vào danh mục"
        )
        return (INVALID, None, None, None, decimals, error, None, None)
    if reading.ratio is None:
        error = (
            f'"{text}" ghi đơn vị "{reading.found}", khác đơn vị của dòng "{row_unit}" và không '
            f'quy đổi được: ghi số theo đơn vị "{row_unit}", hoặc sửa cột "Đơn vị tính"'
        )
        return (INVALID, None, None, None, decimals, error, None, None)
    values = [None if pd.isna(v) else Decimal(repr(float(v))) * reading.ratio for v in (lo, hi)]
    denom = None if pd.isna(denom) else float(Decimal(repr(float(denom))) * reading.ratio)
    places = max(-min(v.normalize().as_tuple().exponent, 0) for v in values if v is not None)
    decimals = min(places, MOST_DECIMALS)
    lo, hi = (None if v is None else float(v) for v in values)
    note = (
        f'"{text}" đọc là {_shown(kind, op, lo, hi, denom, decimals)} {row_unit} theo đơn vị '
        f"của dòng (1 {reading.found} = {format_vi(float(reading.ratio))} {row_unit}, theo "
        "danh mục)"
    )
    return (kind, lo, hi, denom, decimals, None, ambiguity, note)


def with_column_unit(frame: pd.DataFrame, column: str, unit: str) -> pd.DataFrame:
    """A figure of "Thông tin" typed with a unit: its column's own unit ("9.356 người") reads
    as typed; any other is refused, naming both (the sheet has no unit to convert into).
    `frame`: the figure's parsed parts (`parse_column`)."""
    parsed = st.Parsed(column)
    typed = frame[parsed.unit]
    if not typed.notna().any():  # as most figures are typed: a number alone
        return frame
    other = (
        typed.notna()
        & frame[parsed.kind].isin([NUMBER, RANGE])
        & typed.map(lambda u: isinstance(u, str) and unit_words(u) != unit_words(unit))
    )
    if not other.any():
        return frame
    error = (
        '"' + frame[parsed.text] + '" ghi đơn vị "' + typed.where(other, "") + '", khác đơn vị '
        f'của cột "{unit}": ghi số theo {unit}, không kèm chữ'
    )
    return frame.assign(
        **{
            parsed.kind: frame[parsed.kind].mask(other, INVALID),
            parsed.error: frame[parsed.error].astype(object).mask(other, error),
            parsed.ambiguity: frame[parsed.ambiguity].astype(object).mask(other, None),
        }
    )


def _shown(kind: str, op, lo, hi, denom, decimals: int) -> str:
    """A parsed number or range in Vietnamese notation, to `decimals` places: 1.200, ≥ 1.200,
    1.000-2.000."""
    if kind == RANGE:
        return f"{format_vi(lo, decimals)}-{format_vi(hi, decimals)}"
    number = format_vi(lo, decimals) + (f"/{format_vi(denom)}" if not pd.isna(denom) else "")
    return number if op in (None, "=") else f"{op} {number}"


# ---------------------------------------------------------------------------- catalogue


def prepare_units(units: pd.DataFrame) -> pd.DataFrame:
    return units.assign(
        loai=lambda d: canonical(d[InfoRead.loai], UNIT_KINDS),
        so_nguyen=lambda d: canonical(d[UnitsRead.so_nguyen], (YES, NO)),
        don_vi_key=lambda d: keyed(d[ResultRowsRead.don_vi]),
    ).pipe(
        with_parsed,
        FACTOR.name,
        pd.Series("", index=units.index),
        pd.Series(False, index=units.index),
    )


# a kind of target as officers type it, whatever its accents ("Hàng năm", "tong nhiem ky")
_KIND_BY_SLUG = {slug(kind): kind for kind in TARGET_KINDS}


def target_kind(typed: str) -> str:
    """The kind of target a catalogue cell names, its accents, case and spaces aside; other
    words stay as typed (the schema names them)."""
    return _KIND_BY_SLUG.get(slug(typed), typed) if typed.strip() else ""


def prepare_indicators(indicators: pd.DataFrame) -> pd.DataFrame:
    return indicators.assign(
        chieu=lambda d: canonical(d[IndicatorsRead.chieu], DIRECTIONS),
        cach_gop=lambda d: canonical(d[IndicatorsRead.cach_gop], MERGE_RULES),
        mien_gia_tri=lambda d: canonical(d[IndicatorsRead.mien_gia_tri], ("", UNBOUNDED)),
        loai_muc_tieu=lambda d: per_distinct(d[IndicatorsRead.loai_muc_tieu], target_kind, "str"),
        ma_key=lambda d: keyed(d[ResultRowsRead.ma_chi_tieu]),
    )


# ---------------------------------------------------------------------------- communes


def prepare_info(info: pd.DataFrame) -> pd.DataFrame:
    frame = info.assign(
        loai=lambda d: canonical(d[InfoRead.loai], KINDS),
        cach_doc_so=lambda d: canonical(d[ResultRowsRead.cach_doc_so], READINGS),
        nhiem_ky=lambda d: d[InfoRead.nhiem_ky].str.replace(r"\s*[-–]\s*", "-", regex=True),
    )
    readings = frame[ResultRowsRead.cach_doc_so].where(
        frame[ResultRowsRead.cach_doc_so].isin(READINGS), ""
    )

    def figure(column: str, integer: bool) -> tuple[pd.DataFrame, pd.Series]:
        """The figure's parts and its number (`__so`), where it is one plain number."""
        whole = pd.Series(integer, index=frame.index)
        parts = parse_column(frame[column], readings, whole, INFO_READING).pipe(
            with_column_unit, column, st.INFO_UNITS[column]
        )
        lo = parts[st.Parsed(column).lo].to_numpy(dtype=float)
        usable = plain_number(parts, column).to_numpy()
        if integer:
            usable = usable & (lo % 1 == 0)
        number = pd.Series(np.where(usable, lo, np.nan), index=frame.index, name=f"{column}__so")
        return parts, number

    figures = [figure(column, integer) for column, integer in st.INFO_NUMBERS.items()]
    # joined once, the key last (an `assign` on the joined frame goes over its hundred columns)
    ma_key = keyed(frame[OfCommune.ma_xa]).rename(ResultRows.ma_key)
    return pd.concat([frame, *(part for figure in figures for part in figure), ma_key], axis=1)


def prepare_members(members: pd.DataFrame, info: pd.DataFrame) -> pd.DataFrame:
    """Each member as its own workbook writes its code: `TAN_AN` typed for `tan_an` names
    the same commune (codes match whatever their case), and every later stage compares codes
    as they are."""
    keys = keyed(members[MembersRead.ma_xa_cu])
    codes = info[[InfoRead.loai, ResultRows.ma_key, OfCommune.ma_xa]]
    old = first_of_kind(codes, OLD)[OfCommune.ma_xa]
    return members.assign(
        ma_xa_cu=keys.map(old).astype(object).fillna(members[MembersRead.ma_xa_cu]).astype("str"),
        ma_cu_key=keys,
    )


# ---------------------------------------------------------------------------- indicator rows


def _row_kind(tt: object) -> str:
    """A row's kind by its TT, as `structure` classifies it ("" where TT cannot be read)."""
    if not isinstance(tt, str):
        return ""
    if _GROUP_TT.fullmatch(tt):
        return GROUP
    if _ITEM_TT.fullmatch(tt):
        return ITEM
    return SUBROW if tt == "" or _SUB_TT.fullmatch(tt) else ""


_GROUP_TT, _ITEM_TT = re.compile(ROMAN), re.compile(ITEM_NUMBER)
_SUB_TT = re.compile(SUB_LABEL, re.IGNORECASE)


def structure(rows: pd.DataFrame) -> pd.DataFrame:
    """Classify rows as group, item or sub-row (or "" where TT cannot be read); give each its
    group and item number."""
    # TT read once per distinct value, and the group and item carried down each workbook's rows
    # in numpy: a few dozen rows cost what pandas' string methods and `groupby.ffill` cost to
    # start (about 1,5 ms a table), and a country's TT column holds a few dozen distinct values
    tt = rows[ResultRowsRead.tt]
    kind = per_distinct(tt, _row_kind).to_numpy(dtype=object)
    number = per_distinct(tt, lambda t: t.rstrip(".") if isinstance(t, str) else t).to_numpy(
        dtype=object
    )
    # each row's group, and its item (a group or unreadable row has none; a sub-row its item's)
    group = np.where(kind == GROUP, number, None)
    item = np.where(kind == ITEM, number, np.where(kind == SUBROW, None, ""))
    files = pd.factorize(rows[Located.tep])[0]
    return rows.assign(
        loai_dong=pd.Series(kind, index=rows.index, dtype="str"),
        nhom=pd.Series(_down(group, files), index=rows.index, dtype="str"),
        muc=pd.Series(_down(item, files), index=rows.index, dtype="str"),
    )


def _down(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """`values` with each None filled by the value above it in the same group (`groups`: codes,
    -1 for none), "" where there is none: `groupby(...).ffill().fillna("")`. For instance
    values ["I", None, None, "II", None] in groups [0, 0, 1, 1, 1] give ["I", "I", "", "II",
    "II"]: with the rows in group order, each row takes the last row at or above it that has a
    value or starts its group (`at`), and that row's value, or "" where it has none."""
    if not len(values):
        return values
    order = np.argsort(groups, kind="stable")
    given = np.array([v is not None for v in values[order]], dtype=bool)
    first = np.r_[True, groups[order][1:] != groups[order][:-1]]
    # the last row with a value at or above each row, its group's first row where none has
    at = np.maximum.accumulate(np.where(given | first, np.arange(len(values)), 0))
    filled = np.empty(len(values), dtype=object)
    filled[order] = np.where(given[at], values[order][at], "")
    filled[groups == -1] = ""
    return filled


def prepare_rows(rows: pd.DataFrame, catalogue: Catalogue, values: tuple[str, ...]) -> pd.DataFrame:
    """Structure, catalogue look-ups and parsed values for an indicator table."""
    frame = rows.pipe(structure).assign(
        ma_chi_tieu=lambda d: catalogue.coded(d[ResultRowsRead.ma_chi_tieu]),
        cach_doc_so=lambda d: canonical(d[ResultRowsRead.cach_doc_so], READINGS),
        don_vi_key=lambda d: keyed(d[ResultRowsRead.don_vi]),
        ma_key=lambda d: keyed(d[ResultRowsRead.ma_chi_tieu]),
        loai_don_vi=lambda d: catalogue.of_unit(d[ResultRows.don_vi_key], "loai"),
        so_nguyen=lambda d: catalogue.of_unit(d[ResultRows.don_vi_key], "so_nguyen").eq(True),
        mien_gia_tri=lambda d: catalogue.bounds(d[ResultRows.ma_key]),
        loai_muc_tieu=lambda d: catalogue.kinds(d[ResultRows.ma_key]).astype("str"),
        ten_day_du=lambda d: catalogue.full_names(d[ResultRows.ma_key]).astype("str"),
    )
    readings = frame[ResultRowsRead.cach_doc_so].where(
        frame[ResultRowsRead.cach_doc_so].isin(READINGS), ""
    )
    return pd.concat(
        [frame, *(parsed_values(frame, column, readings, catalogue) for column in values)], axis=1
    )


def parsed_values(
    frame: pd.DataFrame, column: str, readings: pd.Series, catalogue: Catalogue
) -> pd.DataFrame:
    """The parts of a target or result column, each cell read in its row's unit."""
    whole = frame[UnitsRead.so_nguyen]
    return parse_column(frame[column], readings, whole).pipe(
        with_units, frame[column], frame[ResultRowsRead.don_vi], readings, catalogue
    )


def prepare_ratings(rows: pd.DataFrame) -> pd.DataFrame:
    """Published ratings in full words (K đạt → Không đạt), and the officer's overrides."""
    return rows.assign(
        danh_gia_in=rows[ResultRowsRead.danh_gia],
        danh_gia=per_distinct(
            rows[ResultRowsRead.danh_gia], lambda v: PUBLISHED_WORDS.get(key(v), v), "str"
        ),
        giu_danh_gia=canonical(rows[ResultRowsRead.giu_danh_gia], (YES,)),
    )


# ---------------------------------------------------------------------------- yearly results


def match_rows(yearly: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Each line's Biểu 03 row among its commune's: by its code, and by its TT within its group
    (without a group row above it, by its TT where only one group has it), with how many rows
    each way finds and the code of the row its TT finds. The row it is: the code's where a code
    is typed (of several rows with that code, the one its TT finds; none where its TT finds a
    row of another code), else the TT's."""
    if yearly.empty:  # most records type no results year by year: nothing to look up
        nowhere = pd.Series(np.nan, index=yearly.index, dtype=float)
        no_row = pd.Series(0, index=yearly.index, dtype="int64")
        return yearly.assign(
            dong_theo_ma=nowhere,
            so_dong_theo_ma=no_row,
            dong_theo_tt=nowhere,
            so_dong_theo_tt=no_row,
            ma_theo_tt=pd.Series("", index=yearly.index, dtype="str"),
            dong_muc_tieu=nowhere,
        )
    items = targets.loc[
        targets[ResultRows.loai_dong] != GROUP,
        [
            OfCommune.ma_xa,
            ResultRows.ma_key,
            Located.dong,
            ResultRows.loai_dong,
            ResultRows.nhom,
            ResultRows.muc,
        ],
    ]
    coded = items[items[ResultRows.ma_key] != ""]
    by_code = coded.groupby([OfCommune.ma_xa, ResultRows.ma_key])[Located.dong].agg(
        ["first", "size"]
    )
    numbered = items[items[ResultRows.loai_dong] == ITEM]
    by_tt = numbered.groupby([OfCommune.ma_xa, ResultRows.nhom, ResultRows.muc])[Located.dong].agg(
        ["first", "size"]
    )
    by_number = numbered.groupby([OfCommune.ma_xa, ResultRows.muc])[Located.dong].agg(
        ["first", "size"]
    )
    code_of = items.drop_duplicates([OfCommune.ma_xa, Located.dong]).set_index(
        [OfCommune.ma_xa, Located.dong]
    )[ResultRows.ma_key]

    def found(keys: list[str], table: pd.DataFrame, where: pd.Series) -> pd.DataFrame:
        at = pd.MultiIndex.from_arrays([yearly[k] for k in keys])
        return table.reindex(at)[["first", "size"]].set_axis(yearly.index).where(where, np.nan)

    typed = yearly[ResultRows.ma_key] != ""
    code = found([OfCommune.ma_xa, ResultRows.ma_key], by_code, typed)
    item = yearly[ResultRows.loai_dong] == ITEM
    tt = found([OfCommune.ma_xa, ResultRows.nhom, ResultRows.muc], by_tt, item)
    alone = found(
        [OfCommune.ma_xa, ResultRows.muc], by_number, item & (yearly[ResultRows.nhom] == "")
    )
    tt = tt.where(tt["size"].notna(), alone)
    at = pd.MultiIndex.from_arrays([yearly[OfCommune.ma_xa], tt["first"].fillna(-1)])
    tt_code = code_of.reindex(at).set_axis(yearly.index).fillna("")
    one_tt = tt["size"] == 1
    # a code and a TT that name two different rows name none
    agrees = ~one_tt | (tt_code == yearly[ResultRows.ma_key])
    row = np.select(
        [
            typed & (code["size"] == 1) & agrees,
            typed & (code["size"] > 1) & one_tt & (tt_code == yearly[ResultRows.ma_key]),
            ~typed & one_tt,
        ],
        [code["first"], tt["first"], tt["first"]],
        np.nan,
    )
    return yearly.assign(
        dong_theo_ma=code["first"].astype(float),
        so_dong_theo_ma=code["size"].fillna(0).astype("int64"),
        dong_theo_tt=tt["first"].astype(float),
        so_dong_theo_tt=tt["size"].fillna(0).astype("int64"),
        ma_theo_tt=tt_code.astype("str"),
        dong_muc_tieu=row.astype(float),
    )


def prepare_yearly(
    yearly: pd.DataFrame, targets: pd.DataFrame, catalogue: Catalogue
) -> pd.DataFrame:
    """Every result typed for a year: its row classified and matched to its Biểu 03 row, the
    value parsed in that row's unit (empty cells left out, once the group rows have given the
    rows below them their group)."""
    facts = [
        ResultRowsRead.don_vi,
        ResultRows.don_vi_key,
        ResultRows.loai_don_vi,
        UnitsRead.so_nguyen,
        IndicatorsRead.mien_gia_tri,
    ]
    frame = (
        yearly.pipe(structure)
        .assign(
            ma_chi_tieu=lambda d: catalogue.coded(d[ResultRowsRead.ma_chi_tieu]),
            cach_doc_so=lambda d: canonical(d[ResultRowsRead.cach_doc_so], READINGS),
            ma_key=lambda d: keyed(d[ResultRowsRead.ma_chi_tieu]),
        )
        .loc[lambda d: d[ResultRowsRead.ket_qua].map(lambda v: v != "")]
        .pipe(match_rows, targets)
    )
    if frame.empty:  # no result typed (most records): no Biểu 03 row to look up
        looked = targets[facts].iloc[:0].set_axis(frame.index)
    else:
        place = [OfCommune.ma_xa, Located.dong]
        row = targets[[*place, *facts]].drop_duplicates(place).set_index(place)
        where = pd.MultiIndex.from_arrays(
            [frame[OfCommune.ma_xa], frame[YearlyResults.dong_muc_tieu].fillna(-1)]
        )
        looked = row.reindex(where).set_axis(frame.index)
    frame = frame.assign(
        don_vi=looked[ResultRowsRead.don_vi].fillna("").astype("str"),
        don_vi_key=looked[ResultRows.don_vi_key].fillna("").astype("str"),
        loai_don_vi=looked[ResultRows.loai_don_vi],
        so_nguyen=looked[UnitsRead.so_nguyen].eq(True),
        mien_gia_tri=looked[IndicatorsRead.mien_gia_tri].fillna("").astype("str"),
    )
    readings = frame[ResultRowsRead.cach_doc_so].where(
        frame[ResultRowsRead.cach_doc_so].isin(READINGS), ""
    )
    parts = parsed_values(frame, ResultRowsRead.ket_qua, readings, catalogue)
    return pd.concat([frame, parts], axis=1)


def prepare(record: Record) -> Prepared:
    """Prepare every frame of the record and build the catalogue."""
    catalogue = Catalogue.build(
        st.conform(st.IndicatorsRead, record.indicators).pipe(prepare_indicators),
        st.conform(st.UnitsRead, record.units).pipe(prepare_units),
    )
    rows = (
        st.conform(st.ResultRowsRead, record.rows)
        .pipe(
            prepare_rows,
            catalogue,
            (
                ResultRowsRead.chi_tieu_nq,
                ResultRowsRead.ket_qua,
                ResultRowsRead.nq_phan_hai,
                ResultRowsRead.kq_phan_hai,
            ),
        )
        .pipe(prepare_ratings)
        .pipe(fill_kinds, ResultRowsRead.chi_tieu_nq)
    )
    targets = (
        st.conform(st.TargetRowsRead, record.targets)
        .pipe(prepare_rows, catalogue, (TargetRowsRead.muc_tieu, TargetRowsRead.mt_phan_ba))
        .pipe(fill_kinds, TargetRowsRead.muc_tieu, TargetRowsRead.ghi_chu)
    )
    info = st.conform(st.Info, prepare_info(st.conform(st.InfoRead, record.info)))
    members = prepare_members(st.conform(st.MembersRead, record.members), info)
    yearly = st.conform(st.YearlyRead, record.yearly).pipe(prepare_yearly, targets, catalogue)
    return Prepared(
        catalogue=catalogue,
        info=info,
        members=st.conform(st.Members, members),
        rows=st.conform(st.ResultRows, rows),
        targets=st.conform(st.TargetRows, targets),
        yearly=st.conform(st.YearlyResults, yearly),
        where=record.where,
        problems=record.problems,
        files=record.files,
    )

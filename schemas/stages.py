"""What each stage hands the next: the shape of every frame that crosses a stage boundary.

read (`pipeline/load.py`) → prepare → judge. Each stage's model subclasses the one before it, as
pandera's models do, and the stages name their columns through these models instead of
spelling them: `ResultRowsRead.ket_qua` is "ket_qua", `Located.tep` "_tep", and a parsed part
through its `Parsed` constant, `RESULT.lo` "ket_qua__lo"; a column by the first model that
declares it, the earliest stage first (docs/names.md). `conform` checks a frame
at a boundary for its columns and their types only (pandera's schema-only depth): cheap at a
country's scale. The values themselves are checked, with messages a person reads, by the
record's schemas beside the sheet layouts (`catalogue.py`, `commune.py`, `tables.py`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.config import ValidationDepth, config_context
from pandera.engines import pandas_engine
from pandera.typing import Series

from schemas.catalogue import INDICATOR_SHEET, UNIT_SHEET
from schemas.commune import INFO_SHEET, MEMBER_SHEET
from schemas.layout import Sheet
from schemas.tables import RESULT_SHEET, TARGET_SHEET, YEARLY_SHEET

# A target or result cell is parsed into these parts, each a column `<column>__<part>` beside
# the column as read (`pipeline.parse.Expr` has the same fields, in this order).
PARTS: dict[str, Any] = {
    "text": str,  # the cell as printed
    "kind": str,  # empty, number, range, quality, text, invalid
    "op": Any,  # =, >, ≥, <, ≤ for a number or bound
    "lo": Any,  # float, or None everywhere in a column of text
    "hi": Any,
    "denom": Any,  # a fraction's denominator (11/19)
    "decimals": int,  # decimals as printed
    "quality": Any,  # Đạt / Không đạt for a qualitative value
    "error": Any,  # why it cannot be read
    "ambiguity": Any,  # why its notation is ambiguous
    "unit": Any,  # the unit typed after the number ("tỷ đồng", "%"), lower case
    "note": Any,  # how that unit was read against the row's unit (a warning)
}


@dataclass(frozen=True)
class Parsed:
    """The names of the columns a value column is parsed into: `Parsed("ket_qua").lo` is
    `ket_qua__lo`."""

    name: str

    def __getattr__(self, part: str) -> str:
        if part not in PARTS:
            raise AttributeError(part)
        return f"{self.name}__{part}"

    def columns(self) -> dict[str, Any]:
        return {f"{self.name}__{part}": kind for part, kind in PARTS.items()}


def conform(model: type[pa.DataFrameModel], frame: pd.DataFrame) -> pd.DataFrame:
    """`frame`, once it has every column of `model` with its type (raises pandera's error
    otherwise: a frame of the wrong shape between two stages is the pipeline's bug, never the
    record's). The columns and types are compared directly (a millisecond); pandera's own
    validation, schema-only, runs only to say what is wrong."""
    columns = _declared(model)
    retype = {  # no values to keep: the columns take the model's types
        n: dtype.type
        for n, dtype in (columns if frame.empty else ())
        if dtype is not None and n in frame and frame[n].dtype != dtype.type
    }
    if retype:
        frame = frame.astype(retype)
    # each column's type, read without taking the column out (ten times the cost); a name the
    # frame holds twice fails as before, taken out (a frame has no single type)
    dtypes = (
        dict(zip(frame.columns, frame.dtypes, strict=True))
        if frame.columns.is_unique
        else {n: frame[n].dtype for n in frame.columns}
    )
    wrong = any(
        name not in dtypes or (dtype is not None and not _fits(dtype, dtypes[name]))
        for name, dtype in columns
    )
    if wrong:
        with config_context(validation_depth=ValidationDepth.SCHEMA_ONLY):
            model.validate(frame)  # raises, naming the column
    return frame


@functools.cache
def _fits(declared, dtype) -> bool:
    """A column of `dtype` is of the `declared` pandera type (asked once per pair)."""
    return bool(declared.check(pandas_engine.Engine.dtype(dtype)))


@functools.cache
def _declared(model: type[pa.DataFrameModel]) -> list[tuple[str, object]]:
    """A model's columns and their pandera types (None: any type), from its fields (building
    pandera's schema from a model costs ten milliseconds, the fields nothing)."""
    return [
        (name, None if annotation.arg is Any else pandas_engine.Engine.dtype(annotation.arg))
        for name, (annotation, _) in model.__fields__.items()
    ]


def nullable(**options):
    """A field whose column may hold missing values: the contracts are of columns and types."""
    return pa.Field(nullable=True, **options)


def _model(name: str, base: type, fields: dict[str, Any], doc: str) -> type[pa.DataFrameModel]:
    """A model with these fields, typed `Series[...]`, subclassing `base`."""
    annotations = {field: Series[kind] for field, kind in fields.items()}
    defaults = {field: nullable() for field in fields}
    return type(name, (base,), {"__annotations__": annotations, "__doc__": doc, **defaults})


def _read_fields(sheet: Sheet) -> dict[str, Any]:
    """A sheet's columns as read: text, or a cell's own value (number, date, text) for value
    columns, which the parser reads later."""
    return {name: Any if col.value else str for name, col in sheet.columns.items()}


class Located(pa.DataFrameModel):
    """Where a row was read: the workbook as messages name it (`raw/son_la/x.xlsx`), its sheet
    and its Excel row."""

    tep: Series[str] = nullable(alias="_tep")
    sheet: Series[str] = nullable(alias="_sheet")
    dong: Series[int] = pa.Field(alias="_dong")

    class Config:
        strict = False  # a stage may carry more columns than the next one needs


class OfCommune(Located):
    """A row of a commune's workbook: where it was read, and the code of the commune it belongs
    to (`ma_xa`; on a new commune's sheet of old communes, the new commune's)."""

    ma_xa: Series[str] = nullable()


# ---------------------------------------------------------------------------- as read

IndicatorsRead = _model("IndicatorsRead", Located, _read_fields(INDICATOR_SHEET), "Chỉ tiêu.")
UnitsRead = _model("UnitsRead", Located, _read_fields(UNIT_SHEET), "Đơn vị.")
InfoRead = _model("InfoRead", Located, _read_fields(INFO_SHEET), "A commune's facts.")
MembersRead = _model(
    "MembersRead",
    OfCommune,
    _read_fields(MEMBER_SHEET),
    "A new commune's old communes (`ma_xa`: the new commune).",
)
ResultRowsRead = _model(
    "ResultRowsRead",
    OfCommune,
    _read_fields(RESULT_SHEET),
    "An old commune's 2020-2025 table, row by row.",
)
TargetRowsRead = _model(
    "TargetRowsRead",
    OfCommune,
    _read_fields(TARGET_SHEET),
    "A new commune's 2025-2030 targets, row by row.",
)

_YearlyFields = _model(
    "_YearlyFields",
    OfCommune,
    {**_read_fields(YEARLY_SHEET), "nam": int, "ket_qua": Any},
    "A new commune's results by year, one line per row and year column.",
)


class YearlyRead(_YearlyFields):
    """A new commune's sheet "Kết quả hằng năm", one line per row and year column: `nam` the
    year its column is headed by, `ket_qua` the cell as read, `cot` its column letter and
    `hang_tieu_de` the header row (where a year's column is named)."""

    cot: Series[str] = nullable(alias="_cot")
    hang_tieu_de: Series[int] = pa.Field(alias="_hang_tieu_de")


# ---------------------------------------------------------------------------- prepared

TARGET, RESULT = Parsed("chi_tieu_nq"), Parsed("ket_qua")
TARGET_PROSE, RESULT_PROSE = Parsed("nq_phan_hai"), Parsed("kq_phan_hai")
GOAL, GOAL_PROSE = Parsed("muc_tieu"), Parsed("mt_phan_ba")

_ROW_STRUCTURE = {
    "loai_dong": str,  # group, item or sub-row (vocabulary GROUP, ITEM, SUBROW)
    "nhom": str,  # the group's Roman numeral
    "muc": str,  # the item's number; a sub-row carries its item's
    "don_vi_key": str,
    "ma_key": str,  # the indicator code's matching form
    "loai_don_vi": Any,  # the unit's kind; missing for a unit not in the catalogue
    "so_nguyen": bool,  # the unit counts whole things
    "mien_gia_tri": str,
    "cach_doc_so": str,
    "loai_muc_tieu": str,  # the kind of target (vocabulary TARGET_KINDS); "" on a group row
    # the kind was read from the row's own words (the catalogue declares none for its code), and
    # the words that said it ("" where none did and the row counts as a level)
    "loai_muc_tieu_doan": bool,
    "loai_muc_tieu_theo": str,
    "ten_day_du": str,  # the catalogue's full name of the row's indicator ("" where none)
}

ResultRows = _model(
    "ResultRows",
    ResultRowsRead,
    {
        **_ROW_STRUCTURE,
        "danh_gia_in": str,  # the published rating as printed ("K đạt")
        "danh_gia": str,  # the same in full words ("Không đạt")
        **TARGET.columns(),
        **RESULT.columns(),
        **TARGET_PROSE.columns(),
        **RESULT_PROSE.columns(),
    },
    "The table's rows, classified, looked up in the catalogue, every value parsed.",
)
TargetRows = _model(
    "TargetRows",
    TargetRowsRead,
    {**_ROW_STRUCTURE, **GOAL.columns(), **GOAL_PROSE.columns()},
    "The 2030 targets, classified, looked up in the catalogue, every value parsed.",
)

YearlyResults = _model(
    "YearlyResults",
    YearlyRead,
    {
        "loai_dong": str,
        "nhom": str,
        "muc": str,
        "ma_key": str,
        "dong_theo_ma": float,
        "so_dong_theo_ma": int,
        "dong_theo_tt": float,
        "so_dong_theo_tt": int,
        "ma_theo_tt": str,
        "dong_muc_tieu": float,
        "don_vi": str,
        "don_vi_key": str,
        "loai_don_vi": Any,
        "so_nguyen": bool,
        "mien_gia_tri": str,
        **RESULT.columns(),
    },
    """Every result typed for a year (empty cells left out), its row classified as Biểu 03's
    are (`loai_dong`, `nhom`, `muc`: the group rows above give TT its group) and matched to a
    row of its commune's Biểu 03, by its code (`dong_theo_ma`, one of `so_dong_theo_ma` rows
    with that code) or by its TT within its group (`dong_theo_tt`, one of `so_dong_theo_tt`,
    the row of code `ma_theo_tt`);
    `dong_muc_tieu` the Excel row of the Biểu 03 row it is (missing where none). The value is
    parsed in that row's unit (`don_vi`, `loai_don_vi`, `so_nguyen`, `mien_gia_tri`).""",
)
INFO_NUMBERS = {  # a commune's figures, and whether each counts whole things
    "dien_tich": False,
    "dan_so": True,
    "so_chi_tieu_bc": True,
    "vuot_bc": True,
    "dat_bc": True,
    "khong_dat_bc": True,
}
# the unit each figure of "Thông tin" is written in, as its header says: a figure typed with
# another unit ("13.398 ha" for km²) is refused, since the sheet has no conversion
INFO_UNITS = {
    "dien_tich": "km²",
    "dan_so": "người",
    "so_chi_tieu_bc": "chỉ tiêu",
    "vuot_bc": "chỉ tiêu",
    "dat_bc": "chỉ tiêu",
    "khong_dat_bc": "chỉ tiêu",
}
Info = _model(
    "Info",
    InfoRead,
    {
        "ma_key": str,
        **{k: v for column in INFO_NUMBERS for k, v in Parsed(column).columns().items()},
        **{f"{column}__so": float for column in INFO_NUMBERS},
    },
    "A commune's facts, each figure parsed and as a number (`dan_so__so`; missing if unread).",
)
Members = _model("Members", MembersRead, {"ma_cu_key": str}, "Members, with matching keys.")


# ---------------------------------------------------------------------------- judged


# what a message at a table row's cell names (`pipeline.problems.at_cell`): where the row was
# read, its commune, its item and group, its indicator
AT_ROW = [
    Located.tep,
    Located.sheet,
    Located.dong,
    OfCommune.ma_xa,
    ResultRows.muc,
    ResultRows.nhom,
    ResultRowsRead.chi_tieu,
]


class ScoredRows(ResultRows):
    """Every indicator row (no group rows) rated against its target: `chieu` the indicator's
    direction (missing for a code not in the catalogue), `danh_gia_tinh` the rating computed
    from target, result and direction, `ly_do` why, with the printed values, `ty_le_dat` the
    achievement ratio (%) where it is printed, `ly_do_khong_ty_le` why it is not where its
    arithmetic gives one (a rate, a range, a contradiction…), `danh_gia_chot` the rating that
    stands."""

    chieu: Series[Any] = nullable()
    danh_gia_tinh: Series[str] = nullable()
    ly_do: Series[str] = nullable()
    ty_le_dat: Series[float] = nullable()
    danh_gia_chot: Series[str] = nullable()
    ly_do_khong_ty_le: Series[str] = nullable()


class Items(pa.DataFrameModel):
    """One line per item: a numbered row with its sub-rows, rated by its weakest."""

    ma_xa: Series[str] = nullable()
    tep: Series[str] = nullable(alias="_tep")
    nhom: Series[str] = nullable()
    muc: Series[str] = nullable()
    danh_gia_tinh: Series[str] = nullable()
    danh_gia_cong_bo: Series[str] = nullable()
    danh_gia_chot: Series[str] = nullable()


class Baselines(TargetRows):
    """One line per Biểu 03 row: `hien_trang_2025` the merged 2025 baseline in the row's unit
    (missing where it cannot be merged), `cach_gop` the rule(s) used, `ghi_chu_gop` why there is
    none, `so_nam` the term's years, `muc_tieu_so` the target as the number to reach, the gap
    and the yearly change it needs, and whether the target is already behind the baseline or
    only equal to it (at the target's printed precision)."""

    chieu: Series[Any] = nullable()
    hien_trang_2025: Series[float] = nullable()
    cach_gop: Series[str] = nullable()
    ghi_chu_gop: Series[str] = nullable()
    so_nam: Series[float] = nullable()
    muc_tieu_so: Series[float] = nullable()
    chenh_lech: Series[float] = nullable()
    thay_doi_moi_nam: Series[float] = nullable()
    don_vi_thay_doi: Series[str] = nullable()
    muc_tieu_thap_hon_hien_trang: Series[bool] = nullable()
    muc_tieu_bang_hien_trang: Series[bool] = nullable()


PATH = Parsed("lo_trinh")  # a year's point on the path from the baseline to the 2030 target
# the result a year is judged by: its own, or for a term total the running total of the term so far
JUDGED = Parsed("ket_qua_tinh")

Tracking = _model(
    "Tracking",
    Baselines,
    {
        "nam_dau": int,
        "nam": int,
        "nam_bao_cao": int,
        **RESULT.columns(),
        "tep_kq": str,
        "sheet_kq": str,
        "o_kq": str,
        **JUDGED.columns(),
        **PATH.columns(),
        "lo_trinh_dau": float,
        "co_lo_trinh": bool,
        "ghi_chu_lo_trinh": str,
        "lo_trinh": float,
        "gia_tri": float,
        "theo_doi": bool,
        "trang_thai": str,
        "trang_thai_den_nay": str,
        "nam_khong_dat": str,  # on a later line, the years a target to meet every year missed
        "ly_do": str,
        "thay_doi_can": float,
        "moi_nhat": bool,
        "chenh_lo_trinh": float,
        "nam_chenh": float,
    },
    """One line per Biểu 03 row and year of the term (`nam`; `nam_dau` the term's first year,
    the baseline's) of every new commune that typed a result for a year: the result as parsed
    (`ket_qua__…`) and where it was typed (`tep_kq`, `sheet_kq`, `o_kq`); what the year is
    judged by (`ket_qua_tinh__…`, `gia_tri` the number it counts as: the year's result, or for
    a term total the running total of the term so far); the year's point on the path
    (`lo_trinh__…`, `lo_trinh`; `lo_trinh_dau` where the path starts in the baseline's year:
    the baseline for a level, 0 for a term total, none for a target the same each year),
    whether the row has a path (`co_lo_trinh`: a target the same each year has none, its point
    is the target) and why not (`ghi_chu_lo_trinh`), whether it can be tracked at all
    (`theo_doi`); the year's status (`trang_thai`, empty after `nam_bao_cao`,
    the latest year the commune reported) and why (`ly_do`); where the row stands as of the
    year (`trang_thai_den_nay`: the year's status, but a year that missed a target to meet
    every year stands in every later year, a good year does not undo it; `nam_khong_dat` the
    years it missed, on those later lines); on the line of the
    row's latest result (`moi_nhat`), the yearly change now needed (`thay_doi_can`); how far
    the result is from its point on the path, better (+) or worse (−), in the indicator's unit
    (`chenh_lo_trinh`, 0 where equal as printed) and in years of the change the path plans
    (`nam_chenh`). What each kind of target means for these: `pipeline/judge/kinds.py`.""",
)

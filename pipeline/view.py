"""What each product is made from: the judgement cut per new commune and per province.

Pure. `tables` builds the machine-readable tables for every commune at once; `Views` sorts every
frame by commune once, and `Views.commune(code)` gives one new commune's `CommuneView` (its old
communes' tables, scores and tallies, its own targets and baselines, its findings and its
tables) as slices, taken only when that commune's products are made. `provinces` gives each
province's `ProvinceView`, what its roll-up shows. A product is made from its view alone, and
a view holds only what its product may show: its `digest` is the product's fingerprint in the
manifest (docs/incremental.md).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pipeline.problems import Problem
from pipeline.text import slug
from schemas.stages import (
    GOAL,
    GOAL_PROSE,
    RESULT,
    RESULT_PROSE,
    TARGET,
    TARGET_PROSE,
    Baselines,
    IndicatorsRead,
    InfoRead,
    Items,
    Located,
    MembersRead,
    OfCommune,
    ResultRows,
    ResultRowsRead,
    ScoredRows,
    TargetRowsRead,
    Tracking,
    YearlyRead,
)
from schemas.vocabulary import NEW, OLD, RATINGS, YES

if TYPE_CHECKING:  # the view reads what these stages made; it runs none of them
    from pipeline.judge import Judgement
    from pipeline.prepare import Prepared

# the columns the annexes print, of the tables as prepared (all a product needs of them)
ROW_FIELDS = [
    ResultRows.loai_dong,
    ResultRowsRead.tt,
    ResultRowsRead.chi_tieu,
    ResultRowsRead.don_vi,
    TARGET.text,
    RESULT.text,
    ResultRowsRead.danh_gia,
    GOAL.text,
    TargetRowsRead.ghi_chu,
    Located.dong,
]
# how each printed value was read (number, range, words…): the report's prose phrases them by it
KIND_FIELDS = [TARGET.kind, RESULT.kind, GOAL.kind]
# what else the report's prose says: the kind of target, the full name, the record's own words
PROSE_FIELDS = [
    ResultRows.loai_muc_tieu,
    ResultRows.ten_day_du,
    ResultRowsRead.dien_giai,
    # a figure read with a decimal point ("5.436" meaning 5,436) is written as the record reads it
    ResultRowsRead.cach_doc_so,
    *(p for v in (TARGET, RESULT, GOAL) for p in (v.lo, v.decimals)),
]
LAYOUT = [*ROW_FIELDS, *KIND_FIELDS, *PROSE_FIELDS, OfCommune.ma_xa, Located.tep, Located.sheet]
SCORED_FIELDS = [
    Located.dong,
    ScoredRows.danh_gia_tinh,
    ScoredRows.ty_le_dat,
    ScoredRows.ly_do_khong_ty_le,
    ScoredRows.ly_do,
    ResultRowsRead.giu_danh_gia,
    ResultRowsRead.ly_do_giu,
    # for the report's prose: the row's item and the rating that stands
    ResultRows.nhom,
    ResultRows.muc,
    ScoredRows.danh_gia_chot,
]
ITEM_FIELDS = [
    OfCommune.ma_xa,
    ResultRows.nhom,
    ResultRows.muc,
    ScoredRows.danh_gia_chot,
    Items.danh_gia_cong_bo,
]
BASELINE_FIELDS = [
    Located.dong,
    Baselines.hien_trang_2025,
    IndicatorsRead.cach_gop,
    Baselines.chenh_lech,
    Baselines.thay_doi_moi_nam,
    Baselines.don_vi_thay_doi,
    Baselines.muc_tieu_thap_hon_hien_trang,
    Baselines.muc_tieu_bang_hien_trang,
    Baselines.ghi_chu_gop,
]
TRACK_TABLE = "theo_doi_2030.csv"  # the results year by year, one line per row and year
# the results year by year, as the tracking workbook and the roll-up show them
TRACK_FIELDS = [
    Located.dong,
    ResultRows.ma_key,
    Tracking.nam_dau,
    YearlyRead.nam,
    Tracking.nam_bao_cao,
    RESULT.text,
    Tracking.gia_tri,
    Baselines.hien_trang_2025,
    Tracking.lo_trinh,
    Tracking.lo_trinh_dau,
    Tracking.co_lo_trinh,
    Baselines.muc_tieu_so,
    Tracking.theo_doi,
    Tracking.trang_thai,
    Tracking.trang_thai_den_nay,
    Tracking.nam_khong_dat,
    ScoredRows.ly_do,
    Tracking.ghi_chu_lo_trinh,
    Baselines.thay_doi_moi_nam,
    Tracking.thay_doi_can,
    Baselines.don_vi_thay_doi,
    Tracking.moi_nhat,
    Tracking.chenh_lo_trinh,
    Tracking.nam_chenh,
    # how the charts draw the target (its kind, a bound or a range, its ends) and their axis (a
    # percentage's ceiling, whole steps for what counts whole things)
    ResultRows.loai_muc_tieu,
    GOAL.op,
    GOAL.lo,
    GOAL.hi,
    ResultRows.loai_don_vi,
    ResultRows.so_nguyen,
]
TONG_HOP_COLUMNS = [
    "xa",
    "ma_xa",
    "bieu",
    "so_chi_tieu",
    *[f"{r.slug}_{s}" for s in ("tinh", "cong_bo", "chot") for r in RATINGS],
    "vuot_bao_cao",
    "dat_bao_cao",
    "khong_dat_bao_cao",
    "cau_tong_hop_tinh",
    "cau_tong_hop_cong_bo",
    "cau_tong_hop_chot",
]
KIEM_TRA_COLUMNS = [
    "muc_do",
    "loai",
    "tep",
    "sheet",
    "o",
    "xa",
    "nhom",
    "tt",
    "chi_tieu",
    "noi_dung",
]
PRINTED_COUNTS = [InfoRead.so_chi_tieu_bc, InfoRead.vuot_bc, InfoRead.dat_bc, InfoRead.khong_dat_bc]
FACTS = [
    OfCommune.ma_xa,
    InfoRead.ten_xa,
    InfoRead.loai,
    InfoRead.bieu_so,
    InfoRead.nhiem_ky,
    InfoRead.tieu_de,
    InfoRead.dong_phu,
    InfoRead.cap_de_muc,  # the report document's outline level of "2." and "3."
    # the counts part two of the report printed (the report's prose says what would change)
    *(f"{column}__so" for column in PRINTED_COUNTS),
]


def _yes(flag: pd.Series) -> pd.Series:
    return flag.map({True: YES}).fillna("")


def tables(
    prepared: Prepared, result: Judgement, findings: list[Problem]
) -> dict[str, pd.DataFrame]:
    """The four machine-readable tables, for every commune at once (`ma_xa` in each)."""
    # an old commune's facts by its code (a commune kept as it is has a new commune's row with
    # the same code), only the columns the tables take (`info` has about a hundred); names for
    # the findings from any row
    info = (
        prepared.info.loc[
            prepared.info[InfoRead.loai] == OLD,
            [OfCommune.ma_xa, InfoRead.bieu_so, *(f"{c}__so" for c in PRINTED_COUNTS)],
        ]
        .drop_duplicates(OfCommune.ma_xa)
        .set_index(OfCommune.ma_xa)
    )
    name = (
        prepared.info[[OfCommune.ma_xa, InfoRead.ten_xa]]
        .drop_duplicates(OfCommune.ma_xa)
        .set_index(OfCommune.ma_xa)[InfoRead.ten_xa]
    )
    return {
        "chi_tieu.csv": _chi_tieu(result.scored, info, name),
        "tong_hop.csv": _tong_hop(result.tally, info, name),
        "muc_tieu_2030.csv": _muc_tieu(result.baselines),
        "kiem_tra.csv": _kiem_tra(findings, name),
        TRACK_TABLE: _theo_doi(result.tracking),
    }


def _chi_tieu(s: pd.DataFrame, info: pd.DataFrame, name: pd.Series) -> pd.DataFrame:
    """chi_tieu.csv: every 2020-2025 row, rated (`s`, the judgement's scored rows)."""
    return pd.DataFrame(
        {
            "xa": s[OfCommune.ma_xa].map(name),
            OfCommune.ma_xa: s[OfCommune.ma_xa],
            "bieu": s[OfCommune.ma_xa].map(info[InfoRead.bieu_so]),
            ResultRows.nhom: s[ResultRows.nhom],
            ResultRowsRead.tt: s[ResultRows.muc],
            ResultRows.loai_dong: s[ResultRows.loai_dong],
            ResultRowsRead.chi_tieu: s[ResultRowsRead.chi_tieu],
            ResultRowsRead.don_vi: s[ResultRowsRead.don_vi],
            ResultRowsRead.chi_tieu_nq: s[TARGET.text],
            ResultRowsRead.ket_qua: s[RESULT.text],
            "chi_tieu_nq_phan_hai": s[TARGET_PROSE.text],
            "ket_qua_phan_hai": s[RESULT_PROSE.text],
            Items.danh_gia_cong_bo: s[ResultRowsRead.danh_gia],
            ScoredRows.danh_gia_tinh: s[ScoredRows.danh_gia_tinh],
            ScoredRows.danh_gia_chot: s[ScoredRows.danh_gia_chot],
            ScoredRows.ty_le_dat: s[ScoredRows.ty_le_dat],
            ScoredRows.ly_do_khong_ty_le: s[ScoredRows.ly_do_khong_ty_le],
            ScoredRows.ly_do: s[ScoredRows.ly_do],
            ResultRowsRead.giu_danh_gia: s[ResultRowsRead.giu_danh_gia],
            ResultRowsRead.ly_do_giu: s[ResultRowsRead.ly_do_giu],
            ResultRowsRead.ma_chi_tieu: s[ResultRowsRead.ma_chi_tieu],
            "tep": s[Located.tep],
            "dong": s[Located.dong],
        }
    )


def _tong_hop(tally: pd.DataFrame, info: pd.DataFrame, name: pd.Series) -> pd.DataFrame:
    """tong_hop.csv: every old commune's tallies, beside the counts its own report printed."""
    prose = {f"{k}_bao_cao": info[f"{k}_bc__so"] for k in ("vuot", "dat", "khong_dat")}
    return tally.assign(
        xa=lambda d: d[OfCommune.ma_xa].map(name),
        bieu=lambda d: d[OfCommune.ma_xa].map(info[InfoRead.bieu_so]),
        **{k: (lambda d, v=v: d[OfCommune.ma_xa].map(v).astype("Int64")) for k, v in prose.items()},
    ).loc[:, TONG_HOP_COLUMNS]


def _muc_tieu(b: pd.DataFrame) -> pd.DataFrame:
    """muc_tieu_2030.csv: every 2030 target and its baseline (`b`, the judgement's baselines)."""
    return pd.DataFrame(
        {
            OfCommune.ma_xa: b[OfCommune.ma_xa],
            ResultRows.nhom: b[ResultRows.nhom],
            ResultRowsRead.tt: b[ResultRows.muc],
            ResultRowsRead.chi_tieu: b[ResultRowsRead.chi_tieu],
            ResultRowsRead.don_vi: b[ResultRowsRead.don_vi],
            "muc_tieu_2030": b[GOAL.text],
            "muc_tieu_phan_ba": b[GOAL_PROSE.text],
            TargetRowsRead.ghi_chu: b[TargetRowsRead.ghi_chu],
            ResultRowsRead.ma_chi_tieu: b[ResultRowsRead.ma_chi_tieu],
            Baselines.hien_trang_2025: b[Baselines.hien_trang_2025],
            IndicatorsRead.cach_gop: b[IndicatorsRead.cach_gop],
            Baselines.ghi_chu_gop: b[Baselines.ghi_chu_gop],
            Baselines.chenh_lech: b[Baselines.chenh_lech],
            Baselines.thay_doi_moi_nam: b[Baselines.thay_doi_moi_nam],
            Baselines.don_vi_thay_doi: b[Baselines.don_vi_thay_doi],
            Baselines.muc_tieu_thap_hon_hien_trang: _yes(b[Baselines.muc_tieu_thap_hon_hien_trang]),
            Baselines.muc_tieu_bang_hien_trang: _yes(b[Baselines.muc_tieu_bang_hien_trang]),
            "tep": b[Located.tep],
            "dong": b[Located.dong],
        }
    )


def _theo_doi(t: pd.DataFrame) -> pd.DataFrame:
    """The tracking table: every 2030 target, year by year (`t`, the judgement's tracking)."""
    return pd.DataFrame(
        {
            OfCommune.ma_xa: t[OfCommune.ma_xa],
            ResultRows.nhom: t[ResultRows.nhom],
            ResultRowsRead.tt: t[ResultRows.muc],
            ResultRowsRead.chi_tieu: t[ResultRowsRead.chi_tieu],
            ResultRowsRead.don_vi: t[ResultRowsRead.don_vi],
            ResultRowsRead.ma_chi_tieu: t[ResultRowsRead.ma_chi_tieu],
            "muc_tieu_2030": t[GOAL.text],
            Baselines.hien_trang_2025: t[Baselines.hien_trang_2025],
            YearlyRead.nam: t[YearlyRead.nam],
            ResultRowsRead.ket_qua: t[RESULT.text],
            "ket_qua_so": t[Tracking.gia_tri],
            Tracking.lo_trinh: t[Tracking.lo_trinh].round(4),
            Tracking.chenh_lo_trinh: t[Tracking.chenh_lo_trinh],
            Tracking.nam_chenh: t[Tracking.nam_chenh],
            Tracking.trang_thai: t[Tracking.trang_thai],
            ScoredRows.ly_do: t[ScoredRows.ly_do].where(t[Tracking.trang_thai] != "", ""),
            Baselines.thay_doi_moi_nam: t[Baselines.thay_doi_moi_nam],
            Tracking.thay_doi_can: t[Tracking.thay_doi_can],
            Baselines.don_vi_thay_doi: t[Baselines.don_vi_thay_doi],
            "tep": t[Located.tep],
            "dong": t[Located.dong],
            "o_ket_qua": t[Tracking.o_kq],
        }
    )


def _kiem_tra(findings: list[Problem], name: pd.Series) -> pd.DataFrame:
    """kiem_tra.csv: every warning and finding, with the commune's name."""
    return pd.DataFrame(
        [
            (p.muc_do, p.kind, p.tep, p.sheet, p.o, p.xa, p.nhom, p.tt, p.chi_tieu, p.noi_dung)
            for p in findings
        ],
        columns=[
            "muc_do",
            InfoRead.loai,
            "tep",
            "sheet",
            "o",
            OfCommune.ma_xa,
            ResultRows.nhom,
            ResultRowsRead.tt,
            ResultRowsRead.chi_tieu,
            "noi_dung",
        ],
    ).assign(xa=lambda d: d[OfCommune.ma_xa].map(name).fillna(""))


class ByCommune:
    """A table's rows, sorted by commune once, kept as plain Python values column by column: a
    commune's rows are a slice, made into records only when that commune's products are made
    (pandas' own row access costs a millisecond a call, and a country has thousands of
    communes)."""

    def __init__(self, frame: pd.DataFrame, column: str = "ma_xa") -> None:
        # the values taken out at once and put in order as an array (a step of pandas per
        # column costs as much as the column's values)
        codes = frame[column].astype(str).to_numpy()
        order = codes.argsort(kind="stable")
        codes = codes[order]
        self.fields = list(frame.columns)
        self.columns = list(frame.to_numpy(dtype=object)[order].T)
        self.index = frame.index.to_numpy()[order]
        unique, starts = np.unique(codes, return_index=True)
        ends = [*starts[1:], len(codes)] if len(codes) else []
        self.bounds = dict(zip(unique, zip(starts, ends, strict=True), strict=True))

    def __contains__(self, code: str) -> bool:
        return code in self.bounds

    def get(self, code: str) -> list[dict] | None:
        """A commune's rows as records (field → value), in the table's order; None if it has
        none."""
        if code not in self.bounds:
            return None
        start, end = self.bounds[code]
        fields, cut = self.fields, [c[start:end] for c in self.columns]
        return [dict(zip(fields, values, strict=True)) for values in zip(*cut, strict=True)]

    def __getitem__(self, code: str) -> list[dict]:
        return self.get(code)

    def gather(self, codes: list[str], as_given: bool = False) -> list[tuple[int, tuple]]:
        """These communes' rows as (index, values) in the table's own order (its index), or
        commune by commune in the order of `codes` (`as_given`)."""
        rows = []
        for code in codes:
            if code in self.bounds:
                start, end = self.bounds[code]
                cut = [c[start:end] for c in self.columns]
                rows += zip(self.index[start:end], zip(*cut, strict=True), strict=True)
        return rows if as_given else sorted(rows, key=lambda row: row[0])


@dataclass
class Table:
    """A machine-readable table of one commune: its columns and its rows of values."""

    columns: list[str]
    rows: list[tuple]

    def records(self) -> list[dict]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=self.columns)


def _table(source: ByCommune, rows: list[tuple[int, tuple]], columns: list[str]) -> Table:
    """Some rows gathered from `source`, with these of its columns, in this order."""
    take = [source.fields.index(c) for c in columns]
    return Table(columns, [tuple(values[i] for i in take) for _, values in rows])


class Scope:
    """A table by commune (`ByCommune`) seen through the communes one product may show: their
    rows are there (None for one that has none), any other commune's are an error. Then what a
    product can show is exactly what its view holds, and so what its digest covers."""

    def __init__(self, source: ByCommune, codes: Iterable[str]) -> None:
        self.source = source
        self.codes = tuple(dict.fromkeys(codes))

    def __contains__(self, code: str) -> bool:
        return code in self.codes and code in self.source

    def get(self, code: str) -> list[dict] | None:
        if code not in self.codes:
            raise KeyError(f"commune {code!r} is outside this view")
        return self.source.get(code)

    __getitem__ = get

    def values(self, *fields: str) -> set[tuple]:
        """The distinct values these fields take in the communes' rows."""
        at = [self.source.fields.index(f) for f in fields]
        found: set[tuple] = set()
        for code in self.codes:
            if code in self.source.bounds:
                start, end = self.source.bounds[code]
                found.update(zip(*(self.source.columns[i][start:end] for i in at), strict=True))
        return found

    def material(self) -> str:
        """Every value the communes' rows hold, as text (for the digest)."""
        source, parts = self.source, [self.source.fields]
        for code in self.codes:
            if code in source.bounds:
                start, end = source.bounds[code]
                parts.append((code, [column[start:end].tolist() for column in source.columns]))
        return repr(parts)


def _frame_material(frame: pd.DataFrame) -> str:
    """Every value of a frame as text, column by column, with its columns' names and types (the
    values themselves, not pandas' hash of them: that one takes 1.5 and "1.5" for the same)."""
    return repr(
        [
            (name, str(column.dtype), column.tolist())
            for name, column in frame.reset_index(drop=True).items()
        ]
    )


def digest(view: object) -> str:
    """One hash over everything a product's view holds, field by field: its products are made
    from the view alone, so two views with the same digest give the same bytes (with the same
    code). The manifest keeps it; a product whose digest changed is rebuilt."""
    h = hashlib.sha256()
    for f in dataclasses.fields(view):
        value = getattr(view, f.name)
        if isinstance(value, Scope):
            text = value.material()
        elif isinstance(value, pd.DataFrame):
            text = _frame_material(value)
        else:  # plain Python values: their repr is every value in full
            text = repr(value)
        h.update(f"{f.name}\0{text}\0".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


@dataclass
class CommuneView:
    """One new commune, as its products see it: its own rows, and of the tables by commune only
    its old communes' (a `Scope`), so that everything its products show is in `digest`."""

    code: str
    own: Mapping  # its own facts (FACTS)
    info: Mapping[str, Mapping]  # its old communes' facts (FACTS), by code
    olds: list[str]  # its old communes, in the order of its "Xã hợp thành" sheet
    rows: Scope  # the old communes' tables as printed (LAYOUT), by code: records
    scored: Scope  # their rows as rated (SCORED_FIELDS)
    tally: Mapping[str, Mapping]  # their tallies, by code
    targets: list[dict] | None  # its own Biểu 03 rows as printed
    baselines: list[dict] | None  # its Biểu 03 rows' baselines (BASELINE_FIELDS)
    headers: Mapping  # the printed headers of the sheets it shows, by (file, sheet)
    tables: dict[str, Table]  # its machine-readable tables, by file name
    items: Scope  # the old communes' items, each rated by its weakest row (ITEM_FIELDS)
    tracking: list[dict] | None = None  # its rows year by year (TRACK_FIELDS), if it typed any

    @property
    def name(self) -> str:
        return self.own[InfoRead.ten_xa]

    def digest(self) -> str:
        return digest(self)


@dataclass
class Views:
    """Every frame sorted by commune once, so that each new commune's view is assembled from its
    own rows instead of filtering whole tables again for every commune."""

    info: dict[str, dict]  # the new communes' facts, by code
    old_info: dict[str, dict]  # the old communes' facts, by code
    members: dict[str, list[str]]
    headers: dict
    rows: ByCommune
    scored: ByCommune
    tally: dict[str, dict]
    targets: ByCommune
    baselines: ByCommune
    tables: dict[str, ByCommune]
    checks_everywhere: list[tuple[int, tuple]]  # findings tied to no commune, for every commune
    items: ByCommune
    tracking: ByCommune  # the results year by year, of the communes that typed any

    @classmethod
    def build(cls, prepared: Prepared, result: Judgement, findings: list[Problem]) -> Views:
        frames = tables(prepared, result, findings)
        checks = ByCommune(frames["kiem_tra.csv"])

        # only the columns the annexes print: the worker processes then share less memory
        def facts(kind: str) -> dict[str, dict]:
            return _by_code(
                prepared.info.loc[prepared.info[InfoRead.loai] == kind, FACTS].drop_duplicates(
                    OfCommune.ma_xa
                )
            )

        return cls(
            info=facts(NEW),
            old_info=facts(OLD),
            members=prepared.members.groupby(OfCommune.ma_xa, sort=False)[MembersRead.ma_xa_cu]
            .agg(list)
            .to_dict(),
            headers=prepared.where.headers,
            rows=ByCommune(prepared.rows.reindex(columns=LAYOUT)),
            scored=ByCommune(result.scored[[*SCORED_FIELDS, OfCommune.ma_xa]]),
            tally=_by_code(result.tally),
            targets=ByCommune(prepared.targets.reindex(columns=LAYOUT)),
            baselines=ByCommune(result.baselines[[*BASELINE_FIELDS, OfCommune.ma_xa]]),
            tables={
                name: checks if name == "kiem_tra.csv" else ByCommune(frame)
                for name, frame in frames.items()
            },
            checks_everywhere=checks.gather([""]),
            items=ByCommune(result.items[ITEM_FIELDS]),
            tracking=ByCommune(result.tracking[[*TRACK_FIELDS, OfCommune.ma_xa]]),
        )

    def new_communes(self) -> list[str]:
        return list(self.info)

    def tracks(self, code: str) -> bool:
        """Whether the new commune typed a result for a year of its term."""
        return code in self.tracking

    def commune(self, code: str) -> CommuneView:
        olds = [o for o in self.members.get(code, []) if o in self.old_info]

        def table(name: str, codes: list[str], drop=(), as_given=False) -> Table:
            source = self.tables[name]
            columns = [c for c in source.fields if c not in drop]
            return _table(source, source.gather(codes, as_given), columns)

        checks = self.tables["kiem_tra.csv"]
        # a commune kept as it is is its own old commune: its findings once
        found = checks.gather(list(dict.fromkeys([code, *olds])))
        own = {  # the old communes' lines in the order of their Biểu, as the annex has them
            "chi_tieu.csv": table("chi_tieu.csv", olds, as_given=True),
            "tong_hop.csv": table("tong_hop.csv", olds, as_given=True),
            "muc_tieu_2030.csv": table("muc_tieu_2030.csv", [code], drop=(OfCommune.ma_xa,)),
            "kiem_tra.csv": _table(
                checks,
                sorted([*found, *self.checks_everywhere], key=lambda row: row[0]),
                KIEM_TRA_COLUMNS,
            ),
        }
        if self.tracks(code):
            own[TRACK_TABLE] = table(TRACK_TABLE, [code], drop=(OfCommune.ma_xa,))
        shown = [code, *olds]  # a commune kept as it is is its own old commune
        rows, targets = Scope(self.rows, shown), self.targets.get(code)
        sheets = rows.values("_tep", "_sheet") | {
            (t[Located.tep], t[Located.sheet]) for t in targets or []
        }
        return CommuneView(
            code=code,
            own=self.info[code],
            info=_only(self.old_info, shown),
            olds=olds,
            rows=rows,
            scored=Scope(self.scored, shown),
            tally=_only(self.tally, shown),
            targets=targets,
            baselines=self.baselines.get(code),
            headers={w: self.headers[w] for w in sorted(sheets, key=str) if w in self.headers},
            tables=own,
            items=Scope(self.items, shown),
            tracking=self.tracking.get(code),
        )

    def digests(self) -> dict[str, str]:
        """Each new commune's digest: what its products show."""
        return {code: self.commune(code).digest() for code in self.new_communes()}


def _by_code(frame: pd.DataFrame) -> dict[str, dict]:
    """Each row's other values by field, by its commune's code (one row a commune: the facts
    are cut to each code's first, the tallies are one a commune): what
    `frame.set_index("ma_xa").to_dict("index")` gives, taken column by column (pandas boxes
    every value of every row on its own, a millisecond for a handful of rows)."""
    fields = [c for c in frame.columns if c != OfCommune.ma_xa]
    rows = zip(*(frame[field].tolist() for field in fields), strict=True)
    codes = frame[OfCommune.ma_xa].tolist()
    return {
        code: dict(zip(fields, row, strict=True)) for code, row in zip(codes, rows, strict=True)
    }


def _only(by_code: Mapping[str, Mapping], codes: list[str]) -> dict[str, Mapping]:
    return {code: by_code[code] for code in dict.fromkeys(codes) if code in by_code}


def slim(prepared: Prepared) -> Prepared:
    """The record with only what the products need of its tables once they are judged: the
    columns the annexes print (a country's parsed tables are wide; the wide copy can then be
    freed)."""
    return dataclasses.replace(
        prepared,
        rows=prepared.rows.reindex(columns=LAYOUT),
        targets=prepared.targets.reindex(columns=LAYOUT),
    )


# the columns a province's roll-up reads, of the rated rows, the baselines and the results year
# by year
ROLLUP_SCORED = [ResultRows.ma_key, OfCommune.ma_xa, ScoredRows.danh_gia_tinh]
ROLLUP_BASELINES = [
    ResultRows.ma_key,
    OfCommune.ma_xa,
    ResultRowsRead.don_vi,
    Baselines.hien_trang_2025,
]
ROLLUP_TRACKING = [
    ResultRows.ma_key,
    OfCommune.ma_xa,
    YearlyRead.nam,
    Tracking.nam_bao_cao,
    Tracking.trang_thai,
    Tracking.trang_thai_den_nay,
    RESULT.text,
    Tracking.co_lo_trinh,
    Tracking.lo_trinh,
    Tracking.chenh_lo_trinh,
    Tracking.nam_chenh,
    Tracking.thay_doi_can,
    Baselines.thay_doi_moi_nam,
    Baselines.don_vi_thay_doi,
]


@dataclass
class ProvinceView:
    """One province, as its roll-up sees it: its own communes' rows, with only the columns the
    roll-up reads, the findings it lists, and the names it prints, so that everything the roll-up
    shows is in `digest` (an old commune that stands in another province than its new commune,
    the spelling most of its workbooks use: all of it)."""

    file: str  # its roll-up's file name, without diacritics
    province: str  # its name as most of its workbooks spell it
    new_codes: list[str]  # its new communes, sorted
    names: dict[str, str]  # its communes' names, by code
    owner: dict[str, str]  # the new commune each finding's commune or file belongs to
    findings: list[Problem]  # the findings of its new communes
    scored: pd.DataFrame  # its old communes' rated rows (ROLLUP_SCORED)
    baselines: pd.DataFrame  # its new communes' baselines (ROLLUP_BASELINES)
    tracking: pd.DataFrame  # their results year by year (ROLLUP_TRACKING)
    label: dict[str, str]  # each indicator's name, by its code's key
    left_out: list[str]  # the names of its new communes that errors keep from being judged

    def digest(self) -> str:
        return digest(self)


def _cut(frame: pd.DataFrame, columns: list[str]):
    """`cut(codes)`: the rows of these communes, in the frame's order, with these columns."""
    narrow = frame[columns]
    at = frame.groupby(OfCommune.ma_xa, sort=False).indices

    def cut(codes: Iterable[str]) -> pd.DataFrame:
        found = [at[c] for c in codes if c in at]
        rows = np.sort(np.concatenate(found)) if found else np.array([], dtype=int)
        return narrow.iloc[rows].reset_index(drop=True)

    return cut


def provinces(
    info: pd.DataFrame,
    members: pd.DataFrame,
    result: Judgement,
    label: pd.Series,
    findings: list[Problem],
    left_out: set[str] = frozenset(),
) -> dict[str, ProvinceView]:
    """Every province's view, by its roll-up's file name. `info` and `members` are the whole
    record's (a new commune errors left out is named as such); `result` the judgement."""
    names = dict(zip(info[OfCommune.ma_xa], info[InfoRead.ten_xa], strict=True))
    owner = {new: new for new in info.loc[info[InfoRead.loai] == NEW, OfCommune.ma_xa]}
    owner |= dict(zip(members[MembersRead.ma_xa_cu], members[OfCommune.ma_xa], strict=True))
    owner |= {
        tep: owner.get(code, "")
        for tep, code in zip(info[Located.tep], info[OfCommune.ma_xa], strict=True)
    }
    # a province is one roll-up whatever the case its name is typed in ("Điện Biên", "ĐIỆN BIÊN"),
    # under the spelling most of its workbooks use
    file_of = info[InfoRead.tinh].map(slug)
    province_of = dict(zip(info[OfCommune.ma_xa], file_of, strict=True))
    mine: dict[str, list[Problem]] = {}
    for problem in findings:
        name = province_of.get(owner.get(problem.xa) or owner.get(problem.tep))
        if name is not None:
            mine.setdefault(name, []).append(problem)
    scored = _cut(result.scored, ROLLUP_SCORED)
    baselines = _cut(result.baselines, ROLLUP_BASELINES)
    tracking = _cut(result.tracking, ROLLUP_TRACKING)
    labels = dict(label.items())
    views = {}
    used = info[[OfCommune.ma_xa, InfoRead.loai, InfoRead.tinh]]  # before the rows are grouped
    for name, communes in used.groupby(file_of, sort=True):
        codes = set(communes[OfCommune.ma_xa])
        new_codes = sorted(communes.loc[communes[InfoRead.loai] == NEW, OfCommune.ma_xa])
        found = mine.get(name, [])
        views[name] = ProvinceView(
            file=name,
            province=communes[InfoRead.tinh].value_counts(sort=True).index[0],
            new_codes=new_codes,
            names={c: names[c] for c in sorted(codes)},
            owner={k: owner[k] for p in found for k in (p.xa, p.tep) if k in owner},
            findings=found,
            scored=scored(codes),
            baselines=baselines(codes),
            tracking=tracking(codes),
            label=labels,
            left_out=[names[c] for c in new_codes if c in left_out],
        )
    return views

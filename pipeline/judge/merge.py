"""The new communes' 2025 baselines, from their old communes' 2020–2025 results.

Pure and vectorised over every new commune at once. What feeds what, and how, is the catalogue's
word: an old indicator's "Gộp vào chỉ tiêu" names the Biểu 03 indicator it feeds, its "Cách gộp"
says how (sum; mean weighted by population or by area; or not at all). Where results cannot be
reconciled the baseline is empty and `ghi_chu_gop` says why.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.catalogue import Catalogue
from pipeline.columns import flag, joined, keyed, none
from pipeline.judge import kinds
from pipeline.parse import NUMBER, RANGE, parse_term
from pipeline.prepare import KIND_AND_KEY, first_of_kind
from schemas.stages import (
    GOAL,
    RESULT,
    Baselines,
    IndicatorsRead,
    Info,
    InfoRead,
    Members,
    OfCommune,
    ResultRows,
    ResultRowsRead,
    ScoredRows,
    Tracking,
    UnitsRead,
)
from schemas.vocabulary import (
    GROUP,
    LOWER,
    MEAN_RULES,
    MERGE_RULE,
    NEW,
    OLD,
    PERCENT,
    QUALITATIVE,
    WEIGHT_NAME,
)

# the commune fact each rule weights a mean by, as a column of the frame of feeding rows
WEIGHT = {word: rule.weight and f"{rule.weight}__so" for word, rule in MERGE_RULE.items()}
NOT_MERGED = [word for word, rule in MERGE_RULE.items() if not rule.merges]
# the commune fact each weighted rule needs, in words
WEIGHT_WORD = {word: WEIGHT_NAME[rule.weight] for word, rule in MERGE_RULE.items() if rule.weight}


def feeders(rows, members, old: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """Every old row that feeds a new commune's indicator, its value in its base unit, and why it
    cannot be merged where it cannot. `old`: the old communes' facts (`_old_communes`)."""
    unit = catalogue.unit
    # only the columns a feeding row is merged and explained by (a prepared row has ~80)
    taken = [
        OfCommune.ma_xa,
        ResultRows.ma_key,
        ResultRows.don_vi_key,
        ResultRowsRead.chi_tieu,
        ResultRowsRead.don_vi,
        *(getattr(RESULT, part) for part in ("text", "kind", "op", "lo", "denom")),
    ]
    frame = (
        rows.loc[rows[ResultRows.loai_dong] != GROUP, taken]
        .assign(
            ma_cu_key=lambda d: keyed(d[OfCommune.ma_xa]),
            gop_vao_key=lambda d: catalogue.of_indicator(
                d[ResultRows.ma_key], "gop_vao_key"
            ).fillna(""),
            cach_gop=lambda d: catalogue.of_indicator(d[ResultRows.ma_key], "cach_gop"),
        )
        .loc[lambda d: d["gop_vao_key"] != ""]
        .merge(
            members[[Members.ma_cu_key, OfCommune.ma_xa]].rename(
                columns={OfCommune.ma_xa: "ma_moi"}
            ),
            on=Members.ma_cu_key,
        )
        .assign(
            ma_moi_key=lambda d: keyed(d["ma_moi"]),
            ten_cu=lambda d: d[Members.ma_cu_key].map(old[InfoRead.ten_xa]),
            dan_so__so=lambda d: d[Members.ma_cu_key].map(old[Info.dan_so__so]),
            dien_tich__so=lambda d: d[Members.ma_cu_key].map(old[Info.dien_tich__so]),
            goc=lambda d: d[ResultRows.don_vi_key].map(unit["goc"]),
            gia_tri_goc=lambda d: (
                d[RESULT.lo] * d[ResultRows.don_vi_key].map(unit[UnitsRead.he_so])
            ),
        )
    )
    plain = (frame[RESULT.kind] == NUMBER) & (frame[RESULT.op] == "=") & frame[RESULT.denom].isna()

    def who(hit: pd.Series) -> pd.Series:
        return "xã " + frame["ten_cu"][hit] + ': "' + frame[ResultRowsRead.chi_tieu][hit] + '"'

    reason = flag(
        none(frame),
        ~plain,
        lambda hit: who(hit) + ' có kết quả "' + frame[RESULT.text][hit] + '", không phải một số',
    )
    reason = flag(reason, frame[RESULT.text] == "", lambda hit: who(hit) + " chưa có kết quả")
    reason = flag(
        reason,
        frame[IndicatorsRead.cach_gop].isin(NOT_MERGED),
        lambda hit: (
            who(hit)
            + " ("
            + frame[ResultRowsRead.don_vi][hit]
            + ') có cách gộp "Không gộp" trong danh mục'
        ),
    )
    return frame.assign(ly_do=reason)


def baselines(targets, rows, members, info, catalogue: Catalogue) -> pd.DataFrame:
    """One line per Biểu 03 row: the merged 2025 baseline in the row's unit, or why there is none;
    the gap to the 2030 target and the yearly change it needs."""
    target = _target_rows(targets, catalogue)
    old = _old_communes(info)
    feed = _fed(target, rows, members, old, catalogue)
    feed = feed.assign(ly_do=_refused(feed))
    # `dong_id` numbers the target rows as their index does: the rows' sums put beside them
    per_row = _per_row(feed).reindex(target["dong_id"]).set_axis(target.index)
    out = pd.concat([target, per_row], axis=1)
    note = _note(out, _missing(out, feed, members, old[InfoRead.ten_xa]))
    mean = out[IndicatorsRead.cach_gop].isin(MEAN_RULES)
    value = (out["tich"] / out["tong_trong_so"]).where(mean, out["tong"])
    new = first_of_kind(info[[*KIND_AND_KEY, InfoRead.nhiem_ky]], NEW)
    years = out["ma_moi_key"].map(new[InfoRead.nhiem_ky]).map(_years)
    return (
        out.assign(
            hien_trang_2025=value.where(note == "").round(4),
            ghi_chu_gop=note,
            cach_gop=out[IndicatorsRead.cach_gop].fillna(""),
            so_nam=years,
        )
        .pipe(gaps)
        .pipe(lambda d: d.assign(ghi_chu_gop=_noted(d)))
    )


def _old_communes(info: pd.DataFrame) -> pd.DataFrame:
    """The old communes' names, populations and areas, looked up once for the merge (cut to
    these columns before the rows are)."""
    taken = [*KIND_AND_KEY, InfoRead.ten_xa, Info.dan_so__so, Info.dien_tich__so]
    return first_of_kind(info[taken], OLD)


def _noted(out: pd.DataFrame) -> pd.Series:
    """The merge's note, and why there is no yearly change where the kind has none."""
    why = without_change(out)  # only where there is a baseline, so no merge note to keep
    return out[Baselines.ghi_chu_gop].mask(why != "", why)


def _target_rows(targets: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """The Biểu 03 rows that take a baseline (not a group's), numbered (`dong_id`), with their
    new commune's key, their unit's base and factor and the indicator's direction."""
    unit = catalogue.unit
    return (
        targets[targets[ResultRows.loai_dong] != GROUP]
        .assign(
            ma_moi_key=lambda d: keyed(d[OfCommune.ma_xa]),
            goc_moi=lambda d: d[ResultRows.don_vi_key].map(unit["goc"]),
            he_so_moi=lambda d: d[ResultRows.don_vi_key].map(unit[UnitsRead.he_so]),
            loai_don_vi=lambda d: d[ResultRows.don_vi_key].map(unit[InfoRead.loai]),
            chieu=lambda d: catalogue.of_indicator(d[ResultRows.ma_key], "chieu"),
        )
        .rename_axis("dong_id")
        .reset_index()
    )


def _fed(target, rows, members, old, catalogue: Catalogue) -> pd.DataFrame:
    """Each old commune's 2020-2025 row that feeds a target row (`dong_id`): its figure in the
    target's unit (`gia_tri`), its weight in a mean (`trong_so`, 1 for a sum) and their product."""
    feed = feeders(rows, members, old, catalogue).merge(
        target[
            [
                "dong_id",
                "ma_moi_key",
                ResultRows.ma_key,
                "goc_moi",
                "he_so_moi",
                ResultRowsRead.don_vi,
            ]
        ].rename(columns={ResultRows.ma_key: "gop_vao_key", ResultRowsRead.don_vi: "don_vi_moi"}),
        on=["ma_moi_key", "gop_vao_key"],
    )
    weight_column = feed[IndicatorsRead.cach_gop].map(WEIGHT)
    weights = sorted({column for column in WEIGHT.values() if column})
    return feed.assign(
        trong_so=np.select(
            [weight_column == column for column in weights],
            [feed[column] for column in weights],
            default=1.0,
        ),
        gia_tri=feed["gia_tri_goc"] / feed["he_so_moi"],
    ).assign(tich=lambda d: d[Tracking.gia_tri] * d["trong_so"])


def _refused(feed: pd.DataFrame) -> pd.Series:
    """Why a feeding row cannot be taken, the first reason that holds (a reason the feeders gave
    stands): a unit that does not convert; a mean without the commune's weight above 0
    (validation names the cell; this holds even where validation was not run); two rows of one
    commune feeding a mean, which takes one figure per commune."""
    weighted = feed[IndicatorsRead.cach_gop].map(WEIGHT).notna()
    reasons = [  # each reason's words built only for the rows it is given to
        (
            feed["goc"] != feed["goc_moi"],
            lambda hit: (
                "xã "
                + hit["ten_cu"]
                + ': đơn vị "'
                + hit[ResultRowsRead.don_vi]
                + '" không quy đổi được sang "'
                + hit["don_vi_moi"]
                + '"'
            ),
        ),
        (
            weighted & ~(feed["trong_so"] > 0),
            lambda hit: (
                "xã "
                + hit["ten_cu"]
                + " không có "
                + hit[IndicatorsRead.cach_gop].map(WEIGHT_WORD).fillna("")
                + ' lớn hơn 0 ở sheet "Thông tin", không lấy '
                + hit[IndicatorsRead.cach_gop].str.lower()
                + " được"
            ),
        ),
        (
            feed.duplicated(["dong_id", Members.ma_cu_key], keep=False) & weighted,
            lambda hit: (
                "xã "
                + hit["ten_cu"]
                + " có nhiều dòng gộp vào chỉ tiêu này, không lấy bình quân được"
            ),
        ),
    ]
    why = feed[ScoredRows.ly_do]
    for holds, reason in reasons:
        given = why.isna() & holds
        if given.any():
            why = why.mask(given, reason(feed[given]))
    return why


def _per_row(feed: pd.DataFrame) -> pd.DataFrame:
    """Per target row: how many ways of merging its feeders name, their sum, their weights'
    sum and the weighted sum; the ways and the reasons, each once."""
    by_row = feed.groupby("dong_id")
    sums = by_row[[Tracking.gia_tri, "trong_so", "tich"]].sum()
    per_row = pd.DataFrame(
        {
            "so_cach": by_row[IndicatorsRead.cach_gop].nunique(),
            "tong": sums[Tracking.gia_tri],
            "tong_trong_so": sums["trong_so"],
            "tich": sums["tich"],
        }
    )
    rules = feed[["dong_id", IndicatorsRead.cach_gop]].drop_duplicates()
    per_row[IndicatorsRead.cach_gop] = joined(rules["dong_id"], rules[IndicatorsRead.cach_gop])
    # each reason once, however many rows of one commune give it
    reasons = feed.loc[feed[ScoredRows.ly_do].notna(), ["dong_id", ScoredRows.ly_do]]
    reasons = reasons.drop_duplicates()
    per_row[ScoredRows.ly_do] = joined(reasons["dong_id"], reasons[ScoredRows.ly_do])
    return per_row


def _missing(out: pd.DataFrame, feed: pd.DataFrame, members, names: pd.Series) -> pd.Series:
    """Per target row: each old commune of the new one that has no row feeding it, named (by
    `names`, the old communes' by key)."""
    expected = out.loc[out["so_cach"].notna(), ["dong_id", "ma_moi_key"]].merge(
        members.assign(ma_moi_key=keyed(members[OfCommune.ma_xa]))[
            ["ma_moi_key", Members.ma_cu_key]
        ],
        on="ma_moi_key",
        how="left",
    )
    # the pairs looked up in a set: two MultiIndexes cost more than the lookups (a few hundred
    # rows a commune)
    pair = ["dong_id", Members.ma_cu_key]
    fed_pairs = set(zip(*(feed[column] for column in pair), strict=True))
    fed = [found in fed_pairs for found in zip(*(expected[column] for column in pair), strict=True)]
    absent = expected[~np.array(fed, dtype=bool)]
    missing = joined(
        absent["dong_id"],
        "xã "
        + absent[Members.ma_cu_key].map(names).fillna(absent[Members.ma_cu_key])
        + " không có số liệu cho chỉ tiêu này",
    )
    return out["dong_id"].map(missing).astype(object).fillna("")


def _note(out: pd.DataFrame, missing: pd.Series) -> pd.Series:
    """Why a row has no baseline ("" where it has one): its missing communes and its feeders'
    reasons; else feeders that merge it in different ways; else no feeder at all."""
    note = missing.str.cat(out[ScoredRows.ly_do].fillna(""), sep="; ").str.strip("; ")
    note = note.mask(
        (note == "") & (out["so_cach"] > 1),
        "các xã cũ ghi chỉ tiêu này theo những cách gộp khác nhau: "
        + out[IndicatorsRead.cach_gop].fillna(""),
    )
    return note.mask(
        out["so_cach"].isna(), "danh mục không ghi chỉ tiêu 2020-2025 nào gộp vào chỉ tiêu này"
    )


def _years(term: object) -> float:
    bounds = parse_term(term)
    return float(bounds[1] - bounds[0]) if bounds else np.nan


def gaps(out: pd.DataFrame) -> pd.DataFrame:
    """The gap from the baseline to the 2030 target, the average yearly change it needs, by the
    meaning of the row's kind (`kinds.MEANINGS`): for a level, compound %/năm for amounts and
    điểm %/năm for rates; for a term total, the target spread over the term's years, in the
    row's unit a year; none for a target to meet every year or a rate; and whether the target is
    already behind the baseline, or only equal to it, at the precision the target is printed
    with."""
    lower = out[IndicatorsRead.chieu] == LOWER
    numeric = out[GOAL.kind].isin([NUMBER, RANGE])
    goal = out[GOAL.hi].where(lower, out[GOAL.lo]).where(numeric)
    base = out[Baselines.hien_trang_2025]
    percent = out[ResultRows.loai_don_vi] == PERCENT
    rule = kinds.of(_kind(out), "yearly_change")
    spread = rule == kinds.SPREAD
    level = yearly_change(base, goal, out[Baselines.so_nam], percent)
    yearly = level.where(rule == kinds.STEPPED, (goal / out[Baselines.so_nam]).where(spread))
    unit = np.where(
        spread,
        kinds.per_year(out.get(ResultRowsRead.don_vi, pd.Series("", index=out.index))),
        np.where(percent, "điểm %/năm", "%/năm"),
    )
    decimals = out[GOAL.decimals].fillna(0).astype(float)
    diff = (goal - base) * np.where(lower, -1.0, 1.0)
    # compared at the target's printed precision: "40" against 40,10 is equal, "40,0" lower
    rounded = np.round(diff * 10.0**decimals)
    comparable = out[IndicatorsRead.chieu] != QUALITATIVE
    behind = (rounded < 0) & comparable
    equal = (rounded == 0) & (diff <= 0) & comparable  # not better, and not lower as printed
    # the figures typed as numbers even in a record without any, one by one (a frame's
    # `astype` of a few columns copies every column)
    return out.assign(
        hien_trang_2025=base.astype(float),
        so_nam=out[Baselines.so_nam].astype(float),
        muc_tieu_so=goal.astype(float),
        chenh_lech=(goal - base).round(4).astype(float),
        thay_doi_moi_nam=yearly.replace([np.inf, -np.inf], np.nan).round(2).astype(float),
        don_vi_thay_doi=np.where(yearly.notna(), unit, ""),
        muc_tieu_thap_hon_hien_trang=behind.fillna(False).astype(bool),
        muc_tieu_bang_hien_trang=equal.fillna(False).astype(bool),
    )


def _kind(frame: pd.DataFrame) -> pd.Series:
    """Each row's kind of target; "" (a level) in a frame that does not say."""
    if ResultRows.loai_muc_tieu in frame:
        return frame[ResultRows.loai_muc_tieu].fillna("")
    return pd.Series("", index=frame.index)


def without_change(out: pd.DataFrame) -> pd.Series:
    """Why a row with a baseline and a target in numbers has no yearly change, where its kind
    has none (a target to meet every year, a rate): "" elsewhere."""
    why = kinds.of(_kind(out), "no_change")
    shown = out[Baselines.hien_trang_2025].notna() & out[GOAL.kind].isin([NUMBER, RANGE])
    return why.where(shown & out[Baselines.thay_doi_moi_nam].isna(), "")


def yearly_change(
    start: pd.Series, goal: pd.Series, years: pd.Series, percent: pd.Series
) -> pd.Series:
    """The average yearly change that takes `start` to `goal` in `years`: points a year for a
    percentage (điểm %/năm), compound % a year for an amount (%/năm; missing where either is
    not above 0, since nothing compounds from 0)."""
    compound = ((goal / start) ** (1 / years) - 1) * 100
    return ((goal - start) / years).where(percent, compound.where((start > 0) & (goal > 0)))


def path_value(
    start: pd.Series, goal: pd.Series, share: pd.Series, percent: pd.Series
) -> pd.Series:
    """Where the path of `yearly_change` from `start` to `goal` is after `share` of the term (0
    at its start, 1 at its end; beyond either, the same path drawn on): straight for a
    percentage, compound for an amount (missing where it cannot compound)."""
    compound = start * (goal / start) ** share
    return (start + (goal - start) * share).where(percent, compound.where((start > 0) & (goal > 0)))

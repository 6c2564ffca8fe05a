"""Rating each 2020–2025 row against its target, rolling rows up to items and communes.

Pure functions on the prepared rows of every old commune at once, vectorised. A rating is computed
from the target, the result and the indicator's direction in the catalogue; nothing is tuned to
agree with the published rating, and every disagreement becomes a finding.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.parse import EMPTY, NUMBER, QUALITY, RANGE, format_vi
from schemas import catalogue as cat
from schemas.tables import GROUP

EXCEEDED, MET, MISSED = "Vượt", "Đạt", "Không đạt"
NO_DATA, NOT_COMPARABLE = "Chưa có số liệu", "Không so được"
RATINGS = (EXCEEDED, MET, MISSED, NO_DATA, NOT_COMPARABLE)
# weakest first: a known miss outweighs a missing figure, then a figure that cannot be compared,
# and any of these outweighs a success
RANK = {MISSED: 0, NO_DATA: 1, NOT_COMPARABLE: 1.5, MET: 2, EXCEEDED: 3}


def _quoted(label: str, text: pd.Series) -> pd.Series:
    return label + ' "' + text + '"'


def _equal_at_printed_precision(diff: pd.Series, decimals: pd.Series) -> pd.Series:
    """Zero at the precision printed: the two numbers compared as printed (1,130 = 1,13), so
    only a float's noise is ignored, never a printed difference (59,6 is below 60)."""
    return np.round(diff * 10.0**decimals) == 0


def rate(rows: pd.DataFrame) -> pd.DataFrame:
    """`danh_gia_tinh` and `ly_do` (why, in Vietnamese, with the printed values) for every row.

    Higher is better: above the target is Vượt, equal as printed is Đạt, below is Không đạt;
    lower is better mirrors it. A bound is met at the bound when its words include it
    (≥, "trở lên") and exceeded beyond it; a strict bound (>, "trên", "dưới") must be passed. A
    range is met inside it and exceeded past its good end. A result printed as a range counts at
    its weaker end. No result: Chưa có số liệu. A target in words, or a number against "Đạt":
    Không so được.
    """
    t_kind, r_kind = rows["chi_tieu_nq__kind"], rows["ket_qua__kind"]
    lower = rows["chieu"] == cat.LOWER
    numeric = t_kind.isin([NUMBER, RANGE]) & r_kind.isin([NUMBER, RANGE])
    result = rows["ket_qua__hi"].where(lower, rows["ket_qua__lo"])
    is_range = t_kind == RANGE
    good = rows["chi_tieu_nq__lo"].where(lower | ~is_range, rows["chi_tieu_nq__hi"])
    near = rows["chi_tieu_nq__hi"].where(lower & is_range, rows["chi_tieu_nq__lo"])
    sign = np.where(lower, -1.0, 1.0)
    decimals = np.maximum(rows["chi_tieu_nq__decimals"], rows["ket_qua__decimals"]).astype(float)
    past_good = (result - good) * sign
    past_near = (result - near) * sign
    beyond = (past_good > 0) & ~_equal_at_printed_precision(past_good, decimals)
    short = (past_near < 0) & ~_equal_at_printed_precision(past_near, decimals)
    strict = rows["chi_tieu_nq__op"].isin([">", "<"]) & ~is_range
    both_quality = (t_kind == QUALITY) & (r_kind == QUALITY)
    same_quality = rows["ket_qua__quality"] == rows["chi_tieu_nq__quality"]

    target = _quoted("chỉ tiêu", rows["chi_tieu_nq__text"])
    shown = _quoted("kết quả", rows["ket_qua__text"]) + np.where(
        r_kind == RANGE,
        " (tính theo đầu "
        + np.where(lower, "trên ", "dưới ")
        + result.where(r_kind == RANGE).map(lambda v: "" if pd.isna(v) else format_vi(v))
        + ")",
        "",
    )
    sense = " (" + pd.Series(np.where(lower, "thấp", "cao"), index=rows.index) + " hơn là tốt)"
    cases = [
        (r_kind == EMPTY, NO_DATA, "không có kết quả thực hiện"),
        (t_kind == EMPTY, NOT_COMPARABLE, "không có chỉ tiêu để so"),
        (both_quality & same_quality, MET, shown + " đúng như " + target),
        (both_quality, MISSED, shown + ", " + target),
        (
            (t_kind == QUALITY) | (r_kind == QUALITY) | (rows["chieu"] == cat.QUALITATIVE),
            NOT_COMPARABLE,
            "chỉ tiêu và kết quả không cùng dạng (định tính và số)",
        ),
        (~numeric, NOT_COMPARABLE, "chỉ tiêu ghi bằng lời, không so được với kết quả"),
        (strict & beyond, EXCEEDED, shown + " vượt ngưỡng " + target),
        (strict, MISSED, shown + " chưa vượt ngưỡng " + target + " như lời chỉ tiêu đòi hỏi"),
        (is_range & beyond, EXCEEDED, shown + " vượt qua đầu tốt của khoảng " + target + sense),
        (is_range & short, MISSED, shown + " chưa vào khoảng " + target + sense),
        (is_range, MET, shown + " nằm trong khoảng " + target),
        (beyond, EXCEEDED, shown + " tốt hơn " + target + sense),
        (short, MISSED, shown + " kém hơn " + target + sense),
    ]
    conditions = [c.fillna(False).to_numpy(bool) for c, _, _ in cases]
    rating = np.select(conditions, [r for _, r, _ in cases], default=MET)
    reason = np.select(
        conditions,
        [np.broadcast_to(np.asarray(w, dtype=object), len(rows)) for _, _, w in cases],
        default=(shown + " bằng " + target).to_numpy(object),
    )
    return rows.assign(danh_gia_tinh=rating, ly_do=reason)


def achievement(rows: pd.DataFrame) -> pd.Series:
    """The achievement ratio in %, as the report's prose quotes it (24,8 / 13,5 = 183,7%).

    Higher is better: result / target. Lower is better: target / result (60 / 59,46 = 100,9%),
    so that above 100% is better either way. A range target counts at the end one must reach
    (its lower end when higher is better); a result range at its weaker end.
    """
    lower = rows["chieu"] == cat.LOWER
    numeric = rows["chi_tieu_nq__kind"].isin([NUMBER, RANGE]) & rows["ket_qua__kind"].isin(
        [NUMBER, RANGE]
    )
    target = rows["chi_tieu_nq__hi"].where(lower, rows["chi_tieu_nq__lo"])
    result = rows["ket_qua__hi"].where(lower, rows["ket_qua__lo"])
    ratio = (target / result).where(lower, result / target) * 100
    usable = numeric & (rows["chieu"] != cat.QUALITATIVE)
    return ratio.where(usable).replace([np.inf, -np.inf], np.nan).round(1)


def score_rows(rows: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Every indicator row (group rows left out) with its direction, computed rating, reason and
    achievement ratio."""
    direction = indicators.drop_duplicates("ma_key").set_index("ma_key")["chieu"]
    return (
        rows[rows["loai_dong"] != GROUP]
        .assign(chieu=lambda d: d["ma_key"].map(direction))
        .pipe(rate)
        .assign(ty_le_dat=achievement)
    )


def final_rating(scored: pd.DataFrame) -> pd.DataFrame:
    """`danh_gia_chot`: the published rating where an officer kept it on purpose (column "Giữ
    đánh giá công bố" with a reason), the computed one everywhere else."""
    kept = scored["giu_danh_gia"] == cat.YES
    return scored.assign(danh_gia_chot=scored["danh_gia"].where(kept, scored["danh_gia_tinh"]))


def items(scored: pd.DataFrame) -> pd.DataFrame:
    """One line per item (numbered row with its sub-rows), rated by its weakest sub-row."""
    columns = {
        "danh_gia_tinh": "danh_gia_tinh",
        "danh_gia": "danh_gia_cong_bo",
        "danh_gia_chot": "danh_gia_chot",
    }
    by_rank = {rank: rating for rating, rank in RANK.items()}
    return (
        scored.assign(**{c: scored[c].replace("", NO_DATA).map(RANK) for c in columns})
        .groupby(["ma_xa", "_tep", "nhom", "muc"], sort=False)[list(columns)]
        .min()
        .apply(lambda column: column.map(by_rank))
        .rename(columns=columns)
        .reset_index()
    )


def sentence(counts: dict[str, int]) -> str:
    """A tally in the report's words: "20 chỉ tiêu: 07 vượt, 10 đạt, 03 không đạt"."""
    total = sum(counts.values())
    parts = [f"{counts.get(r, 0):02d} {r.lower()}" for r in (EXCEEDED, MET, MISSED)]
    parts += [f"{counts[r]:02d} {r.lower()}" for r in (NO_DATA, NOT_COMPARABLE) if counts.get(r)]
    return f"{total} chỉ tiêu: " + ", ".join(parts)


def tallies(item_ratings: pd.DataFrame) -> pd.DataFrame:
    """Per old commune: the number of items and the counts of each rating, computed, published
    and final, with each tally as the report words it."""
    frames = []
    for source, suffix in (
        ("danh_gia_tinh", "tinh"),
        ("danh_gia_cong_bo", "cong_bo"),
        ("danh_gia_chot", "chot"),
    ):
        counts = (
            pd.crosstab(item_ratings["ma_xa"], item_ratings[source])
            .reindex(columns=list(RATINGS), fill_value=0)
            .rename(columns=dict(zip(RATINGS, _RATING_COLUMNS, strict=True)))
            .add_suffix(f"_{suffix}")
        )
        counts[f"cau_tong_hop_{suffix}"] = [
            sentence(dict(zip(RATINGS, row, strict=True)))
            for row in counts.iloc[:, : len(RATINGS)].to_numpy()
        ]
        frames.append(counts)
    return (
        pd.concat(frames, axis=1)
        .assign(so_chi_tieu=item_ratings.groupby("ma_xa").size())
        .reset_index()
    )


_RATING_COLUMNS = ("vuot", "dat", "khong_dat", "chua_co_so_lieu", "khong_so_duoc")

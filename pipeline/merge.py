"""The new communes' 2025 baselines, from their old communes' 2020–2025 results.

Pure and vectorised over every new commune at once. What feeds what, and how, is the catalogue's
word: an old indicator's "Gộp vào chỉ tiêu" names the Biểu 03 indicator it feeds, its "Cách gộp"
says how (sum; mean weighted by population or by area; or not at all). Where results cannot be
reconciled the baseline is empty and `ghi_chu_gop` says why.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.columns import flag, keyed, none
from pipeline.parse import NUMBER, RANGE
from schemas import catalogue as cat
from schemas.tables import GROUP

WEIGHT = {cat.SUM: None, cat.POP_MEAN: "dan_so__so", cat.AREA_MEAN: "dien_tich__so"}


def unit_table(units: pd.DataFrame) -> pd.DataFrame:
    """Per unit key: its base unit key and the factor to it (Tỷ đồng → triệu đồng × 1000)."""
    base = keyed(units["quy_doi"].where(units["quy_doi"] != "", units["don_vi"]))
    factor = units["he_so__lo"].where(units["he_so__kind"] == NUMBER, 1.0).astype(float)
    return pd.DataFrame(
        {"goc": base.to_numpy(), "he_so": factor.to_numpy(), "loai": units["loai"].to_numpy()},
        index=units["don_vi_key"],
    ).loc[lambda d: ~d.index.duplicated()]


def feeders(rows, members, info, indicators, units) -> pd.DataFrame:
    """Every old row that feeds a new commune's indicator, its value in its base unit, and why it
    cannot be merged where it cannot."""
    indicator = indicators.drop_duplicates("ma_key").set_index("ma_key")
    unit = unit_table(units)
    old = info.drop_duplicates("ma_key").set_index("ma_key")
    frame = (
        rows[rows["loai_dong"] != GROUP]
        .assign(
            ma_cu_key=lambda d: keyed(d["ma_xa"]),
            gop_vao_key=lambda d: keyed(d["ma_key"].map(indicator["gop_vao"]).fillna("")),
            cach_gop=lambda d: d["ma_key"].map(indicator["cach_gop"]),
        )
        .loc[lambda d: d["gop_vao_key"] != ""]
        .merge(members[["ma_cu_key", "ma_xa"]].rename(columns={"ma_xa": "ma_moi"}), on="ma_cu_key")
        .assign(
            ma_moi_key=lambda d: keyed(d["ma_moi"]),
            ten_cu=lambda d: d["ma_cu_key"].map(old["ten_xa"]),
            dan_so__so=lambda d: d["ma_cu_key"].map(old["dan_so__so"]),
            dien_tich__so=lambda d: d["ma_cu_key"].map(old["dien_tich__so"]),
            goc=lambda d: d["don_vi_key"].map(unit["goc"]),
            gia_tri_goc=lambda d: d["ket_qua__lo"] * d["don_vi_key"].map(unit["he_so"]),
        )
    )
    plain = (
        (frame["ket_qua__kind"] == NUMBER)
        & (frame["ket_qua__op"] == "=")
        & frame["ket_qua__denom"].isna()
    )

    def who(hit: pd.Series) -> pd.Series:
        return "xã " + frame["ten_cu"][hit] + ': "' + frame["chi_tieu"][hit] + '"'

    reason = flag(
        none(frame),
        ~plain,
        lambda hit: (
            who(hit) + ' có kết quả "' + frame["ket_qua__text"][hit] + '", không phải một số'
        ),
    )
    reason = flag(reason, frame["ket_qua__text"] == "", lambda hit: who(hit) + " chưa có kết quả")
    reason = flag(
        reason,
        frame["cach_gop"] == cat.NO_MERGE,
        lambda hit: (
            who(hit) + " (" + frame["don_vi"][hit] + ') có cách gộp "Không gộp" trong danh mục'
        ),
    )
    return frame.assign(ly_do=reason)


def baselines(targets, rows, members, info, indicators, units) -> pd.DataFrame:
    """One line per Biểu 03 row: the merged 2025 baseline in the row's unit, or why there is none;
    the gap to the 2030 target and the yearly change it needs."""
    unit = unit_table(units)
    indicator = indicators.drop_duplicates("ma_key").set_index("ma_key")
    new = info.drop_duplicates("ma_key").set_index("ma_key")
    target = (
        targets[targets["loai_dong"] != GROUP]
        .assign(
            ma_moi_key=lambda d: keyed(d["ma_xa"]),
            goc_moi=lambda d: d["don_vi_key"].map(unit["goc"]),
            he_so_moi=lambda d: d["don_vi_key"].map(unit["he_so"]),
            loai_don_vi=lambda d: d["don_vi_key"].map(unit["loai"]),
            chieu=lambda d: d["ma_key"].map(indicator["chieu"]),
        )
        .rename_axis("dong_id")
        .reset_index()
    )
    feed = feeders(rows, members, info, indicators, units).merge(
        target[["dong_id", "ma_moi_key", "ma_key", "goc_moi", "he_so_moi", "don_vi"]].rename(
            columns={"ma_key": "gop_vao_key", "don_vi": "don_vi_moi"}
        ),
        on=["ma_moi_key", "gop_vao_key"],
    )
    feed["ly_do"] = feed["ly_do"].mask(
        feed["ly_do"].isna() & (feed["goc"] != feed["goc_moi"]),
        "xã "
        + feed["ten_cu"]
        + ': đơn vị "'
        + feed["don_vi"]
        + '" không quy đổi được sang "'
        + feed["don_vi_moi"]
        + '"',
    )
    weight_column = feed["cach_gop"].map(WEIGHT)
    feed = feed.assign(
        trong_so=np.select(
            [weight_column == "dan_so__so", weight_column == "dien_tich__so"],
            [feed["dan_so__so"], feed["dien_tich__so"]],
            default=1.0,
        ),
        gia_tri=feed["gia_tri_goc"] / feed["he_so_moi"],
    ).assign(tich=lambda d: d["gia_tri"] * d["trong_so"])
    # a mean takes one figure per commune: two rows of one commune feeding a mean are ambiguous
    twice = feed.duplicated(["dong_id", "ma_cu_key"], keep=False) & weight_column.notna()
    feed["ly_do"] = feed["ly_do"].mask(
        feed["ly_do"].isna() & twice,
        "xã " + feed["ten_cu"] + " có nhiều dòng gộp vào chỉ tiêu này, không lấy bình quân được",
    )
    per_row = feed.groupby("dong_id").agg(
        so_cach=("cach_gop", "nunique"),
        tong=("gia_tri", "sum"),
        tong_trong_so=("trong_so", "sum"),
        tich=("tich", "sum"),
    )
    rules = feed.drop_duplicates(["dong_id", "cach_gop"])
    per_row["cach_gop"] = rules.groupby("dong_id")["cach_gop"].agg("; ".join)
    per_row["ly_do"] = feed.dropna(subset=["ly_do"]).groupby("dong_id")["ly_do"].agg("; ".join)
    out = target.join(per_row, on="dong_id")
    # each old commune of the new one that has no row feeding this indicator
    names = info.drop_duplicates("ma_key").set_index("ma_key")["ten_xa"]
    expected = (
        out.loc[out["so_cach"].notna(), ["dong_id", "ma_moi_key"]]
        .merge(
            members.assign(ma_moi_key=keyed(members["ma_xa"]))[["ma_moi_key", "ma_cu_key"]],
            on="ma_moi_key",
            how="left",
        )
        .merge(feed[["dong_id", "ma_cu_key"]].drop_duplicates(), how="left", indicator=True)
    )
    absent = expected[expected["_merge"] == "left_only"]
    missing = (
        (
            "xã "
            + absent["ma_cu_key"].map(names).fillna(absent["ma_cu_key"])
            + " không có số liệu cho chỉ tiêu này"
        )
        .groupby(absent["dong_id"])
        .agg("; ".join)
    )
    missing = out["dong_id"].map(missing).astype(object).fillna("")
    mean = out["cach_gop"].isin([cat.POP_MEAN, cat.AREA_MEAN])
    value = (out["tich"] / out["tong_trong_so"]).where(mean, out["tong"])
    note = missing.str.cat(out["ly_do"].fillna(""), sep="; ").str.strip("; ")
    note = note.mask(
        (note == "") & (out["so_cach"] > 1),
        "các xã cũ ghi chỉ tiêu này theo những cách gộp khác nhau: " + out["cach_gop"].fillna(""),
    )
    note = note.mask(
        out["so_cach"].isna(), "danh mục không ghi chỉ tiêu 2020-2025 nào gộp vào chỉ tiêu này"
    )
    years = out["ma_moi_key"].map(new["nhiem_ky"]).map(_years)
    return out.assign(
        hien_trang_2025=value.where(note == "").round(4),
        ghi_chu_gop=note,
        cach_gop=out["cach_gop"].fillna(""),
        so_nam=years,
    ).pipe(gaps)


def _years(term: object) -> float:
    start, _, end = str(term).partition("-")
    return float(int(end) - int(start)) if start.isdigit() and end.isdigit() else np.nan


def gaps(out: pd.DataFrame) -> pd.DataFrame:
    """The gap from the baseline to the 2030 target, the average yearly change it needs
    (compound %/năm for amounts, điểm %/năm for rates), and whether the target is already
    behind the baseline."""
    lower = out["chieu"] == cat.LOWER
    numeric = out["muc_tieu__kind"].isin([NUMBER, RANGE])
    goal = out["muc_tieu__hi"].where(lower, out["muc_tieu__lo"]).where(numeric)
    base = out["hien_trang_2025"]
    percent = out["loai_don_vi"] == cat.PERCENT
    compound = ((goal / base) ** (1 / out["so_nam"]) - 1) * 100
    yearly = ((goal - base) / out["so_nam"]).where(percent, compound.where((base > 0) & (goal > 0)))
    decimals = out["muc_tieu__decimals"].fillna(0).astype(float)
    diff = (goal - base) * np.where(lower, -1.0, 1.0)
    behind = (diff < 0) & (np.round(diff * 10.0**decimals) != 0) & (out["chieu"] != cat.QUALITATIVE)
    return out.assign(
        muc_tieu_so=goal,
        chenh_lech=(goal - base).round(4),
        thay_doi_moi_nam=yearly.replace([np.inf, -np.inf], np.nan).round(2),
        don_vi_thay_doi=np.where(yearly.notna(), np.where(percent, "điểm %/năm", "%/năm"), ""),
        muc_tieu_thap_hon_hien_trang=behind.fillna(False),
    )

"""Where a result stands against its path to 2030, in the words and figures the tracking
workbook and the province roll-up both print: the year's point on the path, the gap to it
(better + or worse −, in the indicator's unit, and in years of the change the path plans), the
yearly change now needed, and a trend a sheet of paper can show (▲▼=).

Pure: a tracking line's values in (the judge's, `schemas.stages.Tracking`), texts out. Nothing
here rates a result: the signs and the years are the judge's, only written out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from pipeline.parse import format_vi
from schemas.stages import Baselines, Tracking

MINUS = "\u2212"  # a minus sign, which a line never breaks after
# the trend of a year's result: up, down, the same; none typed; the first, with none before it
UP, DOWN, SAME, NONE, FIRST = "▲", "▼", "=", "–", "•"
TREND_NOTE = (
    f"Diễn biến: {UP} tăng, {DOWN} giảm, {SAME} không đổi so với kết quả trước đó (năm đầu: "
    f"so với hiện trạng 2025), {FIRST} kết quả đầu tiên khi chưa có hiện trạng 2025, {NONE} "
    "năm chưa có kết quả."
)
GAP_NOTE = (
    "Hơn (+), kém (−) lộ trình: kết quả trừ mức lộ trình của cùng năm, theo đơn vị tính của "
    "chỉ tiêu; dấu + là tốt hơn lộ trình, dấu − là kém hơn (chỉ tiêu "
    "thấp hơn là tốt: thấp hơn lộ trình là +); 0 khi bằng lộ trình như số in. “Chậm 0,5 năm” "
    "(hay “nhanh”): khoảng cách ấy bằng nửa mức thay đổi mà lộ trình định cho năm đó."
)


def signed(value: float, decimals: int | None = 2) -> str:
    """A change in Vietnamese notation, its sign a minus sign: "−2,50" (`decimals` fixed, or
    None: up to two, as needed)."""
    text = format_vi(value, decimals) if decimals else format_vi(round(value, 2))
    return text.replace("-", MINUS)


def needed(line: Mapping) -> str:
    """The yearly change now needed, and the one planned below it: "5,76 %/năm" and
    "(kế hoạch 4,99)"; only the one planned where none is needed now."""
    unit = line[Baselines.don_vi_thay_doi]
    now, planned = line[Tracking.thay_doi_can], line[Baselines.thay_doi_moi_nam]
    plan = "" if pd.isna(planned) else signed(planned)
    if pd.isna(now):  # a line of its own: LibreOffice breaks no line before a minus sign
        return f"kế hoạch\n{plan} {unit}" if plan else ""
    return f"{signed(now)} {unit}" + (f"\n(kế hoạch {plan})" if plan else "")


def years(value: float) -> str:
    """A gap in years of planned change: "chậm 1,3 năm", "nhanh 0,2 năm"; none at 0."""
    if pd.isna(value) or value == 0:
        return ""
    shown = format_vi(round(abs(value), 1), 1)
    amount = f"dưới {format_vi(0.1, 1)}" if shown == format_vi(0, 1) else shown
    return f"{'chậm' if value < 0 else 'nhanh'} {amount} năm"


def gap(line: Mapping) -> str:
    """The gap to the path's point, better (+) or worse (−), and under it in years: "−0,79"
    and "chậm 0,5 năm"; nothing where there is no gap to give."""
    value = line[Tracking.chenh_lo_trinh]
    if pd.isna(value):
        return ""
    number = signed(value, None)
    number = f"+{number}" if value > 0 and number != format_vi(0) else number
    return "\n".join(t for t in (number, years(line[Tracking.nam_chenh])) if t)


def trend(values: Sequence[float]) -> str:
    """One mark a year (`values`: the baseline, then each year's result up to the latest
    reported, missing where none): ▲, ▼ or = against the latest figure before it, – where the
    year has none; empty where no year has a result."""
    if all(pd.isna(v) for v in values[1:]):
        return ""
    marks, before = [], values[0]
    for value in values[1:]:
        if pd.isna(value):
            marks.append(NONE)
            continue
        if pd.isna(before):
            marks.append(FIRST)
        else:
            marks.append(UP if value > before else DOWN if value < before else SAME)
        before = value
    return " ".join(marks)

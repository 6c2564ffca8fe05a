"""Through the term: each year's result against the path from the merged 2025 baseline to the
2030 target.

Pure and vectorised over every new commune at once. The path is the one `thay_doi_moi_nam`
plans (`merge.yearly_change`, drawn year by year by `merge.path_value`): points a year for a
percentage, compound for an amount. A year's result is compared with its point on the path, and
with the 2030 target itself, by the rating rules of the 2020-2025 tables (`score.rate`:
direction, bounds, ranges, precision as printed): better than its point is ahead of the path,
equal as printed is on it, worse is behind; a result that already meets the target has reached
it. A target without a path (no baseline, nothing to compound from, a target such as `Đạt`) is
tracked against the target alone; one in words cannot be tracked, and says why.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.columns import flag, none
from pipeline.judge.merge import path_value, yearly_change
from pipeline.judge.score import rate
from pipeline.parse import EMPTY, NUMBER, QUALITY, RANGE, format_vi, parse_term
from pipeline.problems import BACKWARDS, MISSED_FOR_GOOD, OFF_PATH, WARNING, Problem
from schemas.stages import (
    GOAL,
    PATH,
    RESULT,
    Baselines,
    IndicatorsRead,
    InfoRead,
    Located,
    OfCommune,
    Parsed,
    ResultRows,
    ResultRowsRead,
    Tracking,
    YearlyRead,
    YearlyResults,
)
from schemas.vocabulary import (
    AHEAD,
    BEHIND_PATH,
    DIRECTION,
    EXCEEDED,
    HIGHER,
    LOWER,
    MET,
    MISSED,
    NEW,
    NO_DATA,
    NOT_COMPARABLE,
    NOT_YET,
    ON_TRACK,
    PERCENT,
    REACHED,
    UNTRACKABLE,
)

FAR_YEARS = 2  # a result more years of its path away from its point than this is far off it
# a year's point on the path; the points FAR_YEARS before and after it (the path drawn on past
# its ends); the row's result before this year's (or its baseline)
BEFORE, AFTER = Parsed("lo_trinh_truoc"), Parsed("lo_trinh_sau")
PREVIOUS = Parsed("ket_qua_truoc")
RESULT_AT = [Tracking.tep_kq, Tracking.sheet_kq, Tracking.o_kq]  # where the year's result was typed


def track(baselines: pd.DataFrame, yearly: pd.DataFrame, info: pd.DataFrame) -> pd.DataFrame:
    """One line per Biểu 03 row and year of the term (its first year left out: the baseline's),
    for every new commune that typed at least one result: the result, its point on the path,
    its status (`trang_thai`) and why (`ly_do`); the planned yearly change and, on the line of
    the latest year with a result, the change now needed to reach the target. Years after the
    latest one the commune reported (`nam_bao_cao`) have no status."""
    results = _results(yearly)
    term = (
        info[info[InfoRead.loai] == NEW]
        .drop_duplicates(OfCommune.ma_xa)
        .set_index(OfCommune.ma_xa)[InfoRead.nhiem_ky]
        .map(parse_term)
        .dropna()
    )
    rows = baselines[
        baselines[OfCommune.ma_xa].isin(results[OfCommune.ma_xa])
        & baselines[OfCommune.ma_xa].isin(term.index)
    ]
    first = rows[OfCommune.ma_xa].map(lambda c: term[c][0])
    last = rows[OfCommune.ma_xa].map(lambda c: term[c][1])
    grid = (
        rows.assign(
            nam_dau=first,
            nam=[list(range(a + 1, b + 1)) for a, b in zip(first, last, strict=True)],
        )
        .explode(YearlyRead.nam)
        .astype({YearlyRead.nam: "int64", Tracking.nam_dau: "int64"})
        .merge(results, on=[OfCommune.ma_xa, Located.dong, YearlyRead.nam], how="left")
    )
    reported = results.groupby(OfCommune.ma_xa)[YearlyRead.nam].max()
    grid = grid.assign(
        nam_bao_cao=grid[OfCommune.ma_xa].map(reported).astype("int64"),
        **{
            RESULT.kind: grid[RESULT.kind].fillna(EMPTY),
            RESULT.text: grid[RESULT.text].fillna(""),
            RESULT.decimals: grid[RESULT.decimals].fillna(0).astype("int64"),
            **{c: grid[c].fillna("").astype("str") for c in RESULT_AT},
        },
    )
    return grid.pipe(_statuses).pipe(_needed).pipe(_gap).reset_index(drop=True)


def _rate(frame: pd.DataFrame, target: Parsed, labels=("chỉ tiêu", "kết quả")):
    """`score.rate` of the year's result against `target`, for a frame that may be empty."""
    if frame.empty:
        return np.array([], dtype=object), np.array([], dtype=object)
    return rate(frame, target, RESULT, labels)


def _results(yearly: pd.DataFrame) -> pd.DataFrame:
    """The results that belong to a Biểu 03 row, once per row and year, where they were typed."""
    found = yearly[yearly[YearlyResults.dong_muc_tieu].notna()].drop_duplicates(
        [OfCommune.ma_xa, YearlyResults.dong_muc_tieu, YearlyRead.nam]
    )
    return pd.DataFrame(
        {
            OfCommune.ma_xa: found[OfCommune.ma_xa],
            Located.dong: found[YearlyResults.dong_muc_tieu].astype("int64"),
            YearlyRead.nam: found[YearlyRead.nam].astype("int64"),
            **{column: found[column] for column in RESULT.columns()},
            Tracking.tep_kq: found[Located.tep],
            Tracking.sheet_kq: found[Located.sheet],
            Tracking.o_kq: found[YearlyRead.cot] + found[Located.dong].astype(str),
        }
    )


def _point(frame: pd.DataFrame, name: Parsed, share: pd.Series, drawn: pd.Series) -> dict:
    """The parsed columns of the path's point after `share` of the term, where `drawn`: the 2030
    target's kind, bound and printed precision, at the path's value (a range: both ends)."""
    percent = frame[ResultRows.loai_don_vi] == PERCENT
    base = frame[Baselines.hien_trang_2025]
    lo = path_value(base, frame[GOAL.lo], share, percent).where(drawn)
    hi = path_value(base, frame[GOAL.hi], share, percent).where(drawn)
    value = hi.where(frame[IndicatorsRead.chieu] == LOWER, lo)
    return {
        name.kind: frame[GOAL.kind].where(drawn, EMPTY),
        name.op: frame[GOAL.op].where(drawn),
        name.lo: lo,
        name.hi: hi,
        name.denom: np.nan,
        name.decimals: frame[GOAL.decimals],
        name.quality: None,
        name.error: None,
        name.ambiguity: None,
        name.unit: None,
        name.note: None,
        name.text: value.map(lambda v: "" if pd.isna(v) else format_vi(round(v, 2))),
    }


def _statuses(grid: pd.DataFrame) -> pd.DataFrame:
    """Each line's status and why; the path where there is one, and why not where there is
    none; the numbers the charts draw."""
    goal_kind = grid[GOAL.kind]
    numeric_goal = goal_kind.isin([NUMBER, RANGE])
    sided = grid[IndicatorsRead.chieu].isin([HIGHER, LOWER])
    base = grid[Baselines.hien_trang_2025]
    share = (grid[YearlyRead.nam] - grid[Tracking.nam_dau]) / grid[Baselines.so_nam]
    percent = grid[ResultRows.loai_don_vi] == PERCENT

    untracked = flag(none(grid), goal_kind == EMPTY, lambda hit: "không có mục tiêu 2030 để so")
    untracked = flag(
        untracked,
        ~goal_kind.isin([EMPTY, NUMBER, RANGE, QUALITY]),
        lambda hit: (
            'mục tiêu 2030 "' + grid[GOAL.text][hit] + '" ghi bằng lời, không so được với '
            "kết quả từng năm"
        ),
    )
    untracked = flag(
        untracked,
        numeric_goal & ~sided,
        lambda hit: pd.Series(
            'danh mục không ghi chỉ tiêu này "cao hơn là tốt" hay "thấp hơn là tốt", nên kết '
            "quả không so được với mục tiêu bằng số",
            index=hit[hit].index,
        ),
    )
    trackable = untracked.isna()
    can_draw = trackable & numeric_goal & sided & base.notna() & (grid[Baselines.so_nam] > 0)
    drawn = can_draw & path_value(base, grid[Baselines.muc_tieu_so], share, percent).notna()
    no_path = flag(
        none(grid),
        trackable & numeric_goal & sided & base.isna(),
        lambda hit: (
            "không có lộ trình vì chưa có hiện trạng 2025: " + grid[Baselines.ghi_chu_gop][hit]
        ),
    )
    no_path = flag(
        no_path,
        can_draw & ~drawn,
        lambda hit: pd.Series(
            "không có lộ trình vì hiện trạng 2025 là "
            + base[hit].map(lambda v: format_vi(round(v, 2)))
            + ": mức tăng theo % mỗi năm không tính được từ số này",
            index=hit[hit].index,
        ),
    )
    year = grid[YearlyRead.nam].astype(str)
    frame = grid.assign(**_point(grid, PATH, share, drawn))
    reached, reached_why = _rate(frame, GOAL, ("mục tiêu 2030", "kết quả"))
    on_path, path_why = _rate(frame, PATH, ("lộ trình năm " + year, "kết quả"))
    result = frame[RESULT.kind] != EMPTY
    cases = [
        (frame[YearlyRead.nam] > frame[Tracking.nam_bao_cao], "", ""),
        (~trackable, UNTRACKABLE, untracked),
        (~result, NO_DATA, "chưa có kết quả năm " + year),
        (np.isin(reached, [EXCEEDED, MET]), REACHED, reached_why),
        (reached == NOT_COMPARABLE, UNTRACKABLE, reached_why),
        (drawn & (on_path == EXCEEDED), AHEAD, path_why),
        (drawn & (on_path == MET), ON_TRACK, path_why),
        (drawn & (on_path == MISSED), BEHIND_PATH, path_why),
    ]
    conditions = [np.asarray(c, dtype=bool) for c, _, _ in cases]
    status = np.select(conditions, [w for _, w, _ in cases], default=NOT_YET)
    short = pd.Series(reached_why, index=frame.index) + "; " + no_path.fillna("")
    why = np.select(
        conditions,
        [np.broadcast_to(np.asarray(r, dtype=object), len(frame)) for _, _, r in cases],
        default=short.str.rstrip("; ").to_numpy(object),
    )
    lower = frame[IndicatorsRead.chieu] == LOWER
    numeric = frame[RESULT.kind].isin([NUMBER, RANGE])
    return frame.assign(
        trang_thai=status,
        ly_do=why,
        co_lo_trinh=drawn,
        ghi_chu_lo_trinh=no_path.fillna(""),
        lo_trinh=frame[PATH.hi].where(lower, frame[PATH.lo]).astype(float),
        # a result printed as a range counts at its weaker end, as its rating does
        gia_tri=frame[RESULT.hi].where(lower, frame[RESULT.lo]).where(numeric).astype(float),
        theo_doi=trackable,
    )


def _needed(frame: pd.DataFrame) -> pd.DataFrame:
    """On the line of each row's latest year with a result, short of its target: the yearly
    change now needed to reach it by the end of the term, by the rule the plan used."""
    row = [OfCommune.ma_xa, Located.dong]
    latest = frame[YearlyRead.nam] == frame[YearlyRead.nam].where(
        frame[RESULT.kind] != EMPTY
    ).groupby([frame[c] for c in row]).transform("max")
    percent = frame[ResultRows.loai_don_vi] == PERCENT
    left = frame[Tracking.nam_dau] + frame[Baselines.so_nam] - frame[YearlyRead.nam]
    short = frame[Tracking.trang_thai].isin([AHEAD, ON_TRACK, BEHIND_PATH, NOT_YET])
    needed = yearly_change(frame[Tracking.gia_tri], frame[Baselines.muc_tieu_so], left, percent)
    needed = needed.where(latest & short & (left > 0)).replace([np.inf, -np.inf], np.nan)
    unit = np.where(percent, "điểm %/năm", "%/năm")
    shown = frame[Baselines.thay_doi_moi_nam].notna() | needed.notna()
    return frame.assign(
        thay_doi_can=needed.round(2).astype(float),
        don_vi_thay_doi=np.where(shown, unit, ""),
        moi_nhat=latest,
    )


def _gap(frame: pd.DataFrame) -> pd.DataFrame:
    """How far each result is from its point on the path, in the indicator's unit, better (+)
    or worse (−) whichever way is better: 0 where the rating finds the two equal as printed
    (on track); and that gap in years of the change the path plans for the year (its point
    less the year before's, or the baseline), where the path moves the better way (a target
    not better than its baseline plans no way forward to count in)."""
    better = pd.Series(np.where(frame[IndicatorsRead.chieu] == LOWER, -1.0, 1.0), index=frame.index)
    path = frame[Tracking.lo_trinh]
    gap = ((frame[Tracking.gia_tri] - path) * better).where(frame[Tracking.co_lo_trinh])
    gap = gap.where(frame[Tracking.trang_thai] != ON_TRACK, 0.0)
    before = path.groupby([frame[OfCommune.ma_xa], frame[Located.dong]]).shift(1)
    step = (path - before.fillna(frame[Baselines.hien_trang_2025])) * better
    return frame.assign(
        chenh_lo_trinh=gap.round(4).astype(float),
        nam_chenh=(gap / step).where(step > 0).round(2).astype(float),
    )


# ---------------------------------------------------------------------------- findings


def track_findings(lines: pd.DataFrame) -> list[Problem]:
    """What a person should look at in the results year by year, each pointed at the result's
    cell: a result worse than the year before (or than the 2025 baseline), a target missed at
    the end of the term, a latest result more than `FAR_YEARS` years of its path away."""
    return [*_backwards(lines), *_missed(lines), *_far(lines)]


def _finding(row, text: str, kind: str) -> Problem:
    return Problem(
        row[Tracking.tep_kq],
        row[Tracking.sheet_kq],
        row[Tracking.o_kq],
        text,
        WARNING,
        xa=str(row[OfCommune.ma_xa]),
        tt=str(row[ResultRows.muc]),
        loai=kind,
        nhom=str(row[ResultRows.nhom]),
        chi_tieu=str(row[ResultRowsRead.chi_tieu]),
    )


def _unit(row) -> str:
    return f" {row['don_vi']}" if row[ResultRowsRead.don_vi] else ""


def _backwards(lines: pd.DataFrame) -> list[Problem]:
    """A result worse than the row's result before it, or, for its first, than its baseline."""
    typed = lines[lines[RESULT.kind] != EMPTY].sort_values(
        [OfCommune.ma_xa, Located.dong, YearlyRead.nam]
    )
    if typed.empty:
        return []
    before = typed.groupby([OfCommune.ma_xa, Located.dong])[
        [*RESULT.columns(), YearlyRead.nam]
    ].shift(1)
    first = before[YearlyRead.nam].isna()
    base = typed[Baselines.hien_trang_2025]
    previous = {
        PREVIOUS.kind: before[RESULT.kind].where(~first, np.where(base.notna(), NUMBER, EMPTY)),
        PREVIOUS.op: "=",
        PREVIOUS.lo: before[RESULT.lo].where(~first, base),
        PREVIOUS.hi: before[RESULT.hi].where(~first, base),
        PREVIOUS.denom: np.nan,
        PREVIOUS.decimals: before[RESULT.decimals].where(~first, 0).fillna(0),
        PREVIOUS.quality: before[RESULT.quality].where(~first),
        PREVIOUS.text: before[RESULT.text].where(~first, ""),
    }
    frame = typed.assign(**previous)
    worse, _ = _rate(frame, PREVIOUS)
    numeric = frame[RESULT.kind].isin([NUMBER, RANGE]) & frame[PREVIOUS.kind].isin([NUMBER, RANGE])
    sided = frame[IndicatorsRead.chieu].isin([HIGHER, LOWER])
    lost = (frame[PREVIOUS.quality] == MET) & (frame[RESULT.quality] == MISSED)
    went_back = (numeric & sided & (worse == MISSED)) | lost
    problems = []
    for row, was_first, year, words in zip(
        frame[went_back].to_dict("records"),
        first[went_back],
        before[YearlyRead.nam][went_back],
        lost[went_back],
        strict=True,
    ):
        now = f'kết quả năm {row["nam"]} "{row[RESULT.text]}"'
        if words:
            text = f'{now}, trong khi năm {int(year)} đã "{row[PREVIOUS.text]}"'
        else:
            sense = DIRECTION[row[IndicatorsRead.chieu]]
            if was_first:
                earlier = (
                    f"hiện trạng 2025 ({format_vi(round(row['hien_trang_2025'], 2))}{_unit(row)}"
                    ", gộp từ các xã cũ)"
                )
            else:
                earlier = f'năm {int(year)} ("{row[PREVIOUS.text]}")'
            text = f"{now} kém hơn {earlier}, trong khi chỉ tiêu này {sense.better} hơn là tốt"
        problems.append(_finding(row, text, BACKWARDS))
    return problems


def _missed(lines: pd.DataFrame) -> list[Problem]:
    """A result of the term's last year that does not meet the target."""
    last = lines[YearlyRead.nam] == lines[Tracking.nam_dau] + lines[Baselines.so_nam]
    short = lines[Tracking.trang_thai].isin([AHEAD, ON_TRACK, BEHIND_PATH, NOT_YET])
    frame = lines[last & short]
    if frame.empty:
        return []
    _, why = _rate(frame, GOAL, ("mục tiêu 2030", "kết quả"))
    return [
        _finding(row, f"hết nhiệm kỳ mà chưa đạt mục tiêu: {reason}", MISSED_FOR_GOOD)
        for row, reason in zip(frame.to_dict("records"), why, strict=True)
    ]


def _far(lines: pd.DataFrame) -> list[Problem]:
    """A row's latest result more than FAR_YEARS years of its path behind or ahead of its point
    (a target not better than its baseline has no way forward to be measured along)."""
    worse_goal = (
        lines[Baselines.muc_tieu_thap_hon_hien_trang] | lines[Baselines.muc_tieu_bang_hien_trang]
    )
    candidates = lines[
        lines[Tracking.moi_nhat]
        & lines[Tracking.co_lo_trinh]
        & ~worse_goal
        & lines[Tracking.trang_thai].isin([AHEAD, BEHIND_PATH])
    ]
    if candidates.empty:
        return []
    share = (candidates[YearlyRead.nam] - candidates[Tracking.nam_dau]) / candidates[
        Baselines.so_nam
    ]
    step = FAR_YEARS / candidates[Baselines.so_nam]
    drawn = candidates[Tracking.co_lo_trinh]
    frame = candidates.assign(
        **_point(candidates, BEFORE, share - step, drawn),
        **_point(candidates, AFTER, share + step, drawn),
    )
    behind, _ = _rate(frame, BEFORE)
    ahead, _ = _rate(frame, AFTER)
    problems = []
    for row, late, early in zip(
        frame.to_dict("records"), behind == MISSED, ahead == EXCEEDED, strict=True
    ):
        now = f'kết quả năm {row["nam"]} "{row[RESULT.text]}"'
        point = f"lộ trình năm {row['nam']} là {row[PATH.text]}{_unit(row)}"
        if late:
            then = f"năm {row['nam'] - FAR_YEARS} ({row[BEFORE.text]}{_unit(row)})"
            text = (
                f"{now} chậm hơn lộ trình quá {FAR_YEARS} năm: {point}, kết quả này còn kém "
                f"mức lộ trình của {then}"
            )
        elif early:
            then = f"năm {row['nam'] + FAR_YEARS} ({row[AFTER.text]}{_unit(row)})"
            text = (
                f"{now} nhanh hơn lộ trình quá {FAR_YEARS} năm: {point}, kết quả này đã vượt "
                f"mức lộ trình của {then}; xem lại số liệu, hoặc mục tiêu 2030 có đặt thấp không"
            )
        else:
            continue
        problems.append(_finding(row, text, OFF_PATH))
    return problems

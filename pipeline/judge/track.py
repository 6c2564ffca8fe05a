"""Through the term: each year's result against the path from the merged 2025 baseline to the
2030 target, as the kind of the target means it (`kinds.MEANINGS`).

Pure and vectorised over every new commune at once. A level's path is the one
`thay_doi_moi_nam` plans (`merge.yearly_change`, drawn year by year by `merge.path_value`):
points a year for a percentage, compound for an amount. A term total's path is the target
spread evenly over the term, and a year is judged by the running total of the term's results
so far. A target to meet every year, or a rate, is its own point each year. A year's result
is compared with its point on the path, and with the 2030 target itself, by the rating rules
of the 2020-2025 tables (`score.rate`: direction, bounds, ranges, precision as printed):
better than its point is ahead of the path, equal as printed is on it, worse is behind (for a
target to meet every year: missed for that year, for good); a result that already meets the
target has reached it (a level, a term total). A target without a path (no baseline, nothing
to compound from, a target such as `Đạt`) is tracked against the target alone; one in words
cannot be tracked, and says why.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.columns import flag, none
from pipeline.judge import kinds
from pipeline.judge.kinds import FLAT, SPREAD, STEPPED
from pipeline.judge.merge import path_value, yearly_change
from pipeline.judge.score import rate
from pipeline.parse import EMPTY, NUMBER, QUALITY, RANGE, format_vi, parse_term
from schemas.stages import (
    GOAL,
    JUDGED,
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
    ScoredRows,
    Tracking,
    YearlyRead,
    YearlyResults,
    conform,
)
from schemas.vocabulary import (
    AHEAD,
    BEHIND_PATH,
    EXCEEDED,
    HIGHER,
    LOWER,
    MET,
    MISSED,
    MISSED_YEAR,
    NEW,
    NO_DATA,
    NOT_COMPARABLE,
    NOT_YET,
    ON_TRACK,
    PERCENT,
    REACHED,
    UNTRACKABLE,
)

RESULT_AT = [Tracking.tep_kq, Tracking.sheet_kq, Tracking.o_kq]  # where the year's result was typed


def track(baselines: pd.DataFrame, yearly: pd.DataFrame, info: pd.DataFrame) -> pd.DataFrame:
    """One line per Biểu 03 row and year of the term (its first year left out: the baseline's),
    for every new commune that typed at least one result: the result, its point on the path,
    its status (`trang_thai`) and why (`ly_do`); the planned yearly change and, on the line of
    the latest year with a result, the change now needed to reach the target. Years after the
    latest one the commune reported (`nam_bao_cao`) have no status."""
    if _untracked_record(yearly):  # nothing typed year by year, as in most records
        return _no_lines(baselines, yearly, info, False)
    return _tracked(baselines, _results(yearly), info)


def conformed(baselines: pd.DataFrame, yearly: pd.DataFrame, info: pd.DataFrame) -> pd.DataFrame:
    """`track`'s lines in the types of `Tracking` (`conform`), as the judgement holds them."""
    if _untracked_record(yearly):  # no lines: retyping their ~125 columns is kept with them
        return _no_lines(baselines, yearly, info, True)
    return conform(Tracking, _tracked(baselines, _results(yearly), info))


def _untracked_record(yearly: pd.DataFrame) -> bool:
    """No result year by year belongs to a Biểu 03 row (`_results` would find none)."""
    return not yearly[YearlyResults.dong_muc_tieu].notna().any()


def _no_lines(baselines, yearly, info, conformed: bool) -> pd.DataFrame:
    """The lines of a record without results year by year (conformed or not), a copy. What the
    steps of `_results` and `_tracked` give on no lines depends only on their inputs' columns
    and types, so it is made once per such shape (a step costs the same on no rows: ~40 ms in
    all)."""
    shape = (tuple(baselines.dtypes.items()), tuple(yearly.dtypes.items()), conformed)
    if shape not in _UNTRACKED:
        lines = _tracked(baselines, _results(yearly), info)
        _UNTRACKED[shape] = conform(Tracking, lines) if conformed else lines
    return _UNTRACKED[shape].copy(deep=False)  # copy on write: a change to it is its own


# the lines of a record without results year by year, by the shape of their inputs and whether
# they are conformed (a handful)
_UNTRACKED: dict[tuple, pd.DataFrame] = {}


def _tracked(baselines: pd.DataFrame, results: pd.DataFrame, info: pd.DataFrame) -> pd.DataFrame:
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


def track_rate(frame: pd.DataFrame, target: Parsed, labels=("chỉ tiêu", "kết quả"), result=RESULT):
    """`score.rate` of the year's `result` against `target`, for a frame that may be empty."""
    if frame.empty:
        return np.array([], dtype=object), np.array([], dtype=object)
    return rate(frame, target, result, labels)


def judged(frame: pd.DataFrame, target: Parsed, label: str | pd.Series):
    """`score.rate` of what each year is judged by (`JUDGED`) against `target` (named `label`):
    a running total is named as one ("kết quả cộng dồn")."""
    status = np.empty(len(frame), dtype=object)
    why = np.empty(len(frame), dtype=object)
    running = kinds.of(frame[ResultRows.loai_muc_tieu], "running_total").astype(bool)
    for part, said in ((running, "kết quả cộng dồn"), (~running, "kết quả")):
        if part.any():
            named = label[part] if isinstance(label, pd.Series) else label
            status[part.to_numpy()], why[part.to_numpy()] = track_rate(
                frame[part], target, (named, said), JUDGED
            )
    return status, why


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


def _running(grid: pd.DataFrame) -> dict:
    """The parsed columns of what each year is judged by (`JUDGED`): the year's result, or, for
    a kind judged by its running total, the total of the term's results up to the year (empty
    from the first year without a number: a total with a year missing is not known)."""
    row = [grid[OfCommune.ma_xa], grid[Located.dong]]
    numeric = grid[RESULT.kind].isin([NUMBER, RANGE])
    gap = (~numeric).astype(int).groupby(row).cummax().astype(bool)
    lo = grid[RESULT.lo].where(numeric, 0.0).astype(float).groupby(row).cumsum().where(~gap)
    hi = grid[RESULT.hi].where(numeric, 0.0).astype(float).groupby(row).cumsum().where(~gap)
    ranged = (grid[RESULT.kind] == RANGE).astype(int).groupby(row).cummax().astype(bool)
    decimals = grid[RESULT.decimals].groupby(row).cummax()
    both = lo.map(_text).astype("str") + "-" + hi.map(_text).astype("str")
    running = kinds.of(grid[ResultRows.loai_muc_tieu], "running_total").astype(bool)
    total = {
        JUDGED.kind: pd.Series(np.where(ranged, RANGE, NUMBER), index=grid.index).where(
            ~gap, EMPTY
        ),
        JUDGED.op: pd.Series("=", index=grid.index).where(~gap),
        JUDGED.lo: lo,
        JUDGED.hi: hi,
        JUDGED.denom: np.nan,
        JUDGED.decimals: decimals,
        JUDGED.quality: None,
        JUDGED.error: None,
        JUDGED.ambiguity: None,
        JUDGED.unit: None,
        JUDGED.note: None,
        JUDGED.text: both.where(ranged, lo.map(_text).astype("str")).where(~gap, ""),
    }
    return {
        getattr(JUDGED, part): pd.Series(value, index=grid.index).where(
            running, grid[getattr(RESULT, part)]
        )
        for part, value in ((c.split("__")[1], v) for c, v in total.items())
    }


def _text(value: float) -> str:
    return "" if pd.isna(value) else format_vi(round(value, 2))


def point(frame: pd.DataFrame, name: Parsed, share: pd.Series, drawn: pd.Series) -> dict:
    """The parsed columns of the path's point after `share` of the term, where `drawn`: the 2030
    target's kind, bound and printed precision, at the path's value (a range: both ends). A
    level's path runs from the baseline, a term total's from 0; a target to meet every year, or
    a rate, is its own point each year."""
    path = kinds.of(frame[ResultRows.loai_muc_tieu], "path")
    flat = path == FLAT
    straight = (frame[ResultRows.loai_don_vi] == PERCENT) | (path == SPREAD)
    start = frame[Baselines.hien_trang_2025].where(path == STEPPED, 0.0)
    lo = path_value(start, frame[GOAL.lo], share, straight)
    hi = path_value(start, frame[GOAL.hi], share, straight)
    lo, hi = lo.mask(flat, frame[GOAL.lo]).where(drawn), hi.mask(flat, frame[GOAL.hi]).where(drawn)
    value = hi.where(frame[IndicatorsRead.chieu] == LOWER, lo)
    return {
        name.kind: frame[GOAL.kind].where(drawn, EMPTY),
        name.op: frame[GOAL.op].where(drawn),
        name.lo: lo,
        name.hi: hi,
        name.denom: np.nan,
        name.decimals: frame[GOAL.decimals],
        name.quality: frame[GOAL.quality].where(flat & drawn),
        name.error: None,
        name.ambiguity: None,
        name.unit: None,
        name.note: None,
        name.text: value.map(_text).mask(flat & drawn, frame[GOAL.text]),
    }


def _untracked(grid: pd.DataFrame) -> pd.Series:
    """Why a row cannot be tracked at all (missing where it can)."""
    goal_kind = grid[GOAL.kind]
    sided = grid[IndicatorsRead.chieu].isin([HIGHER, LOWER])
    untracked = flag(none(grid), goal_kind == EMPTY, lambda hit: "không có mục tiêu 2030 để so")
    untracked = flag(
        untracked,
        ~goal_kind.isin([EMPTY, NUMBER, RANGE, QUALITY]),
        lambda hit: (
            'mục tiêu 2030 "' + grid[GOAL.text][hit] + '" ghi bằng lời, không so được với '
            "kết quả từng năm"
        ),
    )
    return flag(
        untracked,
        goal_kind.isin([NUMBER, RANGE]) & ~sided,
        lambda hit: pd.Series(
            'danh mục không ghi chỉ tiêu này "cao hơn là tốt" hay "thấp hơn là tốt", nên kết '
            "quả không so được với mục tiêu bằng số",
            index=hit[hit].index,
        ),
    )


def _paths(grid: pd.DataFrame, trackable: pd.Series, share: pd.Series):
    """Which lines have a path to be judged against (`drawn`), and why not where a level has
    none: no baseline, or nothing to compound from. A term total's path needs no baseline; a
    target to meet every year, or a rate, is its own path."""
    path = kinds.of(grid[ResultRows.loai_muc_tieu], "path")
    numeric_goal = grid[GOAL.kind].isin([NUMBER, RANGE])
    sided = grid[IndicatorsRead.chieu].isin([HIGHER, LOWER])
    base = grid[Baselines.hien_trang_2025]
    percent = grid[ResultRows.loai_don_vi] == PERCENT
    years = grid[Baselines.so_nam] > 0
    level = trackable & numeric_goal & sided & (path == STEPPED)
    can_draw = level & base.notna() & years
    drawn = (
        (can_draw & path_value(base, grid[Baselines.muc_tieu_so], share, percent).notna())
        | (trackable & numeric_goal & sided & years & (path == SPREAD))
        | (trackable & (numeric_goal & sided | (grid[GOAL.kind] == QUALITY)) & (path == FLAT))
    )
    no_path = flag(
        none(grid),
        level & base.isna(),
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
    return drawn, no_path


def _statuses(grid: pd.DataFrame) -> pd.DataFrame:
    """Each line's status and why; the path where there is one, and why not where there is
    none; the numbers the charts draw."""
    share = (grid[YearlyRead.nam] - grid[Tracking.nam_dau]) / grid[Baselines.so_nam]
    untracked = _untracked(grid)
    trackable = untracked.isna()
    drawn, no_path = _paths(grid, trackable, share)
    year = grid[YearlyRead.nam].astype(str)
    frame = grid.assign(**_running(grid), **point(grid, PATH, share, drawn))
    meaning = {
        field: kinds.of(frame[ResultRows.loai_muc_tieu], field).astype(bool)
        for field in ("reached", "missed_each_year", "running_total")
    }
    path = kinds.of(frame[ResultRows.loai_muc_tieu], "path")
    flat = path == FLAT
    named = ("mục tiêu năm " + year).where(flat, "lộ trình năm " + year)
    reached, reached_why = judged(frame, GOAL, "mục tiêu 2030")
    on_path, path_why = judged(frame, PATH, named)
    result = frame[JUDGED.kind] != EMPTY
    # a term total where lower is better is a cap: a running total under it has reached
    # nothing before the term ends, and one past it can never come back under it
    cap = meaning["running_total"] & (frame[IndicatorsRead.chieu] == LOWER)
    ends = frame[YearlyRead.nam] >= frame[Tracking.nam_dau] + frame[Baselines.so_nam]
    broken = (
        'tổng cộng dồn "'
        + frame[JUDGED.text]
        + '" đã quá mức cả nhiệm kỳ "'
        + frame[GOAL.text]
        + '": không còn đạt được trong nhiệm kỳ'
    )
    cases = [
        (frame[YearlyRead.nam] > frame[Tracking.nam_bao_cao], "", ""),
        (~trackable, UNTRACKABLE, untracked),
        (~result, NO_DATA, _no_result(frame, meaning["running_total"])),
        (
            cap & (reached == MISSED),
            BEHIND_PATH,
            broken,
        ),
        (
            meaning["reached"] & np.isin(reached, [EXCEEDED, MET]) & ~(cap & ~ends),
            REACHED,
            reached_why,
        ),
        (reached == NOT_COMPARABLE, UNTRACKABLE, reached_why),
        (drawn & (on_path == EXCEEDED), AHEAD, path_why),
        (drawn & (on_path == MET), ON_TRACK, path_why),
        (drawn & (on_path == MISSED) & meaning["missed_each_year"], MISSED_YEAR, path_why),
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
    numeric = frame[JUDGED.kind].isin([NUMBER, RANGE])
    return frame.assign(
        trang_thai=status,
        ly_do=why,
        co_lo_trinh=drawn & ~flat,  # a target the same each year is its own point, no path
        ghi_chu_lo_trinh=no_path.fillna(""),
        lo_trinh=frame[PATH.hi].where(lower, frame[PATH.lo]).astype(float),
        lo_trinh_dau=frame[Baselines.hien_trang_2025]
        .where(path == STEPPED, 0.0)
        .where(~flat & drawn)
        .astype(float),
        # a result printed as a range counts at its weaker end, as its rating does
        gia_tri=frame[JUDGED.hi].where(lower, frame[JUDGED.lo]).where(numeric).astype(float),
        theo_doi=trackable,
    ).pipe(_standing)


def _no_result(frame: pd.DataFrame, running: pd.Series) -> pd.Series:
    """Why a year has nothing to be judged by: no result typed; or, for a running total, a
    year before it (the first) without a number."""
    year = frame[YearlyRead.nam].astype(str)
    missing = frame[YearlyRead.nam].where(~frame[RESULT.kind].isin([NUMBER, RANGE]))
    row = [frame[OfCommune.ma_xa], frame[Located.dong]]
    first = missing.groupby(row).cummin().groupby(row).ffill()  # cummin leaves NaN where NaN
    return ("chưa có kết quả năm " + year).where(
        (frame[RESULT.kind] == EMPTY) | ~running,
        "chưa cộng dồn được: năm "
        + first.map(lambda y: "" if pd.isna(y) else str(int(y))).astype("str")
        + " chưa có kết quả bằng số",
    )


def _standing(frame: pd.DataFrame) -> pd.DataFrame:
    """Where each row stands as of each year: its year's status, but for a target to meet every
    year, a year missed stands in every later year, and a later year's reason says so."""
    row = [frame[OfCommune.ma_xa], frame[Located.dong]]
    missed = frame[Tracking.trang_thai] == MISSED_YEAR
    before = missed.astype(int).groupby(row).cummax().astype(bool)
    later = before & ~missed & (frame[Tracking.trang_thai] != "")
    # the years missed before each line, in order: a term has a handful of years
    years = frame[YearlyRead.nam].astype(str).where(missed, "")
    listed = pd.Series("", index=frame.index)
    span = int(frame.groupby(row).size().max()) if len(frame) else 0
    for back in range(span - 1, 0, -1):
        earlier = years.groupby(row).shift(back).fillna("")
        listed = listed.mask(earlier != "", (listed + ", " + earlier).str.lstrip(", "))
    return frame.assign(
        trang_thai_den_nay=frame[Tracking.trang_thai].mask(later, MISSED_YEAR),
        nam_khong_dat=listed.where(later, ""),
        ly_do=frame[ScoredRows.ly_do].mask(
            later, frame[ScoredRows.ly_do] + "; năm " + listed + " đã không đạt mục tiêu năm"
        ),
    )


def _needed(frame: pd.DataFrame) -> pd.DataFrame:
    """On the line of each row's latest year with a result, short of its target: the yearly
    change now needed to reach it by the end of the term, by the rule the plan used (a level:
    as `merge.yearly_change`; a term total: what remains, spread over the years left, in the
    row's unit). A target to meet every year, or a rate, needs no change: the target itself."""
    row = [OfCommune.ma_xa, Located.dong]
    latest = frame[YearlyRead.nam] == frame[YearlyRead.nam].where(
        frame[RESULT.kind] != EMPTY
    ).groupby([frame[c] for c in row]).transform("max")
    rule = kinds.of(frame[ResultRows.loai_muc_tieu], "yearly_change")
    spread = rule == SPREAD
    percent = frame[ResultRows.loai_don_vi] == PERCENT
    left = frame[Tracking.nam_dau] + frame[Baselines.so_nam] - frame[YearlyRead.nam]
    short = frame[Tracking.trang_thai].isin([AHEAD, ON_TRACK, BEHIND_PATH, NOT_YET])
    goal, now = frame[Baselines.muc_tieu_so], frame[Tracking.gia_tri]
    needed = yearly_change(now, goal, left, percent).where(rule == STEPPED, (goal - now) / left)
    # a cap already passed (a term total where lower is better) can no longer be met
    passed = (frame[IndicatorsRead.chieu] == LOWER) & spread & (now > goal)
    needed = needed.where(latest & short & (left > 0) & rule.notna() & ~passed)
    needed = needed.replace([np.inf, -np.inf], np.nan)
    unit = np.where(
        spread,
        kinds.per_year(frame[ResultRowsRead.don_vi]),
        np.where(percent, "điểm %/năm", "%/năm"),
    )
    shown = frame[Baselines.thay_doi_moi_nam].notna() | needed.notna()
    return frame.assign(
        thay_doi_can=needed.round(2).astype(float),
        don_vi_thay_doi=np.where(shown, unit, ""),
        moi_nhat=latest,
    )


def years_off(frame: pd.DataFrame) -> pd.Series:
    """How many years of the planned change each line's result (`gia_tri`) is behind its point
    on the path (ahead: below 0): where on the path, drawn on past its ends, the result lies,
    against the years gone. Missing where the path does not change (a target the same each
    year, or equal to its baseline) or cannot be drawn."""
    path = kinds.of(frame[ResultRows.loai_muc_tieu], "path")
    value, goal = frame[Tracking.gia_tri], frame[Baselines.muc_tieu_so]
    start = frame[Baselines.hien_trang_2025].where(path == STEPPED, 0.0)
    straight = (frame[ResultRows.loai_don_vi] == PERCENT) | (path == SPREAD)
    with np.errstate(divide="ignore", invalid="ignore"):
        along = ((value - start) / (goal - start)).where(
            straight, np.log(value / start) / np.log(goal / start)
        )
    at = along * frame[Baselines.so_nam]
    gone = frame[YearlyRead.nam] - frame[Tracking.nam_dau]
    sign = np.where(frame[IndicatorsRead.chieu] == LOWER, -1.0, 1.0)
    better = np.sign((goal - start) * sign)  # the path goes the better way (1) or the worse (-1)
    off = ((gone - at) * better).where((path != FLAT) & (better != 0) & frame[Tracking.co_lo_trinh])
    return off.replace([np.inf, -np.inf], np.nan)


def _gap(frame: pd.DataFrame) -> pd.DataFrame:
    """How far each result is from its point on the path (for a target the same each year, the
    target itself), in the indicator's unit, better (+) or worse (−) whichever way is better: 0
    where the rating finds the two equal as printed (on track); and that gap in years of the
    change the path plans for the year (its point less the year before's, or where the path
    starts: the baseline for a level, 0 for a term total), where the path moves the better way
    (a target not better than its baseline plans no way forward to count in, a target the same
    each year none at all)."""
    better = pd.Series(np.where(frame[IndicatorsRead.chieu] == LOWER, -1.0, 1.0), index=frame.index)
    path = frame[Tracking.lo_trinh]
    gap = ((frame[Tracking.gia_tri] - path) * better).where(frame[Tracking.theo_doi])
    gap = gap.where(frame[Tracking.trang_thai] != ON_TRACK, 0.0).where(path.notna())
    before = path.groupby([frame[OfCommune.ma_xa], frame[Located.dong]]).shift(1)
    step = (path - before.fillna(frame[Tracking.lo_trinh_dau])) * better
    return frame.assign(
        chenh_lo_trinh=gap.round(4).astype(float),
        nam_chenh=(gap / step).where(step > 0).round(2).astype(float),
    )

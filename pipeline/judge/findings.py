"""Findings: what the judgement stages see in a clean record that a person should look at.

Each is a `Problem` of level FINDING (the vocabulary's "phát hiện": what a reader of the annex
should know, apart from the record's errors and warnings) pointed at the raw cell it is about: a
published rating the data does not bear out, a tally that does not add up, a 2030 target already
behind the merged 2025 baseline; and in the results year by year, a result that went back, a
target missed (for a year, or at the end of the term), a result far off its path.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from pipeline.judge import kinds
from pipeline.judge.score import sentence
from pipeline.judge.track import judged, point, track_rate, years_off
from pipeline.parse import EMPTY, NUMBER, RANGE, TEXT, figures_in, format_vi
from pipeline.problems import (
    BACKWARDS,
    BEHIND,
    MISSED_FOR_GOOD,
    MISSED_THAT_YEAR,
    OFF_PATH,
    PROSE,
    RATING,
    TALLY,
    Problem,
    at_cell,
    rating_kept,
)
from schemas.stages import (
    AT_ROW,
    GOAL,
    GOAL_PROSE,
    JUDGED,
    PATH,
    RESULT,
    RESULT_PROSE,
    TARGET,
    TARGET_PROSE,
    Baselines,
    IndicatorsRead,
    Info,
    InfoRead,
    Located,
    OfCommune,
    Parsed,
    ResultRows,
    ResultRowsRead,
    ScoredRows,
    Tracking,
    YearlyRead,
)
from schemas.vocabulary import (
    AHEAD,
    BEHIND_PATH,
    DIRECTION,
    EXCEEDED,
    FINDING,
    HIGHER,
    LOWER,
    MET,
    MISSED,
    MISSED_YEAR,
    NOT_YET,
    OLD,
    ON_TRACK,
)

Cell = Callable[[str, str, str, object], str]


def records(frame: pd.DataFrame, where: pd.Series | np.ndarray, columns: list[str]) -> list[dict]:
    """The rows a finding is about, with only the columns it says: a country's tables are
    wide, and records of every column would cost seconds. None where none is about a row."""
    if not where.any():
        return []
    return frame.loc[where, [*AT_ROW, *columns]].to_dict("records")


def rating_findings(scored: pd.DataFrame, cell: Cell) -> list[Problem]:
    """Every row whose published rating differs from the computed one, with the reason; where
    the officer kept the published rating, the finding records it and the reason given. A
    rating beside an empty result is validation's warning, at the result's cell."""
    differs = (
        (scored[ResultRowsRead.danh_gia] != "")
        & (scored[ResultRowsRead.danh_gia] != scored[ScoredRows.danh_gia_tinh])
        & (scored[RESULT.kind] != EMPTY)
    )
    said = [
        ResultRowsRead.danh_gia,
        ScoredRows.danh_gia_tinh,
        ScoredRows.ly_do,
        ResultRowsRead.giu_danh_gia,
        ResultRowsRead.ly_do_giu,
    ]
    return [
        at_cell(
            row,
            "danh_gia",
            f'đánh giá công bố "{row["danh_gia"]}" khác đánh giá tính lại '
            f'"{row["danh_gia_tinh"]}": {row["ly_do"]}' + rating_kept(row),
            cell,
            RATING,
            level=FINDING,
        )
        for row in records(scored, differs, said)
    ]


PROSE_COUNTS = {InfoRead.vuot_bc: EXCEEDED, InfoRead.dat_bc: MET, InfoRead.khong_dat_bc: MISSED}


def tally_findings(tally: pd.DataFrame, info: pd.DataFrame, cell: Cell) -> list[Problem]:
    """Where the published ratings, rolled up, differ from the counts the prose gives; and where
    the computed tally differs from the published one."""
    problems = []
    said = [
        Located.tep,
        Located.sheet,
        Located.dong,
        Info.so_chi_tieu_bc__so,
        *(f"{column}__so" for column in PROSE_COUNTS),
    ]
    facts = (
        info.loc[info[InfoRead.loai] == OLD, [OfCommune.ma_xa, *said]]
        .drop_duplicates(OfCommune.ma_xa)
        .set_index(OfCommune.ma_xa)
        .to_dict("index")
    )
    for row in tally.to_dict("records"):
        commune = facts[row[OfCommune.ma_xa]]
        published = row["cau_tong_hop_cong_bo"]
        prose_counts = {rating: commune[f"{col}__so"] for col, rating in PROSE_COUNTS.items()}
        if all(pd.notna(v) for v in prose_counts.values()):
            prose = sentence({k: int(v) for k, v in prose_counts.items()})
            if pd.notna(commune[Info.so_chi_tieu_bc__so]):
                prose = f"{int(commune['so_chi_tieu_bc__so'])}" + prose[prose.index(" ") :]
            if prose != published:
                problems.append(
                    Problem(
                        commune[Located.tep],
                        commune[Located.sheet],
                        cell(
                            commune[Located.tep],
                            commune[Located.sheet],
                            "vuot_bc",
                            commune[Located.dong],
                        ),
                        f"phần thuyết minh ghi {prose}; cột Đánh giá của biểu cộng lại là "
                        f"{published}",
                        FINDING,
                        xa=row[OfCommune.ma_xa],
                        loai=TALLY,
                    )
                )
        if row["cau_tong_hop_tinh"] != published:
            problems.append(
                Problem(
                    row[Located.tep],
                    row["_sheet_bieu"],
                    "",
                    f"tính lại từ chỉ tiêu và kết quả: {row['cau_tong_hop_tinh']}; biểu công bố: "
                    f"{published}",
                    FINDING,
                    xa=row[OfCommune.ma_xa],
                    loai=TALLY,
                )
            )
    return problems


def baseline_findings(lines: pd.DataFrame, cell: Cell) -> list[Problem]:
    """A 2030 target worse than the baseline the old communes already reached in 2025, or only
    equal to it, at the precision the target is printed with."""
    behind = (
        lines[Baselines.muc_tieu_thap_hon_hien_trang] | lines[Baselines.muc_tieu_bang_hien_trang]
    )
    said = [
        GOAL.text,
        Baselines.muc_tieu_bang_hien_trang,
        IndicatorsRead.chieu,
        Baselines.hien_trang_2025,
        ResultRowsRead.don_vi,
    ]
    said.append("cach_gop")
    sense = lambda row: DIRECTION.get(row[IndicatorsRead.chieu], DIRECTION[HIGHER])  # noqa: E731

    def compared(row) -> str:
        if row[Baselines.muc_tieu_bang_hien_trang]:
            return "chỉ bằng"
        return f"{sense(row).worse} hơn"

    return [
        at_cell(
            row,
            "muc_tieu",
            f'mục tiêu 2030 "{row[GOAL.text]}" {compared(row)} mức các xã hợp thành đã đạt '
            f"năm 2025 ({format_vi(round(row['hien_trang_2025'], 2))} {row['don_vi']}, "
            f"{row['cach_gop'].lower()}), trong khi chỉ tiêu này "
            f"{sense(row).better} hơn là tốt",
            cell,
            BEHIND,
            level=FINDING,
        )
        for row in records(lines, behind, said)
    ]


# (table column, prose column, where the prose is, what the figure is)
PROSE_PAIRS = {
    "rows": [
        (TARGET, TARGET_PROSE, "phần hai", "chỉ tiêu NQ"),
        (RESULT, RESULT_PROSE, "phần hai", "kết quả"),
    ],
    "targets": [(GOAL, GOAL_PROSE, "phần ba", "mục tiêu")],
}


def prose_findings(frame: pd.DataFrame, kind: str, cell: Cell) -> list[Problem]:
    """Where the report's prose prints a different figure for a row than its table does. Numbers
    and ranges are compared as printed (1,990 = 1,99); the words around them (trên, ≥) are not.
    Where both are words ("Duy trì 01 DN, 03 HTX; thành lập mới 02 HTX"), the figures the prose
    prints must be found among the table's, in order (`figures_in`)."""
    problems = []

    # the columns compared as arrays: a pandas step costs a tenth of a millisecond whatever its
    # rows, and a row's table and prose take a dozen
    def number(column: str) -> np.ndarray:
        return frame[column].to_numpy(dtype=float, na_value=np.nan)

    for table, prose, part, what in PROSE_PAIRS[kind]:
        t_kind, p_kind = frame[table.kind].to_numpy(object), frame[prose.kind].to_numpy(object)
        numeric = np.isin(t_kind, [NUMBER, RANGE]) & np.isin(p_kind, [NUMBER, RANGE])
        scale = 10.0 ** np.maximum(number(table.decimals), number(prose.decimals))
        worded = (t_kind == TEXT) & (p_kind == TEXT)
        differs = numeric & (
            (np.round((number(table.lo) - number(prose.lo)) * scale) != 0)
            | (np.round((number(table.hi) - number(prose.hi)) * scale) != 0)
        )
        if worded.any():
            said = zip(
                frame[prose.text].to_numpy(object)[worded],
                frame[table.text].to_numpy(object)[worded],
                strict=True,
            )
            differs[worded] |= np.array([figures_in(p, t) is not None for p, t in said], bool)
        problems += [
            at_cell(
                row,
                prose.name,
                f'{part} của báo cáo ghi {what} "{row[prose.text]}", biểu ghi "{row[table.text]}"',
                cell,
                PROSE,
                level=FINDING,
            )
            for row in records(frame, differs, [prose.text, table.text])
        ]
    return problems


# ---------------------------------------------------------------------------- year by year

FAR_YEARS = 2  # a result more years of its path away from its point than this is far off it
# the points FAR_YEARS before and after a year's (the path drawn on past its ends); the row's
# result before this year's (or its baseline)
BEFORE, AFTER = Parsed("lo_trinh_truoc"), Parsed("lo_trinh_sau")
PREVIOUS = Parsed("ket_qua_truoc")
SHORT = [AHEAD, ON_TRACK, BEHIND_PATH, NOT_YET]  # short of the target, and not missed for good


def track_findings(lines: pd.DataFrame) -> list[Problem]:
    """What a person should look at in the results year by year, each pointed at the result's
    cell: a result worse than the year before (or than the 2025 baseline) where the kind and
    the target make that a step back; a year that missed a target to meet every year; a
    target missed at the end of the term; a latest result more than `FAR_YEARS` years of its
    path away; a latest result short of a target set below (or at) its baseline."""
    if lines.empty:  # no results year by year (most records): nothing to look at
        return []
    return [
        *_backwards(lines),
        *_missed(lines),
        *_missed_years(lines),
        *_far(lines),
        *_below_target(lines),
    ]


def _finding(row, text: str, kind: str) -> Problem:
    return Problem(
        row[Tracking.tep_kq],
        row[Tracking.sheet_kq],
        row[Tracking.o_kq],
        text,
        FINDING,
        xa=str(row[OfCommune.ma_xa]),
        tt=str(row[ResultRows.muc]),
        loai=kind,
        nhom=str(row[ResultRows.nhom]),
        chi_tieu=str(row[ResultRowsRead.chi_tieu]),
    )


def _unit(row) -> str:
    return f" {row['don_vi']}" if row[ResultRowsRead.don_vi] else ""


def _said(row) -> str:
    """The year's result as judged, named: its own, or the running total up to it."""
    if kinds.meaning(row[ResultRows.loai_muc_tieu]).running_total:
        return f'kết quả cộng dồn đến năm {row["nam"]} "{row[JUDGED.text]}"'
    return f'kết quả năm {row["nam"]} "{row[RESULT.text]}"'


def _backwards(lines: pd.DataFrame) -> list[Problem]:
    """A result worse than the row's result before it, or, for its first, than its baseline;
    not for a kind whose years are not steps of one level (a term total, a rate), nor for a
    target set below its baseline, whose decline is planned."""
    steps = kinds.of(lines[ResultRows.loai_muc_tieu], "backwards").astype(bool)
    planned = _worse_goal(lines) & lines[Baselines.muc_tieu_thap_hon_hien_trang]
    typed = lines[(lines[RESULT.kind] != EMPTY) & steps & ~planned].sort_values(
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
    worse, _ = track_rate(frame, PREVIOUS)
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
    """A result of the term's last year that does not meet the target (a level; a term total
    by its running total): a target to meet every year says so year by year instead."""
    last = lines[YearlyRead.nam] == lines[Tracking.nam_dau] + lines[Baselines.so_nam]
    ends = kinds.of(lines[ResultRows.loai_muc_tieu], "reached").astype(bool)
    frame = lines[last & ends & lines[Tracking.trang_thai].isin(SHORT)]
    if frame.empty:
        return []
    _, why = judged(frame, GOAL, "mục tiêu 2030")
    return [
        _finding(row, f"hết nhiệm kỳ mà chưa đạt mục tiêu: {reason}", MISSED_FOR_GOOD)
        for row, reason in zip(frame.to_dict("records"), why, strict=True)
    ]


def _missed_years(lines: pd.DataFrame) -> list[Problem]:
    """Each year that missed a target to meet every year: lost for good for that year."""
    frame = lines[lines[Tracking.trang_thai] == MISSED_YEAR]
    return [
        _finding(
            row,
            f"mục tiêu phải đạt hằng năm mà năm {row['nam']} không đạt, năm sau đạt cũng không "
            f"bù được: {row[ScoredRows.ly_do]}",
            MISSED_THAT_YEAR,
        )
        for row in frame.to_dict("records")
    ]


def _far(lines: pd.DataFrame) -> list[Problem]:
    """A row's latest result more than FAR_YEARS years of its path behind or ahead of its point
    (a target not better than its baseline has no way forward to be measured along, and a
    target the same each year has no path of years)."""
    moving = kinds.of(lines[ResultRows.loai_muc_tieu], "path") != kinds.FLAT
    candidates = lines[
        lines[Tracking.moi_nhat]
        & lines[Tracking.co_lo_trinh]
        & ~_worse_goal(lines)
        & moving
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
        **point(candidates, BEFORE, share - step, drawn),
        **point(candidates, AFTER, share + step, drawn),
    )
    behind, _ = track_rate(frame, BEFORE, result=JUDGED)
    ahead, _ = track_rate(frame, AFTER, result=JUDGED)
    problems = []
    for row, late, early in zip(
        frame.to_dict("records"), behind == MISSED, ahead == EXCEEDED, strict=True
    ):
        now = _said(row)
        at = f"lộ trình năm {row['nam']} là {row[PATH.text]}{_unit(row)}"
        if late:
            then = f"năm {row['nam'] - FAR_YEARS} ({row[BEFORE.text]}{_unit(row)})"
            text = (
                f"{now} chậm hơn lộ trình quá {FAR_YEARS} năm: {at}, kết quả này còn kém "
                f"mức lộ trình của {then}"
            )
        elif early:
            then = f"năm {row['nam'] + FAR_YEARS} ({row[AFTER.text]}{_unit(row)})"
            text = (
                f"{now} nhanh hơn lộ trình quá {FAR_YEARS} năm: {at}, kết quả này đã vượt "
                f"mức lộ trình của {then}; xem lại số liệu, hoặc mục tiêu 2030 có đặt thấp không"
            )
        else:
            continue
        problems.append(_finding(row, text, OFF_PATH))
    return problems


def _worse_goal(lines: pd.DataFrame) -> pd.Series:
    """A level whose 2030 target is not better than its baseline: set below it, or only at it
    (a term total's baseline is the last term's total, not a level its path starts from)."""
    level = kinds.of(lines[ResultRows.loai_muc_tieu], "path") == kinds.STEPPED
    return level & (
        lines[Baselines.muc_tieu_thap_hon_hien_trang] | lines[Baselines.muc_tieu_bang_hien_trang]
    )


def _below_target(lines: pd.DataFrame) -> list[Problem]:
    """A row whose 2030 target is set below its baseline (or only at it), tracked in its
    better direction: its latest result short of the target itself is off the path (a decline
    down to the target was planned, one past it was not), and how many years of the planned
    change it is off, where the plan is a change (a target only at its baseline plans none)."""
    latest = lines[Tracking.moi_nhat] & lines[Tracking.trang_thai].isin(SHORT)
    frame = lines[latest & _worse_goal(lines)]
    if frame.empty:
        return []
    short, why = judged(frame, GOAL, "mục tiêu 2030")
    off = years_off(frame)
    problems = []
    for row, missed, reason, years in zip(
        frame.to_dict("records"), short == MISSED, why, off, strict=True
    ):
        if not missed:
            continue
        sense = DIRECTION[row[IndicatorsRead.chieu]]
        base = f"{format_vi(round(row['hien_trang_2025'], 2))}{_unit(row)}"
        level = row[Baselines.muc_tieu_bang_hien_trang]  # a plan of no change, in years
        if level:
            set_at = f"mục tiêu này chỉ bằng hiện trạng 2025 ({base})"
        else:
            set_at = f"mục tiêu này đã đặt {sense.worse} hơn hiện trạng 2025 ({base})"
        text = f"{_said(row)} chưa đạt cả mục tiêu 2030: {reason}; {set_at}"
        if pd.notna(years) and row[Tracking.co_lo_trinh] and not level:
            text += (
                f", kết quả chậm khoảng {format_vi(round(years, 1))} năm thay đổi theo kế "
                f"hoạch so với lộ trình năm {row['nam']} ({row[PATH.text]}{_unit(row)})"
            )
        problems.append(_finding(row, text, OFF_PATH))
    return problems

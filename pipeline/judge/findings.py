"""Findings: what the judgement stages see in a clean record that a person should look at.

Each is a `Problem` of level "cảnh báo" pointed at the raw cell it is about: a published rating
the data does not bear out, a tally that does not add up, a 2030 target already behind the merged
2025 baseline.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from pipeline.judge.score import sentence
from pipeline.parse import EMPTY, NUMBER, RANGE, format_vi
from pipeline.problems import BEHIND, PROSE, RATING, TALLY, WARNING, Problem, at_cell, rating_kept
from schemas.stages import (
    AT_ROW,
    GOAL,
    GOAL_PROSE,
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
    ResultRowsRead,
    ScoredRows,
)
from schemas.vocabulary import DIRECTION, EXCEEDED, HIGHER, MET, MISSED, OLD

Cell = Callable[[str, str, str, object], str]


def records(frame: pd.DataFrame, where: pd.Series, columns: list[str]) -> list[dict]:
    """The rows a finding is about, with only the columns it says: a country's tables are
    wide, and records of every column would cost seconds."""
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
        )
        for row in records(scored, differs, said)
    ]


PROSE_COUNTS = {InfoRead.vuot_bc: EXCEEDED, InfoRead.dat_bc: MET, InfoRead.khong_dat_bc: MISSED}


def tally_findings(tally: pd.DataFrame, info: pd.DataFrame, cell: Cell) -> list[Problem]:
    """Where the published ratings, rolled up, differ from the counts the prose gives; and where
    the computed tally differs from the published one."""
    problems = []
    old = info[info[InfoRead.loai] == OLD]
    facts = old.drop_duplicates(OfCommune.ma_xa).set_index(OfCommune.ma_xa).to_dict("index")
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
                        WARNING,
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
                    WARNING,
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
    and ranges are compared as printed (1,990 = 1,99); the words around them (trên, ≥) are not."""
    problems = []
    for table, prose, part, what in PROSE_PAIRS[kind]:
        numeric = frame[table.kind].isin([NUMBER, RANGE]) & frame[prose.kind].isin([NUMBER, RANGE])
        scale = 10.0 ** np.maximum(frame[table.decimals], frame[prose.decimals])
        differs = numeric & (
            (np.round((frame[table.lo] - frame[prose.lo]) * scale) != 0)
            | (np.round((frame[table.hi] - frame[prose.hi]) * scale) != 0)
        )
        problems += [
            at_cell(
                row,
                prose.name,
                f'{part} của báo cáo ghi {what} "{row[prose.text]}", biểu ghi "{row[table.text]}"',
                cell,
                PROSE,
            )
            for row in records(frame, differs, [prose.text, table.text])
        ]
    return problems

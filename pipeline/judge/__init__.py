"""The judgement: what the record means, for every commune at once.

Pure: the prepared record in, a `Judgement` out. `score` rates every 2020–2025 row and rolls
rows up to items and tallies; `merge` gives every new commune's 2030 targets a 2025 baseline;
`track` follows each new commune's targets year by year through the term, where it typed its
results; `findings` collects what a person should look at. A new rating rule goes in
`score.py`, a new merge rule in the vocabulary and `merge.py`, a new kind of finding in
`findings.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.judge.findings import (
    baseline_findings,
    prose_findings,
    rating_findings,
    tally_findings,
    track_findings,
)
from pipeline.judge.merge import baselines
from pipeline.judge.score import items, score_rows, tallies
from pipeline.judge.track import conformed
from pipeline.prepare import Prepared
from pipeline.problems import Problem, sort_key
from schemas import stages as st
from schemas.stages import Located, OfCommune


@dataclass
class Judgement:
    scored: pd.DataFrame  # st.ScoredRows: every indicator row, rated
    items: pd.DataFrame  # st.Items: every item, rated by its weakest row
    tally: pd.DataFrame  # per old commune: counts of each rating and the tally sentences
    baselines: pd.DataFrame  # st.Baselines: every Biểu 03 row with its merged 2025 baseline
    tracking: pd.DataFrame  # st.Tracking: every Biểu 03 row and year of a commune's results
    findings: list[Problem]  # sorted by file, sheet and cell


def judge(prepared: Prepared) -> Judgement:
    """Score every old commune's rows, merge every new commune's baseline, collect findings."""
    cell = prepared.where.cell
    scored = st.conform(st.ScoredRows, score_rows(prepared.rows, prepared.catalogue))
    item_ratings = st.conform(st.Items, items(scored))
    sheets = (
        scored[[OfCommune.ma_xa, Located.tep, Located.sheet]]
        .drop_duplicates(OfCommune.ma_xa)
        .set_index(OfCommune.ma_xa)
    )
    tally = tallies(item_ratings).assign(
        _tep=lambda d: d[OfCommune.ma_xa].map(sheets[Located.tep]),
        _sheet_bieu=lambda d: d[OfCommune.ma_xa].map(sheets[Located.sheet]),
    )
    lines = st.conform(
        st.Baselines,
        baselines(
            prepared.targets,
            prepared.rows,
            prepared.members,
            prepared.info,
            prepared.catalogue,
        ),
    )
    tracking = conformed(lines, prepared.yearly, prepared.info)
    findings = [
        *rating_findings(scored, cell),
        *tally_findings(tally, prepared.info, cell),
        *baseline_findings(lines, cell),
        *prose_findings(scored, "rows", cell),
        *prose_findings(lines, "targets", cell),
        *track_findings(tracking),
    ]
    return Judgement(scored, item_ratings, tally, lines, tracking, sorted(findings, key=sort_key))

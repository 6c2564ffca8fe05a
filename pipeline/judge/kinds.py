"""What each kind of target means over the term: one table, read wherever a target is judged.

The kind of a target (vocabulary `TARGET_KINDS`: the catalogue's "Loại mục tiêu", or read from
the row's own words) settles how its path is drawn, what a year's result is compared with, the
change still needed, when a target is missed for good, and whether an achievement ratio is
printed. `merge` (Biểu 03's yearly change), `track` (path, status, needed change, findings) and
`score` (the ratio) read this table, and nothing else decides these, so the annex, the tracking
files, the CSVs and the Word document cannot disagree. The table is printed in docs/rules.md and
HUONG_DAN.md; a test keeps the three the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from schemas.vocabulary import EVERY_YEAR, LEVEL, RATE, TERM_TOTAL

# the ways a path is drawn (`Meaning.path`) and Biểu 03's yearly change is worked out
# (`Meaning.yearly_change`)
STEPPED, SPREAD, FLAT = "level", "spread", "flat"


@dataclass(frozen=True)
class Meaning:
    """What a kind of target means. `path`: how the year's point is drawn — "level" (from the
    2025 baseline to the target: points a year for a percentage, compound for an amount),
    "spread" (the target spread evenly over the term's years, a running total), "flat" (the
    target itself, each year); `running_total`: a year is judged by the total of the results so
    far, not by its own; `yearly_change`: Biểu 03's "change a year" column is the level's path
    ("level"), the target spread over the years ("spread"), or none (None); `missed_each_year`:
    a year short of the target is missed for good for that year (kept in every roll-up);
    `ratio`: an achievement ratio may be printed (then only where it reads the right way:
    docs/rules.md); `backwards`: a result worse than the year before is a step back (not so for
    a term total, whose years add up, nor a rate, whose years are each a change); `reached`: a
    result that meets the target has reached the 2030 target (not so where the target must be
    met again each year); `no_change`: why Biểu 03 has no yearly change for it, where it has
    none."""

    kind: str
    path: str
    running_total: bool
    yearly_change: str | None
    missed_each_year: bool
    ratio: bool
    backwards: bool = True
    reached: bool = True
    no_change: str = ""


MEANINGS = {
    m.kind: m
    for m in (
        Meaning(LEVEL, STEPPED, False, STEPPED, False, True),
        Meaning(TERM_TOTAL, SPREAD, True, SPREAD, False, True, backwards=False),
        Meaning(
            EVERY_YEAR,
            FLAT,
            False,
            None,
            True,
            True,
            reached=False,
            no_change="chỉ tiêu phải đạt mỗi năm, không có thay đổi cần mỗi năm",
        ),
        Meaning(
            RATE,
            FLAT,
            False,
            None,
            False,
            False,
            backwards=False,
            reached=False,
            no_change="chỉ tiêu đã là tốc độ mỗi năm, không có thay đổi cần mỗi năm",
        ),
    )
}


def meaning(kind: str) -> Meaning:
    """The meaning of a kind; a kind not (yet) known reads as a level, as before kinds."""
    return MEANINGS.get(kind, MEANINGS[LEVEL])


def of(kinds: pd.Series, field: str) -> pd.Series:
    """Each row's `field` of the meaning of its kind (`kinds`: a column `loai_muc_tieu`)."""
    return kinds.map({kind: getattr(meaning(kind), field) for kind in set(kinds)})


def per_year(unit: pd.Series) -> pd.Series:
    """The unit of a change a year in the indicator's own unit ("Đảng viên" → "Đảng viên/năm")."""
    return (unit.fillna("").astype(str) + "/năm").where(unit.fillna("") != "", "mỗi năm")

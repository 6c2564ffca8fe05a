"""What each kind of target means over the term: one table, read wherever a target is judged.

The kind of a target (vocabulary `TARGET_KINDS`: the catalogue's "Loại mục tiêu", or read from
the row's own words) settles how its path is drawn, what a year's result is compared with, the
change still needed, when a target is missed for good, and whether an achievement ratio is
printed. `merge` (Biểu 03's yearly change), `track` (path, status, needed change) and `score`
(the ratio) read this table, and nothing else decides these, so the annex, the tracking files,
the CSVs and the Word document cannot disagree. The table is printed in docs/rules.md and
HUONG_DAN.md; a test keeps the three the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.vocabulary import EVERY_YEAR, LEVEL, RATE, TERM_TOTAL


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
    docs/rules.md)."""

    kind: str
    path: str
    running_total: bool
    yearly_change: str | None
    missed_each_year: bool
    ratio: bool


MEANINGS = {
    m.kind: m
    for m in (
        Meaning(LEVEL, "level", False, "level", False, True),
        Meaning(TERM_TOTAL, "spread", True, "spread", False, True),
        Meaning(EVERY_YEAR, "flat", False, None, True, True),
        Meaning(RATE, "flat", False, None, False, False),
    )
}


def meaning(kind: str) -> Meaning:
    """The meaning of a kind; a kind not (yet) known reads as a level, as before kinds."""
    return MEANINGS.get(kind, MEANINGS[LEVEL])

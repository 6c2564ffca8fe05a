"""How a raw sheet is laid out: its name and the Vietnamese header of each column."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# a column headed by a year ("2026", "Năm 2026"; as its header matches, folded)
YEAR_HEADER = re.compile(r"^(?:năm\s*)?(\d{4})$")


@dataclass(frozen=True)
class Col:
    """A column found by its header; `prefix` accepts headers that go on, as "Chỉ tiêu NQ Đại hội
    XXIII" does after "Chỉ tiêu NQ"."""

    header: str
    required: bool = True
    prefix: bool = False
    value: bool = False  # kept as the cell's own value (number, date), read later by the parser
    help: str = ""  # what goes in it, for the person typing (at most 255 characters: Excel's
    # input message of a ready-to-fill workbook)


@dataclass(frozen=True)
class Sheet:
    """A sheet: its name, its columns by field, and, for a sheet with one column per year
    (`years`: what each such column holds), the columns found by a year in their header."""

    name: str
    columns: dict[str, Col] = field(default_factory=dict)
    years: Col | None = None

    @property
    def first(self) -> str:
        """The field whose header marks the header row."""
        return next(iter(self.columns))

"""Suggesting catalogue codes and units by name: what a person would pick from the catalogue.

A printed name is compared with the catalogue's names whatever its accents, case, punctuation
and abbreviations (`BHYT` is `bảo hiểm y tế`, `schemas.vocabulary.ABBREVIATIONS`), with RapidFuzz:
the mean of its token-sort and token-set ratios, so that words in another order and a name
printed longer or shorter than the catalogue's both score high. Where the catalogue says it, an
indicator is only suggested for a row whose unit fits it: a qualitative indicator for a
qualitative unit, an indicator printed in a unit (`Đơn vị tính`) for a unit that converts into
that unit's base, a 2025-2030 indicator (`Nhóm mục tiêu 2025-2030`) for a target row.

Used by validation's messages (an unknown or missing code or unit names the nearest entries) and
by the intake commands (a suggested code per imported row, how sure, and the runner-up).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import numpy as np
from rapidfuzz import fuzz, process

from pipeline.catalogue import Catalogue
from pipeline.text import clean, key
from schemas.vocabulary import ABBREVIATIONS, QUALITATIVE, QUALITY

SURE = 80  # a suggestion below this score is for a person to decide
MARGIN = 5  # and so is one within this many points of the runner-up
SHOWN = 60  # indicators scoring below this are not named at all
NEAR = 20  # nor those more than this many points behind the first (or, beside the catalogue's
# own name, any other)
SHOWN_UNIT = 70  # nor units below this (a short word is near many)
_PUNCTUATION = ",.;:()[]“”\"'‘’"
_NOT_WORD = re.compile(r"[^0-9a-z%]+")


@cache
def fold(text: object) -> str:
    """The form names are compared in: abbreviations spelled out, no accents (đ is d), lower
    case, every run of punctuation or space one space."""
    words = [ABBREVIATIONS.get(w.strip(_PUNCTUATION), w) for w in key(text).split()]
    plain = unicodedata.normalize("NFD", " ".join(words).replace("đ", "d"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", plain).split())


@dataclass(frozen=True)
class Match:
    """A catalogue entry near a printed name: its code (or unit), its name, and the score."""

    code: str
    name: str
    score: int


def sure(matches: list[Match]) -> bool:
    """Whether the first match can be taken without a person: the name is the catalogue's own,
    or it scores well and clearly ahead of the runner-up."""
    if not matches:
        return False
    best = matches[0].score
    second = matches[1].score if len(matches) > 1 else 0
    return (best == 100 and second < 100) or (best >= SURE and best - second >= MARGIN)


def _nearest(
    query: str, folded: list[str], allowed: np.ndarray, limit: int
) -> list[tuple[int, int]]:
    """Indices of the `limit` entries nearest to `query` among the allowed, best first, with
    their scores."""
    if not query or not allowed.any():
        return []
    sort = process.cdist([query], folded, scorer=fuzz.token_sort_ratio)[0]
    both = (sort + process.cdist([query], folded, scorer=fuzz.token_set_ratio)[0]) / 2
    scores = np.where(allowed, np.round(both), -1)
    order = np.argsort(-scores, kind="stable")[:limit]
    return [(int(i), int(scores[i])) for i in order if scores[i] >= 0]


@dataclass
class Suggester:
    """The catalogue's indicators and units, folded once for comparing names."""

    codes: list[str]
    names: list[str]
    folded: list[str]
    qualitative: np.ndarray  # the indicator's direction is qualitative
    base: np.ndarray  # the base unit (key) the indicator is printed in; "" where any
    target: np.ndarray  # the indicator is one of the 2025-2030 targets
    units: list[str]
    folded_units: list[str]
    unit_base: dict[str, str]  # unit key → base unit key
    unit_quality: dict[str, bool]  # unit key → the unit is qualitative

    @classmethod
    def of(cls, catalogue: Catalogue) -> Suggester:
        indicators = catalogue.indicators.drop_duplicates("ma_key")
        indicators = indicators[indicators["ma_chi_tieu"] != ""]
        units = catalogue.units.drop_duplicates("don_vi_key")
        units = units[units["don_vi"] != ""]
        unit_base = catalogue.unit["goc"].to_dict()
        usual = [unit_base.get(key(u), "") for u in indicators["don_vi"]]
        return cls(
            codes=indicators["ma_chi_tieu"].tolist(),
            names=indicators["ten_chi_tieu"].tolist(),
            folded=[fold(n) for n in indicators["ten_chi_tieu"]],
            qualitative=(indicators["chieu"] == QUALITATIVE).to_numpy(),
            base=np.asarray(usual, dtype=object),
            target=(indicators["nhom_muc_tieu"] != "").to_numpy(),
            units=units["don_vi"].tolist(),
            folded_units=[fold(u) for u in units["don_vi"]],
            unit_base=unit_base,
            unit_quality=(catalogue.unit["loai"] == QUALITY).to_dict(),
        )

    def fitting(self, unit: str = "", target: bool = False) -> np.ndarray:
        """Which indicators a row with this unit may be: where the catalogue says enough."""
        allowed = np.ones(len(self.codes), dtype=bool)
        unit_key = key(unit)
        if unit_key in self.unit_base:
            allowed &= self.qualitative == self.unit_quality[unit_key]
            base = self.unit_base[unit_key]
            allowed &= (self.base == "") | (self.base == base)
        if target and self.target.any():
            allowed &= self.target
        return allowed

    def indicators(
        self, name: str, unit: str = "", target: bool = False, limit: int = 3
    ) -> list[Match]:
        """The catalogue indicators nearest to a printed name, best first."""
        found = _nearest(fold(name), self.folded, self.fitting(unit, target), limit)
        return [Match(self.codes[i], self.names[i], score) for i, score in found]

    def units_near(self, unit: str, limit: int = 3) -> list[Match]:
        """The catalogue units nearest to a printed unit, best first."""
        allowed = np.ones(len(self.units), dtype=bool)
        found = _nearest(fold(unit), self.folded_units, allowed, limit)
        return [Match(self.units[i], self.units[i], score) for i, score in found]


def _floor(matches: list[Match], least: int) -> int:
    """The lowest score a message names."""
    if not matches:
        return least
    best = matches[0].score
    return 100 if best == 100 else max(least, best - NEAR)


def shown(matches: list[Match]) -> list[Match]:
    """The indicators a message names: those near enough to the name, and to the first."""
    floor = _floor(matches, SHOWN)
    return [m for m in matches if m.score >= floor]


def indicator_hint(matches: list[Match], name: str) -> str:
    """What a message about a code adds: the nearest indicators by the row's name."""
    floor = _floor(matches, SHOWN)
    near = [m for m in matches if m.score >= floor]
    if not near:
        return f'; danh mục không có chỉ tiêu nào gần với tên "{clean(name)}"'
    listed = ", ".join(f'{m.code} ("{m.name}")' for m in near)
    return f"; gần nhất theo tên chỉ tiêu: {listed}"


_CODE = re.compile(r"[a-z0-9_]+")


def looks_like_code(text: str) -> bool:
    """Whether an indicator cell holds a code (`thu_ngan_sach`) rather than a name."""
    return bool(_CODE.fullmatch(key(text)))


def name_hint(matches: list[Match], name: str) -> str:
    """What a message about a name typed for an indicator adds: the catalogue's nearest names,
    as the form's drop-down list offers them."""
    floor = _floor(matches, SHOWN)
    near = [m for m in matches if m.score >= floor]
    if not near:
        return f'; danh mục không có chỉ tiêu nào gần với tên "{clean(name)}"'
    return "; gần nhất: " + ", ".join(f'"{m.name}"' for m in near)


def unit_hint(matches: list[Match]) -> str:
    """What a message about a unit adds: the nearest units of the catalogue."""
    floor = _floor(matches, SHOWN_UNIT)
    near = [m for m in matches if m.score >= floor]
    if not near:
        return ""
    return "; gần nhất: " + ", ".join(f'"{m.code}"' for m in near)

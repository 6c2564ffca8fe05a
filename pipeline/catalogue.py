"""The indicator and unit catalogue, prepared once and looked up by every later stage.

Built by `prepare` from `raw/danh_muc_chi_tieu.xlsx`: each indicator by its code's matching form
(its name, direction, merge rule, the 2030 indicator it feeds, whether its percentage is
bounded) and each unit by its matching form (its kind, whether it counts whole things, and its
conversion to a base unit). A code or unit typed twice counts at its first row; the second is a
validation error.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from pipeline.columns import keyed, per_distinct
from pipeline.parse import NUMBER
from pipeline.text import key, plain
from schemas.stages import IndicatorsRead, Parsed, ResultRows, UnitsRead
from schemas.vocabulary import UNBOUNDED, UNIT_SPELLINGS, YES

FACTOR = Parsed("he_so")

_UNIT_TOKEN = re.compile(r"%|/|[^\s/.%]+\.?")
_PHRASES = {k: v for k, v in UNIT_SPELLINGS.items() if " " in k}


@functools.lru_cache(maxsize=1 << 12)
def unit_words(text: str) -> tuple[str, ...]:
    """A unit as the words it is compared by: lower case, each shortened word spelled out
    (`UNIT_SPELLINGS`), "/" a word of its own: "Tr.đ/người/năm" → (triệu, đồng, /, người, /,
    năm)."""
    low = f" {key(text)} "
    for phrase, meaning in _PHRASES.items():
        low = low.replace(f" {phrase} ", f" {meaning} ")
    words: list[str] = []
    for token in _UNIT_TOKEN.findall(low):
        word = token.rstrip(".") or token
        words.extend(UNIT_SPELLINGS.get(word, word).split())
    return tuple(words)


@dataclass(frozen=True)
class UnitReading:
    """How a unit typed in a number cell reads against its row's unit: `found` the catalogue's
    unit it names (its name as the catalogue prints it; "" where none), `same` True where it is
    the row's own unit, `ratio` what a figure in it is worth in the row's unit (None where the
    two do not convert into each other)."""

    found: str
    same: bool = False
    ratio: Decimal | None = None
    judged: bool = True  # False where a factor the catalogue gives is unusable (reported there)


@dataclass(frozen=True)
class Catalogue:
    indicators: pd.DataFrame  # the sheet "Chỉ tiêu", prepared (every row, for validation)
    units: pd.DataFrame  # the sheet "Đơn vị", prepared
    # by `ma_key` (the first row of a code typed twice): ma_chi_tieu, ten_chi_tieu, don_vi,
    # chieu, cach_gop, gop_vao_key, mien_gia_tri, loai_muc_tieu, ten_day_du
    indicator: pd.DataFrame
    unit: pd.DataFrame  # by `don_vi_key`: loai, so_nguyen (bool), goc (base unit key), he_so

    @classmethod
    def build(cls, indicators: pd.DataFrame, units: pd.DataFrame) -> Catalogue:
        indicator = (
            indicators.drop_duplicates(ResultRows.ma_key)
            .set_index(ResultRows.ma_key)
            .assign(gop_vao_key=lambda d: keyed(d[IndicatorsRead.gop_vao]))
            .loc[
                :,
                [
                    IndicatorsRead.ma_chi_tieu,
                    IndicatorsRead.ten_chi_tieu,
                    IndicatorsRead.don_vi,
                    IndicatorsRead.chieu,
                    IndicatorsRead.cach_gop,
                    "gop_vao_key",
                    IndicatorsRead.mien_gia_tri,
                    IndicatorsRead.loai_muc_tieu,
                    IndicatorsRead.ten_day_du,
                ],
            ]
        )
        base = units[UnitsRead.quy_doi].where(
            units[UnitsRead.quy_doi] != "", units[IndicatorsRead.don_vi]
        )
        unit = (
            pd.DataFrame(
                {
                    UnitsRead.loai: units[UnitsRead.loai].to_numpy(),
                    UnitsRead.so_nguyen: units[UnitsRead.so_nguyen].eq(YES).to_numpy(),
                    "goc": keyed(base).to_numpy(),
                    UnitsRead.he_so: units[FACTOR.lo]
                    .where(units[FACTOR.kind] == NUMBER, 1.0)
                    .astype(float)
                    .to_numpy(),
                },
                index=units[ResultRows.don_vi_key],
            )
            .loc[lambda d: ~d.index.duplicated()]
            .rename_axis("don_vi_key")
        )
        return cls(indicators, units, indicator, unit)

    @functools.cached_property
    def _unit_by_words(self) -> dict[tuple[str, ...], str]:
        """Each unit's key by its words (`unit_words`); the first unit of the sheet where two
        read alike ("Tr. đồng", "Triệu đồng")."""
        found: dict[tuple[str, ...], str] = {}
        for name, unit_key in zip(
            self.units[IndicatorsRead.don_vi], self.units[ResultRows.don_vi_key], strict=True
        ):
            found.setdefault(unit_words(name), unit_key)
        return found

    @functools.cached_property
    def _words_of_units(self) -> frozenset[str]:
        """Every word of every unit: a word that may not be left over after a unit."""
        return frozenset(word for words in self._unit_by_words for word in words)

    def read_unit(self, typed: str, row_unit: str) -> UnitReading:
        """The unit an officer typed after a number (`typed`), read against the row's unit as
        printed (`row_unit`). The longest run of its first words that is a unit counts, where
        the words after it are no unit's words (they say what is counted: "% số hộ"; but "15
        nghìn đồng" is not "15 nghìn" and a word); a run may leave out the words it shares
        with the row's unit ("1,2 tỷ" in a row of "Triệu đồng" is "tỷ đồng", "15 nghìn" in a
        row of "Con" is "nghìn con")."""
        words, row = unit_words(typed), unit_words(row_unit)
        if words == row:
            return UnitReading(row_unit, same=True, ratio=Decimal(1))
        if key(typed) in self.unit.index:  # as the catalogue prints it: that unit, of two alike
            return self._against(key(typed), row_unit)
        for length in range(len(words), 0, -1):
            if self._words_of_units.union(row).intersection(words[length:]):
                break  # a unit's word left over: shorter runs leave it over too
            head = words[:length]
            if head == row:
                return UnitReading(row_unit, same=True, ratio=Decimal(1))
            for start in range(len(row) + 1):
                unit_key = self._unit_by_words.get(head + row[start:])
                if unit_key is not None:
                    return self._against(unit_key, row_unit)
        return UnitReading("")

    @functools.cached_property
    def _unit_facts(self) -> dict[str, tuple[str, str, float, bool]]:
        """Each unit's key: its name as the sheet first prints it, its base unit's key, its
        factor and whether it counts whole things (`unit`'s row as plain values: a cell's unit
        is read per cell, and a frame's look-up costs a hundred times a dict's)."""
        names: dict[str, str] = {}
        for unit_key, name in zip(
            self.units[ResultRows.don_vi_key], self.units[IndicatorsRead.don_vi], strict=True
        ):
            names.setdefault(unit_key, name)
        return {
            unit_key: (names.get(unit_key), base, float(factor), bool(whole))
            for unit_key, base, factor, whole in zip(
                self.unit.index,
                self.unit["goc"],
                self.unit[UnitsRead.he_so],
                self.unit[UnitsRead.so_nguyen],
                strict=True,
            )
        }

    def _against(self, unit_key: str, row_unit: str) -> UnitReading:
        name, base, factor, _ = self._unit_facts[unit_key]
        row_key = key(row_unit)
        if row_key not in self._unit_facts:
            return UnitReading(name)
        _, row_base, row_factor, _ = self._unit_facts[row_key]
        if base != row_base:
            return UnitReading(name)
        factors = [factor, row_factor]
        if not all(factor > 0 for factor in factors):  # the catalogue's own error says so
            return UnitReading(name, judged=False)
        ratio = Decimal(repr(factors[0])) / Decimal(repr(factors[1]))
        return UnitReading(name, same=unit_key == row_key, ratio=ratio)

    @functools.cached_property
    def code_of_name(self) -> dict[str, str]:
        """Each indicator's code by its name's `plain` form; a name two codes share names
        neither (a row naming it is told to choose)."""
        named = self.indicators[self.indicators[IndicatorsRead.ma_chi_tieu] != ""]
        names = named[IndicatorsRead.ten_chi_tieu].map(plain)
        codes = named[IndicatorsRead.ma_chi_tieu]
        unique = (names != "") & (codes.map(key).groupby(names).transform("nunique") == 1)
        return dict(zip(names[unique], codes[unique], strict=True))

    def coded(self, typed: pd.Series) -> pd.Series:
        """Each row's indicator as a code: a code stays as typed; a catalogue name (whatever
        its case, accents or spaces) becomes its code; anything else stays, for validation to
        name."""
        known, by_name = self.indicator.index, self.code_of_name

        def code(text: str) -> str:
            return text if key(text) in known else by_name.get(plain(text), text)

        return per_distinct(typed, code, "str")

    def counts_whole(self, unit: str) -> bool:
        """Whether this unit (as printed) counts only whole things (con, trường)."""
        facts = self._unit_facts.get(key(unit))
        return facts is not None and facts[3]

    def knows_units(self) -> bool:
        return len(self.unit) > 0

    def knows_indicators(self) -> bool:
        return len(self.indicator) > 0

    def of_indicator(self, keys: pd.Series, fact: str) -> pd.Series:
        """One fact of the indicators these codes (matching form) name; missing where unknown."""
        return keys.map(self.indicator[fact])

    def of_unit(self, keys: pd.Series, fact: str) -> pd.Series:
        """One fact of the units these unit keys name; missing where unknown."""
        return keys.map(self.unit[fact])

    def kinds(self, keys: pd.Series) -> pd.Series:
        """The kind of target the catalogue declares for each indicator; "" where it declares
        none or the code is unknown."""
        return self._text_of(keys, IndicatorsRead.loai_muc_tieu, "")

    def full_names(self, keys: pd.Series) -> pd.Series:
        """The name the report's prose writes for each indicator ("Tên đầy đủ"); "" where the
        catalogue gives none or the code is unknown."""
        return self._text_of(keys, IndicatorsRead.ten_day_du, "")

    def bounds(self, keys: pd.Series) -> pd.Series:
        """The value domain of each indicator: empty (a percentage stays within 0-100), or
        "Không giới hạn"; an unknown code counts as unbounded, so that it is reported once."""
        return self._text_of(keys, IndicatorsRead.mien_gia_tri, UNBOUNDED)

    def _text_of(self, keys: pd.Series, fact: str, missing: str) -> pd.Series:
        """A text fact of the indicators these codes (matching forms) name, `missing` where the
        code is unknown or the fact missing: looked up once per distinct code in a plain dict (a
        `map` and its conversions cost five times as much on a few dozen rows)."""
        facts = self._indicator_texts[fact]
        return per_distinct(keys, lambda k: facts.get(k, missing), "str")

    @functools.cached_property
    def _indicator_texts(self) -> dict[str, dict[str, str]]:
        """The text facts `prepare` looks an indicator up by (its kind, full name and value
        domain), each a dict by the code's matching form, the missing ones left out."""
        facts = (
            IndicatorsRead.loai_muc_tieu,
            IndicatorsRead.ten_day_du,
            IndicatorsRead.mien_gia_tri,
        )
        return {
            fact: {
                code: value
                for code, value in zip(self.indicator.index, self.indicator[fact], strict=True)
                if not pd.isna(value)
            }
            for fact in facts
        }

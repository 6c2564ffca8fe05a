"""The indicator and unit catalogue, prepared once and looked up by every later stage.

Built by `prepare` from `raw/danh_muc_chi_tieu.xlsx`: each indicator by its code's matching form
(its name, direction, merge rule, the 2030 indicator it feeds, whether its percentage is
bounded) and each unit by its matching form (its kind, whether it counts whole things, and its
conversion to a base unit). A code or unit typed twice counts at its first row; the second is a
validation error.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.columns import keyed
from pipeline.parse import NUMBER
from schemas.stages import Parsed
from schemas.vocabulary import UNBOUNDED, YES

FACTOR = Parsed("he_so")


@dataclass(frozen=True)
class Catalogue:
    indicators: pd.DataFrame  # the sheet "Chỉ tiêu", prepared (every row, for validation)
    units: pd.DataFrame  # the sheet "Đơn vị", prepared
    indicator: pd.DataFrame  # by `ma_key`: ten_chi_tieu, chieu, cach_gop, gop_vao_key, mien_gia_tri
    unit: pd.DataFrame  # by `don_vi_key`: loai, so_nguyen (bool), goc (base unit key), he_so

    @classmethod
    def build(cls, indicators: pd.DataFrame, units: pd.DataFrame) -> Catalogue:
        indicator = (
            indicators.drop_duplicates("ma_key")
            .set_index("ma_key")
            .assign(gop_vao_key=lambda d: keyed(d["gop_vao"]))
            .loc[:, ["ten_chi_tieu", "chieu", "cach_gop", "gop_vao_key", "mien_gia_tri"]]
        )
        base = units["quy_doi"].where(units["quy_doi"] != "", units["don_vi"])
        unit = (
            pd.DataFrame(
                {
                    "loai": units["loai"].to_numpy(),
                    "so_nguyen": units["so_nguyen"].eq(YES).to_numpy(),
                    "goc": keyed(base).to_numpy(),
                    "he_so": units[FACTOR.lo]
                    .where(units[FACTOR.kind] == NUMBER, 1.0)
                    .astype(float)
                    .to_numpy(),
                },
                index=units["don_vi_key"],
            )
            .loc[lambda d: ~d.index.duplicated()]
            .rename_axis("don_vi_key")
        )
        return cls(indicators, units, indicator, unit)

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

    def bounds(self, keys: pd.Series) -> pd.Series:
        """The value domain of each indicator: empty (a percentage stays within 0-100), or
        "Không giới hạn"; an unknown code counts as unbounded, so that it is reported once."""
        return (
            self.of_indicator(keys, "mien_gia_tri").astype(object).fillna(UNBOUNDED).astype("str")
        )

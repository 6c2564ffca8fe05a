"""The catalogue, built once: indicators and units by their matching keys."""

from __future__ import annotations

import pandas as pd

from tests import frames


def test_indicators_and_units_are_found_whatever_their_case_or_keyboard():
    catalogue = frames.catalogue(frames.INDICATORS, frames.UNITS)
    keys = pd.Series(["ho_ngheo", "dan_bo", "khong_co"])
    assert catalogue.of_indicator(keys, "chieu").tolist()[:2] == [
        "Thấp hơn là tốt",
        "Cao hơn là tốt",
    ]
    assert pd.isna(catalogue.of_indicator(keys, "chieu").iat[2])
    units = pd.Series(["nghìn con", "con", "%"])
    assert catalogue.of_unit(units, "goc").tolist() == ["con", "con", "%"]
    assert catalogue.of_unit(units, "he_so").tolist() == [1000.0, 1.0, 1.0]
    assert catalogue.of_unit(units, "so_nguyen").tolist() == [False, True, False]


def test_an_unknown_code_counts_as_unbounded_so_that_it_is_reported_once():
    catalogue = frames.catalogue(frames.INDICATORS, frames.UNITS)
    bounds = catalogue.bounds(pd.Series(["ho_ngheo", "tang_truong", "khong_co"]))
    assert bounds.tolist() == ["", "Không giới hạn", "Không giới hạn"]


def test_a_code_typed_twice_counts_at_its_first_row():
    twice = [*frames.INDICATORS, {**frames.INDICATORS[0], "chieu": "Cao hơn là tốt"}]
    catalogue = frames.catalogue(twice, frames.UNITS)
    assert len(catalogue.indicators) == 4  # validation still sees both rows
    assert catalogue.indicator.loc["ho_ngheo", "chieu"] == "Thấp hơn là tốt"


def test_a_row_names_its_indicator_by_code_or_by_the_catalogues_name():
    """A code stays as typed; a name, whatever its case, accents or spaces, becomes its code; a
    name two codes share, or one the catalogue lacks, stays for validation to name."""
    shared = {**frames.INDICATORS[2], "ma_chi_tieu": "tang_truong_2", "gop_vao": ""}
    catalogue = frames.catalogue([*frames.INDICATORS, shared], frames.UNITS)
    typed = pd.Series(
        [
            "ho_ngheo",
            "HO_NGHEO",
            "Tỷ lệ hộ nghèo",
            "ty le  ho ngheo",
            "TỔNG ĐÀN BÒ",
            "Tăng trưởng",
            "Tỷ lệ hộ nghèo đa chiều",
            "",
        ]
    )
    assert catalogue.coded(typed).tolist() == [
        "ho_ngheo",
        "HO_NGHEO",
        "ho_ngheo",
        "ho_ngheo",
        "dan_bo",
        "Tăng trưởng",
        "Tỷ lệ hộ nghèo đa chiều",
        "",
    ]

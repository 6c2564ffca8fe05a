"""Suggesting catalogue codes and units by name."""

from __future__ import annotations

from pipeline.suggest import Match, Suggester, fold, indicator_hint, sure, unit_hint
from tests import frames


def test_names_are_compared_without_accents_case_punctuation_or_abbreviations():
    assert fold("Tỷ lệ dân tham gia BHYT") == "ty le dan tham gia bao hiem y te"
    assert fold("KDC, cơ quan, DN đạt chuẩn “An toàn ANTT”") == (
        "khu dan cu co quan doanh nghiep dat chuan an toan an ninh trat tu"
    )
    assert fold("Tr.đồng") == fold("Tr. đồng") == "tr dong"


def test_a_suggestion_is_sure_when_it_is_the_catalogues_name_or_well_ahead():
    assert sure([Match("a", "", 100), Match("b", "", 96)])
    assert not sure([Match("a", "", 100), Match("b", "", 100)])
    assert sure([Match("a", "", 85), Match("b", "", 80)])
    assert not sure([Match("a", "", 85), Match("b", "", 81)])
    assert not sure([Match("a", "", 79)])
    assert not sure([])


def test_a_row_is_offered_only_indicators_its_unit_fits():
    indicators = [
        {**frames.INDICATORS[1], "don_vi": "Con"},  # dan_bo, printed in head of cattle
        {"ma_chi_tieu": "ty_le_bo", "ten_chi_tieu": "Tỷ lệ hộ nuôi bò", "chieu": "Cao hơn là tốt",
         "cach_gop": "Không gộp", "don_vi": "%"},
        {"ma_chi_tieu": "bo_dat", "ten_chi_tieu": "Đàn bò đạt chuẩn", "chieu": "Định tính",
         "cach_gop": "Không gộp"},
    ]  # fmt: skip
    units = [*frames.UNITS, {"don_vi": "Đạt", "loai": "Định tính", "so_nguyen": "Không"}]
    suggester = Suggester.of(frames.catalogue(indicators, units))
    # Nghìn con converts into Con: only the head count, not the share of households
    assert [m.code for m in suggester.indicators("Đàn bò", "Nghìn con")] == ["dan_bo"]
    assert [m.code for m in suggester.indicators("Đàn bò", "%")] == ["ty_le_bo"]
    assert [m.code for m in suggester.indicators("Đàn bò", "Đạt")] == ["bo_dat"]
    assert len(suggester.indicators("Đàn bò", "đơn vị lạ")) == 3  # an unknown unit: any


def test_the_hints_name_the_nearest_entries_only():
    near = [Match("a", "Tên A", 90), Match("b", "Tên B", 75), Match("c", "Tên C", 55)]
    assert indicator_hint(near, "x") == '; gần nhất theo tên chỉ tiêu: a ("Tên A"), b ("Tên B")'
    assert indicator_hint([Match("c", "Tên C", 55)], "x") == (
        '; danh mục không có chỉ tiêu nào gần với tên "x"'
    )
    assert unit_hint([Match("Tr. đồng", "Tr. đồng", 100), Match("Tỷ đồng", "", 85)]) == (
        '; gần nhất: "Tr. đồng"'
    )

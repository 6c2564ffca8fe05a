"""Preparing the record, on in-memory frames: rows classified, values parsed, words made
canonical, the catalogue looked up."""

from __future__ import annotations

import pandas as pd

from pipeline.prepare import prepare_ratings, prepare_rows, structure
from tests import frames

TABLE = [
    {"tt": "I", "chi_tieu": "Kinh tế"},
    {"tt": "1", "chi_tieu": "Đàn bò", "don_vi": "nghìn  con", "chi_tieu_nq": "5.436"},
    {"tt": "", "chi_tieu": "trong đó bò sữa", "don_vi": "Con", "chi_tieu_nq": "5.436"},
    {"tt": "a)", "chi_tieu": "bò thịt", "don_vi": "Con"},
    {"tt": "II.", "chi_tieu": "Xã hội"},
    {"tt": "1.", "chi_tieu": "Hộ nghèo", "don_vi": "%", "ma_chi_tieu": "HO_NGHEO"},
    {"tt": "x9", "chi_tieu": "?"},
]


def test_rows_are_classified_and_numbered_within_their_group():
    rows = structure(frames.result_rows(TABLE))
    assert rows["loai_dong"].tolist() == [
        "nhóm",
        "chỉ tiêu",
        "dòng con",
        "dòng con",
        "nhóm",
        "chỉ tiêu",
        "",  # unreadable: validation says why
    ]
    assert rows["nhom"].tolist() == ["I", "I", "I", "I", "II", "II", "II"]
    assert rows["muc"].tolist() == ["", "1", "1", "1", "", "1", ""]


def test_units_and_codes_are_looked_up_whatever_the_case_and_spacing():
    catalogue = frames.catalogue(frames.INDICATORS, frames.UNITS)
    rows = prepare_rows(frames.result_rows(TABLE), catalogue, ("chi_tieu_nq",))
    assert rows["loai_don_vi"].iloc[[1, 2, 5]].tolist() == ["Số lượng", "Số lượng", "Phần trăm"]
    assert rows["ma_key"].iat[5] == "ho_ngheo"
    assert rows["mien_gia_tri"].iat[5] == ""


def test_a_unit_of_whole_things_settles_a_thousands_dot():
    catalogue = frames.catalogue(frames.INDICATORS, frames.UNITS)
    rows = prepare_rows(frames.result_rows(TABLE), catalogue, ("chi_tieu_nq",))
    # "Nghìn con" is not counted in whole things: 5.436 stays ambiguous there; "Con" settles it
    assert rows["chi_tieu_nq__lo"].iat[1] == 5436
    assert rows["chi_tieu_nq__ambiguity"].iat[1].startswith('"5.436" có thể là 5.436 hoặc 5,436')
    assert rows["chi_tieu_nq__lo"].iat[2] == 5436
    assert pd.isna(rows["chi_tieu_nq__ambiguity"].iat[2])


def test_published_ratings_are_written_in_full_and_overrides_made_canonical():
    rows = prepare_ratings(
        frames.result_rows(
            [
                {"danh_gia": "K đạt", "giu_danh_gia": "có"},
                {"danh_gia": "vượt"},
                {"danh_gia": "Đạt"},
                {"danh_gia": "tốt"},
            ]
        )
    )
    assert rows["danh_gia"].tolist() == ["Không đạt", "Vượt", "Đạt", "tốt"]
    assert rows["danh_gia_in"].tolist() == ["K đạt", "vượt", "Đạt", "tốt"]
    assert rows["giu_danh_gia"].tolist() == ["Có", "", "", ""]

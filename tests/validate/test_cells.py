"""Validation's cross-cell rules, on in-memory frames: each gives the message for its cell."""

from __future__ import annotations

import pandas as pd

from pipeline.prepare import prepare_rows
from pipeline.validate.cells import duplicate_message, row_messages
from tests import frames


def cell(tep: str, sheet: str, column: str, row: int) -> str:
    return f"A{row}"


def test_a_value_typed_again_is_a_duplicate_whatever_its_case_naming_the_first():
    frame = pd.DataFrame(
        {
            "ma_xa": ["an", "Bình", "AN", "", "", "an"],
            "_tep": [
                "raw/a.xlsx",
                "raw/b.xlsx",
                "raw/c.xlsx",
                "raw/d.xlsx",
                "raw/e.xlsx",
                "raw/a.xlsx",
            ],
            "_sheet": "Thông tin",
            "_dong": [2, 2, 2, 2, 2, 3],
        }
    )
    message = duplicate_message(frame, "ma_xa", "mã xã", cell).fillna("")
    assert message.tolist() == [
        "",
        "",
        'mã xã "AN" trùng với raw/a.xlsx › Thông tin › A2',
        "",
        "",
        'mã xã "an" trùng với ô A2',
    ]
    # a kept commune's two rows share a code within one workbook
    kept = duplicate_message(frame, "ma_xa", "mã xã", cell, same_file_allowed=True).fillna("")
    assert kept.tolist()[5] == ""


def test_row_messages_name_what_is_wrong_with_each_cell():
    catalogue = frames.catalogue(frames.INDICATORS, frames.UNITS)
    table = [
        {"tt": "1", "chi_tieu": "a", "don_vi": "%", "ma_chi_tieu": "ho_ngheo", "ket_qua": "120"},
        {"tt": "1", "chi_tieu": "b", "don_vi": "ha", "ma_chi_tieu": "khong_co", "ket_qua": "mười"},
        {"tt": "", "chi_tieu": "c", "don_vi": "Con", "ma_chi_tieu": "dan_bo", "ket_qua": "-3"},
        {"tt": "?", "chi_tieu": "d", "don_vi": "%", "ma_chi_tieu": "tang_truong", "ket_qua": "-5"},
    ]
    rows = prepare_rows(frames.result_rows(table), catalogue, ("ket_qua",))
    messages = row_messages(rows, catalogue, ("ket_qua",))
    allow = ' (nếu chỉ tiêu này được phép, ghi "Không giới hạn" ở cột "Miền giá trị" của danh mục)'
    assert messages["ket_qua__loi"].fillna("").tolist() == [
        '"120" là tỷ lệ phần trăm lớn hơn 100' + allow,
        '"mười" không phải là số',
        '"-3" là số âm, nhưng đơn vị "Con" không nhận số âm' + allow,
        "",  # a growth rate may be negative: its indicator is unbounded
    ]
    assert messages["tt__loi"].fillna("").tolist() == [
        "",
        'số thứ tự "1" trùng với dòng 2',
        "",
        'TT "?" không đọc được: ghi số La Mã cho dòng nhóm (I, II), số cho chỉ tiêu, để trống '
        "cho dòng con của chỉ tiêu phía trên",
    ]
    assert messages["don_vi__loi"].iat[1] == 'đơn vị "ha" không có trong danh mục (sheet "Đơn vị")'
    assert messages["ma_chi_tieu__loi"].iat[1] == (
        'mã chỉ tiêu "khong_co" không có trong danh mục (sheet "Chỉ tiêu"); danh mục không '
        'có chỉ tiêu nào gần với tên "b"'
    )

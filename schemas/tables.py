"""The indicator tables: an old commune's 2020–2025 results (sheet "Chỉ tiêu", Biểu 01–02) and a
new commune's 2025–2030 targets (sheet "Mục tiêu", Biểu 03).

A row is a group (TT in Roman numerals: I, II), an item (TT a number), or a sub-row of the item
above (TT empty, or a dash or letter)."""

from __future__ import annotations

import pandera.pandas as pa

from schemas.checks import filled, message_column, one_of
from schemas.layout import Col, Sheet
from schemas.vocabulary import PUBLISHED, READINGS, YES

_ROW_COLUMNS = {
    "tt": Col("TT"),
    "chi_tieu": Col("Chỉ tiêu"),
    "don_vi": Col("Đơn vị tính"),
}

RESULT_SHEET = Sheet(
    "Chỉ tiêu",
    {
        **_ROW_COLUMNS,
        "chi_tieu_nq": Col("Chỉ tiêu NQ", prefix=True, value=True),
        "ket_qua": Col("Kết quả thực hiện", value=True),
        "danh_gia": Col("Đánh giá"),
        "ma_chi_tieu": Col("Mã chỉ tiêu"),
        "cach_doc_so": Col("Cách đọc số", required=False),
        "ghi_chu_nhap": Col("Ghi chú nhập liệu", required=False),
        "giu_danh_gia": Col("Giữ đánh giá công bố", required=False),
        "ly_do_giu": Col("Lý do giữ đánh giá", required=False),
        # what the prose of part two prints for the same row, where it gives figures in the
        # table's unit: kept beside the table's figures so that a disagreement can be shown
        "nq_phan_hai": Col("Chỉ tiêu NQ (phần hai)", required=False, value=True),
        "kq_phan_hai": Col("Kết quả (phần hai)", required=False, value=True),
    },
)

TARGET_SHEET = Sheet(
    "Mục tiêu",
    {
        **_ROW_COLUMNS,
        "muc_tieu": Col("Mục tiêu đến", prefix=True, value=True),
        "ghi_chu": Col("Ghi chú", required=False),
        "ma_chi_tieu": Col("Mã chỉ tiêu"),
        "cach_doc_so": Col("Cách đọc số", required=False),
        "ghi_chu_nhap": Col("Ghi chú nhập liệu", required=False),
        "mt_phan_ba": Col("Mục tiêu (phần ba)", required=False, value=True),
    },
)

group_schema = pa.DataFrameSchema(
    {"chi_tieu": pa.Column(str, [filled("Chỉ tiêu")])}, name="Dòng nhóm"
)

_row = {
    "tt__loi": message_column(),
    "chi_tieu": pa.Column(str, [filled("Chỉ tiêu")]),
    "don_vi": pa.Column(str, [filled("Đơn vị tính")]),
    "don_vi__loi": message_column(),
    "ma_chi_tieu__loi": message_column(),  # unknown or missing, with the nearest by name
    "cach_doc_so": pa.Column(str, [one_of(READINGS, "cách đọc số", allow_empty=True)]),
}

result_schema = pa.DataFrameSchema(
    {
        **_row,
        "chi_tieu_nq__loi": message_column(),
        "ket_qua__loi": message_column(),
        "danh_gia": pa.Column(str, [one_of(PUBLISHED, "đánh giá", allow_empty=True)]),
        "nq_phan_hai__loi": message_column(),
        "kq_phan_hai__loi": message_column(),
        "giu_danh_gia": pa.Column(
            str, [one_of((YES,), "giá trị cột Giữ đánh giá công bố", allow_empty=True)]
        ),
        "giu_danh_gia__loi": message_column(),
    },
    name="Chỉ tiêu 2020-2025",
)

target_schema = pa.DataFrameSchema(
    {**_row, "muc_tieu__loi": message_column(), "mt_phan_ba__loi": message_column()},
    name="Mục tiêu 2025-2030",
)

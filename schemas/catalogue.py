"""The indicator catalogue, `raw/danh_muc_chi_tieu.xlsx`: what every indicator and unit means."""

from __future__ import annotations

import pandera.pandas as pa

from schemas.checks import filled, message_column, one_of
from schemas.layout import Col, Sheet
from schemas.vocabulary import (
    DIRECTIONS,
    MERGE_RULES,
    NO,
    TARGET_KINDS,
    UNBOUNDED,
    UNIT_KINDS,
    YES,
)

FILE_STEM = "danh_muc_chi_tieu"

INDICATOR_SHEET = Sheet(
    "Chỉ tiêu",
    {
        "ma_chi_tieu": Col("Mã chỉ tiêu"),
        "ten_chi_tieu": Col("Tên chỉ tiêu"),
        # the name as a report's prose writes it, every word in full ("Tỷ lệ dân số tham gia bảo
        # hiểm y tế"); empty: the name of the row as printed, its shortened words spelled out
        "ten_day_du": Col("Tên đầy đủ", required=False),
        "chieu": Col("Chiều đánh giá"),
        "cach_gop": Col("Cách gộp"),
        "gop_vao": Col("Gộp vào chỉ tiêu", required=False),
        "mien_gia_tri": Col("Miền giá trị", required=False),
        "ghi_chu": Col("Ghi chú", required=False),
        # the unit the indicator is printed in (empty: printed in units that do not convert into
        # one another); suggestions prefer indicators whose unit converts into the row's
        "don_vi": Col("Đơn vị tính", required=False),
        # the group of the 2025-2030 targets (Biểu 03) the indicator is listed under in a new
        # commune's ready-to-fill workbook; empty for an indicator of the 2020-2025 tables only
        "nhom_muc_tieu": Col("Nhóm mục tiêu 2025-2030", required=False),
        # what the target means over the term (vocabulary TARGET_KINDS); empty: read from the
        # words of each row's target, with a warning
        "loai_muc_tieu": Col("Loại mục tiêu", required=False),
    },
)

UNIT_SHEET = Sheet(
    "Đơn vị",
    {
        "don_vi": Col("Đơn vị tính"),
        "loai": Col("Loại"),
        "so_nguyen": Col("Chỉ nhận số nguyên"),
        "quy_doi": Col("Quy đổi về", required=False),
        "he_so": Col("Hệ số quy đổi", required=False, value=True),
    },
)

indicator_schema = pa.DataFrameSchema(
    {
        "ma_chi_tieu": pa.Column(str, [filled("Mã chỉ tiêu")]),
        "ma_chi_tieu__trung": message_column(),
        "ten_chi_tieu": pa.Column(str, [filled("Tên chỉ tiêu")]),
        "chieu": pa.Column(str, [one_of(DIRECTIONS, "chiều đánh giá")]),
        "cach_gop": pa.Column(str, [one_of(MERGE_RULES, "cách gộp")]),
        "gop_vao__loi": message_column(),
        "mien_gia_tri": pa.Column(str, [one_of(("", UNBOUNDED), "miền giá trị", True)]),
        "don_vi__loi": message_column(),
        "loai_muc_tieu": pa.Column(str, [one_of(TARGET_KINDS, "loại mục tiêu", True)]),
    },
    name="Danh mục chỉ tiêu",
)

unit_schema = pa.DataFrameSchema(
    {
        "don_vi": pa.Column(str, [filled("Đơn vị tính")]),
        "don_vi__trung": message_column(),
        "loai": pa.Column(str, [one_of(UNIT_KINDS, "loại đơn vị")]),
        "so_nguyen": pa.Column(str, [one_of((YES, NO), "giá trị Có/Không")]),
        "he_so__loi": message_column(),
        "quy_doi__loi": message_column(),
    },
    name="Danh mục đơn vị",
)

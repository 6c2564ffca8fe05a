"""A commune's own facts (sheet "Thông tin") and, for a new commune, the old communes it was
formed from (sheet "Xã hợp thành")."""

from __future__ import annotations

import pandera.pandas as pa

from schemas.checks import filled, message_column, one_of, positive
from schemas.layout import Col, Sheet
from schemas.vocabulary import KINDS, READINGS

INFO_SHEET = Sheet(
    "Thông tin",
    {
        "ma_xa": Col("Mã xã"),
        "tinh": Col("Tỉnh"),
        "ten_xa": Col("Tên xã"),
        "loai": Col("Loại"),
        "bieu_so": Col("Biểu số"),
        "nhiem_ky": Col("Nhiệm kỳ"),
        "tieu_de": Col("Tiêu đề biểu"),
        "dong_phu": Col("Dòng kèm theo", required=False),
        "dien_tich": Col("Diện tích tự nhiên (km²)", value=True),
        "dan_so": Col("Dân số (người)", value=True),
        "so_chi_tieu_bc": Col("Số chỉ tiêu (báo cáo)", required=False, value=True),
        "vuot_bc": Col("Vượt (báo cáo)", required=False, value=True),
        "dat_bc": Col("Đạt (báo cáo)", required=False, value=True),
        "khong_dat_bc": Col("Không đạt (báo cáo)", required=False, value=True),
        # how this row's figures are read where the notation is ambiguous, as on the tables
        "cach_doc_so": Col("Cách đọc số", required=False),
    },
)

MEMBER_SHEET = Sheet("Xã hợp thành", {"ma_xa_cu": Col("Mã xã"), "ten_xa_cu": Col("Tên xã")})

info_schema = pa.DataFrameSchema(
    {
        "ma_xa": pa.Column(str, [filled("Mã xã")]),
        "ma_xa__trung": message_column(),
        "tinh": pa.Column(str, [filled("Tỉnh")]),
        "ten_xa": pa.Column(str, [filled("Tên xã")]),
        "loai": pa.Column(str, [one_of(KINDS, "loại đơn vị hành chính")]),
        "bieu_so__loi": message_column(),  # missing, or the same as another of one report
        "nhiem_ky": pa.Column(
            str,
            [
                pa.Check.str_matches(
                    r"^\d{4}-\d{4}$",
                    error='nhiệm kỳ "{gia_tri}" phải ghi dạng năm-năm, ví dụ 2020-2025',
                )
            ],
        ),
        "tieu_de": pa.Column(str, [filled("Tiêu đề biểu")]),
        "dien_tich__loi": message_column(),
        "dien_tich__so": pa.Column(float, [positive("diện tích")], nullable=True),
        "dan_so__loi": message_column(),
        "dan_so__so": pa.Column(float, [positive("dân số")], nullable=True),
        "so_chi_tieu_bc__loi": message_column(),
        "vuot_bc__loi": message_column(),
        "dat_bc__loi": message_column(),
        "khong_dat_bc__loi": message_column(),
        "cach_doc_so": pa.Column(str, [one_of(READINGS, "cách đọc số", allow_empty=True)]),
    },
    name="Thông tin xã",
)

member_schema = pa.DataFrameSchema(
    {
        "ma_xa_cu": pa.Column(str, [filled("Mã xã")]),
        "ten_xa_cu": pa.Column(str, [filled("Tên xã")]),
        "ma_xa_cu__loi": message_column(),
        "ten_xa_cu__loi": message_column(),
    },
    name="Xã hợp thành",
)

"""A commune's own facts (sheet "Thông tin") and, for a new commune, the old communes it was
formed from (sheet "Xã hợp thành")."""

from __future__ import annotations

import pandera.pandas as pa

from schemas.checks import filled, message_column, one_of, positive
from schemas.layout import Col, Sheet
from schemas.vocabulary import EXCEEDED, KINDS, MET, MISSED, NEW, OLD, READINGS

INFO_SHEET = Sheet(
    "Thông tin",
    {
        "ma_xa": Col(
            "Mã xã",
            help=(
                "Mã của xã, không trùng với xã nào khác trong raw/ (mã chính thức nếu có); các "
                "tệp khác gọi xã này bằng mã."
            ),
        ),
        "tinh": Col("Tỉnh", help="Tên tỉnh như in trong báo cáo."),
        "ten_xa": Col("Tên xã", help="Tên xã như in trong báo cáo."),
        "loai": Col(
            "Loại",
            help=(
                f"{OLD}: biểu kết quả 2020-2025 của xã cũ. {NEW}: biểu mục tiêu "
                "2025-2030 của xã mới. Xã giữ nguyên: hai dòng, mỗi loại một dòng, cùng mã."
            ),
        ),
        "bieu_so": Col(
            "Biểu số",
            help=(
                "Số biểu như in (01). Trong báo cáo của một xã mới: các xã cũ 01, 02, … theo "
                "thứ tự ở sheet Xã hợp thành, xã mới lấy số tiếp theo."
            ),
        ),
        "nhiem_ky": Col(
            "Nhiệm kỳ",
            help=(
                f"Nhiệm kỳ của biểu, dạng năm-năm: 2020-2025 cho biểu kết quả ({OLD}), "
                f"2025-2030 cho biểu mục tiêu ({NEW})."
            ),
        ),
        "tieu_de": Col(
            "Tiêu đề biểu",
            help=(
                "Tiêu đề biểu như in, ví dụ: BIỂU CÁC CHỈ TIÊU ĐẠI HỘI XÃ …, NHIỆM KỲ 2020-2025."
            ),
        ),
        "dong_phu": Col(
            "Dòng kèm theo",
            required=False,
            help=(
                "Không bắt buộc: dòng in nghiêng dưới tiêu đề, ví dụ (Kèm theo Báo cáo của Ban "
                "Chấp hành Đảng bộ xã …)."
            ),
        ),
        "dien_tich": Col(
            "Diện tích tự nhiên (km²)",
            value=True,
            help="Diện tích tự nhiên như in ở Phần thứ nhất, km², ví dụ 133,98.",
        ),
        "dan_so": Col(
            "Dân số (người)", value=True, help="Dân số như in ở Phần thứ nhất, người, ví dụ 9.356."
        ),
        "so_chi_tieu_bc": Col(
            "Số chỉ tiêu (báo cáo)",
            required=False,
            value=True,
            help="Không bắt buộc: số chỉ tiêu mà phần hai của báo cáo nêu, ví dụ 20.",
        ),
        "vuot_bc": Col(
            f"{EXCEEDED} (báo cáo)",
            required=False,
            value=True,
            help=("Không bắt buộc: số chỉ tiêu vượt mà phần hai của báo cáo nêu, ví dụ 07."),
        ),
        "dat_bc": Col(
            f"{MET} (báo cáo)",
            required=False,
            value=True,
            help=("Không bắt buộc: số chỉ tiêu đạt mà phần hai của báo cáo nêu, ví dụ 10."),
        ),
        "khong_dat_bc": Col(
            f"{MISSED} (báo cáo)",
            required=False,
            value=True,
            help=("Không bắt buộc: số chỉ tiêu không đạt mà phần hai của báo cáo nêu, ví dụ 03."),
        ),
        # how this row's figures are read where the notation is ambiguous, as on the tables
        "cach_doc_so": Col(
            "Cách đọc số",
            required=False,
            help=(
                "Không bắt buộc: Dấu chấm thập phân nếu các số của dòng này gõ kiểu 45.30 (bàn "
                "phím tiếng Anh); để trống khi gõ kiểu Việt Nam 45,30."
            ),
        ),
        # the Word outline level of the report document's "2." and "3." headings
        "cap_de_muc": Col(
            "Cấp đề mục",
            required=False,
            help=(
                'Không bắt buộc, dòng xã sau sắp xếp: cấp đề mục (Heading) của mục "2." và '
                '"3." trong văn bản báo cáo chỉ tiêu: 1, 2 hoặc 3; để trống là 2 (dưới "I." và '
                '"II." như báo cáo mẫu).'
            ),
        ),
    },
)

OUTLINE_LEVELS = ("1", "2", "3")  # the Word heading levels "2." and "3." may take

MEMBER_SHEET = Sheet(
    "Xã hợp thành",
    {
        "ma_xa_cu": Col(
            "Mã xã", help="Mã của xã trước sắp xếp (mã ở sheet Thông tin của tệp xã đó)."
        ),
        "ten_xa_cu": Col("Tên xã", help="Tên xã trước sắp xếp, như trong tệp của xã đó."),
    },
)

info_schema = pa.DataFrameSchema(
    {
        "ma_xa": pa.Column(str, [filled("Mã xã")]),
        "ma_xa__trung": message_column(),
        "ma_xa__ten": message_column(),
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
        "cap_de_muc": pa.Column(str, [one_of(OUTLINE_LEVELS, "cấp đề mục", allow_empty=True)]),
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

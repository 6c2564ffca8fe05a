"""The indicator tables: an old commune's 2020–2025 results (sheet "Chỉ tiêu", Biểu 01–02), a
new commune's 2025–2030 targets (sheet "Mục tiêu", Biểu 03) and, optionally, its results year by
year through the term (sheet "Kết quả hằng năm").

A row is a group (TT in Roman numerals: I, II), an item (TT a number), or a sub-row of the item
above (TT empty, or a dash or letter)."""

from __future__ import annotations

import pandera.pandas as pa

from schemas.checks import filled, message_column, one_of
from schemas.layout import Col, Sheet
from schemas.vocabulary import MET, PUBLISHED, READINGS, YES

CODE_HELP = (
    "Chỉ tiêu trong danh mục (sheet Danh mục của tệp này): chọn tên cùng nghĩa trong danh sách "
    "(hoặc ghi mã chỉ tiêu); đơn vị của chỉ tiêu đó hiện ở cột bên cạnh."
)
READING_HELP = (
    "Không bắt buộc: Dấu chấm thập phân nếu số của dòng này gõ kiểu 5.436 nghĩa là 5,436; Dấu "
    "phẩy thập phân để khẳng định kiểu Việt Nam."
)
NOTE_HELP = "Không bắt buộc: ghi chú của người nhập (vì sao ô ghi như vậy)."
# facts the report's prose gives beside the row's figures, printed after them in the report
EXPLAINED = Col(
    "Diễn giải",
    required=False,
    help=(
        "Không bắt buộc: điều báo cáo viết thêm sau số liệu của chỉ tiêu (ví dụ: trong đó 20% "
        "hoàn thành xuất sắc nhiệm vụ); văn bản báo cáo in câu này sau số liệu."
    ),
)

_ROW_COLUMNS = {
    "tt": Col(
        "TT",
        help=(
            "I, II… cho dòng nhóm; 1, 2… cho chỉ tiêu; để trống cho dòng con của chỉ tiêu "
            "phía trên."
        ),
    ),
    "chi_tieu": Col("Chỉ tiêu", help="Tên chỉ tiêu như in."),
    "don_vi": Col(
        "Đơn vị tính", help="Đơn vị tính như in; chọn trong danh sách (các đơn vị của danh mục)."
    ),
}

# what a form writes where the printed header goes on with what it cannot know (which congress
# adopted the targets): the reader warns of a header still holding it
UNFILLED = "…"
CONGRESS_HEADER = f"Chỉ tiêu NQ Đại hội {UNFILLED}"
CONGRESS_HELP = (
    f"Ghi số Đại hội như bản in thay cho dấu {UNFILLED}, ví dụ Chỉ tiêu NQ Đại hội XXIII: "
    "phụ lục in tiêu đề này đúng như đã ghi."
)

RESULT_SHEET = Sheet(
    "Chỉ tiêu",
    {
        **_ROW_COLUMNS,
        "chi_tieu_nq": Col(
            "Chỉ tiêu NQ",
            prefix=True,
            value=True,
            help=(
                f"Chỉ tiêu nghị quyết như in: 10, 1-2, >30, 1,130, {MET}. Tiêu đề cột ghi tiếp như"
                " bản in, ví dụ Chỉ tiêu NQ Đại hội XXIII."
            ),
        ),
        "ket_qua": Col(
            "Kết quả thực hiện",
            value=True,
            help=f"Kết quả như in: 122,7; 4-6; {MET}. Để trống nếu bản in không có.",
        ),
        "danh_gia": Col(
            "Đánh giá",
            help=(
                f"Đánh giá như in: {', '.join(PUBLISHED)} (K đạt); để trống nếu bản in không ghi."
            ),
        ),
        "ma_chi_tieu": Col("Mã chỉ tiêu", help=CODE_HELP),
        "cach_doc_so": Col("Cách đọc số", required=False, help=READING_HELP),
        "ghi_chu_nhap": Col("Ghi chú nhập liệu", required=False, help=NOTE_HELP),
        "giu_danh_gia": Col(
            "Giữ đánh giá công bố",
            required=False,
            help=(
                "Không bắt buộc: Có nếu giữ đánh giá công bố khác đánh giá tính lại; ghi lý do "
                "ở cột bên."
            ),
        ),
        "ly_do_giu": Col("Lý do giữ đánh giá", required=False, help="Lý do giữ đánh giá công bố."),
        # what the prose of part two prints for the same row, where it gives figures in the
        # table's unit: kept beside the table's figures so that a disagreement can be shown
        "nq_phan_hai": Col(
            "Chỉ tiêu NQ (phần hai)",
            required=False,
            value=True,
            help=(
                "Không bắt buộc: chỉ tiêu mà phần hai của báo cáo in cho cùng dòng, cùng đơn vị."
            ),
        ),
        "kq_phan_hai": Col(
            "Kết quả (phần hai)",
            required=False,
            value=True,
            help=("Không bắt buộc: kết quả mà phần hai của báo cáo in cho cùng dòng, cùng đơn vị."),
        ),
        "dien_giai": EXPLAINED,
    },
)

TARGET_SHEET = Sheet(
    "Mục tiêu",
    {
        **_ROW_COLUMNS,
        "muc_tieu": Col(
            "Mục tiêu đến",
            prefix=True,
            value=True,
            help=(
                "Mục tiêu như in: 1,99; ≥ 90; < 10; Duy trì 05. Tiêu đề cột ghi năm như bản in:"
                " Mục tiêu đến 2030."
            ),
        ),
        "ghi_chu": Col("Ghi chú", required=False, help="Ghi chú như in."),
        "ma_chi_tieu": Col("Mã chỉ tiêu", help=CODE_HELP),
        "cach_doc_so": Col("Cách đọc số", required=False, help=READING_HELP),
        "ghi_chu_nhap": Col("Ghi chú nhập liệu", required=False, help=NOTE_HELP),
        "mt_phan_ba": Col(
            "Mục tiêu (phần ba)",
            required=False,
            value=True,
            help=("Không bắt buộc: mục tiêu mà phần ba (II.3) của báo cáo in cho cùng chỉ tiêu."),
        ),
        "dien_giai": EXPLAINED,
    },
)

# A new commune's results year by year: a Biểu 03 row (its TT within its group, below the group
# rows as Biểu 03 has them, or its Mã chỉ tiêu), then one column per year of the term
YEARLY_SHEET = Sheet(
    "Kết quả hằng năm",
    {
        "tt": Col(
            "TT",
            help=(
                "TT như Biểu 03 (sheet Mục tiêu): I, II… cho dòng nhóm, 1, 2… cho chỉ tiêu trong "
                "nhóm. Có Mã chỉ tiêu thì TT không bắt buộc."
            ),
        ),
        "chi_tieu": Col(
            "Chỉ tiêu",
            required=False,
            help="Không bắt buộc: tên chỉ tiêu như Biểu 03, để người đọc dễ theo dõi.",
        ),
        "ma_chi_tieu": Col(
            "Mã chỉ tiêu",
            required=False,
            help=(
                "Chỉ tiêu như ở cột Mã chỉ tiêu của sheet Mục tiêu (tên hoặc mã), hoặc TT dưới "
                "dòng nhóm như Biểu 03, để chỉ rõ dòng nào của Biểu 03."
            ),
        ),
        "cach_doc_so": Col("Cách đọc số", required=False, help=READING_HELP),
        "ghi_chu_nhap": Col("Ghi chú nhập liệu", required=False, help=NOTE_HELP),
    },
    years=Col(
        "2026",
        value=True,
        help=(
            "Kết quả của năm ghi ở tiêu đề cột (2026 … 2030), cùng đơn vị với Biểu 03, gõ như"
            f" báo cáo: 36,5; 98; 4-6; {MET}. Để trống năm chưa có số liệu."
        ),
    ),
)

# Headers as offices also print them, each with the record's header it means: matched as headers
# are (case and spaces folded), by the workbook reader and the Word reader alike. Where the
# record's header is matched as a prefix ("Chỉ tiêu NQ Đại hội XXIII"), so is its synonym
# ("Chỉ tiêu Nghị quyết Đại hội XXIII").
HEADER_SYNONYMS = {
    "STT": "TT",
    "Số TT": "TT",
    "Số thứ tự": "TT",
    "Kết quả": "Kết quả thực hiện",
    "Đơn vị": "Đơn vị tính",
    "ĐVT": "Đơn vị tính",
    "Chỉ tiêu Nghị quyết": "Chỉ tiêu NQ",
}

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

yearly_schema = pa.DataFrameSchema(
    {
        "tt__loi": message_column(),  # unreadable, or no row of Biểu 03 by it
        "ma_chi_tieu__dong": message_column(),  # no row of Biểu 03, or another row than TT's
        "nam__loi": message_column(),  # a year outside the term, at its header
        "ket_qua__trung": message_column(),  # a result typed twice for a row and year
        "ket_qua__loi": message_column(),
        "cach_doc_so": pa.Column(str, [one_of(READINGS, "cách đọc số", allow_empty=True)]),
    },
    name="Kết quả hằng năm",
)

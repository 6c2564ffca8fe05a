"""The first sheet of a commune's ready-to-fill workbook, Hướng dẫn: what goes where (each
sheet's columns, with their help, from the layouts in `schemas/`), examples from a real
report's tables, how to type numbers, and the rules of Biểu số, terms and group rows.

Pure: a `Commune` in, a `SheetLayout` out. Every text of the sheet is laid down in reading
order as one block of cells (a single cell, or merged across the help columns).
"""

from __future__ import annotations

from pipeline.layout.form import (
    UNIT_BESIDE,
    Commune,
    default_header,
    fit,
    form_columns,
    form_page,
    term_years,
)
from pipeline.layout.sheet import Merge, SheetLayout
from schemas.commune import INFO_SHEET, MEMBER_SHEET
from schemas.layout import Col, Sheet
from schemas.tables import RESULT_SHEET, TARGET_SHEET, YEARLY_SHEET
from schemas.vocabulary import (
    DOT_DECIMAL,
    EVERY_YEAR,
    EXCEEDED,
    KEPT,
    LEVEL,
    MET,
    NEW,
    OLD,
    RATE,
    TERM_TOTAL,
    TERMS,
)

GUIDE_SHEET = "Hướng dẫn"
GUIDE_NUMBERS = [
    "Gõ mọi ô đúng như bản in của báo cáo. Mọi ô đã định dạng Văn bản (Text), nên Excel giữ "
    "nguyên 3-4, 1,130, 05 như đã gõ.",
    "Số viết kiểu Việt Nam: dấu chấm ngăn nghìn, dấu phẩy thập phân: 9.356; 133,98; 1.234,5.",
    "Chỉ tiêu và kết quả gõ như in: khoảng 3-4, ngưỡng >30, ≥ 90, dưới 12%, 90 trở lên, phân số "
    f"17/19, {MET}, K đạt; chữ (Duy trì 758 ha) giữ nguyên.",
    "Số như 5.436 đọc được hai cách. Nếu bảng gõ kiểu bàn phím tiếng Anh (5.436 là năm phẩy "
    f"bốn), ghi {DOT_DECIMAL} vào cột Cách đọc số của dòng đó (ở sheet Thông tin: của cả "
    "dòng).",
    "Dán từ nơi khác mà Excel đổi 3-4 thành ngày: gõ lại với dấu nháy đơn ở đầu: '3-4.",
]
GUIDE_RULES = [
    "Biểu số: trong báo cáo của một xã mới, các xã trước sắp xếp đánh số 01, 02, … theo thứ tự "
    "ở sheet Xã hợp thành của xã mới; xã mới lấy số tiếp theo (hai xã cũ thì xã mới là 03).",
    f"Nhiệm kỳ: biểu kết quả của xã trước sắp xếp ghi {TERMS[OLD]}; biểu mục tiêu của xã sau sắp "
    f"xếp ghi {TERMS[NEW]} (số năm để tính mức thay đổi cần mỗi năm).",
    "Dòng nhóm (I, II…) không bắt buộc; có thì gõ như in: số La Mã ở cột TT, tên nhóm ở cột "
    "Chỉ tiêu. Dòng con của một chỉ tiêu để trống cột TT.",
    f"Xã giữ nguyên (không sáp nhập): một tệp, một mã. Sheet Thông tin có hai dòng: {OLD} "
    f"(biểu kết quả {TERMS[OLD]}) và {NEW} (biểu mục tiêu {TERMS[NEW]}); tệp có cả sheet "
    "Chỉ tiêu và sheet Mục tiêu.",
    "Tiêu đề cột Chỉ tiêu NQ Đại hội … (tô màu) ở sheet Chỉ tiêu: ghi số Đại hội như bản in "
    "thay cho dấu …, ví dụ Chỉ tiêu NQ Đại hội XXIII; phụ lục in tiêu đề đúng như đã ghi.",
    "Mã chỉ tiêu: chọn tên chỉ tiêu trong danh sách (tên như ở sheet Danh mục; chương trình tự "
    "tra ra mã); cột Đơn vị trong danh mục hiện đơn vị của chỉ tiêu đã chọn để đối chiếu với "
    "cột Đơn vị tính. Tệp cũ ghi mã (thu_ngan_sach) vẫn dùng được. Chỉ tiêu hay đơn vị chưa có: "
    "thêm vào raw/danh_muc_chi_tieu.xlsx.",
    f"Loại mục tiêu (cột của sheet Danh mục): {LEVEL} (đạt mức đó vào cuối nhiệm kỳ), "
    f"{TERM_TOTAL} (cộng cả nhiệm kỳ), {EVERY_YEAR} (năm nào cũng phải đạt), {RATE} (tăng, giảm "
    "bình quân). Chương trình theo dõi và tính tỷ lệ đạt theo loại của danh mục; loại chưa đúng "
    "thì sửa cột Loại mục tiêu trong raw/danh_muc_chi_tieu.xlsx.",
    f"Sheet Mục tiêu của xã mới đã ghi sẵn các chỉ tiêu {TERMS[NEW]} của danh mục: giữ dòng báo "
    "cáo có (sửa tên, đơn vị cho đúng bản in, gõ mục tiêu), xoá dòng không có, thêm dòng còn "
    "thiếu.",
    "Kết quả hằng năm (xã sau sắp xếp, không bắt buộc): mỗi năm của nhiệm kỳ ghi kết quả của "
    "từng chỉ tiêu Biểu 03 vào cột năm đó, cùng đơn vị như Biểu 03; dòng chỉ ra chỉ tiêu bằng "
    "tên chỉ tiêu ở cột Mã chỉ tiêu, hoặc bằng TT dưới dòng nhóm như Biểu 03. Có kết quả thì "
    "bieu annexes làm thêm tệp theo dõi tiến độ đến 2030 (theo_doi_2030.xlsx).",
    "Xong thì chạy bieu annexes trong thư mục chứa raw/; chương trình nêu từng ô sai (tệp, "
    "sheet, ô): sửa rồi chạy lại.",
]
GUIDE_DRAFT = (
    "Tệp này nhập từ bảng trong báo cáo Word. Cột Mã chỉ tiêu đã ghi chỉ tiêu trong danh mục "
    "gợi ý theo tên: cột Độ khớp cho biết chắc đến đâu, cột Chỉ tiêu gần thứ hai là chỉ tiêu "
    "đứng sau. Các dòng có lý do ở cột Cần "
    "người quyết định (tô màu) phải được người nhập xem và sửa; sau đó có thể xoá ba cột gợi ý."
)
# examples from a real report's tables, in the form's own columns (the catalogue's unit beside
# the indicator's name included) up to Cách đọc số
RESULT_EXAMPLE_COLUMNS = form_columns(RESULT_SHEET, False)[:9]
RESULT_EXAMPLES = [
    ("I", "Nhóm chỉ tiêu chủ yếu về kinh tế", "", "", "", "", "", "", ""),
    ("1", "Thu ngân sách trên địa bàn 5 năm", "Tỷ đồng", "1,130", "1,190", EXCEEDED,
     "Thu ngân sách trên địa bàn 5 năm", "Tỷ đồng", ""),
    ("4", "Diện tích cây ăn quả", "ha", "408,2", "408,2", MET, "Diện tích cây ăn quả", "ha", ""),
    ("", "Phát triển đàn gia súc", "Nghìn con", "5.436", "6.613", EXCEEDED, "Tổng đàn gia súc",
     "Con", DOT_DECIMAL),
    ("8", "Tỷ lệ hộ nghèo giảm bình quân 3%/năm trở lên", "%", "3-4", "4-6", EXCEEDED,
     "Mức giảm tỷ lệ hộ nghèo bình quân hằng năm", "%", ""),
    ("19", "Chỉ tiêu kết nạp Đảng", "Đảng viên", ">30", "98", EXCEEDED, "Kết nạp đảng viên mới",
     "Đảng viên", ""),
]  # fmt: skip
TARGET_EXAMPLE_COLUMNS = form_columns(TARGET_SHEET, False)[:7]
TARGET_EXAMPLES = [
    ("I", "Chỉ tiêu về kinh tế", "", "", "", "", ""),
    ("1", "Thu ngân sách trên địa bàn", "Tỷ đồng", "1,99", "", "Thu ngân sách trên địa bàn",
     "Tỷ đồng"),
    ("3", "Tỷ lệ hộ nghèo, cận nghèo (chuẩn đa chiều)", "%", "< 10", "",
     "Tỷ lệ hộ nghèo, cận nghèo (chuẩn đa chiều)", "%"),
    ("4", "Kết nạp đảng viên mới", "Đảng viên", "≥ 145", "Trong nhiệm kỳ",
     "Kết nạp đảng viên mới", "Đảng viên"),
]  # fmt: skip

# the example's headers as the report printed them (a form cannot know the congress: its own
# header is to finish)
EXAMPLE_HEADERS = {"chi_tieu_nq": "Chỉ tiêu NQ Đại hội XXIII"}

GUIDE_WIDTHS = [3, 24, 40, 14, 14, 14, 24, 24, 16, 18]
LAST = len(GUIDE_WIDTHS) - 1
HELP_WIDTH = sum(GUIDE_WIDTHS[2:])


def guide(commune: Commune, draft: bool) -> SheetLayout:
    """What goes where (each sheet's columns from the layouts), examples, and how to type."""
    sheet = SheetLayout(GUIDE_SHEET, widths=list(GUIDE_WIDTHS))
    _block(sheet, 0, 0, f"HƯỚNG DẪN ĐIỀN TỆP CỦA XÃ {commune.name.upper()}", "form_title")
    row = 2
    if draft:
        row = _paragraphs(sheet, row, [GUIDE_DRAFT])
    for layout in _sheets(commune):
        row = _columns(sheet, row, layout)
    _block(sheet, row, 0, f"Ví dụ: một phần biểu kết quả {TERMS[OLD]} đã gõ", "form_heading")
    row = _example(sheet, row + 1, RESULT_SHEET, RESULT_EXAMPLE_COLUMNS, RESULT_EXAMPLES)
    _block(sheet, row, 0, f"Ví dụ: một phần biểu mục tiêu {TERMS[NEW]} đã gõ", "form_heading")
    row = _example(sheet, row + 1, TARGET_SHEET, TARGET_EXAMPLE_COLUMNS, TARGET_EXAMPLES)
    _block(sheet, row, 0, "Cách gõ số", "form_heading")
    row = _paragraphs(sheet, row + 1, GUIDE_NUMBERS)
    _block(sheet, row, 0, "Biểu số, nhiệm kỳ, dòng nhóm, xã giữ nguyên", "form_heading")
    row = _paragraphs(sheet, row + 1, GUIDE_RULES)
    sheet.page = form_page(row, LAST + 1, landscape=True)
    return sheet


def _sheets(commune: Commune) -> list[Sheet]:
    """The sheets of the commune's workbook that a person fills in."""
    sheets = [INFO_SHEET]
    sheets += [RESULT_SHEET] if commune.kind in (OLD, KEPT) else []
    sheets += [TARGET_SHEET, YEARLY_SHEET] if commune.kind in (NEW, KEPT) else []
    sheets += [MEMBER_SHEET] if commune.kind == NEW else []
    return sheets


def _columns(sheet: SheetLayout, row: int, layout: Sheet) -> int:
    """A sheet's columns, one a row: its header, and what goes in it."""
    optional = " (không bắt buộc)" if layout is YEARLY_SHEET else ""
    _block(sheet, row, 0, f"Sheet {layout.name}{optional}: các cột", "form_heading")
    row += 1
    columns = list(layout.columns.values())
    if layout.years is not None:  # the years' columns after the row's name
        columns.insert(2, Col(" … ".join(term_years()[::4]), help=layout.years.help))
    for col in columns:
        _block(sheet, row, 1, _header_text(col), "form_cell")
        _block(sheet, row, 2, col.help, "form_cell", last_col=LAST)
        fit(sheet, row, [(col.help, HELP_WIDTH), (_header_text(col), GUIDE_WIDTHS[1])])
        row += 1
    return row + 1


def _example(sheet: SheetLayout, row: int, layout: Sheet, names: list[str], examples) -> int:
    for c, name in enumerate(names):
        col = layout.columns.get(name)
        header = default_header(layout, name) if col and col.prefix else None
        header = EXAMPLE_HEADERS.get(name, header) or (col.header if col else name)
        _block(sheet, row, c + 1, header, "form_header")
    for values in examples:
        row += 1
        for c, value in enumerate(values):
            # the catalogue's unit looked up beside the name, as the form shows it
            _block(
                sheet, row, c + 1, value, "form_side" if names[c] == UNIT_BESIDE else "form_cell"
            )
        fit(sheet, row, [(v, GUIDE_WIDTHS[c + 1]) for c, v in enumerate(values)])
    return row + 2


def _paragraphs(sheet: SheetLayout, row: int, texts: list[str]) -> int:
    for text in texts:
        _block(sheet, row, 0, "•", "form_note")
        _block(sheet, row, 1, text, "form_note", last_col=LAST)
        fit(sheet, row, [(text, HELP_WIDTH + GUIDE_WIDTHS[1])])
        row += 1
    return row + 1


def _header_text(col: Col) -> str:
    return col.header + ("…" if col.prefix else "")


def _block(
    sheet: SheetLayout, row: int, col: int, text: str, style: str, last_col: int | None = None
) -> None:
    """A text in a cell, or merged from `col` to `last_col`: all the guide's texts are blocks,
    drawn in the order they are laid down (as the workbook's shared strings list them)."""
    sheet.merges.append(Merge(row, col, row, col if last_col is None else last_col, text, style))

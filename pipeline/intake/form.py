"""The ready-to-fill workbook of one commune: every sheet and column the pipeline reads, and
nothing of another commune; a draft imported from Word is the same workbook with its rows.

Pure: a `Commune` (and, for a draft, its `Table`s) and the catalogue in, the .xlsx bytes out.
The sheets and headers come from the layouts in `schemas/` (`INFO_SHEET`, `RESULT_SHEET`,
`TARGET_SHEET`, `MEMBER_SHEET`), each column's input message from its `Col.help`, the drop-down
lists from `schemas.vocabulary` and the catalogue. Written with XlsxWriter directly, not through
the annexes' sheet model: a form needs data validation and columns formatted as text, which
no output has any use for.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from pipeline.catalogue import Catalogue
from pipeline.layout.sheet import LINE_HEIGHT, PADDING, wrapped_lines
from pipeline.render.xlsx import FIXED_DATE, FONT, OPTIONS
from pipeline.text import clean
from schemas.commune import INFO_SHEET, MEMBER_SHEET
from schemas.layout import Col, Sheet
from schemas.tables import RESULT_SHEET, TARGET_SHEET, YEARLY_SHEET
from schemas.vocabulary import KINDS, NEW, OLD, PUBLISHED, READINGS, YES

KEPT = "Giữ nguyên"  # a commune kept as it is: one workbook holding both its Biểu
FORM_KINDS = (OLD, NEW, KEPT)
TERMS = {OLD: "2020-2025", NEW: "2025-2030"}
CATALOGUE_SHEET = "Danh mục"
GUIDE_SHEET = "Hướng dẫn"
NAME_BESIDE = "Tên trong danh mục"  # beside Mã chỉ tiêu: the chosen code's catalogue name
# a draft's columns after the record's: how sure the suggested code is, the runner-up, and why
# a person must decide the row
SCORE, RUNNER_UP, DECIDE = "Độ khớp mã (%)", "Mã gần thứ hai", "Cần người quyết định"
BLANK_ROWS = 40  # rows laid out, bordered and printable, in a blank table
SPARE_ROWS = 10  # more rows after a draft's
VALIDATED_ROWS = 500  # rows the drop-down lists cover
FONT_SCALE = 12 / 11  # the form is in 11-point type; `wrapped_lines` counts 12-point


@dataclass(frozen=True)
class Commune:
    """Who the workbook is for: `kind` is Trước sắp xếp, Sau sắp xếp or Giữ nguyên; `members`
    the old communes (code, name) of a new commune; `bieu` its Biểu số where known (a kept
    commune's 2025-2030 Biểu takes the next number)."""

    code: str
    name: str
    province: str
    kind: str
    members: tuple[tuple[str, str], ...] = ()
    bieu: str = ""


@dataclass
class Table:
    """An annex table read from a report, for a draft: its kind (`OLD` results or `NEW`
    targets), what is printed around it, and its rows (field → text) with, per row, the
    suggested code's score, the runner-up and why a person must decide ("" where not)."""

    kind: str
    bieu: str = ""
    title: str = ""
    subtitle: str = ""
    term: str = ""
    header: str = ""  # the printed header of the target column ("Chỉ tiêu NQ Đại hội XXIII")
    rows: list[dict[str, str]] = field(default_factory=list)
    scores: list[str] = field(default_factory=list)
    runners_up: list[str] = field(default_factory=list)
    decide: list[str] = field(default_factory=list)


STYLES = {
    "title": {"bold": True, "font_size": 14},
    "heading": {"bold": True, "font_size": 12},
    "note": {"text_wrap": True, "valign": "top"},
    "header": {
        "bold": True,
        "text_wrap": True,
        "align": "center",
        "valign": "vcenter",
        "border": 1,
        "bg_color": "#DDEBF7",
    },
    "cell": {"num_format": "@", "border": 1, "text_wrap": True, "valign": "top"},
    "group": {"num_format": "@", "border": 1, "text_wrap": True, "valign": "top", "bold": True},
    "decide": {
        "num_format": "@",
        "border": 1,
        "text_wrap": True,
        "valign": "top",
        "bg_color": "#FCE4D6",
    },
    "decide_note": {
        "num_format": "@",
        "border": 1,
        "text_wrap": True,
        "valign": "top",
        "bg_color": "#FCE4D6",
        "font_color": "#9C0006",
    },
    "side": {"num_format": "@", "border": 1, "text_wrap": True, "valign": "top", "italic": True},
    "text": {"num_format": "@"},
}
WIDTHS = {
    "tt": 6,
    "chi_tieu": 44,
    "don_vi": 14,
    "danh_gia": 12,
    "ma_chi_tieu": 26,
    "ghi_chu_nhap": 30,
    "tieu_de": 40,
    "dong_phu": 30,
    "ten_xa": 20,
    "tinh": 16,
    "loai": 16,
    "cach_doc_so": 20,
    "ly_do_giu": 24,
    "ghi_chu": 24,
    "ma_xa": 16,
    "ma_xa_cu": 16,
    "ten_xa_cu": 24,
    SCORE: 10,
    RUNNER_UP: 30,
    DECIDE: 55,
}
PAGE_WIDTH = 170  # column widths that print legibly across one landscape A4 page
YEAR_WIDTH = 10  # a year's column of the results year by year


def workbook(commune: Commune, catalogue: Catalogue, tables: list[Table] | None = None) -> bytes:
    """The commune's workbook: blank, or (with `tables`) a draft holding the tables as read."""
    tables = tables or []
    results = next((t for t in tables if t.kind == OLD), None)
    targets = next((t for t in tables if t.kind == NEW), None)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, OPTIONS)
    book.set_properties({"title": f"Xã {commune.name}", "author": "", "created": FIXED_DATE})
    formats = {
        name: book.add_format({"font_name": FONT, **props}) for name, props in STYLES.items()
    }
    lists = _catalogue_lists(catalogue)
    _guide(book.add_worksheet(GUIDE_SHEET), commune, formats, draft=bool(tables))
    _info(book.add_worksheet(INFO_SHEET.name), commune, tables, formats)
    if commune.kind in (OLD, KEPT):
        _table(book.add_worksheet(RESULT_SHEET.name), RESULT_SHEET, results, formats, lists)
    if commune.kind in (NEW, KEPT):
        table = targets or prefilled_targets(catalogue)
        _table(book.add_worksheet(TARGET_SHEET.name), TARGET_SHEET, table, formats, lists)
        _yearly(book.add_worksheet(YEARLY_SHEET.name), table, formats, lists)
    if commune.kind == NEW:
        _members(book.add_worksheet(MEMBER_SHEET.name), commune, formats)
    _catalogue(book.add_worksheet(CATALOGUE_SHEET), catalogue, formats)
    book.close()
    return buffer.getvalue()


# ---------------------------------------------------------------------------- Thông tin


def info_rows(commune: Commune, tables: list[Table]) -> list[dict[str, str]]:
    """The rows of Thông tin: one per Biểu the workbook holds, what is known filled in."""
    kinds = [OLD, NEW] if commune.kind == KEPT else [commune.kind]
    rows = []
    for i, kind in enumerate(kinds):
        table = next((t for t in tables if t.kind == kind), Table(kind))
        bieu = table.bieu or commune.bieu
        if i and not table.bieu and commune.bieu.isdigit():
            bieu = f"{int(commune.bieu) + 1:0{len(commune.bieu)}d}"
        rows.append(
            {
                "ma_xa": commune.code,
                "tinh": commune.province,
                "ten_xa": commune.name,
                "loai": kind,
                "bieu_so": bieu,
                "nhiem_ky": table.term or TERMS[kind],
                "tieu_de": table.title,
                "dong_phu": table.subtitle,
            }
        )
    return rows


def _info(sheet, commune: Commune, tables: list[Table], formats) -> None:
    rows = info_rows(commune, tables)
    _header(sheet, INFO_SHEET, {}, formats)
    for r, row in enumerate(rows, start=1):
        for c, name in enumerate(INFO_SHEET.columns):
            sheet.write_string(r, c, row.get(name, ""), formats["cell"])
    last = len(INFO_SHEET.columns) - 1
    _lists(sheet, INFO_SHEET, {"loai": (KINDS, True), "cach_doc_so": (READINGS, True)})
    _page(sheet, len(rows), last, landscape=True)
    _pages_wide(sheet, sum(_width(n, INFO_SHEET) for n in INFO_SHEET.columns), 0)


# ---------------------------------------------------------------------------- the tables


def prefilled_targets(catalogue: Catalogue) -> Table:
    """A new commune's Mục tiêu as the catalogue lists its 2025-2030 indicators, by group (I,
    II…, in the catalogue's order), to keep or delete: name, unit and code filled, the target
    left to type."""
    listed = catalogue.indicators.drop_duplicates("ma_key")
    listed = listed[listed["nhom_muc_tieu"] != ""]
    groups = list(dict.fromkeys(listed["nhom_muc_tieu"]))
    rows: list[dict[str, str]] = []
    for number, group in enumerate(groups, start=1):
        rows.append({"tt": roman(number), "chi_tieu": group})
        members = listed[listed["nhom_muc_tieu"] == group]
        for item, record in enumerate(members.to_dict("records"), start=1):
            rows.append(
                {
                    "tt": str(item),
                    "chi_tieu": record["ten_chi_tieu"],
                    "don_vi": record["don_vi"],
                    "ma_chi_tieu": record["ma_chi_tieu"],
                }
            )
    return Table(NEW, rows=rows)


def roman(number: int) -> str:
    numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, letters in numerals:
        while number >= value:
            out, number = out + letters, number - value
    return out


def _columns(sheet_layout: Sheet, draft: bool) -> list[str]:
    """The form's columns: the layout's, the catalogue name beside the code, and for a draft
    the suggestion columns."""
    names = list(sheet_layout.columns)
    at = names.index("ma_chi_tieu") + 1
    extra = [SCORE, RUNNER_UP, DECIDE] if draft else []
    return [*names[:at], NAME_BESIDE, *names[at:], *extra]


def _table(sheet, layout: Sheet, table: Table | None, formats, lists: dict) -> None:
    table = table or Table(OLD)
    draft = bool(table.decide)
    columns = _columns(layout, draft)
    value_column = "chi_tieu_nq" if "chi_tieu_nq" in layout.columns else "muc_tieu"
    headers = {value_column: table.header or _default_header(layout, value_column)}
    _header(sheet, layout, headers, formats, columns)
    code_letter = xl_col_to_name(columns.index("ma_chi_tieu"))
    names = dict(zip(lists["codes"], lists["names"], strict=True))
    count = max(len(table.rows) + SPARE_ROWS, BLANK_ROWS)
    for r in range(1, count + 1):
        row = table.rows[r - 1] if r <= len(table.rows) else {}
        note = table.decide[r - 1] if draft and r <= len(table.rows) else ""
        style = "decide" if note else ("group" if _is_group(row) else "cell")
        texts = [(row.get(n, ""), _width(n, layout)) for n in columns]
        texts += [(note, _width(DECIDE, layout)), (names.get(row.get("ma_chi_tieu", ""), ""), 40)]
        _fit(sheet, r, texts)
        for c, name in enumerate(columns):
            if name == NAME_BESIDE:
                _code_name(sheet, r, c, code_letter, lists, row.get("ma_chi_tieu", ""), formats)
            elif name == SCORE:
                sheet.write_string(r, c, table.scores[r - 1] if row else "", formats[style])
            elif name == RUNNER_UP:
                sheet.write_string(r, c, table.runners_up[r - 1] if row else "", formats[style])
            elif name == DECIDE:
                sheet.write_string(r, c, note, formats["decide_note" if note else "cell"])
            else:
                sheet.write_string(r, c, row.get(name, ""), formats[style])
    _lists(
        sheet,
        layout,
        {
            "don_vi": (lists["unit_range"], False),
            "danh_gia": (PUBLISHED, False),
            "ma_chi_tieu": (lists["code_range"].replace("$A$2:$B$", "$A$2:$A$"), False),
            "cach_doc_so": (READINGS, True),
            "giu_danh_gia": ((YES,), True),
        },
        columns,
    )
    _page(sheet, count, len(columns) - 1, landscape=True)
    _pages_wide(sheet, sum(_width(n, layout) for n in columns), 1)


def _is_group(row: dict[str, str]) -> bool:
    """A group row: its TT in Roman numerals (I, II.)."""
    tt = row.get("tt", "").rstrip(".")
    return tt.isupper() and tt.isalpha()


def _code_name(sheet, r: int, c: int, code_letter: str, lists: dict, code: str, formats) -> None:
    """Beside a row's code, its catalogue name, looked up as the person picks a code (shown as
    it is now until the workbook is recalculated)."""
    at = f"{code_letter}{r + 1}"
    lookup = (
        f'=IF({at}="","",IFERROR(VLOOKUP({at},{lists["code_range"]},2,FALSE),'
        '"(mã không có trong danh mục)"))'
    )
    names = dict(zip(lists["codes"], lists["names"], strict=True))
    shown = names.get(code, "(mã không có trong danh mục)" if code else "")
    sheet.write_formula(r, c, lookup, formats["side"], shown)


def _default_header(layout: Sheet, name: str) -> str:
    """A blank table's header for the target column: "Chỉ tiêu NQ" goes on as printed; a
    2025-2030 table's targets are "Mục tiêu đến 2030"."""
    header = layout.columns[name].header
    return f"{header} {TERMS[NEW][-4:]}" if name == "muc_tieu" else header


# ---------------------------------------------------------------------------- Kết quả hằng năm


def term_years(term: str = TERMS[NEW]) -> list[str]:
    """The years a term's results are typed for: all but its first (the baseline's)."""
    start, end = (int(y) for y in term.split("-"))
    return [str(year) for year in range(start + 1, end + 1)]


def _yearly(sheet, targets: Table, formats, lists: dict) -> None:
    """The results year by year, optional: Biểu 03's rows as Mục tiêu lists them now, its
    indicators by name and code only (rows found by code still match once Mục tiêu's rows are
    deleted or numbered again), with one empty column per year of the term."""
    layout = YEARLY_SHEET
    names = list(layout.columns)
    at = names.index("ma_chi_tieu")
    years = term_years()
    # the years first after the row's name, so that they print on the first page
    columns = [*names[:at], *years, names[at], NAME_BESIDE, *names[at + 1 :]]
    _header(sheet, layout, {}, formats, columns)
    for c, name in enumerate(columns):
        if name in years:
            sheet.write_string(0, c, name, formats["header"])
            sheet.set_column(c, c, YEAR_WIDTH, formats["text"])
            sheet.data_validation(
                1,
                c,
                VALIDATED_ROWS,
                c,
                {
                    "validate": "any",
                    "input_title": f"Kết quả năm {name}",
                    "input_message": layout.years.help,
                },
            )
    code_letter = xl_col_to_name(columns.index("ma_chi_tieu"))
    count = max(len(targets.rows) + SPARE_ROWS, BLANK_ROWS)
    for r in range(1, count + 1):
        row = targets.rows[r - 1] if r <= len(targets.rows) else {}
        group = _is_group(row)
        row = row if group else {**row, "tt": ""}
        style = "group" if group else "cell"
        _fit(sheet, r, [(row.get("chi_tieu", ""), _width("chi_tieu", layout))])
        for c, name in enumerate(columns):
            if name == NAME_BESIDE:
                _code_name(sheet, r, c, code_letter, lists, row.get("ma_chi_tieu", ""), formats)
            elif name in years:
                sheet.write_string(r, c, "", formats[style])
            else:
                sheet.write_string(r, c, row.get(name, ""), formats[style])
    _lists(sheet, layout, {"cach_doc_so": (READINGS, True)}, columns)
    _page(sheet, count, len(columns) - 1, landscape=True)
    _pages_wide(sheet, sum(YEAR_WIDTH if n in years else _width(n, layout) for n in columns), 1)


# ---------------------------------------------------------------------------- Xã hợp thành


def _members(sheet, commune: Commune, formats) -> None:
    _header(sheet, MEMBER_SHEET, {}, formats)
    count = max(len(commune.members), 4)
    for r in range(1, count + 1):
        code, name = commune.members[r - 1] if r <= len(commune.members) else ("", "")
        sheet.write_string(r, 0, code, formats["cell"])
        sheet.write_string(r, 1, name, formats["cell"])
    _page(sheet, count, 1, landscape=False)


# ---------------------------------------------------------------------------- Danh mục


def _catalogue_lists(catalogue: Catalogue) -> dict:
    indicators = catalogue.indicators.drop_duplicates("ma_key")
    indicators = indicators[indicators["ma_chi_tieu"] != ""]
    units = catalogue.units.drop_duplicates("don_vi_key")
    units = units[units["don_vi"] != ""]
    quoted = f"'{CATALOGUE_SHEET}'"
    return {
        "codes": indicators["ma_chi_tieu"].tolist(),
        "names": indicators["ten_chi_tieu"].tolist(),
        "units_of": indicators["don_vi"].tolist(),
        "groups": indicators["nhom_muc_tieu"].tolist(),
        "units": units["don_vi"].tolist(),
        "code_range": f"{quoted}!$A$2:$B${max(len(indicators), 1) + 1}",
        "unit_range": f"{quoted}!$F$2:$F${max(len(units), 1) + 1}",
    }


def _catalogue(sheet, catalogue: Catalogue, formats) -> None:
    """The catalogue's codes, names, units and groups, and its units: what the drop-down lists
    offer, to look a code up by name (Ctrl+F)."""
    lists = _catalogue_lists(catalogue)
    headers = [
        "Mã chỉ tiêu",
        "Tên chỉ tiêu",
        "Đơn vị tính",
        "Nhóm mục tiêu 2025-2030",
        "",
        "Đơn vị",
    ]
    for c, text in enumerate(headers):
        if text:
            sheet.write_string(0, c, text, formats["header"])
    rows = zip(lists["codes"], lists["names"], lists["units_of"], lists["groups"], strict=True)
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values):
            sheet.write_string(r, c, value, formats["cell"])
    for r, unit in enumerate(lists["units"], start=1):
        sheet.write_string(r, 5, unit, formats["cell"])
    for c, width in enumerate([28, 60, 16, 30, 3, 20]):
        sheet.set_column(c, c, width)
    sheet.freeze_panes(1, 0)
    _page(sheet, max(len(lists["codes"]), len(lists["units"])), 5, landscape=True)


# ---------------------------------------------------------------------------- Hướng dẫn

GUIDE_NUMBERS = [
    "Gõ mọi ô đúng như bản in của báo cáo. Mọi ô đã định dạng Văn bản (Text), nên Excel giữ "
    "nguyên 3-4, 1,130, 05 như đã gõ.",
    "Số viết kiểu Việt Nam: dấu chấm ngăn nghìn, dấu phẩy thập phân: 9.356; 133,98; 1.234,5.",
    "Chỉ tiêu và kết quả gõ như in: khoảng 3-4, ngưỡng >30, ≥ 90, dưới 12%, 90 trở lên, phân số "
    "17/19, Đạt, K đạt; chữ (Duy trì 758 ha) giữ nguyên.",
    "Số như 5.436 đọc được hai cách. Nếu bảng gõ kiểu bàn phím tiếng Anh (5.436 là năm phẩy "
    "bốn), ghi Dấu chấm thập phân vào cột Cách đọc số của dòng đó (ở sheet Thông tin: của cả "
    "dòng).",
    "Dán từ nơi khác mà Excel đổi 3-4 thành ngày: gõ lại với dấu nháy đơn ở đầu: '3-4.",
]
GUIDE_RULES = [
    "Biểu số: trong báo cáo của một xã mới, các xã trước sắp xếp đánh số 01, 02, … theo thứ tự "
    "ở sheet Xã hợp thành của xã mới; xã mới lấy số tiếp theo (hai xã cũ thì xã mới là 03).",
    "Nhiệm kỳ: biểu kết quả của xã trước sắp xếp ghi 2020-2025; biểu mục tiêu của xã sau sắp "
    "xếp ghi 2025-2030 (số năm để tính mức thay đổi cần mỗi năm).",
    "Dòng nhóm (I, II…) không bắt buộc; có thì gõ như in: số La Mã ở cột TT, tên nhóm ở cột "
    "Chỉ tiêu. Dòng con của một chỉ tiêu để trống cột TT.",
    "Xã giữ nguyên (không sáp nhập): một tệp, một mã. Sheet Thông tin có hai dòng: Trước sắp "
    "xếp (biểu kết quả 2020-2025) và Sau sắp xếp (biểu mục tiêu 2025-2030); tệp có cả sheet "
    "Chỉ tiêu và sheet Mục tiêu.",
    "Mã chỉ tiêu: chọn trong danh sách; cột Tên trong danh mục hiện tên của mã đã chọn để đối "
    "chiếu. Chỉ tiêu hay đơn vị chưa có: thêm vào raw/danh_muc_chi_tieu.xlsx.",
    "Sheet Mục tiêu của xã mới đã ghi sẵn các chỉ tiêu 2025-2030 của danh mục: giữ dòng báo cáo "
    "có (sửa tên, đơn vị cho đúng bản in, gõ mục tiêu), xoá dòng không có, thêm dòng còn thiếu.",
    "Kết quả hằng năm (xã sau sắp xếp, không bắt buộc): mỗi năm của nhiệm kỳ ghi kết quả của "
    "từng chỉ tiêu Biểu 03 vào cột năm đó, cùng đơn vị như Biểu 03; dòng chỉ ra chỉ tiêu bằng "
    "Mã chỉ tiêu, hoặc bằng TT dưới dòng nhóm như Biểu 03. Có kết quả thì make annexes làm thêm "
    "tệp theo dõi tiến độ đến 2030 (theo_doi_2030.xlsx).",
    "Xong thì chạy make annexes; chương trình nêu từng ô sai (tệp, sheet, ô): sửa rồi chạy lại.",
]
GUIDE_DRAFT = (
    "Tệp này nhập từ bảng trong báo cáo Word. Mã chỉ tiêu đã được gợi ý theo tên: cột Độ khớp "
    "mã cho biết chắc đến đâu, cột Mã gần thứ hai là mã đứng sau. Các dòng có lý do ở cột Cần "
    "người quyết định (tô màu) phải được người nhập xem và sửa; sau đó có thể xoá ba cột gợi ý."
)
# examples from a real report's tables, in these columns
RESULT_EXAMPLE_COLUMNS = [*list(RESULT_SHEET.columns)[:7], "cach_doc_so"]
RESULT_EXAMPLES = [
    ("I", "Nhóm chỉ tiêu chủ yếu về kinh tế", "", "", "", "", "", ""),
    ("1", "Thu ngân sách trên địa bàn 5 năm", "Tỷ đồng", "1,130", "1,190", "Vượt",
     "thu_ngan_sach_5_nam", ""),
    ("4", "Diện tích cây ăn quả", "ha", "408,2", "408,2", "Đạt", "dien_tich_cay_an_qua", ""),
    ("", "Phát triển đàn gia súc", "Nghìn con", "5.436", "6.613", "Vượt", "dan_gia_suc",
     "Dấu chấm thập phân"),
    ("8", "Tỷ lệ hộ nghèo giảm bình quân 3%/năm trở lên", "%", "3-4", "4-6", "Vượt",
     "giam_ty_le_ho_ngheo", ""),
    ("19", "Chỉ tiêu kết nạp Đảng", "Đảng viên", ">30", "98", "Vượt", "ket_nap_dang_vien", ""),
]  # fmt: skip
TARGET_EXAMPLE_COLUMNS = list(TARGET_SHEET.columns)[:6]
TARGET_EXAMPLES = [
    ("I", "Chỉ tiêu về kinh tế", "", "", "", ""),
    ("1", "Thu ngân sách trên địa bàn", "Tỷ đồng", "1,99", "", "thu_ngan_sach"),
    ("3", "Tỷ lệ hộ nghèo, cận nghèo (chuẩn đa chiều)", "%", "< 10", "",
     "ty_le_ho_ngheo_can_ngheo"),
    ("4", "Kết nạp đảng viên mới", "Đảng viên", "≥ 145", "Trong nhiệm kỳ", "ket_nap_dang_vien"),
]  # fmt: skip


GUIDE_WIDTHS = [3, 24, 40, 14, 14, 14, 24, 24, 18]
HELP_WIDTH = sum(GUIDE_WIDTHS[2:])


def _guide(sheet, commune: Commune, formats, draft: bool) -> None:
    """What goes where (each sheet's columns from the layouts), examples, and how to type."""
    for c, width in enumerate(GUIDE_WIDTHS):
        sheet.set_column(c, c, width)
    last = len(GUIDE_WIDTHS) - 1
    row = 0
    sheet.write_string(
        row, 0, f"HƯỚNG DẪN ĐIỀN TỆP CỦA XÃ {commune.name.upper()}", formats["title"]
    )
    row += 2
    if draft:
        row = _paragraphs(sheet, row, [GUIDE_DRAFT], formats)
    sheets = [INFO_SHEET]
    sheets += [RESULT_SHEET] if commune.kind in (OLD, KEPT) else []
    sheets += [TARGET_SHEET, YEARLY_SHEET] if commune.kind in (NEW, KEPT) else []
    sheets += [MEMBER_SHEET] if commune.kind == NEW else []
    for layout in sheets:
        optional = " (không bắt buộc)" if layout is YEARLY_SHEET else ""
        sheet.write_string(row, 0, f"Sheet {layout.name}{optional}: các cột", formats["heading"])
        row += 1
        columns = list(layout.columns.values())
        if layout.years is not None:  # the years' columns after the row's name
            columns.insert(2, Col(" … ".join(term_years()[::4]), help=layout.years.help))
        for col in columns:
            sheet.write_string(row, 1, _header_text(col), formats["cell"])
            sheet.merge_range(row, 2, row, last, col.help, formats["cell"])
            _fit(sheet, row, [(col.help, HELP_WIDTH), (_header_text(col), GUIDE_WIDTHS[1])])
            row += 1
        row += 1
    sheet.write_string(row, 0, "Ví dụ: một phần biểu kết quả 2020-2025 đã gõ", formats["heading"])
    row = _example(sheet, row + 1, RESULT_SHEET, RESULT_EXAMPLE_COLUMNS, RESULT_EXAMPLES, formats)
    sheet.write_string(row, 0, "Ví dụ: một phần biểu mục tiêu 2025-2030 đã gõ", formats["heading"])
    row = _example(sheet, row + 1, TARGET_SHEET, TARGET_EXAMPLE_COLUMNS, TARGET_EXAMPLES, formats)
    sheet.write_string(row, 0, "Cách gõ số", formats["heading"])
    row = _paragraphs(sheet, row + 1, GUIDE_NUMBERS, formats)
    sheet.write_string(row, 0, "Biểu số, nhiệm kỳ, dòng nhóm, xã giữ nguyên", formats["heading"])
    row = _paragraphs(sheet, row + 1, GUIDE_RULES, formats)
    _page(sheet, row, last, landscape=True)


def _example(sheet, row: int, layout: Sheet, names: list[str], examples, formats) -> int:
    for c, name in enumerate(names):
        header = _default_header(layout, name) if layout.columns[name].prefix else None
        sheet.write_string(row, c + 1, header or layout.columns[name].header, formats["header"])
    for values in examples:
        row += 1
        for c, value in enumerate(values):
            sheet.write_string(row, c + 1, value, formats["cell"])
        _fit(sheet, row, [(v, GUIDE_WIDTHS[c + 1]) for c, v in enumerate(values)])
    return row + 2


def _paragraphs(sheet, row: int, texts: list[str], formats) -> int:
    last = len(GUIDE_WIDTHS) - 1
    for text in texts:
        sheet.write_string(row, 0, "•", formats["note"])
        sheet.merge_range(row, 1, row, last, text, formats["note"])
        _fit(sheet, row, [(text, HELP_WIDTH + GUIDE_WIDTHS[1])])
        row += 1
    return row + 1


def _header_text(col: Col) -> str:
    return col.header + ("…" if col.prefix else "")


# ---------------------------------------------------------------------------- shared


def _header(sheet, layout: Sheet, printed: dict, formats, columns: list[str] | None = None):
    """The header row, as the pipeline expects it, frozen; every column formatted as text."""
    columns = columns or list(layout.columns)
    for c, name in enumerate(columns):
        col = layout.columns.get(name)
        text = printed.get(name) or (col.header if col else name)
        sheet.write_string(0, c, text, formats["header"])
        sheet.set_column(c, c, _width(name, layout), formats["text"])
        if col and col.help:
            sheet.data_validation(
                1,
                c,
                VALIDATED_ROWS,
                c,
                {
                    "validate": "any",
                    "input_title": clean(col.header)[:32],
                    "input_message": col.help,
                },
            )
    sheet.set_row(0, 32)
    sheet.freeze_panes(1, 0)
    sheet.repeat_rows(0)


def _width(name: str, layout: Sheet) -> float:
    if name == NAME_BESIDE:
        return 40
    return WIDTHS.get(name, 14 if name in layout.columns else 30)


def _fit(sheet, row: int, texts: list[tuple[str, float]]) -> None:
    """A row tall enough for its wrapped texts (Excel does not grow a row a program wrote)."""
    lines = max([1] + [wrapped_lines(text, width * FONT_SCALE) for text, width in texts if text])
    if lines > 1:
        sheet.set_row(row, lines * LINE_HEIGHT + 2 * PADDING)


def _lists(sheet, layout: Sheet, lists: dict, columns: list[str] | None = None) -> None:
    """Drop-down lists with the column's input message: `(values or a range, strict)`; a
    strict list refuses anything else, the others warn and let the printed word stand."""
    columns = columns or list(layout.columns)
    for name, (source, strict) in lists.items():
        if name not in columns:
            continue
        c = columns.index(name)
        col = layout.columns[name]
        sheet.data_validation(
            1,
            c,
            VALIDATED_ROWS,
            c,
            {
                "validate": "list",
                "source": list(source) if isinstance(source, tuple) else f"={source}",
                "ignore_blank": True,
                "input_title": clean(col.header)[:32],
                "input_message": col.help,
                "error_type": "stop" if strict else "warning",
                "error_title": clean(col.header)[:32],
                "error_message": "Giá trị này không có trong danh sách của cột."
                + ("" if strict else " Vẫn giữ nếu bản in ghi như vậy."),
            },
        )


def _pages_wide(sheet, width: float, repeat: int) -> None:
    """A sheet too wide for a page prints over more, its first columns repeated on each."""
    if width > PAGE_WIDTH:
        sheet.fit_to_pages(math.ceil(width / PAGE_WIDTH), 0)
        sheet.repeat_columns(0, repeat)


def _page(sheet, rows: int, last: int, landscape: bool) -> None:
    sheet.set_paper(9)
    if landscape:
        sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.print_area(0, 0, rows, last)
    sheet.set_margins(left=0.5, right=0.4, top=0.6, bottom=0.6)
    sheet.set_footer('&C&"Times New Roman,Regular"&10Trang &P/&N')
    sheet.ignore_errors({"number_stored_as_text": "A1:XFD1048576"})

"""The report's words about the indicators, laid out from the seed's view: part two for each old
commune, part three for the new one, and the annexes as tables, with the figures of the tables
and the ratings that stand."""

from __future__ import annotations

import re

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils import get_column_letter

from pipeline.layout.annex import bieu_sheets, workbook_sheets
from pipeline.layout.document import Paragraph, Table
from pipeline.layout.report import _bound, _prose_unit, _reached, _with_unit, _words, report
from schemas.vocabulary import EVERY_YEAR, GROUP, LEVEL, TERM_TOTAL
from tests.conftest import RAW, edit, views_of
from tests.test_record import BIEU_03

ITEM = re.compile(r"^\((\d+)\) ")


@pytest.fixture(scope="module")
def doc(seed_view):
    return report(seed_view)


def part(doc, start: str, end: str | None) -> list[str]:
    """The paragraphs from the one starting with `start` to the one before `end`."""
    texts = doc.paragraphs()
    first = next(i for i, t in enumerate(texts) if t.startswith(start))
    last = next((i for i, t in enumerate(texts) if end and t.startswith(end)), len(texts))
    return texts[first:last]


def test_the_headings_follow_the_report(doc):
    assert doc.paragraphs("heading1") == [
        "2. Kết quả thực hiện các chỉ tiêu Nghị quyết Đại hội nhiệm kỳ 2020-2025",
        "3. Các chỉ tiêu chủ yếu",
    ]
    assert doc.paragraphs("heading2") == [
        "2.1- Đối với xã Đứa Mòn (có biểu số 01 kèm theo)",
        # the old commune has the new one's name: "cũ", as the report says
        "2.2- Đối với xã Mường Lầm cũ (có biểu số 02 kèm theo)",
        "3.1. Các chỉ tiêu về kinh tế",
        "3.2. Các chỉ tiêu về xã hội, môi trường",
        "3.3. Các chỉ tiêu về xây dựng Đảng và hệ thống chính trị",
    ]
    assert doc.paragraphs("heading3")[:4] == [
        "2.1.1. Nhóm chỉ tiêu chủ yếu về kinh tế",
        "2.1.2. Nhóm chỉ tiêu chủ yếu về xã hội",
        "2.1.3. Nhóm chỉ tiêu về môi trường",
        "2.1.4. Chỉ tiêu về xây dựng Đảng và hệ thống chính trị",
    ]
    assert len(doc.paragraphs("heading3")) == 8


def test_each_old_commune_opens_with_the_tally_that_stands(doc, seed_view):
    openings = [t for t in doc.paragraphs("body") if t.startswith("Đại hội Đảng bộ xã")]
    assert openings == [
        # no rating of the seed is kept by an officer: Đứa Mòn's standing tally is the one
        # computed from its table (the report's 07/10/03 is in kiem_tra.csv against it)
        "Đại hội Đảng bộ xã Đứa Mòn cũ nhiệm kỳ 2020-2025; nhất trí thông qua 20 chỉ tiêu; "
        "kết quả: 06 chỉ tiêu vượt, 09 chỉ tiêu đạt, 05 chỉ tiêu không đạt, cụ thể:",
        "Đại hội Đảng bộ xã Mường Lầm cũ nhiệm kỳ 2020-2025; nhất trí thông qua 20 chỉ tiêu; "
        "kết quả: 08 chỉ tiêu vượt, 11 chỉ tiêu đạt, 01 chỉ tiêu không đạt, cụ thể:",
    ]
    tally = seed_view.tables["tong_hop.csv"].frame().set_index("ma_xa")
    assert tally.loc["dua_mon", ["vuot_chot", "dat_chot", "khong_dat_chot"]].tolist() == [6, 9, 5]


@pytest.mark.parametrize(
    ("start", "end"),
    [("2.1- Đối với xã Đứa Mòn", "2.2-"), ("2.2- Đối với xã Mường Lầm", "3. Các chỉ tiêu")],
)
def test_twenty_numbered_items_for_each_old_commune(doc, start, end):
    numbers = [int(m[1]) for t in part(doc, start, end) if (m := ITEM.match(t))]
    assert numbers == list(range(1, 21))


@pytest.mark.parametrize(
    ("start", "number", "text"),
    [
        (
            "2.1-",
            3,
            # a unit in full words ("Tr. đồng" in the table)
            "(3) Thu nhập bình quân đầu người/năm: 24,8/13,5 triệu đồng, đạt 183,7%, vượt Nghị "
            "quyết Đại hội.",
        ),
        # a growth rate (no bound to its domain in the catalogue): its ratio to the target
        # is no achievement, and is left out
        (
            "2.1-",
            1,
            "(1) Thu ngân sách trên địa bàn 5 năm tăng: 122,7/10%, vượt Nghị quyết Đại hội.",
        ),
        (
            "2.1-",
            4,
            "(4) Diện tích cây ăn quả: 350/695 ha, đạt 50,4%, không đạt Nghị quyết Đại hội. "
            "Phát triển đàn gia súc: 15/15 nghìn con, đạt 100%, đạt Nghị quyết Đại hội. "
            "Tính chung: không đạt Nghị quyết Đại hội.",
        ),
        (
            "2.1-",
            5,
            # rated again: the rating that stands, the published one and why
            "(5) Tỷ lệ lao động nông nghiệp trong tổng lao động xã hội: 90/80%, đạt 88,9%, "
            'đánh giá lại: Không đạt; Biểu 01 công bố ghi Vượt, vì kết quả "90" kém hơn chỉ '
            'tiêu "80" (thấp hơn là tốt).',
        ),
        (
            "2.1-",
            19,
            # a bound in words ("trên 30", ">30" in the table)
            "(19) Chỉ tiêu kết nạp Đảng: kết quả 98 đảng viên, chỉ tiêu trên 30 đảng viên, đạt "
            "326,7%, vượt Nghị quyết Đại hội. Chi bộ có Ban chi ủy: chỉ tiêu 3 chi bộ, đánh giá "
            "lại: Chưa có số liệu; Biểu 01 công bố ghi Vượt, vì không có kết quả thực hiện. Tỷ "
            "lệ chi bộ trực thuộc và đảng viên hoàn thành tốt nhiệm vụ: "
            # no "đạt 100%": 90 / 90 reads Đạt, against the rating Không đạt
            "kết quả 90%, chỉ tiêu trên 90%, đánh giá lại: Không đạt; Biểu 01 công bố ghi Đạt, "
            'vì kết quả "90" chưa vượt ngưỡng chỉ tiêu "trên 90" như lời chỉ tiêu đòi hỏi. Tính '
            "chung: đánh giá lại: Không đạt; Biểu 01 công bố ghi Đạt, vì chỉ tiêu lấy đánh giá "
            "thấp nhất trong các dòng của nó.",
        ),
        (
            "2.2-",
            5,
            "(5) Tỷ lệ lao động nông nghiệp trong tổng lao động xã hội: 59,46/60%, đạt 100,9%, "
            "vượt Nghị quyết Đại hội.",
        ),
        (
            "2.2-",
            13,
            # "Đạt" against "Đạt": the rating alone, after the record's "Diễn giải"
            "(13) Xây dựng xã đạt chuẩn nông thôn mới: năm 2022, đạt Nghị quyết Đại hội. Sản "
            "phẩm OCOP (mật ong): 0/01 sản phẩm, đạt 0%, không đạt Nghị quyết Đại hội. Tính "
            "chung: không đạt Nghị quyết Đại hội.",
        ),
        # the report prints 340% for 85/40: the document gives the ratio of the table's figures
        (
            "2.2-",
            11,
            "(11) Tỷ lệ người sử dụng internet: 85/40%, đạt 212,5%, vượt Nghị quyết Đại hội.",
        ),
    ],
)
def test_an_item_in_the_reports_words_with_the_tables_figures(doc, start, number, text):
    items = [t for t in part(doc, start, "3. Các") if ITEM.match(t)]
    assert items[number - 1] == text


def test_the_prose_takes_the_tables_figures_where_the_report_differs(doc, seed_view):
    checks = seed_view.tables["kiem_tra.csv"].frame()
    # part two of the report says 10 thousand head of cattle, 119 new party members
    assert 'phần hai của báo cáo ghi kết quả "10", biểu ghi "15"' in checks["noi_dung"].tolist()
    livestock = part(doc, "2.1-", "2.2-")
    assert any("Phát triển đàn gia súc: 15/15 nghìn con" in t for t in livestock)
    assert not any("119" in t for t in livestock)
    # part three says 98% and 39,5%; Biểu 03 says 97 and 33,0
    assert 'phần ba của báo cáo ghi mục tiêu "98", biểu ghi "97"' in checks["noi_dung"].tolist()
    targets = part(doc, "3. Các chỉ tiêu", None)
    assert "(4) Tỷ lệ dân số tham gia bảo hiểm y tế: đến năm 2030 đạt 97%." in targets
    assert "(6) Tỷ lệ che phủ rừng: đến năm 2030 đạt 33,0%." in targets


def test_part_three_has_every_biểu_03_target_under_its_group(doc, seed_view):
    targets = [t for t in part(doc, "3. Các chỉ tiêu", None) if ITEM.match(t)]
    rows = [r for r in seed_view.targets if r["loai_dong"] != GROUP]
    assert len(targets) == len(rows) == len([row for row in BIEU_03 if len(row) > 2]) == 35
    for text, row in zip(targets, rows, strict=True):  # each by its full name
        assert text.startswith(f"({row['tt']}) {row['ten_day_du']}: "), text
    assert targets[:3] == [
        "(1) Thu ngân sách trên địa bàn: đến năm 2030 đạt 1,99 tỷ đồng.",
        # a target in words is its own phrase, never after a name that says it again
        "(2) Diện tích cây ăn quả và cây công nghiệp: duy trì 758 ha, trồng mới 50 ha/năm.",
        "(3) Tổng đàn gia súc: đến năm 2030 đạt 18.000 con.",
    ]
    assert "(7) Số bản đạt chuẩn nông thôn mới: đến năm 2030 đạt 05 bản." in targets  # "bản" once
    # the note in words, after the target to meet every year
    assert (
        "(1) Tỷ lệ tổ chức cơ sở đảng được đánh giá, xếp loại hoàn thành tốt nhiệm vụ: hằng năm "
        "đạt từ 90% trở lên, trong đó từ 20% trở lên hoàn thành xuất sắc." in targets
    )
    assert "(3) Tỷ lệ hộ nghèo, cận nghèo theo chuẩn đa chiều: đến năm 2030 dưới 10%." in targets
    assert (
        "(6) Số tiêu chí nông thôn mới đạt được: đến năm 2030 đạt từ 17/19 tiêu chí trở lên."
        in targets
    )
    assert (
        "(7) Số doanh nghiệp, hợp tác xã: duy trì 01 doanh nghiệp, 03 hợp tác xã; thành lập mới "
        "02 hợp tác xã." in targets
    )


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        (LEVEL, "đến năm 2030 "),
        (EVERY_YEAR, "hằng năm "),
        (TERM_TOTAL, "trong nhiệm kỳ "),
    ],
)
def test_part_three_words_each_target_by_its_kind(doc, seed_view, kind, words):
    """The period a target is for comes from its kind, once: no note says it again ("(Hàng
    năm)", "(Đến năm 2030)", "(Trong nhiệm kỳ)" in Biểu 03's notes)."""
    targets = [t for t in part(doc, "3. Các chỉ tiêu", None) if ITEM.match(t)]
    rows = [r for r in seed_view.targets if r["loai_dong"] != GROUP]
    said = [
        text.split(": ", 1)[1]
        for text, row in zip(targets, rows, strict=True)
        if row["loai_muc_tieu"] == kind and row["muc_tieu__kind"] in ("number", "range")
    ]
    assert said and all(s.startswith(words) for s in said), said
    others = {w for w in ("đến năm 2030", "hằng năm", "trong nhiệm kỳ") if w != words.strip()}
    # the target's own phrase, before a note or the record's "Diễn giải"
    phrases = [s.split(",")[0].casefold().replace("hàng năm", "hằng năm") for s in said]
    assert not any(w in p for p in phrases for w in others)
    assert not any(
        re.search(r"\((hàng năm|đến năm 2030|trong nhiệm kỳ)\)", t, re.I) for t in targets
    )


# the issue's list of the tables' shortened words, and the signs and shortened unit prose spells out
ISSUE_ABBREVIATIONS = [
    "BHYT", "BHXH", "NTM", "TTHC", "DVCTT", "KH&CN", "KDC", "DN", "ANTT", "TCCSĐ", "CBCC",
    "HTTNV",  # Biểu 03's own
]  # fmt: skip
SYMBOLS = ["<", ">", "≤", "≥", "tr.đ", "tr. đ"]


def catalogue_abbreviations() -> set[str]:
    """The words in capitals of the catalogue's names that their full names spell out ("HTX",
    "MTTQ", "MT"), with the issue's list."""
    names = pd.read_excel(
        RAW / "danh_muc_chi_tieu.xlsx", sheet_name="Chỉ tiêu", dtype=str, engine="calamine"
    )
    found = {
        word
        for name, full in zip(names["Tên chỉ tiêu"], names["Tên đầy đủ"], strict=True)
        for word in re.findall(r"[\w&]+", name)
        if len(word) > 1 and word.isupper() and word not in full
    }
    return found | set(ISSUE_ABBREVIATIONS)


def test_every_catalogue_indicator_has_its_full_name():
    names = pd.read_excel(
        RAW / "danh_muc_chi_tieu.xlsx", sheet_name="Chỉ tiêu", dtype=str, engine="calamine"
    )
    assert len(names) == 59
    assert names["Tên đầy đủ"].notna().all()
    assert {"MTTQ", "MT", "HTX", "BHYT", "TCCSĐ"} <= catalogue_abbreviations()


def test_no_abbreviation_or_sign_in_the_prose_only_in_the_tables(doc):
    prose = doc.paragraphs("body")
    shortened = catalogue_abbreviations()
    found = [
        (word, text)
        for text in prose
        for word in shortened
        if re.search(rf"(?<![\w&]){re.escape(word)}(?![\w&])", text)
    ]
    found += [(sign, text) for text in prose for sign in SYMBOLS if sign in text.casefold()]
    assert found == []
    # the tables keep them as printed
    cells = {c[2] for b in doc.blocks if isinstance(b, Table) for c in b.sheet.cells}
    assert {"HTX", ">3", "Tr. đồng"} <= cells
    assert any("BHYT" in str(c) for c in cells)


def test_each_re_rated_item_says_so_and_why_and_what_the_report_would_change(doc):
    """Đứa Mòn: items 5, 8, 16 and 19 stand otherwise than Biểu 01 published; the tally
    paragraph gives both tallies and the report's sentences that would change."""
    dua_mon = part(doc, "2.1- Đối với xã Đứa Mòn", "2.2-")
    assert dua_mon[1:3] == [
        "Đại hội Đảng bộ xã Đứa Mòn cũ nhiệm kỳ 2020-2025; nhất trí thông qua 20 chỉ tiêu; "
        "kết quả: 06 chỉ tiêu vượt, 09 chỉ tiêu đạt, 05 chỉ tiêu không đạt, cụ thể:",
        "Biểu 01 công bố 07 vượt, 10 đạt, 03 không đạt; đánh giá lại: 06 vượt, 09 đạt, 05 "
        "không đạt. Các chỉ tiêu đánh giá lại, lý do ghi ở từng chỉ tiêu: (5), (8), (16), (19). "
        'Câu của phần thứ hai báo cáo "kết quả: 07 chỉ tiêu vượt, 10 chỉ tiêu đạt, 03 chỉ tiêu '
        'không đạt" sẽ phải sửa thành "kết quả: 06 chỉ tiêu vượt, 09 chỉ tiêu đạt, 05 chỉ tiêu '
        'không đạt".',
    ]
    items = {int(m[1]): t for t in dua_mon if (m := ITEM.match(t))}
    assert "đánh giá lại: Đạt; Biểu 01 công bố ghi Vượt, vì " in items[8]
    assert items[16] == (
        "(16) Tỷ lệ chất thải rắn ở nông thôn được thu gom: 80/60%, đạt 133,3%, đánh giá lại: "
        'Vượt; Biểu 01 công bố ghi Đạt, vì kết quả "80" tốt hơn chỉ tiêu "60" (cao hơn là tốt).'
    )
    assert items[19].endswith(
        "Tính chung: đánh giá lại: Không đạt; Biểu 01 công bố ghi Đạt, vì chỉ tiêu lấy đánh "
        "giá thấp nhất trong các dòng của nó."
    )
    # an item whose rating stands as published says no more
    assert "đánh giá lại" not in items[4] and "công bố" not in items[11]
    # Mường Lầm's ratings stand as published: no such paragraph
    muong_lam = part(doc, "2.2-", "3. Các chỉ tiêu")
    assert not any("công bố" in t for t in muong_lam[:-1])
    assert muong_lam[-1] == (
        "Câu tổng hợp số chỉ tiêu chưa đạt (phần hạn chế, yếu kém của báo cáo) "
        '"Còn 04 chỉ tiêu chưa đạt (xã Đứa Mòn 03/20, xã Mường Lầm 01/20)" sẽ phải sửa thành '
        '"Còn 06 chỉ tiêu chưa đạt (xã Đứa Mòn 05/20, xã Mường Lầm 01/20)".'
    )


def test_the_records_own_words_follow_the_figures(doc):
    """The seed's "Diễn giải": facts its prose carries that the tables do not."""
    muong_lam = {int(m[1]): t for t in part(doc, "2.2-", "3. Các") if (m := ITEM.match(t))}
    assert muong_lam[8] == (
        "(8) Giảm tỷ lệ hộ nghèo xuống dưới 12%: 1,24/12%, năm 2024 còn 1,24%, vượt Nghị quyết "
        "Đại hội."
    )
    assert (
        "Tỷ lệ chi bộ trực thuộc và đảng viên hoàn thành tốt nhiệm vụ: 90/90%, đạt 100%, trong "
        "đó 20% hoàn thành xuất sắc nhiệm vụ, đạt Nghị quyết Đại hội." in muong_lam[19]
    )
    # read with a decimal point (5.436 typed for 5,436 thousand head): as the record reads it
    assert (
        "Phát triển đàn gia súc: 6,613/5,436 nghìn con, đạt 121,7%, trong đó xây dựng mô hình "
        "chăn nuôi đại gia súc tập trung quy mô 100 con, vượt Nghị quyết Đại hội." in muong_lam[4]
    )
    targets = part(doc, "3. Các chỉ tiêu", None)
    assert (
        "(5) Tỷ lệ lao động qua đào tạo: đến năm 2030 đạt 50%, trong nhiệm kỳ phấn đấu đưa từ 70 "
        "công dân đi xuất khẩu lao động." in targets
    )


def test_the_heading_levels_follow_the_records_outline(seed_raw_dir, doc):
    assert doc.outline == 2  # the seed's: "2." and "3." under "I." and "II."
    book = seed_raw_dir / "son_la" / "muong_lam.xlsx"
    sheet = openpyxl.load_workbook(book)["Thông tin"]
    column = sheet.max_column + 1
    edit(book, "Thông tin", f"{get_column_letter(column)}1", "Cấp đề mục")
    edit(book, "Thông tin", f"{get_column_letter(column)}2", "1")
    assert report(views_of(seed_raw_dir).commune("muong_lam")).outline == 1


def test_kept_ratings_are_phrased_as_kept_and_the_tally_is_the_reports(seed_raw_dir):
    """An officer who keeps the six published ratings of Đứa Mòn that its table does not bear
    out gets the report's own tally, 07/10/03, and says why in the item's paragraph."""
    book = seed_raw_dir / "son_la" / "dua_mon.xlsx"
    edit(book, "Chỉ tiêu", "L1", "Giữ đánh giá công bố")
    edit(book, "Chỉ tiêu", "M1", "Lý do giữ đánh giá")
    reason = "Ban Thường vụ thống nhất giữ như báo cáo"
    for row in (9, 13, 20, 25, 31, 32):
        edit(book, "Chỉ tiêu", f"L{row}", "Có")
        edit(book, "Chỉ tiêu", f"M{row}", reason)
    doc = report(views_of(seed_raw_dir).commune("muong_lam"))
    assert (
        "kết quả: 07 chỉ tiêu vượt, 10 chỉ tiêu đạt, 03 chỉ tiêu không đạt, cụ thể:"
        in doc.paragraphs("body")[0]
    )
    items = [t for t in part(doc, "2.1-", "2.2-") if ITEM.match(t)]
    # 80 / 90 = 88,9 % reads Không đạt: beside the kept "Vượt" it is not printed
    assert items[4] == (
        "(5) Tỷ lệ lao động nông nghiệp trong tổng lao động xã hội: 90/80%, vượt "
        f"Nghị quyết Đại hội (giữ đánh giá đã công bố: {reason})."
    )
    tally = [b for b in doc.blocks if isinstance(b, Table)][0].sheet
    assert "Tổng số: 20 chỉ tiêu: 07 vượt, 10 đạt, 03 không đạt" in [m[4] for m in tally.merges]


def test_an_old_commune_with_no_data_and_not_comparable_items_counts_them(seed_raw_dir):
    book = seed_raw_dir / "son_la" / "muong_lam_cu.xlsx"
    edit(book, "Chỉ tiêu", "E16", "")  # item 11: no result
    edit(book, "Chỉ tiêu", "D21", "nhiều hơn nhiệm kỳ trước")  # item 14: a target in words
    doc = report(views_of(seed_raw_dir).commune("muong_lam"))
    opening = [t for t in doc.paragraphs("body") if t.startswith("Đại hội Đảng bộ xã Mường")]
    assert opening == [
        "Đại hội Đảng bộ xã Mường Lầm cũ nhiệm kỳ 2020-2025; nhất trí thông qua 20 chỉ tiêu; "
        "kết quả: 06 chỉ tiêu vượt, 11 chỉ tiêu đạt, 01 chỉ tiêu không đạt, "
        "01 chỉ tiêu chưa có số liệu, 01 chỉ tiêu không so được, cụ thể:"
    ]
    items = [t for t in part(doc, "2.2-", "3. Các") if ITEM.match(t)]
    assert items[10] == (
        "(11) Tỷ lệ người sử dụng internet: chỉ tiêu 40%, đánh giá lại: Chưa có số liệu; Biểu "
        "02 công bố ghi Vượt, vì không có kết quả thực hiện."
    )
    assert items[13].startswith(
        "(14) Tỷ lệ lao động trong độ tuổi được đào tạo nghề: kết quả 78%, chỉ tiêu nhiều hơn "
        "nhiệm kỳ trước, đánh giá lại: Không so được; Biểu 02 công bố ghi Vượt, vì "
    )


def test_the_annexes_are_the_workbooks_biểu_sheets_rated_as_they_stand(doc, seed_view):
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert [t.sheet.name for t in tables] == ["Biểu 01", "Biểu 02", "Biểu 03"]
    assert all(t.new_page for t in tables)
    assert all(isinstance(b, Paragraph) for b in doc.blocks[: -len(tables)])
    workbook = {s.name: s for s in workbook_sheets(seed_view)}
    standing = {s.name: s for s in bieu_sheets(seed_view, standing=True)}
    assert [(t.sheet.cells, t.sheet.merges) for t in tables] == [
        (s.cells, s.merges) for s in standing.values()
    ]
    # Biểu 02 and 03: every rating of Mường Lầm stands as published; the same cells
    for name in ("Biểu 02", "Biểu 03"):
        assert standing[name].cells == workbook[name].cells
        assert standing[name].merges == workbook[name].merges
    # Biểu 01: the six published ratings the table does not bear out, and the tally line
    differ = [
        (a, b)
        for a, b in zip(workbook["Biểu 01"].cells, standing["Biểu 01"].cells, strict=True)
        if a != b
    ]
    assert {a[1] for a, _ in differ} == {5}  # the rating column
    assert [(a[2], b[2]) for a, b in differ] == [
        ("Vượt", "Không đạt"),
        ("Vượt", "Đạt"),
        ("Đạt", "Vượt"),
        ("Đạt", "Vượt"),
        ("Vượt", "Chưa có số liệu"),
        ("Đạt", "Không đạt"),
    ]
    assert [b[3] for _, b in differ] == [
        "rating:Không đạt",
        "rating:Đạt",
        "rating:Vượt",
        "rating:Vượt",
        "rating:Chưa có số liệu",
        "rating:Không đạt",
    ]
    lines = {m[4] for m in standing["Biểu 01"].merges} - {m[4] for m in workbook["Biểu 01"].merges}
    assert lines == {"Tổng số: 20 chỉ tiêu: 06 vượt, 09 đạt, 05 không đạt"}


@pytest.mark.parametrize(
    ("text", "kind", "unit", "shown"),
    [
        ("97", "number", "%", "97%"),
        ("97%", "number", "%", "97%"),
        ("13,5", "number", "Tr. đồng", "13,5 tr. đồng"),
        ("3", "number", "HTX", "3 HTX"),  # an abbreviation keeps its capitals
        ("05 bản", "number", "Bản", "05 bản"),
        ("3-4", "range", "%", "3-4%"),
        ("< 10", "number", "%", "<\u00a010%"),  # a sign never ends a line
        ("≥ 17/19", "number", "", "≥\u00a017/19"),
        ("Đạt", "quality", "Đạt", "Đạt"),
        ("Duy trì 758 ha", "text", "ha", "Duy trì 758 ha"),
        ("", "empty", "%", ""),
    ],
)
def test_a_figure_takes_its_unit_after_it(text, kind, unit, shown):
    assert _with_unit(text, kind, unit) == shown


def test_the_page_numbers_go_at_the_top_from_page_two(doc):
    page = doc.page
    assert (page.header, page.header_on_first_page, page.footer) == ("{page}", False, "")
    assert (page.paper, page.landscape) == ("A4", False)


def test_the_document_title_names_the_new_commune(doc):
    # the commune's name and the term each kept on one line (no-break spaces)
    assert doc.paragraphs("title") == [
        "CÁC CHỈ TIÊU TRONG BÁO CÁO CHÍNH TRỊ ĐẠI HỘI ĐẢNG BỘ XÃ\u00a0MƯỜNG\u00a0LẦM, "
        "NHIỆM\u00a0KỲ\u00a02025-2030"
    ]
    assert pd.notna(doc.title) and "Mường Lầm" in doc.title


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Duy trì 01 DN, 03 HTX; thành lập mới 02 HTX", "Duy trì 01 doanh nghiệp, 03 hợp tác xã; "
         "thành lập mới 02 hợp tác xã"),
        ("Trong đó ≥ 20% hoàn thành xuất sắc", "Trong đó từ 20% trở lên hoàn thành xuất sắc"),
        ("Giảm ≥10% so với nhiệm kỳ trước", "Giảm từ 10% trở lên so với nhiệm kỳ trước"),
        ("KDC, cơ quan, DN đạt chuẩn “An toàn ANTT”", "khu dân cư, cơ quan, doanh nghiệp đạt "
         "chuẩn “An toàn an ninh trật tự”"),
        ("không quá 5 vụ", "không quá 5 vụ"),  # words already
        ("Sản phẩm OCOP", "Sản phẩm OCOP"),  # a name, not a shortened word
    ],
)  # fmt: skip
def test_free_text_in_prose_has_its_signs_and_shortened_words_spelled_out(text, said):
    assert _words(text) == said


@pytest.mark.parametrize(
    ("unit", "said"),
    [
        ("Tr.đ/người/năm", "triệu đồng/người/năm"),
        ("Tr. đồng", "triệu đồng"),
        ("HTX", "hợp tác xã"),
        ("Doanh nghiệp, HTX", "doanh nghiệp, hợp tác xã"),
        ("%", "%"),
        ("Đảng viên", "Đảng viên"),  # lowered where it follows its figure
    ],
)
def test_a_unit_in_prose_is_in_full_words(unit, said):
    assert _prose_unit(unit) == said


@pytest.mark.parametrize(
    ("text", "unit", "bound", "reached"),
    [
        ("> 30", "Đảng viên", "trên 30 đảng viên", "đạt trên 30 đảng viên"),
        (">=95", "%", "từ 95% trở lên", "đạt từ 95% trở lên"),
        ("≥ 17/19", "Tiêu chí", "từ 17/19 tiêu chí trở lên", "đạt từ 17/19 tiêu chí trở lên"),
        ("< 10", "%", "dưới 10%", "dưới 10%"),  # a ceiling is not "reached"
        ("≤ 5", "%", "không quá 5%", "không quá 5%"),
        ("97", "%", "97%", "đạt 97%"),
    ],
)
def test_a_bound_in_prose_is_in_words(text, unit, bound, reached):
    assert _bound(text, "number", unit) == bound
    assert _reached(text, "number", unit) == reached


def test_without_the_reports_printed_counts_the_published_tally_stands_for_them(seed_raw_dir):
    """Thông tin's "Vượt (báo cáo)" … left empty: the document says what Biểu 01 published and
    what stands, and quotes no sentence of part two; the report's count of items not met is
    taken from the published tally."""
    book = seed_raw_dir / "son_la" / "dua_mon.xlsx"
    for cell in ("K2", "L2", "M2", "N2"):
        edit(book, "Thông tin", cell, None)
    doc = report(views_of(seed_raw_dir).commune("muong_lam"))
    dua_mon = part(doc, "2.1- Đối với xã Đứa Mòn", "2.2-")
    assert dua_mon[2] == (
        "Biểu 01 công bố 07 vượt, 10 đạt, 03 không đạt; đánh giá lại: 06 vượt, 09 đạt, 05 "
        "không đạt. Các chỉ tiêu đánh giá lại, lý do ghi ở từng chỉ tiêu: (5), (8), (16), (19)."
    )
    assert part(doc, "2.2-", "3. Các chỉ tiêu")[-1].endswith(
        '"Còn 06 chỉ tiêu chưa đạt (xã Đứa Mòn 05/20, xã Mường Lầm 01/20)".'
    )

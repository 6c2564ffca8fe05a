"""The report document: drawn from the document model with python-docx, read back with
python-docx (texts, tables, merges, fonts, the page), and printed by LibreOffice."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from pipeline.layout.document import DocumentLayout, Table
from pipeline.layout.report import REPORT_PAGE, report
from pipeline.layout.sheet import Page, SheetLayout
from pipeline.render.docx import Prototypes, dated, render
from tests.conftest import edit
from tests.test_record import BIEU_01, BIEU_02, BIEU_03

NAME = "bao_cao_chi_tieu.docx"
FILL = {"Vượt": "C6EFCE", "Đạt": "DDEBF7", "Không đạt": "FFC7CE", "Chưa có số liệu": "EDEDED"}


# ---------------------------------------------------------------------------- the renderer


def small_sheet() -> SheetLayout:
    """A Biểu in small: a number and a title above the header row, a group row, an item with a
    sub-row, a tally line under the table, and a column beside the print area."""
    sheet = SheetLayout("Biểu 09", widths=[6, 40, 14, 3, 50])
    sheet.merges.append((0, 1, 0, 2, "Biểu 09", "bieu_so"))
    sheet.merges.append((1, 0, 1, 2, "BIỂU THỬ", "title"))
    for col, text in enumerate(["TT", "Chỉ tiêu", "Đánh giá"]):
        sheet.put(3, col, text, "header")
    sheet.put(3, 4, "beside the print area", "side_header")
    sheet.put(4, 0, "I", "group")
    sheet.merges.append((4, 1, 4, 2, "Kinh tế", "group_name"))
    sheet.merges.append((5, 0, 6, 0, "1", "tt"))
    sheet.put(5, 1, "Thu nhập", "text")
    sheet.put(5, 2, "Vượt", "rating:Vượt")
    sheet.put(6, 1, "Đàn bò", "text")
    sheet.put(6, 2, "Không đạt", "rating:Không đạt")
    sheet.merges.append((7, 0, 7, 2, "Tổng số: 1 chỉ tiêu", "tally"))
    sheet.merges.append((8, 0, 8, 2, "not printed", "tally_note"))
    sheet.printed(3, 8, 3)
    return sheet


def small_document(**page) -> DocumentLayout:
    doc = DocumentLayout("Thử", Page(**{"footer": "", **page}))
    doc.add("TIÊU ĐỀ", "title")
    doc.add("1. Phần một", "heading1")
    doc.add("(1) Một đoạn văn.")
    doc.blocks.append(Table(small_sheet()))
    return doc


def read(data: bytes):
    return Document(io.BytesIO(data))


def mm(length) -> float:
    """A length as Word stores it (in twentieths of a point), in millimetres to 0,1 mm."""
    return round(length / 36000, 1)


def first(table, row: int):
    """The `w:tc` of a row's first column as written (python-docx's `cell` gives the top of a
    vertical merge)."""
    return table.rows[row]._tr.tc_lst[0]


def test_paragraphs_take_the_documents_styles():
    document = read(render(small_document()))
    texts = [(p.text, p.style.name) for p in document.paragraphs]
    assert texts == [
        ("TIÊU ĐỀ", "Title"),
        ("1. Phần một", "Heading 2"),  # at the outline's level: under the report's "I."
        ("(1) Một đoạn văn.", "Normal"),
        ("Biểu 09", "Chữ trong bảng"),
        ("BIỂU THỬ", "Chữ trong bảng"),
        ("Tổng số: 1 chỉ tiêu", "Chữ trong bảng"),
    ]
    normal = document.styles["Normal"]
    assert (normal.font.name, normal.font.size) == ("Times New Roman", Pt(14))
    assert normal.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert normal.paragraph_format.first_line_indent == Mm(12.7)
    assert normal.paragraph_format.space_after == Pt(6)
    assert all(
        document.styles[s].font.name == "Times New Roman"
        for s in ("Title", "Subtitle", "Heading 2", "Heading 3", "Heading 4", "Chữ trong bảng")
    )
    assert document.styles["Heading 2"].font.bold
    assert document.styles["Chữ trong bảng"].font.size == Pt(12)
    # the table's own lines: the number right, the title bold 14 pt, the first on a new page:
    # the table's section's
    number, title = document.paragraphs[3], document.paragraphs[4]
    assert number.alignment == WD_ALIGN_PARAGRAPH.RIGHT and number.runs[0].bold
    assert not number.paragraph_format.page_break_before
    assert [s.start_type for s in document.sections] == [WD_SECTION.NEW_PAGE] * 2
    assert title.runs[0].bold and title.runs[0].font.size == Pt(14)


def test_a_sheet_is_drawn_over_its_printed_area_as_a_table():
    [table] = read(render(small_document())).tables
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows == [
        ["TT", "Chỉ tiêu", "Đánh giá"],
        ["I", "Kinh tế", "Kinh tế"],  # the group's name merged over two columns
        ["1", "Thu nhập", "Vượt"],
        ["1", "Đàn bò", "Không đạt"],  # the item's number merged over its sub-row
    ]
    assert table.style.name == "Table Grid"  # thin borders around every cell
    assert table.cell(1, 1)._tc is table.cell(1, 2)._tc
    assert [first(table, r).vMerge for r in (2, 3)] == ["restart", "continue"]
    assert table.cell(2, 1)._tc is not table.cell(3, 1)._tc
    header = table.rows[0]._tr.trPr
    assert header.find(qn("w:tblHeader")) is not None  # repeated on every page
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in table.rows)
    assert table.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
    # the widths of the printed columns, scaled to the page between its margins
    assert [mm(c.width) for c in table.columns] == [round(165 * w / 60, 1) for w in (6, 40, 14)]


def test_cells_look_as_in_the_workbook():
    [table] = read(render(small_document())).tables

    def fill(cell):
        shading = cell._tc.tcPr.find(qn("w:shd"))
        return None if shading is None else shading.get(qn("w:fill"))

    assert (fill(table.cell(2, 2)), fill(table.cell(3, 2))) == ("C6EFCE", "FFC7CE")
    assert fill(table.cell(2, 1)) is None
    run = table.cell(2, 2).paragraphs[0].runs[0]
    assert str(run.font.color.rgb) == "006100"
    assert table.cell(0, 1).paragraphs[0].runs[0].bold
    assert table.cell(0, 1).paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert table.cell(2, 1).paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert all(
        c.paragraphs[0].style.name == "Chữ trong bảng" for row in table.rows for c in row.cells
    )
    # a group's row, and an item's rows but its last, are kept with the next row
    kept = [
        all(c.paragraphs[0].paragraph_format.keep_with_next for c in r.cells) for r in table.rows
    ]
    assert kept == [False, True, True, False]


def test_the_page_is_an_administrative_a4():
    section = read(render(small_document(header="{page}", header_on_first_page=False))).sections[0]
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert [mm(section.top_margin), mm(section.bottom_margin)] == [20, 20]
    assert [mm(section.left_margin), mm(section.right_margin)] == [30, 15]
    # the page number at the top centre, none on the first page, no footer
    assert section.different_first_page_header_footer
    header = section.header.paragraphs[0]
    assert header.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert [f.get(qn("w:instr")) for f in header._p.iter(qn("w:fldSimple"))] == ["PAGE"]
    assert section.first_page_header.paragraphs[0].text == ""
    assert section.footer.paragraphs[0].text == ""


def test_a_footer_with_the_page_count():
    section = read(render(small_document(footer="Trang {page}/{pages}"))).sections[0]
    footer = section.footer.paragraphs[0]
    assert [f.get(qn("w:instr")) for f in footer._p.iter(qn("w:fldSimple"))] == [
        "PAGE",
        "NUMPAGES",
    ]
    assert "".join(t.text for t in footer._p.iter(qn("w:t"))) == "Trang 1/1"


def test_the_same_layout_gives_the_same_bytes_with_fixed_properties():
    data = render(small_document())
    assert render(small_document()) == data
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        assert {i.date_time for i in book.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert "docProps/thumbnail.jpeg" not in book.namelist()
    props = read(data).core_properties
    assert (props.title, props.author, props.last_modified_by, props.comments) == (
        "Thử",
        "",
        "",
        "",
    )
    assert props.created.year == props.modified.year == 2000


def other_document() -> DocumentLayout:
    """A document of the same page as `small_document`, with other texts and looks."""
    sheet = SheetLayout("Biểu 08", widths=[6, 30])
    sheet.merges.append((0, 0, 0, 1, "BIỂU KHÁC", "title"))
    sheet.put(2, 0, "TT", "header")
    sheet.put(2, 1, "Đánh giá", "header")
    sheet.put(3, 0, "1", "tt")
    sheet.put(3, 1, "Đạt", "rating:Đạt")
    sheet.printed(2, 3, 2)
    doc = DocumentLayout("Khác", Page(footer=""))
    doc.add("Một phụ đề", "subtitle")
    doc.add("1.1. Phần khác", "heading2")
    doc.blocks.append(Table(sheet, new_page=True))
    return doc


def test_a_render_leaves_the_next_one_what_a_fresh_process_gives():
    prototypes = Prototypes()
    render(other_document(), prototypes)  # draws its looks and fills its own document
    second = render(small_document(), prototypes)
    fresh = subprocess.run(
        [sys.executable, "-c", FRESH],
        cwd=Path(__file__).parents[2],
        capture_output=True,
        check=True,
    ).stdout
    assert second == fresh == render(small_document())
    assert render(small_document(), prototypes) == second  # the same bytes again


FRESH = """import sys
from tests.render.test_docx import small_document
from pipeline.render.docx import Prototypes, dated, render
sys.stdout.buffer.write(render(small_document()))"""


def test_each_document_starts_from_its_own_copy_of_the_prototype():
    prototypes, page = Prototypes(), small_document().page
    first, _ = prototypes.start(page)
    first.add_paragraph("left in the first")
    first.styles["Normal"].font.size = Pt(20)
    first.core_properties.title = "Đầu"
    second, _ = prototypes.start(page)
    assert second is not first
    assert [p.text for p in second.paragraphs] == [""] * len(second.paragraphs)
    assert second.styles["Normal"].font.size == Pt(14)
    assert second.core_properties.title == ""


def test_a_page_is_set_up_once_per_process_and_its_template_never_changes(monkeypatch):
    """A run's new prototypes start from the template a run before set up (setting it up is
    most of a small run's Word report), and no render can change that template."""
    from pipeline.render import docx

    first = render(small_document(), Prototypes())
    package, ids = docx._TEMPLATES[repr((small_document().page, 2))]

    def set_up_again(page, outline):
        raise AssertionError(f"{page} set up again")

    monkeypatch.setattr(docx, "_set_up", set_up_again)
    prototypes = Prototypes()
    document, _ = prototypes.start(small_document().page)
    document.styles["Normal"].font.size = Pt(20)
    with pytest.raises(TypeError):
        ids["Normal"] = "changed"  # read-only
    assert render(small_document(), prototypes) == first == render(small_document())
    assert docx._TEMPLATES[repr((small_document().page, 2))] == (package, ids)


def test_the_zip_is_dated_again_in_its_own_order():
    stamped = io.BytesIO()
    with zipfile.ZipFile(stamped, "w", zipfile.ZIP_DEFLATED) as book:
        for name in ("z.xml", "a/b.xml", "[Content_Types].xml"):
            book.writestr(name, f"<{name}/>" * 50)  # dated now, as python-docx dates them
    data = dated(stamped.getvalue())
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        assert book.namelist() == ["z.xml", "a/b.xml", "[Content_Types].xml"]
        assert {i.date_time for i in book.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert {i.compress_type for i in book.infolist()} == {zipfile.ZIP_DEFLATED}
        assert book.read("a/b.xml") == b"<a/b.xml/>" * 50
    assert dated(data) == data


# the schema's order of the properties this renderer writes itself (ECMA-376, part 1, 17.4 and
# 17.3): Word refuses a document whose properties are out of it, LibreOffice does not mind
ORDER = {
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW "
    "jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
    "tblDescription",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
    "tcFitText vAlign hideMark",
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
    "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
    "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
    "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
    "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u "
    "effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath",
}


def out_of_order(data: bytes) -> list[tuple[str, list[str]]]:
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        for name in ("word/document.xml", "word/styles.xml", "word/header1.xml"):
            if name not in book.namelist():
                continue
            for element in etree.fromstring(book.read(name)).iter():
                tag = etree.QName(element).localname if isinstance(element.tag, str) else ""
                if tag in ORDER:
                    order = ORDER[tag].split()
                    kids = [etree.QName(c).localname for c in element if isinstance(c.tag, str)]
                    at = [order.index(k) if k in order else -1 for k in kids]
                    if -1 in at or at != sorted(at) or len(set(kids)) < len(kids):
                        found.append((tag, kids))
    return found


def test_properties_are_written_in_the_schemas_order(built):
    assert out_of_order(render(small_document(header="{page}"))) == []
    assert out_of_order((built / NAME).read_bytes()) == []


# ---------------------------------------------------------------------------- the seed


@pytest.fixture(scope="module")
def built(seed_output) -> Path:
    return seed_output / "muong_lam"


@pytest.fixture(scope="module")
def document(built):
    return Document(built / NAME)


def test_the_document_holds_the_report_layouts_paragraphs(document, seed_view):
    assert [p.text for p in document.paragraphs if p.style.name != "Chữ trong bảng"] == (
        report(seed_view).paragraphs()
    )
    items = [p.text for p in document.paragraphs if re.match(r"\(\d+\) ", p.text)]
    assert len(items) == 20 + 20 + 35
    tallies = [p.text for p in document.paragraphs if p.text.startswith("Đại hội Đảng bộ xã")]
    assert [re.search(r"kết quả: (.*), cụ thể:", t)[1] for t in tallies] == [
        "06 chỉ tiêu vượt, 09 chỉ tiêu đạt, 05 chỉ tiêu không đạt",
        "08 chỉ tiêu vượt, 11 chỉ tiêu đạt, 01 chỉ tiêu không đạt",
    ]


def test_the_document_read_back_explains_each_departure_from_the_published_biểu(document):
    """Read back from the file: Đứa Mòn's four items rated again (5, 8, 16, 19), each with the
    rating Biểu 01 published and why, and both tallies with the sentence that would change."""
    prose = report_paragraphs(document)
    start = prose.index("2.1- Đối với xã Đứa Mòn (có biểu số 01 kèm theo)")
    dua_mon = prose[start : prose.index("2.2- Đối với xã Mường Lầm cũ (có biểu số 02 kèm theo)")]
    tally = next(t for t in dua_mon if t.startswith("Biểu 01 công bố"))
    assert "Biểu 01 công bố 07 vượt, 10 đạt, 03 không đạt" in tally
    assert "đánh giá lại: 06 vượt, 09 đạt, 05 không đạt" in tally
    assert "(5), (8), (16), (19)" in tally
    assert '"kết quả: 07 chỉ tiêu vượt, 10 chỉ tiêu đạt, 03 chỉ tiêu không đạt"' in tally
    items = {int(m[1]): t for t in dua_mon if (m := re.match(r"\((\d+)\) ", t))}
    rated_again = {n for n, t in items.items() if "; Biểu 01 công bố ghi " in t}
    # 13: its row "Xây dựng nông thôn mới" is rated again, the item stands as published
    assert rated_again == {5, 8, 13, 16, 19}
    for number, published, standing in [
        (5, "Vượt", "Không đạt"),
        (8, "Vượt", "Đạt"),
        (16, "Đạt", "Vượt"),
        (19, "Đạt", "Không đạt"),
    ]:
        said = f"đánh giá lại: {standing}; Biểu 01 công bố ghi {published}, vì "
        assert said in items[number], items[number]


def standing(built: Path, commune: str) -> list[str]:
    rows = pd.read_csv(built / "chi_tieu.csv", encoding="utf-8-sig", dtype=str)
    return rows.loc[rows["ma_xa"] == commune, "danh_gia_chot"].tolist()


@pytest.mark.parametrize(
    ("index", "commune", "expected"), [(0, "dua_mon", BIEU_01), (1, "muong_lam_cu", BIEU_02)]
)
def test_biểu_01_and_02_hold_every_row_with_the_ratings_that_stand(
    document, built, index, commune, expected
):
    table = document.tables[index]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == [
        "TT",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Chỉ tiêu NQ Đại hội XXIII",
        "Kết quả thực hiện",
        "Đánh giá",
    ]
    assert len(rows) == 1 + len(expected)
    ratings = iter(standing(built, commune))
    item = None
    for offset, want in enumerate(expected, start=1):
        if len(want) == 2:  # a group row: its numeral, its name merged over the table
            assert rows[offset] == [want[0], *[want[1]] * 5]
            assert table.cell(offset, 1).paragraphs[0].runs[0].bold
            continue
        tt, name, unit, target, _, result, _, _ = want
        item = tt or item
        assert rows[offset] == [item, name, unit, target, result, next(ratings)]
        rating = table.cell(offset, 5)
        fill = rating._tc.tcPr.find(qn("w:shd")).get(qn("w:fill"))
        assert fill == FILL[rating.text]
    assert next(ratings, None) is None


def test_item_numbers_are_merged_over_their_sub_rows(document):
    table = document.tables[0]  # Biểu 01: item 4 in rows 5-6, item 19 in rows 29-31
    assert [first(table, r).vMerge for r in (5, 6)] == ["restart", "continue"]
    assert [first(table, r).vMerge for r in (29, 30, 31)] == [
        "restart",
        "continue",
        "continue",
    ]
    assert [table.cell(r, 0).text for r in (29, 30, 31)] == ["19", "19", "19"]
    assert first(table, 4).vMerge is None  # item 3, a single row


def test_biểu_03_holds_every_target(document):
    table = document.tables[2]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["TT", "Chỉ tiêu", "Đơn vị tính", "Mục tiêu đến 2030", "Ghi chú"]
    assert len(rows) == 1 + len(BIEU_03)
    for row, want in zip(rows[1:], BIEU_03, strict=True):
        if len(want) == 2:
            assert row == [want[0], *[want[1]] * 4]
        else:
            tt, name, unit, target, _, note = want
            assert row == [tt, name, unit, target, note]


def test_each_biểu_starts_a_new_page_with_its_number_title_and_tally(document):
    lines = [p for p in document.paragraphs if p.style.name == "Chữ trong bảng"]
    assert [p.text for p in lines] == [
        "Biểu 01",
        "BIỂU CÁC CHỈ TIÊU ĐẠI HỘI XÃ ĐỨA MÒN, NHIỆM KỲ 2020-2025",
        "Tổng số: 20 chỉ tiêu: 06 vượt, 09 đạt, 05 không đạt",
        "Biểu 02",
        "BIỂU CÁC CHỈ TIÊU ĐẠI HỘI XÃ MƯỜNG LẦM, NHIỆM KỲ 2020-2025",
        "Tổng số: 20 chỉ tiêu: 08 vượt, 11 đạt, 01 không đạt",
        "Biểu 03",
        "BIỂU CÁC CHỈ TIÊU ĐẠI HỘI ĐẢNG BỘ XÃ MƯỜNG LẦM, NHIỆM KỲ 2025-2030",
        "(Kèm theo Báo cáo của Ban Chấp hành Đảng bộ xã khóa 1 tại Đại hội đại biểu Đảng bộ xã "
        "lần thứ I )",
        "-----",
    ]
    # each Biểu a section of its own, from a new page, its pages numbered from 1 (as the
    # committee numbers its annexes), under the same header as the prose's
    sections = document.sections
    assert len(sections) == 4
    assert [s.start_type for s in sections] == [WD_SECTION.NEW_PAGE] * 4
    starts = [s._sectPr.find(qn("w:pgNumType")) for s in sections]
    assert starts[0] is None
    assert [n.get(qn("w:start")) for n in starts[1:]] == ["1", "1", "1"]
    assert [s.header.is_linked_to_previous for s in sections] == [False, True, True, True]
    for section in sections:  # in the schema's order (Word refuses a file out of it)
        kids = [etree.QName(c).localname for c in section._sectPr]
        at = [SECTPR_ORDER.split().index(k) for k in kids]
        assert at == sorted(at), kids
    # the first line of each Biểu is the first of its section: the prose's last paragraph,
    # Biểu 01's and Biểu 02's tally lines end the sections before
    enders = [
        p for p in document.paragraphs if p._p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None
    ]
    assert [p.text for p in enders] == [
        report_paragraphs(document)[-1],
        "Tổng số: 20 chỉ tiêu: 06 vượt, 09 đạt, 05 không đạt",
        "Tổng số: 20 chỉ tiêu: 08 vượt, 11 đạt, 01 không đạt",
    ]
    assert not any(p.paragraph_format.page_break_before for p in lines)
    assert lines[8].runs[0].italic


SECTPR_ORDER = (
    "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders "
    "lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter "
    "docGrid printerSettings sectPrChange"
)


def report_paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name != "Chữ trong bảng"]


def test_no_line_of_a_paragraph_alone_at_a_page_s_top_or_foot(document):
    for name in ("Normal", "Heading 2", "Heading 3", "Heading 4", "Title", "Chữ trong bảng"):
        assert document.styles[name].paragraph_format.widow_control, name


def test_the_document_is_in_vietnamese(built):
    with zipfile.ZipFile(built / NAME) as book:
        styles = etree.fromstring(book.read("word/styles.xml"))
        settings = etree.fromstring(book.read("word/settings.xml"))
    default = styles.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}"
    )
    assert default.get(qn("w:val")) == "vi-VN"
    assert settings.find(qn("w:themeFontLang")).get(qn("w:val")) == "vi-VN"
    assert "en-US" not in etree.tostring(styles).decode().replace('w:eastAsia="en-US"', "")


def test_app_xml_is_true_to_the_file(built, document):
    """Not python-docx's template's ("Microsoft Macintosh Word", 1 page, 0 words): the
    program that wrote it and the document's own counts."""
    with zipfile.ZipFile(built / NAME) as book:
        app = etree.fromstring(book.read("docProps/app.xml"))
    ns = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
    values = {etree.QName(e).localname: e.text for e in app}
    assert values["Application"] == "Biểu chỉ tiêu Đại hội (python-docx)"
    assert "Pages" not in values and "Template" not in values
    texts = [p.text for p in document.paragraphs] + [
        p.text for t in document.tables for cell in _unique_cells(t) for p in cell.paragraphs
    ]
    texts = [t for t in texts if t.strip()]
    assert int(values["Words"]) == sum(len(t.split()) for t in texts) > 3000
    assert int(values["Paragraphs"]) == len(texts)
    assert int(values["CharactersWithSpaces"]) == sum(len(t) for t in texts)
    assert app.find(f"{ns}Words") is not None


def _unique_cells(table):
    """Each cell of a table once (python-docx repeats a merged cell in every grid place)."""
    seen, cells = set(), []
    for cell in table._cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell)
    return cells


def test_fonts_page_and_properties(document):
    section = document.sections[0]
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.left_margin), mm(section.right_margin)) == (30, 15)
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (20, 20)
    fonts = {(run.font.name or p.style.font.name) for p in document.paragraphs for run in p.runs}
    assert fonts == {"Times New Roman"}
    body = [p for p in document.paragraphs if p.style.name == "Normal"]
    assert {p.style.font.size for p in body} == {Pt(14)}
    cells = {c.paragraphs[0].style.font.size for t in document.tables for c in t._cells}
    assert cells == {Pt(12)}
    assert document.core_properties.title == (
        "Các chỉ tiêu trong báo cáo chính trị Đại hội Đảng bộ xã Mường Lầm"
    )
    assert REPORT_PAGE.header == "{page}"


def test_a_correction_changes_its_paragraph_and_its_row_and_nothing_else(seed_raw_dir, tmp_path):
    from pipeline import cli

    out = tmp_path / "out"
    args = ["annexes", "--raw", str(seed_raw_dir), "--output", str(out)]
    assert cli.main(args) == 0
    before = Document(out / "muong_lam" / NAME)
    edit(seed_raw_dir / "son_la/dua_mon.xlsx", "Chỉ tiêu", "E5", "26,0")  # item 3: 24,8 → 26,0
    assert cli.main(args) == 0
    after = Document(out / "muong_lam" / NAME)
    paragraphs = [
        (a.text, b.text)
        for a, b in zip(before.paragraphs, after.paragraphs, strict=True)
        if a.text != b.text
    ]
    assert paragraphs == [
        (
            "(3) Thu nhập bình quân đầu người/năm: 24,8/13,5 triệu đồng, đạt 183,7%, vượt Nghị "
            "quyết Đại hội.",
            "(3) Thu nhập bình quân đầu người/năm: 26,0/13,5 triệu đồng, đạt 192,6%, vượt Nghị "
            "quyết Đại hội.",
        )
    ]
    rows = [
        (t, r, [c.text for c in a.cells], [c.text for c in b.cells])
        for t, (x, y) in enumerate(zip(before.tables, after.tables, strict=True))
        for r, (a, b) in enumerate(zip(x.rows, y.rows, strict=True))
        if [c.text for c in a.cells] != [c.text for c in b.cells]
    ]
    assert [(t, r, a[4], b[4]) for t, r, a, b in rows] == [(0, 4, "24,8", "26,0")]


# ---------------------------------------------------------------------------- printed


@pytest.mark.libreoffice
@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice or poppler is not installed",
)
def test_libreoffice_prints_it_on_a4_with_every_table_within_the_page(built, tmp_path):
    pdf = _pdf(built / NAME, tmp_path)
    if pdf is None:
        probe = tmp_path / "probe" / "probe.docx"
        probe.parent.mkdir()
        Document().save(probe)
        if _pdf(probe, probe.parent) is None:
            pytest.skip("LibreOffice Writer is not installed")
        pytest.fail("LibreOffice could not open the document")
    info = subprocess.run(["pdfinfo", pdf], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])
    assert pages >= 6
    sizes = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", str(pages), pdf], check=True, capture_output=True, text=True
    ).stdout
    found = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", sizes)
    assert len(found) == pages
    assert {(round(float(w) / 72 * 25.4), round(float(h) / 72 * 25.4)) for w, h in found} == {
        (210, 297)
    }
    # every word inside the printed width: no table runs off the page
    words = _words(pdf)
    millimetre = 72 / 25.4
    assert min(x0 for _, x0, _, _ in words) >= 30 * millimetre - 2
    assert max(x1 for _, _, x1, _ in words) <= (210 - 15) * millimetre + 2
    # every page of an annex starts with its table's header row: "TT" … "Đánh giá" / "Ghi chú"
    text = subprocess.run(
        ["pdftotext", "-layout", pdf, "-"], check=True, capture_output=True, text=True
    ).stdout
    annex = [p for p in text.split("\f") if re.search(r"^\s*TT\s", p, re.M)]
    assert len(annex) >= 4
    assert all("Đánh giá" in p or "Ghi chú" in p for p in annex)


def _pdf(source: Path, folder: Path) -> Path | None:
    """The document printed to PDF by LibreOffice, or None where it could not open it."""
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(source)],
        capture_output=True,
        timeout=180,
    )
    pdf = folder / f"{source.stem}.pdf"
    return pdf if pdf.exists() else None


def _words(pdf: Path) -> list[tuple[int, float, float, str]]:
    """Every word of the PDF: its page, left and right edges (points), and text."""
    html = subprocess.run(
        ["pdftotext", "-bbox", pdf, "-"], check=True, capture_output=True, text=True
    ).stdout
    words, page = [], 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        elif m := re.search(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', line):
            words.append((page, float(m[1]), float(m[2]), line))
    return words

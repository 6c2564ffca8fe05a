"""The sheet model drawn as an HTML table for the intake page (pipeline/render/html.py), read
back with an HTML parser."""

from __future__ import annotations

import re

import lxml.html

from pipeline.intake.submit import Upload, check
from pipeline.layout.marks import CellMark, marked_sheet
from pipeline.layout.sheet import SheetLayout
from pipeline.layout.style import GRIDLINES, SEVERITY, STYLES
from pipeline.render.html import class_of, stylesheet, table
from schemas.vocabulary import ERROR, FINDING, WARNING


def parsed(sheet: SheetLayout):
    return lxml.html.fragment_fromstring(table(sheet))


def cell(found, a1: str):
    """The `<td>` at an A1 address, by the letters above the columns and the row numbers."""
    letters, row = re.fullmatch(r"([A-Z]+)(\d+)", a1).groups()
    head = [th.text_content() for th in found.xpath("./thead/tr/th")]
    line = next(tr for tr in found.xpath("./tbody/tr") if tr[0].text_content() == row)
    return line[head.index(letters)]


def test_a_marked_cell_has_its_class_its_title_and_its_message_inside():
    sheet = marked_sheet(
        "Chỉ tiêu",
        [["TT", "Kết quả"], ["1", "mười"], ["2", 12.5]],
        {
            ("Chỉ tiêu", "B2"): CellMark(ERROR, ['Lỗi: "mười" không phải là số']),
            ("Chỉ tiêu", "B3"): CellMark(WARNING, ["Cảnh báo: xem lại"]),
        },
    )
    found = parsed(sheet)
    assert found.get("class") == "trang-tinh" and found.get("data-sheet") == "Chỉ tiêu"
    bad = cell(found, "B2")
    assert bad.get("class").split() == [class_of(f"mark:{ERROR}"), "o-loi"]
    assert bad.get("title") == 'Lỗi: "mười" không phải là số'
    assert bad.text == "mười"
    # the cell keeps its text and a number linking to its note, written whole under the table
    [link] = bad.xpath("./a[@class='so-loi-nhan']")
    assert (link.text, link.get("href"), bad.get("id")) == (
        "1",
        "#gc-chi-tieu-1",
        "gc-chi-tieu-o-1",
    )
    notes = found.xpath("./tfoot//ol[@class='cac-loi-nhan']/li[@class='loi-nhan']")
    assert [li.text_content() for li in notes] == [
        'B2: Lỗi: "mười" không phải là số',
        "B3: Cảnh báo: xem lại",
    ]
    assert notes[0].get("id") == "gc-chi-tieu-1"
    assert notes[0].xpath("./a")[0].get("href") == "#gc-chi-tieu-o-1"  # back to the cell
    warned = cell(found, "B3")
    assert "o-canh-bao" in warned.get("class").split() and warned.text == "12,5"
    assert (
        cell(found, "A2").get("class") == class_of("text")
        and cell(found, "A2").get("title") is None
    )


def test_the_notes_ids_differ_between_workbooks_drawn_on_one_page():
    sheet = SheetLayout("Chỉ tiêu")
    sheet.put(0, 0, "x", f"mark:{ERROR}")
    sheet.notes[(0, 0)] = "Lỗi: x"
    first = lxml.html.fragment_fromstring(table(sheet, "Bản nháp 1"))
    second = lxml.html.fragment_fromstring(table(sheet, "Bản nháp 2"))
    assert cell(first, "A1").get("id") == "gc-ban-nhap-1-chi-tieu-o-1"
    assert cell(second, "A1").get("id") == "gc-ban-nhap-2-chi-tieu-o-1"


def test_a_table_rows_empty_cells_are_bordered_and_a_blank_row_is_not():
    """A group's row (its number and name, the rest empty) is drawn with its cells' lines, as
    the workbook's table; a row holding nothing keeps the sheet's light grid."""
    sheet = marked_sheet(
        "Chỉ tiêu",
        [["TT", "Chỉ tiêu", "Kết quả"], ["I", "Nhóm kinh tế", ""], ["", "", ""], ["1", "Thu", 5]],
        {},
    )
    found = parsed(sheet)
    assert [cell(found, a).get("class") for a in ("A2", "B2", "C2")] == [
        class_of("text"),
        class_of("text"),
        "o-trong",
    ]
    assert cell(found, "C3").get("class") is None
    assert "td.o-trong{border:1px solid #000000}" in stylesheet()


def test_rows_and_columns_the_workbook_hides_are_not_drawn_unless_a_problem_lies_there():
    sheet = marked_sheet(
        "Chỉ tiêu",
        [["TT", "Mã nội bộ", "Kết quả", "Ẩn"], ["1", "x1", "mười", "y"], ["2", "x2", 3, "z"]],
        {("Chỉ tiêu", "D2"): CellMark(ERROR, ["Lỗi: sai"])},
    )
    sheet.widths[1] = 0  # column B hidden
    sheet.widths[3] = 0  # column D hidden, but D2 has a problem
    sheet.heights[2] = 0  # row 3 hidden
    found = parsed(sheet)
    assert [th.text_content() for th in found.xpath("./thead/tr/th")] == ["", "A", "C", "D (ẩn)"]
    assert [tr[0].text_content() for tr in found.xpath("./tbody/tr")] == ["1", "2"]
    assert "x1" not in found.text_content() and "x2" not in found.text_content()
    row = found.xpath("./tbody/tr")[1]
    assert [td.text for td in row[1:]] == ["1", "mười", "y"]
    assert "o-loi" in row[3].get("class")


def test_a_finding_on_its_cell_has_the_contracts_class():
    sheet = SheetLayout("Kiểm tra")
    sheet.put(0, 0, "Vượt", f"mark:{FINDING}")
    sheet.notes[(0, 0)] = "Phát hiện: đánh giá lệch"
    assert cell(parsed(sheet), "A1").get("class").split() == [
        class_of(f"mark:{FINDING}"),
        "o-phat-hien",
    ]


def test_every_text_is_escaped():
    sheet = SheetLayout("<b>x</b>")
    sheet.put(0, 0, '<script>alert("x")</script>', "text")
    sheet.notes[(0, 0)] = '"><img src=x onerror=alert(1)>'
    drawn = table(sheet)
    assert "<script>" not in drawn and "<img" not in drawn and "<b>" not in drawn
    found = lxml.html.fragment_fromstring(drawn)
    assert cell(found, "A1").text == '<script>alert("x")</script>'
    assert cell(found, "A1").get("title") == '"><img src=x onerror=alert(1)>'


def test_merged_cells_span_and_numbers_read_in_vietnamese():
    sheet = SheetLayout("Biểu", widths=[10, 20, 30])
    sheet.merge(0, 0, 0, 2, "BIỂU CHỈ TIÊU", "title")
    sheet.number(1, 2, 1234.5, "number")
    found = parsed(sheet)
    title = found.xpath("./tbody/tr")[0][1]
    assert (title.get("colspan"), title.text, title.get("class")) == (
        "3",
        "BIỂU CHỈ TIÊU",
        "k-title",
    )
    assert len(found.xpath("./tbody/tr")[0]) == 2  # the row number, the merged cell
    assert cell(found, "C2").text == "1.234,5"
    assert [c.get("width") for c in found.xpath("./colgroup/col")] == [None, "70", "140", "210"]


def test_the_stylesheet_is_style_py_translated():
    css = stylesheet()
    for name in STYLES:
        assert f"td.{class_of(name)}{{" in css
    rule = re.search(rf"td\.{class_of(f'mark:{ERROR}')}\{{([^}}]*)\}}", css)[1]
    assert f"background-color:{SEVERITY[ERROR]}" in rule and "border:1px solid" in rule
    assert "font-family:'Times New Roman',serif" in rule
    assert class_of("rating:Vượt") == "k-rating-vuot"
    assert f"table.trang-tinh td{{border:1px solid {GRIDLINES}}}" in css  # empty cells: a grid


def test_an_uploads_sheets_drawn_show_its_problem_on_its_cell(seed_raw_dir, tmp_path):
    from tests.intake.test_submit import DM, MEMBERS, broken

    data = broken(tmp_path, DM, "Chỉ tiêu", "E7", "mười")
    [checked] = check(seed_raw_dir, [Upload("muong_lam", "dua_mon.xlsx", data)], MEMBERS)
    sheet = next(s for s in checked.sheets if s.name == "Chỉ tiêu")
    found = parsed(sheet)
    assert cell(found, "E7").get("title") == 'Lỗi: "mười" không phải là số'
    assert "o-loi" in cell(found, "E7").get("class")
    assert "o-canh-bao" in cell(found, "E31").get("class")
    assert cell(found, "B3").text == "Thu ngân sách trên địa bàn 5 năm tăng"
    assert len(found.xpath(".//td[contains(@class, 'o-loi')]")) == 1


def test_a_column_the_workbook_hides_is_drawn_only_for_the_warning_it_gets(seed_raw_dir):
    """An officer's workbook hiding its code column: the check warns that a hidden column is
    read (on G1), so the page draws it, its letter saying it is hidden; the problem's note is
    under the table."""
    import io

    import openpyxl

    from tests.intake.test_submit import MEMBERS

    book = openpyxl.load_workbook(seed_raw_dir / "son_la" / "dua_mon.xlsx")
    book["Chỉ tiêu"].column_dimensions["G"].hidden = True
    data = io.BytesIO()
    book.save(data)
    upload = Upload("muong_lam", "dua_mon.xlsx", data.getvalue())
    [checked] = check(seed_raw_dir, [upload], MEMBERS)
    sheet = next(s for s in checked.sheets if s.name == "Chỉ tiêu")
    assert sheet.widths[6] == 0
    found = parsed(sheet)
    head = found.xpath("./thead/tr/th")
    assert [th.text_content() for th in head[6:9]] == ["F", "G (ẩn)", "H"]
    assert head[7].get("title") == "cột ẩn trong tệp"
    notes = [li.text_content() for li in found.xpath(".//li[@class='loi-nhan']")]
    assert notes[0].startswith('G1: Cảnh báo: cột G ("Mã chỉ tiêu") đang ẩn nhưng vẫn được đọc')

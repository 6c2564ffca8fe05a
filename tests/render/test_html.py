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
    assert bad.xpath("./span[@class='loi-nhan']")[0].text == 'Lỗi: "mười" không phải là số'
    assert bad.text == "mười"
    warned = cell(found, "B3")
    assert "o-canh-bao" in warned.get("class").split() and warned.text == "12,5"
    assert (
        cell(found, "A2").get("class") == class_of("text")
        and cell(found, "A2").get("title") is None
    )


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

"""Laying out the marks: which cells a workbook's problems fill, their notes, and the list."""

from __future__ import annotations

from pipeline.layout.marks import HEADER_ROW, LIST_SHEET, marks, target
from pipeline.problems import ERROR, WARNING, Problem

DM = "raw/son_la/dua_mon.xlsx"
ML = "raw/son_la/muong_lam.xlsx"


def cells(sheet) -> dict[tuple[int, int], str]:
    return {(row, col): text for row, col, text, _ in sheet.cells}


def test_each_workbook_gets_its_own_marks_in_reading_order():
    found = marks(
        [
            Problem(ML, "Thông tin", "I2", "diện tích lệch", WARNING),
            Problem(DM, "Chỉ tiêu", "E7", '"mười" không phải là số'),
            Problem(DM, "Chỉ tiêu", "C3", 'đơn vị "Tấn" không có trong danh mục'),
        ]
    )
    assert list(found) == [DM, ML]
    assert [p.o for p in found[DM].problems] == ["C3", "E7"]
    assert found[ML].cells[("Thông tin", "I2")].level == WARNING


def test_a_cell_with_an_error_and_a_warning_is_marked_as_an_error_with_both_notes():
    cell = marks(
        [
            Problem(DM, "Chỉ tiêu", "D7", "có thể đọc hai cách", WARNING),
            Problem(DM, "Chỉ tiêu", "D7", '"1.23" không phải là số', ERROR),
        ]
    )[DM].cells[("Chỉ tiêu", "D7")]
    assert cell.level == ERROR
    assert cell.note == 'Lỗi: "1.23" không phải là số\nCảnh báo: có thể đọc hai cách'


def test_the_list_names_every_problem_and_links_those_with_a_place():
    found = marks(
        [
            Problem(DM, "", "", 'thiếu sheet "Chỉ tiêu"'),
            Problem(DM, "Thông tin", "hàng 1", 'thiếu cột "Mã xã"'),
            Problem(DM, "Thông tin", "I2", "diện tích phải lớn hơn 0, ô ghi 0"),
        ]
    )[DM]
    sheet = found.sheet
    assert sheet.name == LIST_SHEET
    texts = cells(sheet)
    first = HEADER_ROW + 1
    assert [texts[(HEADER_ROW, c)] for c in range(5)] == ["STT", "Mức độ", "Sheet", "Ô", "Nội dung"]
    assert [texts[(first + i, 4)] for i in range(3)] == [
        'thiếu sheet "Chỉ tiêu"',
        'thiếu cột "Mã xã"',
        "diện tích phải lớn hơn 0, ô ghi 0",
    ]
    # a missing sheet has no place to go; a missing column goes to its header row
    assert found.links == {(first + 1, 3): ("Thông tin", "A1"), (first + 2, 3): ("Thông tin", "I2")}
    assert list(found.cells) == [("Thông tin", "I2")]  # only a cell is filled
    assert sheet.page.header_row == HEADER_ROW and sheet.page.rows == first + 3
    merged = [text for *_, text, _ in sheet.merges]
    assert merged[0] == f"CÁC VẤN ĐỀ TRONG TỆP {DM}"
    assert merged[1].endswith(f"Sửa trong tệp gốc {DM}, không sửa bản sao này.")


def test_where_a_link_goes():
    def place(o: str) -> str:
        return target(Problem(DM, "Chỉ tiêu", o, "x"))

    assert [place(o) for o in ("E7", "AB12", "hàng 3", "hàng 5-7", "G", "")] == [
        "E7",
        "AB12",
        "A3",
        "A5",  # a block of hidden rows: its first row
        "G1",
        "",
    ]

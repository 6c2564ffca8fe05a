"""Drawing the marks on a copy of the officer's workbook: read back (fills, notes, links, the
officer's own cells untouched), byte-identical, and for .xls and .ods a copy of the values."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import openpyxl
import pytest

from pipeline.layout.marks import LIST_SHEET, marks
from pipeline.paths import RAW
from pipeline.problems import WARNING, Problem
from pipeline.render import marked
from pipeline.render.marked import FILL, marked_copy

FIXTURES = Path(__file__).parent.parent / "fixtures"
DM = "raw/son_la/dua_mon.xlsx"
PROBLEMS = [
    Problem(DM, "Chỉ tiêu", "E7", '"mười" không phải là số'),
    Problem(DM, "Thông tin", "I2", "diện tích các xã hợp thành cộng lại lệch", WARNING),
    Problem(DM, "", "", 'thiếu sheet "Mục tiêu"'),
]


def copy_of(source: bytes, problems=PROBLEMS, suffix=".xlsx") -> openpyxl.Workbook:
    copy = marked_copy(source, suffix, marks(problems)[problems[0].tep])
    return openpyxl.load_workbook(io.BytesIO(copy.data))


@pytest.fixture(scope="module")
def seed_copy() -> openpyxl.Workbook:
    return copy_of((RAW / "son_la" / "dua_mon.xlsx").read_bytes())


def test_the_problem_cells_are_filled_and_carry_their_messages(seed_copy):
    error, warning = seed_copy["Chỉ tiêu"]["E7"], seed_copy["Thông tin"]["I2"]
    assert (error.fill.fill_type, error.fill.fgColor.rgb[-6:]) == ("solid", FILL["lỗi"])
    assert error.comment.text == 'Lỗi: "mười" không phải là số'
    assert warning.fill.fgColor.rgb[-6:] == FILL["cảnh báo"] == "FFC000"
    assert warning.comment.text == "Cảnh báo: diện tích các xã hợp thành cộng lại lệch"
    assert seed_copy["Chỉ tiêu"]["E8"].comment is None


def test_the_first_sheet_lists_every_problem_with_a_link_to_its_cell(seed_copy):
    listing = seed_copy.worksheets[0]
    assert (listing.title, seed_copy.active.title) == (LIST_SHEET, LIST_SHEET)
    assert [s.sheet_view.tabSelected for s in seed_copy.worksheets] == [True, False, False]
    rows = [[c.value for c in row] for row in listing.iter_rows(min_row=5)]
    assert rows == [
        ["1", "lỗi", None, None, 'thiếu sheet "Mục tiêu"'],
        ["2", "lỗi", "Chỉ tiêu", "E7", '"mười" không phải là số'],
        ["3", "cảnh báo", "Thông tin", "I2", "diện tích các xã hợp thành cộng lại lệch"],
    ]
    links = {row: listing[f"D{row}"].hyperlink for row in (5, 6, 7)}
    assert links[5] is None
    assert (links[6].location, links[7].location) == ("'Chỉ tiêu'!E7", "'Thông tin'!I2")
    assert listing["B6"].fill.fgColor.rgb[-6:] == FILL["lỗi"]
    assert listing.print_title_rows == "$4:$4"
    assert listing.page_setup.orientation == "landscape"


def test_the_officers_own_cells_are_copied_as_they_are(seed_copy):
    original = openpyxl.load_workbook(RAW / "son_la" / "dua_mon.xlsx")
    assert seed_copy.sheetnames == [LIST_SHEET, *original.sheetnames]
    for sheet in original.worksheets:
        assert [[c.value for c in r] for r in seed_copy[sheet.title].iter_rows()] == [
            [c.value for c in r] for r in sheet.iter_rows()
        ]


def moved(found: os.stat_result, when: float) -> os.stat_result:
    """A file's status with its access and modification times moved to `when`."""
    return os.stat_result((*found[:7], when, when, found[9]))


def test_the_same_workbook_and_problems_give_the_same_bytes(monkeypatch):
    source = (RAW / "son_la" / "dua_mon.xlsx").read_bytes()
    found = marks(PROBLEMS)[DM]
    first = marked_copy(source, ".xlsx", found).data
    later = time.time() + 86400  # a day later: a zip entry stamped with the time would differ
    monkeypatch.setattr(marked.zipfile.time, "time", lambda: later)
    stat = os.stat  # openpyxl writes each sheet to a temporary file, and zips it with its date
    monkeypatch.setattr(marked.zipfile.os, "stat", lambda *a, **k: moved(stat(*a, **k), later))
    assert marked_copy(source, ".xlsx", found).data == first


def test_a_note_already_on_the_cell_is_kept_below_the_message(tmp_path):
    book = openpyxl.load_workbook(RAW / "son_la" / "dua_mon.xlsx")
    book["Chỉ tiêu"]["E7"].comment = openpyxl.comments.Comment("số của phòng thống kê", "Lan")
    buffer = io.BytesIO()
    book.save(buffer)
    note = copy_of(buffer.getvalue())["Chỉ tiêu"]["E7"].comment.text
    assert note == 'Lỗi: "mười" không phải là số\n\nGhi chú có sẵn trong tệp: số của phòng thống kê'


def test_a_problem_inside_merged_cells_marks_the_merged_cell():
    book = openpyxl.load_workbook(RAW / "son_la" / "dua_mon.xlsx")
    book["Chỉ tiêu"].merge_cells("E7:F7")
    buffer = io.BytesIO()
    book.save(buffer)
    problem = Problem(DM, "Chỉ tiêu", "F7", "ô gộp")
    cell = copy_of(buffer.getvalue(), [problem])["Chỉ tiêu"]["E7"]
    assert (cell.fill.fgColor.rgb[-6:], cell.comment.text) == (FILL["lỗi"], "Lỗi: ô gộp")


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_an_older_format_gets_an_xlsx_copy_of_the_values_of_its_sheets_with_problems(suffix):
    from python_calamine import CalamineWorkbook

    path = FIXTURES / f"dua_mon{suffix}"
    tep = f"raw/son_la/dua_mon{suffix}"
    problems = [Problem(tep, "Chỉ tiêu", "E7", '"mười" không phải là số')]
    copy = marked_copy(path.read_bytes(), suffix, marks(problems)[tep])
    assert copy.suffix == ".xlsx"
    book = openpyxl.load_workbook(io.BytesIO(copy.data))
    original = CalamineWorkbook.from_path(str(path))
    assert book.sheetnames == [LIST_SHEET, "Chỉ tiêu"]  # only the sheets with problems
    rows = original.get_sheet_by_name("Chỉ tiêu").to_python()
    sheet = book["Chỉ tiêu"]
    assert [[c.value or "" for c in r][: len(rows[0])] for r in sheet.iter_rows()] == [
        list(r) for r in rows
    ]
    assert sheet["E7"].fill.fgColor.rgb[-6:] == FILL["lỗi"]
    assert sheet["B3"].data_type == "s"


def test_a_file_that_cannot_be_opened_gets_no_copy():
    problems = [Problem(DM, "", "", "không đọc được tệp")]
    assert marked_copy(b"not a workbook", ".xlsx", marks(problems)[DM]) is None


def test_a_workbook_that_expands_past_what_reading_allows_is_not_opened(tmp_path):
    from tests.test_workbook import inflate

    path = tmp_path / "dua_mon.xlsx"
    path.write_bytes((RAW / "son_la" / "dua_mon.xlsx").read_bytes())
    inflate(path, "xl/worksheets/sheet2.xml", 300 * 2**20)
    start = time.perf_counter()
    assert marked_copy(path.read_bytes(), ".xlsx", marks(PROBLEMS)[DM]) is None
    assert time.perf_counter() - start < 1


def test_a_workbook_with_much_data_beside_its_tables_is_marked_as_values(tmp_path):
    """openpyxl would load every sheet: a workbook whose sheets hold more than the pipeline's
    tables is marked as a copy of the values of its sheets with problems, quickly."""
    from tests.test_workbook import rewrite

    def raw_data(book):
        data = book.add_worksheet("Số liệu thô")
        for row in range(4000):
            for col in range(60):
                data.write_number(row, col, row * col)

    path = tmp_path / "dua_mon.xlsx"
    path.write_bytes((RAW / "son_la" / "dua_mon.xlsx").read_bytes())
    rewrite(path, extra_sheets=raw_data)
    start = time.perf_counter()
    copy = marked_copy(path.read_bytes(), ".xlsx", marks(PROBLEMS[:1])[DM])
    assert time.perf_counter() - start < 3
    assert openpyxl.load_workbook(io.BytesIO(copy.data)).sheetnames == [LIST_SHEET, "Chỉ tiêu"]


def test_a_copy_of_values_marks_a_control_character_as_loading_does(tmp_path):
    """A copy of the values (an .xls, an .ods, a workbook with much data) holds each cell as
    loading read it: a control character, which no .xlsx can hold, is the visible mark."""
    path = tmp_path / "dua_mon.xlsx"
    path.write_bytes((RAW / "son_la" / "dua_mon.xlsx").read_bytes())
    book = openpyxl.load_workbook(path)
    book["Chỉ tiêu"]["B3"] = "Thu ngân sách_x0001_"  # how an .xlsx stores a control character
    book.save(path)
    problems = [Problem(DM, "Chỉ tiêu", "B3", "ký tự điều khiển", WARNING)]
    copy = marked._from_values(path.read_bytes(), {"chỉ tiêu"})
    assert copy["Chỉ tiêu"]["B3"].value == "Thu ngân sách\ufffd"
    copy = copy_of(path.read_bytes(), problems, suffix=".xls")  # drawn as a copy of the values
    assert copy["Chỉ tiêu"]["B3"].value == "Thu ngân sách\ufffd"

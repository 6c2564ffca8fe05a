"""Reading raw/: what a cell holds that no output can hold, and which files are read."""

from __future__ import annotations

import shutil

import docx
import openpyxl
import pytest

from pipeline.products import MARKED
from pipeline.workbook import mark_controls
from tests.conftest import besides_the_seeds, edit, marked_cell, snapshot, unmarked

CATALOGUE = "danh_muc_chi_tieu.xlsx"
CONTROL_WARNING = (
    "ô có ký tự điều khiển không in được ({}), thường do chép từ phần mềm khác: đã thay bằng "
    'dấu "\ufffd"; gõ lại nội dung ô để bỏ ký tự này'
)


def test_a_control_character_is_marked_at_reading_with_a_warning_at_its_cell():
    grid = [["TT", "Chỉ tiêu"], ["1", "Thu\x01 ngân\x1f\x01 sách"], [2, "\ud800\ufffe"]]
    found = mark_controls(grid)
    assert grid == [
        ["TT", "Chỉ tiêu"],
        ["1", "Thu\ufffd ngân\ufffd\ufffd sách"],
        [2, "\ufffd\ufffd"],
    ]
    assert {cell: flaw.message for cell, flaw in found.items()} == {
        (1, 1): CONTROL_WARNING.format("U+0001, U+001F"),
        (2, 1): CONTROL_WARNING.format("U+D800, U+FFFE"),
    }
    assert all(flaw.warning for flaw in found.values())
    tabs_and_breaks = [["a\tb\nc\rd", 1.5]]
    assert mark_controls(tabs_and_breaks) == {}
    assert tabs_and_breaks == [["a\tb\nc\rd", 1.5]]


def test_control_characters_in_names_are_marked_and_every_output_is_written(
    seed_raw_dir, run_cli, output_dir
):
    # an .xlsx stores a control character as _xHHHH_; Excel and calamine read the character
    edit(seed_raw_dir / "son_la/muong_lam.xlsx", "Thông tin", "C2", "Mường_x0001_Lầm")
    edit(seed_raw_dir / "son_la/dua_mon.xlsx", "Chỉ tiêu", "B3", "Thu ngân sách_x001F_ trên")
    result = run_cli(seed_raw_dir)
    assert result.status == 0
    assert besides_the_seeds(result.lines)[:2] == [
        f"[cảnh báo] raw/son_la/dua_mon.xlsx › Chỉ tiêu › B3: {CONTROL_WARNING.format('U+001F')}",
        f"[cảnh báo] raw/son_la/muong_lam.xlsx › Thông tin › C2: "
        f"{CONTROL_WARNING.format('U+0001')}",
    ]
    assert besides_the_seeds(result.lines)[2].startswith(
        "Đã tô màu các ô có vấn đề trong bản sao của 2 tệp"
    )
    report = docx.Document(str(output_dir / "muong_lam" / "bao_cao_chi_tieu.docx"))
    texts = [p.text for p in report.paragraphs]
    texts += [c.text for t in report.tables for row in t.rows for c in row.cells]
    assert any("MƯỜNG\ufffdLẦM" in t.upper() for t in texts)
    assert not any("\x01" in t or "\x1f" in t for t in texts)
    annex = openpyxl.load_workbook(output_dir / "muong_lam" / "bieu_chi_tieu.xlsx")
    cells = [str(c.value) for ws in annex for row in ws.iter_rows() for c in row if c.value]
    assert any("Thu ngân sách\ufffd trên" in c for c in cells)
    assert marked_cell(output_dir, "son_la/dua_mon.xlsx", "Chỉ tiêu", "B3")[1].endswith(
        CONTROL_WARNING.format("U+001F")
    )


def test_a_control_character_in_a_result_is_marked_then_refused_as_a_number(
    seed_raw_dir, run_cli, output_dir
):
    before = snapshot(output_dir)
    edit(seed_raw_dir / "son_la/dua_mon.xlsx", "Chỉ tiêu", "E3", "122,7_x0008_")
    result = run_cli(seed_raw_dir)
    assert result.status == 2
    assert besides_the_seeds(result.lines)[:2] == [
        'raw/son_la/dua_mon.xlsx › Chỉ tiêu › E3: "122,7\ufffd" không phải là số',
        f"[cảnh báo] raw/son_la/dua_mon.xlsx › Chỉ tiêu › E3: {CONTROL_WARNING.format('U+0008')}",
    ]
    assert "Traceback" not in result.err
    assert unmarked(snapshot(output_dir)) == unmarked(before)
    copy = openpyxl.load_workbook(output_dir / MARKED / "son_la" / "dua_mon.xlsx")
    assert copy["Chỉ tiêu"]["E3"].comment is not None


# ---------------------------------------------------------------------------- which files


def test_two_catalogue_files_are_an_error_naming_both(seed_raw_dir, run_cli, output_dir):
    """A LibreOffice copy beside the catalogue is never chosen silently (the real one was then
    read as a commune missing "Thông tin")."""
    shutil.copy(seed_raw_dir / CATALOGUE, seed_raw_dir / "danh_muc_chi_tieu.ods")
    before = snapshot(output_dir)
    result = run_cli(seed_raw_dir)
    assert result.status == 2
    assert result.lines[0] == (
        "raw: có 2 tệp danh mục chỉ tiêu (raw/danh_muc_chi_tieu.ods, "
        "raw/danh_muc_chi_tieu.xlsx), chỉ được có một: giữ tệp đúng, xóa hoặc chuyển các tệp "
        "kia ra khỏi raw/"
    )
    assert not any("Thông tin" in line for line in result.lines)
    assert unmarked(snapshot(output_dir)) == unmarked(before)


@pytest.mark.parametrize(
    ("sheet", "said"),
    [
        (
            "Chỉ tiêu",
            "ghi mỗi chỉ tiêu một dòng (thiếu thì không biết chỉ tiêu nào cao hơn là tốt hay "
            "thấp hơn là tốt, gộp ra sao)",
        ),
        (
            "Đơn vị",
            "ghi mỗi đơn vị tính một dòng (thiếu thì không biết đơn vị nào là tỷ lệ, quy đổi ra "
            "sao)",
        ),
    ],
)
def test_a_catalogue_sheet_left_without_rows_is_an_error(
    seed_raw_dir, run_cli, output_dir, sheet, said
):
    """Its header kept, its rows deleted: without indicators every row was scored as "higher
    is better" (a poverty rate falling from 12 to 1,24 rated "Không đạt"), without units no
    baseline merged; now the run refuses, naming the sheet."""
    book = openpyxl.load_workbook(seed_raw_dir / CATALOGUE)
    book[sheet].delete_rows(2, book[sheet].max_row)
    book.save(seed_raw_dir / CATALOGUE)
    before = snapshot(output_dir)
    result = run_cli(seed_raw_dir)
    assert result.status == 2
    assert result.lines[0] == (
        f"raw/danh_muc_chi_tieu.xlsx › {sheet}: sheet không có dòng số liệu: {said}"
    )
    assert unmarked(snapshot(output_dir)) == unmarked(before)


def test_a_copy_of_the_catalogue_in_a_province_folder_is_named_and_not_read(seed_raw_dir, run_cli):
    shutil.copy(seed_raw_dir / CATALOGUE, seed_raw_dir / "son_la" / "Danh_muc_chi_tieu.xlsx")
    result = run_cli(seed_raw_dir)
    assert (result.status, result.lines[0]) == (
        0,
        "[cảnh báo] raw/son_la/Danh_muc_chi_tieu.xlsx: tệp danh mục chỉ tiêu chỉ được đọc ở "
        "ngay trong raw/: không đọc tệp này; xóa tệp nếu là bản sao, hoặc chuyển lên raw/",
    )
    assert result.out.startswith("Đã đọc 3 tệp xã")


def test_mau_reads_the_catalogue_as_the_run_does(seed_raw_dir, capsys):
    from pipeline.cli import main

    args = ["mau", "--raw", str(seed_raw_dir), "--ma-xa", "an", "--ten", "An", "--tinh", "X"]
    shutil.copy(seed_raw_dir / CATALOGUE, seed_raw_dir / "danh_muc_chi_tieu.xlsm")
    assert main([*args, "--loai", "truoc"]) == 2
    assert capsys.readouterr().err == (
        "raw: có 2 tệp danh mục chỉ tiêu (raw/danh_muc_chi_tieu.xlsm, "
        "raw/danh_muc_chi_tieu.xlsx), chỉ được có một: giữ tệp đúng, xóa hoặc chuyển các tệp "
        "kia ra khỏi raw/\n"
    )
    (seed_raw_dir / CATALOGUE).unlink()  # the other alone is the catalogue, for both commands
    assert main([*args, "--loai", "truoc"]) == 0
    assert (seed_raw_dir / "x" / "an.xlsx").is_file()


def test_a_header_a_form_left_to_finish_is_a_warning_at_its_cell(seed_raw_dir, tmp_path, capsys):
    from pipeline.cli import main

    edit(seed_raw_dir / "son_la" / "dua_mon.xlsx", "Chỉ tiêu", "D1", "Chỉ tiêu NQ Đại hội …")
    out = tmp_path / "output"
    assert main(["annexes", "--raw", str(seed_raw_dir), "--output", str(out)]) == 0
    lines = [line for line in capsys.readouterr().err.splitlines() if "›" in line]
    assert besides_the_seeds(lines) == [
        '[cảnh báo] raw/son_la/dua_mon.xlsx › Chỉ tiêu › D1: tiêu đề "Chỉ tiêu NQ Đại hội …" chưa '
        'ghi xong: ghi như bản in thay cho dấu "…", ví dụ "Chỉ tiêu NQ Đại hội XXIII"; phụ lục in '
        "tiêu đề này như đã ghi"
    ]
    annex = openpyxl.load_workbook(out / "muong_lam" / "bieu_chi_tieu.xlsx")
    assert annex["Biểu 01"]["D4"].value == "Chỉ tiêu NQ Đại hội …"

"""The registry of input formats (`pipeline/formats.py`), and `.xlsb`, the entry that proves it:
read as the other formats are, its problems named at their cells, its marked copy made; and a
format that cannot be marked saying so."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from pipeline import formats
from pipeline.load import KINDS, SEEN, load_record
from tests.builders import grids
from tests.conftest import marked_cell
from tests.xlsb import Error, write_xlsb

DM = "son_la/dua_mon"
NOT_A_NUMBER = 'raw/son_la/dua_mon.xlsb › Chỉ tiêu › E7: "mười" không phải là số'


def as_xlsb(raw: Path, edits=(), **hidden) -> Path:
    """The seed's Đứa Mòn saved as an .xlsb workbook in its place, with cells of Chỉ tiêu
    changed (`edits`: (row, column, value), from 0) and what `write_xlsb` hides."""
    source = raw / f"{DM}.xlsx"
    sheets = grids(source)
    for row, column, value in edits:
        sheets["Chỉ tiêu"][row][column] = value
    source.unlink()
    return write_xlsb(raw / f"{DM}.xlsb", sheets, **hidden)


def test_every_suffix_is_declared_once():
    declared = [suffix for f in formats.FORMATS for suffix in f.suffixes]
    assert len(declared) == len(set(declared)) == len(formats.BY_SUFFIX)
    assert not set(declared) & set(formats.NOT_READ)
    assert all(s.startswith(".") and s == s.lower() for s in [*declared, *formats.NOT_READ])
    assert all(f.marker in (formats.OWN, formats.VALUES) or f.unmarked for f in formats.FORMATS)
    assert formats.of(".XLSB") is formats.XLSB and formats.of(".csv") is None


def test_the_xlsb_entry_is_the_only_place_that_names_it():
    assert formats.XLSB in formats.FORMATS and ".xlsb" not in formats.NOT_READ
    assert formats.LISTED == ".xlsx, .xls, .ods, .xlsb"


def test_an_xlsb_workbook_is_read_as_the_same_workbook_saved_as_xlsx(seed_raw_dir):
    before = load_record(seed_raw_dir)
    as_xlsb(seed_raw_dir)
    after = load_record(seed_raw_dir)
    renamed = {"raw/son_la/dua_mon.xlsx": "raw/son_la/dua_mon.xlsb"}
    for kind in KINDS:
        expected = getattr(before, kind).replace({"_tep": renamed})
        pd.testing.assert_frame_equal(getattr(after, kind), expected)
    assert any(t == "raw/son_la/dua_mon.xlsb" for t in after.rows["_tep"])
    assert after.rows.loc[after.rows["_tep"].str.endswith(".xlsb"), "ket_qua"].iloc[1] == "122,7"
    assert [p.line() for p in after.problems] == [
        p.line().replace(".xlsx", ".xlsb") for p in before.problems
    ]


def test_a_cell_of_an_xlsb_workbook_is_named_in_its_message(seed_raw_dir, run_cli):
    as_xlsb(seed_raw_dir, [(6, 4, "mười")])
    result = run_cli(seed_raw_dir)
    assert result.status == 2
    assert NOT_A_NUMBER in result.lines
    assert (
        "[cảnh báo] raw/son_la/dua_mon.xlsb › Chỉ tiêu › E31: chưa có kết quả thực hiện mà có "
        'đánh giá công bố "Vượt": phụ lục in "Vượt" bên ô kết quả trống, đánh giá tính lại là '
        '"Chưa có số liệu"'
        "; nếu bản in có kết quả thì ghi vào ô này, nếu bản in cũng để trống thì giữ trống"
    ) in result.lines


def test_an_xlsb_error_value_is_an_error_at_its_cell(seed_raw_dir, run_cli):
    as_xlsb(seed_raw_dir, [(8, 4, Error(0x07))])
    result = run_cli(seed_raw_dir)
    assert result.status == 2
    assert result.lines[0] == (
        "raw/son_la/dua_mon.xlsb › Chỉ tiêu › E9: ô có giá trị lỗi #DIV/0! của Excel (một công "
        "thức không tính được): gõ giá trị như đã in trong báo cáo; chữ bắt đầu bằng dấu = thì "
        "gõ thêm dấu nháy đơn ' ở đầu để Excel giữ nguyên là chữ"
    )


def test_an_xlsb_hidden_sheet_row_and_column_are_read_with_a_warning(seed_raw_dir, run_cli):
    as_xlsb(
        seed_raw_dir,
        hidden={"Chỉ tiêu"},
        hidden_rows={"Chỉ tiêu": {2}},
        hidden_columns={"Chỉ tiêu": {4}},
    )
    result = run_cli(seed_raw_dir)
    assert result.status == 0
    assert [line for line in result.lines if "đang ẩn" in line] == [
        "[cảnh báo] raw/son_la/dua_mon.xlsb › Chỉ tiêu: sheet đang ẩn nhưng vẫn được đọc: bỏ ẩn "
        "sheet (chuột phải vào tên một sheet › Bỏ ẩn) để thấy số liệu đang dùng",
        f"[cảnh báo] raw/son_la/dua_mon.xlsb › Chỉ tiêu › hàng 3: hàng đang ẩn nhưng vẫn được "
        f"đọc: {SEEN}",
        '[cảnh báo] raw/son_la/dua_mon.xlsb › Chỉ tiêu › E1: cột E ("Kết quả thực hiện") đang ẩn '
        f"nhưng vẫn được đọc: {SEEN}",
    ]


def test_an_xlsb_cell_far_away_is_refused_before_it_is_read(seed_raw_dir, run_cli):
    path = as_xlsb(seed_raw_dir)
    sheets = grids(path)
    sheets["Chỉ tiêu"][1] = sheets["Chỉ tiêu"][1] + [""] * 300 + ["x"]
    write_xlsb(path, sheets)
    result = run_cli(seed_raw_dir)
    assert result.status == 2
    assert result.lines[0].startswith(
        "raw/son_la/dua_mon.xlsb › Chỉ tiêu › KZ2: sheet có ô ở KZ2, ngoài vùng một biểu có thể "
        "có (5.000 dòng, 200 cột)"
    )


def test_an_xlsb_workbook_gets_an_xlsx_copy_of_its_values(seed_raw_dir, tmp_path, run_cli):
    as_xlsb(seed_raw_dir, [(6, 4, "mười")])
    assert run_cli(seed_raw_dir).status == 2
    assert marked_cell(tmp_path / "output", f"{DM}.xlsb.xlsx", "Chỉ tiêu", "E7") == (
        "FF7C80",
        'Lỗi: "mười" không phải là số',
    )


def test_a_format_that_cannot_be_marked_says_so(seed_raw_dir, tmp_path, run_cli, monkeypatch):
    unmarkable = replace(
        formats.XLSB, marker=None, unmarked=formats.CANNOT_MARK.format(formats.XLSB.suffix)
    )
    monkeypatch.setitem(formats.BY_SUFFIX, ".xlsb", unmarkable)
    as_xlsb(seed_raw_dir, [(6, 4, "mười")])
    result = run_cli(seed_raw_dir)
    assert result.status == 2
    assert NOT_A_NUMBER in result.lines
    assert (
        "[cảnh báo] raw/son_la/dua_mon.xlsb: bảng tính dạng .xlsb không có bản tô màu các ô có "
        "vấn đề (các vấn đề vẫn được nêu ở đây): muốn có bản tô màu, mở tệp bằng Excel và lưu "
        "lại dạng .xlsx (Sổ làm việc Excel)"
    ) in result.lines
    copies = tmp_path / "output" / "ban_danh_dau" / "son_la"
    assert not (copies / "dua_mon.xlsb.xlsx").exists()


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"])
def test_every_format_read_is_found_by_the_walk(seed_raw_dir, suffix):
    (seed_raw_dir / "son_la" / f"khac{suffix.upper()}").write_bytes(b"")
    files, _ = formats.walk(seed_raw_dir)
    assert seed_raw_dir / "son_la" / f"khac{suffix.upper()}" in files


def test_an_xlsb_part_larger_than_reading_allows_is_refused(seed_raw_dir, run_cli, monkeypatch):
    from pipeline import workbook

    as_xlsb(seed_raw_dir)
    monkeypatch.setattr(workbook, "MAX_PART_BYTES", 2000)  # the sheet Chỉ tiêu is larger
    result = run_cli(seed_raw_dir)
    assert result.status == 2
    assert [line for line in result.lines if "dua_mon" in line and "giải nén" in line] == [
        "raw/son_la/dua_mon.xlsb › Chỉ tiêu: một phần của tệp (xl/worksheets/sheet2.bin) khi "
        "giải nén nặng 0 MB, quá 0 MB: tệp có thể bị hỏng hoặc cố ý làm phình"
    ]

"""A commune kept as it is: one workbook, one code, both its tables; the same outputs as the
two-workbook form apart from file names."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import openpyxl

from pipeline import cli
from tests import builders
from tests.conftest import edit


def kept_form(raw: Path, into: Path) -> Path:
    """`raw` (the made-up province) with Đông's two workbooks (old `dong`, new `dong_moi`) made
    into one workbook `dong.xlsx` with the code `dong`."""
    shutil.copytree(raw, into)
    folder = into / "tinh_thu"
    old, new = builders.grids(folder / "dong.xlsx"), builders.grids(folder / "dong_moi.xlsx")
    (folder / "dong.xlsx").unlink()
    (folder / "dong_moi.xlsx").unlink()
    new_info = ["dong", *new["Thông tin"][1][1:]]
    builders.workbook(
        folder / "dong.xlsx",
        {
            "Thông tin": [old["Thông tin"][0], old["Thông tin"][1], new_info],
            "Chỉ tiêu": old["Chỉ tiêu"],
            "Mục tiêu": new["Mục tiêu"],
        },
    )
    return into


def build(raw: Path, out: Path, capsys) -> list[str]:
    status = cli.main(["annexes", "--raw", str(raw), "--output", str(out)])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    # the marked copies' folder named the same whatever the output folder
    return [line.replace(f" {out.name}/", " output/") for line in captured.err.splitlines()]


def workbook_text(path: Path) -> list[tuple]:
    """Every sheet's cells, the two-workbook form's second code made the kept one's."""
    book = openpyxl.load_workbook(path)
    return [
        (sheet.title, *(same_names(v) for row in sheet.iter_rows(values_only=True) for v in row))
        for sheet in book.worksheets
    ]


def document_text(path: Path) -> list[str]:
    """The report document's paragraphs and table cells, as `workbook_text` treats cells."""
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return [same_names(text) for text in [p.text for p in document.paragraphs] + cells]


def same_names(value: object) -> object:
    """The new commune's code (its folder, and its file's name) is the only difference."""
    return value.replace("dong_moi", "dong") if isinstance(value, str) else value


def errors(lines: list[str]) -> list[str]:
    """The lines that are not warnings (the made-up Châu prints a rating beside no result)."""
    return [line for line in lines if not line.startswith("[cảnh báo]")]


def test_a_kept_commune_in_one_workbook_builds_what_two_workbooks_build(
    made_up_province, tmp_path, capsys
):
    kept = kept_form(made_up_province, tmp_path / "kept" / "raw")
    two_out, one_out = tmp_path / "two", tmp_path / "one"
    assert build(made_up_province, two_out, capsys) == build(kept, one_out, capsys)
    for name in ("chi_tieu.csv", "tong_hop.csv", "muc_tieu_2030.csv", "kiem_tra.csv"):
        two = (two_out / "dong_moi" / name).read_text(encoding="utf-8-sig")
        assert same_names(two) == (one_out / "dong" / name).read_text(encoding="utf-8-sig"), name
    assert workbook_text(two_out / "dong_moi" / "bieu_chi_tieu.xlsx") == workbook_text(
        one_out / "dong" / "bieu_chi_tieu.xlsx"
    )
    assert workbook_text(two_out / "tong_hop_tinh" / "tinh_thu.xlsx") == workbook_text(
        one_out / "tong_hop_tinh" / "tinh_thu.xlsx"
    )
    assert document_text(two_out / "dong_moi" / "bao_cao_chi_tieu.docx") == document_text(
        one_out / "dong" / "bao_cao_chi_tieu.docx"
    )
    sheets = openpyxl.load_workbook(one_out / "dong" / "bieu_chi_tieu.xlsx").sheetnames
    assert sheets == ["Biểu 05", "Biểu 06", "Kiểm tra"]
    assert (two_out / "tan_an").is_dir() and (one_out / "tan_an").is_dir()


def test_a_kept_commune_with_two_codes_in_two_workbooks_is_told_how_to_keep_it(
    made_up_province, run_cli
):
    """The same code in an old and a new commune's workbooks: one workbook is the way."""
    edit(made_up_province / "tinh_thu" / "dong_moi.xlsx", "Thông tin", "A2", "dong")
    result = run_cli(made_up_province)
    assert errors(result.lines)[0] == (
        'raw/tinh_thu/dong_moi.xlsx › Thông tin › A2: mã xã "dong" trùng với '
        "raw/tinh_thu/dong.xlsx › Thông tin › A2; xã giữ nguyên thì ghi cả hai dòng "
        '("Trước sắp xếp" và "Sau sắp xếp") vào sheet "Thông tin" của một tệp, cùng một mã'
    )
    assert result.status == 2


def test_a_third_row_on_thông_tin_is_an_error(made_up_province, tmp_path, run_cli):
    kept = kept_form(made_up_province, tmp_path / "kept" / "raw")
    book = openpyxl.load_workbook(kept / "tinh_thu" / "dong.xlsx")
    info = book["Thông tin"]
    for column in range(1, info.max_column + 1):
        info.cell(4, column, info.cell(2, column).value)
    book.save(kept / "tinh_thu" / "dong.xlsx")
    result = run_cli(kept)
    assert errors(result.lines)[0] == (
        "raw/tinh_thu/dong.xlsx › Thông tin › hàng 3: sheet chỉ được có một dòng số liệu (một xã "
        "mỗi tệp), hoặc hai dòng cùng mã xã cho một xã giữ nguyên: một dòng "
        '"Trước sắp xếp", một dòng "Sau sắp xếp"'
    )
    assert result.status == 2


def test_a_kept_commune_tracks_its_results_year_by_year(made_up_province, tmp_path, capsys):
    """Đông, kept as it is: income 55 in 2025 → 70 in 2030, compound (70 / 55)^(1/5) − 1 =
    4,94 %/năm; 2026's point 55 × 1,0494 = 57,72: 58,5 is ahead of it, and from it the target
    needs (70 / 58,5)^(1/4) − 1 = 4,59 %/năm."""
    from tests.yearly import add_sheet

    raw = kept_form(made_up_province, tmp_path / "kept")
    rows = [
        ["TT", "Chỉ tiêu", "Mã chỉ tiêu", "2026"],
        ["I", "Kinh tế"],
        ["1", "Thu nhập", "", "58,5"],
    ]
    add_sheet(raw / "tinh_thu" / "dong.xlsx", rows)
    build(raw, tmp_path / "out", capsys)
    lines = (tmp_path / "out" / "dong" / "theo_doi_2030.csv").read_text(encoding="utf-8-sig")
    income = [line for line in lines.splitlines() if ",2026," in line and "Thu nhập" in line]
    assert len(income) == 1
    assert ",Vượt tiến độ," in income[0] and ",4.94,4.59,%/năm," in income[0]

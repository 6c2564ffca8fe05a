"""An indicator named by its catalogue name where its code goes (the forms offer names): read
as its code, whatever its case, accents or spaces; a name the catalogue lacks is a located
error with the catalogue's nearest names."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from pipeline.cli import main
from tests import builders
from tests.conftest import SEED_WARNING, snapshot, unmarked

CAT = "danh_muc_chi_tieu.xlsx"


def named(raw: Path, spell=lambda name: name) -> None:
    """Every code of the seed's tables typed as its catalogue name, spelled by `spell`."""
    names = {row[0]: row[1] for row in builders.grids(raw / CAT)["Chỉ tiêu"][1:]}
    for path, sheet in (
        ("dua_mon", "Chỉ tiêu"),
        ("muong_lam_cu", "Chỉ tiêu"),
        ("muong_lam", "Mục tiêu"),
    ):
        book = openpyxl.load_workbook(raw / "son_la" / f"{path}.xlsx")
        table = book[sheet]
        column = [c.value for c in table[1]].index("Mã chỉ tiêu")
        for row in table.iter_rows(min_row=2):
            if row[column].value in names:
                row[column].value = spell(names[row[column].value])
        book.save(raw / "son_la" / f"{path}.xlsx")


def test_names_in_place_of_codes_give_the_seeds_outputs(seed_raw_dir, seed_output, tmp_path):
    named(seed_raw_dir, lambda name: f"  {name.upper()} ")
    out = tmp_path / "output"
    assert main(["annexes", "--raw", str(seed_raw_dir), "--output", str(out)]) == 0
    assert unmarked(snapshot(out)) == unmarked(snapshot(seed_output))


def test_a_name_the_catalogue_lacks_is_an_error_at_its_cell_with_the_nearest_names(
    seed_raw_dir, tmp_path, capsys
):
    named(seed_raw_dir)
    path = seed_raw_dir / "son_la" / "dua_mon.xlsx"
    book = openpyxl.load_workbook(path)
    book["Chỉ tiêu"]["G3"] = "Thu ngân sách tăng"
    book.save(path)
    before = snapshot(seed_raw_dir)
    out = tmp_path / "output"
    assert main(["annexes", "--raw", str(seed_raw_dir), "--output", str(out)]) == 2
    lines = [line for line in capsys.readouterr().err.splitlines() if line != SEED_WARNING]
    assert lines[0] == (
        'raw/son_la/dua_mon.xlsx › Chỉ tiêu › G3: chỉ tiêu "Thu ngân sách tăng" không có trong '
        'danh mục (sheet "Chỉ tiêu"), theo tên cũng như theo mã; gần nhất: "Thu ngân sách trên '
        'địa bàn 5 năm tăng"'
    )
    assert snapshot(seed_raw_dir) == before
    assert not (out / "muong_lam").exists()

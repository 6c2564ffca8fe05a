"""Batch runs: synthetic provinces, the province roll-up, and one broken commune among good ones."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipeline import cli
from pipeline.load import load_record
from pipeline.prepare import prepare
from pipeline.validate import validate
from tests.conftest import edit
from tools import synth


@pytest.fixture(scope="module")
def small_country(tmp_path_factory) -> Path:
    """Two made-up provinces: 12 old communes merged into 5 new ones."""
    raw = tmp_path_factory.mktemp("synth") / "raw"
    assert synth.write("thu", 7, raw) == 17
    return raw


def test_the_generator_is_deterministic_for_a_seed():
    assert synth.plan("thu", 7) == synth.plan("thu", 7)
    assert synth.plan("thu", 7) != synth.plan("thu", 8)


@pytest.mark.parametrize(("size", "old", "new"), [("tinh", 200, 75), ("ca-nuoc", 10035, 3321)])
def test_the_generator_makes_the_sizes_asked_for(size, old, new):
    books = synth.plan(size, 1)
    kinds = [dict(book.sheets)["Thông tin"][1][3] for book in books]
    assert (kinds.count("Trước sắp xếp"), kinds.count("Sau sắp xếp")) == (old, new)
    members = [
        len(dict(b.sheets)["Xã hợp thành"]) - 1 for b in books if "Xã hợp thành" in dict(b.sheets)
    ]
    assert set(members) <= {1, 2, 3, 4} and 1 in members  # some kept as they are


def test_the_generators_record_passes_validation(small_country):
    record = prepare(load_record(small_country))
    problems = validate(record)
    assert [p.line() for p in problems] == []
    assert len(record.info) == 17
    assert set(record.info["tinh"]) == {"Tỉnh Mường Sơn", "Tỉnh Chiềng Lộc"}


def test_the_generators_record_is_typed_as_officers_type(small_country):
    record = prepare(load_record(small_country))
    texts = set(record.rows["chi_tieu_nq__text"]) | set(record.rows["ket_qua__text"])
    assert any("," in t for t in texts)  # decimal commas
    assert any(t.startswith(">") for t in texts)
    assert any(re.fullmatch(r"\d+-\d+", t) for t in texts)  # ranges
    assert any(t.startswith("0") and len(t) == 2 for t in texts)  # "03"


def test_a_small_synthetic_country_builds_end_to_end(small_country, tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["annexes", "--raw", str(small_country), "--output", str(out)]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert re.fullmatch(
        r"Xong: 5 xã mới, 5 bộ phụ lục ghi mới vào out/, \d+ phát hiện cần xem "
        r"\(kiem_tra\.csv\), \d+,\d giây\.",
        last,
    )
    built = sorted(p.parent.name for p in out.glob("*/bieu_chi_tieu.xlsx"))
    assert len(built) == 5
    assert sorted(p.name for p in (out / "tong_hop_tinh").iterdir()) == [
        "tinh_chieng_loc.xlsx",
        "tinh_muong_son.xlsx",
    ]


def test_the_roll_up_agrees_with_the_communes_own_files(small_country, tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["annexes", "--raw", str(small_country), "--output", str(out)]) == 0
    rows = pd.concat(
        pd.read_csv(p, encoding="utf-8-sig", dtype=str) for p in out.glob("*/chi_tieu.csv")
    )
    catalogue = pd.read_excel(
        small_country / "danh_muc_chi_tieu.xlsx", sheet_name="Chỉ tiêu", engine="calamine"
    )
    name = dict(zip(catalogue["Mã chỉ tiêu"], catalogue["Tên chỉ tiêu"], strict=True))
    for book in (out / "tong_hop_tinh").iterdir():
        sheet = openpyxl.load_workbook(book)["Theo chỉ tiêu"]
        province = sheet["A1"].value.split("– ")[1]
        mine = rows[rows["tep"].str.contains(_folder(book.stem))]
        for line in sheet.iter_rows(min_row=4, values_only=True):
            code = next(c for c, n in name.items() if n == line[1])
            ratings = (
                mine.loc[mine["ma_chi_tieu"] == code]
                .groupby("ma_xa")["danh_gia_tinh"]
                .agg(_weakest)
            )
            counts = ratings.value_counts()
            assert [int(v) for v in line[2:7]] == [
                len(ratings),
                counts.get("Vượt", 0),
                counts.get("Đạt", 0),
                counts.get("Không đạt", 0),
                counts.get("Chưa có số liệu", 0) + counts.get("Không so được", 0),
            ], (province, code)


def _folder(stem: str) -> str:
    return f"/{stem}/"


def _weakest(ratings: pd.Series) -> str:
    order = ["Không đạt", "Chưa có số liệu", "Không so được", "Đạt", "Vượt"]
    return min(ratings, key=order.index)


def test_a_broken_commune_does_not_stop_the_others(small_country, tmp_path, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(small_country, raw)
    broken = sorted(raw.glob("*/*_x00000.xlsx"))[0]
    edit(broken, "Chỉ tiêu", "E3", "mười")
    out = tmp_path / "out"
    status = cli.main(["annexes", "--raw", str(raw), "--output", str(out)])
    captured = capsys.readouterr()
    assert status == 2
    lines = captured.err.splitlines()
    assert (
        lines[0]
        == f'raw/{broken.parent.name}/{broken.name} › Chỉ tiêu › E3: "mười" không phải là số'
    )
    assert lines[1] == (
        "Chưa dựng lại 1 xã mới vì có lỗi ở xã đó hoặc ở xã hợp thành "
        f"({broken.parent.name}_m0000): sửa các ô nêu trên rồi chạy lại `make annexes`; các xã "
        "khác vẫn được dựng."
    )
    assert "Traceback" not in captured.err
    built = sorted(p.parent.name for p in out.glob("*/bieu_chi_tieu.xlsx"))
    assert len(built) == 4  # the four new communes that do not include the broken one
    assert re.search(r", 1 xã mới chưa dựng vì lỗi, ", captured.out)
    # the new commune formed from the broken one heads its province's list, with its one error
    folder = broken.parent.name
    rollup = openpyxl.load_workbook(out / "tong_hop_tinh" / f"{folder}.xlsx")["Xã có phát hiện"]
    assert (rollup["C4"].value, rollup["D4"].value) == (f"{folder}_m0000", "1")

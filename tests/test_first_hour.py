"""The officer's first hour, with nothing but the installed command: an empty folder, `bieu
khoi-tao`, two old communes' forms and their new commune's, the seed's values typed as text into
the cells a person fills (never one a form filled itself), `bieu annexes`: the seed's ratings,
tallies and 2025 baselines, and no error."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipeline.paths import RAW
from tests import builders

pytestmark = pytest.mark.processes

SEED = RAW / "son_la"
CODE = "Mã chỉ tiêu"
# the seed's communes in the order an officer makes their forms: the old ones, then the new
COMMUNES = [
    ("dua_mon", "Đứa Mòn", "truoc", ()),
    ("muong_lam_cu", "Mường Lầm", "truoc", ()),
    ("muong_lam", "Mường Lầm", "sau", ("--xa-hop-thanh", "dua_mon, muong_lam_cu")),
]


def bieu(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """The installed command, run in `folder` as an officer runs it."""
    command = shutil.which("bieu", path=str(Path(sys.executable).parent))
    assert command, "the bieu command is not installed beside this Python"
    env = {k: v for k, v in os.environ.items() if k != "BIEU_RERUN"}
    return subprocess.run(
        [command, *args], cwd=folder, capture_output=True, text=True, env=env, timeout=300
    )


def names() -> dict[str, str]:
    """Each code of the catalogue by the name its forms offer."""
    return {
        row[0]: row[1] for row in builders.grids(RAW / "danh_muc_chi_tieu.xlsx")["Chỉ tiêu"][1:]
    }


# the header a form leaves to finish, as the seed prints it once finished
UNFINISHED, PRINTED = "Chỉ tiêu NQ Đại hội …", "Chỉ tiêu NQ Đại hội XXIII"


def column(header: list, printed: str) -> int:
    """The form's column of a header as the seed prints it."""
    return header.index(printed)


def type_text(cell, value: str) -> None:
    cell.value = value
    cell.data_type = "s"


def fill_info(sheet, seed: list[list], filled: list) -> None:
    """Type the seed's facts into the cells of Thông tin the form left empty; those it filled
    (code, province, name, kind, Biểu số, term, title) hold the seed's own values."""
    header = [c.value for c in sheet[1]]
    for printed, value in zip(seed[0], seed[1], strict=True):
        cell = sheet.cell(2, column(header, printed) + 1)
        if cell.value not in (None, ""):
            filled.append((printed, cell.value, value))
        elif value != "":
            type_text(cell, value)


def fill_results(sheet, seed: list[list]) -> None:
    """A blank table: its highlighted header finished as printed (as the form's Hướng dẫn and
    the guide's Bước 5 say), every row of the seed typed in, the indicator picked by its name."""
    header, by_name = [c.value for c in sheet[1]], names()
    at = header.index(UNFINISHED)
    assert sheet.cell(1, at + 1).fill.fgColor.rgb != sheet.cell(1, 1).fill.fgColor.rgb
    type_text(sheet.cell(1, at + 1), PRINTED)
    header[at] = PRINTED
    for r, row in enumerate(seed[1:], start=2):
        for printed, value in zip(seed[0], row, strict=True):
            if value != "":
                value = by_name[value] if printed == CODE else value
                cell = sheet.cell(r, column(header, printed) + 1)
                assert cell.value in (None, ""), (printed, r)
                type_text(cell, value)


def fill_targets(sheet, seed: list[list]) -> list[str]:
    """The targets typed into the rows the form lists, found by the indicator's name; rows the
    report does not hold deleted. Returns the seed's indicators the form did not list."""
    header, by_name = [c.value for c in sheet[1]], names()
    rows = {r[column(header, CODE)].value: r[0].row for r in sheet.iter_rows(min_row=2)}
    person = [p for p in seed[0] if p not in ("TT", "Chỉ tiêu", "Đơn vị tính", CODE)]
    missing, used = [], set()
    for row in seed[1:]:
        values = dict(zip(seed[0], row, strict=True))
        if not values[CODE]:
            continue  # a group row: the form has it
        at = rows.get(by_name[values[CODE]])
        if at is None:
            missing.append(values[CODE])
            continue
        used.add(at)
        for printed in person:
            if values[printed] != "":
                type_text(sheet.cell(at, column(header, printed) + 1), values[printed])
    listed = [r for name, r in rows.items() if name and r not in used]
    for r in sorted(listed, reverse=True):
        sheet.delete_rows(r)
    return missing


def csv(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / "muong_lam" / name, dtype=str, keep_default_na=False)


def test_from_an_empty_folder_to_the_seeds_annexes(tmp_path, seed_output):
    folder = tmp_path / "van phong"
    folder.mkdir()
    started = bieu(folder, "khoi-tao")
    assert (started.returncode, started.stderr) == (0, "")
    assert "bieu mau --loai truoc" in started.stdout
    for code, name, kind, extra in COMMUNES:
        made = bieu(folder, "mau", "--loai", kind, "--ma-xa", code, "--ten", name,
                    "--tinh", "Sơn La", *extra)  # fmt: skip
        assert (made.returncode, made.stderr) == (0, ""), code

    filled, missing = [], []
    for code, _, kind, _ in COMMUNES:
        path = folder / "raw" / "son_la" / f"{code}.xlsx"
        seed, book = builders.grids(SEED / f"{code}.xlsx"), openpyxl.load_workbook(path)
        fill_info(book["Thông tin"], seed["Thông tin"], filled)
        if kind == "truoc":
            fill_results(book["Chỉ tiêu"], seed["Chỉ tiêu"])
        else:
            missing += fill_targets(book["Mục tiêu"], seed["Mục tiêu"])
        book.save(path)
    # what the forms filled by themselves is what the seed's reports print
    assert [f for f in filled if f[1] != f[2]] == []
    assert {f[0] for f in filled} >= {"Biểu số", "Tiêu đề biểu", "Nhiệm kỳ", "Mã xã"}
    assert missing == []

    run = bieu(folder, "annexes")
    errors = [line for line in run.stderr.splitlines() if not line.startswith("[cảnh báo]")]
    assert run.returncode == 0, run.stderr
    assert not any("›" in line for line in errors), errors
    out = folder / "output"
    ratings = ["ma_xa", "bieu", "tt", "ma_chi_tieu", "danh_gia_cong_bo", "danh_gia_tinh"]
    ratings += ["danh_gia_chot"]
    assert csv(out, "chi_tieu.csv")[ratings].equals(csv(seed_output, "chi_tieu.csv")[ratings])
    assert csv(out, "tong_hop.csv").equals(csv(seed_output, "tong_hop.csv"))
    baseline = ["ma_chi_tieu", "hien_trang_2025", "cach_gop", "chenh_lech", "thay_doi_moi_nam"]

    def baselines(folder: Path) -> list:
        return sorted(csv(folder, "muc_tieu_2030.csv")[baseline].itertuples(index=False))

    assert baselines(out) == baselines(seed_output)
    annex = openpyxl.load_workbook(out / "muong_lam" / "bieu_chi_tieu.xlsx")
    assert [annex[bieu]["D4"].value for bieu in ("Biểu 01", "Biểu 02")] == [PRINTED, PRINTED]

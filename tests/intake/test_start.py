"""A record starts with one command (`bieu khoi-tao`): raw/ and the catalogue shipped in the
package, never a commune; every command that finds the record missing names it. The forms know
each other: Biểu numbers that never collide, titles filled from the names and the term."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from pipeline.cli import main
from pipeline.intake import shipped_catalogue
from pipeline.paths import RAW
from tests.conftest import snapshot

CAT = "danh_muc_chi_tieu.xlsx"
NEXT = [
    'Tiếp theo, mỗi xã trước sắp xếp một tệp: `bieu mau --loai truoc --ma-xa MÃ_XÃ --ten "TÊN '
    'XÃ" --tinh "TÊN TỈNH"`',
    'rồi tệp của xã sau sắp xếp: `bieu mau --loai sau --ma-xa MÃ_XÃ_MỚI --ten "TÊN XÃ MỚI" '
    '--tinh "TÊN TỈNH" --xa-hop-thanh "ma1, ma2"`; điền các tệp đó rồi chạy `bieu annexes`.',
]


def test_the_shipped_catalogue_is_the_seeds():
    """The lead copies raw/'s catalogue into the package again after a change to it."""
    assert shipped_catalogue().read_bytes() == (RAW / CAT).read_bytes()


@pytest.fixture
def here(tmp_path, monkeypatch) -> Path:
    """An empty folder, the current one."""
    folder = tmp_path / "van_phong"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def test_khoi_tao_makes_raw_with_the_catalogue_and_says_what_comes_next(here, capsys):
    assert main(["khoi-tao"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Đã tạo thư mục raw/ và chép danh mục chỉ tiêu mẫu vào raw/danh_muc_chi_tieu.xlsx.",
        *NEXT,
    ]
    assert sorted(p.relative_to(here).as_posix() for p in here.rglob("*")) == [
        "raw",
        "raw/danh_muc_chi_tieu.xlsx",
    ]
    assert (here / "raw" / CAT).read_bytes() == (RAW / CAT).read_bytes()


def test_khoi_tao_keeps_a_catalogue_already_there_and_copies_into_a_raw_without_one(here, capsys):
    (here / "raw" / "son_la").mkdir(parents=True)
    assert main(["khoi-tao"]) == 0  # raw/ there, no catalogue: copied in, nothing else touched
    assert capsys.readouterr().out.splitlines()[0] == (
        "Đã chép danh mục chỉ tiêu mẫu vào raw/danh_muc_chi_tieu.xlsx."
    )
    (here / "raw" / CAT).write_bytes(b"the province's own catalogue")
    before = snapshot(here)
    assert main(["khoi-tao"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "raw/ đã có danh mục chỉ tiêu (raw/danh_muc_chi_tieu.xlsx): giữ nguyên, không chép đè.",
        *NEXT,
    ]
    assert snapshot(here) == before


def test_khoi_tao_elsewhere_names_the_folder_in_the_commands_it_gives(tmp_path, here, capsys):
    raw = tmp_path / "ho so" / "raw"
    assert main(["khoi-tao", "--raw", str(raw)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].endswith(f'--tinh "TÊN TỈNH" --raw "{raw}"`')
    assert (raw / CAT).is_file()


def test_khoi_tao_where_a_file_stands_for_raw_is_one_line(here, capsys):
    (here / "raw").write_bytes(b"a file")
    assert main(["khoi-tao"]) == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == (
        "",
        f"{here / 'raw'}: đã có một tệp trùng tên, không tạo được thư mục dữ liệu gốc\n",
    )


def mau(*args: str) -> int:
    return main(["mau", "--tinh", "Sơn La", *args])


def test_mau_without_a_record_names_the_command_that_starts_one(here, capsys):
    assert mau("--loai", "truoc", "--ma-xa", "an", "--ten", "An") == 2
    assert capsys.readouterr().err == (
        f"{here / 'raw'}: không tìm thấy thư mục dữ liệu gốc; bắt đầu hồ sơ mới ở đây bằng "
        "`bieu khoi-tao`, hoặc chuyển vào thư mục làm việc đã có raw/\n"
    )
    (here / "raw").mkdir()
    assert mau("--loai", "truoc", "--ma-xa", "an", "--ten", "An") == 2
    assert capsys.readouterr().err == (
        "raw/danh_muc_chi_tieu.xlsx: không tìm thấy tệp danh mục chỉ tiêu; chép danh mục mẫu "
        "vào bằng `bieu khoi-tao`\n"
    )
    assert list((here / "raw").iterdir()) == []


def info(here: Path, code: str) -> list[list[str]]:
    """Biểu số and title of each row of a commune's Thông tin."""
    # read only: the sheet alone, not the form's other sheets and their 500 formatted rows
    book = openpyxl.load_workbook(here / "raw" / "son_la" / f"{code}.xlsx", read_only=True)
    rows = [[r[4].value, r[6].value] for r in book["Thông tin"].iter_rows(min_row=2) if r[0].value]
    book.close()
    return rows


@pytest.fixture
def record(here) -> Path:
    (here / "raw").mkdir()
    shutil.copy(RAW / CAT, here / "raw" / CAT)
    return here


def test_a_new_communes_form_numbers_itself_after_its_members_and_fills_its_title(record):
    """The issue's case: a member made first as Biểu 02 (as the seed numbers it); the new
    commune then lists it alone, and takes 03, not 02."""
    assert mau("--loai", "truoc", "--ma-xa", "muong_lam_cu", "--ten", "Mường Lầm") == 0
    assert mau("--loai", "truoc", "--ma-xa", "x", "--ten", "X", "--bieu-so", "02") == 0
    # muong_lam_cu took 01 (the first of the province's old communes in no report yet)
    assert info(record, "muong_lam_cu") == [
        ["01", "BIỂU CÁC CHỈ TIÊU ĐẠI HỘI XÃ MƯỜNG LẦM, NHIỆM KỲ 2020-2025"]
    ]
    assert mau("--loai", "sau", "--ma-xa", "y", "--ten", "Y", "--xa-hop-thanh", "x") == 0
    assert info(record, "y") == [
        ["03", "BIỂU CÁC CHỈ TIÊU ĐẠI HỘI ĐẢNG BỘ XÃ Y, NHIỆM KỲ 2025-2030"]
    ]


def test_members_made_after_their_new_commune_take_their_place_or_the_next_free_number(record):
    members = "muong_lam_cu=Mường Lầm, dua_mon=Đứa Mòn, z=Z"
    assert mau("--loai", "sau", "--ma-xa", "muong_lam", "--ten", "Mường Lầm",
               "--xa-hop-thanh", members) == 0  # fmt: skip
    assert info(record, "muong_lam")[0][0] == "04"
    assert mau("--loai", "truoc", "--ma-xa", "dua_mon", "--ten", "Đứa Mòn") == 0
    assert mau("--loai", "truoc", "--ma-xa", "z", "--ten", "Z", "--bieu-so", "01") == 0
    assert mau("--loai", "truoc", "--ma-xa", "muong_lam_cu", "--ten", "Mường Lầm") == 0
    # dua_mon its place (02); muong_lam_cu's place taken by z: the first number free, 03
    assert [info(record, c)[0][0] for c in ("dua_mon", "muong_lam_cu")] == ["02", "03"]
    # an old commune of no report: the first free among the province's others of no report
    assert mau("--loai", "truoc", "--ma-xa", "khac", "--ten", "Khác") == 0
    assert info(record, "khac")[0][0] == "01"


def test_a_kept_commune_numbers_its_two_biểu_01_and_02(record):
    assert mau("--loai", "giu", "--ma-xa", "dong", "--ten", "Đông") == 0
    assert info(record, "dong") == [
        ["01", "BIỂU CÁC CHỈ TIÊU ĐẠI HỘI XÃ ĐÔNG, NHIỆM KỲ 2020-2025"],
        ["02", "BIỂU CÁC CHỈ TIÊU ĐẠI HỘI ĐẢNG BỘ XÃ ĐÔNG, NHIỆM KỲ 2025-2030"],
    ]

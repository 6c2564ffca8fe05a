"""The CSV files `make annexes` writes: encoding, columns, content, and safe replacement."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline import cli
from tests.conftest import edit

COLUMNS = {
    "chi_tieu.csv": "xa,ma_xa,bieu,nhom,tt,loai_dong,chi_tieu,don_vi,chi_tieu_nq,ket_qua,"
    "chi_tieu_nq_phan_hai,ket_qua_phan_hai,"
    "danh_gia_cong_bo,danh_gia_tinh,danh_gia_chot,ty_le_dat,ly_do,giu_danh_gia,ly_do_giu,"
    "ma_chi_tieu,tep,dong",
    "tong_hop.csv": "xa,ma_xa,bieu,so_chi_tieu,"
    "vuot_tinh,dat_tinh,khong_dat_tinh,chua_co_so_lieu_tinh,khong_so_duoc_tinh,"
    "vuot_cong_bo,dat_cong_bo,khong_dat_cong_bo,chua_co_so_lieu_cong_bo,khong_so_duoc_cong_bo,"
    "vuot_chot,dat_chot,khong_dat_chot,chua_co_so_lieu_chot,khong_so_duoc_chot,"
    "vuot_bao_cao,dat_bao_cao,khong_dat_bao_cao,cau_tong_hop_tinh,cau_tong_hop_cong_bo,"
    "cau_tong_hop_chot",
    "muc_tieu_2030.csv": "nhom,tt,chi_tieu,don_vi,muc_tieu_2030,muc_tieu_phan_ba,ghi_chu,"
    "ma_chi_tieu,"
    "hien_trang_2025,cach_gop,ghi_chu_gop,chenh_lech,thay_doi_moi_nam,don_vi_thay_doi,"
    "muc_tieu_thap_hon_hien_trang,muc_tieu_bang_hien_trang,tep,dong",
    "kiem_tra.csv": "muc_do,loai,tep,sheet,o,xa,nhom,tt,chi_tieu,noi_dung",
}


@pytest.fixture
def built(seed_raw_dir, run_cli, output_dir):
    assert run_cli(seed_raw_dir).status == 0
    return output_dir / "muong_lam"


@pytest.mark.parametrize("name", list(COLUMNS))
def test_each_file_is_utf8_with_a_bom_and_its_documented_columns(built, name):
    data = (built / name).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines()[0] == COLUMNS[name]


def read(path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_chi_tieu_has_one_line_per_row_of_every_old_table(built):
    rows = read(built / "chi_tieu.csv")
    assert rows.groupby("xa", sort=False).size().to_dict() == {"Đứa Mòn": 28, "Mường Lầm": 26}
    line = rows[(rows["ma_xa"] == "dua_mon") & (rows["tt"] == "4")].iloc[0]
    assert line[
        ["chi_tieu_nq", "ket_qua", "danh_gia_cong_bo", "danh_gia_tinh", "ty_le_dat"]
    ].tolist() == [
        "695",
        "350",
        "Không đạt",  # printed "K đạt", written in full
        "Không đạt",
        "50.4",
    ]


def test_tong_hop_has_both_tallies(built):
    tally = read(built / "tong_hop.csv").set_index("ma_xa")
    columns = ["so_chi_tieu", "vuot_tinh", "dat_tinh", "khong_dat_tinh"]
    assert tally.loc["dua_mon", columns].tolist() == ["20", "6", "9", "5"]
    published = ["vuot_cong_bo", "dat_cong_bo", "khong_dat_cong_bo"]
    assert tally.loc["dua_mon", published].tolist() == ["7", "10", "3"]
    assert tally.loc["dua_mon", ["vuot_bao_cao", "dat_bao_cao", "khong_dat_bao_cao"]].tolist() == [
        "7",
        "10",
        "3",
    ]


def test_muc_tieu_2030_has_the_baseline_or_why_not(built):
    targets = read(built / "muc_tieu_2030.csv").set_index(["nhom", "tt"])
    assert targets.loc[("I", "3"), ["muc_tieu_2030", "hien_trang_2025", "cach_gop"]].tolist() == [
        "18.000",
        "21613.0",
        "Cộng",
    ]
    assert targets.loc[("I", "3"), "muc_tieu_thap_hon_hien_trang"] == "Có"
    assert targets.loc[("II", "5"), "hien_trang_2025"] == ""
    assert (
        targets.loc[("II", "5"), "ghi_chu_gop"] == "xã Mường Lầm không có số liệu cho chỉ tiêu này"
    )


def test_kiem_tra_lists_every_finding_with_its_cell(built):
    checks = read(built / "kiem_tra.csv")
    assert len(checks) == 28
    columns = ["muc_do", "loai", "tep", "sheet", "o", "xa", "nhom", "tt", "chi_tieu"]
    assert checks[columns].iloc[2].tolist() == [
        "cảnh báo",
        "đánh giá lệch",
        "raw/son_la/dua_mon.xlsx",
        "Chỉ tiêu",
        "F9",
        "Đứa Mòn",
        "II",
        "5",
        "Tỷ lệ lao động nông nghiệp trong tổng lao động xã hội",
    ]
    # Biểu 03 numbers its items again in each group: the group and the name tell them apart
    behind = checks[checks["loai"] == "mục tiêu kém"]
    assert behind[["nhom", "tt", "chi_tieu"]].values.tolist() == [
        ["I", "3", "Tổng đàn gia súc"],
        ["I", "6", "Tỷ lệ che phủ rừng"],
        ["II", "4", "Tỷ lệ dân tham gia BHYT"],
        ["III", "4", "Kết nạp đảng viên mới"],
    ]


def test_a_correction_is_seen_on_the_next_run(seed_raw_dir, run_cli, output_dir):
    assert run_cli(seed_raw_dir).status == 0
    edit(seed_raw_dir / "son_la/dua_mon.xlsx", "Chỉ tiêu", "E9", "75")  # prose: 75/75%
    assert run_cli(seed_raw_dir).status == 0
    rows = read(output_dir / "muong_lam" / "chi_tieu.csv")
    line = rows[(rows["ma_xa"] == "dua_mon") & (rows["tt"] == "5")].iloc[0]
    assert (line["ket_qua"], line["danh_gia_tinh"]) == ("75", "Vượt")


@pytest.mark.parametrize("text", ["=1+1", "+A1", "-2+3", "@SUM(A1)"])
def test_a_text_a_spreadsheet_would_read_as_a_formula_is_neutralised(
    seed_raw_dir, run_cli, output_dir, text
):
    """As OWASP advises: a single quote before the cell, which LibreOffice and Excel show as
    text. (A leading tab or line break never reaches a CSV: reading folds white space.)"""
    edit(seed_raw_dir / "son_la/dua_mon.xlsx", "Chỉ tiêu", "B3", text)
    assert run_cli(seed_raw_dir).status == 0
    rows = read(output_dir / "muong_lam" / "chi_tieu.csv")
    assert rows["chi_tieu"].iat[0] == "'" + text
    assert read(output_dir / "muong_lam" / "chi_tieu.csv")["ty_le_dat"].iat[0] == "1227.0"


def test_old_communes_lines_follow_the_order_of_their_biểu(made_up_province, tmp_path, capsys):
    """The new commune lists its old communes in the order of their Biểu; the CSV files follow
    that order, as the annex's sheets do, not the order of the files' names."""
    book = made_up_province / "tinh_thu" / "tan_an.xlsx"
    edit(book, "Xã hợp thành", "A2", "chau")
    edit(book, "Xã hợp thành", "B2", "Châu")
    edit(book, "Xã hợp thành", "A4", "an")
    edit(book, "Xã hợp thành", "B4", "An")
    out = tmp_path / "out"
    assert cli.main(["annexes", "--raw", str(made_up_province), "--output", str(out)]) == 0
    rows = read(out / "tan_an" / "chi_tieu.csv")
    assert list(dict.fromkeys(rows["ma_xa"])) == ["chau", "binh", "an"]
    assert read(out / "tan_an" / "tong_hop.csv")["ma_xa"].tolist() == ["chau", "binh", "an"]

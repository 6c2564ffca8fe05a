"""The CSV files `make annexes` writes: encoding, columns, content, and safe replacement."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from pipeline import cli, products
from tests.conftest import cases, edit

COLUMNS = {
    "chi_tieu.csv": "xa,ma_xa,bieu,nhom,tt,loai_dong,chi_tieu,don_vi,chi_tieu_nq,ket_qua,"
    "chi_tieu_nq_phan_hai,ket_qua_phan_hai,"
    "danh_gia_cong_bo,danh_gia_tinh,danh_gia_chot,ty_le_dat,ly_do_khong_ty_le,ly_do,giu_danh_gia,"
    "ly_do_giu,"
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
def built(seed_output):
    return seed_output / "muong_lam"


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


def test_biểu_03_says_the_yearly_change_each_kind_of_target_means(built):
    # new party members, a term total "≥ 145" over 2025-2030: 145 / 5 = 29 a year, in its unit
    targets = read(built / "muc_tieu_2030.csv").set_index(["nhom", "tt"])
    assert targets.loc[("III", "4"), ["thay_doi_moi_nam", "don_vi_thay_doi"]].tolist() == [
        "29.0",
        "Đảng viên/năm",
    ]
    # political organisations, "≥ 95" every year: none
    assert targets.loc[("III", "6"), ["thay_doi_moi_nam", "don_vi_thay_doi"]].tolist() == ["", ""]
    sheet = openpyxl.load_workbook(built / "bieu_chi_tieu.xlsx")["Biểu 03"]
    shown = {row[1]: row[9] for row in sheet.iter_rows(min_row=7, values_only=True)}
    assert shown["Kết nạp đảng viên mới"] == "29,00 Đảng viên/năm"  # not "-2,79 %/năm"
    assert shown["Tổ chức chính trị - xã hội cấp xã HTTNV"] is None
    assert shown["Thu nhập bình quân đầu người"] == "4,99 %/năm"  # a level, as before


def test_kiem_tra_lists_every_finding_with_its_cell(built):
    checks = read(built / "kiem_tra.csv")
    assert len(checks) == 28
    columns = ["muc_do", "loai", "tep", "sheet", "o", "xa", "nhom", "tt", "chi_tieu"]
    assert checks[columns].iloc[2].tolist() == [
        "phát hiện",
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


def test_a_correction_is_seen_on_the_next_run(seed_raw_dir, run_cli, built_seed):
    output_dir = built_seed
    edit(seed_raw_dir / "son_la/dua_mon.xlsx", "Chỉ tiêu", "E9", "75")  # prose: 75/75%
    assert run_cli(seed_raw_dir).status == 0
    rows = read(output_dir / "muong_lam" / "chi_tieu.csv")
    line = rows[(rows["ma_xa"] == "dua_mon") & (rows["tt"] == "5")].iloc[0]
    assert (line["ket_qua"], line["danh_gia_tinh"]) == ("75", "Vượt")


@pytest.mark.parametrize("text", cases(["=1+1", "+A1", "-2+3", "@SUM(A1)"]))
def test_a_text_a_spreadsheet_would_read_as_a_formula_is_neutralised(
    seed_raw_dir, run_cli, output_dir, text
):
    """As OWASP advises: a single quote before the cell, which LibreOffice and Excel show as
    text. (A leading tab or line break never reaches a CSV: reading folds white space.)"""
    edit(seed_raw_dir / "son_la/dua_mon.xlsx", "Chỉ tiêu", "B3", text)
    assert run_cli(seed_raw_dir).status == 0
    rows = read(output_dir / "muong_lam" / "chi_tieu.csv")
    assert rows["chi_tieu"].iat[0] == "'" + text
    assert read(output_dir / "muong_lam" / "chi_tieu.csv")["ty_le_dat"].iat[2] == "183.7"


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


# ---------------------------------------------------------------------------- year by year

TRACK_COLUMNS = (
    "nhom,tt,chi_tieu,don_vi,ma_chi_tieu,muc_tieu_2030,hien_trang_2025,nam,ket_qua,ket_qua_so,"
    "lo_trinh,chenh_lo_trinh,nam_chenh,trang_thai,ly_do,thay_doi_moi_nam,thay_doi_can,"
    "don_vi_thay_doi,tep,dong,o_ket_qua"
)


def test_a_commune_without_results_year_by_year_gets_no_tracking_files(built):
    names = {p.name for p in built.iterdir()} - {"phu_luc.xlsx"}  # an earlier run's, left alone
    assert names == set(products.EVERY_COMMUNE)
    assert set(products.FILES) - set(products.EVERY_COMMUNE) == {
        "theo_doi_2030.xlsx",
        "theo_doi_2030.csv",
    }


def test_theo_doi_2030_has_one_line_per_row_and_year(tracked_output):
    path = tracked_output / "muong_lam" / "theo_doi_2030.csv"
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines()[0] == TRACK_COLUMNS
    lines = read(path)
    assert len(lines) == 35 * 5  # Biểu 03's 35 rows (groups left out), 2026 to 2030
    income = lines[(lines["nhom"] == "II") & (lines["tt"] == "1")].set_index("nam")
    assert income.loc["2027"][
        ["ket_qua", "ket_qua_so", "lo_trinh", "trang_thai", "thay_doi_moi_nam", "thay_doi_can"]
    ].tolist() == ["35,5", "35.5", "36.2901", "Chậm tiến độ", "4.99", "5.76"]
    # 35,5 is 0,79 below 2027's point 36,2901, 0,46 of the path's change that year (36,2901 −
    # 34,5648 = 1,7253): behind, so negative (tests/judge/test_track.py works them out)
    assert income.loc["2027", ["chenh_lo_trinh", "nam_chenh"]].tolist() == ["-0.7901", "-0.46"]
    assert income.loc["2027", "ly_do"] == (
        'kết quả "35,5" kém hơn lộ trình năm 2027 "36,29" (cao hơn là tốt)'
    )
    assert income.loc["2027", ["tep", "dong", "o_ket_qua"]].tolist() == [
        "raw/son_la/muong_lam.xlsx",
        "13",
        "E10",
    ]
    assert income.loc["2026", "thay_doi_can"] == ""  # only on the latest result's line
    assert income.loc["2028", ["ket_qua", "trang_thai", "ly_do", "o_ket_qua"]].tolist() == [""] * 4
    assert income.loc["2030", "lo_trinh"] == "42.0"
    # tests/yearly.py: the party members' running total, 58 after 30 + 28, on its path 2 × 29,
    # needing (145 − 58) / 3 = 29 a year; the political organisations' 2026 missed for good
    members = lines[(lines["nhom"] == "III") & (lines["tt"] == "4")].set_index("nam")
    assert members.loc["2027"][
        ["ket_qua", "ket_qua_so", "lo_trinh", "trang_thai", "thay_doi_can", "don_vi_thay_doi"]
    ].tolist() == ["28", "58.0", "58.0", "Đúng tiến độ", "29.0", "Đảng viên/năm"]
    rated = lines[(lines["nhom"] == "III") & (lines["tt"] == "6")].set_index("nam")
    assert rated["trang_thai"].tolist()[:2] == ["Không đạt mục tiêu năm", "Vượt tiến độ"]
    assert rated.loc["2027", "ly_do"] == (
        'kết quả "96" tốt hơn mục tiêu năm 2027 "≥ 95" (cao hơn là tốt); năm 2026 đã không đạt '
        "mục tiêu năm"
    )


def test_kiem_tra_lists_the_findings_of_the_results_at_their_cells(tracked_output):
    checks = read(tracked_output / "muong_lam" / "kiem_tra.csv")
    mine = checks[checks["sheet"] == "Kết quả hằng năm"]
    # tests/yearly.py: health insurance's 98,5 under its baseline, a decline its target plans,
    # is no step back any more
    assert mine[["loai", "o", "nhom", "tt", "noi_dung"]].values.tolist() == [
        [
            "lệch lộ trình",
            "E4",
            "I",
            "3",
            'kết quả năm 2027 "17.500" chưa đạt cả mục tiêu 2030: kết quả "17.500" kém hơn mục '
            'tiêu 2030 "18.000" (cao hơn là tốt); mục tiêu này đã đặt thấp hơn hiện trạng 2025 '
            "(21.613 Con), kết quả chậm khoảng 3,8 năm thay đổi theo kế hoạch so với lộ trình "
            "năm 2027 (20.088,06 Con)",
        ],
        [
            "lệch lộ trình",
            "E6",
            "I",
            "5",
            'kết quả năm 2027 "44" chậm hơn lộ trình quá 2 năm: lộ trình năm 2027 là 47,79 %, '
            "kết quả này còn kém mức lộ trình của năm 2025 (46,31 %)",
        ],
        [
            "kết quả lùi",
            "E6",
            "I",
            "5",
            'kết quả năm 2027 "44" kém hơn năm 2026 ("47"), trong khi chỉ tiêu này cao hơn là tốt',
        ],
        [
            "không đạt mục tiêu năm",
            "D17",
            "III",
            "6",
            "mục tiêu phải đạt hằng năm mà năm 2026 không đạt, năm sau đạt cũng không bù được: "
            'kết quả "93" kém hơn mục tiêu năm 2026 "≥ 95" (cao hơn là tốt)',
        ],
    ]
    assert len(checks) == 28 + 4


def test_the_tracking_files_are_the_same_bytes_on_every_run(tracked_raw, tracked_output, tmp_path):
    again = tmp_path / "again"
    assert cli.main(["annexes", "--raw", str(tracked_raw), "--output", str(again)]) == 0
    for name in products.FILES:
        assert (again / "muong_lam" / name).read_bytes() == (
            tracked_output / "muong_lam" / name
        ).read_bytes(), name


def test_a_sheet_taken_out_takes_its_files_with_it(seed_raw_dir, run_cli, output_dir):
    from tests.yearly import with_results

    with_results(seed_raw_dir)
    assert run_cli(seed_raw_dir).status == 0
    assert (output_dir / "muong_lam" / "theo_doi_2030.xlsx").is_file()
    book = seed_raw_dir / "son_la" / "muong_lam.xlsx"
    workbook = openpyxl.load_workbook(book)
    del workbook["Kết quả hằng năm"]
    workbook.save(book)
    assert run_cli(seed_raw_dir).status == 0
    names = {p.name for p in (output_dir / "muong_lam").iterdir()}
    assert "theo_doi_2030.xlsx" not in names and "theo_doi_2030.csv" not in names


def test_a_workbook_is_marked_again_only_when_it_or_its_problems_change(monkeypatch):
    """A process that runs again and again (the intake page's server) reuses its marked copies."""
    from pipeline.paths import RAW
    from pipeline.problems import Problem
    from pipeline.render import marked

    made = []
    real = marked.marked_copy
    monkeypatch.setattr(marked, "marked_copy", lambda *a: made.append(a[1]) or real(*a))
    monkeypatch.setattr(products, "MARKED_COPIES", {})
    name = "raw/son_la/dua_mon.xlsx"
    source = (RAW / "son_la" / "dua_mon.xlsx").read_bytes()
    problem = Problem(name, "Chỉ tiêu", "E7", '"mười" không phải là số')
    first = products.marked_files([problem], lambda _: source)
    assert products.marked_files([problem], lambda _: source) == first
    assert len(made) == 1
    other = Problem(name, "Chỉ tiêu", "E8", '"mười" không phải là số')
    products.marked_files([other], lambda _: source)
    products.marked_files([problem], lambda _: source + b"\0")
    assert len(made) == 3

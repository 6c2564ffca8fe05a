"""A row's printed unit against its indicator's unit in the catalogue: a row picked as an
indicator counted in another unit (issue 22: "Xã đạt chuẩn nông thôn mới" printed in "Tiêu
chí", picked as the indicator of that name whose unit is "Đạt") is a warning at the indicator's
cell naming both units and the catalogue's indicators near the row's name whose unit fits; a
unit that converts into the catalogue's (the seed's "Nghìn con" for "Con", "Tr. đồng" for
"Triệu đồng") says nothing."""

from __future__ import annotations

from pipeline.cli import main
from tests.conftest import SEED_WARNING, edit


def test_a_row_whose_unit_cannot_be_its_indicators_is_a_warning_naming_what_fits(
    seed_raw_dir, tmp_path, capsys
):
    # the seed's Mục tiêu row 6 of group II, "Xã đạt chuẩn nông thôn mới" in "Tiêu chí", picked
    # by its printed name; Đứa Mòn's "Diện tích cây ăn quả" (ha) picked as the herd (Con)
    edit(
        seed_raw_dir / "son_la" / "muong_lam.xlsx", "Mục tiêu", "F18", "Xã đạt chuẩn nông thôn mới"
    )
    edit(seed_raw_dir / "son_la" / "dua_mon.xlsx", "Chỉ tiêu", "G6", "Tổng đàn gia súc")
    out = tmp_path / "output"
    assert main(["annexes", "--raw", str(seed_raw_dir), "--output", str(out)]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert [line for line in lines if "›" in line and line != SEED_WARNING] == [
        '[cảnh báo] raw/son_la/dua_mon.xlsx › Chỉ tiêu › G6: đơn vị "ha" của dòng khác đơn vị '
        '"Con" của chỉ tiêu "Tổng đàn gia súc" (dan_gia_suc) trong danh mục; chỉ tiêu gần tên '
        'dòng này có đơn vị "ha": "Diện tích cây ăn quả" (dien_tich_cay_an_qua); chọn lại chỉ '
        "tiêu ở cột này, hoặc giữ nếu bản in ghi đơn vị khác danh mục",
        '[cảnh báo] raw/son_la/muong_lam.xlsx › Mục tiêu › F18: đơn vị "Tiêu chí" của dòng khác '
        'đơn vị "Đạt" của chỉ tiêu "Xã đạt chuẩn nông thôn mới" (xa_dat_chuan_ntm) trong danh '
        'mục; chỉ tiêu gần tên dòng này có đơn vị "Tiêu chí": "Số tiêu chí nông thôn mới đạt" '
        "(ntm_tieu_chi); chọn lại chỉ tiêu ở cột này, hoặc giữ nếu bản in ghi đơn vị khác danh mục",
    ]

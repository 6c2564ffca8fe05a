"""The province roll-up: its counts agree with the communes' own files."""

from __future__ import annotations

import openpyxl
import pandas as pd

from pipeline import cli


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

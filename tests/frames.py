"""Small in-memory frames shaped as the read stage makes them, for testing the pure stages
without a workbook: every column of the sheet's layout, then where each row was read."""

from __future__ import annotations

import pandas as pd

from pipeline.catalogue import Catalogue
from pipeline.load import YEAR_FIELDS
from pipeline.prepare import prepare_indicators, prepare_units
from schemas.catalogue import INDICATOR_SHEET, UNIT_SHEET
from schemas.layout import Sheet
from schemas.tables import RESULT_SHEET, TARGET_SHEET, YEARLY_SHEET


def sheet_frame(
    sheet: Sheet, rows: list[dict], tep: str, extra: dict | None = None
) -> pd.DataFrame:
    """`rows` (field → text; missing fields empty) as read from `sheet` of `tep`, from row 2."""
    columns = list(sheet.columns)
    records = [
        {
            **{c: row.get(c, "") for c in columns},
            "_dong": i,
            "_tep": tep,
            "_sheet": sheet.name,
            **(extra or {}),
        }
        for i, row in enumerate(rows, start=2)
    ]
    frame = pd.DataFrame(records, columns=[*columns, "_dong", "_tep", "_sheet", *(extra or {})])
    return frame.astype({c: "str" for c in frame.columns if c != "_dong"}).astype(
        {"_dong": "int64"}
    )


def result_rows(rows: list[dict], tep: str = "raw/x.xlsx", code: str = "x") -> pd.DataFrame:
    return sheet_frame(RESULT_SHEET, rows, tep, {"ma_xa": code})


def target_rows(rows: list[dict], tep: str = "raw/y.xlsx", code: str = "y") -> pd.DataFrame:
    return sheet_frame(TARGET_SHEET, rows, tep, {"ma_xa": code})


def catalogue(indicators: list[dict], units: list[dict]) -> Catalogue:
    tep = "raw/danh_muc_chi_tieu.xlsx"
    return Catalogue.build(
        prepare_indicators(sheet_frame(INDICATOR_SHEET, indicators, tep)),
        prepare_units(sheet_frame(UNIT_SHEET, units, tep)),
    )


UNITS = [
    {"don_vi": "%", "loai": "Phần trăm", "so_nguyen": "Không"},
    {"don_vi": "Con", "loai": "Số lượng", "so_nguyen": "Có"},
    {
        "don_vi": "Nghìn con",
        "loai": "Số lượng",
        "so_nguyen": "Không",
        "quy_doi": "Con",
        "he_so": "1000",
    },
]
INDICATORS = [
    {
        "ma_chi_tieu": "ho_ngheo",
        "ten_chi_tieu": "Tỷ lệ hộ nghèo",
        "chieu": "Thấp hơn là tốt",
        "cach_gop": "Bình quân theo dân số",
        "gop_vao": "ho_ngheo",
    },
    {
        "ma_chi_tieu": "dan_bo",
        "ten_chi_tieu": "Tổng đàn bò",
        "chieu": "Cao hơn là tốt",
        "cach_gop": "Cộng",
        "gop_vao": "dan_bo",
    },
    {
        "ma_chi_tieu": "tang_truong",
        "ten_chi_tieu": "Tăng trưởng",
        "chieu": "Cao hơn là tốt",
        "cach_gop": "Không gộp",
        "mien_gia_tri": "Không giới hạn",
    },
]


def yearly_rows(
    rows: list[dict], tep: str = "raw/y.xlsx", code: str = "y", years=range(2026, 2031)
) -> pd.DataFrame:
    """`rows` (field → text, and "years": {year: text}) as read from a sheet "Kết quả hằng năm"
    with a header row 1 of TT, Mã chỉ tiêu, then one column per year (C, D, …): one line per
    row and year, from row 2."""
    fields = list(YEARLY_SHEET.columns)
    letters = {year: chr(ord("C") + i) for i, year in enumerate(years)}
    records = [
        {
            **{c: row.get(c, "") for c in fields},
            "nam": year,
            "ket_qua": row.get("years", {}).get(year, ""),
            "_cot": letter,
            "_hang_tieu_de": 1,
            "_dong": i,
            "_tep": tep,
            "_sheet": YEARLY_SHEET.name,
            "ma_xa": code,
        }
        for i, row in enumerate(rows, start=2)
        for year, letter in letters.items()
    ]
    frame = pd.DataFrame(
        records, columns=[*fields, *YEAR_FIELDS, "_dong", "_tep", "_sheet", "ma_xa"]
    )
    return frame.astype({c: "str" for c in (*fields, "_cot", "_tep", "_sheet", "ma_xa")})


def new_commune_info(code: str = "y", term: str = "2025-2030") -> pd.DataFrame:
    """A new commune's facts, as far as tracking needs them."""
    return pd.DataFrame(
        {"ma_xa": [code], "loai": ["Sau sắp xếp"], "nhiem_ky": [term], "_tep": ["raw/y.xlsx"]}
    )

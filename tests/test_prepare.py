"""Preparing the record, on in-memory frames: rows classified, values parsed, words made
canonical, the catalogue looked up."""

from __future__ import annotations

import functools
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.parse import INVALID, NUMBER, format_vi
from pipeline.paths import RAW
from pipeline.prepare import prepare_ratings, prepare_rows, structure
from pipeline.text import key
from tests import frames
from tests.builders import grids

TABLE = [
    {"tt": "I", "chi_tieu": "Kinh tế"},
    {"tt": "1", "chi_tieu": "Đàn bò", "don_vi": "nghìn  con", "chi_tieu_nq": "5.436"},
    {"tt": "", "chi_tieu": "trong đó bò sữa", "don_vi": "Con", "chi_tieu_nq": "5.436"},
    {"tt": "a)", "chi_tieu": "bò thịt", "don_vi": "Con"},
    {"tt": "II.", "chi_tieu": "Xã hội"},
    {"tt": "1.", "chi_tieu": "Hộ nghèo", "don_vi": "%", "ma_chi_tieu": "HO_NGHEO"},
    {"tt": "x9", "chi_tieu": "?"},
]


def test_rows_are_classified_and_numbered_within_their_group():
    rows = structure(frames.result_rows(TABLE))
    assert rows["loai_dong"].tolist() == [
        "nhóm",
        "chỉ tiêu",
        "dòng con",
        "dòng con",
        "nhóm",
        "chỉ tiêu",
        "",  # unreadable: validation says why
    ]
    assert rows["nhom"].tolist() == ["I", "I", "I", "I", "II", "II", "II"]
    assert rows["muc"].tolist() == ["", "1", "1", "1", "", "1", ""]


def test_units_and_codes_are_looked_up_whatever_the_case_and_spacing():
    catalogue = frames.catalogue(frames.INDICATORS, frames.UNITS)
    rows = prepare_rows(frames.result_rows(TABLE), catalogue, ("chi_tieu_nq",))
    assert rows["loai_don_vi"].iloc[[1, 2, 5]].tolist() == ["Số lượng", "Số lượng", "Phần trăm"]
    assert rows["ma_key"].iat[5] == "ho_ngheo"
    assert rows["mien_gia_tri"].iat[5] == ""


def test_a_unit_of_whole_things_settles_a_thousands_dot():
    catalogue = frames.catalogue(frames.INDICATORS, frames.UNITS)
    rows = prepare_rows(frames.result_rows(TABLE), catalogue, ("chi_tieu_nq",))
    # "Nghìn con" is not counted in whole things: 5.436 stays ambiguous there; "Con" settles it
    assert rows["chi_tieu_nq__lo"].iat[1] == 5436
    assert rows["chi_tieu_nq__ambiguity"].iat[1].startswith('"5.436" có thể là 5.436 hoặc 5,436')
    assert rows["chi_tieu_nq__lo"].iat[2] == 5436
    assert pd.isna(rows["chi_tieu_nq__ambiguity"].iat[2])


def test_published_ratings_are_written_in_full_and_overrides_made_canonical():
    rows = prepare_ratings(
        frames.result_rows(
            [
                {"danh_gia": "K đạt", "giu_danh_gia": "có"},
                {"danh_gia": "vượt"},
                {"danh_gia": "Đạt"},
                {"danh_gia": "tốt"},
            ]
        )
    )
    assert rows["danh_gia"].tolist() == ["Không đạt", "Vượt", "Đạt", "tốt"]
    assert rows["danh_gia_in"].tolist() == ["K đạt", "vượt", "Đạt", "tốt"]
    assert rows["giu_danh_gia"].tolist() == ["Có", "", "", ""]


# ---------------------------------------------------------------------------- units typed in cells

SEED_UNITS = [
    dict(zip(("don_vi", "loai", "so_nguyen", "quy_doi", "he_so"), row, strict=True))
    for row in grids(RAW / "danh_muc_chi_tieu.xlsx")["Đơn vị"][1:]
]
UNKNOWN = "hộ"  # no unit of the catalogue


def conversion(unit: str) -> tuple[str, Decimal]:
    """A unit's base and factor, as the catalogue's sheet "Đơn vị" writes them."""
    row = next(u for u in SEED_UNITS if u["don_vi"] == unit)
    return (key(row["quy_doi"] or row["don_vi"]), Decimal(row["he_so"] or "1"))


@functools.cache
def seed_units_catalogue():
    """The test catalogue with the seed's units, built once (prepare only reads it)."""
    return frames.catalogue(frames.INDICATORS, SEED_UNITS)


def unit_cells(figure: str, typed_units: list[str]) -> pd.DataFrame:
    """Every unit of the catalogue as a row's unit, with `figure` typed in each of
    `typed_units` as that row's result, prepared."""
    catalogue = seed_units_catalogue()
    pairs = [(row["don_vi"], typed) for row in SEED_UNITS for typed in typed_units]
    table = [
        {"tt": str(i), "chi_tieu": "x", "don_vi": unit, "ket_qua": f"{figure} {typed}"}
        for i, (unit, typed) in enumerate(pairs, start=1)
    ]
    return prepare_rows(frames.result_rows(table), catalogue, ("ket_qua",))


@settings(max_examples=15, deadline=None)
@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False))
def test_a_unit_typed_in_a_cell_converts_or_is_refused_by_the_catalogues_own_units(value):
    figure = format_vi(float(value))
    read = Decimal(repr(float(value)))
    names = [u["don_vi"] for u in SEED_UNITS]
    cells = unit_cells(figure, [*names, UNKNOWN]).reset_index().to_dict("records")
    rows = [(row, typed) for row in names for typed in [*names, UNKNOWN]]
    for i, (row_unit, typed) in enumerate(rows):
        cell, got = f"{figure} {typed}", cells[i]
        if typed == UNKNOWN:
            assert got["ket_qua__kind"] == INVALID
            assert got["ket_qua__error"] == (
                f'"{cell}": không nhận ra đơn vị "{UNKNOWN}" ghi sau số (không có trong sheet '
                f'"Đơn vị" của danh mục); ghi số theo đơn vị của dòng "{row_unit}", không kèm '
                "chữ, hoặc thêm đơn vị này vào danh mục"
            )
            continue
        (base, factor), (row_base, row_factor) = conversion(typed), conversion(row_unit)
        if base != row_base:  # no conversion: refused, naming both units
            assert got["ket_qua__kind"] == INVALID
            assert got["ket_qua__error"] == (
                f'"{cell}" ghi đơn vị "{typed}", khác đơn vị của dòng "{row_unit}" và không quy '
                f'đổi được: ghi số theo đơn vị "{row_unit}", hoặc sửa cột "Đơn vị tính"'
            )
            continue
        ratio = factor / row_factor
        converted = read * ratio
        shown = format_vi(float(converted), max(0, -converted.normalize().as_tuple().exponent))
        assert got["ket_qua__kind"] == NUMBER and pd.isna(got["ket_qua__error"])
        assert got["ket_qua__lo"] == float(read * ratio), (row_unit, typed)
        assert got["ket_qua__text"] == cell  # the annex prints the cell as typed
        if ratio == 1:  # the row's own unit, or one worth the same: read as typed, no word
            assert pd.isna(got["ket_qua__note"]), (row_unit, typed)
        else:
            assert got["ket_qua__note"] == (
                f'"{cell}" đọc là {shown} {row_unit} theo đơn vị của dòng (1 {typed} = '
                f"{format_vi(float(ratio))} {row_unit}, theo danh mục)"
            )


@pytest.mark.parametrize(
    ("row_unit", "cell", "lo", "note"),
    [
        # the usual shortenings (schemas/vocabulary.py), whatever their case
        ("Triệu đồng", "1,2 Tỉ đồng", 1200, '"1,2 Tỉ đồng" đọc là 1.200 Triệu đồng'),
        ("Tỷ đồng", "24,8 tr", 0.0248, '"24,8 tr" đọc là 0,0248 Tỷ đồng'),
        ("Tỷ đồng", "24,8 tr.đ", 0.0248, '"24,8 tr.đ" đọc là 0,0248 Tỷ đồng'),
        ("Tr.đ/người/năm", "24,8 tr", 24.8, None),
        ("Con", "15 ngàn con", 15000, '"15 ngàn con" đọc là 15.000 Con'),
        ("%", "85 phần trăm", 85, None),
        # a scale word alone takes the rest of its words from the row's unit
        ("Tr. đồng", "1,2 tỷ", 1200, '"1,2 tỷ" đọc là 1.200 Tr. đồng'),
        ("Con", "15 nghìn", 15000, '"15 nghìn" đọc là 15.000 Con'),
        ("Nghìn con", "15 nghìn", 15, None),
        # words after the unit that are no unit's say what is counted
        ("%", "trên 90% số hộ", 90, None),
        ("Con", "1.500 con bò", 1500, None),
        # a unit of whole things settles a thousands dot
        ("Nghìn con", "15.000 con", 15, '"15.000 con" đọc là 15 Nghìn con'),
    ],
)
def test_a_unit_is_read_by_its_usual_spellings(row_unit, cell, lo, note):
    got = unit_rows([(row_unit, cell)]).iloc[0]
    assert (got["ket_qua__kind"], got["ket_qua__lo"]) == (NUMBER, lo)
    assert pd.isna(got["ket_qua__ambiguity"])
    if note is None:
        assert pd.isna(got["ket_qua__note"])
    else:
        assert got["ket_qua__note"].startswith(note + " theo đơn vị của dòng (1 ")


@pytest.mark.parametrize(
    ("row_unit", "cell", "unit"),
    [
        ("ha", "15 nghìn", "nghìn"),  # no "Nghìn ha" in the catalogue
        ("Nghìn con", "15 nghìn đồng", "nghìn đồng"),  # not "15 nghìn" and a word
        ("Tỷ đồng", "15.000.000 đồng", "đồng"),
    ],
)
def test_a_unit_the_catalogue_does_not_know_is_refused(row_unit, cell, unit):
    got = unit_rows([(row_unit, cell)]).iloc[0]
    assert got["ket_qua__kind"] == INVALID
    assert got["ket_qua__error"].startswith(f'"{cell}": không nhận ra đơn vị "{unit}" ghi sau số')


def test_a_unit_in_a_row_without_a_unit_is_read_with_a_warning():
    got = unit_rows([("", "5 bản")]).iloc[0]
    assert (got["ket_qua__kind"], got["ket_qua__lo"]) == (NUMBER, 5)
    assert got["ket_qua__note"] == (
        '"5 bản" ghi đơn vị trong ô nhưng dòng này không ghi "Đơn vị tính": đọc là 5, không '
        "đối chiếu được đơn vị"
    )


def unit_rows(pairs: list[tuple[str, str]]) -> pd.DataFrame:
    catalogue = seed_units_catalogue()
    table = [
        {"tt": str(i), "chi_tieu": "x", "don_vi": unit, "ket_qua": cell}
        for i, (unit, cell) in enumerate(pairs, start=1)
    ]
    return prepare_rows(frames.result_rows(table), catalogue, ("ket_qua",))


def test_a_range_or_a_bound_converts_every_end():
    got = unit_rows([("Tr. đồng", "1-2 tỷ đồng"), ("Tr. đồng", "trên 1,5 tỷ")])
    fields = ["ket_qua__kind", "ket_qua__op", "ket_qua__lo", "ket_qua__hi"]
    assert got[fields].fillna("").values.tolist() == [
        ["range", "", 1000, 2000],
        ["number", ">", 1500, 1500],
    ]
    assert got["ket_qua__note"].str.split(" theo đơn vị").str[0].tolist() == [
        '"1-2 tỷ đồng" đọc là 1.000-2.000 Tr. đồng',
        '"trên 1,5 tỷ" đọc là > 1.500 Tr. đồng',
    ]


def test_a_unit_whose_factor_the_catalogue_gets_wrong_is_left_to_the_catalogues_message():
    units = [{**u, "he_so": "0"} if u["don_vi"] == "Tỷ đồng" else u for u in SEED_UNITS]
    catalogue = frames.catalogue(frames.INDICATORS, units)
    table = [{"tt": "1", "chi_tieu": "x", "don_vi": "Tr. đồng", "ket_qua": "1,2 tỷ đồng"}]
    got = prepare_rows(frames.result_rows(table), catalogue, ("ket_qua",)).iloc[0]
    assert (got["ket_qua__kind"], got["ket_qua__lo"]) == (NUMBER, 1.2)
    assert pd.isna(got["ket_qua__note"]) and pd.isna(got["ket_qua__error"])


def test_cells_whose_unit_is_noted_and_cells_whose_unit_is_not_keep_one_kind_of_missing():
    """Several units typed in one column, one read with a note: the cells without a note hold
    a missing note as pandas marks it (NaN), as a column of read cells always did, never None."""
    got = unit_rows([("Con", "1.500 con"), ("Con", "15 nghìn"), ("Con", "7 con")])
    notes = got["ket_qua__note"].tolist()
    assert notes[1].startswith('"15 nghìn" đọc là 15.000 Con')
    assert [type(n) for n in (notes[0], notes[2])] == [float, float]
    assert pd.isna(notes[0]) and pd.isna(notes[2])

"""Validation's rules that need more than one cell, as a message column per checked column:
a code in the catalogue, a number of the right kind, a duplicate item, an old commune named by
a new one. Computed in pandas across all communes at once; the schemas in `schemas/` then check
the message columns (`<column>__loi`) and carry the messages to the cell.
"""

from __future__ import annotations

import pandas as pd

from pipeline.catalogue import Catalogue
from pipeline.columns import flag, keyed, none
from pipeline.parse import EMPTY, INVALID, NUMBER, RANGE, TEXT
from pipeline.prepare import plain_number
from pipeline.text import key
from schemas import stages as st
from schemas.vocabulary import AMOUNT, ITEM, OLD, PERCENT, SUBROW, UNBOUNDED, YES


def number_message(frame: pd.DataFrame, column: str, integer: bool = False) -> pd.Series:
    """The message for a value cell that must hold one plain number, or None."""
    parsed = st.Parsed(column)
    kind, text = frame[parsed.kind], frame[parsed.text]
    plain = plain_number(frame, column)
    message = flag(
        none(frame), ~plain & (kind != EMPTY), lambda hit: '"' + text[hit] + '" không phải là số'
    )
    message = flag(message, kind == INVALID, lambda hit: frame[parsed.error][hit])
    if integer:
        fraction = plain & (frame[parsed.lo] % 1 != 0)
        message = flag(message, fraction, lambda hit: '"' + text[hit] + '" phải là số nguyên')
    return message


def duplicate_message(values: pd.Series, what: str) -> pd.Series:
    """A value typed again below (whatever its case or keyboard): the later rows' message."""
    return flag(
        pd.Series(None, index=values.index, dtype=object),
        (values != "") & keyed(values).duplicated(),
        lambda hit: what + ' "' + values[hit] + '" bị trùng với một dòng phía trên',
    )


# ---------------------------------------------------------------------------- catalogue


def unit_messages(units: pd.DataFrame) -> pd.DataFrame:
    factor = st.Parsed("he_so")
    return units.assign(
        don_vi__trung=duplicate_message(units["don_vi"], "đơn vị"),
        he_so__loi=number_message(units, "he_so").mask(
            (units[factor.kind] == NUMBER) & (units[factor.lo] <= 0),
            "hệ số quy đổi phải lớn hơn 0",
        ),
        quy_doi__loi=pd.Series(None, index=units.index, dtype=object).mask(
            (units[factor.kind] != EMPTY) & (units["quy_doi"] == ""),
            'có hệ số quy đổi thì phải ghi "Quy đổi về" (đơn vị đích)',
        ),
    )


def indicator_messages(indicators: pd.DataFrame) -> pd.DataFrame:
    codes = set(indicators["ma_key"])
    return indicators.assign(
        ma_chi_tieu__trung=duplicate_message(indicators["ma_chi_tieu"], "mã chỉ tiêu"),
        gop_vao__loi=pd.Series(None, index=indicators.index, dtype=object).mask(
            (indicators["gop_vao"] != "") & ~keyed(indicators["gop_vao"]).isin(codes),
            'mã "' + indicators["gop_vao"] + '" không có trong cột "Mã chỉ tiêu" của danh mục',
        ),
    )


# ---------------------------------------------------------------------------- communes


def info_messages(info: pd.DataFrame) -> pd.DataFrame:
    return info.assign(
        ma_xa__trung=duplicate_message(info["ma_xa"], "mã xã"),
        **{
            f"{column}__loi": number_message(info, column, integer)
            for column, integer in st.INFO_NUMBERS.items()
        },
    )


def member_messages(members: pd.DataFrame, info: pd.DataFrame) -> pd.DataFrame:
    old = info[info["loai"] == OLD].drop_duplicates("ma_key").set_index("ma_key")
    new_name = info.set_index("ma_key")["ten_xa"].drop_duplicates()
    frame = members
    found = frame["ma_cu_key"].isin(old.index)
    first = frame.drop_duplicates("ma_cu_key").set_index("ma_cu_key")
    repeated = frame["ma_cu_key"].duplicated() & (frame["ma_xa_cu"] != "")
    where_first = frame["ma_cu_key"].map(first["_tep"])
    owner = frame["ma_cu_key"].map(first["ma_xa"].map(key)).map(new_name)
    old_name = frame["ma_cu_key"].map(old["ten_xa"])
    return frame.assign(
        ma_xa_cu__loi=pd.Series(None, index=frame.index, dtype=object)
        .mask(
            ~found & (frame["ma_xa_cu"] != ""),
            'không có xã trước sắp xếp nào mang mã "'
            + frame["ma_xa_cu"]
            + '" trong raw/ (mã ghi ở sheet "Thông tin" của mỗi tệp)',
        )
        .mask(
            repeated,
            'xã "'
            + frame["ma_xa_cu"]
            + '" đã được ghi là hợp thành xã "'
            + owner.fillna("")
            + '" ('
            + where_first.fillna("")
            + "); mỗi xã cũ chỉ nhập vào một xã mới",
        ),
        ten_xa_cu__loi=pd.Series(None, index=frame.index, dtype=object).mask(
            found & (keyed(frame["ten_xa_cu"]) != old_name.map(key)),
            'tên "'
            + frame["ten_xa_cu"]
            + '" khác tên trong tệp của xã mã "'
            + frame["ma_xa_cu"]
            + '" ("'
            + old_name.fillna("")
            + '")',
        ),
    )


# ---------------------------------------------------------------------------- indicator rows


def structure_message(rows: pd.DataFrame) -> pd.Series:
    """A TT that cannot be read, a sub-row with no item above it, an item number used twice in
    a group."""
    kind, tt = rows["loai_dong"], rows["tt"]
    items = rows[kind == ITEM]
    place = ["_tep", "nhom", "muc"]
    first_row = items.drop_duplicates(place).set_index(place)["_dong"]
    again = items[items.duplicated(place)]
    message = flag(
        none(rows),
        kind == "",
        lambda hit: (
            'TT "' + tt[hit] + '" không đọc được: ghi số La Mã cho dòng nhóm (I, II), số '
            "cho chỉ tiêu, để trống cho dòng con của chỉ tiêu phía trên"
        ),
    )
    message = message.mask(
        (kind == SUBROW) & (rows["muc"] == ""),
        "dòng con không có chỉ tiêu nào phía trên (TT trống ngay dưới dòng nhóm hoặc đầu bảng)",
    )
    for index, row in again.iterrows():
        group = f" trong nhóm {row['nhom']}" if row["nhom"] else ""
        first = first_row.loc[(row["_tep"], row["nhom"], row["muc"])]
        message.at[index] = f'số thứ tự "{row["tt"]}" trùng với dòng {first}{group}'
    return message


def row_messages(rows: pd.DataFrame, catalogue: Catalogue, values: tuple[str, ...]) -> pd.DataFrame:
    """A unit or code not in the catalogue, and every value cell's message."""
    frame = rows.assign(
        tt__loi=structure_message(rows),
        don_vi__loi=flag(
            none(rows),
            (rows["don_vi"] != "") & rows["loai_don_vi"].isna() & catalogue.knows_units(),
            lambda hit: (
                'đơn vị "' + rows["don_vi"][hit] + '" không có trong danh mục (sheet "Đơn vị")'
            ),
        ),
        ma_chi_tieu__loi=flag(
            none(rows),
            (rows["ma_chi_tieu"] != "")
            & ~rows["ma_key"].isin(catalogue.indicator.index)
            & catalogue.knows_indicators(),
            lambda hit: (
                'mã chỉ tiêu "' + rows["ma_chi_tieu"][hit] + '" không có trong danh mục '
                '(sheet "Chỉ tiêu")'
            ),
        ),
    )
    return frame.assign(**{f"{column}__loi": value_message(frame, column) for column in values})


def value_message(frame: pd.DataFrame, column: str) -> pd.Series:
    """Why a target or result cell is wrong: unreadable, text where a result must be a number,
    or outside what its unit allows (a share over 100%, a negative count)."""
    parsed = st.Parsed(column)
    kind, text = frame[parsed.kind], frame[parsed.text]
    lo, hi = frame[parsed.lo], frame[parsed.hi]
    # an unknown code or unit is reported once, on its own cell; its bounds are then unknown
    bounded = (frame["mien_gia_tri"] != UNBOUNDED) & frame["ma_chi_tieu__loi"].isna()
    percent = bounded & (frame["loai_don_vi"] == PERCENT)
    counted = bounded & frame["loai_don_vi"].isin([PERCENT, AMOUNT])
    numeric = kind.isin([NUMBER, RANGE])
    allow = ' (nếu chỉ tiêu này được phép, ghi "Không giới hạn" ở cột "Miền giá trị" của danh mục)'
    message = flag(
        none(frame),
        numeric & counted & (lo < 0),
        lambda hit: (
            '"'
            + text[hit]
            + '" là số âm, nhưng đơn vị "'
            + frame["don_vi"][hit]
            + '" không nhận số âm'
            + allow
        ),
    )
    message = flag(
        message,
        numeric & percent & (hi > 100),
        lambda hit: '"' + text[hit] + '" là tỷ lệ phần trăm lớn hơn 100' + allow,
    )
    if column == "ket_qua":
        message = flag(message, kind == TEXT, lambda hit: '"' + text[hit] + '" không phải là số')
    return flag(message, kind == INVALID, lambda hit: frame[parsed.error][hit])


def rating_messages(rows: pd.DataFrame) -> pd.DataFrame:
    """An override with no reason, or of a rating that was never published."""
    kept = rows["giu_danh_gia"] == YES
    return rows.assign(
        giu_danh_gia__loi=pd.Series(None, index=rows.index, dtype=object)
        .mask(
            kept & (rows["ly_do_giu"] == ""),
            'giữ đánh giá công bố thì phải ghi lý do ở cột "Lý do giữ đánh giá"',
        )
        .mask(kept & (rows["danh_gia"] == ""), "dòng này không có đánh giá công bố để giữ")
    )

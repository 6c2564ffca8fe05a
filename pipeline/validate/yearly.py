"""Validation's rules on the sheet "Kết quả hằng năm", the results typed year by year, as a
message column per checked column (as in `cells.py`): which Biểu 03 row a line is, a result
typed twice, a year outside the term, and each value's message as for a 2020-2025 result.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.columns import flag, none
from pipeline.parse import NUMBER, QUALITY, RANGE, parse_term
from pipeline.validate.cells import unreadable, value_messages
from schemas import stages as st
from schemas.stages import (
    InfoRead,
    Located,
    OfCommune,
    ResultRows,
    ResultRowsRead,
    YearlyRead,
    YearlyResults,
)
from schemas.vocabulary import AMOUNT, GROUP, ITEM, MET, MISSED, NEW, PERCENT, SUBROW
from schemas.vocabulary import QUALITY as QUALITY_UNIT

TARGET_SHEET_NAME = 'Biểu 03 (sheet "Mục tiêu")'


def yearly_messages(
    yearly: pd.DataFrame, info: pd.DataFrame, targets: pd.DataFrame
) -> pd.DataFrame:
    """The results typed year by year: a row that is not one of its commune's Biểu 03 rows (or
    that names two), a result typed twice for one row and year, a year outside the term, and
    every value's message as for a result of the 2020-2025 tables, in its Biểu 03 row's unit."""
    code = none(yearly)  # the code is the Biểu 03 row's: its messages are there
    if yearly.empty:  # most records type no results year by year: nothing to say
        columns = ["tt__loi", "ma_chi_tieu__dong", "nam__loi", "ket_qua__trung", "ket_qua__loi"]
        return yearly.assign(ma_chi_tieu__loi=code, **dict.fromkeys(columns, code))
    values = value_messages(yearly, (ResultRowsRead.ket_qua,), code)
    return yearly.assign(
        ma_chi_tieu__loi=code,
        tt__loi=tt_messages(yearly),
        ma_chi_tieu__dong=code_messages(yearly, targets),
        nam__loi=year_messages(yearly, info),
        ket_qua__trung=twice_messages(yearly),
        ket_qua__loi=kind_messages(yearly).combine_first(values["ket_qua__loi"]),
    )


def _in_group(frame: pd.DataFrame, hit: pd.Series) -> pd.Series:
    """ " trong nhóm I" for a row under a group's row, "" for one under none."""
    return frame[ResultRows.nhom][hit].map(lambda g: f" trong nhóm {g}" if g else "")


def tt_messages(frame: pd.DataFrame) -> pd.Series:
    """A row given by its TT alone (no Mã chỉ tiêu) that is not one Biểu 03 row: its TT cannot
    be read, it is a group's row, it has no TT, or Biểu 03 has no row or several rows of it."""
    kind, tt, by_tt = (
        frame[ResultRows.loai_dong],
        frame[ResultRowsRead.tt],
        frame[YearlyResults.so_dong_theo_tt],
    )
    untyped = frame[ResultRowsRead.ma_chi_tieu] == ""
    rules = [
        (kind == "", lambda hit: unreadable(tt[hit], "như Biểu 03")),
        (
            untyped & (kind == GROUP),
            lambda hit: (
                'dòng nhóm "'
                + tt[hit]
                + '" không ghi kết quả: ghi kết quả ở dòng của từng chỉ tiêu'
            ),
        ),
        (
            untyped & (kind == SUBROW),
            lambda hit: pd.Series(
                "dòng có kết quả nhưng không ghi TT hay Mã chỉ tiêu: không biết là dòng nào của "
                + TARGET_SHEET_NAME,
                index=hit[hit].index,
            ),
        ),
        (
            untyped & (kind == ITEM) & (by_tt == 0),
            lambda hit: (
                TARGET_SHEET_NAME
                + " không có chỉ tiêu TT "
                + frame[ResultRows.muc][hit]
                + _in_group(frame, hit)
            ),
        ),
        (
            untyped & (kind == ITEM) & (by_tt > 1),
            lambda hit: (
                "TT "
                + frame[ResultRows.muc][hit]
                + " có ở nhiều nhóm của Biểu 03: ghi dòng nhóm (I, II…) phía trên như Biểu 03, "
                "hoặc ghi Mã chỉ tiêu"
            ),
        ),
    ]
    return _flagged(frame, rules)


def code_messages(frame: pd.DataFrame, targets: pd.DataFrame) -> pd.Series:
    """A row given by its Mã chỉ tiêu that is not one Biểu 03 row: the code is not there, it
    is on several rows and no TT says which, or the row's TT names another indicator."""
    code, by_code, by_tt = (
        frame[ResultRowsRead.ma_chi_tieu],
        frame[YearlyResults.so_dong_theo_ma],
        frame[YearlyResults.so_dong_theo_tt],
    )
    typed = code != ""
    agrees = (by_tt != 1) | (frame[YearlyResults.ma_theo_tt] == frame[ResultRows.ma_key])
    # the Biểu 03 row that the line's TT names: its indicator and its code
    place = [OfCommune.ma_xa, Located.dong]
    named = (
        targets[[*place, ResultRowsRead.chi_tieu, ResultRowsRead.ma_chi_tieu]]
        .drop_duplicates(place)
        .set_index(place)
    )
    tt_row = pd.MultiIndex.from_arrays(
        [frame[OfCommune.ma_xa], frame[YearlyResults.dong_theo_tt].fillna(-1)]
    )
    tt_name = named[ResultRowsRead.chi_tieu].reindex(tt_row).set_axis(frame.index).fillna("")
    tt_code = named[ResultRowsRead.ma_chi_tieu].reindex(tt_row).set_axis(frame.index).fillna("")
    rules = [
        (
            typed & (by_code == 0),
            lambda hit: 'mã chỉ tiêu "' + code[hit] + '" không có trong ' + TARGET_SHEET_NAME,
        ),
        (
            typed & (by_code > 1) & ~((by_tt == 1) & agrees),
            lambda hit: (
                'mã "'
                + code[hit]
                + '" có ở nhiều dòng của Biểu 03: ghi TT (dưới dòng nhóm như Biểu 03) để chỉ rõ '
                "dòng nào"
            ),
        ),
        (
            typed & (by_code > 0) & ~agrees,
            lambda hit: (
                "TT "
                + frame[ResultRows.muc][hit]
                + _in_group(frame, hit)
                + ' của Biểu 03 là chỉ tiêu "'
                + tt_name[hit]
                + '" (mã '
                + tt_code[hit]
                + '), khác mã "'
                + code[hit]
                + '" ghi ở dòng này'
            ),
        ),
    ]
    return _flagged(frame, rules)


def _flagged(frame: pd.DataFrame, rules: list) -> pd.Series:
    """Each row's message from `rules` (condition, words) in order: where two hold, the later
    one's words stand (it says more)."""
    message = none(frame)
    for holds, words in rules:
        message = flag(message, holds, words)
    return message


def year_messages(frame: pd.DataFrame, info: pd.DataFrame) -> pd.Series:
    """A year's column outside the commune's term, said once per column (at its header)."""
    new = (
        info.loc[info[InfoRead.loai] == NEW, [OfCommune.ma_xa, InfoRead.nhiem_ky]]
        .drop_duplicates(OfCommune.ma_xa)
        .set_index(OfCommune.ma_xa)[InfoRead.nhiem_ky]
    )
    terms = frame[OfCommune.ma_xa].map(new).map(parse_term)
    start = terms.map(lambda t: t[0] if t else np.nan)
    end = terms.map(lambda t: t[1] if t else np.nan)
    outside = (
        (frame[YearlyRead.nam] <= start) | (frame[YearlyRead.nam] > end)
    ) & ~frame.duplicated([Located.tep, YearlyRead.nam])

    def text(hit: pd.Series) -> list[str]:
        lines = []
        for year, first, last in zip(frame[YearlyRead.nam][hit], start[hit], end[hit], strict=True):
            term = f"{int(first)}-{int(last)}"
            span = f"kết quả hằng năm ghi từ năm {int(first) + 1} đến năm {int(last)}"
            if year == first:
                lines.append(
                    f"năm {year} là năm hiện trạng (gộp từ kết quả của các xã cũ), không phải "
                    f"một năm của nhiệm kỳ {term}: {span}"
                )
            else:
                lines.append(f"năm {year} nằm ngoài nhiệm kỳ {term} của xã: {span}")
        return lines

    return flag(none(frame), outside, text)


def twice_messages(frame: pd.DataFrame) -> pd.Series:
    """A result typed again for the same Biểu 03 row and year: the later one names the first."""
    place = [OfCommune.ma_xa, YearlyResults.dong_muc_tieu, YearlyRead.nam]
    matched = frame.loc[
        frame[YearlyResults.dong_muc_tieu].notna(), [*place, YearlyRead.cot, Located.dong]
    ]
    first = matched.drop_duplicates(place).set_index(place)
    again = matched[matched.duplicated(place)]
    message = none(frame)
    for index, row in again.iterrows():
        origin = first.loc[
            (row[OfCommune.ma_xa], row[YearlyResults.dong_muc_tieu], row[YearlyRead.nam])
        ]
        message.at[index] = (
            f"kết quả năm {row['nam']} của chỉ tiêu này đã ghi ở ô "
            f"{origin['_cot']}{origin['_dong']}"
        )
    return message


def kind_messages(frame: pd.DataFrame) -> pd.Series:
    """A result of the wrong kind for its Biểu 03 row's unit: a number for an indicator rated
    Đạt or Không đạt, a word for one counted in numbers."""
    parsed = st.Parsed("ket_qua")
    kind, text, unit = frame[parsed.kind], frame[parsed.text], frame[ResultRowsRead.don_vi]
    quality = frame[ResultRows.loai_don_vi] == QUALITY_UNIT
    counted = frame[ResultRows.loai_don_vi].isin([PERCENT, AMOUNT])
    message = flag(
        none(frame),
        quality & kind.isin([NUMBER, RANGE]),
        lambda hit: (
            '"'
            + text[hit]
            + f'" không phải là {MET} hay {MISSED}: chỉ tiêu này đánh giá bằng lời (đơn vị "'
            + unit[hit]
            + '")'
        ),
    )
    return flag(
        message,
        counted & (kind == QUALITY),
        lambda hit: (
            '"'
            + text[hit]
            + '" không phải là số: chỉ tiêu này tính bằng số (đơn vị "'
            + unit[hit]
            + '")'
        ),
    )

"""Validation's rules that need more than one cell, as a message column per checked column:
a code in the catalogue, a number of the right kind, a duplicate item, an old commune named by
a new one. Computed in pandas across all communes at once; the schemas in `schemas/` then check
the message columns (`<column>__loi`) and carry the messages to the cell.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from pipeline.catalogue import Catalogue
from pipeline.columns import flag, keyed, none, per_distinct, twice
from pipeline.parse import EMPTY, INVALID, NUMBER, RANGE, TEXT
from pipeline.prepare import plain_number
from pipeline.problems import Problem, at_cell
from pipeline.suggest import (
    Match,
    Suggester,
    indicator_hint,
    looks_like_code,
    name_hint,
    shown,
    unit_hint,
)
from pipeline.text import key
from schemas import stages as st
from schemas.stages import (
    IndicatorsRead,
    InfoRead,
    Located,
    Members,
    MembersRead,
    OfCommune,
    ResultRows,
    ResultRowsRead,
    UnitsRead,
)
from schemas.vocabulary import (
    AMOUNT,
    GROUP,
    ITEM,
    NEW,
    OLD,
    OUTPUT_FOLDERS,
    PERCENT,
    SUBROW,
    UNBOUNDED,
    YES,
)


def number_message(frame: pd.DataFrame, column: str, integer: bool = False) -> pd.Series:
    """The message for a value cell that must hold one plain number, or None."""
    parsed = st.Parsed(column)
    # the conditions in numpy: a pandas comparison costs fifty times as much on a few rows
    kind, text = frame[parsed.kind].to_numpy(), frame[parsed.text]
    plain = plain_number(frame, column).to_numpy()
    message = flag(
        none(frame), ~plain & (kind != EMPTY), lambda hit: '"' + text[hit] + '" không phải là số'
    )
    message = flag(message, kind == INVALID, lambda hit: frame[parsed.error][hit])
    if integer:
        fraction = plain & (frame[parsed.lo].to_numpy(dtype=float) % 1 != 0)
        message = flag(message, fraction, lambda hit: '"' + text[hit] + '" phải là số nguyên')
    return message


def duplicate_message(
    frame: pd.DataFrame, column: str, what: str, cell, same_file_allowed: bool = False
) -> pd.Series:
    """A value typed again (whatever its case or keyboard): each later row's message names the
    first row's cell, and its workbook where that is another. With `same_file_allowed`, a value
    repeated within one workbook is not a duplicate (a kept commune's two rows share a code)."""
    values = frame[column]
    keys = keyed(values)
    if not keys.duplicated().any():  # nothing typed twice (most records): no first rows to find
        return pd.Series(None, index=values.index, dtype=object)
    place = [Located.tep, Located.sheet, Located.dong]
    first = frame[place].assign(_key=keys).drop_duplicates("_key").set_index("_key")
    first_file = keys.map(first[Located.tep])
    repeated = (values != "") & keys.duplicated()
    if same_file_allowed:
        repeated &= frame[Located.tep] != first_file

    def text(hit: pd.Series) -> list[str]:
        lines = []
        for row in frame.loc[hit, [column, Located.tep, Located.sheet]].to_dict("records"):
            origin = first.loc[key(row[column])]
            place = cell(origin[Located.tep], origin[Located.sheet], column, origin[Located.dong])
            if (
                origin[Located.tep] != row[Located.tep]
                or origin[Located.sheet] != row[Located.sheet]
            ):
                place = " › ".join((origin[Located.tep], origin[Located.sheet], place))
            else:
                place = f"ô {place}"
            lines.append(f'{what} "{row[column]}" trùng với {place}')
        return lines

    return flag(pd.Series(None, index=values.index, dtype=object), repeated, text)


# ---------------------------------------------------------------------------- catalogue


def unit_messages(units: pd.DataFrame, cell) -> pd.DataFrame:
    factor = st.Parsed("he_so")
    kind = units[factor.kind].to_numpy()  # in numpy: fifty times cheaper on a few rows
    return units.assign(
        don_vi__trung=duplicate_message(units, "don_vi", "đơn vị", cell),
        he_so__loi=flag(
            number_message(units, "he_so"),
            (kind == NUMBER) & (units[factor.lo].to_numpy(dtype=float) <= 0),
            lambda hit: "hệ số quy đổi phải lớn hơn 0",
        ),
        quy_doi__loi=flag(
            none(units),
            (kind != EMPTY) & (units[UnitsRead.quy_doi].to_numpy() == ""),
            lambda hit: 'có hệ số quy đổi thì phải ghi "Quy đổi về" (đơn vị đích)',
        ),
    )


def indicator_messages(indicators: pd.DataFrame, catalogue: Catalogue, cell) -> pd.DataFrame:
    codes = set(indicators[ResultRows.ma_key])
    # the conditions in numpy (a pandas comparison costs fifty times as much on a few rows)
    unit, feeds = indicators[ResultRowsRead.don_vi], indicators[IndicatorsRead.gop_vao]
    known_unit = keyed(unit).isin(catalogue.unit.index).to_numpy()
    unknown_unit = (unit.to_numpy() != "") & ~known_unit & catalogue.knows_units()
    suggester = lazy_suggester(catalogue)
    return indicators.assign(
        ma_chi_tieu__trung=duplicate_message(indicators, "ma_chi_tieu", "mã chỉ tiêu", cell),
        gop_vao__loi=flag(
            none(indicators),
            (feeds.to_numpy() != "") & ~keyed(feeds).isin(codes).to_numpy(),
            lambda hit: 'mã "' + feeds[hit] + '" không có trong cột "Mã chỉ tiêu" của danh mục',
        ),
        don_vi__loi=flag(
            none(indicators),
            unknown_unit,
            lambda hit: (
                'đơn vị "'
                + unit[hit]
                + '" không có trong sheet "Đơn vị" của danh mục'
                + per_distinct(unit[hit], lambda u: unit_hint(suggester().units_near(u)))
            ),
        ),
    )


# ---------------------------------------------------------------------------- communes


# what cannot be in a folder's name on Windows or Linux, and the names Windows keeps for itself
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
WINDOWS_NAMES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10))}
WINDOWS_NAMES |= {f"lpt{i}" for i in range(10)}
LONGEST_CODE = 60


def folder_message(info: pd.DataFrame) -> pd.Series:
    """A new commune's code names its folder in output/: one that cannot (a slash, a name kept
    by Windows or by the program's own folders, a dot first, too long) says why."""
    code = info[OfCommune.ma_xa]

    def why(value: str) -> str | None:
        if not value:
            return None
        if UNSAFE.search(value) or value.startswith(".") or value.endswith((" ", ".")):
            reason = (
                "có dấu chấm ở đầu, hoặc ký tự không dùng được trong tên thư mục "
                '(\\ / : * ? " < > |)'
            )
        elif value.casefold() in WINDOWS_NAMES or value.casefold() in OUTPUT_FOLDERS:
            reason = "trùng tên Windows hoặc chương trình dành riêng"
        elif len(value) > LONGEST_CODE:
            reason = f"dài quá {LONGEST_CODE} ký tự"
        else:
            return None
        return (
            f'mã xã "{value}" không dùng làm tên thư mục kết quả được ({reason}): dùng chữ '
            "không dấu, số và dấu gạch dưới, ví dụ tan_an"
        )

    return per_distinct(code, why).where(info[InfoRead.loai] == NEW)


def info_messages(info: pd.DataFrame, members: pd.DataFrame, cell) -> pd.DataFrame:
    return info.assign(
        ma_xa__ten=folder_message(info),
        ma_xa__trung=duplicate_message(info, "ma_xa", "mã xã", cell, same_file_allowed=True).pipe(
            kept_hint, info
        ),
        bieu_so__loi=bieu_messages(info, members, cell),
        **{
            f"{column}__loi": number_message(info, column, integer)
            for column, integer in st.INFO_NUMBERS.items()
        },
    )


def kept_hint(message: pd.Series, info: pd.DataFrame) -> pd.Series:
    """A code used by an old and a new commune's workbooks: how to keep a commune as it is."""
    if message.isna().all():  # no code typed twice: nothing to add to
        return message
    kinds = info.groupby(ResultRows.ma_key)[InfoRead.loai].transform("nunique")
    return flag(
        message,
        message.notna() & (kinds > 1),
        lambda hit: message[hit] + "; " + KEPT_HINT,
    )


KEPT_HINT = (
    f'xã giữ nguyên thì ghi cả hai dòng ("{OLD}" và "{NEW}") vào sheet "Thông tin" của một '
    "tệp, cùng một mã"
)


def bieu_messages(info: pd.DataFrame, members: pd.DataFrame, cell) -> pd.Series:
    """The Biểu số of each commune of a new commune's report (its old communes in the order of
    its "Xã hợp thành" sheet, then itself): missing, or the same as another's."""
    message = pd.Series(None, index=info.index, dtype=object)
    # nothing to say where every commune has a Biểu số of its own and no old commune is listed
    # twice (most records): no report is put together
    bieu = info[InfoRead.bieu_so]
    if (
        (bieu != "").all()
        and not keyed(bieu).duplicated().any()
        and not members[Members.ma_cu_key].duplicated().any()
    ):
        return message
    said = [InfoRead.bieu_so, InfoRead.ten_xa, Located.tep, Located.sheet, Located.dong]
    own = info[[InfoRead.loai, ResultRows.ma_key, *said]]
    first_old = own.loc[own[InfoRead.loai] == OLD, ResultRows.ma_key].drop_duplicates()
    new = own[own[InfoRead.loai] == NEW].drop_duplicates(ResultRows.ma_key)
    # the rows of each report: the old communes its sheet lists (those found), then itself
    found = pd.Index(first_old.to_numpy()).get_indexer(members[Members.ma_cu_key])
    rows = first_old.index[found[found >= 0]].append(new.index)
    report = own.loc[rows, said].reset_index(names="_row")
    report["bao_cao"] = np.concatenate(
        [keyed(members[OfCommune.ma_xa]).to_numpy()[found >= 0], new[ResultRows.ma_key]]
    )
    report["bieu_key"] = keyed(report[InfoRead.bieu_so])
    owner = new.set_index(ResultRows.ma_key)
    report = report[report["bao_cao"].isin(owner.index)]
    twice = report[report.duplicated(["bao_cao", "bieu_key"]) & (report[InfoRead.bieu_so] != "")]
    missing = report[report[InfoRead.bieu_so] == ""]
    if not twice.empty:
        first = report.drop_duplicates(["bao_cao", "bieu_key"]).set_index(["bao_cao", "bieu_key"])
    for row in twice.to_dict("records"):
        other = first.loc[(row["bao_cao"], row["bieu_key"])]
        place = " › ".join(
            (
                other[Located.tep],
                other[Located.sheet],
                cell(other[Located.tep], other[Located.sheet], "bieu_so", other[Located.dong]),
            )
        )
        message[row["_row"]] = (
            f'Biểu số "{row["bieu_so"]}" trùng với xã "{other["ten_xa"]}" ({place}), cùng '
            f'trong báo cáo của xã "{owner.at[row["bao_cao"], "ten_xa"]}"; ' + BIEU_ORDER
        )
    for row in missing.to_dict("records"):
        report_of = owner.loc[row["bao_cao"]]
        message[row["_row"]] = (
            f'ô trống: cần ghi "Biểu số", số của biểu này trong báo cáo của xã '
            f'"{report_of["ten_xa"]}" ({report_of["_tep"]}); ' + BIEU_ORDER
        )
    return message


BIEU_ORDER = (
    'các xã trước sắp xếp đánh số 01, 02, … theo thứ tự ở sheet "Xã hợp thành", xã mới lấy '
    "số tiếp theo"
)


def member_messages(members: pd.DataFrame, old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """An old commune no workbook names, or named by two new communes; its name typed
    otherwise than in its own workbook (`old`, `new`: `Prepared.old_communes`, `new_communes`)."""
    frame = members
    code, typed = frame[Members.ma_cu_key], frame[MembersRead.ma_xa_cu]
    # the conditions in numpy (a pandas comparison costs fifty times as much on a few rows), the
    # words only for the rows they are said of
    found = code.isin(old.index).to_numpy()
    old_name = code.map(old[InfoRead.ten_xa])

    def merged_twice(hit: pd.Series) -> pd.Series:
        first = (
            frame[[Members.ma_cu_key, Located.tep, OfCommune.ma_xa]]
            .drop_duplicates(Members.ma_cu_key)
            .set_index(Members.ma_cu_key)
        )
        where_first = code[hit].map(first[Located.tep])
        owner = code[hit].map(first[OfCommune.ma_xa].map(key)).map(new[InfoRead.ten_xa])
        return (
            'xã "'
            + typed[hit]
            + '" đã được ghi là hợp thành xã "'
            + owner.fillna("")
            + '" ('
            + where_first.fillna("")
            + "); mỗi xã cũ chỉ nhập vào một xã mới"
        )

    unknown = flag(
        none(frame),
        ~found & (typed.to_numpy() != ""),
        lambda hit: (
            'không có xã trước sắp xếp nào mang mã "'
            + typed[hit]
            + '" trong raw/ (mã ghi ở sheet "Thông tin" của mỗi tệp)'
        ),
    )
    named = keyed(frame[MembersRead.ten_xa_cu]).to_numpy() != old_name.map(key).to_numpy()
    return frame.assign(
        ma_xa_cu__loi=flag(
            unknown, code.duplicated().to_numpy() & (typed.to_numpy() != ""), merged_twice
        ),
        ten_xa_cu__loi=flag(
            none(frame),
            found & named,
            lambda hit: (
                'tên "'
                + frame[MembersRead.ten_xa_cu][hit]
                + '" khác tên trong tệp của xã mã "'
                + typed[hit]
                + '" ("'
                + old_name.fillna("")[hit]
                + '")'
            ),
        ),
    )


# ---------------------------------------------------------------------------- indicator rows


def unreadable(tt: pd.Series, rest: str) -> pd.Series:
    """Why a TT cannot be read, and how to write one (`rest` goes on)."""
    return (
        'TT "'
        + tt
        + '" không đọc được: ghi số La Mã cho dòng nhóm (I, II), số cho chỉ tiêu, '
        + rest
    )


def structure_message(rows: pd.DataFrame) -> pd.Series:
    """A TT that cannot be read, a sub-row with no item above it, an item number used twice in
    a group."""
    # the conditions in numpy (a pandas comparison costs fifty times as much on a few rows), and
    # the items' frame built only where an item number is used twice
    kind, tt = rows[ResultRows.loai_dong].to_numpy(), rows[ResultRowsRead.tt]
    place = [Located.tep, ResultRows.nhom, ResultRows.muc]
    item = kind == ITEM
    message = flag(
        none(rows),
        kind == "",
        lambda hit: unreadable(tt[hit], "để trống cho dòng con của chỉ tiêu phía trên"),
    )
    message = flag(
        message,
        (kind == SUBROW) & (rows[ResultRows.muc].to_numpy() == ""),
        lambda hit: (
            "dòng con không có chỉ tiêu nào phía trên (TT trống ngay dưới dòng nhóm hoặc đầu bảng)"
        ),
    )
    if not twice(*(rows[column].to_numpy()[item] for column in place)):
        return message
    items = rows.loc[item, [*place, Located.dong, ResultRowsRead.tt]]
    again = items[items.duplicated(place)]
    first_row = items.drop_duplicates(place).set_index(place)[Located.dong]
    for index, row in again.iterrows():
        group = f" trong nhóm {row['nhom']}" if row[ResultRows.nhom] else ""
        first = first_row.loc[(row[Located.tep], row[ResultRows.nhom], row[ResultRows.muc])]
        message.at[index] = f'số thứ tự "{row["tt"]}" trùng với dòng {first}{group}'
    return message


def row_messages(
    rows: pd.DataFrame, catalogue: Catalogue, values: tuple[str, ...], target: bool = False
) -> pd.DataFrame:
    """A unit or code not in the catalogue (or a code not given), with the nearest entries of
    the catalogue by name; and every value cell's message."""
    suggester = lazy_suggester(catalogue)
    # the conditions in numpy: a pandas comparison costs fifty times as much on a few rows
    unknown_unit = (
        (rows[ResultRowsRead.don_vi].to_numpy() != "")
        & rows[ResultRows.loai_don_vi].isna().to_numpy()
        & catalogue.knows_units()
    )
    code = rows[ResultRowsRead.ma_chi_tieu].to_numpy()
    known = rows[ResultRows.ma_key].isin(catalogue.indicator.index).to_numpy()
    unknown_code = (code != "") & ~known
    # a group row has no code
    no_code = (code == "") & (rows[ResultRows.loai_dong].to_numpy() != GROUP)

    def unit_text(hit: pd.Series) -> pd.Series:
        units = rows[ResultRowsRead.don_vi][hit]
        return (
            'đơn vị "'
            + units
            + '" không có trong danh mục (sheet "Đơn vị")'
            + per_distinct(units, lambda u: unit_hint(suggester().units_near(u)))
        )

    def code_text(hit: pd.Series) -> pd.Series:
        sub = rows[hit]
        head = (
            'mã chỉ tiêu "'
            + sub[ResultRowsRead.ma_chi_tieu]
            + '" không có trong danh mục (sheet "Chỉ tiêu")'
        ).where(sub[ResultRowsRead.ma_chi_tieu] != "", 'ô trống: cần ghi "Mã chỉ tiêu"')
        if not catalogue.knows_indicators():
            return head
        # a name typed where the code goes (the forms offer names): said as a name, with the
        # catalogue's names nearest to it
        typed = sub[ResultRowsRead.ma_chi_tieu]
        named = (typed != "") & ~typed.map(looks_like_code)
        head = head.where(
            ~named,
            'chỉ tiêu "'
            + typed
            + '" không có trong danh mục (sheet "Chỉ tiêu"), theo tên cũng như theo mã',
        )
        said: dict[tuple[str, str, bool], str] = {}  # a name typed in many communes, once
        looked = zip(
            typed.where(named, sub[ResultRowsRead.chi_tieu]),
            sub[ResultRowsRead.don_vi],
            # an empty cell is offered names, as the form's list offers them
            named | (typed == ""),
            strict=True,
        )
        hints = []
        for name, unit, by_name in looked:
            if (name, unit, by_name) not in said:
                found = suggester().indicators(name, unit, target)
                hint = name_hint if by_name else indicator_hint
                said[name, unit, by_name] = hint(found, name)
            hints.append(said[name, unit, by_name])
        return head + pd.Series(hints, index=sub.index)

    code_message = flag(
        none(rows), (unknown_code & catalogue.knows_indicators()) | no_code, code_text
    )
    return rows.assign(
        tt__loi=structure_message(rows),
        don_vi__loi=flag(none(rows), unknown_unit, unit_text),
        ma_chi_tieu__loi=code_message,
        **value_messages(rows, values, code_message),
    )


def lazy_suggester(catalogue: Catalogue):
    """A function giving the catalogue's `Suggester`, built the first time it is asked for: a
    record with every code and unit right never builds one."""
    built: list[Suggester] = []

    def get() -> Suggester:
        if not built:
            built.append(Suggester.of(catalogue))
        return built[0]

    return get


def value_messages(
    frame: pd.DataFrame, columns: tuple[str, ...], code_message: pd.Series
) -> dict[str, pd.Series]:
    """Each value column's messages (`value_message`), by the name of its message column;
    `code_message`: the rows' messages on their code."""
    # an unknown code or unit is reported once, on its own cell; its bounds are then unknown
    # the conditions in numpy: a pandas comparison costs fifty times as much on a few rows
    bounded = (frame[IndicatorsRead.mien_gia_tri].to_numpy() != UNBOUNDED) & (
        code_message.isna().to_numpy()
    )
    unit = frame[ResultRows.loai_don_vi].to_numpy()
    percent = bounded & (unit == PERCENT)
    counted = bounded & ((unit == PERCENT) | (unit == AMOUNT))
    return {f"{column}__loi": value_message(frame, column, percent, counted) for column in columns}


def value_message(
    frame: pd.DataFrame, column: str, percent: np.ndarray, counted: np.ndarray
) -> pd.Series:
    """Why a target or result cell is wrong: unreadable, text where a result must be a number,
    or outside what its unit allows (a share over 100% where `percent`, a negative figure
    where `counted`: rows of a known code and unit that bounds its values)."""
    parsed = st.Parsed(column)
    kind, text = frame[parsed.kind].to_numpy(), frame[parsed.text]
    lo, hi = frame[parsed.lo].to_numpy(dtype=float), frame[parsed.hi].to_numpy(dtype=float)
    numeric = (kind == NUMBER) | (kind == RANGE)
    allow = ' (nếu chỉ tiêu này được phép, ghi "Không giới hạn" ở cột "Miền giá trị" của danh mục)'
    message = flag(
        none(frame),
        numeric & counted & (lo < 0),
        lambda hit: (
            '"'
            + text[hit]
            + '" là số âm, nhưng đơn vị "'
            + frame[ResultRowsRead.don_vi][hit]
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
    kept = rows[ResultRowsRead.giu_danh_gia].to_numpy() == YES  # in numpy: fifty times cheaper
    message = flag(
        none(rows),
        kept & (rows[ResultRowsRead.ly_do_giu].to_numpy() == ""),
        lambda hit: 'giữ đánh giá công bố thì phải ghi lý do ở cột "Lý do giữ đánh giá"',
    )
    return rows.assign(
        giu_danh_gia__loi=flag(
            message,
            kept & (rows[ResultRowsRead.danh_gia].to_numpy() == ""),
            lambda hit: "dòng này không có đánh giá công bố để giữ",
        )
    )


def unit_against_catalogue(
    rows: pd.DataFrame, catalogue: Catalogue, cell, target: bool = False
) -> list[Problem]:
    """A warning at the indicator cell of every row whose unit cannot be its indicator's unit in
    the catalogue (another base: not the same unit, nor one that converts into it): the row is
    likely another indicator (a row printed "Tiêu chí" picked as the indicator whose unit is
    "Đạt"), named with the catalogue's indicators nearest to the row's name whose unit fits.
    A unit or code the catalogue lacks has its own error, and says nothing here."""
    # the conditions in numpy (a pandas comparison costs fifty times as much on a few rows)
    code = rows[ResultRows.ma_key]
    # as objects first: with no catalogue the map gives floats, which pandas will not fill with
    # a string
    listed_unit = code.map(catalogue.indicator[IndicatorsRead.don_vi]).astype(object).fillna("")
    base = catalogue.unit["goc"]
    row_base = rows[ResultRows.don_vi_key].map(base)
    listed_base = keyed(listed_unit).map(base)
    other = (
        (rows[ResultRows.loai_dong].to_numpy() != GROUP)
        & row_base.notna().to_numpy()
        & listed_base.notna().to_numpy()
        & (row_base.to_numpy() != listed_base.to_numpy())
    )
    if not other.any():
        return []
    indicators = catalogue.indicator
    suggester = lazy_suggester(catalogue)
    said: dict[tuple[str, str], str] = {}  # a row of one name and unit in many communes, once
    problems = []
    for index, row in rows.loc[other, [*st.AT_ROW, ResultRowsRead.don_vi]].iterrows():
        name, unit = row[ResultRowsRead.chi_tieu], row[ResultRowsRead.don_vi]
        if (name, unit) not in said:
            found = suggester().indicators(name, unit, target)
            said[name, unit] = fitting_hint([m for m in found if key(m.code) != code[index]], unit)
        listed = indicators.at[code[index], IndicatorsRead.ten_chi_tieu]
        text = (
            f'đơn vị "{unit}" của dòng khác đơn vị "{listed_unit[index]}" của chỉ tiêu '
            f'"{listed}" ({indicators.at[code[index], IndicatorsRead.ma_chi_tieu]}) trong danh '
            "mục" + said[name, unit]
        )
        problems.append(at_cell(row, ResultRowsRead.ma_chi_tieu, text, cell))
    return problems


def fitting_hint(found: list[Match], unit: str) -> str:
    """What the warning of a row's unit against its indicator's adds: the catalogue's
    indicators near the row's name whose unit fits, or that there is none; then what to do."""
    near = shown(found)
    listed = ", ".join(f'"{m.name}" ({m.code})' for m in near)
    where = (
        f'chỉ tiêu gần tên dòng này có đơn vị "{unit}": {listed}'
        if near
        else f'danh mục không có chỉ tiêu nào gần tên dòng này có đơn vị "{unit}"'
    )
    return f"; {where}; chọn lại chỉ tiêu ở cột này, hoặc giữ nếu bản in ghi đơn vị khác danh mục"

"""Checking the record: every problem in one pass, each pointed at its cell.

Pure: a Record in, the prepared frames (values parsed, words made canonical) and a list of
Problems out. Rules that need more than one cell (a code in the catalogue, a duplicate item, an
old commune named by a new one) are computed here as a message per cell, in pandas, across all
communes at once; the schemas in `schemas/` then check every column lazily and carry the messages.
"""

from __future__ import annotations

import dataclasses
import operator
import re

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from pipeline.columns import canonical, flag, keyed, none
from pipeline.load import Record
from pipeline.parse import (
    EMPTY,
    INVALID,
    NUMBER,
    QUALITY_WORDS,
    RANGE,
    READINGS,
    TEXT,
    Expr,
    format_vi,
    parse_expr,
)
from pipeline.problems import ERROR, WARNING, Problem, at_cell
from pipeline.text import key
from schemas import catalogue as cat
from schemas import commune as com
from schemas import tables as tab

ROMAN = r"[IVXLC]+\.?"
ITEM_NUMBER = r"\d+\.?"
SUB_LABEL = r"[-+•]|[a-zđ][).]?"


def parse_column(values: pd.Series, readings: pd.Series, integer: pd.Series) -> pd.DataFrame:
    """Parse a column of cells into the fields of `Expr`, once per distinct (cell, reading,
    unit of whole things): the combinations are numbered with `pd.factorize`, not hashed as
    tuples row by row."""
    value_codes, value_uniques = pd.factorize(values, use_na_sentinel=False)
    reading_codes, reading_uniques = pd.factorize(readings, use_na_sentinel=False)
    whole = integer.astype(bool).to_numpy().astype(np.int64)
    combined = (value_codes * len(reading_uniques) + reading_codes) * 2 + whole
    codes, combos = pd.factorize(combined)
    fields = [f.name for f in dataclasses.fields(Expr)]
    as_tuple = operator.attrgetter(*fields)  # dataclasses.astuple deep-copies: far slower
    parsed = [
        as_tuple(
            parse_expr(
                value_uniques[c // 2 // len(reading_uniques)],
                reading_uniques[c // 2 % len(reading_uniques)] or None,
                bool(c % 2),
            )
        )
        for c in combos
    ]
    columns = list(zip(*parsed, strict=True)) if parsed else [[] for _ in fields]
    return pd.DataFrame(
        {
            name: np.asarray(column, dtype=object)[codes]
            for name, column in zip(fields, columns, strict=True)
        },
        index=values.index,
    ).infer_objects()


def with_parsed(frame: pd.DataFrame, column: str, readings, integer) -> pd.DataFrame:
    """Add `column__kind`, `__lo`, `__hi`, ... beside `column`."""
    parsed = parse_column(frame[column], readings, integer).add_prefix(f"{column}__")
    return pd.concat([frame, parsed.drop(columns=f"{column}__text")], axis=1).assign(
        **{f"{column}__text": parsed[f"{column}__text"]}
    )


def number_message(frame: pd.DataFrame, column: str, integer: bool = False) -> pd.Series:
    """The message for a value cell that must hold one plain number, or None."""
    kind, text = frame[f"{column}__kind"], frame[f"{column}__text"]
    plain = (kind == NUMBER) & (frame[f"{column}__op"] == "=") & frame[f"{column}__denom"].isna()
    message = none(frame)
    message = flag(
        message, ~plain & (kind != EMPTY), lambda hit: '"' + text[hit] + '" không phải là số'
    )
    message = flag(message, kind == INVALID, lambda hit: frame[f"{column}__error"][hit])
    if integer:
        fraction = plain & (frame[f"{column}__lo"] % 1 != 0)
        message = flag(message, fraction, lambda hit: '"' + text[hit] + '" phải là số nguyên')
    return message


# ---------------------------------------------------------------------------- catalogue


def prepare_units(units: pd.DataFrame) -> pd.DataFrame:
    return (
        units.assign(
            loai=lambda d: canonical(d["loai"], cat.UNIT_KINDS),
            so_nguyen=lambda d: canonical(d["so_nguyen"], (cat.YES, cat.NO)),
            don_vi_key=lambda d: keyed(d["don_vi"]),
        )
        .pipe(
            with_parsed,
            "he_so",
            pd.Series("", index=units.index),
            pd.Series(False, index=units.index),
        )
        .assign(
            he_so__loi=lambda d: number_message(d, "he_so").mask(
                (d["he_so__kind"] == NUMBER) & (d["he_so__lo"] <= 0),
                "hệ số quy đổi phải lớn hơn 0",
            ),
            quy_doi__loi=lambda d: pd.Series(None, index=d.index, dtype=object).mask(
                (d["he_so__kind"] != EMPTY) & (d["quy_doi"] == ""),
                'có hệ số quy đổi thì phải ghi "Quy đổi về" (đơn vị đích)',
            ),
        )
    )


def prepare_indicators(indicators: pd.DataFrame) -> pd.DataFrame:
    codes = set(keyed(indicators["ma_chi_tieu"]))
    return indicators.assign(
        chieu=lambda d: canonical(d["chieu"], cat.DIRECTIONS),
        cach_gop=lambda d: canonical(d["cach_gop"], cat.MERGE_RULES),
        mien_gia_tri=lambda d: canonical(d["mien_gia_tri"], ("", cat.UNBOUNDED)),
        ma_key=lambda d: keyed(d["ma_chi_tieu"]),
        gop_vao__loi=lambda d: pd.Series(None, index=d.index, dtype=object).mask(
            (d["gop_vao"] != "") & ~keyed(d["gop_vao"]).isin(codes),
            'mã "' + d["gop_vao"] + '" không có trong cột "Mã chỉ tiêu" của danh mục',
        ),
    )


# ---------------------------------------------------------------------------- communes


INFO_NUMBERS = {
    "dien_tich": False,
    "dan_so": True,
    "so_chi_tieu_bc": True,
    "vuot_bc": True,
    "dat_bc": True,
    "khong_dat_bc": True,
}


def prepare_info(info: pd.DataFrame) -> pd.DataFrame:
    frame = info.assign(loai=lambda d: canonical(d["loai"], com.KINDS))
    none = pd.Series("", index=frame.index)
    for column, integer in INFO_NUMBERS.items():
        frame = frame.pipe(with_parsed, column, none, pd.Series(integer, index=frame.index))
        frame[f"{column}__loi"] = number_message(frame, column, integer)
        frame[f"{column}__so"] = frame[f"{column}__lo"].where(frame[f"{column}__loi"].isna())
    return frame.assign(
        nhiem_ky=lambda d: d["nhiem_ky"].str.replace(r"\s*[-–]\s*", "-", regex=True),
        ma_key=lambda d: keyed(d["ma_xa"]),
    )


def prepare_members(members: pd.DataFrame, info: pd.DataFrame) -> pd.DataFrame:
    old = info[info["loai"] == com.OLD].drop_duplicates("ma_key").set_index("ma_key")
    new_name = info.set_index("ma_key")["ten_xa"].drop_duplicates()
    frame = members.assign(ma_cu_key=lambda d: keyed(d["ma_xa_cu"]))
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


def structure(rows: pd.DataFrame) -> pd.DataFrame:
    """Classify rows as group, item or sub-row; give each its group and item number."""
    tt = rows["tt"]
    kind = pd.Series(
        np.select(
            [
                tt.str.fullmatch(ROMAN),
                tt.str.fullmatch(ITEM_NUMBER),
                (tt == "") | tt.str.fullmatch(SUB_LABEL, case=False),
            ],
            [tab.GROUP, tab.ITEM, tab.SUBROW],
            default="",
        ),
        index=rows.index,
    )
    number = tt.str.rstrip(".")
    group = number.where(kind == tab.GROUP).groupby(rows["_tep"]).ffill().fillna("")
    anchor = (
        number.where(kind == tab.ITEM, "").where(kind != tab.SUBROW).groupby(rows["_tep"]).ffill()
    )
    frame = rows.assign(loai_dong=kind, nhom=group, muc=anchor.fillna(""))
    items = frame[kind == tab.ITEM]
    first_row = items.drop_duplicates(["_tep", "nhom", "muc"]).set_index(["_tep", "nhom", "muc"])
    dup = items.duplicated(["_tep", "nhom", "muc"])
    dup_rows = items[dup]
    first_at = pd.Series(
        [
            first_row.loc[(t, g, m), "_dong"]
            for t, g, m in zip(dup_rows["_tep"], dup_rows["nhom"], dup_rows["muc"], strict=True)
        ],
        index=dup_rows.index,
        dtype=object,
    )
    message = flag(
        none(frame),
        kind == "",
        lambda hit: (
            'TT "' + tt[hit] + '" không đọc được: ghi số La Mã cho dòng nhóm (I, II), số '
            "cho chỉ tiêu, để trống cho dòng con của chỉ tiêu phía trên"
        ),
    )
    message = message.mask(
        (kind == tab.SUBROW) & (frame["muc"] == ""),
        "dòng con không có chỉ tiêu nào phía trên (TT trống ngay dưới dòng nhóm hoặc đầu bảng)",
    )
    for index, row_no in first_at.items():
        group_text = f" trong nhóm {frame.at[index, 'nhom']}" if frame.at[index, "nhom"] else ""
        message.at[index] = (
            f'số thứ tự "{frame.at[index, "tt"]}" trùng với dòng {row_no}{group_text}'
        )
    return frame.assign(tt__loi=message)


def prepare_rows(
    rows: pd.DataFrame, units: pd.DataFrame, indicators: pd.DataFrame, values: tuple[str, ...]
) -> pd.DataFrame:
    """Structure, catalogue look-ups and parsed values for an indicator table."""
    unit = units.drop_duplicates("don_vi_key").set_index("don_vi_key")
    indicator = indicators.drop_duplicates("ma_key").set_index("ma_key")
    frame = (
        rows.pipe(structure)
        .assign(
            cach_doc_so=lambda d: canonical(d["cach_doc_so"], READINGS),
            don_vi_key=lambda d: keyed(d["don_vi"]),
            ma_key=lambda d: keyed(d["ma_chi_tieu"]),
            loai_don_vi=lambda d: d["don_vi_key"].map(unit["loai"]),
            so_nguyen=lambda d: d["don_vi_key"].map(unit["so_nguyen"]).eq(cat.YES),
            mien_gia_tri=lambda d: (
                d["ma_key"].map(indicator["mien_gia_tri"]).astype(object).fillna(cat.UNBOUNDED)
            ),
        )
        .assign(
            don_vi__loi=lambda d: flag(
                none(d),
                (d["don_vi"] != "") & d["loai_don_vi"].isna() & (len(unit) > 0),
                lambda hit: (
                    'đơn vị "' + d["don_vi"][hit] + '" không có trong danh mục (sheet "Đơn vị")'
                ),
            ),
            ma_chi_tieu__loi=lambda d: flag(
                none(d),
                (d["ma_chi_tieu"] != "")
                & ~d["ma_key"].isin(indicator.index)
                & (len(indicator) > 0),
                lambda hit: (
                    'mã chỉ tiêu "' + d["ma_chi_tieu"][hit] + '" không có trong danh mục '
                    '(sheet "Chỉ tiêu")'
                ),
            ),
        )
    )
    readings = frame["cach_doc_so"].where(frame["cach_doc_so"].isin(READINGS), "")
    for column in values:
        frame = frame.pipe(with_parsed, column, readings, frame["so_nguyen"])
        frame[f"{column}__loi"] = value_message(frame, column)
    return frame


def value_message(frame: pd.DataFrame, column: str) -> pd.Series:
    """Why a target or result cell is wrong: unreadable, text where a result must be a number,
    or outside what its unit allows (a share over 100%, a negative count)."""
    kind, text = frame[f"{column}__kind"], frame[f"{column}__text"]
    lo, hi = frame[f"{column}__lo"], frame[f"{column}__hi"]
    # an unknown code or unit is reported once, on its own cell; its bounds are then unknown
    bounded = (frame["mien_gia_tri"] != cat.UNBOUNDED) & frame["ma_chi_tieu__loi"].isna()
    percent = bounded & (frame["loai_don_vi"] == cat.PERCENT)
    counted = bounded & frame["loai_don_vi"].isin([cat.PERCENT, cat.AMOUNT])
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
    return flag(message, kind == INVALID, lambda hit: frame[f"{column}__error"][hit])


def prepare_ratings(rows: pd.DataFrame) -> pd.DataFrame:
    """Published ratings in full words (K đạt → Không đạt), and the officer's overrides."""
    words = {**QUALITY_WORDS, "vượt": "Vượt"}
    kept = lambda d: d["giu_danh_gia"] == cat.YES  # noqa: E731
    return rows.assign(
        danh_gia_in=rows["danh_gia"],
        danh_gia=rows["danh_gia"].map(lambda v: words.get(key(v), v)),
        giu_danh_gia=canonical(rows["giu_danh_gia"], (cat.YES,)),
    ).assign(
        giu_danh_gia__loi=lambda d: (
            pd.Series(None, index=d.index, dtype=object)
            .mask(
                kept(d) & (d["ly_do_giu"] == ""),
                'giữ đánh giá công bố thì phải ghi lý do ở cột "Lý do giữ đánh giá"',
            )
            .mask(kept(d) & (d["danh_gia"] == ""), "dòng này không có đánh giá công bố để giữ")
        )
    )


# ---------------------------------------------------------------------------- whole record


def commune_checks(info: pd.DataFrame, members: pd.DataFrame, record: Record) -> list[Problem]:
    """Problems about communes as a whole: a new commune with no members, an old one merged
    nowhere, areas and populations that do not add up to the declared figures."""
    problems: list[Problem] = []
    new = info[info["loai"] == com.NEW]
    old = info[info["loai"] == com.OLD]
    member_sheets = {t: s for t, s in record.letters if key(s) == key(com.MEMBER_SHEET.name)}
    for _, row in new[~new["ma_key"].isin(keyed(members["ma_xa"]))].iterrows():
        if row["_tep"] in member_sheets:
            problems.append(
                Problem(
                    row["_tep"],
                    member_sheets[row["_tep"]],
                    "",
                    "chưa ghi xã hợp thành nào",
                    xa=row["ma_xa"],
                )
            )
    for _, row in old[~old["ma_key"].isin(members["ma_cu_key"])].iterrows():
        problems.append(
            Problem(
                row["_tep"],
                row["_sheet"],
                record.cell(row["_tep"], row["_sheet"], "ma_xa", row["_dong"]),
                f'xã "{row["ten_xa"]}" chưa được ghi vào sheet "Xã hợp thành" của xã mới nào, '
                "nên không được gộp",
                WARNING,
                xa=row["ma_xa"],
            )
        )
    # a sum is checked only where every member is known and has a positive area and population;
    # otherwise the member's own problem is the one to fix, and a sum warning would repeat it
    valid = (
        old.drop_duplicates("ma_key")
        .assign(ok=lambda d: (d["dien_tich__so"] > 0) & (d["dan_so__so"] > 0))
        .set_index("ma_key")
    )
    sums = (
        members.assign(ok=lambda d: d["ma_cu_key"].map(valid["ok"]).eq(True))
        .merge(
            valid[["dien_tich__so", "dan_so__so"]],
            left_on="ma_cu_key",
            right_index=True,
            how="left",
        )
        .groupby("ma_xa")
        .agg(
            ok=("ok", "all"),
            dien_tich__so=("dien_tich__so", "sum"),
            dan_so__so=("dan_so__so", "sum"),
        )
        .query("ok")
    )
    for _, row in new[new["ma_xa"].isin(sums.index)].iterrows():
        for column, what, unit in (
            ("dien_tich", "diện tích", "km²"),
            ("dan_so", "dân số", "người"),
        ):
            declared, total = row[f"{column}__so"], sums.at[row["ma_xa"], f"{column}__so"]
            decimals = int(row[f"{column}__decimals"])
            if pd.isna(declared) or pd.isna(total) or round(total - declared, decimals) == 0:
                continue
            problems.append(
                Problem(
                    row["_tep"],
                    row["_sheet"],
                    record.cell(row["_tep"], row["_sheet"], column, row["_dong"]),
                    f"{what} các xã hợp thành cộng lại là {format_vi(total, decimals)} {unit}, "
                    f'khác với "{row[f"{column}__text"]}" {unit} ghi ở đây',
                    WARNING,
                    xa=row["ma_xa"],
                )
            )
    return problems


def schema_problems(
    schema: pa.DataFrameSchema, frame: pd.DataFrame, record: Record
) -> list[Problem]:
    """Run a schema lazily and turn each failure into a located line."""
    try:
        schema.validate(frame, lazy=True)
        return []
    except SchemaErrors as err:
        cases = err.failure_cases
    if cases["index"].isna().any():  # a dtype or missing column: the pipeline's bug, not the data's
        raise RuntimeError(f"schema {schema.name} failed on the frame itself:\n{cases}")
    problems = []
    for case in cases.itertuples(index=False):
        row = frame.loc[case.index]
        value = case.failure_case
        shown = format_vi(value) if isinstance(value, float) else str(value)
        problems.append(
            Problem(
                row["_tep"],
                row["_sheet"],
                record.cell(row["_tep"], row["_sheet"], str(case.column), row["_dong"]),
                str(case.check).replace("{gia_tri}", shown),
                ERROR,
                xa=str(row.get("ma_xa", "")),
                tt=str(row.get("muc", "")),
            )
        )
    return problems


def warnings_from(frame: pd.DataFrame, columns: tuple[str, ...], record: Record) -> list[Problem]:
    return [
        at_cell(row, column, row[f"{column}__ambiguity"], record.cell)
        for column in columns
        for row in frame[frame[f"{column}__ambiguity"].notna()].to_dict("records")
    ]


_A1 = re.compile(r"^([A-Z]+)(\d+)$")


def sort_key(problem: Problem) -> tuple:
    m = _A1.match(problem.o)
    where = (int(m[2]), len(m[1]), m[1]) if m else (0, 0, problem.o)
    return (problem.tep, problem.sheet, where, problem.noi_dung)


def validate(record: Record) -> tuple[Record, list[Problem]]:
    """Prepare every frame and find every problem; return the prepared record and the problems,
    sorted by file, sheet and cell."""
    units = prepare_units(record.units)
    indicators = prepare_indicators(record.indicators)
    info = prepare_info(record.info)
    members = prepare_members(record.members, info)
    rows = prepare_rows(
        record.rows, units, indicators, ("chi_tieu_nq", "ket_qua", "nq_phan_hai", "kq_phan_hai")
    ).pipe(prepare_ratings)
    targets = prepare_rows(record.targets, units, indicators, ("muc_tieu", "mt_phan_ba"))
    item = lambda d: d[d["loai_dong"] != tab.GROUP]  # noqa: E731
    group = lambda d: d[d["loai_dong"] == tab.GROUP]  # noqa: E731
    problems = [
        *record.problems,
        *schema_problems(cat.unit_schema, units, record),
        *schema_problems(cat.indicator_schema, indicators, record),
        *schema_problems(com.info_schema, info, record),
        *schema_problems(com.member_schema, members, record),
        *schema_problems(tab.group_schema, group(rows), record),
        *schema_problems(tab.result_schema, item(rows), record),
        *schema_problems(tab.group_schema, group(targets), record),
        *schema_problems(tab.target_schema, item(targets), record),
        *commune_checks(info, members, record),
        *warnings_from(rows, ("chi_tieu_nq", "ket_qua", "nq_phan_hai", "kq_phan_hai"), record),
        *warnings_from(targets, ("muc_tieu", "mt_phan_ba"), record),
    ]
    prepared = dataclasses.replace(
        record,
        units=units,
        indicators=indicators,
        info=info,
        members=members,
        rows=rows,
        targets=targets,
    )
    return prepared, sorted(dict.fromkeys(problems), key=sort_key)


def blocked(record: Record, problems: list[Problem]) -> tuple[bool, set[str]]:
    """Which new communes an error keeps from being built: (everything?, new commune codes).

    An error in a commune's workbook blocks the new commune it belongs to, or is formed from;
    an error in the catalogue, or in a file that no commune can be tied to, blocks everything.
    """
    errors = [p for p in problems if p.muc_do == ERROR]
    if not errors:
        return False, set()
    code_of = dict(zip(record.info["_tep"], record.info["ma_xa"], strict=True))
    bad = {p.xa for p in errors if p.xa} | {code_of[p.tep] for p in errors if p.tep in code_of}
    if any(p.tep not in code_of for p in errors):
        return True, set()
    new = record.info.loc[record.info["loai"] == com.NEW, "ma_xa"]
    formed_from = record.members.groupby("ma_xa")["ma_xa_cu"].agg(set)
    return False, {code for code in new if code in bad or formed_from.get(code, set()) & bad}

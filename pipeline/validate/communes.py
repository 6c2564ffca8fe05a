"""Problems about communes as a whole: a new commune with no members, an old one merged
nowhere, a member without the area or population a weighted merge needs, areas and populations
that do not add up to the declared figures."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.columns import keyed
from pipeline.parse import format_vi
from pipeline.prepare import Prepared
from pipeline.problems import WARNING, Problem
from pipeline.text import key, slug
from schemas import commune as com
from schemas.stages import (
    IndicatorsRead,
    Info,
    InfoRead,
    Located,
    Members,
    OfCommune,
    Parsed,
    ResultRows,
    ResultRowsRead,
)
from schemas.vocabulary import GROUP, MERGE_RULE, NEW, OLD, WEIGHT_NAME


def commune_checks(prepared: Prepared) -> list[Problem]:
    """Problems about communes as a whole: a new commune with no members, an old one merged
    nowhere, areas and populations that do not add up to the declared figures."""
    info, members, cell = prepared.info, prepared.members, prepared.where.cell
    problems: list[Problem] = []
    place = [Located.tep, Located.sheet, Located.dong, OfCommune.ma_xa, ResultRows.ma_key]
    # the conditions in numpy (a pandas comparison costs fifty times as much on a few rows), a
    # frame cut only where one holds
    kind = info[InfoRead.loai].to_numpy()
    new = info.loc[kind == NEW, place]
    old = info.loc[kind == OLD, [*place, InfoRead.ten_xa]]
    member_sheets = {
        t: s for t, s in prepared.where.letters if key(s) == key(com.MEMBER_SHEET.name)
    }
    alone = ~new[ResultRows.ma_key].isin(keyed(members[OfCommune.ma_xa])).to_numpy()
    for _, row in new[alone].iterrows() if alone.any() else ():
        if row[Located.tep] in member_sheets:
            problems.append(
                Problem(
                    row[Located.tep],
                    member_sheets[row[Located.tep]],
                    "",
                    "chưa ghi xã hợp thành nào",
                    xa=row[OfCommune.ma_xa],
                )
            )
    unmerged = ~old[ResultRows.ma_key].isin(members[Members.ma_cu_key]).to_numpy()
    for _, row in old[unmerged].iterrows() if unmerged.any() else ():
        problems.append(
            Problem(
                row[Located.tep],
                row[Located.sheet],
                cell(row[Located.tep], row[Located.sheet], "ma_xa", row[Located.dong]),
                f'xã "{row["ten_xa"]}" ({row[OfCommune.ma_xa]}) chưa được ghi vào sheet "Xã hợp '
                'thành" của xã mới nào, nên không được gộp',
                WARNING,
                xa=row[OfCommune.ma_xa],
            )
        )
    return (
        problems
        + weight_checks(prepared)
        + sum_checks(prepared)
        + province_spellings(info, cell)
        + other_provinces(prepared)
    )


def weight_checks(prepared: Prepared) -> list[Problem]:
    """An error at every old commune's empty area or population cell where a new commune it
    belongs to merges an indicator by a mean weighted by that figure: the mean needs every
    member's weight, never a mean over the others. (A figure of 0 or below is an error
    wherever it stands: the schema's.)"""
    old = prepared.old_communes
    blanks = {
        column: (old[Parsed(column).text].to_numpy() == "") & old[f"{column}__so"].isna().to_numpy()
        for column in WEIGHT_NAME
    }
    if not any(blank.any() for blank in blanks.values()):  # every old commune has both figures
        return []
    members, targets = prepared.members, prepared.targets
    indicator = prepared.catalogue.indicator
    weight = indicator[IndicatorsRead.cach_gop].map({w: r.weight for w, r in MERGE_RULE.items()})
    rows = targets.loc[
        targets[ResultRows.loai_dong] != GROUP,
        [OfCommune.ma_xa, ResultRows.ma_key, ResultRowsRead.chi_tieu],
    ]
    new_names = prepared.new_communes[InfoRead.ten_xa]
    pairs = members[[OfCommune.ma_xa, Members.ma_cu_key]]
    place = [Located.tep, Located.sheet, Located.dong, OfCommune.ma_xa]
    problems = []
    for column, what in WEIGHT_NAME.items():
        blank = old.loc[blanks[column], place]
        if blank.empty:  # every old commune has the figure: no mean lacks it
            continue
        fed = set(indicator.loc[weight == column, "gop_vao_key"]) - {""}
        # per new commune: how many of its Biểu 03 rows are such a mean, and the first one
        needing = (
            rows[rows[ResultRows.ma_key].isin(fed)]
            .groupby(OfCommune.ma_xa, sort=False)[ResultRowsRead.chi_tieu]
            .agg(["first", "size"])
        )
        found = pairs.merge(needing, left_on=OfCommune.ma_xa, right_index=True).merge(
            blank, left_on=Members.ma_cu_key, right_index=True, suffixes=("_moi", "")
        )
        header = com.INFO_SHEET.columns[column].header
        for row in found.to_dict("records"):
            more = f" và {row['size'] - 1} chỉ tiêu khác" if row["size"] > 1 else ""
            new_name = new_names.get(key(row["ma_xa_moi"]), row["ma_xa_moi"])
            problems.append(
                Problem(
                    row[Located.tep],
                    row[Located.sheet],
                    prepared.where.cell(
                        row[Located.tep], row[Located.sheet], column, row[Located.dong]
                    ),
                    f'ô trống: cần ghi "{header}"; xã mới "{new_name}" lấy bình quân theo {what} '
                    f'các xã hợp thành cho chỉ tiêu "{row["first"]}"{more}, nên cần {what} của '
                    "từng xã",
                    xa=row[OfCommune.ma_xa],
                )
            )
    return problems


def province_spellings(info: pd.DataFrame, cell) -> list[Problem]:
    """A province's name typed differently in some workbooks ("ĐIỆN BIÊN" beside "Điện Biên"): one
    roll-up all the same, under the spelling most use; a warning at each other spelling."""
    spellings = pd.unique(info[InfoRead.tinh].to_numpy())
    spellings = spellings[spellings != ""]
    if len({slug(spelled) for spelled in spellings}) == len(spellings):  # one spelling each
        return []
    typed = info.loc[
        info[InfoRead.tinh] != "",
        [InfoRead.tinh, Located.tep, Located.sheet, Located.dong, OfCommune.ma_xa],
    ]
    problems = []
    for _, communes in typed.groupby(typed[InfoRead.tinh].map(slug)):
        usual = communes[InfoRead.tinh].value_counts(sort=True).index[0]
        for row in communes[communes[InfoRead.tinh] != usual].to_dict("records"):
            problems.append(
                Problem(
                    row[Located.tep],
                    row[Located.sheet],
                    cell(row[Located.tep], row[Located.sheet], "tinh", row[Located.dong]),
                    f'tên tỉnh "{row["tinh"]}" viết khác "{usual}" ở các tệp khác; bảng tổng hợp '
                    f'của tỉnh gộp chung dưới tên "{usual}"',
                    WARNING,
                    xa=row[OfCommune.ma_xa],
                )
            )
    return problems


def other_provinces(prepared: Prepared) -> list[Problem]:
    """An old commune whose province is not its new commune's (a workbook moved to another
    province's folder, a province cell typed over): each province's roll-up counts the communes
    that name it, so the old commune's results and its new commune are counted in two provinces;
    a warning at the old commune's province cell, naming both."""
    info, members, cell = prepared.info, prepared.members, prepared.where.cell
    if len({slug(p) for p in pd.unique(info[InfoRead.tinh].to_numpy()) if p}) < 2:
        return []  # one province named (or none): no commune can be in another
    old = prepared.old_communes[
        [InfoRead.tinh, Located.tep, Located.sheet, Located.dong, OfCommune.ma_xa]
    ]
    new = (
        info.loc[info[InfoRead.loai] == NEW, [OfCommune.ma_xa, InfoRead.tinh, InfoRead.ten_xa]]
        .drop_duplicates(OfCommune.ma_xa)
        .set_index(OfCommune.ma_xa)
    )
    pairs = members[
        members[Members.ma_cu_key].isin(old.index) & members[OfCommune.ma_xa].isin(new.index)
    ]
    problems = []
    for new_code, old_key in zip(pairs[OfCommune.ma_xa], pairs[Members.ma_cu_key], strict=True):
        was, now = old.loc[old_key], new.loc[new_code]
        if (
            was[InfoRead.tinh]
            and now[InfoRead.tinh]
            and slug(was[InfoRead.tinh]) != slug(now[InfoRead.tinh])
        ):
            problems.append(
                Problem(
                    was[Located.tep],
                    was[Located.sheet],
                    cell(was[Located.tep], was[Located.sheet], "tinh", was[Located.dong]),
                    f'tỉnh "{was["tinh"]}" khác tỉnh "{now["tinh"]}" của xã mới "{now["ten_xa"]}" '
                    f"mà xã này gộp vào: kết quả của xã được tính trong bảng tổng hợp tỉnh "
                    f'"{was["tinh"]}", xã mới trong bảng tổng hợp tỉnh "{now["tinh"]}"; nếu là '
                    "cùng một tỉnh, sửa tên tỉnh cho hai tệp ghi giống nhau",
                    WARNING,
                    xa=was[OfCommune.ma_xa],
                )
            )
    return problems


def sum_checks(prepared: Prepared) -> list[Problem]:
    """Old communes' areas and populations that do not add up to the new commune's, at the
    precision printed. A sum is checked only where every member is known and has a positive
    area and population; otherwise the member's own problem is the one to fix."""
    info, members, cell = prepared.info, prepared.members, prepared.where.cell
    # each member's figures looked up in numpy arrays by its old commune's position (-1 where
    # it names none: the missing figure appended last)
    old = prepared.old_communes
    at = old.index.get_indexer(members[Members.ma_cu_key])
    area, people = (
        np.append(old[column].to_numpy(dtype=float), np.nan)[at]
        for column in (Info.dien_tich__so, Info.dan_so__so)
    )
    # per new commune: its old communes' figures added up, where every one is known and valid
    # (none unknown or invalid: one sum of the three columns, a single groupby step)
    figures = pd.DataFrame(
        {"bad": ~((area > 0) & (people > 0)), Info.dien_tich__so: area, Info.dan_so__so: people},
        index=members.index,
    )
    added = figures.groupby(members[OfCommune.ma_xa]).sum()
    sums = added.loc[added["bad"] == 0, [Info.dien_tich__so, Info.dan_so__so]]
    said = [
        name
        for column in (InfoRead.dien_tich, InfoRead.dan_so)
        for name in (f"{column}__so", Parsed(column).decimals, Parsed(column).text)
    ]
    new = info.loc[
        (info[InfoRead.loai].to_numpy() == NEW) & info[OfCommune.ma_xa].isin(sums.index).to_numpy(),
        [Located.tep, Located.sheet, Located.dong, OfCommune.ma_xa, *said],
    ]
    problems = []
    for _, row in new.iterrows():
        for column, what, unit in (
            ("dien_tich", "diện tích", "km²"),
            ("dan_so", "dân số", "người"),
        ):
            declared, total = (
                row[f"{column}__so"],
                sums.at[row[OfCommune.ma_xa], f"{column}__so"],
            )
            parsed = Parsed(column)
            decimals = int(row[parsed.decimals])
            if pd.isna(declared) or pd.isna(total) or round(total - declared, decimals) == 0:
                continue
            problems.append(
                Problem(
                    row[Located.tep],
                    row[Located.sheet],
                    cell(row[Located.tep], row[Located.sheet], column, row[Located.dong]),
                    f"{what} các xã hợp thành cộng lại là {format_vi(total, decimals)} {unit}, "
                    f'khác với "{row[parsed.text]}" {unit} ghi ở đây',
                    WARNING,
                    xa=row[OfCommune.ma_xa],
                )
            )
    return problems

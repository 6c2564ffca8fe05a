"""Checking the record: every problem in one pass, each pointed at its cell.

Pure: the prepared record in, a list of Problems out. `cells` computes a message per cell for
the rules that need more than one cell; the schemas in `schemas/` check every column lazily and
carry the messages (`yearly` does the same for the sheet of results year by year); `communes`
checks communes as a whole. A new rule on a cell goes in `cells.py`, or `yearly.py` for that
sheet (and its message column in the sheet's schema), a rule on communes in `communes.py`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from pipeline.catalogue import Catalogue
from pipeline.kinds import read_kind
from pipeline.load import Where
from pipeline.parse import EMPTY, format_vi
from pipeline.prepare import Prepared
from pipeline.problems import ERROR, RATING, Problem, at_cell, in_order, rating_kept
from pipeline.validate.cells import (
    indicator_messages,
    info_messages,
    member_messages,
    rating_messages,
    row_messages,
    unit_against_catalogue,
    unit_messages,
)
from pipeline.validate.communes import commune_checks
from pipeline.validate.passes import surely_passes
from pipeline.validate.yearly import yearly_messages
from schemas import catalogue as cat
from schemas import commune as com
from schemas import tables as tab
from schemas.stages import (
    AT_ROW,
    INFO_NUMBERS,
    RESULT,
    IndicatorsRead,
    Located,
    OfCommune,
    Parsed,
    ResultRows,
    ResultRowsRead,
    TargetRowsRead,
    YearlyRead,
    YearlyResults,
)
from schemas.vocabulary import GROUP, NO_DATA

RESULT_VALUES = (
    ResultRowsRead.chi_tieu_nq,
    ResultRowsRead.ket_qua,
    ResultRowsRead.nq_phan_hai,
    ResultRowsRead.kq_phan_hai,
)
TARGET_VALUES = (TargetRowsRead.muc_tieu, TargetRowsRead.mt_phan_ba)


def schema_problems(schema: pa.DataFrameSchema, frame: pd.DataFrame, where: Where) -> list[Problem]:
    """Run a schema lazily and turn each failure into a located line (a frame that surely
    passes, `surely_passes`, is not run through pandera: most do)."""
    if surely_passes(schema, frame):
        return []
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
                row[Located.tep],
                row[Located.sheet],
                where.at(row, str(case.column)),
                str(case.check).replace("{gia_tri}", shown),
                ERROR,
                xa=str(row.get(OfCommune.ma_xa, "")),
                tt=str(row.get(ResultRows.muc, "")),
                nhom=str(row.get(ResultRows.nhom, "")),
                chi_tieu=str(row.get(ResultRowsRead.chi_tieu, ""))
                if ResultRows.loai_dong in row
                else "",
            )
        )
    return problems


def ambiguities(frame: pd.DataFrame, columns: tuple[str, ...], where: Where) -> list[Problem]:
    """A warning at every number whose notation could be read two ways, and at every number
    typed with a unit that was converted into its row's unit."""
    where_read = (
        Located.tep,
        Located.sheet,
        Located.dong,
        YearlyRead.cot,
        YearlyRead.hang_tieu_de,
    )  # `_cot`: a year's value
    located = [
        c
        for c in (
            *where_read,
            OfCommune.ma_xa,
            ResultRows.muc,
            ResultRows.nhom,
            ResultRowsRead.chi_tieu,
        )
        if c in frame
    ]
    return [
        at_cell(row, column, row[said], where.cell, o=where.at(row, column))
        for column in columns
        for said in (Parsed(column).ambiguity, Parsed(column).note)
        if pd.notna(frame[said].to_numpy()).any()  # most columns have none: no frame to cut
        for row in frame.loc[frame[said].notna(), [*located, said]].to_dict("records")
    ]


def unfounded_ratings(rows: pd.DataFrame, cell, read: list[Problem]) -> list[Problem]:
    """A warning at every empty result that has a published rating beside it: the annex prints
    the rating as published, beside nothing, so the cell to fill is the result's. It is the
    finding of its row in Kiểm tra (kind "đánh giá lệch"), there once and at that cell. A cell
    that reading found a problem in (`read`: an Excel error value) has that problem only."""
    named = {(p.tep, p.sheet, p.o) for p in read}
    bare = (  # in numpy: a pandas comparison costs fifty times as much on a few rows
        (rows[ResultRows.loai_dong].to_numpy() != GROUP)
        & (rows[RESULT.kind].to_numpy() == EMPTY)
        & (rows[ResultRowsRead.danh_gia].to_numpy() != "")
    )
    if not bare.any():
        return []
    said = [ResultRowsRead.danh_gia, ResultRowsRead.giu_danh_gia, ResultRowsRead.ly_do_giu]
    return [
        at_cell(
            row,
            "ket_qua",
            f'chưa có kết quả thực hiện mà có đánh giá công bố "{row["danh_gia"]}": phụ lục in '
            f'"{row["danh_gia"]}" bên ô kết quả trống, đánh giá tính lại là "{NO_DATA}"'
            + NO_RESULT
            + rating_kept(row),
            cell,
            RATING,
        )
        for row in rows.loc[bare, [*AT_ROW, *said]].to_dict("records")
        if (
            row[Located.tep],
            row[Located.sheet],
            cell(row[Located.tep], row[Located.sheet], "ket_qua", row[Located.dong]),
        )
        not in named
    ]


# what to do about a rating printed beside no result: the printed report may have none either
NO_RESULT = "; nếu bản in có kết quả thì ghi vào ô này, nếu bản in cũng để trống thì giữ trống"

KIND_COLUMN = cat.INDICATOR_SHEET.columns[IndicatorsRead.loai_muc_tieu].header


def read_kinds(rows: pd.DataFrame, column: str, catalogue: Catalogue, cell) -> list[Problem]:
    """A warning at the target cell (`column`) of every row whose kind was read from its own
    words (`pipeline.kinds`): the catalogue declares none for its code, or the row has no code
    (a code the catalogue does not hold is an error of its own, and says nothing of a kind)."""
    # the condition in numpy (a pandas comparison costs fifty times as much on a few rows)
    read = rows[ResultRows.loai_muc_tieu_doan].to_numpy(dtype=bool)
    code = rows[ResultRows.ma_key]
    said = [ResultRowsRead.ma_chi_tieu, ResultRows.loai_muc_tieu, ResultRows.loai_muc_tieu_theo]
    problems = []
    warned = read & (code.isin(catalogue.indicator.index).to_numpy() | (code.to_numpy() == ""))
    for row in rows.loc[warned, [*AT_ROW, *said]].to_dict("records") if warned.any() else []:
        kind, words = row[ResultRows.loai_muc_tieu], row[ResultRows.loai_muc_tieu_theo]
        code = row[ResultRowsRead.ma_chi_tieu]
        why = (
            f'theo chữ "{words}" của dòng này'
            if words
            else "dòng này không có chữ nào chỉ loại khác"
        )
        if code:
            head = f'danh mục chưa ghi "{KIND_COLUMN}" của chỉ tiêu "{code}"'
            then = f'nếu khác, ghi loại đúng vào cột "{KIND_COLUMN}" của danh mục'
        else:
            head = f'dòng này chưa ghi mã chỉ tiêu nên chưa biết "{KIND_COLUMN}" theo danh mục'
            then = "ghi mã chỉ tiêu để lấy loại mục tiêu của danh mục"
        problems.append(at_cell(row, column, f'{head}; {why}, tính là "{kind}"; {then}', cell))
    return problems + kinds_against_words(rows, column, cell)


def kinds_against_words(rows: pd.DataFrame, column: str, cell) -> list[Problem]:
    """A warning at the target cell of every row whose own words name another kind than the
    catalogue declares for its code ("Trong nhiệm kỳ" beside a code declared "Mức"): the
    catalogue's kind is the one used, and one of the two is likely wrong."""
    against = ~rows[ResultRows.loai_muc_tieu_doan].to_numpy(dtype=bool) & (
        rows[ResultRows.loai_muc_tieu_theo].to_numpy() != ""
    )
    if not against.any():  # as in most records
        return []
    said = [ResultRowsRead.ma_chi_tieu, ResultRows.loai_muc_tieu, ResultRows.loai_muc_tieu_theo]
    problems = []
    for row in rows.loc[against, [*AT_ROW, *said]].to_dict("records"):
        words, kind = row[ResultRows.loai_muc_tieu_theo], row[ResultRows.loai_muc_tieu]
        message = (
            f'danh mục ghi "{KIND_COLUMN}" của chỉ tiêu "{row[ResultRowsRead.ma_chi_tieu]}" là '
            f'"{kind}", nhưng chữ "{words}" của dòng này chỉ loại "{read_kind(words)[0]}"; '
            f'đang tính theo danh mục là "{kind}"; nếu sai, sửa cột "{KIND_COLUMN}" của danh mục'
        )
        problems.append(at_cell(row, column, message, cell))
    return problems


def of_rows(table: pd.DataFrame, groups: bool) -> pd.DataFrame:
    """A table's group rows (`groups`), or its other rows: found in numpy and taken by position,
    a third of the cost of a boolean filter over the table's eighty-odd columns."""
    is_group = table[ResultRows.loai_dong].to_numpy() == GROUP
    return table.take(np.flatnonzero(is_group == groups))


def validate(prepared: Prepared) -> list[Problem]:
    """Every problem of the record, what reading it found included: each once, sorted by file,
    sheet and cell."""
    catalogue, where = prepared.catalogue, prepared.where
    rows = prepared.rows.pipe(row_messages, catalogue, RESULT_VALUES).pipe(rating_messages)
    targets = prepared.targets.pipe(row_messages, catalogue, TARGET_VALUES, target=True)
    yearly = yearly_messages(prepared.yearly, prepared.info, prepared.targets)
    item = lambda d: of_rows(d, groups=False)  # noqa: E731
    group = lambda d: of_rows(d, groups=True)  # noqa: E731
    return in_order(
        [
            *prepared.problems,
            *schema_problems(cat.unit_schema, unit_messages(catalogue.units, where.cell), where),
            *schema_problems(
                cat.indicator_schema,
                indicator_messages(catalogue.indicators, catalogue, where.cell),
                where,
            ),
            *schema_problems(
                com.info_schema, info_messages(prepared.info, prepared.members, where.cell), where
            ),
            *schema_problems(
                com.member_schema,
                member_messages(prepared.members, prepared.old_communes, prepared.new_communes),
                where,
            ),
            *schema_problems(tab.group_schema, group(rows), where),
            *schema_problems(tab.result_schema, item(rows), where),
            *unfounded_ratings(rows, where.cell, prepared.problems),
            *schema_problems(tab.group_schema, group(targets), where),
            *schema_problems(tab.target_schema, item(targets), where),
            *schema_problems(tab.yearly_schema, yearly, where),
            *unit_against_catalogue(rows, catalogue, where.cell),
            *unit_against_catalogue(targets, catalogue, where.cell, target=True),
            *read_kinds(rows, ResultRowsRead.chi_tieu_nq, catalogue, where.cell),
            *read_kinds(targets, TargetRowsRead.muc_tieu, catalogue, where.cell),
            *commune_checks(prepared),
            *ambiguities(prepared.info, tuple(INFO_NUMBERS), where),
            *ambiguities(rows, RESULT_VALUES, where),
            *ambiguities(targets, TARGET_VALUES, where),
            # a result of no known row has no known unit to settle how it reads
            *ambiguities(
                yearly[yearly[YearlyResults.dong_muc_tieu].notna()],
                (ResultRowsRead.ket_qua,),
                where,
            ),
        ]
    )

"""The contracts between stages: models that follow the sheets and the parser, checked cheaply."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from pandera.errors import SchemaError

from pipeline.parse import Expr
from schemas import stages as st
from schemas.tables import RESULT_SHEET
from tests import frames


def test_the_parsed_parts_are_the_parsers_fields():
    assert list(st.PARTS) == [f.name for f in dataclasses.fields(Expr)]
    assert st.RESULT.lo == "ket_qua__lo"
    with pytest.raises(AttributeError):
        _ = st.RESULT.low


def test_each_stage_model_extends_the_one_before():
    assert issubclass(st.ScoredRows, st.ResultRows)
    assert issubclass(st.ResultRows, st.ResultRowsRead)
    assert issubclass(st.Baselines, st.TargetRows)
    read = set(st.ResultRowsRead.to_schema().columns)
    assert read == {*RESULT_SHEET.columns, "ma_xa", "_tep", "_sheet", "_dong"}
    assert read < set(st.ResultRows.to_schema().columns) < set(st.ScoredRows.to_schema().columns)


def test_a_frame_as_read_conforms():
    rows = frames.result_rows([{"tt": "1", "ket_qua": "5"}])
    assert st.conform(st.ResultRowsRead, rows) is not None


def test_a_frame_missing_a_column_does_not_conform():
    rows = frames.result_rows([{"tt": "1"}]).drop(columns="danh_gia")
    with pytest.raises(SchemaError, match="danh_gia"):
        st.conform(st.ResultRowsRead, rows)


def test_a_column_of_the_wrong_type_does_not_conform():
    rows = frames.result_rows([{"tt": "1"}]).assign(_dong=pd.Series(["2"], dtype=str))
    with pytest.raises(SchemaError, match="_dong"):
        st.conform(st.ResultRowsRead, rows)


def test_a_column_of_the_wrong_type_is_caught_by_the_quick_check_too():
    """`conform` compares columns and types itself and asks pandera only to say what is wrong:
    both must agree."""
    rows = frames.result_rows([{"tt": "1"}])
    assert st.conform(st.ResultRowsRead, rows) is rows
    wrong = rows.assign(tt=[1])
    with pytest.raises(SchemaError, match="'tt'"):
        st.conform(st.ResultRowsRead, wrong)

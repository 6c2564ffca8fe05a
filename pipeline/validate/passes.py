"""Whether a schema surely passes on a frame, asked of its checks directly.

pandera's lazy validation costs a few milliseconds a schema however few the rows (it builds a
report around every column and check), and a record's frames mostly pass: a small record's run
spent a third of its checking there. `surely_passes` asks what pandera asks of the schemas in
`schemas/` (each column present, of its type, not missing where it must not be, each check
true on the column; pandera's own `Check` answers that, without the report) in a fraction of
that, and says True only when every answer is yes. A schema or column option it does not
follow, or any doubt (an answer that is not a yes or no, an error), says False: pandera then
validates, and says what fails, as always.
"""

from __future__ import annotations

import types

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine

# a schema's and a column's options, as `surely_passes` follows them (pandera's defaults)
SCHEMA_PLAIN = {
    "checks": [],
    "parsers": [],
    "index": None,
    "dtype": None,
    "coerce": False,
    "strict": False,
    "ordered": False,
    "unique": None,
    "unique_column_names": False,
    "add_missing_columns": False,
    "drop_invalid_rows": False,
}
COLUMN_PLAIN = {
    "parsers": [],
    "coerce": False,
    "unique": False,
    "regex": False,
    "required": True,
    "drop_invalid_rows": False,
}


def surely_passes(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> bool:
    """True where every check of `schema` surely passes on `frame` (pandera would raise
    nothing); False where one fails, or where this cannot tell."""
    if not _plain(schema, SCHEMA_PLAIN) or not isinstance(frame, pd.DataFrame):
        return False
    try:
        return all(
            _column_holds(column, frame[name]) if name in frame.columns else False
            for name, column in schema.columns.items()
        )
    except Exception:  # a check that cannot run here: pandera says why
        return False


def _plain(owner, options: dict) -> bool:
    return all(getattr(owner, name, None) == value for name, value in options.items())


def _column_holds(column: pa.Column, series) -> bool:
    if not isinstance(series, pd.Series) or not _plain(column, COLUMN_PLAIN):
        return False
    if column.dtype is not None and not _true(
        column.dtype.check(pandas_engine.Engine.dtype(series.dtype), series)
    ):
        return False
    if not column.nullable and series.isna().any():
        return False
    return all(_check_holds(check, series) for check in column.checks)


def _check_holds(check: pa.Check, series: pd.Series) -> bool:
    """A check run on the column alone, as pandera runs it (without the missing values where it
    ignores them), without the report of failures built around it: its function called as
    pandera's backend calls it on a column (a third of the cost of calling the check)."""
    if check.groupby is not None:
        return False
    # a built-in check (`str_matches`) is dispatched on its input's type as pandera calls it
    if check.element_wise or not isinstance(check._check_fn, types.FunctionType):
        return _true(check(series).check_passed)
    data = series.dropna() if check.ignore_na and series.hasnans else series
    return _true(check._check_fn(data, **check._check_kwargs))


def _true(answer) -> bool:
    """An answer is a yes: True, or flags (one per row), all True."""
    if isinstance(answer, (bool, np.bool_)):
        return bool(answer)
    if isinstance(answer, (np.ndarray, pd.Series)) and answer.dtype == bool:
        return bool(answer.all())
    return False

"""Column helpers shared by the stages: matching keys and message columns, computed once per
distinct value or only for the rows that need them, since a country's columns are long."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.text import key


def per_distinct(series: pd.Series, function, dtype: str | None = None) -> pd.Series:
    """`series.map(function)`, calling the function once per distinct value: a column of a
    country's rows holds a few dozen distinct units, codes or words."""
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    results = np.asarray([function(u) for u in uniques], dtype=object)[codes]
    return pd.Series(results, index=series.index, dtype=dtype)


def keyed(series: pd.Series) -> pd.Series:
    """The matching form (`key`) of every value."""
    return per_distinct(series, key, "str")


def canonical(series: pd.Series, words: tuple[str, ...]) -> pd.Series:
    """Each value as the listed word it matches whatever its case or keyboard; others stay."""
    lookup = {key(w): w for w in words}
    return per_distinct(series, lambda v: lookup.get(key(v), v), "str")


def none(frame: pd.DataFrame) -> pd.Series:
    """A message column with no message yet."""
    return pd.Series(None, index=frame.index, dtype=object)


def flag(message: pd.Series, where: pd.Series, text) -> pd.Series:
    """`message` with `text(hit)` where the condition holds; the text is built for those rows
    only, not for a country's every row. `where`: a Series, or flags in a numpy array (a
    condition computed in numpy, as `plain_number`'s; made a Series only where one holds)."""
    if isinstance(where, np.ndarray):
        if not where.any():
            return message
        where = pd.Series(where, index=message.index)
    hit = where.fillna(False).astype(bool)
    if not hit.any():
        return message
    out = message.copy()
    out[hit] = text(hit)
    return out


def joined(keys: pd.Series, texts: pd.Series, sep: str = "; ") -> pd.Series:
    """The texts of each key joined in their order, indexed by key: what
    `texts.groupby(keys).agg(sep.join)` gives, without pandas' call per group (a country's
    baselines have tens of thousands of groups)."""
    codes, uniques = pd.factorize(keys, sort=True)
    if not len(codes):
        return pd.Series([], index=pd.Index(uniques, name=keys.name), dtype=object)
    order = np.argsort(codes, kind="stable")
    values = texts.to_numpy(dtype=object)[order]
    starts = np.flatnonzero(np.r_[True, np.diff(codes[order]) != 0])
    ends = [*starts[1:], len(order)]
    return pd.Series(
        [sep.join(values[a:b]) for a, b in zip(starts, ends, strict=True)],
        index=pd.Index(uniques, name=keys.name),
        dtype=object,
    )


def twice(*columns: np.ndarray) -> bool:
    """Whether any combination of values of these columns (of one length) comes twice: what
    `frame.duplicated(columns).any()` says, from each column's codes without a frame."""
    combined = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        codes, uniques = pd.factorize(column, use_na_sentinel=False)
        combined = combined * max(len(uniques), 1) + codes
    return len(np.unique(combined)) < len(combined)

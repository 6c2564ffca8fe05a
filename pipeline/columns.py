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
    only, not for a country's every row."""
    hit = where.fillna(False).astype(bool)
    if not hit.any():
        return message
    out = message.copy()
    out[hit] = text(hit)
    return out

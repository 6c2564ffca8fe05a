"""The view: the judgement cut per new commune."""

from __future__ import annotations

import pandas as pd

from pipeline.view import ByCommune


def test_tables_split_by_commune_keep_their_order_and_allow_empty_tables():

    table = pd.DataFrame({"ma_xa": ["b", "a", "b", "", "a"], "v": range(5)})
    split = ByCommune(table)
    assert split["a"] == [{"ma_xa": "a", "v": 1}, {"ma_xa": "a", "v": 4}]
    assert [v for _, (_, v) in split.gather(["b", "a"])] == [0, 1, 2, 4]  # the table's order
    assert [v for _, (_, v) in split.gather(["b", "a"], as_given=True)] == [0, 2, 1, 4]
    assert split.get("c") is None
    empty = ByCommune(pd.DataFrame({"ma_xa": pd.Series([], dtype=str), "v": []}))
    assert empty.gather(["a"]) == []

"""The view: the judgement cut per new commune."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

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


def test_a_commune_view_holds_only_its_own_old_communes(made_up_province_module):
    from tests.conftest import views_of

    dong = views_of(made_up_province_module).commune("dong_moi")
    assert (list(dong.info), list(dong.tally), list(dong.headers)) == (
        ["dong"],
        ["dong"],
        [
            ("raw/tinh_thu/dong.xlsx", "Chỉ tiêu"),
            ("raw/tinh_thu/dong_moi.xlsx", "Mục tiêu"),
        ],
    )
    assert dong.rows["dong"] and "an" not in dong.rows
    with pytest.raises(KeyError, match="outside this view"):
        dong.scored["an"]  # what a product could read of another commune is not in its view


def test_a_views_digest_follows_every_value_it_holds(seed_view):
    same = dataclasses.replace(seed_view)
    assert same.digest() == seed_view.digest()
    for field, value in [
        ("own", {**seed_view.own, "tieu_de": seed_view.own["tieu_de"] + " "}),
        ("baselines", [{**seed_view.baselines[0], "hien_trang_2025": "98.79"}]),
        ("baselines", [{**seed_view.baselines[0], "hien_trang_2025": 98.7900001}]),
    ]:
        assert dataclasses.replace(seed_view, **{field: value}).digest() != seed_view.digest()


def test_a_province_views_digest_follows_a_value_typed_as_text():
    from pipeline.view import ProvinceView

    def province(value: object) -> ProvinceView:
        frame = pd.DataFrame({"ma_xa": ["a"], "hien_trang_2025": [value]}, dtype=object)
        return ProvinceView("t", "T", [], {}, {}, [], frame, frame, frame, {}, [])

    assert province(1.5).digest() == province(1.5).digest()
    assert province(1.5).digest() != province("1.5").digest()

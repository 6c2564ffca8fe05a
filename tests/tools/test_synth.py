"""Batch runs: synthetic provinces, the province roll-up, and one broken commune among good ones."""

from __future__ import annotations

import re

import pytest

from pipeline.load import load_record
from pipeline.prepare import prepare
from pipeline.validate import validate
from tools import synth


def test_the_generator_is_deterministic_for_a_seed():
    assert synth.plan("thu", 7) == synth.plan("thu", 7)
    assert synth.plan("thu", 7) != synth.plan("thu", 8)


@pytest.mark.parametrize(("size", "old", "new"), [("tinh", 200, 75), ("ca-nuoc", 10035, 3321)])
def test_the_generator_makes_the_sizes_asked_for(size, old, new):
    books = synth.plan(size, 1)
    kinds = [dict(book.sheets)["Thông tin"][1][3] for book in books]
    assert (kinds.count("Trước sắp xếp"), kinds.count("Sau sắp xếp")) == (old, new)
    members = [
        len(dict(b.sheets)["Xã hợp thành"]) - 1 for b in books if "Xã hợp thành" in dict(b.sheets)
    ]
    assert set(members) <= {1, 2, 3, 4} and 1 in members  # some kept as they are


def test_the_generators_record_passes_validation(small_country):
    record = prepare(load_record(small_country))
    problems = validate(record)
    assert [p.line() for p in problems] == []
    assert len(record.info) == 17
    assert set(record.info["tinh"]) == {"Tỉnh Mường Sơn", "Tỉnh Chiềng Lộc"}


def test_the_generators_record_is_typed_as_officers_type(small_country):
    record = prepare(load_record(small_country))
    texts = set(record.rows["chi_tieu_nq__text"]) | set(record.rows["ket_qua__text"])
    assert any("," in t for t in texts)  # decimal commas
    assert any(t.startswith(">") for t in texts)
    assert any(re.fullmatch(r"\d+-\d+", t) for t in texts)  # ranges
    assert any(t.startswith("0") and len(t) == 2 for t in texts)  # "03"

"""The shortcut past pandera (`surely_passes`): True only where pandera finds nothing, so a
frame with a problem still gets pandera's message."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest
from pandera.errors import SchemaErrors

import pipeline.validate as validate_module
from pipeline.load import Where, load_record
from pipeline.prepare import prepare
from pipeline.validate import schema_problems
from pipeline.validate.passes import surely_passes
from schemas import commune as com
from tests.conftest import edit


def pandera_passes(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> bool:
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors:
        return False
    return True


def info(**changed) -> pd.DataFrame:
    """One commune's "Thông tin" row as validation hands it to its schema, every cell right."""
    row = {
        "ma_xa": "tan_an",
        "ma_xa__trung": None,
        "ma_xa__ten": None,
        "tinh": "Sơn La",
        "ten_xa": "Tân An",
        "loai": "Sau sắp xếp",
        "bieu_so__loi": None,
        "nhiem_ky": "2025-2030",
        "tieu_de": "BIỂU CÁC CHỈ TIÊU",
        "dien_tich__loi": None,
        "dien_tich__so": 12.5,
        "dan_so__loi": None,
        "dan_so__so": float("nan"),  # may be missing: its cell's own message says why
        "so_chi_tieu_bc__loi": None,
        "vuot_bc__loi": None,
        "dat_bc__loi": None,
        "khong_dat_bc__loi": None,
        "cach_doc_so": "",
        "cap_de_muc": "",
        "_tep": "raw/tan_an.xlsx",
        "_sheet": "Thông tin",
        "_dong": 2,
    }
    frame = pd.DataFrame([row])
    texts = ("ma_xa", "tinh", "ten_xa", "loai", "nhiem_ky", "tieu_de", "cach_doc_so", "cap_de_muc")
    for text in texts:
        frame[text] = frame[text].astype("str")
    frame["dien_tich__so"] = frame["dien_tich__so"].astype(float)
    for column, value in changed.items():
        frame[column] = pd.Series([value], dtype=frame[column].dtype)
    return frame


def test_a_right_row_passes_without_pandera_and_pandera_agrees():
    frame = info()
    assert surely_passes(com.info_schema, frame)
    assert pandera_passes(com.info_schema, frame)


@pytest.mark.parametrize(
    "changed",
    [
        {"tinh": ""},  # a check of a column: filled
        {"nhiem_ky": "2025-30"},  # pandera's own check (str_matches)
        {"loai": "Xã mới"},  # one of the words
        {"dien_tich__so": -3.0},  # a check that lets missing values through, on a number
        {"dan_so__loi": 'ô "mười" không phải là số'},  # a message computed beside a cell
    ],
    ids=["filled", "str_matches", "one_of", "positive", "message"],
)
def test_a_row_with_a_problem_goes_to_pandera_which_says_it(changed):
    frame = info(**changed)
    assert not surely_passes(com.info_schema, frame)
    assert not pandera_passes(com.info_schema, frame)
    assert len(schema_problems(com.info_schema, frame, Where())) == 1


def test_what_the_shortcut_cannot_judge_goes_to_pandera():
    # a missing column, a column of another type, a missing value where none may be
    wrong = [
        info().drop(columns="tieu_de"),
        info().astype({"dien_tich__so": "float32"}),
        info().astype({"tinh": object}).assign(tinh=[3]),
        info(ma_xa=None),
    ]
    for frame in wrong:
        assert not surely_passes(com.info_schema, frame)
        assert not pandera_passes(com.info_schema, frame)
    # text in a column of Python objects is text to pandera too
    assert surely_passes(com.info_schema, info().astype({"tinh": object}))
    assert pandera_passes(com.info_schema, info().astype({"tinh": object}))
    # an option the shortcut does not follow: a strict schema refuses other columns
    strict = pa.DataFrameSchema({"ma_xa": pa.Column(str)}, strict=True)
    assert not surely_passes(strict, info())
    assert not pandera_passes(strict, info())


def test_on_the_seed_and_a_broken_seed_the_shortcut_answers_as_pandera_does(
    seed_raw_dir, monkeypatch
):
    asked = []

    def spy(schema, frame):
        answer = surely_passes(schema, frame)
        asked.append((schema, frame, answer))
        return answer

    monkeypatch.setattr(validate_module, "surely_passes", spy)
    validate_module.validate(prepare(load_record(seed_raw_dir, 1)))
    # the seed's every frame passes: pandera never runs
    assert [answer for *_, answer in asked] == [True] * 9
    edit(seed_raw_dir / "son_la" / "dua_mon.xlsx", "Chỉ tiêu", "E7", "mười")
    edit(seed_raw_dir / "son_la" / "muong_lam.xlsx", "Thông tin", "B2", "")
    asked.clear()
    validate_module.validate(prepare(load_record(seed_raw_dir, 1)))
    answers = {schema.name: answer for schema, _, answer in asked if not answer}
    assert answers == {"Thông tin xã": False, "Chỉ tiêu 2020-2025": False}
    for schema, frame, answer in asked:
        assert answer == pandera_passes(schema, frame), schema.name

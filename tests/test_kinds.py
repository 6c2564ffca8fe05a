"""The kind of each target row: the catalogue's, or read from the row's own words with a warning."""

from __future__ import annotations

import openpyxl
import pytest

from pipeline.kinds import read_kind
from pipeline.load import load_record
from pipeline.paths import RAW
from pipeline.prepare import prepare, target_kind
from pipeline.validate import validate
from schemas.vocabulary import EVERY_YEAR, LEVEL, RATE, TERM_TOTAL
from tests.conftest import edit

KEYS = ["ma_xa", "_dong"]


def blank_kinds(raw) -> None:
    """The catalogue's column "Loại mục tiêu" emptied, as an older catalogue would have it."""
    path = raw / "danh_muc_chi_tieu.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Chỉ tiêu"]
    column = next(c.column for c in sheet[1] if c.value == "Loại mục tiêu")
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, column).value = None
    book.save(path)


@pytest.fixture(scope="module")
def declared():
    return prepare(load_record(RAW))


@pytest.fixture(scope="module")
def blanked(tmp_path_factory):
    import shutil

    raw = tmp_path_factory.mktemp("blank") / "raw"
    shutil.copytree(RAW, raw)
    blank_kinds(raw)
    prepared = prepare(load_record(raw))
    return prepared, validate(prepared)


@pytest.mark.parametrize("table", ["rows", "targets"])
def test_the_words_of_each_seed_row_give_the_kind_its_catalogue_declares(declared, blanked, table):
    """Row by row, Biểu 01/02 and Biểu 03: every one of the seed's 89 indicator rows reads as
    the kind the seed's catalogue declares for its code."""
    given = getattr(declared, table).set_index(KEYS)
    read = getattr(blanked[0], table).set_index(KEYS)
    items = given["loai_dong"] != "nhóm"
    assert read.loc[items, "loai_muc_tieu"].to_dict() == given.loc[items, "loai_muc_tieu"].to_dict()
    assert read.loc[items, "loai_muc_tieu_doan"].all()
    assert not given["loai_muc_tieu_doan"].any()  # the seed declares every kind
    assert (read.loc[~items, "loai_muc_tieu"] == "").all()


def test_the_words_that_said_each_kind_are_kept(blanked):
    """The words that decided, as the row writes them: Biểu 03's notes and names."""
    targets = blanked[0].targets.set_index("_dong")
    assert targets.loc[[4, 31, 34, 35, 37, 13], "loai_muc_tieu_theo"].tolist() == [
        "Duy trì",  # "Duy trì 758 ha, trồng mới 50 ha/năm": a level, kept before "trồng mới"
        "hàng năm",  # "TCCSĐ hoàn thành tốt nhiệm vụ hàng năm"
        "Trong nhiệm kỳ",  # the note of "Kết nạp đảng viên mới ≥ 145"
        "Hàng năm",  # the note of "Tập huấn cho cán bộ bản, đoàn thể"
        "so với nhiệm kỳ trước",  # "Giảm ≥10% so với nhiệm kỳ trước"
        "",  # "Thu nhập bình quân đầu người 42": no words, a level
    ]


KIND_WARNING = (
    '[cảnh báo] {tep} › Mục tiêu › D34: danh mục chưa ghi "Loại mục tiêu" của chỉ tiêu '
    '"ket_nap_dang_vien"; theo chữ "Trong nhiệm kỳ" của dòng này, tính là "Tổng nhiệm kỳ"; nếu '
    'khác, ghi loại đúng vào cột "Loại mục tiêu" của danh mục'
)


def test_each_row_read_is_a_warning_at_its_target_cell(blanked):
    prepared, problems = blanked
    lines = [p.line() for p in problems]
    tep = next(t for t in prepared.targets["_tep"])
    assert KIND_WARNING.format(tep=tep) in lines
    income = next(p for p in problems if p.sheet == "Mục tiêu" and p.o == "D13")
    assert income.noi_dung == (
        'danh mục chưa ghi "Loại mục tiêu" của chỉ tiêu "thu_nhap_binh_quan"; dòng này không có '
        'chữ nào chỉ loại khác, tính là "Mức"; nếu khác, ghi loại đúng vào cột "Loại mục tiêu" '
        "của danh mục"
    )
    # one warning per indicator row: 54 of Biểu 01/02 and 35 of Biểu 03 (group rows have none)
    said = [p for p in problems if "Loại mục tiêu" in p.noi_dung]
    assert len(said) == 54 + 35
    assert {p.muc_do for p in said} == {"cảnh báo"}


def test_the_seed_declares_every_kind_so_its_messages_do_not_change(declared):
    assert [p for p in validate(declared) if "Loại mục tiêu" in p.noi_dung] == []


def test_a_row_without_a_code_has_its_kind_read_and_said(seed_raw_dir):
    """Biểu 03's row 35 ("Tập huấn cho cán bộ bản, đoàn thể", note "Hàng năm") with its code
    taken away: an error for the code, and the kind read from its note."""
    edit(seed_raw_dir / "son_la" / "muong_lam.xlsx", "Mục tiêu", "F35", "")
    prepared = prepare(load_record(seed_raw_dir))
    row = prepared.targets.set_index("_dong").loc[35]
    assert (row["loai_muc_tieu"], row["loai_muc_tieu_doan"]) == (EVERY_YEAR, True)
    said = [p.noi_dung for p in validate(prepared) if p.o == "D35"]
    assert said == [
        'dòng này chưa ghi mã chỉ tiêu nên chưa biết "Loại mục tiêu" theo danh mục; theo chữ '
        '"Hàng năm" của dòng này, tính là "Hằng năm"; ghi mã chỉ tiêu để lấy loại mục tiêu của '
        "danh mục"
    ]


@pytest.mark.parametrize(
    ("words", "kind", "said"),
    [
        # a rate before every year: "bình quân hằng năm" is a rate
        ("Mức giảm tỷ lệ hộ nghèo bình quân hằng năm | 3-4", RATE, "bình quân hằng năm"),
        ("Tỷ lệ hộ nghèo giảm bình quân 3%/năm trở lên | 3-4", RATE, "giảm bình quân"),
        ("Thu ngân sách trên địa bàn 5 năm tăng | 10", RATE, "5 năm tăng"),
        # "/năm" alone is no kind: income per person a year is a level
        ("Thu nhập bình quân đầu người/năm | 13,5", LEVEL, ""),
        ("Thu ngân sách trên địa bàn 5 năm | 1,130", TERM_TOTAL, "5 năm"),
        ("Tổ chức chính trị - xã hội cấp xã HTTNV | ≥ 95", EVERY_YEAR, "HTTNV"),
        ("Duy trì diện tích | Duy trì 758 ha, trồng mới 50 ha/năm", LEVEL, "Duy trì"),
        ("Diện tích rừng trồng mới tập trung | 60", TERM_TOTAL, "trồng mới"),
        # "nông thôn mới" is no new thing
        ("Xây dựng nông thôn mới | >3", LEVEL, ""),
        ("Bản đạt chuẩn | 5 | Đến năm 2030", LEVEL, ""),
    ],
)
def test_the_phrases_are_tried_kind_by_kind_in_order(words, kind, said):
    assert read_kind(words) == (kind, said)


@pytest.mark.parametrize(
    "typed, kind",
    [
        ("Hàng năm", EVERY_YEAR),  # the spelling the seed's own Biểu 03 notes use
        ("hang nam", EVERY_YEAR),  # typed without accents
        ("tong nhiem ky", TERM_TOTAL),
        ("  Tốc  độ ", RATE),
        ("MỨC", LEVEL),
        ("", ""),
        ("Năm nào cũng", "Năm nào cũng"),  # not a kind: kept as typed, for the schema to name
    ],
)
def test_a_kind_typed_in_the_catalogue_is_read_whatever_its_accents(typed, kind):
    assert target_kind(typed) == kind


def test_a_word_that_is_no_kind_is_an_error_at_its_catalogue_cell(seed_raw_dir):
    edit(seed_raw_dir / "danh_muc_chi_tieu.xlsx", "Chỉ tiêu", "J2", "Năm nào cũng")
    edit(seed_raw_dir / "danh_muc_chi_tieu.xlsx", "Chỉ tiêu", "J3", "hang nam")
    said = [p.noi_dung for p in validate(prepare(load_record(seed_raw_dir, 1)))]
    assert (
        said.count(
            '"Năm nào cũng" không phải là loại mục tiêu hợp lệ (Mức, Tổng nhiệm kỳ, Hằng năm, '
            "Tốc độ hoặc để trống)"
        )
        == 1
    )
    assert not any('"hang nam"' in text for text in said)


def test_a_declared_kind_the_rows_own_words_contradict_is_used_with_a_warning(seed_raw_dir):
    """The catalogue declaring "Mức" for new party members, whose Biểu 03 note says "Trong nhiệm
    kỳ": the catalogue's kind is used, and each row whose words say otherwise is warned of at
    its target cell."""
    path = seed_raw_dir / "danh_muc_chi_tieu.xlsx"
    sheet = openpyxl.load_workbook(path)["Chỉ tiêu"]
    row = next(c.row for c in sheet["A"] if c.value == "ket_nap_dang_vien")
    edit(path, "Chỉ tiêu", f"J{row}", "Mức")
    prepared = prepare(load_record(seed_raw_dir, 1))
    said = [(p.tep, p.sheet, p.o, p.noi_dung) for p in validate(prepared)]
    assert (
        "raw/son_la/muong_lam.xlsx",
        "Mục tiêu",
        "D34",
        'danh mục ghi "Loại mục tiêu" của chỉ tiêu "ket_nap_dang_vien" là "Mức", nhưng chữ "Trong '
        'nhiệm kỳ" của dòng này chỉ loại "Tổng nhiệm kỳ"; đang tính theo danh mục là "Mức"; nếu '
        'sai, sửa cột "Loại mục tiêu" của danh mục',
    ) in said
    # Biểu 01 and 02 say "kết nạp" in the name: warned at their target cells too
    assert sum('là "Mức", nhưng chữ' in text for *_, text in said) == 3
    members = prepared.targets[prepared.targets["ma_key"] == "ket_nap_dang_vien"]
    assert members["loai_muc_tieu"].tolist() == [LEVEL]

"""Bad input on the sheet "Kết quả hằng năm": one located Vietnamese line per problem, every
problem in one run, exit status 2, output/ untouched; and the rules on in-memory frames."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.prepare import prepare_rows, prepare_yearly
from pipeline.validate.yearly import yearly_messages
from tests import frames
from tests.conftest import besides_the_seeds, cases, marked_cell, snapshot, unmarked
from tests.yearly import HEADER, add_sheet

AT = "raw/son_la/muong_lam.xlsx › Kết quả hằng năm › "
ALLOW = ' (nếu chỉ tiêu này được phép, ghi "Không giới hạn" ở cột "Miền giá trị" của danh mục)'
IN_BIEU_03 = 'Biểu 03 (sheet "Mục tiêu")'
ONE, TWO = ["I", "Kinh tế"], ["II", "Xã hội"]  # group rows

# (case, the sheet's rows after its header, exact lines printed)
CASES = [
    (
        "a word where the forest cover's percentage goes",
        [ONE, ["6", "Rừng", "", "Đạt"]],
        [f'{AT}D3: "Đạt" không phải là số: chỉ tiêu này tính bằng số (đơn vị "%")'],
    ),
    (
        "a result that is no number at all",
        [ONE, ["6", "Rừng", "", "", "ba mươi"]],
        [f'{AT}E3: "ba mươi" không phải là số'],
    ),
    (
        "a percentage over 100",
        [TWO, ["4", "BHYT", "ty_le_bhyt", "101,5"]],
        [f'{AT}D3: "101,5" là tỷ lệ phần trăm lớn hơn 100{ALLOW}'],
    ),
    (
        "a row whose TT is not in Biểu 03",
        [ONE, ["12", "Không có", "", "5"]],
        [f"{AT}A3: {IN_BIEU_03} không có chỉ tiêu TT 12 trong nhóm I"],
    ),
    (
        "a code that is not in Biểu 03",
        [ONE, ["", "Không có", "ty_le_ho_ngheo", "5"]],
        [f'{AT}C3: mã chỉ tiêu "ty_le_ho_ngheo" không có trong {IN_BIEU_03}'],
    ),
    (
        "a TT and a code that name two rows",
        [ONE, ["3", "Gia súc", "ty_le_che_phu_rung", "22.100"]],
        [
            f'{AT}C3: TT 3 trong nhóm I của Biểu 03 là chỉ tiêu "Tổng đàn gia súc" (mã '
            'dan_gia_suc), khác mã "ty_le_che_phu_rung" ghi ở dòng này'
        ],
    ),
    (
        "a TT that several groups have, with no group row above it",
        [["1", "Thu ngân sách hay thu nhập?", "", "2"]],
        [
            f"{AT}A2: TT 1 có ở nhiều nhóm của Biểu 03: ghi dòng nhóm (I, II…) phía trên như "
            "Biểu 03, hoặc ghi Mã chỉ tiêu"
        ],
    ),
    (
        "a row with a result and neither TT nor code",
        [ONE, ["", "Rừng", "", "37"]],
        [
            f"{AT}A3: dòng có kết quả nhưng không ghi TT hay Mã chỉ tiêu: không biết là dòng "
            f"nào của {IN_BIEU_03}"
        ],
    ),
    (
        "a result on a group row",
        [["I", "Kinh tế", "", "5"]],
        [f'{AT}A2: dòng nhóm "I" không ghi kết quả: ghi kết quả ở dòng của từng chỉ tiêu'],
    ),
    (
        "a result typed twice for one row and year",
        [TWO, ["4", "BHYT", "", "98"], ["", "BHYT", "ty_le_bhyt", "98,5"]],
        [f"{AT}D4: kết quả năm 2026 của chỉ tiêu này đã ghi ở ô D3"],
    ),
    (
        "an unreadable TT",
        [ONE, ["6a", "Rừng", "", "37"]],
        [
            f'{AT}A3: TT "6a" không đọc được: ghi số La Mã cho dòng nhóm (I, II), số cho chỉ '
            "tiêu, như Biểu 03"
        ],
    ),
    (
        "a result in a unit that does not convert into its Biểu 03 row's",
        [ONE, ["6", "Rừng", "", "37 ha"]],
        [
            f'{AT}D3: "37 ha" ghi đơn vị "ha", khác đơn vị của dòng "%" và không quy đổi được: '
            'ghi số theo đơn vị "%", hoặc sửa cột "Đơn vị tính"'
        ],
    ),
]


def problems(result) -> list[str]:
    """The lines naming the record's problems (not those saying what was and was not written)."""
    return [
        line
        for line in besides_the_seeds(result.lines)
        if not line.startswith(("Chưa ghi", "Đã tô màu"))
    ]


@pytest.mark.parametrize(
    ("rows", "expected"), cases([c[1:] for c in CASES], ids=[c[0] for c in CASES])
)
def test_a_bad_cell_is_named_exactly(seed_raw_dir, output_dir, run_cli, rows, expected):
    before = snapshot(output_dir)
    add_sheet(seed_raw_dir / "son_la/muong_lam.xlsx", [HEADER, *rows])
    result = run_cli(seed_raw_dir)
    assert problems(result) == expected
    assert result.status == 2
    assert "Traceback" not in result.err
    for line in expected:  # the cell is marked in the copy of the workbook
        cell, text = line.removeprefix(AT).split(": ", 1)
        fill, note = marked_cell(output_dir, "son_la/muong_lam.xlsx", "Kết quả hằng năm", cell)
        assert (fill, f"Lỗi: {text}" in note) == ("FF7C80", True)
    assert unmarked(snapshot(output_dir)) == unmarked(before)  # all but the marked copies


def test_years_outside_the_term_are_named_at_their_header_once(seed_raw_dir, output_dir, run_cli):
    before = snapshot(output_dir)
    rows = [
        ["TT", "Chỉ tiêu", "Mã chỉ tiêu", "2025", "2026", "Năm 2031"],
        ["II"],
        ["4", "BHYT", "", "98,8", "98", "99"],
        ["13", "Chất thải", "", "", "", "81"],
    ]
    add_sheet(seed_raw_dir / "son_la/muong_lam.xlsx", rows)
    result = run_cli(seed_raw_dir)
    assert problems(result) == [
        f"{AT}D1: năm 2025 là năm hiện trạng (gộp từ kết quả của các xã cũ), không phải một năm"
        " của nhiệm kỳ 2025-2030: kết quả hằng năm ghi từ năm 2026 đến năm 2030",
        f"{AT}F1: năm 2031 nằm ngoài nhiệm kỳ 2025-2030 của xã: kết quả hằng năm ghi từ năm "
        "2026 đến năm 2030",
    ]
    assert result.status == 2
    assert unmarked(snapshot(output_dir)) == unmarked(before)  # all but the marked copies


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            ["TT", "Chỉ tiêu", "Mã chỉ tiêu"],
            "D1: không có cột năm nào: ghi các năm của nhiệm kỳ (2026, 2027, …) ở dòng tiêu đề, "
            "mỗi năm một cột",
        ),
        (["TT", "Chỉ tiêu", "2026", "Năm 2026"], "D1: năm 2026 đã có ở cột C: mỗi năm một cột"),
    ],
)
def test_the_years_columns_are_checked_in_the_header(
    seed_raw_dir, output_dir, run_cli, header, expected
):
    before = snapshot(output_dir)
    add_sheet(seed_raw_dir / "son_la/muong_lam.xlsx", [header, ["1", "x"]])
    result = run_cli(seed_raw_dir)
    assert besides_the_seeds(result.lines)[0] == AT + expected
    assert result.status == 2
    assert unmarked(snapshot(output_dir)) == unmarked(before)  # all but the marked copies


def test_every_problem_of_the_sheet_is_reported_in_one_run(seed_raw_dir, run_cli):
    rows = [HEADER, *CASES[0][1], ["5", "x", "", "mười"], *CASES[2][1]]
    add_sheet(seed_raw_dir / "son_la/muong_lam.xlsx", rows)
    lines = problems(run_cli(seed_raw_dir))
    assert [line.split(": ")[0].rsplit(" › ", 1)[1] for line in lines] == ["D3", "D4", "D6"]


def test_a_sheet_of_rows_without_results_is_no_sheet(seed_raw_dir, output_dir, run_cli):
    """A ready-to-fill sheet lists Biểu 03's rows; until a result is typed it says nothing, and
    rows not (or no longer) in Biểu 03 are not errors while they hold no result."""
    add_sheet(seed_raw_dir / "son_la/muong_lam.xlsx", [HEADER, ONE, ["99", "Đã xoá ở Biểu 03"]])
    result = run_cli(seed_raw_dir)
    assert result.status == 0
    assert sorted(p.name for p in (output_dir / "muong_lam").iterdir()) == [
        "bao_cao_chi_tieu.docx",
        "bieu_chi_tieu.xlsx",
        "chi_tieu.csv",
        "kiem_tra.csv",
        "muc_tieu_2030.csv",
        "phu_luc.xlsx",  # the earlier run's file, left alone
        "tong_hop.csv",
    ]


# ---------------------------------------------------------------------------- in memory


def messages(targets: list[dict], yearly: list[dict]) -> pd.DataFrame:
    catalogue = frames.catalogue(
        [
            {"ma_chi_tieu": "ntm", "ten_chi_tieu": "NTM", "chieu": "Định tính", "cach_gop": "Cộng"},
            {"ma_chi_tieu": "rung", "ten_chi_tieu": "Rừng", "chieu": "Cao hơn là tốt"},
            {"ma_chi_tieu": "dat", "ten_chi_tieu": "Đất", "chieu": "Cao hơn là tốt"},
        ],
        [
            {"don_vi": "Đạt", "loai": "Định tính", "so_nguyen": "Không"},
            {"don_vi": "%", "loai": "Phần trăm", "so_nguyen": "Không"},
        ],
    )
    rows = prepare_rows(frames.target_rows(targets), catalogue, ("muc_tieu", "mt_phan_ba"))
    lines = prepare_yearly(frames.yearly_rows(yearly), rows, catalogue)
    return yearly_messages(lines, frames.new_commune_info(), rows)


def test_a_number_for_an_indicator_rated_in_words_is_of_the_wrong_kind():
    found = messages(
        [{"tt": "1", "chi_tieu": "NTM", "don_vi": "Đạt", "muc_tieu": "Đạt", "ma_chi_tieu": "ntm"}],
        [{"tt": "1", "years": {2026: "17", 2027: "Đạt"}}],
    )
    assert found["ket_qua__loi"].fillna("").tolist() == [
        '"17" không phải là Đạt hay Không đạt: chỉ tiêu này đánh giá bằng lời (đơn vị "Đạt")',
        "",
    ]


def test_a_code_on_several_rows_needs_the_tt_that_tells_them_apart():
    targets = [
        {"tt": "I", "chi_tieu": "A"},
        {"tt": "1", "chi_tieu": "Rừng", "don_vi": "%", "muc_tieu": "40", "ma_chi_tieu": "rung"},
        {"tt": "II", "chi_tieu": "B"},
        {"tt": "1", "chi_tieu": "Rừng", "don_vi": "%", "muc_tieu": "45", "ma_chi_tieu": "rung"},
    ]
    found = messages(
        targets,
        [
            {"tt": "", "ma_chi_tieu": "rung", "years": {2026: "41"}},
            {"tt": "II", "chi_tieu": "B"},
            {"tt": "1", "ma_chi_tieu": "rung", "years": {2026: "42"}},
        ],
    )
    assert found["ma_chi_tieu__dong"].fillna("").tolist() == [
        'mã "rung" có ở nhiều dòng của Biểu 03: ghi TT (dưới dòng nhóm như Biểu 03) để chỉ rõ '
        "dòng nào",
        "",
    ]
    assert found["dong_muc_tieu"].tolist()[1] == 5  # Biểu 03's row in group II

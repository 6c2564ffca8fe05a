"""Scoring: the seed's computed ratings and tallies, the rules on small cases, and overrides."""

from __future__ import annotations

import csv
import re

import docx
import openpyxl
import pandas as pd
import pytest

from pipeline.judge import judge
from pipeline.judge.score import achievement, printed_ratio, rate
from pipeline.load import load_record
from pipeline.parse import parse_expr
from pipeline.paths import RAW
from pipeline.prepare import prepare
from pipeline.problems import in_order
from pipeline.validate import validate
from schemas.stages import Parsed
from tests.conftest import SEED_WARNING, edit


@pytest.fixture(scope="module")
def seed():
    prepared = prepare(load_record(RAW))
    return prepared, judge(prepared)


# Computed by hand from Biểu 01 (target → result, direction from the catalogue):
# 1 10→122,7 Vượt · 2 1-2→1 in range Đạt · 3 13,5→24,8 Vượt · 4 695→350 KĐ; 15→15 Đạt
# 5 lower is better, 80→90 worse: KĐ (published Vượt) · 6 1→1, 2→2 Đạt · 7 95→95 Đạt
# 8 3-4→4-6, the weaker end 4 is inside: Đạt (published Vượt) · 9 65→65 Đạt
# 10 100→100 Đạt; 2,5→10 Vượt · 11 30→40 Vượt · 12 100→100, 90→90 Đạt
# 13 >3→15 Vượt (published Đạt); 1→0 KĐ · 14 10→25 Vượt · 15 95→100 Vượt
# 16 60→80 Vượt (published Đạt) · 17 60→80 Vượt; 48→38 KĐ · 18 100→100 Đạt
# 19 >30→98 Vượt; 3→(no result) Chưa có số liệu (published Vượt); >90→90 KĐ (published Đạt)
# 20 100→100 Đạt
V, D, K, N = "Vượt", "Đạt", "Không đạt", "Chưa có số liệu"
DUA_MON = [V, D, V, K, D, K, D, D, D, D, D, D, V, V, D, D, V, K, V, V, V, V, K, D, V, N, K, D]
# Biểu 02: every computed rating equals the published one (59,46 against 60 is Vượt because the
# share of labour in agriculture is lower-is-better; 1,24 against 12 likewise)
MUONG_LAM_CU = [V, D, V, D, V, V, D, V, V, V, V, D, V, D, D, D, K, V, D, D, D, D, V, D, D, D]


@pytest.mark.parametrize(
    ("commune", "expected"), [("dua_mon", DUA_MON), ("muong_lam_cu", MUONG_LAM_CU)]
)
def test_every_seed_row_gets_its_computed_rating(seed, commune, expected):
    scored = seed[1].scored
    assert scored.loc[scored["ma_xa"] == commune, "danh_gia_tinh"].tolist() == expected


def test_published_ratings_rolled_up_reproduce_the_reports_own_counts(seed):
    tally = seed[1].tally.set_index("ma_xa")
    # part two: "07 chỉ tiêu vượt, 10 chỉ tiêu đạt, 03 chỉ tiêu không đạt" and "08 …, 11 …, 01 …"
    assert tally.loc["dua_mon", ["vuot_cong_bo", "dat_cong_bo", "khong_dat_cong_bo"]].tolist() == [
        7,
        10,
        3,
    ]
    assert tally.loc[
        "muong_lam_cu", ["vuot_cong_bo", "dat_cong_bo", "khong_dat_cong_bo"]
    ].tolist() == [8, 11, 1]
    assert (
        tally.loc["dua_mon", "cau_tong_hop_cong_bo"] == "20 chỉ tiêu: 07 vượt, 10 đạt, 03 không đạt"
    )
    assert (
        tally.loc["muong_lam_cu", "cau_tong_hop_cong_bo"]
        == "20 chỉ tiêu: 08 vượt, 11 đạt, 01 không đạt"
    )


def test_computed_tallies(seed):
    tally = seed[1].tally.set_index("ma_xa")
    # Đứa Mòn by item, weakest sub-row: Vượt 1 3 11 14 15 16; Không đạt 4 5 13 17 19; Đạt the rest
    assert tally.loc["dua_mon", "cau_tong_hop_tinh"] == "20 chỉ tiêu: 06 vượt, 09 đạt, 05 không đạt"
    assert (
        tally.loc["muong_lam_cu", "cau_tong_hop_tinh"]
        == "20 chỉ tiêu: 08 vượt, 11 đạt, 01 không đạt"
    )


def test_item_19_takes_its_weakest_sub_row(seed):
    item = seed[1].items.set_index(["ma_xa", "muc"]).loc[("dua_mon", "19")]
    assert (item["danh_gia_tinh"], item["danh_gia_cong_bo"]) == ("Không đạt", "Đạt")


@pytest.mark.parametrize(
    ("commune", "tt", "ratio"),
    [
        ("dua_mon", "3", 183.7),  # 24,8 / 13,5, as part two quotes it
        ("dua_mon", "11", 133.3),  # 40 / 30
        ("dua_mon", "14", 250.0),  # 25 / 10
        ("muong_lam_cu", "7", 101.0),  # 98 / 97: "Đạt 101%"
        ("muong_lam_cu", "5", 100.9),  # lower is better: 60 / 59,46
        ("dua_mon", "13", 500.0),  # 15 against ">3": 15 / 3, above 100 % and Vượt: printed
    ],
)
def test_achievement_ratios(seed, commune, tt, ratio):
    scored = seed[1].scored
    row = scored[(scored["ma_xa"] == commune) & (scored["muc"] == tt)].iloc[0]
    assert row["ty_le_dat"] == ratio


def test_every_disagreement_in_the_seed_is_a_finding(seed):
    """As Kiểm tra lists them: the judgement's findings, and validation's warning at a result
    left empty beside its rating (E31: at the result, not at the rating F31)."""
    lines = [
        p.line()
        for p in in_order([*validate(seed[0]), *seed[1].findings])
        if p.sheet == "Chỉ tiêu" and "phần hai" not in p.noi_dung
    ]
    assert lines == [
        "[phát hiện] raw/son_la/dua_mon.xlsx › Chỉ tiêu: tính lại từ chỉ tiêu và kết quả: 20 chỉ "
        "tiêu: 06 vượt, 09 đạt, 05 không đạt; biểu công bố: 20 chỉ tiêu: 07 vượt, 10 đạt, 03 "
        "không đạt",
        '[phát hiện] raw/son_la/dua_mon.xlsx › Chỉ tiêu › F9: đánh giá công bố "Vượt" khác đánh '
        'giá tính lại "Không đạt": kết quả "90" kém hơn chỉ tiêu "80" (thấp hơn là tốt)',
        '[phát hiện] raw/son_la/dua_mon.xlsx › Chỉ tiêu › F13: đánh giá công bố "Vượt" khác đánh '
        'giá tính lại "Đạt": kết quả "4-6" (tính theo đầu dưới 4) nằm trong khoảng chỉ tiêu "3-4"',
        '[phát hiện] raw/son_la/dua_mon.xlsx › Chỉ tiêu › F20: đánh giá công bố "Đạt" khác đánh '
        'giá tính lại "Vượt": kết quả "15" vượt ngưỡng chỉ tiêu ">3"',
        '[phát hiện] raw/son_la/dua_mon.xlsx › Chỉ tiêu › F25: đánh giá công bố "Đạt" khác đánh '
        'giá tính lại "Vượt": kết quả "80" tốt hơn chỉ tiêu "60" (cao hơn là tốt)',
        SEED_WARNING,
        '[phát hiện] raw/son_la/dua_mon.xlsx › Chỉ tiêu › F32: đánh giá công bố "Đạt" khác đánh '
        'giá tính lại "Không đạt": kết quả "90" chưa vượt ngưỡng chỉ tiêu ">90" như lời chỉ tiêu '
        "đòi hỏi",
    ]


def frame(target: str, result: str, direction: str = "Cao hơn là tốt") -> pd.DataFrame:
    columns = {}
    for prefix, text in (("chi_tieu_nq", target), ("ket_qua", result)):
        expr = parse_expr(text)
        for field in ("kind", "op", "lo", "hi", "decimals", "quality", "text"):
            columns[f"{prefix}__{field}"] = [getattr(expr, field)]
    return pd.DataFrame({**columns, "chieu": [direction]})


@pytest.mark.parametrize(
    ("target", "result", "direction", "rating"),
    [
        ("≥ 90", "90", "Cao hơn là tốt", "Đạt"),  # at an inclusive bound: met
        ("≥ 90", "91", "Cao hơn là tốt", "Vượt"),  # beyond it: exceeded
        ("90 trở lên", "89", "Cao hơn là tốt", "Không đạt"),
        (">30", "30", "Cao hơn là tốt", "Không đạt"),  # a strict bound must be passed
        ("dưới 12%", "12", "Thấp hơn là tốt", "Không đạt"),
        ("dưới 12%", "11,9", "Thấp hơn là tốt", "Vượt"),
        ("3-4", "3", "Cao hơn là tốt", "Đạt"),  # inside a range: met
        ("3-4", "4,5", "Cao hơn là tốt", "Vượt"),  # past its good end: exceeded
        ("3-4", "2", "Cao hơn là tốt", "Không đạt"),
        ("3-4", "2", "Thấp hơn là tốt", "Vượt"),  # mirrored
        ("60", "59,46", "Thấp hơn là tốt", "Vượt"),
        ("60", "59,6", "Thấp hơn là tốt", "Vượt"),  # as printed, 59,6 is below 60
        ("1,130", "1,13", "Cao hơn là tốt", "Đạt"),  # equal at the precision printed
        ("95", "95,0", "Cao hơn là tốt", "Đạt"),
        ("Đạt", "Đạt", "Định tính", "Đạt"),
        ("Đạt", "Không đạt", "Định tính", "Không đạt"),
        ("Đạt", "5", "Định tính", "Không so được"),
        ("Duy trì 758 ha", "760", "Cao hơn là tốt", "Không so được"),
        ("100", "", "Cao hơn là tốt", "Chưa có số liệu"),
    ],
)
def test_rating_rules(target, result, direction, rating):
    ratings, _ = rate(frame(target, result, direction))
    assert ratings[0] == rating


def test_no_ratio_without_a_result_or_for_qualitative_rows():
    assert pd.isna(achievement(frame("100", "")).iloc[0])
    assert pd.isna(achievement(frame("Đạt", "Đạt", "Định tính")).iloc[0])
    assert pd.isna(achievement(frame("5", "0", "Thấp hơn là tốt")).iloc[0])


def _keep(path, row: int, reason: str | None) -> None:
    edit(path, "Chỉ tiêu", "L1", "Giữ đánh giá công bố")
    edit(path, "Chỉ tiêu", "M1", "Lý do giữ đánh giá")
    edit(path, "Chỉ tiêu", f"L{row}", "Có")
    if reason:
        edit(path, "Chỉ tiêu", f"M{row}", reason)


def test_an_override_keeps_the_published_rating_and_the_finding_records_it(
    seed_raw_dir, run_cli, output_dir
):
    reason = "Tỷ lệ giảm theo kế hoạch của huyện, Ban Thường vụ thống nhất giữ"
    _keep(seed_raw_dir / "son_la/dua_mon.xlsx", 9, reason)
    assert run_cli(seed_raw_dir).status == 0
    rows = pd.read_csv(output_dir / "muong_lam" / "chi_tieu.csv", encoding="utf-8-sig", dtype=str)
    row = rows[(rows["ma_xa"] == "dua_mon") & (rows["tt"] == "5")].iloc[0]
    assert (row["danh_gia_cong_bo"], row["danh_gia_tinh"], row["danh_gia_chot"]) == (
        "Vượt",
        "Không đạt",
        "Vượt",
    )
    assert (row["giu_danh_gia"], row["ly_do_giu"]) == ("Có", reason)
    checks = pd.read_csv(output_dir / "muong_lam" / "kiem_tra.csv", encoding="utf-8-sig", dtype=str)
    assert checks.loc[checks["o"] == "F9", "noi_dung"].tolist() == [
        'đánh giá công bố "Vượt" khác đánh giá tính lại "Không đạt": kết quả "90" kém hơn chỉ '
        f'tiêu "80" (thấp hơn là tốt); giữ đánh giá công bố vì: {reason}'
    ]
    tally = pd.read_csv(output_dir / "muong_lam" / "tong_hop.csv", encoding="utf-8-sig", dtype=str)
    assert tally.loc[tally["ma_xa"] == "dua_mon", "cau_tong_hop_chot"].tolist() == [
        "20 chỉ tiêu: 07 vượt, 09 đạt, 04 không đạt"
    ]


def test_an_override_needs_a_reason(seed_raw_dir, run_cli):
    _keep(seed_raw_dir / "son_la/dua_mon.xlsx", 9, None)
    result = run_cli(seed_raw_dir)
    assert result.status == 2
    assert result.lines[0] == (
        "raw/son_la/dua_mon.xlsx › Chỉ tiêu › L9: giữ đánh giá công bố thì phải ghi lý do ở cột "
        '"Lý do giữ đánh giá"'
    )


def test_where_the_prose_prints_other_figures_than_the_tables(seed):
    # part two (2.1) against Biểu 01, and part three (II.3) against Biểu 03, read from the report
    lines = [
        (p.tep.rsplit("/", 1)[1], p.o, p.noi_dung)
        for p in seed[1].findings
        if "phần hai" in p.noi_dung or "phần ba" in p.noi_dung
    ]
    said = 'của báo cáo ghi {} "{}", biểu ghi "{}"'
    assert lines == [
        ("dua_mon.xlsx", "K7", "phần hai " + said.format("kết quả", "10", "15")),  # livestock
        ("dua_mon.xlsx", "J9", "phần hai " + said.format("chỉ tiêu NQ", "75", "80")),
        ("dua_mon.xlsx", "K9", "phần hai " + said.format("kết quả", "75", "90")),
        ("dua_mon.xlsx", "J11", "phần hai " + said.format("chỉ tiêu NQ", "03", "2")),  # schools
        ("dua_mon.xlsx", "K11", "phần hai " + said.format("kết quả", "03", "2")),
        ("dua_mon.xlsx", "K13", "phần hai " + said.format("kết quả", "6", "4-6")),  # poverty
        ("dua_mon.xlsx", "J19", "phần hai " + said.format("chỉ tiêu NQ", "100", "90")),
        ("dua_mon.xlsx", "K19", "phần hai " + said.format("kết quả", "100", "90")),
        ("dua_mon.xlsx", "K20", "phần hai " + said.format("kết quả", "11/19", "15")),  # NTM
        ("dua_mon.xlsx", "K30", "phần hai " + said.format("kết quả", "119", "98")),  # members
        ("muong_lam.xlsx", "I7", "phần ba " + said.format("mục tiêu", "trên 70", "50")),
        ("muong_lam.xlsx", "I8", "phần ba " + said.format("mục tiêu", "39,5", "33,0")),  # forest
        ("muong_lam.xlsx", "I15", "phần ba " + said.format("mục tiêu", "dưới 7", "< 10")),
        ("muong_lam.xlsx", "I16", "phần ba " + said.format("mục tiêu", "98", "97")),  # BHYT
        ("muong_lam.xlsx", "I24", "phần ba " + said.format("mục tiêu", "2", "5")),
        ("muong_lam.xlsx", "I25", "phần ba " + said.format("mục tiêu", "50", "80")),
        ("muong_lam.xlsx", "I29", "phần ba " + said.format("mục tiêu", "70", "50")),
    ]


def test_any_pair_of_parsed_columns_can_be_rated():
    """The rule is the same for a yearly result against the 2030 target: `rate` takes the two
    parsed columns to compare, and the words that name them in its reasons."""
    goal, year = Parsed("muc_tieu"), Parsed("nam_2027")
    columns = {"chieu": ["Thấp hơn là tốt"]}
    for parsed, text in ((goal, "< 5"), (year, "4,2")):
        expr = parse_expr(text)
        for part in ("kind", "op", "lo", "hi", "decimals", "quality", "text"):
            columns[getattr(parsed, part)] = [getattr(expr, part)]
    ratings, reasons = rate(pd.DataFrame(columns), goal, year, ("mục tiêu", "năm 2027"))
    assert ratings[0] == "Vượt"
    assert reasons[0] == 'năm 2027 "4,2" vượt ngưỡng mục tiêu "< 5"'


# ---------------------------------------------------------------------------- the printed ratio

NO_RATIO = "không in tỷ lệ đạt: "


@pytest.mark.parametrize(
    ("commune", "dong", "arithmetic", "why"),
    [
        # Biểu 01 row 1, "Thu ngân sách trên địa bàn 5 năm tăng": 122,7 / 10 = 1227,0 %, but the
        # catalogue declares a rate (Tốc độ): a growth of 122,7 % against 10 % is no share done
        (
            "dua_mon",
            3,
            1227.0,
            'chỉ tiêu loại "Tốc độ": kết quả chia cho chỉ tiêu không phải là mức đạt',
        ),
        # row 2: 1 against "1-2" (a range; its lower end 1): 100,0 %; a range has no one figure
        ("dua_mon", 4, 100.0, 'chỉ tiêu là khoảng "1-2"'),
        # row 8: 4-6 against 3-4 (weaker end 4 / lower end 3 = 133,3 %, Đạt): a rate first
        (
            "dua_mon",
            13,
            133.3,
            'chỉ tiêu loại "Tốc độ": kết quả chia cho chỉ tiêu không phải là mức đạt',
        ),
        # row 19's last sub-row: 90 against ">90" is Không đạt; 90 / 90 = 100,0 % reads Đạt
        ("dua_mon", 32, 100.0, '100,0% đọc là "Đạt", trái với đánh giá "Không đạt"'),
        # Biểu 02 row 8, "Giảm tỷ lệ hộ nghèo xuống dưới 12%", printed target 12, result 1,24,
        # lower is better: 12 / 1,24 = 967,7 %: how far under the ceiling, not how much was done
        (
            "muong_lam_cu",
            12,
            967.7,
            'chỉ tiêu là ngưỡng "dưới 12%" (thấp hơn là tốt): kết quả xuống dưới ngưỡng bao nhiêu '
            "không phải là mức đạt",
        ),
    ],
)
def test_the_issues_ratios_that_say_nothing_are_not_printed(seed, commune, dong, arithmetic, why):
    scored = seed[1].scored
    rows = scored[(scored["ma_xa"] == commune) & (scored["_dong"] == dong)]
    assert achievement(rows).tolist() == [arithmetic]
    row = rows.iloc[0]
    assert pd.isna(row["ty_le_dat"])
    assert row["ly_do_khong_ty_le"] == NO_RATIO + why


def test_the_seed_still_prints_the_ratios_that_read_right(seed):
    """Biểu 01: 28 rows, 23 ratios (row 19's second sub-row has no result; rows 1, 2, 8 and
    19's last are above); Biểu 02: 26 rows, 24 ratios (13's qualitative "Đạt" has none; 8 is
    above). Each printed one is a level or a bound, higher or lower is better, read the right
    way, and a row without one says why only where the arithmetic gave one."""
    scored = seed[1].scored
    printed = scored[scored["ty_le_dat"].notna()]
    assert printed.groupby("ma_xa").size().to_dict() == {"dua_mon": 23, "muong_lam_cu": 24}
    assert (printed["ly_do_khong_ty_le"] == "").all()
    assert set(printed["loai_muc_tieu"]) == {"Mức", "Tổng nhiệm kỳ", "Hằng năm"}
    silent = scored[scored["ty_le_dat"].isna() & (scored["ly_do_khong_ty_le"] == "")]
    assert silent["danh_gia_tinh"].tolist() == ["Chưa có số liệu", "Đạt"]  # no number to divide


def ratio_frame(target: str, result: str, rating: str, direction="Cao hơn là tốt", **more):
    frame_ = frame(target, result, direction)
    return frame_.assign(
        ty_le_dat=achievement(frame_),
        danh_gia_chot=rating,
        loai_muc_tieu=more.get("kind", "Mức"),
        chi_tieu=more.get("name", "Chỉ tiêu"),
    )


@pytest.mark.parametrize(
    ("target", "result", "rating", "direction", "more", "printed", "why"),
    [
        ("≥ 90", "95", "Vượt", "Cao hơn là tốt", {}, 105.6, ""),  # 95 / 90
        ("100", "100", "Đạt", "Cao hơn là tốt", {"kind": "Hằng năm"}, 100.0, ""),
        ("≥ 145", "150", "Vượt", "Cao hơn là tốt", {"kind": "Tổng nhiệm kỳ"}, 103.4, ""),
        # a rate: never
        ("10", "12", "Vượt", "Cao hơn là tốt", {"kind": "Tốc độ"}, None, 'chỉ tiêu loại "Tốc độ"'),
        ("90", "4-6", "Không đạt", "Cao hơn là tốt", {}, None, 'kết quả là khoảng "4-6"'),
        ("10", "-2", "Không đạt", "Cao hơn là tốt", {}, None, "chỉ tiêu hoặc kết quả là số âm"),
        # lower is better, a level: the ratio that reads the right way, 60 / 59,46
        ("60", "59,46", "Vượt", "Thấp hơn là tốt", {}, 100.9, ""),
        ("≤ 5", "4", "Vượt", "Thấp hơn là tốt", {}, 125.0, ""),  # 5 / 4
        # a strict ceiling, by its sign or its name's words: none
        ("< 10", "8", "Vượt", "Thấp hơn là tốt", {}, None, 'ngưỡng "< 10"'),
        (
            "10",
            "8",
            "Vượt",
            "Thấp hơn là tốt",
            {"name": "Hộ nghèo dưới 10%"},
            None,
            'ngưỡng "dưới 10%"',
        ),
        # the name's "dưới" names another figure: a level, printed (10 / 8)
        (
            "10",
            "8",
            "Vượt",
            "Thấp hơn là tốt",
            {"name": "Trẻ dưới 5 tuổi suy dinh dưỡng"},
            125.0,
            "",
        ),
        # the band against the rating that stands: 97,02 / 97 prints 100,0, which reads Đạt
        (
            "97",
            "97,02",
            "Vượt",
            "Cao hơn là tốt",
            {},
            None,
            '100,0% đọc là "Đạt", trái với đánh giá "Vượt"',
        ),
        # a published rating kept on purpose stands: 133,3 % against a kept "Đạt" is not printed
        ("30", "40", "Đạt", "Cao hơn là tốt", {}, None, '133,3% đọc là "Vượt"'),
    ],
)
def test_when_a_ratio_is_printed(target, result, rating, direction, more, printed, why):
    row = printed_ratio(ratio_frame(target, result, rating, direction, **more)).iloc[0]
    if printed is None:
        assert pd.isna(row["ty_le_dat"])
        assert row["ly_do_khong_ty_le"].startswith(NO_RATIO) and why in row["ly_do_khong_ty_le"]
    else:
        assert (row["ty_le_dat"], row["ly_do_khong_ty_le"]) == (printed, "")


BAND = {"Vượt": lambda r: r > 100, "Đạt": lambda r: r == 100, "Không đạt": lambda r: r < 100}


def number(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


def test_no_printed_ratio_contradicts_its_rows_rating(seed_output):
    """Scanned: the annex's side column "Tỷ lệ đạt (%)" against the rating that stands beside
    it (the recomputed one where it differs, the published one where kept), chi_tieu.csv's
    `ty_le_dat` against `danh_gia_chot`, and every "đạt X%" of the Word document against the
    rating said right after it; each scan finds its ratios, so that none cannot pass."""
    seen = []
    book = openpyxl.load_workbook(seed_output / "muong_lam" / "bieu_chi_tieu.xlsx")
    for name in ("Biểu 01", "Biểu 02"):
        for row in book[name].iter_rows(min_row=5, values_only=True):
            ratio, published, recomputed, kept = row[7], row[5], row[8], row[10]
            if ratio:
                standing = published if kept == "Có" or not recomputed else recomputed
                seen.append(("xlsx", BAND[standing](number(ratio))))
    with open(seed_output / "muong_lam" / "chi_tieu.csv", encoding="utf-8-sig") as f:
        for line in csv.DictReader(f):
            if line["ty_le_dat"]:
                seen.append(("csv", BAND[line["danh_gia_chot"]](float(line["ty_le_dat"]))))
    words = {"vượt": "Vượt", "đạt": "Đạt", "không đạt": "Không đạt"}
    document = docx.Document(seed_output / "muong_lam" / "bao_cao_chi_tieu.docx")
    # the rating said after the ratio (and after the record's "Diễn giải", where it has one),
    # or the one a rating rated again stands at ("đánh giá lại: Không đạt; Biểu 01 công bố …")
    said_after = re.compile(
        r"đạt ([\d.,]+)%, (?:[^,.]*, )?(?:(vượt|đạt|không đạt) Nghị|đánh giá lại: ([^;]+);)"
    )
    for paragraph in document.paragraphs:
        for ratio, said, again in said_after.findall(paragraph.text):
            seen.append(("docx", BAND[again or words[said]](number(ratio))))
    assert all(agrees for _, agrees in seen)
    assert pd.Series([where for where, _ in seen]).value_counts().to_dict() == {
        "xlsx": 47,
        "csv": 47,
        "docx": 47,
    }


def test_a_target_in_words_has_no_ratio_and_says_nothing_of_one():
    """Lower is better, a target in words, a name with "dưới" and a figure: no number to divide,
    so nothing to say."""
    rows = ratio_frame("Giảm dần", "5", "Không so được", "Thấp hơn là tốt", name="Dưới 5%")
    row = printed_ratio(rows).iloc[0]
    assert pd.isna(row["ty_le_dat"]) and row["ly_do_khong_ty_le"] == ""

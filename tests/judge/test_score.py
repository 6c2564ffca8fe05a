"""Scoring: the seed's computed ratings and tallies, the rules on small cases, and overrides."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.judge import judge
from pipeline.judge.score import achievement, rate
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
        ("muong_lam_cu", "8", 967.7),  # lower is better: 12 / 1,24
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
        "[cảnh báo] raw/son_la/dua_mon.xlsx › Chỉ tiêu: tính lại từ chỉ tiêu và kết quả: 20 chỉ "
        "tiêu: 06 vượt, 09 đạt, 05 không đạt; biểu công bố: 20 chỉ tiêu: 07 vượt, 10 đạt, 03 "
        "không đạt",
        '[cảnh báo] raw/son_la/dua_mon.xlsx › Chỉ tiêu › F9: đánh giá công bố "Vượt" khác đánh '
        'giá tính lại "Không đạt": kết quả "90" kém hơn chỉ tiêu "80" (thấp hơn là tốt)',
        '[cảnh báo] raw/son_la/dua_mon.xlsx › Chỉ tiêu › F13: đánh giá công bố "Vượt" khác đánh '
        'giá tính lại "Đạt": kết quả "4-6" (tính theo đầu dưới 4) nằm trong khoảng chỉ tiêu "3-4"',
        '[cảnh báo] raw/son_la/dua_mon.xlsx › Chỉ tiêu › F20: đánh giá công bố "Đạt" khác đánh '
        'giá tính lại "Vượt": kết quả "15" vượt ngưỡng chỉ tiêu ">3"',
        '[cảnh báo] raw/son_la/dua_mon.xlsx › Chỉ tiêu › F25: đánh giá công bố "Đạt" khác đánh '
        'giá tính lại "Vượt": kết quả "80" tốt hơn chỉ tiêu "60" (cao hơn là tốt)',
        SEED_WARNING,
        '[cảnh báo] raw/son_la/dua_mon.xlsx › Chỉ tiêu › F32: đánh giá công bố "Đạt" khác đánh '
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

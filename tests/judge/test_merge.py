"""The new commune's 2025 baseline: the seed's, by hand, and a made-up province's."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.judge import judge
from pipeline.judge.merge import baselines, gaps, without_change
from pipeline.load import load_record
from pipeline.parse import parse_expr
from pipeline.paths import RAW
from pipeline.prepare import prepare
from pipeline.validate import validate
from tests.conftest import edit


@pytest.fixture(scope="module")
def seed():
    return judge(prepare(load_record(RAW))).baselines.set_index(["nhom", "muc"])


# Population 9.356 (Đứa Mòn) and 6.291 (Mường Lầm), 15.647 in all; area 133,98 and 33,12 km².
SEED_BASELINES = [
    # fruit trees: 350 + 408,2 ha
    ("I", "2", 758.2, "Cộng"),
    # livestock: 15 nghìn con + 6,613 nghìn con (decimal dot, settled in raw/) = 21.613 con
    ("I", "3", 21613.0, "Cộng"),
    # labour in agriculture: (90 × 9.356 + 59,46 × 6.291) / 15.647 = 77,72%
    ("I", "4", 77.7212, "Bình quân theo dân số"),
    # trained labour: (25 × 9.356 + 78 × 6.291) / 15.647 = 46,31%
    ("I", "5", 46.3091, "Bình quân theo dân số"),
    # forest cover: (38 × 133,98 + 36 × 33,12) / 167,10 = 37,60%
    ("I", "6", 37.6036, "Bình quân theo diện tích"),
    # OCOP products: 0 + 0
    ("I", "8", 0.0, "Cộng"),
    # income: (24,8 × 9.356 + 45 × 6.291) / 15.647 = 32,92 triệu đồng
    ("II", "1", 32.9216, "Bình quân theo dân số"),
    # national-standard schools: Đứa Mòn 1 kept + 2 new, Mường Lầm 2 = 5 (Biểu 03: "Duy trì 05")
    ("II", "2", 5.0, "Cộng"),
    # health insurance: (100 × 9.356 + 97 × 6.291) / 15.647 = 98,79%
    ("II", "4", 98.7938, "Bình quân theo dân số"),
    # solid waste collected: (80 × 9.356 + 70 × 6.291) / 15.647 = 75,98%
    ("II", "13", 75.9794, "Bình quân theo dân số"),
    # new party members over the term: 98 + 69
    ("III", "4", 167.0, "Cộng"),
]


@pytest.mark.parametrize(("group", "tt", "value", "rule"), SEED_BASELINES)
def test_seed_baselines(seed, group, tt, value, rule):
    row = seed.loc[(group, tt)]
    assert row["hien_trang_2025"] == pytest.approx(value, abs=1e-4)
    assert (row["cach_gop"], row["ghi_chu_gop"]) == (rule, "")


@pytest.mark.parametrize(
    ("group", "tt", "why"),
    [
        (
            "I",
            "1",
            'xã Đứa Mòn: "Thu ngân sách trên địa bàn 5 năm tăng" (%) có cách gộp "Không gộp" trong '
            "danh mục",
        ),
        (
            "I",
            "7",
            'xã Đứa Mòn: đơn vị "HTX" không quy đổi được sang "Doanh nghiệp, HTX"; xã Mường Lầm: '
            'đơn vị "HTX" không quy đổi được sang "Doanh nghiệp, HTX"',
        ),
        (
            "II",
            "3",
            'xã Đứa Mòn: "Tỷ lệ hộ nghèo giảm bình quân 3%/năm trở lên" (%) có cách gộp '
            '"Không gộp" trong danh mục',
        ),
        ("II", "5", "xã Mường Lầm không có số liệu cho chỉ tiêu này"),
        ("II", "17", "danh mục không ghi chỉ tiêu 2020-2025 nào gộp vào chỉ tiêu này"),
    ],
)
def test_what_cannot_be_merged_says_why(seed, group, tt, why):
    row = seed.loc[(group, tt)]
    assert pd.isna(row["hien_trang_2025"])
    assert row["ghi_chu_gop"] == why


def test_gap_and_yearly_change(seed):
    income = seed.loc[("II", "1")]  # 42 against 32,92: compound (42 / 32,92)^(1/5) − 1
    assert (income["chenh_lech"], income["thay_doi_moi_nam"], income["don_vi_thay_doi"]) == (
        pytest.approx(9.0784, abs=1e-4),
        4.99,
        "%/năm",
    )
    labour = seed.loc[("I", "4")]  # 65 against 77,72: (65 − 77,72) / 5 points a year
    assert (labour["thay_doi_moi_nam"], labour["don_vi_thay_doi"]) == (-2.54, "điểm %/năm")


def test_the_yearly_change_is_what_the_kind_of_target_means(seed):
    # a term total, "≥ 145" new party members over 2025-2030: 145 / 5 = 29 a year, in its unit
    # (not −2,79 %/năm, the compound path from the last term's 167 down to 145)
    members = seed.loc[("III", "4")]
    assert (members["thay_doi_moi_nam"], members["don_vi_thay_doi"]) == (29.0, "Đảng viên/năm")
    assert members["hien_trang_2025"] == 167.0  # the last term's total, shown as it was
    # a target to meet every year ("≥ 95" each year) and a rate (in words here) have none
    for every_year in [("III", "1"), ("III", "2"), ("III", "5"), ("III", "6"), ("III", "8")]:
        assert seed.loc[every_year, "loai_muc_tieu"] == "Hằng năm"
        assert pd.isna(seed.loc[every_year, "thay_doi_moi_nam"])
        assert seed.loc[every_year, "don_vi_thay_doi"] == ""
    assert seed.loc[("III", "7"), "loai_muc_tieu"] == "Tốc độ"
    assert pd.isna(seed.loc[("III", "7"), "thay_doi_moi_nam"])


@pytest.mark.parametrize(
    ("kind", "change", "unit", "why"),
    [
        ("Mức", 1.0, "điểm %/năm", ""),  # (95 − 90) / 5 points a year
        ("Tổng nhiệm kỳ", 19.0, "%/năm", ""),  # 95 / 5, in the unit "%"
        ("Hằng năm", None, "", "chỉ tiêu phải đạt mỗi năm, không có thay đổi cần mỗi năm"),
        ("Tốc độ", None, "", "chỉ tiêu đã là tốc độ mỗi năm, không có thay đổi cần mỗi năm"),
    ],
)
def test_a_kind_without_a_yearly_change_says_why_beside_its_baseline(kind, change, unit, why):
    expr = parse_expr("95")
    line = pd.DataFrame(
        {
            "chieu": ["Cao hơn là tốt"],
            "loai_muc_tieu": [kind],
            "don_vi": ["%"],
            "muc_tieu__kind": [expr.kind],
            "muc_tieu__lo": [expr.lo],
            "muc_tieu__hi": [expr.hi],
            "muc_tieu__decimals": [expr.decimals],
            "hien_trang_2025": [90.0],
            "loai_don_vi": ["Phần trăm"],
            "so_nam": [5.0],
        }
    )
    out = gaps(line)
    if change is None:
        assert pd.isna(out["thay_doi_moi_nam"].item())
    else:
        assert out["thay_doi_moi_nam"].item() == change
    assert out["don_vi_thay_doi"].item() == unit
    assert without_change(out).item() == why


def test_targets_behind_the_baseline_are_findings():
    record = prepare(load_record(RAW))
    lines = [
        p.line()
        for p in judge(record).findings
        if p.sheet == "Mục tiêu" and "phần ba" not in p.noi_dung
    ]
    assert lines == [
        '[phát hiện] raw/son_la/muong_lam.xlsx › Mục tiêu › D5: mục tiêu 2030 "18.000" thấp hơn '
        "mức các xã hợp thành đã đạt năm 2025 (21.613 Con, cộng), trong khi chỉ tiêu này cao hơn "
        "là tốt",
        '[phát hiện] raw/son_la/muong_lam.xlsx › Mục tiêu › D8: mục tiêu 2030 "33,0" thấp hơn mức '
        "các xã hợp thành đã đạt năm 2025 (37,6 %, bình quân theo diện tích), trong khi chỉ tiêu "
        "này cao hơn là tốt",
        '[phát hiện] raw/son_la/muong_lam.xlsx › Mục tiêu › D16: mục tiêu 2030 "97" thấp hơn mức '
        "các xã hợp thành đã đạt năm 2025 (98,79 %, bình quân theo dân số), trong khi chỉ tiêu "
        "này cao hơn là tốt",
        '[phát hiện] raw/son_la/muong_lam.xlsx › Mục tiêu › D34: mục tiêu 2030 "≥ 145" thấp hơn '
        "mức các xã hợp thành đã đạt năm 2025 (167 Đảng viên, cộng), trong khi chỉ tiêu này cao "
        "hơn là tốt",
    ]


# ---------------------------------------------------------------- a province the code never saw


def test_a_made_up_province_is_scored_and_merged(made_up_province):
    record = prepare(load_record(made_up_province))
    problems = validate(record)
    # Châu's item 5 has a rating and no result: the one warning
    assert [p.line() for p in problems] == [
        "[cảnh báo] raw/tinh_thu/chau.xlsx › Chỉ tiêu › E7: chưa có kết quả thực hiện mà có đánh "
        'giá công bố "Đạt": phụ lục in "Đạt" bên ô kết quả trống, đánh giá tính lại là "Chưa có '
        'số liệu"; nếu bản in có kết quả thì ghi vào ô này, nếu bản in cũng để trống thì giữ trống'
    ]
    result = judge(record)
    tally = result.tally.set_index("ma_xa")["cau_tong_hop_tinh"].to_dict()
    assert tally == {
        "an": "4 chỉ tiêu: 02 vượt, 01 đạt, 01 không đạt",  # 1,5 nghìn bò against 2: Không đạt
        "binh": "4 chỉ tiêu: 01 vượt, 01 đạt, 02 không đạt",  # 9% poor against 5-7: Không đạt
        # Châu's item 5 has no result
        "chau": "5 chỉ tiêu: 01 vượt, 02 đạt, 01 không đạt, 01 chưa có số liệu",
        "dong": "4 chỉ tiêu: 03 vượt, 01 đạt, 00 không đạt",
    }
    base = result.baselines.set_index(["ma_xa", "nhom", "muc"])["hien_trang_2025"]
    # income (36 × 1.000 + 40 × 3.000 + 24 × 2.000) / 6.000 = 34
    assert base[("tan_an", "I", "1")] == pytest.approx(34.0)
    # cattle 1,5 nghìn con + 800 con + 1.200 con = 3.500 con
    assert base[("tan_an", "I", "2")] == pytest.approx(3500.0)
    # poor households (8 × 1.000 + 9 × 3.000 + 6 × 2.000) / 6.000 = 7,8333%
    assert base[("tan_an", "II", "1")] == pytest.approx(7.8333, abs=1e-4)
    # forest cover by area (40 × 10,5 + 45 × 20 + 30 × 30) / 60,5 = 36,6942%
    assert base[("tan_an", "II", "2")] == pytest.approx(36.6942, abs=1e-4)
    # Đông kept as it is: its own figures
    assert base[("dong_moi", "I", "1")] == 55.0
    assert base[("dong_moi", "I", "2")] == 300.0
    behind = [(p.xa, p.tt, p.o) for p in result.findings if p.sheet == "Mục tiêu"]
    assert behind == [("dong_moi", "2", "D4"), ("tan_an", "2", "D7")]  # row 7: II.2


@pytest.mark.parametrize(
    ("target", "baseline", "lower", "equal"),
    [
        ("40", 40.10, False, True),  # equal at the target's printed precision
        ("40,0", 40.10, True, False),  # one decimal printed: lower
        ("97", 97.34, False, True),
        ("40", 39.8, False, False),  # better: 40 is above 39,8
        ("45", 40.10, False, False),
        ("< 5", 4.0, True, False),  # lower is better: 4% already reached, "< 5" asks less
        ("< 5", 6.0, False, False),
    ],
)
def test_a_target_not_better_than_the_baseline_is_flagged_equal_or_lower(
    target, baseline, lower, equal
):
    expr = parse_expr(target)
    line = pd.DataFrame(
        {
            "chieu": ["Thấp hơn là tốt" if target.startswith("<") else "Cao hơn là tốt"],
            "muc_tieu__kind": [expr.kind],
            "muc_tieu__lo": [expr.lo],
            "muc_tieu__hi": [expr.hi],
            "muc_tieu__decimals": [expr.decimals],
            "hien_trang_2025": [baseline],
            "loai_don_vi": ["Phần trăm"],
            "so_nam": [5.0],
        }
    )
    out = gaps(line)
    assert (out["muc_tieu_thap_hon_hien_trang"].item(), out["muc_tieu_bang_hien_trang"].item()) == (
        lower,
        equal,
    )


def test_a_reason_is_said_once_however_many_rows_give_it(made_up_province):
    """Three rows of one old commune feeding one mean: the note says so once, not three times."""
    book = made_up_province / "tinh_thu" / "an.xlsx"
    for row in (7, 8):
        for column, value in zip(
            "ABCDEFG", ["", "Thu nhập", "Triệu đồng", "30", "36", "Vượt", "thu_nhap"], strict=True
        ):
            edit(book, "Chỉ tiêu", f"{column}{row}", value)
    lines = judge(prepare(load_record(made_up_province))).baselines.set_index(
        ["ma_xa", "nhom", "muc"]
    )
    note = lines.loc[("tan_an", "I", "1"), "ghi_chu_gop"]
    assert note == "xã An có nhiều dòng gộp vào chỉ tiêu này, không lấy bình quân được"


# ---------------------------------------------------------------- a mean needs every weight

POP_MEANS = [("I", "4"), ("I", "5"), ("II", "1"), ("II", "4"), ("II", "13")]
NO_POPULATION = (
    'xã {} không có dân số lớn hơn 0 ở sheet "Thông tin", không lấy bình quân theo dân số được'
)


@pytest.fixture(scope="module")
def seed_record():
    return prepare(load_record(RAW))


@pytest.mark.parametrize("population", [float("nan"), 0.0, -3.0])
@pytest.mark.parametrize("blank", [["dua_mon"], ["dua_mon", "muong_lam_cu"]], ids=["one", "all"])
def test_a_mean_is_never_taken_over_some_members_only(seed_record, population, blank):
    """On the frames, validation bypassed: a member's population missing, 0 or below empties
    every mean weighted by population, with the reason; the other baselines stay."""
    info = seed_record.info.assign(
        dan_so__so=seed_record.info["dan_so__so"].mask(
            seed_record.info["ma_key"].isin(blank), population
        )
    )
    lines = baselines(
        seed_record.targets,
        seed_record.rows,
        seed_record.members,
        info,
        seed_record.catalogue,
    ).set_index(["nhom", "muc"])
    names = {"dua_mon": "Đứa Mòn", "muong_lam_cu": "Mường Lầm"}
    why = "; ".join(NO_POPULATION.format(names[code]) for code in blank)
    for at in POP_MEANS:
        assert pd.isna(lines.loc[at, "hien_trang_2025"]), at
        assert lines.loc[at, "ghi_chu_gop"] == why
    # every value left is the seed's, over every member: sums and the mean by area
    kept = lines["hien_trang_2025"].dropna()
    assert kept.to_dict() == {
        (group, tt): pytest.approx(value, abs=1e-4)
        for group, tt, value, rule in SEED_BASELINES
        if rule != "Bình quân theo dân số"
    }

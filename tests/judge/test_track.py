"""Each year's result against the path from the 2025 baseline to the 2030 target, on in-memory
frames: a made-up commune's Biểu 03 with baselines set by hand, its results typed year by year,
and every status, needed change and finding worked out by hand in the comments."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.judge.merge import gaps
from pipeline.judge.track import track, track_findings
from pipeline.prepare import prepare_rows, prepare_yearly
from tests import frames

UNITS = [
    {"don_vi": "%", "loai": "Phần trăm", "so_nguyen": "Không"},
    {"don_vi": "Triệu đồng", "loai": "Số lượng", "so_nguyen": "Không"},
    {"don_vi": "ha", "loai": "Số lượng", "so_nguyen": "Không"},
    {"don_vi": "Đạt", "loai": "Định tính", "so_nguyen": "Không"},
]
INDICATORS = [
    {"ma_chi_tieu": "rung", "ten_chi_tieu": "Che phủ rừng", "chieu": "Cao hơn là tốt"},
    {"ma_chi_tieu": "thu_nhap", "ten_chi_tieu": "Thu nhập", "chieu": "Cao hơn là tốt"},
    {"ma_chi_tieu": "ho_ngheo", "ten_chi_tieu": "Hộ nghèo", "chieu": "Thấp hơn là tốt"},
    {"ma_chi_tieu": "ntm", "ten_chi_tieu": "Nông thôn mới", "chieu": "Định tính"},
    {"ma_chi_tieu": "cay", "ten_chi_tieu": "Cây ăn quả", "chieu": "Cao hơn là tốt"},
    {"ma_chi_tieu": "nuoc", "ten_chi_tieu": "Nước sạch", "chieu": "Cao hơn là tốt"},
]
for indicator in INDICATORS:
    indicator["cach_gop"] = "Không gộp"

# Biểu 03, with the 2025 baseline each row is given by hand (None: none could be merged)
TARGETS = [
    ({"tt": "I", "chi_tieu": "Kinh tế"}, None),
    ({"tt": "1", "chi_tieu": "Che phủ rừng", "don_vi": "%", "muc_tieu": "45"}, 40.0),
    ({"tt": "2", "chi_tieu": "Thu nhập", "don_vi": "Triệu đồng", "muc_tieu": "50"}, 32.0),
    ({"tt": "II", "chi_tieu": "Xã hội"}, None),
    ({"tt": "1", "chi_tieu": "Hộ nghèo", "don_vi": "%", "muc_tieu": "< 10"}, None),
    ({"tt": "2", "chi_tieu": "Nông thôn mới", "don_vi": "Đạt", "muc_tieu": "Đạt"}, None),
    ({"tt": "3", "chi_tieu": "Cây ăn quả", "don_vi": "ha", "muc_tieu": "Duy trì 758 ha"}, 758.2),
    ({"tt": "4", "chi_tieu": "Nước sạch", "don_vi": "%", "muc_tieu": "60"}, 40.0),
]
CODES = {"1": "rung", "2": "thu_nhap"}  # group I by code; group II's rows by their TT
CODES_II = {"1": "ho_ngheo", "2": "ntm", "3": "cay", "4": "nuoc"}

YEARLY = [
    {"tt": "I", "chi_tieu": "Kinh tế"},
    # forest cover, %: 40 → 45 in five years, 1 point a year: 41, 42, 43, 44, 45
    # 2026 41 = 41: on track; 2027 43,5 > 42: ahead; 2028 42 < 43: behind, and below 2027's
    # 43,5 (a result that went backwards); 2029 46 ≥ 45: the 2030 target reached; 2030 44,8 <
    # 45: behind, below 2029's 46, and the target missed at the end of the term
    {
        "tt": "",
        "ma_chi_tieu": "rung",
        "years": {2026: "41", 2027: "43,5", 2028: "42", 2029: "46", 2030: "44,8"},
    },
    # income, triệu đồng: 32 → 50 compound, (50 / 32)^(1/5) = 1,0934: 9,34 %/năm planned;
    # 2026 32 × 1,0934 = 34,99: 35 equals it as printed (no decimals): on track; 2027
    # 32 × 1,0934² = 38,25: 33 is behind, and below 2026's 35. Latest result 33 in 2027: the
    # target needs (50 / 33)^(1/3) − 1 = 14,86 %/năm from now on, against 9,34 planned
    {"tt": "2", "ma_chi_tieu": "thu_nhap", "years": {2026: "35", 2027: "33"}},
    {"tt": "II", "chi_tieu": "Xã hội"},
    # poverty, lower is better, "< 10" with no baseline: tracked against the target alone;
    # 12 and 10 do not pass below 10 (not yet reached, no path to say how late); 9,5 reaches it
    {"tt": "1", "years": {2026: "12", 2027: "10", 2028: "9,5"}},
    # the new-countryside standard, "Đạt": Không đạt, then Đạt (reached), then Không đạt again
    # (lost: a result that went backwards)
    {"tt": "2", "years": {2026: "Không đạt", 2027: "Đạt", 2028: "Không đạt"}},
    # a target in words: typed results are kept, but cannot be tracked
    {"tt": "3", "years": {2026: "770"}},
    # clean water, %: 40 → 60, 4 points a year: 44, 48, 52, 56, 60; 2026 53 > 44 is ahead,
    # and past even 2028's point (52): more than two years of the path ahead
    {"tt": "4", "years": {2026: "53"}},
]


@pytest.fixture(scope="module")
def lines() -> pd.DataFrame:
    catalogue = frames.catalogue(INDICATORS, UNITS)
    rows = [
        {
            **row,
            "ma_chi_tieu": (CODES if i < 3 else CODES_II).get(row["tt"], "")
            if "don_vi" in row
            else "",
        }
        for i, (row, _) in enumerate(TARGETS)
    ]
    targets = prepare_rows(frames.target_rows(rows), catalogue, ("muc_tieu", "mt_phan_ba"))
    items = targets[targets["loai_dong"] != "nhóm"]
    base = [b for row, b in TARGETS if "don_vi" in row]
    baselines = gaps(
        items.assign(
            chieu=catalogue.of_indicator(items["ma_key"], "chieu"),
            hien_trang_2025=base,
            so_nam=5.0,
            ghi_chu_gop=["" if b is not None else "không gộp được" for b in base],
        )
    )
    yearly = prepare_yearly(frames.yearly_rows(YEARLY), targets, catalogue)
    return track(baselines, yearly, frames.new_commune_info())


def statuses(lines: pd.DataFrame, group: str, tt: str) -> list[str]:
    row = lines[(lines["nhom"] == group) & (lines["muc"] == tt)].sort_values("nam")
    return row["trang_thai"].tolist()


def test_each_year_against_its_point_on_a_straight_path_for_a_percentage(lines):
    assert statuses(lines, "I", "1") == [
        "Đúng tiến độ",
        "Vượt tiến độ",
        "Chậm tiến độ",
        "Đã đạt mục tiêu 2030",
        "Chậm tiến độ",
    ]
    forest = lines[(lines["nhom"] == "I") & (lines["muc"] == "1")]
    assert forest["lo_trinh"].round(4).tolist() == [41, 42, 43, 44, 45]
    assert forest["thay_doi_moi_nam"].unique().tolist() == [1.0]
    assert forest.loc[forest["nam"] == 2027, "ly_do"].item() == (
        'kết quả "43,5" tốt hơn lộ trình năm 2027 "42" (cao hơn là tốt)'
    )


def test_an_amount_follows_the_compound_path_and_says_what_it_now_needs(lines):
    income = lines[(lines["nhom"] == "I") & (lines["muc"] == "2")].set_index("nam")
    assert income["trang_thai"].tolist() == [
        "Đúng tiến độ",
        "Chậm tiến độ",
        "Chưa có số liệu",
        "Chưa có số liệu",
        "Chưa có số liệu",
    ]
    assert income["lo_trinh"].round(2).tolist() == [34.99, 38.25, 41.83, 45.73, 50.0]
    assert income.at[2027, "thay_doi_moi_nam"] == 9.34
    assert income.at[2027, "thay_doi_can"] == 14.86
    assert income.at[2027, "don_vi_thay_doi"] == "%/năm"
    assert income["thay_doi_can"].drop(2027).isna().all()  # on the latest result's line only


def gaps_of(lines: pd.DataFrame, group: str, tt: str) -> list[tuple[float, float]]:
    row = lines[(lines["nhom"] == group) & (lines["muc"] == tt)].sort_values("nam")
    return list(zip(row["chenh_lo_trinh"].round(2), row["nam_chenh"].round(2), strict=True))


def test_each_result_is_so_far_from_its_point_in_its_unit_and_in_years_of_the_path(lines):
    # forest cover, 1 point a year (41, 42, 43, 44, 45): 2026 41 on track: 0; 2027 43,5 − 42 =
    # +1,5, the path's 1 point of 2027 → 1,5 years ahead; 2028 42 − 43 = −1: a year behind;
    # 2029 46 − 44 = +2 (the target already reached); 2030 44,8 − 45 = −0,2
    assert gaps_of(lines, "I", "1") == [(0, 0), (1.5, 1.5), (-1, -1), (2, 2), (-0.2, -0.2)]
    # income, compound: 2026 35 equals 34,99 as printed: 0; 2027 33 − 32 × 1,0934² (38,2541)
    # = −5,25, the path's change of 2027 38,2541 − 34,9876 = 3,2665 → 5,2541 / 3,2665 = 1,61
    # years behind; no result after 2027: no gap
    income = gaps_of(lines, "I", "2")
    assert income[:2] == [(0, 0), (-5.25, -1.61)]
    assert all(pd.isna(g) and pd.isna(y) for g, y in income[2:])
    # clean water, 4 points a year: 2026 53 − 44 = +9: 2,25 years ahead
    assert gaps_of(lines, "II", "4")[0] == (9, 2.25)
    # poverty has no path (no baseline), the new-countryside standard is "Đạt": no gap at all
    for tt in ("1", "2"):
        assert (
            lines.loc[(lines["nhom"] == "II") & (lines["muc"] == tt), "chenh_lo_trinh"].isna().all()
        )


def test_a_target_without_a_baseline_is_tracked_against_the_target_alone(lines):
    assert statuses(lines, "II", "1")[:3] == [
        "Chưa đạt mục tiêu 2030",
        "Chưa đạt mục tiêu 2030",
        "Đã đạt mục tiêu 2030",
    ]
    poverty = lines[(lines["nhom"] == "II") & (lines["muc"] == "1")].set_index("nam")
    assert poverty.at[2026, "ly_do"] == (
        'kết quả "12" chưa vượt ngưỡng mục tiêu 2030 "< 10" như lời chỉ tiêu đòi hỏi; không '
        "có lộ trình vì chưa có hiện trạng 2025: không gộp được"
    )
    assert poverty["lo_trinh"].isna().all()
    assert statuses(lines, "II", "2")[:3] == [
        "Chưa đạt mục tiêu 2030",
        "Đã đạt mục tiêu 2030",
        "Chưa đạt mục tiêu 2030",
    ]


def test_a_target_in_words_cannot_be_tracked_and_says_why(lines):
    fruit = lines[(lines["nhom"] == "II") & (lines["muc"] == "3")]
    assert set(fruit["trang_thai"]) == {"Không theo dõi được"}
    assert set(fruit["ly_do"]) == {
        'mục tiêu 2030 "Duy trì 758 ha" ghi bằng lời, không so được với kết quả từng năm'
    }
    assert fruit["ket_qua__text"].tolist()[0] == "770"


def test_findings_point_at_the_result_cell(lines):
    found = [(p.o, p.loai, p.noi_dung) for p in track_findings(lines)]
    assert sorted(found) == sorted(
        [
            (
                "E3",
                "kết quả lùi",
                'kết quả năm 2028 "42" kém hơn năm 2027 ("43,5"), trong khi chỉ tiêu này cao '
                "hơn là tốt",
            ),
            (
                "G3",
                "kết quả lùi",
                'kết quả năm 2030 "44,8" kém hơn năm 2029 ("46"), trong khi chỉ tiêu này cao '
                "hơn là tốt",
            ),
            (
                "G3",
                "lỡ mục tiêu 2030",
                'hết nhiệm kỳ mà chưa đạt mục tiêu: kết quả "44,8" kém hơn mục tiêu 2030 "45" '
                "(cao hơn là tốt)",
            ),
            (
                "D4",
                "kết quả lùi",
                'kết quả năm 2027 "33" kém hơn năm 2026 ("35"), trong khi chỉ tiêu này cao hơn '
                "là tốt",
            ),
            ("E7", "kết quả lùi", 'kết quả năm 2028 "Không đạt", trong khi năm 2027 đã "Đạt"'),
            (
                "C9",
                "lệch lộ trình",
                'kết quả năm 2026 "53" nhanh hơn lộ trình quá 2 năm: lộ trình năm 2026 là 44 %, '
                "kết quả này đã vượt mức lộ trình của năm 2028 (52 %); xem lại số liệu, hoặc mục "
                "tiêu 2030 có đặt thấp không",
            ),
        ]
    )


def test_years_after_the_latest_reported_have_no_status():
    catalogue = frames.catalogue(INDICATORS, UNITS)
    targets = prepare_rows(
        frames.target_rows(
            [
                {
                    "tt": "1",
                    "chi_tieu": "Rừng",
                    "don_vi": "%",
                    "muc_tieu": "45",
                    "ma_chi_tieu": "rung",
                }
            ]
        ),
        catalogue,
        ("muc_tieu", "mt_phan_ba"),
    )
    baselines = gaps(targets.assign(chieu="Cao hơn là tốt", hien_trang_2025=40.0, so_nam=5.0))
    yearly = prepare_yearly(
        frames.yearly_rows([{"tt": "1", "years": {2026: "41"}}]), targets, catalogue
    )
    lines = track(baselines.assign(ghi_chu_gop=""), yearly, frames.new_commune_info())
    assert lines["trang_thai"].tolist() == ["Đúng tiến độ", "", "", "", ""]
    assert lines["nam_bao_cao"].unique().tolist() == [2026]
    # from 41 in 2026 to 45 in 2030: 1 point a year, as planned
    assert lines["thay_doi_can"].tolist()[0] == 1.0


def test_a_commune_without_results_is_not_tracked():
    catalogue = frames.catalogue(INDICATORS, UNITS)
    targets = prepare_rows(
        frames.target_rows([{"tt": "1", "chi_tieu": "Rừng", "don_vi": "%", "muc_tieu": "45"}]),
        catalogue,
        ("muc_tieu", "mt_phan_ba"),
    )
    baselines = gaps(targets.assign(chieu="Cao hơn là tốt", hien_trang_2025=40.0, so_nam=5.0))
    yearly = prepare_yearly(frames.yearly_rows([{"tt": "1"}]), targets, catalogue)
    lines = track(baselines.assign(ghi_chu_gop=""), yearly, frames.new_commune_info())
    assert lines.empty and track_findings(lines) == []


# ---------------------------------------------------------------------------- the seed

# (group, TT, year, status, yearly change now needed): tests/yearly.py works each out by hand
SEED = [
    ("I", "2", 2026, "Không theo dõi được", None),
    ("I", "3", 2026, "Đã đạt mục tiêu 2030", None),
    ("I", "3", 2027, "Chưa có số liệu", None),
    ("I", "4", 2026, "Đúng tiến độ", None),
    ("I", "4", 2027, "Vượt tiến độ", -2.5),
    ("I", "5", 2026, "Đúng tiến độ", None),
    ("I", "5", 2027, "Chậm tiến độ", 2.0),
    ("I", "6", 2026, "Đã đạt mục tiêu 2030", None),
    ("I", "6", 2027, "Đã đạt mục tiêu 2030", None),
    ("I", "8", 2026, "Chưa đạt mục tiêu 2030", 31.61),
    ("II", "1", 2026, "Vượt tiến độ", None),
    ("II", "1", 2027, "Chậm tiến độ", 5.76),
    ("II", "3", 2026, "Chưa đạt mục tiêu 2030", None),
    ("II", "3", 2027, "Đã đạt mục tiêu 2030", None),
    ("II", "4", 2026, "Đã đạt mục tiêu 2030", None),
    ("II", "4", 2027, "Đã đạt mục tiêu 2030", None),
    ("II", "6", 2027, "Chưa đạt mục tiêu 2030", 4.26),
    ("II", "13", 2026, "Chưa có số liệu", None),
    ("II", "13", 2027, "Chậm tiến độ", 1.0),
    ("III", "4", 2027, "Chưa có số liệu", None),
]


@pytest.fixture(scope="module")
def seed_lines(tracked_raw) -> pd.DataFrame:
    from pipeline.judge import judge
    from pipeline.load import load_record
    from pipeline.prepare import prepare

    lines = judge(prepare(load_record(tracked_raw))).tracking
    return lines.set_index(["nhom", "muc", "nam"]).sort_index()


@pytest.mark.parametrize(("group", "tt", "year", "status", "needed"), SEED)
def test_the_seed_record_gets_its_statuses_and_needed_changes(
    seed_lines, group, tt, year, status, needed
):
    line = seed_lines.loc[(group, tt, year)]
    assert line["trang_thai"] == status
    if needed is None:
        assert pd.isna(line["thay_doi_can"])
    else:
        assert line["thay_doi_can"] == needed


def test_the_seed_record_plans_as_biểu_03_does_and_reports_up_to_2027(seed_lines):
    income = seed_lines.loc[("II", "1")]
    assert income["thay_doi_moi_nam"].unique().tolist() == [4.99]  # (42 / 32,92)^(1/5) − 1
    assert income["lo_trinh"].round(2).tolist()[:2] == [34.56, 36.29]
    assert set(seed_lines["nam_bao_cao"]) == {2027}
    assert set(seed_lines.loc[seed_lines.index.get_level_values("nam") > 2027, "trang_thai"]) == {
        ""
    }


# the seed record's latest gaps (tests/yearly.py): (group, TT, gap in the unit, in years)
SEED_GAPS = [
    # labour in agriculture, lower is better: 72,5 below 2027's point 72,6327 is better by
    # +0,13; the path falls 2,5442 points in 2027 (75,1770 → 72,6327): 0,1327 / 2,5442 = 0,05
    ("I", "4", 0.13, 0.05),
    # trained labour: 44 − 47,7855 = −3,79; 2027's step 47,7855 − 47,0473 = 0,7382: −5,13
    ("I", "5", -3.79, -5.13),
    # income: 35,5 − 36,2901 = −0,79; 2027's step 36,2901 − 34,5648 = 1,7253: −0,46
    ("II", "1", -0.79, -0.46),
    # waste collected: 77 − 77,5876 = −0,59; 2027's step 77,5876 − 76,7835 = 0,8041: −0,73
    ("II", "13", -0.59, -0.73),
    # forest cover, a target (33,0) below the 2025 baseline (37,60): the path falls, the
    # result 38,1 is 2,34 above 2027's point 35,7622, but the path plans no way forward
    ("I", "6", 2.34, None),
]


@pytest.mark.parametrize(("group", "tt", "gap", "years"), SEED_GAPS)
def test_the_seed_record_says_how_far_each_latest_result_is_from_its_path(
    seed_lines, group, tt, gap, years
):
    line = seed_lines.loc[(group, tt, 2027)]
    assert round(line["chenh_lo_trinh"], 2) == gap
    if years is None:
        assert pd.isna(line["nam_chenh"])
    else:
        assert round(line["nam_chenh"], 2) == years

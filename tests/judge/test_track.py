"""Each year's result against the path from the 2025 baseline to the 2030 target, on in-memory
frames: a made-up commune's Biểu 03 with baselines set by hand, its results typed year by year,
and every status, needed change and finding worked out by hand in the comments."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.judge.findings import track_findings
from pipeline.judge.merge import gaps
from pipeline.judge.track import _results, _tracked, track, years_off
from pipeline.prepare import prepare_rows, prepare_yearly
from tests import frames

UNITS = [
    {"don_vi": "%", "loai": "Phần trăm", "so_nguyen": "Không"},
    {"don_vi": "Triệu đồng", "loai": "Số lượng", "so_nguyen": "Không"},
    {"don_vi": "ha", "loai": "Số lượng", "so_nguyen": "Không"},
    {"don_vi": "Đạt", "loai": "Định tính", "so_nguyen": "Không"},
    {"don_vi": "Đảng viên", "loai": "Số lượng", "so_nguyen": "Có"},
]
INDICATORS = [
    {"ma_chi_tieu": "rung", "ten_chi_tieu": "Che phủ rừng", "chieu": "Cao hơn là tốt"},
    {"ma_chi_tieu": "thu_nhap", "ten_chi_tieu": "Thu nhập", "chieu": "Cao hơn là tốt"},
    {"ma_chi_tieu": "ho_ngheo", "ten_chi_tieu": "Hộ nghèo", "chieu": "Thấp hơn là tốt"},
    {"ma_chi_tieu": "ntm", "ten_chi_tieu": "Nông thôn mới", "chieu": "Định tính"},
    {"ma_chi_tieu": "cay", "ten_chi_tieu": "Cây ăn quả", "chieu": "Cao hơn là tốt"},
    {"ma_chi_tieu": "nuoc", "ten_chi_tieu": "Nước sạch", "chieu": "Cao hơn là tốt"},
    # the kinds of target other than a level (pipeline/judge/kinds.py), and a level set below
    # its baseline
    {
        "ma_chi_tieu": "dang_vien",
        "ten_chi_tieu": "Kết nạp đảng viên",
        "chieu": "Cao hơn là tốt",
        "loai_muc_tieu": "Tổng nhiệm kỳ",
    },
    {
        "ma_chi_tieu": "to_chuc",
        "ten_chi_tieu": "Tổ chức hoàn thành tốt nhiệm vụ",
        "chieu": "Cao hơn là tốt",
        "loai_muc_tieu": "Hằng năm",
    },
    {
        "ma_chi_tieu": "thu_tang",
        "ten_chi_tieu": "Thu ngân sách tăng bình quân",
        "chieu": "Cao hơn là tốt",
        "loai_muc_tieu": "Tốc độ",
    },
    {"ma_chi_tieu": "bhyt", "ten_chi_tieu": "BHYT", "chieu": "Cao hơn là tốt"},
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
    ({"tt": "III", "chi_tieu": "Các loại mục tiêu"}, None),
    # a term total: 167 admitted over the last term (the baseline a term total's annex shows)
    ({"tt": "1", "chi_tieu": "Đảng viên", "don_vi": "Đảng viên", "muc_tieu": "≥ 145"}, 167.0),
    ({"tt": "2", "chi_tieu": "Tổ chức HTTNV", "don_vi": "%", "muc_tieu": "≥ 95"}, None),
    ({"tt": "3", "chi_tieu": "Thu ngân sách tăng", "don_vi": "%", "muc_tieu": "≥ 10"}, None),
    ({"tt": "4", "chi_tieu": "BHYT", "don_vi": "%", "muc_tieu": "97"}, 98.79),
]
# each group's rows by their TT
CODES = {
    "I": {"1": "rung", "2": "thu_nhap"},
    "II": {"1": "ho_ngheo", "2": "ntm", "3": "cay", "4": "nuoc"},
    "III": {"1": "dang_vien", "2": "to_chuc", "3": "thu_tang", "4": "bhyt"},
}

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
    {"tt": "III", "chi_tieu": "Các loại mục tiêu"},
    # a term total, "≥ 145" new members over 2025-2030: 145 / 5 = 29 a year (Biểu 03's yearly
    # change, in the unit: 29 Đảng viên/năm); the path is the target spread, 29, 58, 87, 116,
    # 145, and a year is judged by the running total, 30, 58, 93: 2026 30 ≥ 29 ahead, 2027 58
    # on the path, 2028 93 > 87 ahead. 28 after 30 is no step back (years add up). Still
    # needed after 2028: (145 − 93) / 2 = 26 a year. The 167 of the last term is not where the
    # path starts (the path of a term total starts at 0)
    {"tt": "1", "years": {2026: "30", 2027: "28", 2028: "35"}},
    # a target to meet every year, "≥ 95" each year: 2026 93 misses it, lost for good for 2026
    # (a finding); 2027 96 is better than the year's target, 2028 95 meets it, yet the row
    # stands at 2026's miss in every later year; 95 after 96 is a step back (as for a level).
    # No yearly change, none needed: the target is each year's
    {"tt": "2", "years": {2026: "93", 2027: "96", 2028: "95"}},
    # a rate, "≥ 10" %/năm: 2026 12 better, 2027 9 behind (not lost: a rate is an average),
    # 2028 10 meets it; 9 after 12 is no step back (each year is a change); no path drawn from
    # a baseline, no change needed
    {"tt": "3", "years": {2026: "12", 2027: "9", 2028: "10"}},
    # a level set below its baseline, 98,79 → 97: −0,358 points a year planned, so 98,5 in
    # 2026 (under 98,79) is no step back, and it already meets 97: reached. 95 in 2028 falls
    # short of the target itself: behind its point 98,79 − 0,358 × 3 = 97,72, and off the
    # path: on the path drawn on, 95 is (98,79 − 95) / 0,358 = 10,59 years from 2025, 7,59
    # years of planned change behind 2028 (3 years gone). It now needs (97 − 95) / 2 = 1 point
    # a year
    {"tt": "4", "years": {2026: "98,5", 2028: "95"}},
]


@pytest.fixture(scope="module")
def lines() -> pd.DataFrame:
    catalogue = frames.catalogue(INDICATORS, UNITS)
    rows, group = [], ""
    for row, _ in TARGETS:
        group = row["tt"] if "don_vi" not in row else group
        rows.append({**row, "ma_chi_tieu": CODES[group][row["tt"]] if "don_vi" in row else ""})
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
                "không đạt mục tiêu 2030",
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
            # the kinds (group III): a year of a target to meet every year missed, and a step
            # back within it; none for the term total's 28 nor the rate's 9, none for the
            # planned decline to 98,5; the 95 short of a target set below its baseline
            (
                "C12",
                "không đạt mục tiêu năm",
                "mục tiêu phải đạt hằng năm mà năm 2026 không đạt, năm sau đạt cũng không bù "
                'được: kết quả "93" kém hơn mục tiêu năm 2026 "≥ 95" (cao hơn là tốt)',
            ),
            (
                "E12",
                "kết quả lùi",
                'kết quả năm 2028 "95" kém hơn năm 2027 ("96"), trong khi chỉ tiêu này cao hơn '
                "là tốt",
            ),
            (
                "E14",
                "lệch lộ trình",
                'kết quả năm 2028 "95" chưa đạt cả mục tiêu 2030: kết quả "95" kém hơn mục tiêu '
                '2030 "97" (cao hơn là tốt); mục tiêu này đã đặt thấp hơn hiện trạng 2025 (98,79 '
                "%), kết quả chậm khoảng 7,6 năm thay đổi theo kế hoạch so với lộ trình năm 2028 "
                "(97,72 %)",
            ),
        ]
    )


def lines_of(lines: pd.DataFrame, tt: str) -> pd.DataFrame:
    return lines[(lines["nhom"] == "III") & (lines["muc"] == tt)].set_index("nam")


def test_a_term_total_is_judged_by_its_running_total_against_the_target_spread(lines):
    members = lines_of(lines, "1")
    assert members["lo_trinh"].tolist() == [29, 58, 87, 116, 145]
    assert members["lo_trinh_dau"].unique().tolist() == [0]  # not the last term's 167
    assert members["ket_qua__text"].tolist()[:3] == ["30", "28", "35"]  # as typed
    assert members["gia_tri"].tolist()[:3] == [30, 58, 93]
    assert members["trang_thai"].tolist()[:3] == ["Vượt tiến độ", "Đúng tiến độ", "Vượt tiến độ"]
    assert members.at[2027, "ly_do"] == 'kết quả cộng dồn "58" bằng lộ trình năm 2027 "58"'
    assert members.at[2028, "ly_do"] == (
        'kết quả cộng dồn "93" tốt hơn lộ trình năm 2028 "87" (cao hơn là tốt)'
    )
    assert members["thay_doi_moi_nam"].unique().tolist() == [29]
    assert members["don_vi_thay_doi"].unique().tolist() == ["Đảng viên/năm"]
    assert members.at[2028, "thay_doi_can"] == 26  # (145 − 93) / 2
    assert members["thay_doi_can"].drop(2028).isna().all()


def test_a_term_total_with_a_year_missing_has_no_running_total_after_it():
    catalogue = frames.catalogue(INDICATORS, UNITS)
    row = {"tt": "1", "chi_tieu": "Đảng viên", "don_vi": "Đảng viên", "muc_tieu": "≥ 145"}
    targets = prepare_rows(
        frames.target_rows([{**row, "ma_chi_tieu": "dang_vien"}]),
        catalogue,
        ("muc_tieu", "mt_phan_ba"),
    )
    baselines = gaps(targets.assign(chieu="Cao hơn là tốt", hien_trang_2025=167.0, so_nam=5.0))
    yearly = prepare_yearly(
        frames.yearly_rows([{"tt": "1", "years": {2026: "30", 2028: "35"}}]), targets, catalogue
    )
    lines = track(baselines.assign(ghi_chu_gop=""), yearly, frames.new_commune_info())
    assert lines["trang_thai"].tolist()[:3] == [
        "Vượt tiến độ",
        "Chưa có số liệu",
        "Chưa có số liệu",
    ]
    assert lines["ly_do"].tolist()[1:3] == [
        "chưa có kết quả năm 2027",
        "chưa cộng dồn được: năm 2027 chưa có kết quả bằng số",
    ]
    assert lines["gia_tri"].isna().tolist() == [False, True, True, True, True]


@pytest.mark.parametrize(
    "years, expected",
    [
        # forest fires over 2025-2030, "≤ 10", lower is better: a cap spread over the term, 2, 4,
        # 6, 8, 10. Running totals 3, 7, 7: each worse than its point (3 > 2, 7 > 4, 7 > 6), so
        # behind, and never "reached" before the term ends, though each is under 10. After 2028,
        # at most (10 − 7) / 2 = 1,5 a year is left
        (
            {2026: "3", 2027: "4", 2028: "0"},
            (
                ["Chậm tiến độ"] * 3,
                1.5,
                'kết quả cộng dồn "7" kém hơn lộ trình năm 2028 "6" (thấp hơn là tốt)',
            ),
        ),
        # 3, 7, 12: past the cap in 2028, and a running total never comes back under it: no
        # change is needed (none would help), and the reason says so
        (
            {2026: "3", 2027: "4", 2028: "5"},
            (
                ["Chậm tiến độ"] * 3,
                None,
                'tổng cộng dồn "12" đã quá mức cả nhiệm kỳ "≤ 10": không còn đạt được trong '
                "nhiệm kỳ",
            ),
        ),
    ],
)
def test_a_term_total_where_lower_is_better_is_a_cap_reached_only_at_the_end(years, expected):
    statuses, needed, said = expected
    catalogue = frames.catalogue(
        [
            {
                "ma_chi_tieu": "chay_rung",
                "ten_chi_tieu": "Số vụ cháy rừng",
                "chieu": "Thấp hơn là tốt",
                "cach_gop": "Cộng",
                "loai_muc_tieu": "Tổng nhiệm kỳ",
            }
        ],
        UNITS,
    )
    row = {"tt": "1", "chi_tieu": "Số vụ cháy rừng", "don_vi": "Đảng viên", "muc_tieu": "≤ 10"}
    targets = prepare_rows(
        frames.target_rows([{**row, "ma_chi_tieu": "chay_rung"}]),
        catalogue,
        ("muc_tieu", "mt_phan_ba"),
    )
    baselines = gaps(targets.assign(chieu="Thấp hơn là tốt", hien_trang_2025=None, so_nam=5.0))
    yearly = prepare_yearly(frames.yearly_rows([{"tt": "1", "years": years}]), targets, catalogue)
    lines = track(baselines.assign(ghi_chu_gop=""), yearly, frames.new_commune_info())
    assert lines["lo_trinh"].tolist() == [2, 4, 6, 8, 10]
    assert lines["trang_thai"].tolist()[:3] == statuses
    assert lines["ly_do"].iloc[2] == said
    latest = lines["thay_doi_can"].iloc[2]
    assert pd.isna(latest) if needed is None else latest == needed, latest


def test_a_year_missing_a_target_to_meet_every_year_is_lost_for_good(lines):
    rated = lines_of(lines, "2")
    assert rated["lo_trinh"].unique().tolist() == [95]  # the target itself, each year
    assert rated["trang_thai"].tolist()[:3] == [
        "Không đạt mục tiêu năm",
        "Vượt tiến độ",
        "Đúng tiến độ",
    ]
    # where the row stands: a good year does not undo 2026
    assert set(rated["trang_thai_den_nay"]) == {"Không đạt mục tiêu năm"}
    assert rated.at[2027, "ly_do"] == (
        'kết quả "96" tốt hơn mục tiêu năm 2027 "≥ 95" (cao hơn là tốt); năm 2026 đã không '
        "đạt mục tiêu năm"
    )
    assert rated[["thay_doi_moi_nam", "thay_doi_can"]].isna().all().all()
    assert set(rated["don_vi_thay_doi"]) == {""}


def test_a_rate_is_judged_each_year_against_the_target_rate(lines):
    rate = lines_of(lines, "3")
    assert rate["lo_trinh"].unique().tolist() == [10]  # no compound path
    assert rate["trang_thai"].tolist()[:3] == ["Vượt tiến độ", "Chậm tiến độ", "Đúng tiến độ"]
    assert rate["trang_thai_den_nay"].tolist() == rate["trang_thai"].tolist()  # not lost
    assert rate.at[2027, "ly_do"] == (
        'kết quả "9" kém hơn mục tiêu năm 2027 "≥ 10" (cao hơn là tốt)'
    )
    assert rate[["thay_doi_moi_nam", "thay_doi_can"]].isna().all().all()


def test_a_target_below_its_baseline_is_tracked_in_its_better_direction(lines):
    insurance = lines_of(lines, "4")
    assert insurance["lo_trinh"].round(2).tolist() == [98.43, 98.07, 97.72, 97.36, 97.0]
    assert insurance.at[2026, "trang_thai"] == "Đã đạt mục tiêu 2030"
    assert insurance.at[2028, "trang_thai"] == "Chậm tiến độ"
    assert insurance.at[2028, "thay_doi_can"] == 1.0  # (97 − 95) / 2
    assert years_off(insurance.reset_index()).round(2).tolist()[2] == 7.59


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


def without_results() -> tuple:
    """A forest target of 45 % from 40 % and a sheet of results year by year with no result:
    its baselines (as the merge gives them) and its results, prepared."""
    catalogue = frames.catalogue(INDICATORS, UNITS)
    targets = prepare_rows(
        frames.target_rows([{"tt": "1", "chi_tieu": "Rừng", "don_vi": "%", "muc_tieu": "45"}]),
        catalogue,
        ("muc_tieu", "mt_phan_ba"),
    )
    baselines = gaps(targets.assign(chieu="Cao hơn là tốt", hien_trang_2025=40.0, so_nam=5.0))
    yearly = prepare_yearly(frames.yearly_rows([{"tt": "1"}]), targets, catalogue)
    return baselines.assign(ghi_chu_gop=""), yearly


def test_a_commune_without_results_is_not_tracked():
    baselines, yearly = without_results()
    lines = track(baselines, yearly, frames.new_commune_info())
    assert lines.empty and track_findings(lines) == []


def test_the_lines_of_a_record_without_results_are_the_full_paths_and_each_a_copy():
    """A record without results takes its empty lines made once per shape of its inputs: the
    columns, order and types the full path gives, and a frame of its own at every call."""
    baselines, yearly = without_results()
    first = track(baselines, yearly, frames.new_commune_info())
    full = _tracked(baselines, _results(yearly), frames.new_commune_info())
    pd.testing.assert_frame_equal(first, full)
    assert first.empty and {"trang_thai", "ly_do", "thay_doi_can", "nam_chenh"} <= set(first)
    first["trang_thai"] = first["trang_thai"].astype(object)
    first.attrs["changed"] = True
    again = track(baselines, yearly, frames.new_commune_info())
    pd.testing.assert_frame_equal(again, full)
    assert again is not first and not again.attrs


# ---------------------------------------------------------------------------- the seed

# (group, TT, year, status, yearly change now needed): tests/yearly.py works each out by hand
SEED = [
    ("I", "2", 2026, "Không theo dõi được", None),
    ("I", "3", 2026, "Đã đạt mục tiêu 2030", None),
    ("I", "3", 2027, "Chậm tiến độ", 0.94),
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
    ("III", "4", 2026, "Vượt tiến độ", None),
    ("III", "4", 2027, "Đúng tiến độ", 29.0),
    ("III", "6", 2026, "Không đạt mục tiêu năm", None),
    ("III", "6", 2027, "Vượt tiến độ", None),
    ("III", "7", 2026, "Không theo dõi được", None),
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


def test_the_seed_record_tracks_each_kind_as_it_means(seed_lines):
    members = seed_lines.loc[("III", "4")]
    assert members["lo_trinh"].tolist() == [29, 58, 87, 116, 145]
    assert members["gia_tri"].tolist()[:2] == [30, 58]
    assert members["thay_doi_moi_nam"].unique().tolist() == [29]
    assert members["don_vi_thay_doi"].unique().tolist() == ["Đảng viên/năm"]
    rated = seed_lines.loc[("III", "6")]
    assert rated["trang_thai_den_nay"].tolist()[:2] == ["Không đạt mục tiêu năm"] * 2
    assert seed_lines.loc[("III", "7", 2026), "ly_do"] == (
        'mục tiêu 2030 "Giảm ≥10% so với nhiệm kỳ trước" ghi bằng lời, không so được với kết '
        "quả từng năm"
    )


def test_the_seed_record_says_what_to_look_at_in_its_results(tracked_raw):
    from pipeline.judge import judge
    from pipeline.load import load_record
    from pipeline.prepare import prepare

    found = [
        (p.o, p.loai, p.noi_dung)
        for p in judge(prepare(load_record(tracked_raw))).findings
        if p.sheet == "Kết quả hằng năm"
    ]
    # tests/yearly.py: health insurance's 98,5 under its baseline is no step back any more
    assert sorted(found) == [
        (
            "D17",
            "không đạt mục tiêu năm",
            "mục tiêu phải đạt hằng năm mà năm 2026 không đạt, năm sau đạt cũng không bù được: "
            'kết quả "93" kém hơn mục tiêu năm 2026 "≥ 95" (cao hơn là tốt)',
        ),
        (
            "E4",
            "lệch lộ trình",
            'kết quả năm 2027 "17.500" chưa đạt cả mục tiêu 2030: kết quả "17.500" kém hơn mục '
            'tiêu 2030 "18.000" (cao hơn là tốt); mục tiêu này đã đặt thấp hơn hiện trạng 2025 '
            "(21.613 Con), kết quả chậm khoảng 3,8 năm thay đổi theo kế hoạch so với lộ trình "
            "năm 2027 (20.088,06 Con)",
        ),
        (
            "E6",
            "kết quả lùi",
            'kết quả năm 2027 "44" kém hơn năm 2026 ("47"), trong khi chỉ tiêu này cao hơn là tốt',
        ),
        (
            "E6",
            "lệch lộ trình",
            'kết quả năm 2027 "44" chậm hơn lộ trình quá 2 năm: lộ trình năm 2027 là 47,79 %, '
            "kết quả này còn kém mức lộ trình của năm 2025 (46,31 %)",
        ),
    ]


def test_the_seed_record_plans_as_biểu_03_does_and_reports_up_to_2027(seed_lines):
    income = seed_lines.loc[("II", "1")]
    assert income["thay_doi_moi_nam"].unique().tolist() == [4.99]  # (42 / 32,92)^(1/5) − 1
    assert income["lo_trinh"].round(2).tolist()[:2] == [34.56, 36.29]
    assert set(seed_lines["nam_bao_cao"]) == {2027}
    assert set(seed_lines.loc[seed_lines.index.get_level_values("nam") > 2027, "trang_thai"]) == {
        ""
    }


def test_a_target_only_at_its_baseline_is_off_its_path_when_a_result_falls_short_of_it():
    # forest cover "40" against 40,1 in 2025: equal as printed, a plan of (almost) no change,
    # so no years of planned change are counted; 38 in 2026 is short of the target itself, and
    # a step back from 40,1 (no decline was planned)
    catalogue = frames.catalogue(INDICATORS, UNITS)
    row = {"tt": "1", "chi_tieu": "Rừng", "don_vi": "%", "muc_tieu": "40", "ma_chi_tieu": "rung"}
    targets = prepare_rows(frames.target_rows([row]), catalogue, ("muc_tieu", "mt_phan_ba"))
    baselines = gaps(targets.assign(chieu="Cao hơn là tốt", hien_trang_2025=40.1, so_nam=5.0))
    assert baselines["muc_tieu_bang_hien_trang"].tolist() == [True]
    yearly = prepare_yearly(
        frames.yearly_rows([{"tt": "1", "years": {2026: "38"}}]), targets, catalogue
    )
    lines = track(baselines.assign(ghi_chu_gop=""), yearly, frames.new_commune_info())
    assert [(p.o, p.loai, p.noi_dung) for p in track_findings(lines)] == [
        (
            "C2",
            "kết quả lùi",
            'kết quả năm 2026 "38" kém hơn hiện trạng 2025 (40,1 %, gộp từ các xã cũ), trong khi '
            "chỉ tiêu này cao hơn là tốt",
        ),
        (
            "C2",
            "lệch lộ trình",
            'kết quả năm 2026 "38" chưa đạt cả mục tiêu 2030: kết quả "38" kém hơn mục tiêu '
            '2030 "40" (cao hơn là tốt); mục tiêu này chỉ bằng hiện trạng 2025 (40,1 %)',
        ),
    ]


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
    # livestock, a target (18.000) below the 2025 baseline (21.613): 17.500 − 20.088,06 =
    # −2.588,06 below 2027's point; the path falls, so no years are counted
    ("I", "3", -2588.06, None),
    # new party members, a term total: the running total 58 on 2027's point 58, 0; the path
    # plans 58 − 29 = 29 a year, so 0 years
    ("III", "4", 0.0, 0.0),
    # political organisations, "≥ 95" every year: 96 is 1 above the year's target; a target
    # the same each year plans no change to count years in
    ("III", "6", 1.0, None),
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

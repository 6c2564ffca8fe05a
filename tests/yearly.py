"""The test record of the results year by year: the seed, with made-up results that Mường Lầm
typed for 2026 and 2027 on a sheet "Kết quả hằng năm", and what each comes to, by hand.

Mường Lầm's 2025 baselines are merged from Đứa Mòn (9.356 people, 133,98 km²) and old Mường Lầm
(6.291 people, 33,12 km²): 15.647 people, 167,10 km² (tests/judge/test_merge.py has them).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

SHEET = "Kết quả hằng năm"
HEADER = ["TT", "Chỉ tiêu", "Mã chỉ tiêu", "2026", "2027", "2028", "2029", "2030"]
MUONG_LAM = [
    HEADER,  # row 1
    ["I", "Chỉ tiêu về kinh tế"],  # row 2
    # row 3, fruit and industrial trees: "Duy trì 758 ha, trồng mới 50 ha/năm" is a target in
    # words: the 770 ha typed is kept, but the row cannot be tracked
    ["2", "Cây ăn quả, công nghiệp", "", "770"],
    # row 4, livestock, a target set below its baseline: 21.613 con in 2025 already beat the
    # 18.000 target, a decline of (18.000 / 21.613)^(1/5) − 1 = −3,59 %/năm is planned. 22.100
    # reaches the target. 17.500 in 2027 is no step back from it (a decline was planned) but
    # falls short of the target itself: behind its point 21.613 × 0,83283^(2/5) = 20.088,06,
    # and off the path: on the path drawn on, 17.500 is 5 × ln(17.500 / 21.613) / ln(18.000 /
    # 21.613) = 5,77 years from 2025, 3,77 years of planned change behind 2027 (2 years gone).
    # It now needs (18.000 / 17.500)^(1/3) − 1 = 0,94 %/năm
    ["3", "Tổng đàn gia súc", "", "22.100", "17.500"],
    # row 5, labour in agriculture, lower is better: (90 × 9.356 + 59,46 × 6.291) / 15.647 =
    # 77,72% → 65%: −2,54 points a year; 2026's point 77,72 − 2,54 = 75,18: 75 equals it as
    # printed (no decimals): on track; 2027's 72,63: 72,5 is lower: ahead. From 72,5 the
    # target needs (65 − 72,5) / 3 = −2,50 points a year
    ["4", "Tỷ lệ lao động nông nghiệp", "", "75", "72,5"],
    # row 6, trained labour: (25 × 9.356 + 78 × 6.291) / 15.647 = 46,31% → 50%: +0,74 points
    # a year; 2026's point 47,05: 47 equals it as printed: on track; 2027's 47,79: 44 is
    # behind, went back from 47, and is below even 2025's point (46,31): more than two years
    # of the path behind. It now needs (50 − 44) / 3 = 2,00 points a year
    ["5", "Tỷ lệ lao động qua đào tạo", "", "47", "44"],
    # row 7, forest cover: (38 × 133,98 + 36 × 33,12) / 167,10 = 37,60% in 2025, above the 33,0
    # target: 37,8 and 38,1 reach it
    ["6", "Tỷ lệ che phủ rừng", "ty_le_che_phu_rung", "37,8", "38,1"],
    # row 8, OCOP products: 0 in 2025, nothing compounds from 0: no path; 01 is short of the
    # 03 target; from 1 in 2026, (3 / 1)^(1/4) − 1 = 31,61 %/năm would reach it
    ["8", "Sản phẩm OCOP đạt 3 sao", "", "01"],
    ["II", "Chỉ tiêu về xã hội, môi trường"],  # row 9
    # row 10, income: (24,8 × 9.356 + 45 × 6.291) / 15.647 = 32,92 triệu đồng → 42:
    # (42 / 32,92)^(1/5) − 1 = 4,99 %/năm; 2026's point 32,92 × 1,0499 = 34,56: 34,9 is
    # ahead; 2027's 32,92 × 1,0499² = 36,29: 35,5 is behind. From 35,5 the target needs
    # (42 / 35,5)^(1/3) − 1 = 5,76 %/năm against 4,99 planned
    ["1", "Thu nhập bình quân đầu người", "thu_nhap_binh_quan", "34,9", "35,5"],
    # row 11, poorer households, "< 10" with no baseline (Đứa Mòn's rate "Không gộp"): 11,2
    # is short of the target, 9,4 reaches it
    ["3", "Tỷ lệ hộ nghèo, cận nghèo", "", "11,2", "9,4"],
    # row 12, health insurance, a target set below its baseline: (100 × 9.356 + 97 × 6.291) /
    # 15.647 = 98,79% in 2025, above the 97 target: 98,5 reaches it, and is below the 2025
    # baseline only as the target allows (no step back); 99,1 too
    ["4", "Tỷ lệ dân tham gia BHYT", "ty_le_bhyt", "98,5", "99,1"],
    # row 13, new-countryside criteria "≥ 17/19", no baseline: 15 in 2027 is short; from it,
    # (17 / 15)^(1/3) − 1 = 4,26 %/năm
    ["6", "Xã đạt chuẩn nông thôn mới", "", "", "15"],
    # row 14, solid waste collected: (80 × 9.356 + 70 × 6.291) / 15.647 = 75,98% → 80%: +0,80
    # points a year; nothing for 2026 (no data); 2027's point 77,59: 77 is behind; it now
    # needs (80 − 77) / 3 = 1,00 point a year
    ["13", "Tỷ lệ thu gom chất thải rắn sinh hoạt", "", "", "77"],
    ["III", "Chỉ tiêu về xây dựng Đảng và hệ thống chính trị"],  # row 15
    # row 16, new party members, a term total: "≥ 145" over 2025-2030 is 145 / 5 = 29 a year
    # (Biểu 03's yearly change: 29 Đảng viên/năm, not the −2,79 %/năm of a compound path down
    # from the last term's 167). The path is the target spread, 29 and 58 by 2027, against the
    # running total 30 and 58: ahead, then on the path; 28 after 30 is no step back. It now
    # needs (145 − 58) / 3 = 29 a year
    ["4", "Kết nạp đảng viên mới", "ket_nap_dang_vien", "30", "28"],
    # row 17, political organisations rated good, "≥ 95" every year: 93 misses 2026 for good (a
    # finding); 96 in 2027 is better than the year's target, yet the row stands at 2026's miss
    ["6", "Tổ chức chính trị - xã hội cấp xã HTTNV", "to_chuc_ctxh_httnv", "93", "96"],
    # row 18, a rate in words ("Giảm ≥10% so với nhiệm kỳ trước"): kept, cannot be tracked
    ["7", "Giảm vụ việc phức tạp", "giam_vu_viec_phuc_tap", "12"],
]


def add_sheet(path: Path, rows: list[list[str]], name: str = SHEET) -> Path:
    """Add a sheet to a raw workbook, every cell typed as text, as an officer would."""
    book = openpyxl.load_workbook(path)
    sheet = book.create_sheet(name)
    for row in rows:
        sheet.append(row)
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None:
                cell.data_type = "s"
    book.save(path)
    return path


def with_results(raw: Path, rows: list[list[str]] = MUONG_LAM) -> Path:
    """The seed record in `raw` with Mường Lầm's results year by year."""
    add_sheet(raw / "son_la" / "muong_lam.xlsx", rows)
    return raw

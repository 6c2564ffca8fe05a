"""Bad input gets one precise Vietnamese line per problem, exit status 2, and output/ untouched."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import edit, marked_cell, snapshot, unmarked

DM = "son_la/dua_mon.xlsx"
MLC = "son_la/muong_lam_cu.xlsx"
ML = "son_la/muong_lam.xlsx"
CAT = "danh_muc_chi_tieu.xlsx"
ALLOW = ' (nếu chỉ tiêu này được phép, ghi "Không giới hạn" ở cột "Miền giá trị" của danh mục)'

# a printed problem at a cell: level, file under raw/, sheet, cell, message
LINE = re.compile(r"(\[cảnh báo\] )?raw/(\S+) › (.+?) › ([A-Z]+\d+): (.*)")

# (case, [(file, sheet, cell, value typed)], exit status, exact lines printed)
CELL_CASES = [
    (
        "a result that is a word, not a number",
        [(DM, "Chỉ tiêu", "E7", "mười")],
        2,
        ['raw/son_la/dua_mon.xlsx › Chỉ tiêu › E7: "mười" không phải là số'],
    ),
    (
        "a duplicate item number",
        [(DM, "Chỉ tiêu", "A10", "5")],
        2,
        ['raw/son_la/dua_mon.xlsx › Chỉ tiêu › A10: số thứ tự "5" trùng với dòng 9 trong nhóm II'],
    ),
    (
        "a sub-row with no item above it",
        [(DM, "Chỉ tiêu", "A3", None)],
        2,
        [
            "raw/son_la/dua_mon.xlsx › Chỉ tiêu › A3: dòng con không có chỉ tiêu nào phía trên "
            "(TT trống ngay dưới dòng nhóm hoặc đầu bảng)"
        ],
    ),
    (
        "an item number that is neither Roman, a number nor empty",
        [(DM, "Chỉ tiêu", "A3", "1a")],
        2,
        [
            'raw/son_la/dua_mon.xlsx › Chỉ tiêu › A3: TT "1a" không đọc được: ghi số La Mã cho '
            "dòng nhóm (I, II), số cho chỉ tiêu, để trống cho dòng con của chỉ tiêu phía trên"
        ],
    ),
    (
        "a unit missing from the catalogue",
        [(DM, "Chỉ tiêu", "C3", "Tấn")],
        2,
        [
            'raw/son_la/dua_mon.xlsx › Chỉ tiêu › C3: đơn vị "Tấn" không có trong danh mục '
            '(sheet "Đơn vị")'
        ],
    ),
    (
        "an indicator missing from the catalogue",
        [(DM, "Chỉ tiêu", "G3", "khong_co")],
        2,
        [
            'raw/son_la/dua_mon.xlsx › Chỉ tiêu › G3: mã chỉ tiêu "khong_co" không có trong danh '
            'mục (sheet "Chỉ tiêu"); gần nhất theo tên chỉ tiêu: thu_ngan_sach_tang ("Thu ngân '
            'sách trên địa bàn 5 năm tăng")'
        ],
    ),
    (
        "an indicator code left empty names the nearest by the row's name and unit",
        [(MLC, "Chỉ tiêu", "G12", None)],
        2,
        [
            'raw/son_la/muong_lam_cu.xlsx › Chỉ tiêu › G12: ô trống: cần ghi "Mã chỉ tiêu"; gần '
            'nhất theo tên chỉ tiêu: ty_le_ho_ngheo ("Tỷ lệ hộ nghèo"), giam_ty_le_ho_ngheo '
            '("Mức giảm tỷ lệ hộ nghèo bình quân hằng năm")'
        ],
    ),
    (
        "an indicator code with nothing near it in the catalogue",
        [(DM, "Chỉ tiêu", "B3", "Số km đường điện"), (DM, "Chỉ tiêu", "G3", "duong_dien")],
        2,
        [
            'raw/son_la/dua_mon.xlsx › Chỉ tiêu › G3: mã chỉ tiêu "duong_dien" không có trong danh '
            'mục (sheet "Chỉ tiêu"); danh mục không có chỉ tiêu nào gần với tên "Số km đường điện"'
        ],
    ),
    (
        "a unit typed another way names the catalogue's",
        [(DM, "Chỉ tiêu", "C5", "Tr.đồng")],
        2,
        [
            'raw/son_la/dua_mon.xlsx › Chỉ tiêu › C5: đơn vị "Tr.đồng" không có trong danh mục '
            '(sheet "Đơn vị"); gần nhất: "Tr. đồng"'
        ],
    ),
    (
        "a negative count",
        [(DM, "Chỉ tiêu", "E4", "-1")],
        2,
        [
            'raw/son_la/dua_mon.xlsx › Chỉ tiêu › E4: "-1" là số âm, nhưng đơn vị "HTX" không '
            "nhận số âm" + ALLOW
        ],
    ),
    (
        "a percentage over 100",
        [(DM, "Chỉ tiêu", "E9", "105")],
        2,
        ['raw/son_la/dua_mon.xlsx › Chỉ tiêu › E9: "105" là tỷ lệ phần trăm lớn hơn 100' + ALLOW],
    ),
    (
        "an area of zero",
        [(DM, "Thông tin", "I2", "0")],
        2,
        ["raw/son_la/dua_mon.xlsx › Thông tin › I2: diện tích phải lớn hơn 0, ô ghi 0"],
    ),
    (
        "a negative population",
        [(DM, "Thông tin", "J2", "-5")],
        2,
        ["raw/son_la/dua_mon.xlsx › Thông tin › J2: dân số phải lớn hơn 0, ô ghi -5"],
    ),
    (
        "an area that is not a number",
        [(DM, "Thông tin", "I2", "mười")],
        2,
        ['raw/son_la/dua_mon.xlsx › Thông tin › I2: "mười" không phải là số'],
    ),
    (
        "a count from the prose that is not whole",
        [(DM, "Thông tin", "L2", "7,5")],
        2,
        ['raw/son_la/dua_mon.xlsx › Thông tin › L2: "7,5" phải là số nguyên'],
    ),
    (
        "areas that do not add up to the declared area (a warning: both figures are printed)",
        [(DM, "Thông tin", "I2", "133,97")],
        0,
        [
            "[cảnh báo] raw/son_la/muong_lam.xlsx › Thông tin › I2: diện tích các xã hợp thành "
            'cộng lại là 167,09 km², khác với "167,10" km² ghi ở đây'
        ],
    ),
    (
        "populations that do not add up to the declared population",
        [(MLC, "Thông tin", "J2", "6.290")],
        0,
        [
            "[cảnh báo] raw/son_la/muong_lam.xlsx › Thông tin › J2: dân số các xã hợp thành cộng "
            'lại là 15.646 người, khác với "15.647" người ghi ở đây'
        ],
    ),
    (
        "a published rating that is not a rating",
        [(DM, "Chỉ tiêu", "F3", "Tốt")],
        2,
        [
            'raw/son_la/dua_mon.xlsx › Chỉ tiêu › F3: "Tốt" không phải là đánh giá hợp lệ (Vượt, '
            "Đạt, Không đạt hoặc để trống)"
        ],
    ),
    (
        "an ambiguous dot left unsettled (a warning that says how to settle it)",
        [(MLC, "Chỉ tiêu", "H7", None)],
        0,
        [
            '[cảnh báo] raw/son_la/muong_lam_cu.xlsx › Chỉ tiêu › D7: "5.436" có thể là 5.436 '
            'hoặc 5,436 (dấu chấm gõ theo kiểu khác); đang đọc là 5.436. Ghi "Dấu phẩy thập '
            'phân" hoặc "Dấu chấm thập phân" vào cột "Cách đọc số" của dòng này để khẳng định',
            '[cảnh báo] raw/son_la/muong_lam_cu.xlsx › Chỉ tiêu › E7: "6.613" có thể là 6.613 '
            'hoặc 6,613 (dấu chấm gõ theo kiểu khác); đang đọc là 6.613. Ghi "Dấu phẩy thập '
            'phân" hoặc "Dấu chấm thập phân" vào cột "Cách đọc số" của dòng này để khẳng định',
        ],
    ),
    (
        "a number with a misplaced separator",
        [(DM, "Chỉ tiêu", "D3", "1.23")],
        2,
        [
            'raw/son_la/dua_mon.xlsx › Chỉ tiêu › D3: "1.23" không phải là số viết theo kiểu Việt '
            'Nam (như 1.234,5); nếu dòng này gõ kiểu dấu chấm thập phân, ghi "Dấu chấm thập phân" '
            'vào cột "Cách đọc số"'
        ],
    ),
    (
        "a number typed with a decimal dot on Thông tin says where that sheet settles it",
        [(DM, "Thông tin", "I2", "133.98")],
        2,
        [
            'raw/son_la/dua_mon.xlsx › Thông tin › I2: "133.98" không phải là số viết theo kiểu '
            'Việt Nam (như 1.234,5); nếu dòng này gõ kiểu dấu chấm thập phân, ghi "Dấu chấm thập '
            'phân" vào cột "Cách đọc số" của sheet "Thông tin" (thêm cột này nếu chưa có)'
        ],
    ),
    (
        "a decimal dot on Thông tin settled in its own Cách đọc số column",
        [
            (DM, "Thông tin", "I2", "133.98"),
            (DM, "Thông tin", "J2", "9,356"),
            (DM, "Thông tin", "O1", "Cách đọc số"),
            (DM, "Thông tin", "O2", "Dấu chấm thập phân"),
        ],
        0,
        [],
    ),
    (
        "an ambiguous area on Thông tin is a warning that says how that sheet settles it",
        [(DM, "Thông tin", "I2", "1.130")],
        0,
        [
            '[cảnh báo] raw/son_la/dua_mon.xlsx › Thông tin › I2: "1.130" có thể là 1.130 hoặc '
            '1,13 (dấu chấm gõ theo kiểu khác); đang đọc là 1.130. Ghi "Dấu phẩy thập phân" '
            'hoặc "Dấu chấm thập phân" vào cột "Cách đọc số" của sheet "Thông tin" (thêm cột này '
            "nếu chưa có) để khẳng định",
            "[cảnh báo] raw/son_la/muong_lam.xlsx › Thông tin › I2: diện tích các xã hợp thành "
            'cộng lại là 1.163,12 km², khác với "167,10" km² ghi ở đây',
        ],
    ),
    (
        "two old communes of one new commune with the same Biểu số",
        [(MLC, "Thông tin", "E2", "01")],
        2,
        [
            'raw/son_la/muong_lam_cu.xlsx › Thông tin › E2: Biểu số "01" trùng với xã "Đứa Mòn" '
            '(raw/son_la/dua_mon.xlsx › Thông tin › E2), cùng trong báo cáo của xã "Mường Lầm"; '
            'các xã trước sắp xếp đánh số 01, 02, … theo thứ tự ở sheet "Xã hợp thành", xã mới '
            "lấy số tiếp theo"
        ],
    ),
    (
        "a new commune numbered like one of its old communes",
        [(ML, "Thông tin", "E2", "02")],
        2,
        [
            'raw/son_la/muong_lam.xlsx › Thông tin › E2: Biểu số "02" trùng với xã "Mường Lầm" '
            '(raw/son_la/muong_lam_cu.xlsx › Thông tin › E2), cùng trong báo cáo của xã "Mường '
            'Lầm"; các xã trước sắp xếp đánh số 01, 02, … theo thứ tự ở sheet "Xã hợp thành", xã '
            "mới lấy số tiếp theo"
        ],
    ),
    (
        "an old commune with no Biểu số names the report it is printed in",
        [(DM, "Thông tin", "E2", None)],
        2,
        [
            'raw/son_la/dua_mon.xlsx › Thông tin › E2: ô trống: cần ghi "Biểu số", số của biểu này '
            'trong báo cáo của xã "Mường Lầm" (raw/son_la/muong_lam.xlsx); các xã trước sắp xếp '
            'đánh số 01, 02, … theo thứ tự ở sheet "Xã hợp thành", xã mới lấy số tiếp theo'
        ],
    ),
    (
        "a range that Excel turned into a date",
        [(DM, "Chỉ tiêu", "D4", dt.datetime(2025, 4, 3))],
        2,
        [
            "raw/son_la/dua_mon.xlsx › Chỉ tiêu › D4: Excel đã tự đổi ô này thành ngày "
            "03/04/2025; gõ lại giá trị với dấu nháy đơn ở đầu (ví dụ '3-4) để Excel giữ nguyên "
            "như đã in"
        ],
    ),
    (
        "an unknown way of reading numbers",
        [(DM, "Chỉ tiêu", "H3", "chấm")],
        2,
        [
            'raw/son_la/dua_mon.xlsx › Chỉ tiêu › H3: "chấm" không phải là cách đọc số hợp lệ '
            "(Dấu phẩy thập phân, Dấu chấm thập phân hoặc để trống)"
        ],
    ),
    (
        "an empty indicator name",
        [(DM, "Chỉ tiêu", "B3", None)],
        2,
        ['raw/son_la/dua_mon.xlsx › Chỉ tiêu › B3: ô trống: cần ghi "Chỉ tiêu"'],
    ),
    (
        "a missing column",
        [(DM, "Chỉ tiêu", "C1", "ĐVT")],
        2,
        [
            'raw/son_la/dua_mon.xlsx › Chỉ tiêu › L1: thiếu cột "Đơn vị tính": thêm cột này vào '
            "dòng tiêu đề (hàng 1)"
        ],
    ),
    (
        "an old commune named differently in the new commune's list",
        [(ML, "Xã hợp thành", "B3", "Mường Lầm cũ")],
        2,
        [
            'raw/son_la/muong_lam.xlsx › Xã hợp thành › B3: tên "Mường Lầm cũ" khác tên trong '
            'tệp của xã mã "muong_lam_cu" ("Mường Lầm")'
        ],
    ),
    (
        "a new commune formed from a commune that is not in raw/",
        [(ML, "Xã hợp thành", "A2", "dua_mon_x")],
        2,
        [
            '[cảnh báo] raw/son_la/dua_mon.xlsx › Thông tin › A2: xã "Đứa Mòn" chưa được ghi vào '
            'sheet "Xã hợp thành" của xã mới nào, nên không được gộp',
            "raw/son_la/muong_lam.xlsx › Xã hợp thành › A2: không có xã trước sắp xếp nào mang mã "
            '"dua_mon_x" trong raw/ (mã ghi ở sheet "Thông tin" của mỗi tệp)',
        ],
    ),
    (
        "an unknown kind of commune",
        [(DM, "Thông tin", "D2", "Xã cũ")],
        2,
        [
            'raw/son_la/dua_mon.xlsx › Thông tin › D2: "Xã cũ" không phải là loại đơn vị hành '
            "chính hợp lệ (Trước sắp xếp, Sau sắp xếp)",
            "raw/son_la/muong_lam.xlsx › Xã hợp thành › A2: không có xã trước sắp xếp nào mang mã "
            '"dua_mon" trong raw/ (mã ghi ở sheet "Thông tin" của mỗi tệp)',
        ],
    ),
    (
        "a term not written year-year",
        [(DM, "Thông tin", "F2", "2020 đến 2025")],
        2,
        [
            'raw/son_la/dua_mon.xlsx › Thông tin › F2: nhiệm kỳ "2020 đến 2025" phải ghi dạng '
            "năm-năm, ví dụ 2020-2025"
        ],
    ),
    (
        "a direction the catalogue does not know",
        [(CAT, "Chỉ tiêu", "C2", "cao")],
        2,
        [
            'raw/danh_muc_chi_tieu.xlsx › Chỉ tiêu › C2: "cao" không phải là chiều đánh giá hợp '
            "lệ (Cao hơn là tốt, Thấp hơn là tốt, Định tính)"
        ],
    ),
    (
        "a catalogue feeding an indicator it does not have",
        [(CAT, "Chỉ tiêu", "E2", "khong_co")],
        2,
        [
            'raw/danh_muc_chi_tieu.xlsx › Chỉ tiêu › E2: mã "khong_co" không có trong cột "Mã chỉ '
            'tiêu" của danh mục'
        ],
    ),
    (
        "a duplicate code in the catalogue, whatever its case",
        [(CAT, "Chỉ tiêu", "A3", "THU_NGAN_SACH_TANG")],
        2,
        [
            'raw/danh_muc_chi_tieu.xlsx › Chỉ tiêu › A3: mã chỉ tiêu "THU_NGAN_SACH_TANG" trùng '
            "với ô A2",
            'raw/son_la/muong_lam_cu.xlsx › Chỉ tiêu › G3: mã chỉ tiêu "thu_ngan_sach_5_nam" '
            'không có trong danh mục (sheet "Chỉ tiêu"); gần nhất theo tên chỉ tiêu: thu_ngan_sach '
            '("Thu ngân sách trên địa bàn")',
        ],
    ),
    (
        "a catalogue indicator printed in a unit the catalogue does not have",
        [(CAT, "Chỉ tiêu", "H3", "Tỷ đ")],
        2,
        [
            'raw/danh_muc_chi_tieu.xlsx › Chỉ tiêu › H3: đơn vị "Tỷ đ" không có trong sheet "Đơn '
            'vị" của danh mục; gần nhất: "Tỷ đồng"'
        ],
    ),
    (
        "a unit kind the catalogue does not know",
        [(CAT, "Đơn vị", "B2", "Tỷ lệ")],
        2,
        [
            'raw/danh_muc_chi_tieu.xlsx › Đơn vị › B2: "Tỷ lệ" không phải là loại đơn vị hợp lệ '
            "(Phần trăm, Số lượng, Định tính)"
        ],
    ),
    (
        "a conversion factor of zero",
        [(CAT, "Đơn vị", "E3", "0")],
        2,
        ["raw/danh_muc_chi_tieu.xlsx › Đơn vị › E3: hệ số quy đổi phải lớn hơn 0"],
    ),
]


@pytest.mark.parametrize(
    ("edits", "status", "expected"),
    [case[1:] for case in CELL_CASES],
    ids=[case[0] for case in CELL_CASES],
)
def test_a_broken_cell_is_named_exactly(seed_raw_dir, output_dir, run_cli, edits, status, expected):
    before = snapshot(output_dir)
    for path, sheet, cell, value in edits:
        edit(seed_raw_dir / path, sheet, cell, value)
    result = run_cli(seed_raw_dir)
    problems = [line for line in result.lines if not line.startswith(("Chưa ghi", "Đã tô màu"))]
    assert problems == expected
    assert result.status == status
    assert "Traceback" not in result.err
    for line in expected:  # each problem at a cell is marked on that cell of the file's copy
        at = LINE.fullmatch(line)
        if at:
            level, path, sheet, cell, text = at.groups()
            word = "Cảnh báo" if level else "Lỗi"
            fill, note = marked_cell(output_dir, path, sheet, cell)
            assert (fill, f"{word}: {text}" in note) == ("FFC000" if level else "FF7C80", True)
    if status == 2:  # an error: nothing in output/ changes but the marked copies
        assert unmarked(snapshot(output_dir)) == unmarked(before)
    else:  # warnings only: the outputs are built, and the warnings are in kiem_tra.csv
        assert "muong_lam/kiem_tra.csv" in snapshot(output_dir)


def test_every_problem_is_reported_in_one_run(seed_raw_dir, output_dir, run_cli):
    before = snapshot(output_dir)
    edit(seed_raw_dir / DM, "Chỉ tiêu", "E7", "mười")
    edit(seed_raw_dir / DM, "Chỉ tiêu", "C3", "Tấn")
    edit(seed_raw_dir / MLC, "Thông tin", "I2", "0")
    edit(seed_raw_dir / CAT, "Đơn vị", "E3", "0")
    result = run_cli(seed_raw_dir)
    assert result.lines == [
        "raw/danh_muc_chi_tieu.xlsx › Đơn vị › E3: hệ số quy đổi phải lớn hơn 0",
        'raw/son_la/dua_mon.xlsx › Chỉ tiêu › C3: đơn vị "Tấn" không có trong danh mục '
        '(sheet "Đơn vị")',
        'raw/son_la/dua_mon.xlsx › Chỉ tiêu › E7: "mười" không phải là số',
        "raw/son_la/muong_lam_cu.xlsx › Thông tin › I2: diện tích phải lớn hơn 0, ô ghi 0",
        "Đã tô màu các ô có vấn đề trong bản sao của 3 tệp, ở output/ban_danh_dau/ (đỏ: lỗi, "
        "cam: cảnh báo; lời nhắn ở ghi chú của ô). Sửa trong tệp gốc ở raw/, không sửa bản sao.",
        "Chưa ghi phụ lục nào vào output/: sửa các ô nêu trên rồi chạy lại `bieu annexes`.",
    ]
    assert result.status == 2
    assert unmarked(snapshot(output_dir)) == unmarked(before)


def test_a_missing_catalogue(seed_raw_dir, run_cli):
    (seed_raw_dir / CAT).unlink()
    result = run_cli(seed_raw_dir)
    assert result.status == 2
    assert result.lines[0] == "raw/danh_muc_chi_tieu.xlsx: không tìm thấy tệp danh mục chỉ tiêu"


def test_a_missing_workbook_of_a_member_commune(seed_raw_dir, output_dir, run_cli):
    before = snapshot(output_dir)
    (seed_raw_dir / DM).unlink()
    result = run_cli(seed_raw_dir)
    assert result.lines[:1] == [
        "raw/son_la/muong_lam.xlsx › Xã hợp thành › A2: không có xã trước sắp xếp nào mang mã "
        '"dua_mon" trong raw/ (mã ghi ở sheet "Thông tin" của mỗi tệp)'
    ]
    assert result.status == 2
    assert unmarked(snapshot(output_dir)) == unmarked(before)


def test_a_missing_sheet(seed_raw_dir, run_cli):
    book = openpyxl.load_workbook(seed_raw_dir / DM)
    book["Chỉ tiêu"].title = "Sheet2"
    book.save(seed_raw_dir / DM)
    result = run_cli(seed_raw_dir)
    assert result.lines[0] == 'raw/son_la/dua_mon.xlsx: thiếu sheet "Chỉ tiêu"'
    assert result.status == 2


def test_a_file_that_is_not_a_workbook(seed_raw_dir, output_dir, run_cli):
    before = snapshot(output_dir)
    (seed_raw_dir / "son_la" / "hong.xlsx").write_bytes(b"this is not a spreadsheet")
    result = run_cli(seed_raw_dir)
    assert result.lines[0] == (
        "raw/son_la/hong.xlsx: không đọc được tệp: tệp hỏng hoặc không phải bảng tính .xlsx, "
        ".xls, .ods"
    )
    assert result.status == 2
    assert unmarked(snapshot(output_dir)) == unmarked(before)


def test_a_commune_code_used_by_two_workbooks(seed_raw_dir, run_cli):
    shutil.copy(seed_raw_dir / DM, seed_raw_dir / "son_la" / "dua_mon_ban_sao.xlsx")
    result = run_cli(seed_raw_dir)
    assert result.lines[0] == (
        'raw/son_la/dua_mon_ban_sao.xlsx › Thông tin › A2: mã xã "dua_mon" trùng với '
        "raw/son_la/dua_mon.xlsx › Thông tin › A2"
    )
    assert result.status == 2


def test_an_old_commune_merged_into_two_new_ones(seed_raw_dir, run_cli):
    second = seed_raw_dir / "son_la" / "xa_moi_khac.xlsx"
    shutil.copy(seed_raw_dir / ML, second)
    edit(second, "Thông tin", "A2", "xa_moi_khac")
    edit(second, "Thông tin", "C2", "Xã Mới Khác")
    result = run_cli(seed_raw_dir)
    assert result.lines[:2] == [
        'raw/son_la/xa_moi_khac.xlsx › Xã hợp thành › A2: xã "dua_mon" đã được ghi là hợp thành '
        'xã "Mường Lầm" (raw/son_la/muong_lam.xlsx); mỗi xã cũ chỉ nhập vào một xã mới',
        'raw/son_la/xa_moi_khac.xlsx › Xã hợp thành › A3: xã "muong_lam_cu" đã được ghi là hợp '
        'thành xã "Mường Lầm" (raw/son_la/muong_lam.xlsx); mỗi xã cũ chỉ nhập vào một xã mới',
    ]
    assert result.status == 2


def test_a_raw_folder_that_does_not_exist(tmp_path, run_cli):
    result = run_cli(tmp_path / "khong_co")
    assert result.status == 2
    assert result.lines == [
        f"{tmp_path / 'khong_co'}: không tìm thấy thư mục dữ liệu gốc; chạy lệnh trong thư mục có "
        "khong_co/, hoặc chỉ chỗ khác bằng --raw THƯ_MỤC"
    ]


# --- what must not be a problem


def test_the_seed_builds_clean(seed_raw_dir, run_cli):
    result = run_cli(seed_raw_dir)
    assert result.status == 0
    assert result.err == ""
    first, last = result.out.splitlines()
    assert first == (
        "Đã đọc 3 tệp xã (2 xã trước sắp xếp, 1 xã sau sắp xếp), danh mục 59 chỉ tiêu và 17 đơn "
        "vị: 0 lỗi, 0 cảnh báo."
    )
    assert re.fullmatch(
        r"Xong: 1 xã mới, 1 bộ phụ lục ghi mới vào output/, 28 phát hiện cần xem "
        r"\(kiem_tra.csv\), \d+,\d giây\.",
        last,
    )


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_older_offices_formats_are_read(seed_raw_dir, run_cli, suffix):
    (seed_raw_dir / DM).unlink()
    shutil.copy(Path(__file__).parent / "fixtures" / f"dua_mon{suffix}", seed_raw_dir / "son_la")
    result = run_cli(seed_raw_dir)
    assert (result.status, result.err) == (0, "")


def test_excel_lock_files_and_hidden_files_are_skipped(seed_raw_dir, run_cli):
    (seed_raw_dir / "son_la" / "~$dua_mon.xlsx").write_bytes(b"lock")
    (seed_raw_dir / "son_la" / ".dua_mon.xlsx").write_bytes(b"hidden")
    assert run_cli(seed_raw_dir).status == 0


def test_headers_and_sheet_names_match_whatever_the_keyboard(seed_raw_dir, run_cli):
    book = openpyxl.load_workbook(seed_raw_dir / DM)
    sheet = book["Chỉ tiêu"]
    sheet.title = unicodedata.normalize("NFD", "chỉ  tiêu ")
    sheet["C1"] = unicodedata.normalize("NFD", "ĐƠN VỊ\u00a0TÍNH")
    sheet["B3"] = unicodedata.normalize("NFD", "Thu ngân sách trên địa bàn 5 năm tăng")
    book["Thông tin"]["I1"] = "Diện tích tự nhiên (km2)"
    book.save(seed_raw_dir / DM)
    result = run_cli(seed_raw_dir)
    assert (result.status, result.err) == (0, "")


def test_a_title_row_above_the_header_is_allowed(seed_raw_dir, run_cli):
    book = openpyxl.load_workbook(seed_raw_dir / DM)
    book["Chỉ tiêu"].insert_rows(1, 2)
    book["Chỉ tiêu"]["A1"] = "BIỂU CÁC CHỈ TIÊU ĐẠI HỘI XÃ ĐỨA MÒN, NHIỆM KỲ 2020-2025"
    book.save(seed_raw_dir / DM)
    edit(seed_raw_dir / DM, "Chỉ tiêu", "E9", "mười")  # was E7 before two rows were inserted
    result = run_cli(seed_raw_dir)
    assert result.lines[0] == 'raw/son_la/dua_mon.xlsx › Chỉ tiêu › E9: "mười" không phải là số'


def test_numbers_typed_as_numbers_are_read_exactly(seed_raw_dir, run_cli):
    edit(seed_raw_dir / MLC, "Chỉ tiêu", "D3", 1.13)
    edit(seed_raw_dir / DM, "Thông tin", "J2", 9356)
    result = run_cli(seed_raw_dir)
    assert (result.status, result.err) == (0, "")


def test_the_command_line_prints_no_traceback(seed_raw_dir, tmp_path):
    edit(seed_raw_dir / DM, "Chỉ tiêu", "E7", "mười")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "annexes",
            "--raw",
            str(seed_raw_dir),
            "--output",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert 'raw/son_la/dua_mon.xlsx › Chỉ tiêu › E7: "mười" không phải là số' in done.stderr
    assert "Traceback" not in done.stderr
    assert list(snapshot(tmp_path / "out")) == [
        ".manifest.json",  # naming the copy ours
        "ban_danh_dau/son_la/dua_mon.xlsx",
    ]

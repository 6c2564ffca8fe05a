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
import pandas as pd
import pytest

from tests.conftest import (
    SEED_WARNING,
    besides_the_seeds,
    cases,
    edit,
    marked_cell,
    snapshot,
    unmarked,
)

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
        "a result typed in tỷ đồng in a row in Tr. đồng",
        [(DM, "Chỉ tiêu", "E5", "1,2 tỷ đồng")],
        0,
        [
            '[cảnh báo] raw/son_la/dua_mon.xlsx › Chỉ tiêu › E5: "1,2 tỷ đồng" đọc là 1.200 Tr. '
            "đồng theo đơn vị của dòng (1 Tỷ đồng = 1.000 Tr. đồng, theo danh mục)"
        ],
    ),
    (
        "a target typed in thousands in a row counting heads",
        [(ML, "Mục tiêu", "D5", "18 nghìn con")],
        0,
        [
            '[cảnh báo] raw/son_la/muong_lam.xlsx › Mục tiêu › D5: "18 nghìn con" đọc là 18.000 '
            "Con theo đơn vị của dòng (1 Nghìn con = 1.000 Con, theo danh mục)"
        ],
    ),
    (
        "a percentage typed in a row of money",
        [(DM, "Chỉ tiêu", "E5", "85%")],
        2,
        [
            'raw/son_la/dua_mon.xlsx › Chỉ tiêu › E5: "85%" ghi đơn vị "%", khác đơn vị của dòng '
            '"Tr. đồng" và không quy đổi được: ghi số theo đơn vị "Tr. đồng", hoặc sửa cột "Đơn '
            'vị tính"'
        ],
    ),
    (
        "a count of animals typed in a row of hectares",
        [(DM, "Chỉ tiêu", "E6", "15 nghìn con")],
        2,
        [
            'raw/son_la/dua_mon.xlsx › Chỉ tiêu › E6: "15 nghìn con" ghi đơn vị "Nghìn con", khác '
            'đơn vị của dòng "ha" và không quy đổi được: ghi số theo đơn vị "ha", hoặc sửa cột '
            '"Đơn vị tính"'
        ],
    ),
    (
        "an area typed in hectares where the sheet takes km²",
        [(DM, "Thông tin", "I2", "13.398 ha"), (MLC, "Thông tin", "J2", "9.356 người")],
        2,
        [
            'raw/son_la/dua_mon.xlsx › Thông tin › I2: "13.398 ha" ghi đơn vị "ha", khác đơn vị '
            'của cột "km²": ghi số theo km², không kèm chữ'
        ],
    ),
    (
        "a unit the catalogue does not know typed after a result",
        [(DM, "Chỉ tiêu", "E5", "24.800 nghìn đồng")],
        2,
        [
            'raw/son_la/dua_mon.xlsx › Chỉ tiêu › E5: "24.800 nghìn đồng": không nhận ra đơn vị '
            '"nghìn đồng" ghi sau số (không có trong sheet "Đơn vị" của danh mục); ghi số theo '
            'đơn vị của dòng "Tr. đồng", không kèm chữ, hoặc thêm đơn vị này vào danh mục'
        ],
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
            # without a code, the row's kind is read from its words ("xuống dưới 12%": none)
            "[cảnh báo] raw/son_la/muong_lam_cu.xlsx › Chỉ tiêu › D12: dòng này chưa ghi mã chỉ "
            'tiêu nên chưa biết "Loại mục tiêu" theo danh mục; dòng này không có chữ nào chỉ loại '
            'khác, tính là "Mức"; ghi mã chỉ tiêu để lấy loại mục tiêu của danh mục',
            # the nearest indicators by the row's name, as the form's list offers them
            'raw/son_la/muong_lam_cu.xlsx › Chỉ tiêu › G12: ô trống: cần ghi "Mã chỉ tiêu"; gần '
            'nhất: "Tỷ lệ hộ nghèo", "Mức giảm tỷ lệ hộ nghèo bình quân hằng năm"',
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
        "a blank population of an old commune whose new commune takes means by population",
        [(DM, "Thông tin", "J2", None)],
        2,
        [
            'raw/son_la/dua_mon.xlsx › Thông tin › J2: ô trống: cần ghi "Dân số (người)"; xã mới '
            '"Mường Lầm" lấy bình quân theo dân số các xã hợp thành cho chỉ tiêu "Tỷ lệ lao động '
            'nông nghiệp" và 6 chỉ tiêu khác, nên cần dân số của từng xã'
        ],
    ),
    (
        "a blank area of an old commune whose new commune takes a mean by area",
        [(MLC, "Thông tin", "I2", None)],
        2,
        [
            'raw/son_la/muong_lam_cu.xlsx › Thông tin › I2: ô trống: cần ghi "Diện tích tự nhiên '
            '(km²)"; xã mới "Mường Lầm" lấy bình quân theo diện tích các xã hợp thành cho chỉ '
            'tiêu "Tỷ lệ che phủ rừng", nên cần diện tích của từng xã'
        ],
    ),
    (
        "every member's population blank",
        [(DM, "Thông tin", "J2", None), (MLC, "Thông tin", "J2", None)],
        2,
        [
            'raw/son_la/dua_mon.xlsx › Thông tin › J2: ô trống: cần ghi "Dân số (người)"; xã mới '
            '"Mường Lầm" lấy bình quân theo dân số các xã hợp thành cho chỉ tiêu "Tỷ lệ lao động '
            'nông nghiệp" và 6 chỉ tiêu khác, nên cần dân số của từng xã',
            'raw/son_la/muong_lam_cu.xlsx › Thông tin › J2: ô trống: cần ghi "Dân số (người)"; xã '
            'mới "Mường Lầm" lấy bình quân theo dân số các xã hợp thành cho chỉ tiêu "Tỷ lệ lao '
            'động nông nghiệp" và 6 chỉ tiêu khác, nên cần dân số của từng xã',
        ],
    ),
    (
        "a blank population of a new commune (no mean is weighted by it): nothing to say",
        [(ML, "Thông tin", "J2", None)],
        0,
        [],
    ),
    (
        "a result left blank beside a published rating (a warning at the result's cell)",
        [(DM, "Chỉ tiêu", "E3", None)],
        0,
        [
            "[cảnh báo] raw/son_la/dua_mon.xlsx › Chỉ tiêu › E3: chưa có kết quả thực hiện mà có "
            'đánh giá công bố "Vượt": phụ lục in "Vượt" bên ô kết quả trống, đánh giá tính lại là '
            '"Chưa có số liệu"'
            "; nếu bản in có kết quả thì ghi vào ô này, nếu bản in cũng để trống thì giữ trống"
        ],
    ),
    (
        "a result left blank beside a rating kept on purpose says the reason given",
        [
            (DM, "Chỉ tiêu", "E3", None),
            (DM, "Chỉ tiêu", "L1", "Giữ đánh giá công bố"),
            (DM, "Chỉ tiêu", "M1", "Lý do giữ đánh giá"),
            (DM, "Chỉ tiêu", "L3", "Có"),
            (DM, "Chỉ tiêu", "M3", "số liệu của huyện"),
        ],
        0,
        [
            "[cảnh báo] raw/son_la/dua_mon.xlsx › Chỉ tiêu › E3: chưa có kết quả thực hiện mà có "
            'đánh giá công bố "Vượt": phụ lục in "Vượt" bên ô kết quả trống, đánh giá tính lại là '
            '"Chưa có số liệu"'
            "; nếu bản in có kết quả thì ghi vào ô này, nếu bản in cũng để trống thì giữ trống"
            "; giữ đánh giá công bố vì: số liệu của huyện"
        ],
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
        "an outline level the report document cannot take",
        [(ML, "Thông tin", "O1", "Cấp đề mục"), (ML, "Thông tin", "O2", 5)],
        2,
        [
            'raw/son_la/muong_lam.xlsx › Thông tin › O2: "5" không phải là cấp đề mục hợp lệ '
            "(1, 2, 3 hoặc để trống)"
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
        [(DM, "Chỉ tiêu", "C1", None)],
        2,
        [
            'raw/son_la/dua_mon.xlsx › Chỉ tiêu › L1: thiếu cột "Đơn vị tính": thêm cột này vào '
            "dòng tiêu đề (hàng 1)"
        ],
    ),
    (
        "a header typed over, named where it stands",
        [(DM, "Chỉ tiêu", "E1", "Cột lạ")],
        2,
        [
            'raw/son_la/dua_mon.xlsx › Chỉ tiêu › E1: tiêu đề "Cột lạ" không khớp cột nào của '
            'sheet; gần nhất là cột đang thiếu "Kết quả thực hiện": nếu đúng là cột này, sửa '
            "tiêu đề cho khớp",
            'raw/son_la/dua_mon.xlsx › Chỉ tiêu › L1: thiếu cột "Kết quả thực hiện": thêm cột '
            'này vào dòng tiêu đề (hàng 1), hoặc sửa tiêu đề "Cột lạ" ở E1 nếu đó chính là cột '
            "này",
        ],
    ),
    (
        "a header shortened past its synonyms",
        [(DM, "Chỉ tiêu", "C1", "Đ.vị đo")],
        2,
        [
            'raw/son_la/dua_mon.xlsx › Chỉ tiêu › C1: tiêu đề "Đ.vị đo" không khớp cột nào của '
            'sheet; gần nhất là cột đang thiếu "Đơn vị tính": nếu đúng là cột này, sửa tiêu đề '
            "cho khớp",
            'raw/son_la/dua_mon.xlsx › Chỉ tiêu › L1: thiếu cột "Đơn vị tính": thêm cột này vào '
            'dòng tiêu đề (hàng 1), hoặc sửa tiêu đề "Đ.vị đo" ở C1 nếu đó chính là cột này',
        ],
    ),
    (
        "a mistyped header of an optional column",
        [(DM, "Chỉ tiêu", "L1", "Giữ đánh gía công bố"), (DM, "Chỉ tiêu", "M1", "Ghi chú riêng")],
        0,
        [
            '[cảnh báo] raw/son_la/dua_mon.xlsx › Chỉ tiêu › L1: tiêu đề "Giữ đánh gía công bố" '
            "không khớp cột nào của sheet nên cột L không được đọc; gần nhất là "
            '"Giữ đánh giá công bố": nếu đúng là cột này, sửa tiêu đề cho khớp'
        ],
    ),
    (
        "a header matched by two columns",
        [(DM, "Chỉ tiêu", "L1", "Chỉ tiêu NQ Đại hội XXII"), (DM, "Chỉ tiêu", "L3", "5")],
        2,
        [
            'raw/son_la/dua_mon.xlsx › Chỉ tiêu › D1: cột "Chỉ tiêu NQ" có ở 2 ô tiêu đề: D1 và '
            "L1: không rõ cột nào là số liệu đúng; xóa cột thừa hoặc sửa tiêu đề của nó"
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
            '[cảnh báo] raw/son_la/dua_mon.xlsx › Thông tin › A2: xã "Đứa Mòn" (dua_mon) chưa được '
            'ghi vào sheet "Xã hợp thành" của xã mới nào, nên không được gộp',
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
    cases([case[1:] for case in CELL_CASES], ids=[case[0] for case in CELL_CASES]),
)
def test_a_broken_cell_is_named_exactly(seed_raw_dir, output_dir, run_cli, edits, status, expected):
    before = snapshot(output_dir)
    for path, sheet, cell, value in edits:
        edit(seed_raw_dir / path, sheet, cell, value)
    result = run_cli(seed_raw_dir)
    problems = [
        line
        for line in besides_the_seeds(result.lines)
        if not line.startswith(("Chưa ghi", "Đã tô màu"))
    ]
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
        SEED_WARNING,
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
    assert result.lines[0] == (
        "raw/danh_muc_chi_tieu.xlsx: không tìm thấy tệp danh mục chỉ tiêu; chép danh mục mẫu vào "
        f"bằng `bieu khoi-tao --raw {seed_raw_dir}`"
    )


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
    assert besides_the_seeds(result.lines)[0] == (
        "raw/son_la/hong.xlsx: không đọc được tệp: tệp hỏng hoặc không phải bảng tính .xlsx, "
        ".xls, .ods, .xlsb"
    )
    assert result.status == 2
    assert unmarked(snapshot(output_dir)) == unmarked(before)


def test_a_commune_code_used_by_two_workbooks(seed_raw_dir, run_cli):
    shutil.copy(seed_raw_dir / DM, seed_raw_dir / "son_la" / "dua_mon_ban_sao.xlsx")
    result = run_cli(seed_raw_dir)
    errors = [line for line in result.lines if not line.startswith("[cảnh báo]")]
    assert errors[0] == (
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
    assert besides_the_seeds(result.lines)[:2] == [
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
        "khong_co/, hoặc chỉ chỗ khác bằng --raw THƯ_MỤC; hồ sơ mới thì bắt đầu bằng "
        f"`bieu khoi-tao --raw {tmp_path / 'khong_co'}`"
    ]


def test_a_rating_beside_no_result_is_found_at_the_result_cell(seed_output):
    """The seed's Đứa Mòn prints "Vượt" beside no result (row 31): Kiểm tra and kiem_tra.csv
    point at the empty result E31, once, never at the rating F31."""
    checks = seed_output / "muong_lam" / "kiem_tra.csv"
    found = pd.read_csv(checks, dtype=str, keep_default_na=False)
    row31 = found[(found["tep"] == "raw/son_la/dua_mon.xlsx") & found["o"].isin(["E31", "F31"])]
    assert row31[["muc_do", "loai", "o", "noi_dung"]].values.tolist() == [
        ["cảnh báo", "đánh giá lệch", "E31", SEED_WARNING.split("E31: ", 1)[1]]
    ]
    sheet = openpyxl.load_workbook(seed_output / "muong_lam" / "bieu_chi_tieu.xlsx")["Kiểm tra"]
    cells = [
        row[4] for row in sheet.iter_rows(values_only=True) if row[2] == "raw/son_la/dua_mon.xlsx"
    ]
    assert "E31" in cells and "F31" not in cells


# --- what must not be a problem


def seeds_warning(name: str = "dua_mon.xlsx", sheet: str = "Chỉ tiêu") -> list[str]:
    """What a run of the seed prints on the terminal, Đứa Mòn's workbook named `name` with its
    sheet `sheet`: the seed's one warning, and the copy that marks it."""
    copy = name if name.endswith(".xlsx") else f"{name}.xlsx"
    return [
        SEED_WARNING.replace("dua_mon.xlsx › Chỉ tiêu", f"{name} › {sheet}"),
        f"Đã tô màu các ô có vấn đề trong bản sao output/ban_danh_dau/son_la/{copy} (đỏ: lỗi, "
        "cam: cảnh báo; lời nhắn ở ghi chú của ô). Sửa trong tệp gốc ở raw/, không sửa bản sao.",
    ]


def test_the_seed_builds_with_its_one_warning(seed_raw_dir, run_cli):
    """Đứa Mòn's report prints "Vượt" beside no result: a warning at that result's cell."""
    result = run_cli(seed_raw_dir)
    assert result.status == 0
    assert result.lines == seeds_warning()
    first, last = result.out.splitlines()
    assert first == (
        "Đã đọc 3 tệp xã (2 xã trước sắp xếp, 1 xã sau sắp xếp), danh mục 59 chỉ tiêu và 17 đơn "
        "vị: 0 lỗi, 1 cảnh báo."
    )
    assert re.fullmatch(
        r"Xong: 1 xã mới, 1 bộ phụ lục ghi mới vào output/; 0 lỗi, 1 cảnh báo, 27 phát hiện "
        r"\(xem output/muong_lam/kiem_tra.csv\); \d+,\d giây\.",
        last,
    )


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_older_offices_formats_are_read(seed_raw_dir, run_cli, suffix):
    (seed_raw_dir / DM).unlink()
    shutil.copy(Path(__file__).parent / "fixtures" / f"dua_mon{suffix}", seed_raw_dir / "son_la")
    result = run_cli(seed_raw_dir)
    assert (result.status, result.lines) == (0, seeds_warning(f"dua_mon{suffix}"))


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
    sheet = unicodedata.normalize("NFD", "chỉ  tiêu ")
    assert (result.status, result.lines) == (0, seeds_warning(sheet=sheet))


def test_a_title_row_above_the_header_is_allowed(seed_raw_dir, run_cli):
    book = openpyxl.load_workbook(seed_raw_dir / DM)
    book["Chỉ tiêu"].insert_rows(1, 2)
    book["Chỉ tiêu"]["A1"] = "BIỂU CÁC CHỈ TIÊU ĐẠI HỘI XÃ ĐỨA MÒN, NHIỆM KỲ 2020-2025"
    book.save(seed_raw_dir / DM)
    edit(seed_raw_dir / DM, "Chỉ tiêu", "E9", "mười")  # was E7 before two rows were inserted
    result = run_cli(seed_raw_dir)
    assert result.lines[0] == 'raw/son_la/dua_mon.xlsx › Chỉ tiêu › E9: "mười" không phải là số'


def test_a_figure_typed_with_a_unit_or_spaced_thousands_is_rated_by_its_value(
    seed_raw_dir, output_dir, run_cli
):
    """The annex prints the cell as typed; the rating, the achievement and the 2030 gap are
    those of the figure in the row's unit, as the seed's own figures give them."""
    run_cli(seed_raw_dir)
    seed = read_tables(output_dir)
    edit(seed_raw_dir / DM, "Chỉ tiêu", "E5", "0,0248 tỷ đồng")  # 24,8 Tr. đồng
    edit(seed_raw_dir / DM, "Chỉ tiêu", "E7", "15 000 con")  # 15 Nghìn con
    edit(seed_raw_dir / ML, "Mục tiêu", "D5", "18\u00a0000")  # 18.000 Con, a no-break space
    result = run_cli(seed_raw_dir)
    assert result.status == 0
    edited = read_tables(output_dir)
    rows, seed_rows = edited["chi_tieu"], seed["chi_tieu"]
    for row, printed in ((5, "0,0248 tỷ đồng"), (7, "15 000 con")):
        got = rows[(rows["tep"] == "raw/son_la/dua_mon.xlsx") & (rows["dong"] == str(row))].iloc[0]
        was = seed_rows[
            (seed_rows["tep"] == "raw/son_la/dua_mon.xlsx") & (seed_rows["dong"] == str(row))
        ]
        assert got["ket_qua"] == printed
        assert (got["danh_gia_tinh"], got["ty_le_dat"]) == (
            was.iloc[0]["danh_gia_tinh"],
            was.iloc[0]["ty_le_dat"],
        )
    goals, seed_goals = edited["muc_tieu_2030"], seed["muc_tieu_2030"]
    got, was = goals[goals["dong"] == "5"].iloc[0], seed_goals[seed_goals["dong"] == "5"].iloc[0]
    assert got["muc_tieu_2030"] == "18 000"
    checks = pd.read_csv(output_dir / "muong_lam" / "kiem_tra.csv", dtype=str)
    said = checks.loc[checks["o"] == "E5", "noi_dung"].tolist()
    assert said == [
        '"0,0248 tỷ đồng" đọc là 24,8 Tr. đồng theo đơn vị của dòng (1 Tỷ đồng = 1.000 Tr. '
        "đồng, theo danh mục)"
    ]
    assert (got["chenh_lech"], got["thay_doi_moi_nam"]) == (
        was["chenh_lech"],
        was["thay_doi_moi_nam"],
    )
    assert got["chenh_lech"] != ""


def read_tables(output: Path) -> dict[str, pd.DataFrame]:
    return {
        name: pd.read_csv(output / "muong_lam" / f"{name}.csv", dtype=str, keep_default_na=False)
        for name in ("chi_tieu", "muc_tieu_2030")
    }


def test_numbers_typed_as_numbers_are_read_exactly(seed_raw_dir, run_cli):
    edit(seed_raw_dir / MLC, "Chỉ tiêu", "D3", 1.13)
    edit(seed_raw_dir / DM, "Thông tin", "J2", 9356)
    result = run_cli(seed_raw_dir)
    assert (result.status, result.lines) == (0, seeds_warning())


@pytest.mark.processes
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

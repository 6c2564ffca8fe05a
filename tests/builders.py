"""Writing small raw records from Python data, as an officer would type them (every cell text)."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from pipeline.synth import INFO, RESULTS, TARGETS  # the minimal headers a commune workbook needs


def workbook(path: Path, sheets: dict[str, list[list[str]]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(path)
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                if value != "":
                    sheet.write_string(i, j, value)
    book.close()
    return path


def catalogue(raw: Path, indicators: list[tuple], units: list[tuple]) -> Path:
    """indicators: (code, name, direction, merge rule, feeds); units: (unit, kind, whole, to, ×)."""
    return workbook(
        raw / "danh_muc_chi_tieu.xlsx",
        {
            "Chỉ tiêu": [
                ["Mã chỉ tiêu", "Tên chỉ tiêu", "Chiều đánh giá", "Cách gộp", "Gộp vào chỉ tiêu"],
                *[list(i) for i in indicators],
            ],
            "Đơn vị": [
                ["Đơn vị tính", "Loại", "Chỉ nhận số nguyên", "Quy đổi về", "Hệ số quy đổi"],
                *[list(u) for u in units],
            ],
        },
    )


def old_commune(path: Path, code, province, name, bieu, area, people, rows) -> Path:
    info = [
        code,
        province,
        name,
        "Trước sắp xếp",
        bieu,
        "2020-2025",
        f"BIỂU CÁC CHỈ TIÊU ĐẠI HỘI XÃ {name.upper()}, NHIỆM KỲ 2020-2025",
        area,
        people,
    ]
    return workbook(
        path, {"Thông tin": [INFO, info], "Chỉ tiêu": [RESULTS, *[list(r) for r in rows]]}
    )


def new_commune(path: Path, code, province, name, bieu, area, people, rows, members) -> Path:
    info = [
        code,
        province,
        name,
        "Sau sắp xếp",
        bieu,
        "2025-2030",
        f"BIỂU CÁC CHỈ TIÊU ĐẠI HỘI ĐẢNG BỘ XÃ {name.upper()}, NHIỆM KỲ 2025-2030",
        area,
        people,
    ]
    return workbook(
        path,
        {
            "Thông tin": [INFO, info],
            "Mục tiêu": [TARGETS, *[list(r) for r in rows]],
            "Xã hợp thành": [["Mã xã", "Tên xã"], *[list(m) for m in members]],
        },
    )

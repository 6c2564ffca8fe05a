"""Writing small raw records from Python data, as an officer would type them (every cell text)."""

from __future__ import annotations

from pathlib import Path

from pipeline.load import KNOWN_SHEETS, read_cells
from tools.synth import INFO, RESULTS, TARGETS, Book, write_book


def workbook(path: Path, sheets: dict[str, list[list[str]]]) -> Path:
    """A workbook with these sheets, every cell text; written by the generator's own writer."""
    rows = tuple((name, tuple(map(tuple, rows))) for name, rows in sheets.items())
    write_book(Book(Path(path.name), rows), path.parent)
    return path


def catalogue(raw: Path, indicators: list[tuple], units: list[tuple]) -> Path:
    """indicators: (code, name, direction, merge rule, feeds[, kind of target]); units: (unit,
    kind, whole, to, ×). Every indicator declares its kind, as the seed's do: a level where the
    tuple gives none (a blank kind is read from each row's words, with a warning)."""
    header = ["Mã chỉ tiêu", "Tên chỉ tiêu", "Chiều đánh giá", "Cách gộp", "Gộp vào chỉ tiêu"]
    return workbook(
        raw / "danh_muc_chi_tieu.xlsx",
        {
            "Chỉ tiêu": [
                [*header, "Loại mục tiêu"],
                *[[*i[:5], *[""] * (5 - len(i[:5])), *(i[5:] or ("Mức",))] for i in indicators],
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


def grids(path: Path) -> dict[str, list[list[object]]]:
    """Every sheet of a raw workbook the pipeline reads, as rows of cell values."""
    return {name: opened[0] for name, opened in read_cells(path, KNOWN_SHEETS).items()}

"""Laying out the annex workbooks: Biểu 01–03 as printed, and the check sheet.

Pure: DataFrames in, `SheetLayout`s out (cells with style names, merges, widths, heights, print
settings). `pipeline/render/xlsx.py` turns them into an .xlsx file. Printed columns hold the printed
text, so numbers read in Vietnamese notation whatever the locale of the Excel that opens them;
what the record alone does not show goes to the right of the print area, which is not printed.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from pipeline.layout.sheet import Page, SheetLayout, Title, amount, rating_style
from pipeline.parse import format_vi
from pipeline.view import CommuneView, Table
from schemas.stages import (
    GOAL,
    RESULT,
    TARGET,
    Baselines,
    IndicatorsRead,
    InfoRead,
    Located,
    ResultRows,
    ResultRowsRead,
    ScoredRows,
    TargetRowsRead,
)
from schemas.vocabulary import FINDING, GROUP, ITEM, WARNING

SIDE_LINES = 1  # a note beside the table never makes a printed row taller than one line


def _group_row(sheet: SheetLayout, row: int, record: Mapping, last: int) -> None:
    """A group row: its Roman numeral, and its name merged over the rest of the table."""
    sheet.put(row, 0, record[ResultRowsRead.tt], "group")
    sheet.merge(row, 1, row, last, record[ResultRowsRead.chi_tieu], "group_name")
    sheet.fit(row, [(record[ResultRowsRead.chi_tieu], sum(sheet.widths[1 : last + 1]))])


RESULT_WIDTHS = [6, 46, 11, 13, 11, 11]
SIDE_RESULT = [
    ("Tỷ lệ đạt (%)", 11),
    ("Đánh giá tính lại", 13),
    ("Vì sao", 100),
    ("Giữ đánh giá công bố", 11),
    ("Lý do giữ", 30),
]


def result_sheet(
    name: str,
    info: Mapping,
    headers: dict[str, str],
    rows: list[Mapping],
    scored: list[Mapping],
    tally: Mapping,
    standing: bool = False,
) -> SheetLayout:
    """One old commune's Biểu (01, 02 …): the printed table, the tally line under it, and the
    computed figures beside it. The rating column and the tally are the published ones, or with
    `standing` the ones that stand (`danh_gia_chot`), as the report's prose states them."""
    sheet = SheetLayout(name, widths=[*RESULT_WIDTHS, 3, *(w for _, w in SIDE_RESULT)])
    columns = [
        "TT",
        "Chỉ tiêu",
        "Đơn vị tính",
        headers.get(ResultRowsRead.chi_tieu_nq, "Chỉ tiêu NQ"),
        "Kết quả thực hiện",
        "Đánh giá",
    ]
    last = len(columns) - 1
    header, side = _headers(sheet, info, columns, RESULT_WIDTHS, SIDE_RESULT)
    computed = {r[Located.dong]: r for r in scored}
    row = header + 1
    spans = _item_spans(rows)
    for record in rows:
        if record[ResultRows.loai_dong] == GROUP:
            _group_row(sheet, row, record, last)
        else:
            if record[ResultRows.loai_dong] == ITEM:
                span = spans[record[Located.dong]]
                if span > 1:
                    sheet.merge(row, 0, row + span - 1, 0, record[ResultRowsRead.tt], "tt")
                else:
                    sheet.put(row, 0, record[ResultRowsRead.tt], "tt")
            sheet.put(row, 1, record[ResultRowsRead.chi_tieu], "text")
            sheet.put(row, 2, record[ResultRowsRead.don_vi], "center")
            sheet.put(row, 3, record[TARGET.text], "center")
            sheet.put(row, 4, record[RESULT.text], "center")
            line = computed[record[Located.dong]]
            rating = line[ScoredRows.danh_gia_chot] if standing else record[ResultRowsRead.danh_gia]
            sheet.put(row, 5, rating, rating_style(rating))
            differs = line[ScoredRows.danh_gia_tinh] != record[ResultRowsRead.danh_gia]
            ratio = (
                ""
                if pd.isna(line[ScoredRows.ty_le_dat])
                else format_vi(line[ScoredRows.ty_le_dat], 1)
            )
            sheet.put(row, side, ratio, "side_number")
            sheet.put(
                row,
                side + 1,
                line[ScoredRows.danh_gia_tinh] if differs else "",
                rating_style(line[ScoredRows.danh_gia_tinh]) if differs else "side_text",
            )
            # why: the computed rating where it differs, and why no ratio where none is printed
            said = [line[ScoredRows.ly_do] if differs else "", line[ScoredRows.ly_do_khong_ty_le]]
            why = "; ".join(text for text in said if text)
            sheet.put(row, side + 2, why, "side_text")
            sheet.put(row, side + 3, line[ResultRowsRead.giu_danh_gia], "side_center")
            sheet.put(row, side + 4, line[ResultRowsRead.ly_do_giu], "side_text")
            # the printed columns set the row's height; a note beside them adds at most a line
            sheet.fit(row, [(record[ResultRowsRead.chi_tieu], RESULT_WIDTHS[1])])
            side_notes = [
                (why, SIDE_RESULT[2][1]),
                (line[ResultRowsRead.ly_do_giu], SIDE_RESULT[4][1]),
            ]
            sheet.fit(row, side_notes, most=SIDE_LINES)
        row += 1
    stated = tally["cau_tong_hop_chot" if standing else "cau_tong_hop_cong_bo"]
    sheet.merge(row, 0, row, last, f"Tổng số: {stated}", "tally")
    recomputed = f"Tính lại từ chỉ tiêu và kết quả: {tally['cau_tong_hop_tinh']}"
    sheet.merge(row + 1, 0, row + 1, last, recomputed, "tally_note")
    sheet.printed(last + 1, row + 1, header)
    sheet.freeze = (header + 1, 0)
    return sheet


TARGET_WIDTHS = [6, 40, 14, 26, 22]
SIDE_TARGET = [
    ("Hiện trạng 2025 (gộp)", 13),
    ("Cách gộp", 16),
    ("Chênh lệch đến 2030", 12),
    ("Thay đổi cần mỗi năm", 14),
    (f"Ghi chú gộp, {FINDING}", 110),
]


def target_sheet(
    name: str, info: Mapping, headers: dict[str, str], rows: list[Mapping], lines: list[Mapping]
) -> SheetLayout:
    """The new commune's Biểu 03: its 2030 targets as printed, the merged baseline beside them."""
    sheet = SheetLayout(name, widths=[*TARGET_WIDTHS, 3, *(w for _, w in SIDE_TARGET)])
    columns = [
        "TT",
        "Chỉ tiêu",
        "Đơn vị tính",
        headers.get(TargetRowsRead.muc_tieu, "Mục tiêu"),
        "Ghi chú",
    ]
    last = len(columns) - 1
    header, side = _headers(sheet, info, columns, TARGET_WIDTHS, SIDE_TARGET, rule=True)
    merged = {r[Located.dong]: r for r in lines}
    row = header + 1
    for record in rows:
        if record[ResultRows.loai_dong] == GROUP:
            _group_row(sheet, row, record, last)
        else:
            sheet.put(
                row,
                0,
                record[ResultRowsRead.tt] if record[ResultRows.loai_dong] == ITEM else "",
                "tt",
            )
            sheet.put(row, 1, record[ResultRowsRead.chi_tieu], "text")
            sheet.put(row, 2, record[ResultRowsRead.don_vi], "center")
            sheet.put(row, 3, record[GOAL.text], "center")
            sheet.put(row, 4, record[TargetRowsRead.ghi_chu], "text")
            line = merged[record[Located.dong]]
            base = line[Baselines.hien_trang_2025]
            sheet.put(row, side, amount(base), "side_number")
            sheet.put(row, side + 1, line[IndicatorsRead.cach_gop], "side_text")
            gap = line[Baselines.chenh_lech]
            sheet.put(row, side + 2, amount(gap), "side_number")
            yearly = line[Baselines.thay_doi_moi_nam]
            sheet.put(
                row,
                side + 3,
                "" if pd.isna(yearly) else f"{format_vi(yearly, 2)} {line['don_vi_thay_doi']}",
                "side_number",
            )
            behind = bool(line[Baselines.muc_tieu_thap_hon_hien_trang])
            level = bool(line[Baselines.muc_tieu_bang_hien_trang])
            note = (
                "Mục tiêu 2030 kém mức đã đạt năm 2025"
                if behind
                else "Mục tiêu 2030 chỉ bằng mức đã đạt năm 2025"
                if level
                else line[Baselines.ghi_chu_gop]
            )
            behind = behind or level
            sheet.put(row, side + 4, note, "side_warn" if behind else "side_text")
            printed = [
                (record[ResultRowsRead.chi_tieu], TARGET_WIDTHS[1]),
                (record[GOAL.text], TARGET_WIDTHS[3]),
                (record[TargetRowsRead.ghi_chu], TARGET_WIDTHS[4]),
            ]
            sheet.fit(row, printed)
            sheet.fit(row, [(note, SIDE_TARGET[4][1])], most=SIDE_LINES)
        row += 1
    sheet.printed(last + 1, row, header)
    sheet.freeze = (header + 1, 0)
    return sheet


CHECK_COLUMNS = [
    ("Mức độ", 9),
    ("Loại", 13),
    ("Tệp", 24),
    ("Sheet", 11),
    ("Ô", 6),
    ("Xã", 12),
    ("Nhóm", 6),
    ("TT", 5),
    ("Chỉ tiêu", 26),
    ("Nội dung", 72),
]


def check_sheet(checks: Table) -> SheetLayout:
    """Every warning and finding of `kiem_tra.csv`, pointing at its raw cell, its level in
    its severity's fill (as in a marked copy's list); printed landscape."""
    sheet = SheetLayout("Kiểm tra", widths=[w for _, w in CHECK_COLUMNS], page=Page(landscape=True))
    title = Title("KẾT QUẢ KIỂM TRA SỐ LIỆU CÁC BIỂU", fitted=False)
    sheet.heading([title], [text for text, _ in CHECK_COLUMNS], 2, fitted=False)
    for row, values in enumerate(checks.rows, start=3):
        for col, value in enumerate(values):
            sheet.put(row, col, value, f"mark:{value}" if col == 0 else "text")
        sheet.fit(row, [(str(v), CHECK_COLUMNS[i][1]) for i, v in enumerate(values)])
    if not checks.rows:
        sheet.merge(
            3, 0, 3, len(CHECK_COLUMNS) - 1, f"Không có {WARNING} hay {FINDING} nào.", "text"
        )
    end = 3 + max(len(checks.rows), 1)
    sheet.printed(len(CHECK_COLUMNS), end, 2)
    sheet.freeze = (3, 0)
    sheet.autofilter = (2, 0, max(end - 1, 3), len(CHECK_COLUMNS) - 1)
    return sheet


def _headers(
    sheet: SheetLayout,
    info,
    columns: list[str],
    widths: list[float],
    beside: list[tuple[str, float]],
    rule: bool = False,
) -> tuple[int, int]:
    """A Biểu's head: "Biểu 0x" at the top right, the title (and the italic line, and a rule
    under them) merged over the table, a blank row, the printed header row, and the headers of
    the columns beside the print area; returns the header row and the first column beside."""
    last = len(columns) - 1
    sheet.merge(0, last - 1, 0, last, f"Biểu {info['bieu_so']}", "bieu_so")
    lines = [Title(info[InfoRead.tieu_de])]
    if subtitle := info.get(InfoRead.dong_phu, ""):
        lines.append(Title(subtitle, "subtitle"))
    if rule:
        lines.append(Title("-----", "subtitle", fitted=False))
    header = 1 + len(lines) + 1
    sheet.heading(lines, columns, header, top=1)
    side = len(widths) + 1
    note = "Thông tin kiểm tra (ngoài vùng in)"
    sheet.merge(header - 1, side, header - 1, side + len(beside) - 1, note, "side_title")
    for i, (text, _) in enumerate(beside):
        sheet.put(header, side + i, text, "side_header")
    return header, side


def _item_spans(rows: list[Mapping]) -> dict[int, int]:
    """For each item's first row (by Excel row), how many rows it spans with its sub-rows."""
    spans: dict[int, int] = {}
    current = None
    for kind, dong in ((r[ResultRows.loai_dong], r[Located.dong]) for r in rows):
        if kind == ITEM:
            current = dong
            spans[current] = 1
        elif kind == GROUP:
            current = None
        elif current is not None:
            spans[current] += 1
    return spans


def tabled(view: CommuneView) -> list[str]:
    """The old communes that have a Biểu, in the order of the "Xã hợp thành" sheet."""
    return [old for old in view.olds if old in view.tally and old in view.rows]


def workbook_sheets(view: CommuneView) -> list[SheetLayout]:
    """A new commune's annex: one Biểu per old commune in the order of its "Xã hợp thành"
    sheet, then its own 2025–2030 targets, then the check sheet."""
    return _unique_names([*bieu_sheets(view), check_sheet(view.tables["kiem_tra.csv"])])


def bieu_sheets(view: CommuneView, standing: bool = False) -> list[SheetLayout]:
    """The Biểu sheets: one per old commune (rated as published, or as they stand), then the new
    commune's 2025–2030 targets."""
    sheets = []
    for old in tabled(view):
        table = view.rows[old]
        where = (table[0][Located.tep], table[0][Located.sheet])
        sheets.append(
            result_sheet(
                f"Biểu {view.info[old]['bieu_so']}",
                view.info[old],
                view.headers.get(where, {}),
                table,
                view.scored[old],
                view.tally[old],
                standing,
            )
        )
    targets = view.targets
    if targets:
        where = (targets[0][Located.tep], targets[0][Located.sheet])
        sheets.append(
            target_sheet(
                f"Biểu {view.own['bieu_so']}",
                view.own,
                view.headers.get(where, {}),
                targets,
                view.baselines,
            )
        )
    return sheets


def _unique_names(sheets: list[SheetLayout]) -> list[SheetLayout]:
    """Excel wants distinct sheet names of at most 31 characters."""
    seen: dict[str, int] = {}
    for sheet in sheets:
        base = sheet.name[:28]
        seen[base] = seen.get(base, 0) + 1
        sheet.name = base if seen[base] == 1 else f"{base} ({seen[base]})"
    return sheets

"""Laying out the tracking workbook of a new commune that typed its results year by year.

Pure: the commune's view in, `SheetLayout`s out. **Theo dõi 2030** prints each Biểu 03 row with
its 2025 baseline, each year's result coloured by where it stands on the way to the 2030 target,
the target, a sparkline and the latest status; beside the print area, the numbers its sparklines
and charts draw. **Biểu đồ** holds one line chart per numeric target: the results against the
path and the target.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from pipeline.layout.sheet import (
    Chart,
    Page,
    Range,
    Series,
    SheetLayout,
    Sparkline,
    amount,
    progress_style,
)
from pipeline.parse import NUMBER, RANGE, format_vi
from pipeline.view import CommuneView
from schemas.stages import GOAL, RESULT
from schemas.vocabulary import GROUP, ITEM, PROGRESS

TRACK_SHEET, CHART_SHEET = "Theo dõi 2030", "Biểu đồ"
YEAR_WIDTH = 9
FIXED_WIDTHS = [5, 36, 10, 11]  # TT, Chỉ tiêu, Đơn vị tính, Hiện trạng
AFTER_WIDTHS = [12, 12, 19, 22]  # Mục tiêu, Xu hướng, Tình trạng, Thay đổi cần
SIDE_WIDTH = 9
RESULT_INK, PATH_INK, GOAL_INK = "#1F4E78", "#7F7F7F", "#C00000"
# the charts: two across an A4 landscape page, two down
CHART_WIDTH, CHART_HEIGHT = 470, 270
CHART_COLUMNS, CHART_ROWS = 8, 15  # the cells each chart's place spans (default widths, 20 px)
BLOCKS = ("Kết quả", "Lộ trình", "Mục tiêu")  # the numbers drawn, beside the print area
DEFAULT_WIDTH = 8.43  # Excel's default column width: 64 pixels
PATH_NOTE = (
    "Lộ trình: từ hiện trạng 2025 (gộp từ kết quả các xã cũ) đến mục tiêu 2030, như cột “Thay "
    "đổi cần mỗi năm” của Biểu 03: tỷ lệ (%) đổi đều theo điểm % mỗi năm, số lượng theo % mỗi "
    "năm. Kết quả so với mức lộ trình của năm và với mục tiêu như số in (ghi 47 là bằng 47,05); "
    "kết quả ghi dạng khoảng tính theo đầu kém hơn."
)


def _signed(value: float) -> str:
    """A change in Vietnamese notation, its sign a minus sign, which a line never breaks
    after."""
    return format_vi(value, 2).replace("-", "\u2212")


def _needed(line: Mapping) -> str:
    """The yearly change now needed, and the one planned below it: "5,76 %/năm" and
    "(kế hoạch 4,99)"."""
    unit = line["don_vi_thay_doi"]
    needed, planned = line["thay_doi_can"], line["thay_doi_moi_nam"]
    plan = "" if pd.isna(planned) else _signed(planned)
    if pd.isna(needed):
        return f"kế hoạch {plan} {unit}" if plan else ""
    return f"{_signed(needed)} {unit}" + (f"\n(kế hoạch {plan})" if plan else "")


@dataclass(frozen=True)
class Drawn:
    """A row of the table that gets a chart: its title, its unit, and the ranges of its
    numbers beside the print area (results, path where it has one, target)."""

    title: str
    unit: str
    results: Range
    path: Range | None
    goal: Range


def tracking_sheets(view: CommuneView) -> list[SheetLayout]:
    """The tracking workbook's sheets: the printed table, then the charts."""
    table, years, drawn = _table(view)
    return [table, _charts(view, years, drawn)]


def _table(view: CommuneView) -> tuple[SheetLayout, Range, list[Drawn]]:
    """The printed table; the years the charts run over, and the rows they draw."""
    lines = view.tracking
    first, reported = int(lines[0]["nam_dau"]), int(lines[0]["nam_bao_cao"])
    years = sorted({int(r["nam"]) for r in lines})
    at = {(r["_dong"], int(r["nam"])): r for r in lines}
    latest = {dong: r for (dong, _), r in at.items() if r["moi_nhat"]}
    widths = [*FIXED_WIDTHS, *[YEAR_WIDTH] * len(years), *AFTER_WIDTHS]
    printed, last, after = len(widths), len(widths) - 1, len(FIXED_WIDTHS) + len(years)
    span = len(years) + 1  # the baseline's year, then the term's
    # beside the print area, after a narrow gap: the numbers drawn, then why
    blocks = {name: printed + 1 + i * span for i, name in enumerate(BLOCKS)}
    notes = printed + 1 + 3 * span
    sheet = SheetLayout(
        TRACK_SHEET,
        widths=[*widths, 3, *[SIDE_WIDTH] * (3 * span), 70, 70],
        page=Page(landscape=True),
    )
    end_year = first + len(years)
    title = (
        f"KẾT QUẢ THỰC HIỆN CÁC MỤC TIÊU ĐẾN NĂM {end_year} QUA TỪNG NĂM – XÃ {view.name.upper()}"
    )
    subtitle = (
        f"Nhiệm kỳ {view.own['nhiem_ky']}: số liệu đến năm {reported}, theo sheet “Kết quả hằng "
        "năm”; màu ô của mỗi năm là tình trạng của kết quả năm đó (chú giải dưới bảng)"
    )
    for row, (text, style) in enumerate(((title, "title"), (subtitle, "subtitle"))):
        sheet.merges.append((row, 0, row, last, text, style))
        sheet.fit(row, [(text, sum(widths))])
    header = 3
    where = (view.targets[0]["_tep"], view.targets[0]["_sheet"])
    columns = [
        "TT",
        "Chỉ tiêu",
        "Đơn vị tính",
        f"Hiện trạng {first} (gộp)",
        *map(str, years),
        view.headers.get(where, {}).get("muc_tieu", "Mục tiêu"),
        f"Xu hướng {first}-{years[-1]}",
        f"Tình trạng năm {reported}",
        "Thay đổi cần mỗi năm từ nay (kế hoạch)",
    ]
    for col, text in enumerate(columns):
        sheet.put(header, col, text, "header")
    sheet.fit(header, [(t, widths[i]) for i, t in enumerate(columns)])
    for name, start in blocks.items():
        label = f"{name} (cho biểu đồ)"
        sheet.merges.append((header - 1, start, header - 1, start + span - 1, label, "side_title"))
        for i, year in enumerate([first, *years]):
            sheet.put(header, start + i, str(year), "side_header")
    sheet.put(header, notes, f"Vì sao (năm {reported})", "side_header")
    sheet.put(header, notes + 1, "Không có lộ trình vì", "side_header")
    drawn: list[Drawn] = []
    group = ""
    row = header + 1
    for record in view.targets:
        if record["loai_dong"] == GROUP:
            group = record["tt"]
            sheet.put(row, 0, group, "group")
            sheet.merges.append((row, 1, row, last, record["chi_tieu"], "group_name"))
            sheet.fit(row, [(record["chi_tieu"], sum(widths[1:]))])
            row += 1
            continue
        dong = record["_dong"]
        line = {year: at[(dong, year)] for year in years}
        now = line[reported]
        sheet.put(row, 0, record["tt"] if record["loai_dong"] == ITEM else "", "tt")
        sheet.put(row, 1, record["chi_tieu"], "text")
        sheet.put(row, 2, record["don_vi"], "center")
        sheet.put(row, 3, amount(now["hien_trang_2025"]), "number")
        for i, year in enumerate(years):
            text, status = line[year][RESULT.text], line[year]["trang_thai"]
            sheet.put(row, len(FIXED_WIDTHS) + i, text, progress_style(status))
        needed = _needed(latest.get(dong, now))
        sheet.put(row, after, record[GOAL.text], "center")
        sheet.put(row, after + 1, "", "center")  # the sparkline's cell
        sheet.put(row, after + 2, now["trang_thai"], progress_style(now["trang_thai"]))
        sheet.put(row, after + 3, needed, "center")
        has_path = bool(now["co_lo_trinh"])
        numeric = record[GOAL.kind] in (NUMBER, RANGE) and bool(now["theo_doi"])
        values = {
            "Kết quả": [now["hien_trang_2025"], *(line[y]["gia_tri"] for y in years)],
            "Lộ trình": [now["hien_trang_2025"], *(line[y]["lo_trinh"] for y in years)]
            if has_path
            else [None] * span,
            "Mục tiêu": [now["muc_tieu_so"] if numeric else None] * span,
        }
        ranges = {}
        for name, start in blocks.items():
            for i, value in enumerate(values[name]):
                sheet.number(row, start + i, value, "side_value")
            ranges[name] = Range(TRACK_SHEET, row, start, row, start + span - 1)
        sheet.put(row, notes, now["ly_do"], "side_text")
        sheet.put(row, notes + 1, now["ghi_chu_lo_trinh"], "side_text")
        results = [v for v in values["Kết quả"] if pd.notna(v)]
        if results:
            sheet.sparklines.append(Sparkline(row, after + 1, ranges["Kết quả"]))
        if numeric and (has_path or len(results) > pd.notna(now["hien_trang_2025"])):
            number = f"{group}.{record['tt']}" if group and record["tt"] else record["tt"]
            unit = f" ({record['don_vi']})" if record["don_vi"] else ""
            drawn.append(
                Drawn(
                    f"{number}. {record['chi_tieu']}{unit}".lstrip(". "),
                    record["don_vi"],
                    ranges["Kết quả"],
                    ranges["Lộ trình"] if has_path else None,
                    ranges["Mục tiêu"],
                )
            )
        sheet.fit(
            row,
            [
                (record["chi_tieu"], widths[1]),
                (record["don_vi"], widths[2]),
                (record[GOAL.text], widths[after]),
                (needed, widths[after + 3]),
            ],
        )
        row += 1
    end = _legend(sheet, row + 1, last)
    sheet.printed(printed, end, header)
    sheet.freeze = (header + 1, 2)
    years_range = Range(
        TRACK_SHEET, header, blocks["Kết quả"], header, blocks["Kết quả"] + span - 1
    )
    return sheet, years_range, drawn


def _charts(view: CommuneView, years: Range, drawn: list[Drawn]) -> SheetLayout:
    """One small line chart per numeric target, two across and two down a printed page: the
    results (the 2025 baseline first), the path and the target."""
    sheet = SheetLayout(
        CHART_SHEET, widths=[DEFAULT_WIDTH] * (2 * CHART_COLUMNS), page=Page(landscape=True)
    )
    last = 2 * CHART_COLUMNS - 1
    title = f"KẾT QUẢ TỪNG NĂM SO VỚI LỘ TRÌNH VÀ MỤC TIÊU 2030 – XÃ {view.name.upper()}"
    sheet.merges.append((0, 0, 0, last, title, "title"))
    top = 2
    per_row = 2
    for i, chart in enumerate(drawn):
        row = top + (i // per_row) * CHART_ROWS
        series = [Series("Kết quả", chart.results, RESULT_INK)]
        if chart.path is not None:
            series.append(Series("Lộ trình", chart.path, PATH_INK, dashed=True, markers=False))
        series.append(Series("Mục tiêu 2030", chart.goal, GOAL_INK, dashed=True, markers=False))
        sheet.charts.append(
            Chart(
                "line",
                chart.title,
                years,
                series,
                row,
                (i % per_row) * CHART_COLUMNS,
                CHART_WIDTH,
                CHART_HEIGHT,
                value_title=chart.unit,
            )
        )
    rows = -(-len(drawn) // per_row)
    end = top + max(rows, 1) * CHART_ROWS
    if not drawn:
        text = "Không có chỉ tiêu nào có mục tiêu bằng số và kết quả hay lộ trình để vẽ."
        sheet.merges.append((top, 0, top, last, text, "text"))
    sheet.breaks = [top + k * CHART_ROWS * 2 for k in range(1, -(-rows // 2))]
    sheet.printed(last + 1, end, None)
    return sheet


def _legend(sheet: SheetLayout, row: int, last: int) -> int:
    """What each colour of the year cells says, and how the path is drawn; returns the row
    after it."""
    sheet.merges.append((row, 0, row, last, "Màu ô của mỗi năm:", "tally"))
    row += 1
    for progress in PROGRESS:
        sheet.put(row, 1, progress.word, progress_style(progress.word))
        sheet.merges.append((row, 2, row, last, progress.meaning, "legend"))
        row += 1
    sheet.merges.append((row, 0, row, last, PATH_NOTE, "tally_note"))
    sheet.fit(row, [(PATH_NOTE, sum(sheet.widths[: last + 1]))])
    return row + 1

"""Laying out the tracking workbook of a new commune that typed its results year by year.

Pure: the commune's view in, `SheetLayout`s out. **Theo dõi 2030** prints each Biểu 03 row with
its 2025 baseline, each year's result coloured by where it stands on the way to the 2030 target,
the target, the trend as marks a page can print (▲▼=), and for the latest year with a result
its point on the path and the gap to it, the latest status and why, the change now needed;
beside the print area, the sparkline of the results (for the screen), the numbers its
sparklines and charts draw. **Biểu đồ** holds one line chart per numeric target: the results
against the path and the target.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from pipeline.layout import standing
from pipeline.layout.charts import Drawn, chart_sheet
from pipeline.layout.sheet import (
    Page,
    Range,
    SheetLayout,
    Sparkline,
    Title,
    amount,
    progress_style,
)
from pipeline.parse import NUMBER, RANGE
from pipeline.view import CommuneView
from schemas.stages import (
    GOAL,
    RESULT,
    Baselines,
    Located,
    ResultRows,
    ResultRowsRead,
    ScoredRows,
    TargetRowsRead,
    Tracking,
    YearlyRead,
)
from schemas.vocabulary import GROUP, ITEM, NO_DATA, PROGRESS

TRACK_SHEET = "Theo dõi 2030"
YEAR_WIDTH = 8
FIXED_WIDTHS = [5, 30, 9, 10]  # TT, Chỉ tiêu, Đơn vị tính, Hiện trạng
# Mục tiêu, Diễn biến, Lộ trình, Hơn/kém lộ trình, Tình trạng, Lý do, Thay đổi cần
AFTER_WIDTHS = [11, 9, 10, 11, 14, 30, 16]
GOAL_AT, TREND_AT, PATH_AT, GAP_AT, STATUS_AT, WHY_AT, NEEDED_AT = range(7)  # in AFTER_WIDTHS
SIDE_WIDTH, SPARK_WIDTH = 9, 14
BLOCKS = ("Kết quả", "Lộ trình", "Mục tiêu")  # the numbers drawn, beside the print area
PATH_NOTE = (
    "Lộ trình: từ hiện trạng 2025 (gộp từ kết quả các xã cũ) đến mục tiêu 2030, như cột “Thay "
    "đổi cần mỗi năm” của Biểu 03: tỷ lệ (%) đổi đều theo điểm % mỗi năm, số lượng theo % mỗi "
    "năm. Chỉ tiêu tổng nhiệm kỳ: lộ trình là mục tiêu chia đều cho các năm, so với kết quả cộng "
    "dồn từ đầu nhiệm kỳ; chỉ tiêu hằng năm và chỉ tiêu tốc độ: mức của mỗi năm là chính mục "
    "tiêu. Kết quả so với mức lộ trình của năm và với mục tiêu như số in (ghi 47 là bằng 47,05); "
    "kết quả ghi dạng khoảng tính theo đầu kém hơn."
)


def tracking_sheets(view: CommuneView) -> list[SheetLayout]:
    """The tracking workbook's sheets: the printed table, then the charts."""
    table, years, drawn = _table(view)
    return [table, chart_sheet(view.name, view.tracking or [], years, drawn)]


@dataclass(frozen=True)
class _Columns:
    """Where the tracking table's columns are: the fixed ones, one per year reported, the ones
    after (`at`: the target's and those after it); beside the print area, after a narrow gap,
    the sparkline's, then a block of numbers per name of `BLOCKS` (the baseline's year, then
    the term's), then why."""

    first: int  # the baseline's year
    reported: int  # the latest year reported
    years: list[int]

    @property
    def widths(self) -> list[float]:  # the printed columns'
        return [*FIXED_WIDTHS, *[YEAR_WIDTH] * len(self.years), *AFTER_WIDTHS]

    @property
    def last(self) -> int:  # the last printed column
        return len(self.widths) - 1

    def at(self, offset: int) -> int:
        """A column after the years, by its place in `AFTER_WIDTHS`."""
        return len(FIXED_WIDTHS) + len(self.years) + offset

    @property
    def span(self) -> int:
        return len(self.years) + 1

    @property
    def spark(self) -> int:
        return len(self.widths) + 1

    @property
    def blocks(self) -> dict[str, int]:
        return {name: self.spark + 1 + i * self.span for i, name in enumerate(BLOCKS)}

    @property
    def notes(self) -> int:
        return self.spark + 1 + len(BLOCKS) * self.span

    @property
    def side_widths(self) -> list[float]:  # every column beside the print area
        return [3, SPARK_WIDTH, *[SIDE_WIDTH] * (len(BLOCKS) * self.span), 70, 70]


def _table(view: CommuneView) -> tuple[SheetLayout, Range, list[Drawn]]:
    """The printed table; the years the charts run over, and the rows they draw."""
    lines = view.tracking
    years = sorted({int(r[YearlyRead.nam]) for r in lines})
    at = {(r[Located.dong], int(r[YearlyRead.nam])): r for r in lines}
    latest = {dong: r for (dong, _), r in at.items() if r[Tracking.moi_nhat]}
    grid = _Columns(int(lines[0][Tracking.nam_dau]), int(lines[0][Tracking.nam_bao_cao]), years)
    sheet = SheetLayout(
        TRACK_SHEET, widths=[*grid.widths, *grid.side_widths], page=Page(landscape=True)
    )
    header = 3
    _head(sheet, view, grid, header)
    drawn: list[Drawn] = []
    group = ""
    row = header + 1
    for record in view.targets:
        if record[ResultRows.loai_dong] == GROUP:
            group = record[ResultRowsRead.tt]
            sheet.put(row, 0, group, "group")
            sheet.merge(row, 1, row, grid.last, record[ResultRowsRead.chi_tieu], "group_name")
            sheet.fit(row, [(record[ResultRowsRead.chi_tieu], sum(grid.widths[1:]))])
        else:
            line = {year: at[(record[Located.dong], year)] for year in years}
            _item(sheet, row, record, line, latest.get(record[Located.dong]), grid)
            chart = _side(sheet, row, record, line, grid, group)
            if chart is not None:
                drawn.append(chart)
        row += 1
    end = _legend(sheet, row + 1, grid.last)
    sheet.printed(len(grid.widths), end, header)
    sheet.freeze = (header + 1, 2)
    start = grid.blocks["Kết quả"]
    return sheet, Range(TRACK_SHEET, header, start, header, start + grid.span - 1), drawn


def _head(sheet: SheetLayout, view: CommuneView, grid: _Columns, header: int) -> None:
    """The title and the line under it, the printed header row, and the headers beside it."""
    first, reported, years = grid.first, grid.reported, grid.years
    title = (
        f"KẾT QUẢ THỰC HIỆN CÁC MỤC TIÊU ĐẾN NĂM {first + len(years)} QUA TỪNG NĂM – "
        f"XÃ {view.name.upper()}"
    )
    subtitle = (
        f"Nhiệm kỳ {view.own['nhiem_ky']}: số liệu đến năm {reported}, theo sheet “Kết quả hằng "
        "năm”; màu ô của mỗi năm là tình trạng của kết quả năm đó (chú giải dưới bảng)"
    )
    where = (view.targets[0][Located.tep], view.targets[0][Located.sheet])
    columns = [
        "TT",
        "Chỉ tiêu",
        "Đơn vị tính",
        f"Hiện trạng {first} (gộp)",
        *map(str, years),
        view.headers.get(where, {}).get(TargetRowsRead.muc_tieu, "Mục tiêu"),
        f"Diễn biến {standing.UP} tăng, {standing.DOWN} giảm",
        f"Lộ trình năm {reported}",
        "Hơn (+), kém (−) lộ trình",
        f"Tình trạng năm {reported}",
        "Lý do",
        "Thay đổi cần mỗi năm từ nay (kế hoạch)",
    ]
    sheet.heading([Title(title), Title(subtitle, "subtitle")], columns, header)
    sheet.put(header, grid.spark, f"Xu hướng {first}-{years[-1]}", "side_header")
    for name, start in grid.blocks.items():
        label = f"{name} (cho biểu đồ)"
        sheet.merge(header - 1, start, header - 1, start + grid.span - 1, label, "side_title")
        for i, year in enumerate([first, *years]):
            sheet.put(header, start + i, str(year), "side_header")
    sheet.put(header, grid.notes, f"Vì sao (năm {reported})", "side_header")
    sheet.put(header, grid.notes + 1, "Không có lộ trình vì", "side_header")


def _item(
    sheet: SheetLayout,
    row: int,
    record: Mapping,
    line: dict[int, Mapping],
    latest: Mapping | None,
    grid: _Columns,
) -> None:
    """An item's printed row (`line`: its tracking line of each year; `latest`: of the latest
    year it has a result for, if any): its results coloured by status, the target, the trend,
    then for the latest year with a result (else the year reported) its path point and gap,
    the status of the year reported and why, the change now needed."""
    now = line[grid.reported]
    shown = latest if latest is not None else now
    sheet.put(
        row, 0, record[ResultRowsRead.tt] if record[ResultRows.loai_dong] == ITEM else "", "tt"
    )
    sheet.put(row, 1, record[ResultRowsRead.chi_tieu], "text")
    sheet.put(row, 2, record[ResultRowsRead.don_vi], "center")
    sheet.put(row, 3, amount(now[Baselines.hien_trang_2025]), "number")
    for i, year in enumerate(grid.years):
        text, status = line[year][RESULT.text], line[year][Tracking.trang_thai]
        sheet.put(row, len(FIXED_WIDTHS) + i, text, progress_style(status))
    base = _start(now)
    upto = [y for y in grid.years if y <= grid.reported]
    texts = {
        GOAL_AT: record[GOAL.text],
        TREND_AT: standing.trend([base, *(line[y][Tracking.gia_tri] for y in upto)]),
        PATH_AT: _path(shown, grid.reported),
        GAP_AT: standing.gap(shown),
        WHY_AT: _why(now, latest),
        NEEDED_AT: standing.needed(shown),
    }
    for offset, text in texts.items():
        sheet.put(row, grid.at(offset), text, "text" if offset == WHY_AT else "center")
    # a year missed for good stands after it, named by its year ("… năm 2026") under a later
    # year's heading, where that year itself may have met the target
    status, missed = now[Tracking.trang_thai_den_nay], now[Tracking.nam_khong_dat]
    shown = f"{status} {missed}" if isinstance(missed, str) and missed else status
    sheet.put(row, grid.at(STATUS_AT), shown, progress_style(status))
    fixed = [(record[ResultRowsRead.chi_tieu], FIXED_WIDTHS[1])]
    fixed.append((record[ResultRowsRead.don_vi], FIXED_WIDTHS[2]))
    sheet.fit(row, [*fixed, *((text, AFTER_WIDTHS[o]) for o, text in texts.items())])


def _start(line: Mapping) -> float:
    """Where the results and the path start, in the baseline's year: where the judge starts the
    path (0 for a term total, whose results are its running total), else the baseline."""
    start = line[Tracking.lo_trinh_dau]
    return line[Baselines.hien_trang_2025] if pd.isna(start) else start


def _path(line: Mapping, reported: int) -> str:
    """The year's point on the path (for a target the same each year, the target), its year
    under it where not the year reported; "không có" for a result of a numeric target tracked
    without a path."""
    if pd.isna(line[Tracking.lo_trinh]):
        has_result = line[RESULT.text] and line[Tracking.ghi_chu_lo_trinh]
        return "không có" if has_result else ""
    year = int(line[YearlyRead.nam])
    return amount(line[Tracking.lo_trinh]) + ("" if year == reported else f"\n(năm {year})")


def _why(now: Mapping, latest: Mapping | None) -> str:
    """Why the row stands where it does in the year reported; where that year has no result
    but an earlier one has, how that one stood and why."""
    if now[Tracking.trang_thai] != NO_DATA:
        return now[ScoredRows.ly_do]
    if latest is None:
        return ""
    status = latest[Tracking.trang_thai]
    return (
        f"{now[ScoredRows.ly_do]}; năm {int(latest[YearlyRead.nam])} "
        f"{status[:1].lower()}{status[1:]}: {latest[ScoredRows.ly_do]}"
    )


def _side(
    sheet: SheetLayout,
    row: int,
    record: Mapping,
    line: dict[int, Mapping],
    grid: _Columns,
    group: str,
) -> Drawn | None:
    """Beside the print area, an item's sparkline and the numbers it and the chart draw, and
    why; returns its chart, if it gets one (a numeric target, with a path or a result beyond
    the baseline)."""
    now, span = line[grid.reported], grid.span
    has_path, numeric = bool(now[Tracking.co_lo_trinh]), _numeric(record, now)
    base = _start(now)
    values = {
        "Kết quả": [base, *(line[y][Tracking.gia_tri] for y in grid.years)],
        "Lộ trình": [base, *(line[y][Tracking.lo_trinh] for y in grid.years)]
        if has_path
        else [None] * span,
        "Mục tiêu": [now[Baselines.muc_tieu_so] if numeric else None] * span,
    }
    ranges = {}
    for name, start in grid.blocks.items():
        for i, value in enumerate(values[name]):
            sheet.number(row, start + i, value, "side_value")
        ranges[name] = Range(TRACK_SHEET, row, start, row, start + span - 1)
    sheet.put(row, grid.spark, "", "side_center")  # the sparkline's cell
    sheet.put(row, grid.notes, now[ScoredRows.ly_do], "side_text")
    sheet.put(row, grid.notes + 1, now[Tracking.ghi_chu_lo_trinh], "side_text")
    results = [v for v in values["Kết quả"] if pd.notna(v)]
    if results:
        sheet.sparklines.append(Sparkline(row, grid.spark, ranges["Kết quả"]))
    if numeric and (has_path or len(results) > pd.notna(base)):
        return _drawn(record, group, ranges, has_path)
    return None


def _numeric(record: Mapping, now: Mapping) -> bool:
    """A target that is a number (or a range) and is tracked: the chart draws it."""
    return record[GOAL.kind] in (NUMBER, RANGE) and bool(now[Tracking.theo_doi])


def _drawn(record: Mapping, group: str, ranges: dict[str, Range], has_path: bool) -> Drawn:
    """An item's chart: titled with its number in its group ("I.3"), its name and unit."""
    number = (
        f"{group}.{record['tt']}"
        if group and record[ResultRowsRead.tt]
        else record[ResultRowsRead.tt]
    )
    unit = f" ({record['don_vi']})" if record[ResultRowsRead.don_vi] else ""
    return Drawn(
        f"{number}. {record['chi_tieu']}{unit}".lstrip(". "),
        record[ResultRowsRead.don_vi],
        ranges["Kết quả"],
        ranges["Lộ trình"] if has_path else None,
        ranges["Mục tiêu"],
        int(record[Located.dong]),
        record[GOAL.text],
    )


def _legend(sheet: SheetLayout, row: int, last: int) -> int:
    """What each colour of the year cells says, and how the path is drawn; returns the row
    after it."""
    sheet.merge(row, 0, row, last, "Màu ô của mỗi năm:", "tally")
    row += 1
    for progress in PROGRESS:
        sheet.put(row, 1, progress.word, progress_style(progress.word))
        sheet.merge(row, 2, row, last, progress.meaning, "legend")
        row += 1
    for note in (PATH_NOTE, standing.GAP_NOTE, standing.TREND_NOTE):
        sheet.merge(row, 0, row, last, note, "tally_note")
        sheet.fit(row, [(note, sum(sheet.widths[: last + 1]))])
        row += 1
    return row

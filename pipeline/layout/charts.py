"""Laying out the charts of the tracking workbook: the sheet **Biểu đồ**, one line chart per
numeric target of a new commune that typed its results year by year.

Pure: the commune's tracking lines and the rows the table drew in, a `SheetLayout` out. Each
chart draws what the judgement's tracking lines say, never recomputing them: the results (the
2025 baseline first), each year's point in the colour of its status as the table colours it,
the path, and the target as what it is (`_goal`), over the value axis every chart shares
(`sheet.value_axis`).
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
    progress_style,
    value_axis,
)
from pipeline.layout.style import GOAL_INK, GUIDE_WIDTH, PATH_INK, POINTS, RESULT_INK
from pipeline.parse import format_vi
from schemas.stages import GOAL, Baselines, Located, ResultRows, Tracking, YearlyRead
from schemas.vocabulary import EVERY_YEAR, PERCENT, PROGRESS, RATE, TERM_TOTAL

CHART_SHEET = "Biểu đồ"
# the charts: two across an A4 landscape page, two down
CHART_WIDTH, CHART_HEIGHT = 470, 290
CHART_COLUMNS, CHART_ROWS = 8, 15  # the cells each chart's place spans (default widths, 20 px)
TOP, PER_ROW = 2, 2  # the first chart's row; charts across
DEFAULT_WIDTH = 8.43  # Excel's default column width: 64 pixels
SIDE_WIDTHS = (3, 40, 22)  # beside the print area: a gap, the chart's title, what a line holds
SIDE_WIDTH = 9  # a year's number beside the print area
STRICT = (">", "<")  # a bound that a result equal to it does not meet
FLAT = (EVERY_YEAR, RATE)  # kinds whose path is the target itself, each year
# the names of the lines drawn, and of the numbers beside the print area they draw
BY_2030, EACH_YEAR = "Mục tiêu 2030", "Mục tiêu mỗi năm"
RUNNING, SPREAD = "Kết quả cộng dồn", "Mục tiêu chia đều, cộng dồn"
FAR_END = "Đầu kia của mục tiêu"  # a range target's other end


@dataclass(frozen=True)
class Drawn:
    """A row of the table that gets a chart: its title, its unit, the ranges of its numbers
    beside the table's print area (results, path where it has one, target), its row in the
    commune's Biểu 03 (`row`: its tracking lines, what the chart draws) and its target as
    printed."""

    title: str
    unit: str
    results: Range
    path: Range | None
    goal: Range
    row: int = 0
    target: str = ""


def chart_sheet(
    name: str, tracking: list[Mapping], years: Range, drawn: list[Drawn]
) -> SheetLayout:
    """The sheet of charts of the commune `name`, one per row of `drawn`, two across and two
    down a printed page; `years` the categories (the baseline's year, then the term's);
    beside the print area, the numbers a chart draws that the table does not hold."""
    span = years.last_col - years.first_col + 1
    sheet = SheetLayout(
        CHART_SHEET,
        widths=[*[DEFAULT_WIDTH] * (2 * CHART_COLUMNS), *SIDE_WIDTHS, *[SIDE_WIDTH] * span],
        page=Page(landscape=True),
    )
    last = 2 * CHART_COLUMNS - 1
    title = f"KẾT QUẢ TỪNG NĂM SO VỚI LỘ TRÌNH VÀ MỤC TIÊU 2030 – XÃ {name.upper()}"
    sheet.merge(0, 0, 0, last, title, "title")
    lines = _lines(tracking)
    first = next(iter(lines.values()))[0][Tracking.nam_dau] if lines else 0
    labels = [str(int(y)) for y in [first, *sorted({int(r[YearlyRead.nam]) for r in tracking})]]
    side = _Side(sheet, last + 2, labels)
    for i, chart in enumerate(drawn):
        place = (TOP + (i // PER_ROW) * CHART_ROWS, (i % PER_ROW) * CHART_COLUMNS)
        sheet.charts.append(_chart(chart, lines[chart.row], years, place, side))
    rows = -(-len(drawn) // PER_ROW)
    end = TOP + max(rows, 1) * CHART_ROWS
    if not drawn:
        text = "Không có chỉ tiêu nào có mục tiêu bằng số và kết quả hay lộ trình để vẽ."
        sheet.merge(TOP, 0, TOP, last, text, "text")
    sheet.breaks = [TOP + k * CHART_ROWS * 2 for k in range(1, -(-rows // 2))]
    sheet.printed(last + 1, end, None)
    return sheet


def _lines(tracking: list[Mapping]) -> dict[int, list[Mapping]]:
    """The tracking lines of each Biểu 03 row (by its row in the sheet), year by year."""
    found: dict[int, list[Mapping]] = {}
    for line in sorted(tracking, key=lambda r: int(r[YearlyRead.nam])):
        found.setdefault(int(line[Located.dong]), []).append(line)
    return found


class _Side:
    """Beside the chart sheet's print area, under a header row, the numbers a chart draws that
    the table does not hold, a line each: its results of each status, the far end of a range
    target."""

    def __init__(self, sheet: SheetLayout, col: int, years: list[str]) -> None:
        self.sheet, self.col, self.row, self.years = sheet, col, TOP, years
        self.span = len(years)

    def put(self, title: str, what: str, values: list[float | None]) -> Range:
        """A line of numbers, one per year from the baseline's (None: none); the range a
        series draws."""
        sheet, col = self.sheet, self.col
        if self.row == TOP:
            header = "Số liệu riêng của biểu đồ"
            sheet.merge(TOP - 1, col, TOP - 1, col + 1 + self.span, header, "side_title")
            sheet.put(TOP, col, "Biểu đồ", "side_header")
            sheet.put(TOP, col + 1, "Số liệu", "side_header")
            for i, year in enumerate(self.years):
                sheet.put(TOP, col + 2 + i, year, "side_header")
            self.row += 1
        sheet.put(self.row, col, title, "side_text")
        sheet.put(self.row, col + 1, what, "side_text")
        for i, value in enumerate(values):
            sheet.number(self.row, col + 2 + i, value, "side_value")
        self.row += 1
        return Range(CHART_SHEET, self.row - 1, col + 2, self.row - 1, col + 1 + self.span)


def _chart(
    chart: Drawn, lines: list[Mapping], years: Range, place: tuple[int, int], side: _Side
) -> Chart:
    """An item's chart: its results, each year's point in its status's colour (a series per
    status, drawn over the results' line, named in the legend); its path; its target. A term
    total draws the running totals against the target spread over the term, both from nothing
    at the term's start, as the judgement compares them."""
    now = lines[0]
    results = [line[Tracking.gia_tri] for line in lines]
    path = [line[Tracking.lo_trinh] for line in lines] if chart.path is not None else []
    kind = now[ResultRows.loai_muc_tieu]
    if kind == TERM_TOTAL and path:
        running = side.put(chart.title, RUNNING, [0.0, *results])
        spread = side.put(chart.title, SPREAD, [0.0, *path])
        name = f"Mục tiêu 2030: {chart.target}, cộng dồn"
        series = [
            Series(RUNNING, running, RESULT_INK),
            Series(name, spread, GOAL_INK, width=GUIDE_WIDTH, markers=False),
        ]
        drawn = [0.0, *results, *path]
    else:
        series = [Series("Kết quả", chart.results, RESULT_INK)]
        drawn = [now[Baselines.hien_trang_2025], *results]
        if path and kind not in FLAT:  # a flat path is the target itself
            series.append(Series("Lộ trình", chart.path, PATH_INK, "dot", GUIDE_WIDTH, False))
            drawn += path
        goal, ends = _goal(chart, now, side)
        series += goal
        drawn += ends
    series += _statuses(chart, lines, side)
    percent = now[ResultRows.loai_don_vi] == PERCENT
    whole = now[ResultRows.so_nguyen]
    return Chart(
        "line",
        chart.title,
        years,
        series,
        *place,
        CHART_WIDTH,
        CHART_HEIGHT,
        value_title=chart.unit,
        axis=value_axis(
            drawn, ceiling=100.0 if percent else None, whole=bool(pd.notna(whole) and whole)
        ),
    )


def _statuses(chart: Drawn, lines: list[Mapping], side: _Side) -> list[Series]:
    """A series of points per status the results have, each in its status's colour, over the
    results' line: the year's result where the year has that status."""
    series = []
    for progress in PROGRESS:
        values = [
            line[Tracking.gia_tri] if line[Tracking.trang_thai] == progress.word else None
            for line in lines
        ]
        if any(pd.notna(v) for v in values):
            where = side.put(chart.title, progress.word, [None, *values])
            style = progress_style(progress.word)
            series.append(Series(progress.word, where, POINTS[style].fill, "none", marker=style))
    return series


def _goal(chart: Drawn, now: Mapping, side: _Side) -> tuple[list[Series], list[float]]:
    """The target as what it is, and the numbers it draws: a level, a line; a range, two lines
    with the band between them; a strict bound, a dashed line, since a result on it does not
    meet it (its point has the status the judgement gave it)."""
    kind = now[ResultRows.loai_muc_tieu]
    name = f"{EACH_YEAR if kind in FLAT else BY_2030}: {chart.target}"
    level = now[Baselines.muc_tieu_so]
    lo, hi = now[GOAL.lo], now[GOAL.hi]
    if pd.notna(lo) and pd.notna(hi) and lo != hi:
        other = hi if lo == level else lo
        far = side.put(chart.title, FAR_END, [other] * side.span)
        return [
            Series(name, chart.goal, GOAL_INK, width=GUIDE_WIDTH, markers=False),
            Series(name, far, GOAL_INK, width=GUIDE_WIDTH, markers=False, legend=False),
        ], [level, other]
    line = "solid"
    if now[GOAL.op] in STRICT:
        name, line = f"{name} (không kể {format_vi(level)})", "dash"
    return [Series(name, chart.goal, GOAL_INK, line, GUIDE_WIDTH, markers=False)], [level]

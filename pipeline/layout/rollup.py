"""The province roll-up: one workbook per province that compares its communes.

Pure: the judged record in, `SheetLayout`s out (rendered like the annexes). Three sheets: for each
indicator, how many old communes exceeded, met and missed it, and which; the new communes with
findings, worst first; the merged 2025 baselines side by side. Where a commune of the province
typed its results year by year, a fourth: how the new communes stand on the way to each 2030
target, with a chart.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from pipeline.layout.sheet import (
    Chart,
    Page,
    Range,
    Series,
    SheetLayout,
    Title,
    amount,
    progress_style,
    value_axis,
)
from pipeline.layout.standing import GAP_NOTE, gap, needed
from pipeline.layout.style import POINTS
from pipeline.problems import ERROR, FINDING_KINDS, TRACK_KINDS, WARNING, Problem
from pipeline.view import ProvinceView, provinces
from schemas.stages import (
    RESULT,
    Baselines,
    OfCommune,
    ResultRows,
    ResultRowsRead,
    ScoredRows,
    Tracking,
    YearlyRead,
)
from schemas.vocabulary import (
    BEHIND_PATH,
    EXCEEDED,
    FINDING,
    MET,
    MISSED,
    NO_DATA,
    NOT_COMPARABLE,
    NOT_YET,
    PROGRESS,
    RANK,
    ROLLUP_FOLDER,
)

FOLDER = ROLLUP_FOLDER
ORDER = (EXCEEDED, MET, MISSED, NO_DATA)  # the columns of "Theo chỉ tiêu"
COMMUNES_PER_PAGE = 8
TRACKED = "theo dõi 2030"  # the column of "Xã có phát hiện" of the findings year by year


def _communes(word: str) -> str:
    """The header of a column naming the communes of a rating or a status: "Xã không đạt"."""
    return f"Xã {word.lower()}"


def by_indicator(
    province: str, scored: pd.DataFrame, names: dict[str, str], label: Mapping[str, str]
) -> SheetLayout:
    """Per indicator: how many old communes exceeded, met, missed it (computed), and which."""
    printed = ["TT", "Chỉ tiêu", "Số xã", *ORDER, _communes(MISSED)]
    beside = [_communes(r) for r in (EXCEEDED, MET, NO_DATA)]
    sheet = SheetLayout(
        "Theo chỉ tiêu",
        widths=[5, 42, 7, 7, 7, 9, 10, 60, 3, 60, 60, 40],
        page=Page(landscape=True),
    )
    title = f"KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU NHIỆM KỲ 2020-2025 CỦA CÁC XÃ – {province.upper()}"
    sheet.heading([Title(title)], printed, 2)
    for i, text in enumerate(beside):
        sheet.put(2, len(printed) + 1 + i, text, "side_header")
    # each old commune's weakest rating of each indicator (a rating not ranked counts for
    # nothing), then each indicator's communes by that rating, in plain Python: pandas' steps
    # cost far more than a province's rows
    weakest: dict[tuple[str, str], float | None] = {}
    for code, commune, rating in zip(
        scored[ResultRows.ma_key],
        scored[OfCommune.ma_xa],
        scored[ScoredRows.danh_gia_tinh],
        strict=True,
    ):
        if pd.isna(code) or pd.isna(commune):
            continue  # as a grouping leaves out a missing key
        # the weakest ranked rating, as a groupby's `min` gives it: the first seen is kept
        # until a ranked one lower than it comes (an unranked one counts only where no other is)
        rank, known = RANK.get(rating), weakest.get((code, commune))
        if (code, commune) not in weakest or (rank is not None and (known is None or rank < known)):
            weakest[code, commune] = rank
    rating_of = {v: k for k, v in RANK.items()}
    shown = {NOT_COMPARABLE: NO_DATA}  # "không so được" counts with "chưa có số liệu"
    by_indicator: dict[str, dict[str | None, list[str]]] = {}
    for (code, commune), rank in weakest.items():
        rating = rating_of.get(rank)
        by_indicator.setdefault(code, {}).setdefault(shown.get(rating, rating), []).append(commune)
    row = 3
    for number, (code, rated) in enumerate(by_indicator.items(), start=1):
        who = {r: ", ".join(sorted(names[c] for c in rated.get(r, []))) for r in ORDER}
        values = [
            str(number),
            label.get(code, code),
            str(sum(len(c) for c in rated.values())),
            *(str(len(rated.get(r, []))) for r in ORDER),
        ]
        for col, value in enumerate(values):
            sheet.put(row, col, value, "text" if col == 1 else "center")
        sheet.put(row, 7, who[MISSED], "text")
        for i, r in enumerate((EXCEEDED, MET, NO_DATA)):
            sheet.put(row, 9 + i, who[r], "side_text")
        sheet.fit(row, [(values[1], 42), (who[MISSED], 60)])
        row += 1
    sheet.printed(len(printed), row, 2)
    sheet.freeze = (3, 2)
    return sheet


def with_findings(
    province: str,
    new_codes: list[str],
    names: dict[str, str],
    owner: dict[str, str],
    findings: list[Problem],
) -> SheetLayout:
    """The new communes with errors, warnings or findings, worst first: errors, then the most
    of all. Errors and warnings are counted by their severity, findings by their kind."""
    # the results year by year get a column where the province has findings of them
    tracked = [TRACKED] if any(p.loai in TRACK_KINDS for p in findings) else []
    kinds = [ERROR, WARNING, *FINDING_KINDS, *tracked]
    counts = {code: dict.fromkeys(kinds, 0) for code in new_codes}
    for problem in findings:
        code = owner.get(problem.xa) or owner.get(problem.tep)
        if code not in counts:
            continue
        kind = problem.loai if problem.muc_do == FINDING else problem.muc_do
        counts[code][TRACKED if kind in TRACK_KINDS else kind] += 1
    worst = sorted(
        (code for code in new_codes if sum(counts[code].values())),
        key=lambda c: (-counts[c][ERROR], -sum(counts[c].values()), names[c]),
    )
    columns = [
        "TT",
        "Xã mới",
        "Mã xã",
        ERROR.capitalize(),
        WARNING.capitalize(),
        "Đánh giá lệch",
        "Tổng hợp lệch",
        "Thuyết minh lệch",
        "Mục tiêu kém hiện trạng",
        *([TRACKED.capitalize()] if tracked else []),
        "Tổng",
    ]
    sheet = SheetLayout(
        "Xã có phát hiện",
        widths=[5, 24, 24, 7, 10, 10, 10, 11, 12, *([10] if tracked else []), 8],
        page=Page(landscape=True),
    )
    title = f"CÁC XÃ CÓ {ERROR}, {WARNING}, {FINDING} CẦN XEM – {province}".upper()
    sheet.heading([Title(title)], columns, 2)
    for row, code in enumerate(worst, start=3):
        values = [
            str(row - 2),
            names[code],
            code,
            *(str(counts[code][k]) for k in kinds),
            str(sum(counts[code].values())),
        ]
        for col, value in enumerate(values):
            style = (
                "warn"
                if col == 3 and counts[code][ERROR]
                else ("text" if col in (1, 2) else "center")
            )
            sheet.put(row, col, value, style)
        sheet.fit(row, [(names[code], 24), (code, 24)])
    end = 3 + max(len(worst), 1)
    if not worst:
        none = f"Không xã nào có {ERROR}, {WARNING} hay {FINDING}."
        sheet.merge(3, 0, 3, len(columns) - 1, none, "text")
    sheet.printed(len(columns), end, 2)
    sheet.freeze = (3, 2)
    return sheet


def baselines_side_by_side(
    province: str, lines: pd.DataFrame, names: dict[str, str], label: Mapping[str, str]
) -> SheetLayout:
    """Rows: the Biểu 03 indicators; columns: the new communes; cells: the merged baseline."""
    communes = list(dict.fromkeys(lines[OfCommune.ma_xa]))
    codes = list(dict.fromkeys(lines[ResultRows.ma_key]))
    # each indicator's unit and each (indicator, commune)'s baseline, the first line's, looked
    # up in dicts: a look-up in a pandas index costs tens of microseconds a cell
    unit: dict[str, object] = {}
    value: dict[tuple[str, str], object] = {}
    for code, commune, printed, baseline in zip(
        lines[ResultRows.ma_key],
        lines[OfCommune.ma_xa],
        lines[ResultRowsRead.don_vi],
        lines[Baselines.hien_trang_2025].to_numpy(),  # numpy's figures, rounded as numpy does
        strict=True,
    ):
        unit.setdefault(code, printed)
        value.setdefault((code, commune), baseline)
    page = Page(
        landscape=True,
        pages_wide=max(1, math.ceil(len(communes) / COMMUNES_PER_PAGE)),
        repeat_columns=(0, 1),
    )
    sheet = SheetLayout("Hiện trạng 2025", widths=[40, 12, *([13] * len(communes))], page=page)
    last = 1 + len(communes)
    # the title stays within the columns repeated on every printed page, so each page has it
    title = Title(f"HIỆN TRẠNG NĂM 2025 GỘP TỪ CÁC XÃ CŨ – {province.upper()}")
    columns = ["Chỉ tiêu", "Đơn vị tính", *(names[c] for c in communes)]
    sheet.heading([title], columns, 2, across=2)
    for row, code in enumerate(codes, start=3):
        sheet.put(row, 0, label.get(code, code), "text")
        sheet.put(row, 1, unit.get(code, ""), "center")
        for col, commune in enumerate(communes, start=2):
            v = value.get((code, commune))
            sheet.put(row, col, amount(v), "number")
        sheet.fit(row, [(label.get(code, code), 40)])
    sheet.printed(last + 1, 3 + len(codes), 2)
    sheet.freeze = (3, 2)
    return sheet


PROGRESS_SHEET = "Tiến độ 2030"
LABEL_LENGTH = 45  # an indicator's name on the chart's axis, cut beyond this
COUNT_WIDTH = 8  # a status's count of communes
# after the counts, a commune that is behind or short, or the list of those with no data
DETAIL_WIDTHS = [16, 13, 9, 9, 12, 15]  # Xã, Tình trạng, Kết quả, Lộ trình, Hơn/kém, Cần


def _short(text: str) -> str:
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1].rstrip() + "…"


def progress(
    province: str,
    tracked: pd.DataFrame,
    lines: pd.DataFrame,
    names: dict[str, str],
    label: Mapping[str, str],
) -> SheetLayout:
    """Per 2030 indicator: how many new communes stand where in the latest year any commune of
    the province reported (a commune that typed nothing for that year: no data; one with two
    rows of an indicator counts at its weaker), with a stacked bar chart; under each, a line per
    commune behind the path or short of the target (its result, the path's point, the gap,
    the change now needed), then those with no data."""
    year = int(tracked[Tracking.nam_bao_cao].max())
    status = _standing(tracked, lines, year)
    words = [p.word for p in PROGRESS]
    printed = [
        "TT",
        "Chỉ tiêu",
        "Số xã",
        *words,
        "Xã",
        "Tình trạng",
        f"Kết quả năm {year}",
        f"Lộ trình năm {year}",
        "Hơn (+), kém (−) lộ trình",
        "Thay đổi cần mỗi năm từ nay (kế hoạch)",
    ]
    widths = [5, 32, 6, *[COUNT_WIDTH] * len(words), *DETAIL_WIDTHS]
    side = len(printed) + 1  # the chart's numbers: its labels, then a column per status
    sheet = SheetLayout(
        PROGRESS_SHEET,
        widths=[*widths, 3, 30, *[COUNT_WIDTH] * len(words)],
        page=Page(landscape=True),
    )
    title = (
        f"TIẾN ĐỘ THỰC HIỆN CÁC MỤC TIÊU ĐẾN NĂM 2030 CỦA CÁC XÃ, NĂM {year} – {province.upper()}"
    )
    note = (
        f"Tình trạng kết quả năm {year} của từng xã so với lộ trình từ hiện trạng 2025 đến mục "
        f"tiêu 2030; xã chưa ghi kết quả năm {year}: {NO_DATA.lower()}. Dưới mỗi chỉ tiêu: "
        f"từng xã {BEHIND_PATH.lower()} (kém lộ trình nhiều nhất trước) và "
        f"{NOT_YET.lower()} mà không có lộ trình, rồi các xã {NO_DATA.lower()}"
    )
    # the chart first, on the first page; the table from the next page, its header repeated
    count = status[ResultRows.ma_key].nunique()
    height = 90 + BAR_HEIGHT * max(count, 1)
    header = 3 + -(-height // ROW_PIXELS) + 1
    sheet.charts.append(_progress_chart(year, header, count, side, sum(widths), height))
    sheet.heading([Title(title), Title(note, "subtitle")], printed, header)
    _chart_head(sheet, header, side, words)
    row = header + 1
    for number, (code, group) in enumerate(status.groupby(ResultRows.ma_key, sort=False), start=1):
        name = label.get(code, code)
        _chart_numbers(sheet, header + number, side, f"{number}. {_short(name)}", group)
        row = _progress_rows(sheet, row, number, name, group, names, year)
    sheet.merge(row + 1, 0, row + 1, len(printed) - 1, GAP_NOTE, "tally_note")
    sheet.fit(row + 1, [(GAP_NOTE, sum(widths))])
    row += 2
    sheet.breaks = [header]
    sheet.printed(len(printed), row, header)
    sheet.freeze = (header + 1, 2)
    return sheet


def _standing(tracked: pd.DataFrame, lines: pd.DataFrame, year: int) -> pd.DataFrame:
    """Each new commune's line in `year` for each 2030 indicator of its Biểu 03: no data where
    it typed nothing, its weakest where it has two rows of the indicator (the first of them
    where both stand alike)."""
    rank = {p.word: p.rank for p in PROGRESS}
    keys = [ResultRows.ma_key, OfCommune.ma_xa]
    now = tracked[tracked[YearlyRead.nam] == year].assign(
        trang_thai=lambda d: d[Tracking.trang_thai_den_nay].replace("", NO_DATA)
    )
    every = lines[keys].drop_duplicates()
    both = (
        every.merge(now, on=keys, how="left")
        .fillna({Tracking.trang_thai: NO_DATA})
        .assign(rank=lambda d: d[Tracking.trang_thai].map(rank))
        .reset_index(drop=True)
    )
    return both.loc[both.groupby(keys, sort=False)["rank"].idxmin()].reset_index(drop=True)


def _progress_chart(
    year: int, header: int, count: int, side: int, width: float, height: int
) -> Chart:
    """The stacked bars of the numbers beside the table (`count` rows under its `header`, from
    the column `side`: the labels, then a column per status): one bar per indicator, a part
    per status in its colour; above the table, as wide as its printed columns (its value axis:
    `_scaled`)."""
    first, end = header + 1, header + count
    return Chart(
        "stacked_bar",
        f"Số xã mới theo tình trạng của từng chỉ tiêu, năm {year}",
        Range(PROGRESS_SHEET, first, side, end, side),
        [
            Series(
                p.word,
                Range(PROGRESS_SHEET, first, side + 1 + i, end, side + 1 + i),
                POINTS[progress_style(p.word)].fill,
            )
            for i, p in enumerate(PROGRESS)
        ],
        2,
        0,
        round(width * PIXELS_PER_WIDTH),
        height,
        value_title="Số xã",
        whole=True,
    )


def _scaled(sheet: SheetLayout, lines: pd.DataFrame) -> SheetLayout:
    """The sheet with its chart's value axis by the rule of every chart: from none to the most
    new communes a bar counts (those with the indicator in their Biểu 03: `lines`)."""
    pairs = lines[[ResultRows.ma_key, OfCommune.ma_xa]].drop_duplicates()
    most = int(pairs.groupby(ResultRows.ma_key).size().max()) if len(pairs) else 0
    for chart in sheet.charts:
        chart.axis = value_axis([0, most], ceiling=most, whole=True)
    return sheet


def _chart_head(sheet: SheetLayout, header: int, side: int, words: list[str]) -> None:
    """The heads of the numbers the chart draws, beside the print area."""
    last = side + len(words)
    sheet.merge(header - 1, side, header - 1, last, "Số xã (cho biểu đồ)", "side_title")
    for col, text in enumerate(["Nhãn biểu đồ", *words], start=side):
        sheet.put(header, col, text, "side_header")


def _chart_numbers(sheet: SheetLayout, row: int, side: int, text: str, group) -> None:
    """An indicator's bar: its label, then how many communes stand at each status."""
    counts = group[Tracking.trang_thai].value_counts()
    sheet.put(row, side, text, "side_text")
    for i, p in enumerate(PROGRESS, start=1):
        sheet.number(row, side + i, int(counts.get(p.word, 0)), "side_number")


def _progress_rows(
    sheet: SheetLayout,
    row: int,
    number: int,
    name: str,
    group: pd.DataFrame,
    names: dict[str, str],
    year: int,
) -> int:
    """An indicator's rows: how many new communes stand at each status, then a line per
    commune behind the path or short of the target without one, then the communes with no
    data; returns the row after them."""
    counts = group[Tracking.trang_thai].value_counts()
    sheet.put(row, 0, str(number), "center")
    sheet.put(row, 1, name, "text")
    sheet.put(row, 2, str(len(group)), "center")
    for i, p in enumerate(PROGRESS):
        sheet.number(row, 3 + i, int(counts.get(p.word, 0)), "count")
    sheet.fit(row, [(name, sheet.widths[1])])
    first, at = 3 + len(PROGRESS), row
    for line in _listed(group, names):
        _carry_on(sheet, at, row, number, first)
        _commune(sheet, at, first, line)
        at += 1
    missing = group.loc[group[Tracking.trang_thai] == NO_DATA, OfCommune.ma_xa]
    if len(missing):
        _carry_on(sheet, at, row, number, first)
        who = ", ".join(sorted(names[c] for c in missing))
        text = f"{NO_DATA} năm {year} ({len(missing)} xã): {who}"
        sheet.merge(at, first, at, first + len(DETAIL_WIDTHS) - 1, text, "text")
        sheet.fit(at, [(text, sum(DETAIL_WIDTHS))])
        at += 1
    if at == row:  # no commune to list: the row's cells still drawn
        for col in range(first, first + len(DETAIL_WIDTHS)):
            sheet.put(row, col, "", "center")
        at += 1
    return at


def _listed(group: pd.DataFrame, names: dict[str, str]) -> list[dict]:
    """The communes of an indicator behind the path (the furthest behind first, in the
    indicator's unit), then those short of the target without a path, by name."""
    named = group.assign(ten=group[OfCommune.ma_xa].map(names))
    behind = named[named[Tracking.trang_thai] == BEHIND_PATH].sort_values(
        [Tracking.chenh_lo_trinh, "ten"]
    )
    short = named[named[Tracking.trang_thai] == NOT_YET].sort_values("ten")
    return [*behind.to_dict("records"), *short.to_dict("records")]


def _carry_on(sheet: SheetLayout, row: int, top: int, number: int, first: int) -> None:
    """The left of a row that carries an indicator's communes on below its `top` row: its
    number, then blank cells."""
    if row == top:
        return
    sheet.put(row, 0, str(number), "center")
    for col in range(1, first):
        sheet.put(row, col, "", "center")


def _commune(sheet: SheetLayout, row: int, first: int, line: Mapping) -> None:
    """A commune behind the path or short of the target: its name, status, result, the path's
    point, the gap and the change now needed."""
    status = line[Tracking.trang_thai]
    path = amount(line[Tracking.lo_trinh]) if line[Tracking.co_lo_trinh] else "không có"
    texts = [line["ten"], status, line[RESULT.text], path, gap(line), needed(line)]
    for col, text in enumerate(texts, start=first):
        style = progress_style(status) if col == first + 1 else "text" if col == first else "center"
        sheet.put(row, col, text, style)
    sheet.fit(row, list(zip(texts, DETAIL_WIDTHS, strict=True)))


BAR_HEIGHT = 24  # pixels per indicator in the stacked bar chart
PIXELS_PER_WIDTH = 7  # about how many pixels a unit of column width takes
ROW_PIXELS = 20  # a row of the default height


def rollup(view: ProvinceView) -> tuple[str, list[SheetLayout]]:
    """A province's roll-up: its title and its sheets, from its view alone."""
    province, names, label = view.province, view.names, view.label
    sheets = [
        by_indicator(province, view.scored, names, label),
        with_findings(province, view.new_codes, names, view.owner, view.findings),
        baselines_side_by_side(province, view.baselines, names, label),
    ]
    if len(view.tracking):  # a province where no commune typed a result has no such sheet
        sheet = progress(province, view.tracking, view.baselines, names, label)
        sheets.append(_scaled(sheet, view.baselines))
    if view.left_out:
        for sheet in (sheets[0], sheets[2]):
            _left_out(sheet, view.left_out)
    return f"Tổng hợp {province}", sheets


def rollups(
    full_info: pd.DataFrame,
    full_members: pd.DataFrame,
    result,
    label: pd.Series,
    findings: list[Problem],
    only: set[str] | None = None,
    left_out: set[str] = frozenset(),
) -> dict[str, tuple[str, list[SheetLayout]]]:
    """Per province (by its file name; those in `only`, or all): its title and its sheets.
    `result` is the judgement (its `scored` rows and `baselines`); `label` each indicator's
    name by its code's key; `left_out` the new communes errors kept from being judged."""
    views = provinces(full_info, full_members, result, label, findings, left_out)
    return {name: rollup(v) for name, v in views.items() if only is None or name in only}


def _left_out(sheet: SheetLayout, names: list[str]) -> None:
    """Say under the title which new communes the sheet leaves out because of errors."""
    last = next(m.last_col for m in sheet.merges if m.first_row == 0)  # the title's last column
    text = (
        f"Chưa gồm {len(names)} xã mới có lỗi trong dữ liệu gốc: {', '.join(sorted(names))} "
        "(xem sheet Xã có phát hiện)"
    )
    sheet.titles([Title(text, "subtitle")], last, top=1)

"""The charts of the tracking workbook and of the roll-up: laid out from tracking lines made
here (what each kind of target draws), and read back from the written workbooks' chart XML
(`xl/charts/chartN.xml`: axis ends, series, dash types, point colours)."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.layout.charts import CHART_SHEET, Drawn, chart_sheet
from pipeline.layout.sheet import Axis, Range
from pipeline.layout.style import POINTS
from pipeline.paths import RAW
from schemas.stages import GOAL, Baselines, Located, ResultRows, Tracking, YearlyRead
from schemas.vocabulary import (
    AHEAD,
    AMOUNT,
    BEHIND_PATH,
    EVERY_YEAR,
    LEVEL,
    NOT_YET,
    ON_TRACK,
    PERCENT,
    PROGRESS,
    RATE,
    REACHED,
    TERM_TOTAL,
)
from tests import yearly

TABLE = "Theo dõi 2030"
YEARS = Range(TABLE, 3, 14, 3, 19)  # the header cells 2025 … 2030
ROW = 20  # the Biểu 03 row drawn, and its row on the table


def _lines(results, path, statuses, **row) -> list[dict]:
    """A Biểu 03 row's tracking lines for 2026-2030, as the judgement gives them."""
    base = {
        Located.dong: ROW,
        Tracking.nam_dau: 2025,
        Baselines.hien_trang_2025: float("nan"),
        Baselines.muc_tieu_so: float("nan"),
        ResultRows.loai_muc_tieu: LEVEL,
        GOAL.op: "=",
        GOAL.lo: float("nan"),
        GOAL.hi: float("nan"),
        ResultRows.loai_don_vi: PERCENT,
        ResultRows.so_nguyen: False,
        **row,
    }
    pad = [None] * 5
    return [
        {
            **base,
            YearlyRead.nam: 2026 + i,
            Tracking.gia_tri: r,
            Tracking.lo_trinh: p,
            Tracking.trang_thai: s,
        }
        for i, (r, p, s) in enumerate(
            zip((results + pad)[:5], (path + pad)[:5], (statuses + [""] * 5)[:5], strict=True)
        )
    ]


def _drawn(target: str, path: bool = True) -> Drawn:
    def block(col: int) -> Range:
        return Range(TABLE, ROW, col, ROW, col + 5)

    return Drawn("III.4. Chỉ tiêu", "Đảng viên", block(14), block(20) if path else None,
                 block(26), ROW, target)  # fmt: skip


def _chart(lines, drawn):
    sheet = chart_sheet("Mường Lầm", lines, YEARS, [drawn])
    (chart,) = sheet.charts
    numbers = {(r, c): v for r, c, v, _ in sheet.numbers}

    def values(block: Range) -> list[float | None]:
        if block.sheet == TABLE:
            return [f"table {block.first_col}"]  # the table's own numbers (test_track.py)
        cols = range(block.first_col, block.last_col + 1)
        return [numbers.get((block.first_row, c)) for c in cols]

    return chart, values


def test_a_term_total_draws_its_running_total_against_the_target_spread_from_nothing():
    # issue 20's party admissions: "≥ 145" over the term 2025-2030, spread 29 a year: the path
    # the judgement gives is 29, 58, 87, 116, 145; the running totals of 30, 28 and 35 admitted
    # are 30, 58, 93: ahead, on it, ahead. Both lines start from nothing in 2025 (the running
    # total of a term not begun); the 2025 baseline (167, the last term's total) is not drawn.
    lines = _lines(
        [30, 58, 93],
        [29, 58, 87, 116, 145],
        [AHEAD, ON_TRACK, AHEAD],
        **{ResultRows.loai_muc_tieu: TERM_TOTAL, Baselines.hien_trang_2025: 167.0},
        **{Baselines.muc_tieu_so: 145.0, GOAL.op: "≥", GOAL.lo: 145.0, GOAL.hi: 145.0},
        **{ResultRows.loai_don_vi: AMOUNT, ResultRows.so_nguyen: True},
    )
    chart, values = _chart(lines, _drawn("≥ 145"))
    assert [(s.name, s.line, s.markers) for s in chart.series] == [
        ("Kết quả cộng dồn", "solid", True),
        ("Mục tiêu 2030: ≥ 145, cộng dồn", "solid", False),
        (AHEAD, "none", True),
        (ON_TRACK, "none", True),
    ]
    assert [values(s.values) for s in chart.series] == [
        [0, 30, 58, 93, None, None],
        [0, 29, 58, 87, 116, 145],
        [None, 30, None, 93, None, None],
        [None, None, 58, None, None, None],
    ]
    # 0 to 145 + 5 % of 145 = 152,25; whole party members: 152,25 / 8 = 19,03 → steps of 20
    assert chart.axis == Axis(0, 160, 20)


@pytest.mark.parametrize("kind", [EVERY_YEAR, RATE])
def test_a_target_for_each_year_draws_the_target_alone(kind):
    # "≥ 95" each year (or a rate, each year's against it): the judgement's path is the target
    # itself each year, drawn once, as the target; 96 and 94 (the issue's dip) on an axis from
    # 88 to 100 (test_sheet.py)
    lines = _lines(
        [96, 94],
        [95] * 5,
        [REACHED, NOT_YET],
        **{ResultRows.loai_muc_tieu: kind, Baselines.muc_tieu_so: 95.0},
        **{GOAL.op: "≥", GOAL.lo: 95.0, GOAL.hi: 95.0},
    )
    chart, values = _chart(lines, _drawn("≥ 95"))
    assert [s.name for s in chart.series] == ["Kết quả", "Mục tiêu mỗi năm: ≥ 95", REACHED, NOT_YET]
    assert [values(s.values) for s in chart.series] == [
        ["table 14"],
        ["table 26"],
        [None, 96, None, None, None, None],
        [None, None, 94, None, None, None],
    ]
    assert chart.axis == Axis(88, 100, 2)


def test_a_strict_bound_is_dashed_and_a_result_on_it_has_the_status_it_was_given():
    # "< 10": a result of 10 on the line does not meet it; the judgement says not yet, and the
    # point is drawn in that status's colour, on a dashed line named for what it leaves out
    lines = _lines(
        [10, 9.4],
        [],
        [NOT_YET, REACHED],
        **{Baselines.muc_tieu_so: 10.0, GOAL.op: "<", GOAL.lo: 10.0, GOAL.hi: 10.0},
    )
    chart, values = _chart(lines, _drawn("< 10", path=False))
    assert [(s.name, s.line) for s in chart.series] == [
        ("Kết quả", "solid"),
        ("Mục tiêu 2030: < 10 (không kể 10)", "dash"),
        (REACHED, "none"),
        (NOT_YET, "none"),
    ]
    assert values(chart.series[3].values) == [None, 10, None, None, None, None]
    assert [s.marker for s in chart.series[2:]] == [f"progress:{REACHED}", f"progress:{NOT_YET}"]


def test_a_range_is_drawn_as_a_band_between_its_two_ends():
    # "4-6": the table's target block holds the end to reach (4); the other end (6) is the
    # chart sheet's own line; the legend names the band once
    lines = _lines(
        [4.5],
        [3.8, 4.0, 4.2, 4.4, 4.6],
        [AHEAD],
        **{Baselines.hien_trang_2025: 3.6, Baselines.muc_tieu_so: 4.0},
        **{GOAL.op: "=", GOAL.lo: 4.0, GOAL.hi: 6.0},
    )
    chart, values = _chart(lines, _drawn("4-6"))
    assert [(s.name, s.line, s.legend) for s in chart.series] == [
        ("Kết quả", "solid", True),
        ("Lộ trình", "dot", True),
        ("Mục tiêu 2030: 4-6", "solid", True),
        ("Mục tiêu 2030: 4-6", "solid", False),
        (AHEAD, "none", True),
    ]
    assert values(chart.series[3].values) == [6] * 6
    # 3,6 to 6, padded by 0,3: 3,3 to 6,3; 3 / 8 = 0,375 → 0,5
    assert chart.axis == Axis(3, 6.5, 0.5)


def test_the_numbers_only_the_chart_sheet_holds_are_beside_its_print_area():
    lines = _lines([4.5], [3.8], [AHEAD], **{Baselines.muc_tieu_so: 4.0})
    sheet = chart_sheet("Mường Lầm", lines, YEARS, [_drawn("4")])
    texts = {(r, c): t for r, c, t, _ in sheet.cells if t}
    merged = {(m.first_row, m.first_col): m.text for m in sheet.merges}
    assert sheet.page.columns == 16  # the charts' columns only
    assert merged[(1, 17)] == "Số liệu riêng của biểu đồ"
    assert [texts[(2, c)] for c in range(17, 25)] == [
        "Biểu đồ",
        "Số liệu",
        *map(str, range(2025, 2031)),
    ]
    assert [texts[(3, 17)], texts[(3, 18)]] == ["III.4. Chỉ tiêu", AHEAD]
    # a year without a number is left blank (a gap in the chart)
    assert [(r, c, v) for r, c, v, _ in sheet.numbers] == [(3, 20, 4.5)]
    assert (3, 19) not in texts and (3, 21) not in texts


# ---------------------------------------------------------------------------- read back

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS = {"c": C, "a": A}


def _charts(path: Path) -> dict[str, ET.Element]:
    """Each chart of a workbook by its title, from its XML."""
    found = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if re.fullmatch(r"xl/charts/chart\d+\.xml", name):
                root = ET.fromstring(archive.read(name))
                title = root.find("c:chart/c:title", NS)
                found["".join(t.text or "" for t in title.iter(f"{{{A}}}t"))] = root
    return found


def _axis(root: ET.Element) -> tuple:
    """The value axis: its ends, its step, the format of its labels."""
    axis = root.find(".//c:valAx", NS)
    scaling = axis.find("c:scaling", NS)
    return (
        float(scaling.find("c:min", NS).get("val")),
        float(scaling.find("c:max", NS).get("val")),
        float(axis.find("c:majorUnit", NS).get("val")),
        axis.find("c:numFmt", NS).get("formatCode"),
    )


def _series(root: ET.Element) -> list[dict]:
    """Each series: its name, its cells, its line's dash (or none), its points' colours."""
    out = []
    for ser in root.iter(f"{{{C}}}ser"):
        line = ser.find("c:spPr/a:ln", NS)
        dash = line.find("a:prstDash", NS) if line is not None else None
        fill = ser.find("c:marker/c:spPr/a:solidFill/a:srgbClr", NS)
        border = ser.find("c:marker/c:spPr/a:ln/a:solidFill/a:srgbClr", NS)
        cached = {
            int(pt.get("idx")): float(pt.find("c:v", NS).text)
            for pt in ser.findall("c:val/c:numRef/c:numCache/c:pt", NS)
        }
        out.append(
            {
                "name": ser.find("c:tx//c:v", NS).text,
                "cells": ser.find("c:val/c:numRef/c:f", NS).text,
                "line": "none"
                if line is not None and line.find("a:noFill", NS) is not None
                else (dash.get("val") if dash is not None else "solid"),
                "marker": (fill.get("val"), border.get("val")) if fill is not None else None,
                "cached": cached,
            }
        )
    return out


def _colours(status: str) -> tuple[str, str]:
    marker = POINTS[f"progress:{status}"]
    return marker.fill.lstrip("#"), marker.border.lstrip("#")


@pytest.fixture(scope="module")
def tracked_charts(tracked_output) -> dict[str, ET.Element]:
    return _charts(tracked_output / "muong_lam" / "theo_doi_2030.xlsx")


def test_each_point_has_its_status_colour_in_the_written_chart(tracked_charts):
    # income (tests/yearly.py): 34,9 ahead of its path in 2026, 35,5 behind it in 2027
    income = _series(tracked_charts["II.1. Thu nhập bình quân đầu người (Tr.đ/người/năm)"])
    assert [(s["name"], s["line"]) for s in income] == [
        ("Kết quả", "solid"),
        ("Lộ trình", "sysDot"),
        ("Mục tiêu 2030: 42", "solid"),
        (AHEAD, "none"),
        (BEHIND_PATH, "none"),
    ]
    assert income[3]["marker"] == _colours(AHEAD) == ("A9D08E", "375623")
    assert income[4]["marker"] == _colours(BEHIND_PATH) == ("FF0000", "9C0006")
    # each status's point at its year (0: the baseline's year), and nothing else kept for a
    # reader that does not read the cells: no 0 for a year without a result
    assert (income[3]["cached"], income[4]["cached"]) == ({1: 34.9}, {2: 35.5})
    assert income[0]["cached"] == {0: 32.9216, 1: 34.9, 2: 35.5}
    assert income[3]["cells"].startswith(f"'{CHART_SHEET}'!")


def test_a_strict_bound_is_dashed_in_the_written_chart(tracked_charts):
    # poverty "< 10", no baseline: 11,2 short of it, 9,4 reaching it
    poverty = _series(tracked_charts["II.3. Tỷ lệ hộ nghèo, cận nghèo (chuẩn đa chiều) (%)"])
    assert [(s["name"], s["line"]) for s in poverty] == [
        ("Kết quả", "solid"),
        ("Mục tiêu 2030: < 10 (không kể 10)", "dash"),
        (REACHED, "none"),
        (NOT_YET, "none"),
    ]
    assert poverty[3]["cached"] == {1: 11.2}


@pytest.mark.parametrize(
    ("title", "axis"),
    [
        # 32,92 to 42 padded by 2,1: 30,82 to 44,1; 13,28 / 8 = 1,66 → 2
        ("II.1. Thu nhập bình quân đầu người (Tr.đ/người/năm)", (30, 46, 2, "#,##0")),
        # 97 to 99,1 padded by 4,96, not past 100: 92,04 to 100; 7,96 / 8 → 1
        ("II.4. Tỷ lệ dân tham gia BHYT (%)", (92, 100, 1, "#,##0")),
        # 9,4 to 11,2 padded by 0,56: 8,84 to 11,76; 2,92 / 8 → 0,5
        ("II.3. Tỷ lệ hộ nghèo, cận nghèo (chuẩn đa chiều) (%)", (8.5, 12, 0.5, "#,##0.0")),
        # 0 to 3 OCOP products, whole: 0 to 3,15; steps of 1
        ("I.8. Sản phẩm OCOP đạt 3 sao (Sản phẩm)", (0, 4, 1, "#,##0")),
    ],
)
def test_every_chart_has_the_one_axis_rule(tracked_charts, title, axis):
    assert _axis(tracked_charts[title]) == axis


@pytest.fixture(scope="module")
def dip_output(tmp_path_factory) -> Path:
    """The test record, with issue 20's two cases for the axis: livestock falling below its
    path (20.500 and 19.500 against 20.837 and 20.088), the political organisations' dip (96
    then 94 against "≥ 95" each year)."""
    raw = tmp_path_factory.mktemp("dip") / "raw"
    shutil.copytree(RAW, raw)
    ours = {
        "Tổng đàn gia súc": ["3", "Tổng đàn gia súc", "", "20.500", "19.500"],
        "Tổ chức chính trị - xã hội cấp xã HTTNV": [
            "6",
            "Tổ chức chính trị - xã hội cấp xã HTTNV",
            "to_chuc_ctxh_httnv",
            "96",
            "94",
        ],
    }
    rows = [ours.pop(row[1], row) if len(row) > 1 else row for row in yearly.MUONG_LAM]
    if ours:  # the record has no political organisations' row yet: under a group III of its own
        rows += [["III", "Chỉ tiêu về xây dựng Đảng và hệ thống chính trị"], *ours.values()]
    yearly.with_results(raw, rows)
    out = raw.parent / "output"
    assert main(["annexes", "--raw", str(raw), "--output", str(out)]) == 0
    return out


def test_the_issues_two_cases_read_right_in_the_written_charts(dip_output):
    charts = _charts(dip_output / "muong_lam" / "theo_doi_2030.xlsx")
    # test_sheet.py works both out: 16.000-23.000 in steps of 1.000, 88-100 in steps of 2
    assert _axis(charts["I.3. Tổng đàn gia súc (Con)"]) == (16_000, 23_000, 1_000, "#,##0")
    organisations = charts["III.6. Tổ chức chính trị - xã hội cấp xã HTTNV (%)"]
    assert _axis(organisations) == (88, 100, 2, "#,##0")
    # an every-year target: no path, the target named as what it is
    assert [s["name"] for s in _series(organisations)][:2] == [
        "Kết quả",
        "Mục tiêu mỗi năm: ≥ 95",
    ]


def test_the_roll_up_bars_have_the_status_colours_and_the_axis_rule(tracked_output):
    (chart,) = _charts(tracked_output / "tong_hop_tinh" / "son_la.xlsx").values()
    assert [s["name"] for s in _series(chart)] == [p.word for p in PROGRESS]
    fills = [
        ser.find("c:spPr/a:solidFill/a:srgbClr", NS).get("val") for ser in chart.iter(f"{{{C}}}ser")
    ]
    assert fills == [_colours(p.word)[0] for p in PROGRESS]
    # one new commune: from 0 to 1, in whole steps
    assert _axis(chart) == (0, 1, 1, "#,##0")

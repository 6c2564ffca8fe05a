"""Laying out the report's words about the indicators: part two's results for each old commune,
part three's 2030 targets for the new one, and the annexes as tables, all from the commune view
the annex workbook is made from, so that the prose cannot say other than the tables.

Pure: a `CommuneView` in, a `DocumentLayout` out. The phrasing follows the seed report's part two
(I.2, "Kết quả thực hiện các chỉ tiêu Nghị quyết Đại hội") and part three (II.3, "Các chỉ tiêu
chủ yếu"); where the report words the same thing several ways, one form is kept:

- an item: `(3) Thu nhập bình quân đầu người/năm: 24,8/13,5 tr. đồng, đạt 183,7%, vượt Nghị quyết
  Đại hội.` (result/target as the table prints them, the unit, the achievement ratio where it is
  one, the rating that stands); against a bound, `kết quả 98 đảng viên, chỉ tiêu >30 đảng viên`;
  an item with sub-rows says so of each row, one sentence each, then `Tính chung: …` with the
  item's own rating;
- a 2030 target: `(4) Tỷ lệ dân tham gia BHYT: đến năm 2030 đạt 97%.`, its note in brackets;
- names, targets and results as printed; only a unit's first letter is lowered in running text
  (`Đảng viên` → `đảng viên`, `HTX` kept).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from pipeline.layout.annex import bieu_sheets, tabled
from pipeline.layout.document import DocumentLayout, Table
from pipeline.layout.sheet import Page
from pipeline.parse import NUMBER, RANGE, format_vi
from pipeline.view import CommuneView
from schemas.stages import (
    GOAL,
    RESULT,
    TARGET,
    InfoRead,
    Located,
    ResultRows,
    ResultRowsRead,
    ScoredRows,
    TargetRowsRead,
)
from schemas.vocabulary import GROUP, ITEM, PUBLISHED, RATING, RATINGS, YES

# Nghị định 30/2020/NĐ-CP, Phụ lục I: the page number at the top centre, none on the first page
REPORT_PAGE = Page(footer="", header="{page}", header_on_first_page=False)
FIGURES = (NUMBER, RANGE)  # values written as figures, which take the unit after them
# a figure with no words or signs about it ("24,8", "3-4"): result and target such are written
# "24,8/13,5"; a bound ("≥ 97", "dưới 12") or a fraction reads as "kết quả …, chỉ tiêu …"
SIGN = re.compile(r"^([<>≤≥=])\s+")
PLAIN = re.compile(r"[\d.,]+(?:\s*[-–]\s*[\d.,]+)?%?")
KEPT = "giữ đánh giá đã công bố"


def report(view: CommuneView) -> DocumentLayout:
    """The document: its title, part two, part three, then each Biểu on a new page."""
    own = view.own
    doc = DocumentLayout(
        f"Các chỉ tiêu trong báo cáo chính trị Đại hội Đảng bộ xã {view.name}", REPORT_PAGE
    )
    doc.add(
        f"CÁC CHỈ TIÊU TRONG BÁO CÁO CHÍNH TRỊ ĐẠI HỘI ĐẢNG BỘ XÃ {view.name.upper()}, "
        f"NHIỆM KỲ {own['nhiem_ky']}",
        "title",
    )
    doc.add(
        "(Mục I.2 Phần thứ hai, mục II.3 Phần thứ ba và các biểu kèm theo, "
        "lập từ số liệu các biểu)",
        "subtitle",
    )
    part_two(doc, view)
    part_three(doc, view)
    doc.blocks += [Table(sheet) for sheet in bieu_sheets(view, standing=True)]
    return doc


# ---------------------------------------------------------------------------- part two


def part_two(doc: DocumentLayout, view: CommuneView) -> None:
    """2. Kết quả thực hiện các chỉ tiêu: for each old commune in Biểu order, its heading, the
    tally that stands, and one numbered paragraph per item under each group's heading."""
    olds = tabled(view)
    if not olds:
        return
    terms = dict.fromkeys(view.info[old][InfoRead.nhiem_ky] for old in olds)
    doc.add(
        f"2. Kết quả thực hiện các chỉ tiêu Nghị quyết Đại hội nhiệm kỳ {', '.join(terms)}",
        "heading1",
    )
    for number, old in enumerate(olds, start=1):
        info = view.info[old]
        # an old commune is "cũ" beside the new commune of the same name
        name = info[InfoRead.ten_xa] + (
            " cũ" if info[InfoRead.ten_xa].casefold() == view.name.casefold() else ""
        )
        doc.add(
            f"2.{number}- Đối với xã {name} (có biểu số {info['bieu_so']} kèm theo)", "heading2"
        )
        doc.add(opening(info, view.tally[old]))
        lines = {r[Located.dong]: r for r in view.scored[old]}
        ratings = {
            (r[ResultRows.nhom], r[ResultRows.muc]): r[ScoredRows.danh_gia_chot]
            for r in view.items[old]
        }
        groups = 0
        for kind, record, rows in _items(view.rows[old]):
            if kind == GROUP:
                groups += 1
                doc.add(f"2.{number}.{groups}. {record['chi_tieu']}", "heading3")
                continue
            said = [_result_words(row, lines[row[Located.dong]]) for row in rows]
            if len(rows) > 1:
                first = lines[record[Located.dong]]
                said.append(f"Tính chung: {_phrase(ratings[(first['nhom'], first['muc'])])}")
            doc.add(f"({record['tt']}) " + " ".join(_sentence(s) for s in said))


def opening(info: Mapping, tally: Mapping) -> str:
    """The tally that stands, as part two opens each old commune: "Đại hội Đảng bộ xã … cũ
    nhiệm kỳ 2020-2025; nhất trí thông qua 20 chỉ tiêu; kết quả: 07 chỉ tiêu vượt, …, cụ thể:"."""
    counts = {r.word: int(tally[f"{r.slug}_chot"]) for r in RATINGS}
    # vượt, đạt, không đạt always; the others where there are any
    words = [*PUBLISHED, *(w for w, n in counts.items() if n and w not in PUBLISHED)]
    said = ", ".join(f"{counts[w]:02d} chỉ tiêu {w.lower()}" for w in words)
    return (
        f"Đại hội Đảng bộ xã {info['ten_xa']} cũ nhiệm kỳ {info['nhiem_ky']}; nhất trí thông qua "
        f"{int(tally['so_chi_tieu'])} chỉ tiêu; kết quả: {said}, cụ thể:"
    )


def _result_words(row: Mapping, line: Mapping) -> str:
    """One row of part two: "Name: result/target unit, đạt x%, rating"."""
    result, target = _text(row[RESULT.text]), _text(row[TARGET.text])
    rk, tk, unit = row[RESULT.kind], row[TARGET.kind], _text(row[ResultRowsRead.don_vi])
    if PLAIN.fullmatch(result) and PLAIN.fullmatch(target):
        figures = f"{result}/{_with_unit(target, tk, unit)}"
    elif result and target:
        figures = f"kết quả {_with_unit(result, rk, unit)}, chỉ tiêu {_with_unit(target, tk, unit)}"
    elif target:
        figures = f"chỉ tiêu {_with_unit(target, tk, unit)}"
    else:
        figures = _with_unit(result, rk, unit)
    ratio = line[ScoredRows.ty_le_dat]
    said = [figures] if figures else []
    if not pd.isna(ratio):  # printed where it reads the right way (judge.score.printed_ratio)
        said.append(f"đạt {format_vi(ratio)}%")
    rating = _phrase(line[ScoredRows.danh_gia_chot])
    if line[ResultRowsRead.giu_danh_gia] == YES:
        reason = _text(line[ResultRowsRead.ly_do_giu])
        rating += f" ({KEPT}: {reason})" if reason else f" ({KEPT})"
    said.append(rating)
    return f"{row['chi_tieu']}: " + ", ".join(s for s in said if s)


def _phrase(rating: str) -> str:
    return RATING[rating].phrase if rating in RATING else ""


# ---------------------------------------------------------------------------- part three


def part_three(doc: DocumentLayout, view: CommuneView) -> None:
    """3. Các chỉ tiêu chủ yếu: under each group's heading, one numbered paragraph per Biểu 03
    item (its sub-rows in the same paragraph), each target with its note."""
    targets = view.targets
    if not targets:
        return
    year = view.own[InfoRead.nhiem_ky].split("-")[-1]
    doc.add("3. Các chỉ tiêu chủ yếu", "heading1")
    groups = 0
    for kind, record, rows in _items(targets):
        if kind == GROUP:
            groups += 1
            doc.add(f"3.{groups}. {_all_of(record['chi_tieu'])}", "heading2")
            continue
        said = " ".join(_sentence(_target_words(row, year)) for row in rows)
        doc.add(f"({record['tt']}) {said}")


def _target_words(row: Mapping, year: str) -> str:
    """One row of part three: "Name: đến năm 2030 đạt 97% (note)"."""
    target, kind, unit = _text(row[GOAL.text]), row[GOAL.kind], _text(row[ResultRowsRead.don_vi])
    if kind in FIGURES:
        words = f"đến năm {year} đạt {_with_unit(target, kind, unit)}"
    else:  # a target in words ("Duy trì 05; phấn đấu 01 trường đạt mức độ 2") is its own phrase
        words = target or "chưa ghi mục tiêu"
    note = _text(row[TargetRowsRead.ghi_chu])
    return f"{row['chi_tieu']}: {words}" + (f" ({note})" if note else "")


def _all_of(group: str) -> str:
    """A group of Biểu 03 as part three heads it: "Chỉ tiêu về kinh tế" → "Các chỉ tiêu về kinh
    tế"."""
    if group.casefold().startswith("chỉ tiêu"):
        return f"Các {group[0].lower()}{group[1:]}"
    return group


# ---------------------------------------------------------------------------- shared


def _items(rows: list[Mapping]):
    """The table's groups and items in order: (GROUP, the group row, []) or (ITEM, the item's
    first row, its rows with its sub-rows)."""
    current: list | None = None
    for record in rows:
        if record[ResultRows.loai_dong] == GROUP:
            if current:
                yield ITEM, current[0], current
            current = None
            yield GROUP, record, []
        elif record[ResultRows.loai_dong] == ITEM or current is None:
            if current:
                yield ITEM, current[0], current
            current = [record]
        else:
            current.append(record)
    if current:
        yield ITEM, current[0], current


def _with_unit(text: str, kind: str, unit: str) -> str:
    """A figure with its unit after it: "97%", "13,5 tr. đồng"; words, and a figure that already
    ends in its unit ("05 bản"), as printed."""
    if not text or kind not in FIGURES:
        return text
    text = SIGN.sub("\\1\u00a0", text)  # "< 10" never broken after its sign
    if not unit:
        return text
    if unit == "%":
        return text if text.endswith("%") else f"{text}%"
    if text.casefold().endswith(unit.casefold()):
        return text
    lowered = unit[0].lower() + unit[1:] if unit[1:2].islower() else unit
    return f"{text} {lowered}"


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?", ":")) else f"{text}."


def _text(value: object) -> str:
    return "" if value is None or value != value else str(value)

"""Laying out the report's words about the indicators: part two's results for each old commune,
part three's 2030 targets for the new one, and the annexes as tables, all from the commune view
the annex workbook is made from, so that the prose cannot say other than the tables.

Pure: a `CommuneView` in, a `DocumentLayout` out. The phrasing follows the seed report's part two
(I.2, "Kết quả thực hiện các chỉ tiêu Nghị quyết Đại hội") and part three (II.3, "Các chỉ tiêu
chủ yếu"); where the report words the same thing several ways, one form is kept:

- an item: `(3) Thu nhập bình quân đầu người/năm: 24,8/13,5 triệu đồng, đạt 183,7%, vượt Nghị
  quyết Đại hội.` (result/target as the table prints them, the unit, the achievement ratio where
  it is one, the record's "Diễn giải", the rating that stands); against a bound, `kết quả 98 đảng
  viên, chỉ tiêu trên 30 đảng viên`; an item with sub-rows says so of each row, one sentence
  each, then `Tính chung: …` with the item's own rating;
- a rating that stands otherwise than the Biểu published says so, and why: `đánh giá lại: Không
  đạt; Biểu 01 công bố ghi Vượt, vì …` (the reason `chi_tieu.csv` carries); after the tally, the
  published tally beside it and the report's sentences whose counts would change;
- a 2030 target by its kind (`judge/kinds.py`): `(4) Tỷ lệ dân số tham gia bảo hiểm y tế: đến
  năm 2030 đạt 97%.`, `hằng năm đạt từ 90% trở lên`, `trong nhiệm kỳ đạt từ 145 đảng viên trở
  lên`; a target in words as a phrase of its own (`duy trì …`); a note only where it says more;
- in prose, every word in full: part three names each indicator by the catalogue's "Tên đầy đủ",
  part two by its row's name (the catalogue's full name where the row prints the catalogue's own
  short one); shortened words (`ABBREVIATIONS`, `tr.đ`) are spelled out and signs (<, >, ≤, ≥)
  are written in words; the tables keep them as printed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from pipeline.layout.annex import bieu_sheets, tabled
from pipeline.layout.document import DocumentLayout, Table
from pipeline.layout.sheet import Page
from pipeline.parse import NUMBER, QUALITY, RANGE, format_vi
from pipeline.view import CommuneView
from schemas.stages import (
    GOAL,
    RESULT,
    TARGET,
    InfoRead,
    Items,
    Located,
    ResultRows,
    ResultRowsRead,
    ScoredRows,
    TargetRowsRead,
)
from schemas.vocabulary import (
    ABBREVIATIONS,
    DOT_DECIMAL,
    EVERY_YEAR,
    GROUP,
    ITEM,
    MISSED,
    PUBLISHED,
    RATE,
    RATING,
    RATINGS,
    TERM_TOTAL,
    YES,
)

# Nghị định 30/2020/NĐ-CP, Phụ lục I: the page number at the top centre, none on the first page
REPORT_PAGE = Page(footer="", header="{page}", header_on_first_page=False)
FIGURES = (NUMBER, RANGE)  # values written as figures, which take the unit after them
# a figure with no words or signs about it ("24,8", "3-4"): result and target such are written
# "24,8/13,5"; a bound ("≥ 97", "dưới 12") or a fraction reads as "kết quả …, chỉ tiêu …"
SIGN = re.compile(r"^([<>≤≥=])\s+")
PLAIN = re.compile(r"[\d.,]+(?:\s*[-–]\s*[\d.,]+)?%?")
KEPT = "giữ đánh giá đã công bố"
OUTLINE = 2  # the outline level of "2." and "3." where the record gives none
# a bound in words: the sign, the words before the figure and after it ("≥ 90%" → "từ 90% trở
# lên"), and whether "đạt" goes before it (a ceiling is not reached: "dưới 10%")
BOUND_WORDS = {
    "≥": ("từ ", " trở lên", True),
    ">": ("trên ", "", True),
    "≤": ("không quá ", "", False),
    "<": ("dưới ", "", False),
    "=": ("", "", True),
}
# a sign before a figure inside free text ("Trong đó ≥ 20% hoàn thành xuất sắc")
SIGNED = re.compile(r"(>=|<=|[<>≤≥])\s*(\d[\d.,/]*\s*%?)")
# a word shortened in a table ("BHYT", "KH&CN"), as a word of its own in any case
SHORT = re.compile(
    r"(?<![\w&])("
    + "|".join(re.escape(k) for k in sorted(ABBREVIATIONS, key=len, reverse=True))
    + r")(?![\w&])",
    re.IGNORECASE,
)
# a word in capitals ("MTTQ", "MT"): where a row's name has one its full name lacks, the name is
# shortened
CAPITALS = re.compile(r"(?<!\w)[A-ZĐ][A-ZĐ&]+(?!\w)")
# a unit's shortened "triệu đồng" ("Tr.đ", "Tr. đồng", "trđ") and "triệu" ("tr.")
MILLION_DONG = re.compile(r"\btr\.?\s*đ(?:ồng)?\b\.?|\btrđ\b", re.IGNORECASE)
MILLION = re.compile(r"\btr\.\s*", re.IGNORECASE)
# what each kind of target says of its period, in part three; a level is reached by the term's
# end year; a rate's name says what changes over what ("Tốc độ tăng thu ngân sách bình quân hằng
# năm"), its figure alone follows
PERIOD = {EVERY_YEAR: "hằng năm", TERM_TOTAL: "trong nhiệm kỳ", RATE: ""}
# words a target in words may open with, lowered after the name's colon
OPENING_WORDS = re.compile(r"^(Duy trì|Phấn đấu|Giảm|Tăng|Thành lập|Xây dựng)\b")


def report(view: CommuneView) -> DocumentLayout:
    """The document: its title, part two, part three, then each Biểu on its own pages. The
    outline level of "2." and "3." is the new commune's "Cấp đề mục" (Thông tin), 2 where it
    gives none: the seed's report has them under "I." and "II."."""
    own = view.own
    outline = int(_text(own.get(InfoRead.cap_de_muc)) or OUTLINE)
    doc = DocumentLayout(
        f"Các chỉ tiêu trong báo cáo chính trị Đại hội Đảng bộ xã {view.name}",
        REPORT_PAGE,
        outline=outline,
    )
    # the commune's name and the term never broken over two lines
    doc.add(
        "CÁC CHỈ TIÊU TRONG BÁO CÁO CHÍNH TRỊ ĐẠI HỘI ĐẢNG BỘ "
        + _kept(f"XÃ {view.name.upper()},")
        + " "
        + _kept(f"NHIỆM KỲ {own['nhiem_ky']}"),
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


def _kept(text: str) -> str:
    """A phrase whose words stay on one line (no-break spaces)."""
    return text.replace(" ", "\u00a0")


# ---------------------------------------------------------------------------- part two


def part_two(doc: DocumentLayout, view: CommuneView) -> None:
    """2. Kết quả thực hiện các chỉ tiêu: for each old commune in Biểu order, its heading, the
    tally that stands (with the published one where they differ), and one numbered paragraph
    per item under each group's heading; then, where a tally changed, the report's count of
    items not met."""
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
        lines = {r[Located.dong]: r for r in view.scored[old]}
        items = {(r[ResultRows.nhom], r[ResultRows.muc]): r for r in view.items[old]}
        doc.add(opening(info, view.tally[old]))
        changed = [
            record[ResultRowsRead.tt]
            for kind, record, rows in _items(view.rows[old])
            if kind == ITEM and _departs(items[_item_of(lines[record[Located.dong]])])
        ]
        if changed:
            doc.add(departures(info, view.tally[old], changed))
        groups = 0
        for kind, record, rows in _items(view.rows[old]):
            if kind == GROUP:
                groups += 1
                doc.add(f"2.{number}.{groups}. {record['chi_tieu']}", "heading3")
                continue
            bieu = info[InfoRead.bieu_so]
            said = [_result_words(row, lines[row[Located.dong]], bieu) for row in rows]
            if len(rows) > 1:
                item = items[_item_of(lines[record[Located.dong]])]
                said.append(f"Tính chung: {_item_rating(item, bieu)}")
            doc.add(f"({record['tt']}) " + " ".join(_sentence(s) for s in said))
    missed = not_met(view, olds)
    if missed:
        doc.add(missed)


def _item_of(line: Mapping) -> tuple[str, str]:
    return line[ResultRows.nhom], line[ResultRows.muc]


def _departs(item: Mapping) -> bool:
    """Whether an item's rating that stands differs from the one its Biểu published."""
    published = _text(item[Items.danh_gia_cong_bo])
    return bool(published) and published != item[ScoredRows.danh_gia_chot]


def _counts(tally: Mapping, suffix: str) -> dict[str, int]:
    return {r.word: int(tally[f"{r.slug}_{suffix}"]) for r in RATINGS}


def _counted(counts: Mapping[str, int], short: bool = False) -> str:
    """ "06 chỉ tiêu vượt, 09 chỉ tiêu đạt, 05 chỉ tiêu không đạt" (vượt, đạt, không đạt always;
    the others where there are any); `short`: "06 vượt, 09 đạt, 05 không đạt"."""
    words = [*PUBLISHED, *(w for w, n in counts.items() if n and w not in PUBLISHED)]
    each = "" if short else "chỉ tiêu "
    return ", ".join(f"{counts[w]:02d} {each}{w.lower()}" for w in words)


def opening(info: Mapping, tally: Mapping) -> str:
    """The tally that stands, as part two opens each old commune: "Đại hội Đảng bộ xã … cũ
    nhiệm kỳ 2020-2025; nhất trí thông qua 20 chỉ tiêu; kết quả: 07 chỉ tiêu vượt, …, cụ thể:"."""
    return (
        f"Đại hội Đảng bộ xã {info['ten_xa']} cũ nhiệm kỳ {info['nhiem_ky']}; nhất trí thông qua "
        f"{int(tally['so_chi_tieu'])} chỉ tiêu; kết quả: {_counted(_counts(tally, 'chot'))}, "
        "cụ thể:"
    )


def _printed(info: Mapping) -> dict[str, int] | None:
    """The counts part two of the commune's report printed (Thông tin's "Vượt (báo cáo)" …), if
    the record holds all three."""
    counts = {w: info.get(f"{c}__so") for c, w in zip(PRINTED, PUBLISHED, strict=True)}
    if any(v is None or pd.isna(v) for v in counts.values()):
        return None
    return {w: int(v) for w, v in counts.items()}


PRINTED = (InfoRead.vuot_bc, InfoRead.dat_bc, InfoRead.khong_dat_bc)


def departures(info: Mapping, tally: Mapping, changed: list[str]) -> str:
    """After the tally: the Biểu's published tally beside the one that stands, the items rated
    again, and the report's sentence whose counts would change, from what to what."""
    bieu, standing = info[InfoRead.bieu_so], _counts(tally, "chot")
    said = (
        f"Biểu {bieu} công bố {_counted(_counts(tally, 'cong_bo'), short=True)}; đánh giá lại: "
        f"{_counted(standing, short=True)}. Các chỉ tiêu đánh giá lại, lý "
        f"do ghi ở từng chỉ tiêu: {', '.join(f'({tt})' for tt in changed)}."
    )
    printed = _printed(info)
    if printed is None:
        return said
    wanted = {w: standing[w] for w in PUBLISHED}
    if printed == wanted:
        return said + " Số chỉ tiêu phần thứ hai của báo cáo nêu không thay đổi."
    return said + (
        f' Câu của phần thứ hai báo cáo "kết quả: {_counted(printed)}" sẽ phải sửa thành '
        f'"kết quả: {_counted(standing)}".'
    )


def not_met(view: CommuneView, olds: list[str]) -> str:
    """Where a tally changed the count of items not met: the report's sentence that sums them
    over the old communes ("Còn 04 chỉ tiêu chưa đạt (xã A 03/20, xã B 01/20)"),
    as printed and as it would read; "" where no count of items not met changed."""
    before, after = [], []
    for old in olds:
        info, tally = view.info[old], view.tally[old]
        printed = _printed(info)
        was = printed[MISSED] if printed else _counts(tally, "cong_bo")[MISSED]
        now = _counts(tally, "chot")[MISSED]
        total = int(tally["so_chi_tieu"])
        before.append((info[InfoRead.ten_xa], was, total))
        after.append((info[InfoRead.ten_xa], now, total))
    if before == after:
        return ""

    def sentence(counts: list[tuple[str, int, int]]) -> str:
        each = ", ".join(f"xã {name} {n:02d}/{total}" for name, n, total in counts)
        return f"Còn {sum(n for _, n, _ in counts):02d} chỉ tiêu chưa đạt ({each})"

    return (
        "Câu tổng hợp số chỉ tiêu chưa đạt (phần hạn chế, yếu kém của báo cáo) "
        f'"{sentence(before)}" sẽ phải sửa thành "{sentence(after)}".'
    )


def _result_words(row: Mapping, line: Mapping, bieu: str) -> str:
    """One row of part two: "Name: result/target unit, đạt x%, diễn giải, rating"."""
    rk, tk = row[RESULT.kind], row[TARGET.kind]
    result, target = _text(row[RESULT.text]), _text(row[TARGET.text])
    unit = _prose_unit(_text(row[ResultRowsRead.don_vi]))
    if rk == QUALITY and tk == QUALITY:  # "Đạt" against "Đạt": the rating says it
        figures = ""
    elif PLAIN.fullmatch(result) and PLAIN.fullmatch(target):
        figures = f"{_figure(row, RESULT)}/{_with_unit(_figure(row, TARGET), tk, unit)}"
    elif result and target:
        figures = (
            f"kết quả {_bound(_figure(row, RESULT), rk, unit)}, "
            f"chỉ tiêu {_bound(_figure(row, TARGET), tk, unit)}"
        )
    elif target:
        figures = f"chỉ tiêu {_bound(_figure(row, TARGET), tk, unit)}"
    else:
        figures = _bound(_figure(row, RESULT), rk, unit)
    ratio = line[ScoredRows.ty_le_dat]
    said = [figures] if figures else []
    if not pd.isna(ratio):  # printed where it reads the right way (judge.score.printed_ratio)
        said.append(f"đạt {format_vi(ratio)}%")
    said.append(_explained(row))
    standing = line[ScoredRows.danh_gia_chot]
    published = _text(row[ResultRowsRead.danh_gia])
    if line[ResultRowsRead.giu_danh_gia] == YES:
        reason = _text(line[ResultRowsRead.ly_do_giu])
        said.append(_phrase(standing) + (f" ({KEPT}: {reason})" if reason else f" ({KEPT})"))
    elif published and published != standing:
        said.append(_rerated(standing, published, bieu, _text(line[ScoredRows.ly_do])))
    else:
        said.append(_phrase(standing))
    return f"{_row_name(row)}: " + ", ".join(s for s in said if s)


def _rerated(standing: str, published: str, bieu: str, reason: str) -> str:
    """A rating that stands otherwise than published: "đánh giá lại: Không đạt; Biểu 01 công bố
    ghi Vượt, vì …"."""
    return f"đánh giá lại: {standing}; Biểu {bieu} công bố ghi {published}" + (
        f", vì {_words(reason)}" if reason else ""
    )


def _item_rating(item: Mapping, bieu: str) -> str:
    """An item's own rating after its rows ("Tính chung: …")."""
    standing = item[ScoredRows.danh_gia_chot]
    if _departs(item):
        return _rerated(
            standing,
            item[Items.danh_gia_cong_bo],
            bieu,
            "chỉ tiêu lấy đánh giá thấp nhất trong các dòng của nó",
        )
    return _phrase(standing)


def _row_name(row: Mapping) -> str:
    """A row's name in part two: as its Biểu prints it, or the catalogue's full name where the
    row prints the catalogue's short one (where it is the same words), shortened words spelled
    out either way."""
    name = _text(row[ResultRowsRead.chi_tieu])
    full = _text(row[ResultRows.ten_day_du])
    if full and any(short not in full for short in CAPITALS.findall(name)):
        return full
    return _words(name)


def _phrase(rating: str) -> str:
    return RATING[rating].phrase if rating in RATING else ""


# ---------------------------------------------------------------------------- part three


def part_three(doc: DocumentLayout, view: CommuneView) -> None:
    """3. Các chỉ tiêu chủ yếu: under each group's heading, one numbered paragraph per Biểu 03
    item (its sub-rows in the same paragraph), each target worded by its kind."""
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
    """One row of part three: "Full name: đến năm 2030 đạt 97%, note, diễn giải"; a target
    to meet each year "hằng năm đạt …", a total over the term "trong nhiệm kỳ đạt …"."""
    target, kind = _text(row[GOAL.text]), row[GOAL.kind]
    unit = _prose_unit(_text(row[ResultRowsRead.don_vi]))
    name = _text(row[ResultRows.ten_day_du]) or _words(_text(row[ResultRowsRead.chi_tieu]))
    if kind in FIGURES:
        period = PERIOD.get(row[ResultRows.loai_muc_tieu], f"đến năm {year}")
        words = f"{period} {_reached(_figure(row, GOAL), kind, unit)}".strip()
    elif target:  # a target in words ("Duy trì 05; phấn đấu 01 trường") is its own phrase
        words = _opening_lowered(_words(target))
    else:
        words = "chưa ghi mục tiêu"
    said = [words]
    note = _words(_text(row[TargetRowsRead.ghi_chu]))
    if note and not _said(note, f"{name} {words}"):
        said.append(_opening_lowered(note))
    said.append(_explained(row))
    return f"{name}: " + ", ".join(s for s in said if s)


def _said(note: str, sentence: str) -> bool:
    """Whether a note says only what the sentence says already ("Hàng năm" after "hằng năm",
    "Đến năm 2030", "Trong nhiệm kỳ")."""

    def folded(text: str) -> str:
        return re.sub(r"\s+", " ", text.casefold().replace("hàng năm", "hằng năm")).strip(" .")

    return folded(note) in folded(sentence)


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


def _figure(row: Mapping, parsed) -> str:
    """A value as printed, or, where its row is read with a decimal point ("5.436" meaning
    5,436), the number in Vietnamese notation as the record reads it."""
    text = _text(row[parsed.text])
    if row.get(ResultRowsRead.cach_doc_so) != DOT_DECIMAL or row[parsed.kind] != NUMBER:
        return text
    value = row.get(parsed.lo)
    if value is None or pd.isna(value):
        return text
    sign = SIGN.match(text)
    return (sign.group(0) if sign else "") + format_vi(value, row.get(parsed.decimals))


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


def _bound(text: str, kind: str, unit: str) -> str:
    """A figure with its unit, its sign in words: "> 30" → "trên 30 đảng viên", "≥ 17/19" →
    "từ 17/19 tiêu chí trở lên"."""
    sign = re.match(r"^\s*(>=|<=|[<>≤≥=])\s*", text) if kind in FIGURES else None
    if not sign:
        return _with_unit(text, kind, unit)
    op = {">=": "≥", "<=": "≤"}.get(sign[1], sign[1])
    before, after, _ = BOUND_WORDS[op]
    return f"{before}{_with_unit(text[sign.end() :], kind, unit)}{after}"


def _reached(text: str, kind: str, unit: str) -> str:
    """A target as part three says it is reached: "đạt 97%", "đạt từ 90% trở lên", "dưới 10%"."""
    sign = re.match(r"^\s*(>=|<=|[<>≤≥=])", text)
    op = {">=": "≥", "<=": "≤"}.get(sign[1], sign[1]) if sign else "="
    bound = _bound(text, kind, unit)
    return f"đạt {bound}" if BOUND_WORDS[op][2] else bound


def _words(text: str) -> str:
    """Free text as prose writes it: signs before figures in words ("≥ 20%" → "từ 20% trở
    lên"), shortened words spelled out ("HTX" → "hợp tác xã")."""
    if not text:
        return text

    def bound(m: re.Match) -> str:
        op = {">=": "≥", "<=": "≤"}.get(m[1], m[1])
        before, after, _ = BOUND_WORDS[op]
        return f"{before}{m[2].strip()}{after}"

    return SHORT.sub(lambda m: ABBREVIATIONS[m[1].lower()], SIGNED.sub(bound, text))


def _prose_unit(unit: str) -> str:
    """A unit as prose writes it: "Tr.đ/người/năm" → "triệu đồng/người/năm", "HTX" → "hợp tác
    xã"."""
    if not unit:
        return unit
    spelled = MILLION.sub("triệu ", MILLION_DONG.sub("triệu đồng", unit))
    spelled = SHORT.sub(lambda m: ABBREVIATIONS[m[1].lower()], spelled)
    return spelled if spelled == unit else spelled[0].lower() + spelled[1:]


def _opening_lowered(text: str) -> str:
    """A phrase after a colon: its first word lowered where it is an ordinary word ("Duy trì"
    → "duy trì", "Trong đó" → "trong đó"), a name kept."""
    if OPENING_WORDS.match(text) or text[:1].isupper() and text[1:2].islower():
        return text[0].lower() + text[1:]
    return text


def _explained(row: Mapping) -> str:
    """The record's "Diễn giải" of a row: facts the prose gives beside the figures."""
    return _opening_lowered(_words(_text(row.get(ResultRowsRead.dien_giai))))


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?", ":")) else f"{text}."


def _text(value: object) -> str:
    return "" if value is None or value != value else str(value)

"""Reading what a congress report's prose says about its indicators (python-docx).

Pure but for python-docx's own reading: a `docx` Document in, the indicator passages of part two
(one section per old commune, "Đối với xã … (có biểu số 01 kèm theo)") and of part three ("Các
chỉ tiêu chủ yếu", one group per "3.1.", "3.2." …) out, each passage with where every figure
stands, so that a comment can be anchored on it. Text is read as Word holds it: a paragraph's
runs joined (a figure split over runs by editing is read whole), the paragraphs of a part as one
stream, so that a sentence broken over paragraphs (a PDF pasted into Word) is read as one.

A passage is an item, "(5) …" to "(6)": numbered on from 1 in its section (part two) or group
(part three); a number that does not run on is not an item. An item is cut into clauses at ";"
and at the end of a sentence. In a clause:

- a pair "a/b" is the result and the target (part two prints them so: "85/40%"), but "a/b tiêu
  chí" is one figure, a share of criteria ("11/19 tiêu chí");
- else the first figure is the result (part two; after "phấn đấu", the target) or the target
  (part three), with the words of a bound before it ("trên 70", "dưới 7 %", "từ 42") and
  "trở lên" after it;
- "đạt x %" after a figure is the achievement ratio;
- "vượt/đạt/không đạt Nghị quyết" is the rating.

Years ("năm 2024") and durations ("5 năm") are not figures. A clause that names nothing ("Đạt
340 %, vượt Nghị quyết Đại hội.", "Năm 2024 còn 1,24 %") belongs to the clause before it; a
rating alone after two or more named clauses is the item's.

`matched` ties clauses to a table's rows: in part two the rows of the item with the same number,
in part three the rows of the same group; by name (RapidFuzz on names with abbreviations spelled
out, `suggest.fold`), a figure only to a row whose unit it fits (`fits`). A row whose table
value is words ("Duy trì 01 DN, 03 HTX; …") that no clause names takes the whole item that
names it best.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field

from docx.document import Document
from docx.oxml.ns import qn
from docx.text.run import Run
from rapidfuzz import fuzz

from pipeline.parse import TEXT, parse_expr
from pipeline.suggest import fold
from pipeline.text import clean, key
from schemas.stages import InfoRead
from schemas.vocabulary import EXCEEDED, MET, MISSED

PART_TWO, PART_THREE = "hai", "ba"
_NUMBER = r"\d+(?:[.,]\d+)*"
_VALUE = rf"{_NUMBER}(?:\s*[-–]\s*{_NUMBER})?"
_BOUND = r"dưới|trên|từ|tối thiểu|tối đa|không quá|ít nhất|không dưới|không thấp hơn"
_FIGURE = re.compile(
    rf"(?:(?P<op>{_BOUND})\s+)?(?<![\d.,])(?P<a>{_VALUE})(?![\d])\s*(?P<pa>%)?"
    rf"(?:\s*/\s*(?P<b>{_VALUE})(?![\d])\s*(?P<pb>%)?)?",
    re.IGNORECASE,
)
# a figure these words follow or precede is not one: a year, a duration, an age, seasons, levels
_BEFORE_NOT = re.compile(r"(?:mức độ|khóa|khoá|lần thứ)\s*$", re.IGNORECASE)
_YEAR = re.compile(r"(?:19|20)\d\d")
_AFTER_NOT = re.compile(r"^\s*(?:năm|tháng|tuổi|mùa|cấp|sao|lượt)\b", re.IGNORECASE)
_OUT_OF = ("tiêu chí",)  # "a/b" of these is a share of b ("11/19 tiêu chí"), not result/target
_RISE = re.compile(r"^\s*(?:[^\d\s.,;:]+\s+){0,3}?trở lên", re.IGNORECASE)
_STRIVE = re.compile(r"phấn đấu", re.IGNORECASE)
_REACHED = re.compile(r"đạt\s*$", re.IGNORECASE)  # "đạt x %" after a figure: the ratio
_WORDS = {w.casefold(): w for w in (MISSED, EXCEEDED, MET)}
_RATING = re.compile(
    r"(?P<w>"
    + "|".join(re.escape(w) for w in sorted(_WORDS, key=len, reverse=True))
    + r")(?P<and>\s+và\s+\w+)?\s+(?:chỉ tiêu\s+)?nghị\s+quyết",
    re.IGNORECASE,
)
_ITEM = re.compile(r"\(\s*(\d{1,2})\s*\)\s*\.?")
# a numbered heading inside a part ("2.1.2. Nhóm …", "3.2. Các chỉ tiêu …", "2.1- Đối với")
_HEADING = re.compile(r"(?<![\d.,/])\d{1,2}(?:\.\d{1,2}){1,3}\.?\s*[-–]?\s+(?=[A-ZĐÀ-Ỹ])")
_ROMAN = re.compile(r"(?<![\w.])(?:I|II|III|IV|V|VI|VII)\s*[-–.]\s+(?=[A-ZĐÀ-Ỹ]{2})")
_PART = re.compile(r"phần\s+thứ\s+(hai|ba|tư)", re.IGNORECASE)
_COMMUNE = re.compile(r"đối\s+với\s+xã[^()]*\(\s*có\s+biểu\s*(?:số\s*)?(\d+[a-z]?)", re.IGNORECASE)
_MAIN = re.compile(r"các\s+chỉ\s+tiêu\s+chủ\s+yếu", re.IGNORECASE)
_ADOPTED = re.compile(r"thông\s+qua\s+(\d+)\s+chỉ\s+tiêu", re.IGNORECASE)
_COUNTED = re.compile(
    r"(\d+)\s+chỉ\s+tiêu\s+("
    + "|".join(re.escape(w) for w in sorted(_WORDS, key=len, reverse=True))
    + r")(?!\w)",
    re.IGNORECASE,
)
COUNTS = {EXCEEDED: InfoRead.vuot_bc, MET: InfoRead.dat_bc, MISSED: InfoRead.khong_dat_bc}
_CLAUSE_END = re.compile(
    rf";|(?<=[^\d\s])\.(?=\s)|(?<=\d)\.(?=\s+\D)|:\s*(?=[-–]\s)"
    rf"|\s+và\s+(?=(?:(?:{_BOUND})\s+)?\d)|,\s+(?=(?:(?:{_BOUND})\s+)?{_NUMBER}\s*%)"
    r"|,\s+(?=trong\s+đó\b)",
    re.IGNORECASE,
)
_FILLER = re.compile(
    r"nghị\s+quyết|đại\s+hội|"
    + "|".join(re.escape(w) for w in _WORDS)
    + r"|\bvà\b|\bcòn\b|\bnăm\b|\bđến nay\b|[\d.,%/()\-–:;“”\"']",
    re.IGNORECASE,
)
_SCALES = ("nghìn", "ngàn", "triệu", "tỷ", "đồng", "đ")
_UNIT_SPELLED = (("tr.đ", "triệu đồng"), ("tr. đồng", "triệu đồng"), ("tr.đồng", "triệu đồng"))
PART_TWO_SCORE, PART_THREE_SCORE = 40, 60  # a clause names a row from this score on


@dataclass(frozen=True)
class Piece:
    """Printed text and where it stands in the part's stream of text."""

    text: str
    at: int
    end: int


@dataclass
class Figure:
    """A value the prose gives a row, as the record's prose column holds it ("trên 70",
    "11/19", "1,190"), where it is printed, and the words printed right after it."""

    text: str
    piece: Piece
    after: str = ""
    percent: bool = False


@dataclass
class Clause:
    """One thing an item says: a name, the figures it gives, the ratio and rating it prints."""

    text: str
    at: int
    name: str = ""
    result: Figure | None = None
    target: Figure | None = None
    pair: Piece | None = None  # "a/b" as printed
    ratio: Piece | None = None  # the x of "đạt x %"
    rating: Piece | None = None  # "vượt Nghị quyết …"; its word in `rated`
    rated: str = ""
    parts: list = field(default_factory=list)  # a row worded in words: the clauses it took
    reached: bool = False  # its only figure was printed "đạt x %": a ratio, or the result

    @property
    def value(self) -> Figure | None:
        return self.result or self.target


@dataclass
class Item:
    number: int
    text: str
    at: int
    clauses: list[Clause] = field(default_factory=list)
    rating: Piece | None = None  # the item's own, after two or more named clauses
    rated: str = ""


@dataclass
class Section:
    """Part two: one old commune's passages (`bieu` as the heading names it, "01"); part three:
    one group of targets (`group`, 1 for "3.1.")."""

    part: str
    bieu: str = ""
    group: int = 0
    heading: str = ""
    counts: dict[str, Piece] = field(default_factory=dict)  # InfoRead column → printed count
    items: list[Item] = field(default_factory=list)


@dataclass
class Prose:
    """The document's paragraphs (their runs' text joined), the stream they make, and the
    sections found in it."""

    paragraphs: list[str]
    sections: list[Section] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    offsets: list[list[int]] = field(default_factory=list)  # NFC index → index as Word holds it

    def where(self, at: int) -> tuple[int, int]:
        """The paragraph a stream offset falls in, and the offset within the paragraph's text
        as Word holds it (its letters may be decomposed: "chủ" as u and a combining hook)."""
        index = bisect_right(self.starts, at) - 1
        offset = at - self.starts[index]
        return index, self.offsets[index][offset] if self.offsets else offset

    def of(self, part: str) -> list[Section]:
        return [s for s in self.sections if s.part == part]


# ---------------------------------------------------------------------------- reading


def paragraph_text(paragraph) -> str:
    """A body paragraph's text as its runs hold it, runs in hyperlinks and insertions included:
    the same text the comment writer counts offsets in."""
    return "".join(Run(r, paragraph).text for r in paragraph._p.iter(qn("w:r")))


def read_prose(document: Document) -> Prose:
    """The indicator passages of a report's part two and part three."""
    return read_paragraphs([paragraph_text(p) for p in document.paragraphs])


def composed(text: str) -> tuple[str, list[int]]:
    """The text in NFC (as Unikey's precomposed letters), and for each of its offsets (and its
    end) the offset in `text`."""
    if unicodedata.is_normalized("NFC", text) and not any(map(unicodedata.combining, text)):
        # as typed with Unikey: each letter is its own piece and in NFC already
        return text, list(range(len(text) + 1))
    out, offsets, start = [], [], 0
    for i in range(1, len(text) + 1):
        if i < len(text) and unicodedata.combining(text[i]):
            continue
        piece = unicodedata.normalize("NFC", text[start:i])
        out.append(piece)
        offsets += [start] * len(piece)
        start = i
    return "".join(out), [*offsets, len(text)]


def read_paragraphs(texts: list[str]) -> Prose:
    """`read_prose` on the paragraphs' texts as Word holds them."""
    pairs = [composed(t) for t in texts]
    paragraphs = [p for p, _ in pairs]
    starts, at = [], 0
    for text in paragraphs:
        starts.append(at)
        at += len(text) + 1
    stream = "\n".join(paragraphs)
    prose = Prose(paragraphs, [], starts, [o for _, o in pairs])
    parts = [(m.start(), key(m[1])) for m in _PART.finditer(stream)]
    bounds = {}
    for i, (start, name) in enumerate(parts):
        bounds.setdefault(name, (start, parts[i + 1][0] if i + 1 < len(parts) else len(stream)))
    if "hai" in bounds:
        prose.sections += _part_two(stream, *bounds["hai"])
    if "ba" in bounds:
        prose.sections += _part_three(stream, *bounds["ba"])
    return prose


def _end_of(stream: str, start: int, end: int) -> int:
    """Where a run of passages ends: the next heading numbered in Roman figures ("II- HẠN
    CHẾ"), or `end`."""
    found = _ROMAN.search(stream, start, end)
    return found.start() if found else end


def _part_two(stream: str, start: int, end: int) -> list[Section]:
    heads = list(_COMMUNE.finditer(stream, start, end))
    sections = []
    for i, head in enumerate(heads):
        stop = heads[i + 1].start() if i + 1 < len(heads) else end
        stop = _end_of(stream, head.end(), stop)
        section = Section(PART_TWO, bieu=head[1], heading=clean(head[0]))
        section.items = _items(stream, head.end(), stop, PART_TWO)
        first = section.items[0].at if section.items else stop
        section.counts = _counts(stream, head.end(), first)
        sections.append(section)
    return sections


def _counts(stream: str, start: int, end: int) -> dict[str, Piece]:
    """The tally the section's opening sentence prints: adopted, exceeded, met, missed."""
    counts = {}
    adopted = _ADOPTED.search(stream, start, end)
    if adopted:
        counts[InfoRead.so_chi_tieu_bc] = Piece(adopted[1], adopted.start(1), adopted.end(1))
    for m in _COUNTED.finditer(stream, start, end):
        column = COUNTS[_WORDS[m[2].casefold()]]
        counts.setdefault(column, Piece(m[1], m.start(1), m.end(1)))
    return counts


def _part_three(stream: str, start: int, end: int) -> list[Section]:
    main = _MAIN.search(stream, start, end)
    if main is None:
        return []
    stop = _end_of(stream, main.end(), end)
    heads = [h for h in _HEADING.finditer(stream, main.end(), stop)]
    sections = []
    for i, head in enumerate(heads):
        until = heads[i + 1].start() if i + 1 < len(heads) else stop
        line = re.split(r"\n|\(\s*1\s*\)", stream[head.end() : until])[0]
        section = Section(PART_THREE, group=i + 1, heading=clean(head[0] + line))
        section.items = _items(stream, head.end(), until, PART_THREE)
        sections.append(section)
    return sections


def _items(stream: str, start: int, end: int, part: str) -> list[Item]:
    """The items numbered on from (1) between `start` and `end`, each cut at a heading."""
    marks, expected = [], 1
    for m in _ITEM.finditer(stream, start, end):
        if int(m[1]) == expected:
            marks.append(m)
            expected += 1
    items = []
    for i, mark in enumerate(marks):
        stop = marks[i + 1].start() if i + 1 < len(marks) else end
        heading = _HEADING.search(stream, mark.end(), stop)
        stop = heading.start() if heading else stop
        item = Item(int(mark[1]), stream[mark.end() : stop], mark.end())
        _clauses(item, part)
        items.append(item)
    return items


def _clauses(item: Item, part: str) -> None:
    """Cut an item into clauses, read each, and give a clause that names nothing to the one
    before it (a rating alone after two named clauses is the item's)."""
    texts, last = [], 0
    for m in [*_CLAUSE_END.finditer(item.text), None]:
        finish = m.start() if m else len(item.text)
        raw = item.text[last:finish]
        lead = len(raw) - len(raw.lstrip(" \n-–"))
        if raw[lead:].strip(" \n.-–"):
            texts.append((raw[lead:].rstrip(), item.at + last + lead))
        last = m.end() if m else last
    named: list[Clause] = []
    for number, (text, at) in enumerate(texts):
        clause = _clause(text, at, part)
        if clause.name or not named:
            named.append(clause)
            continue
        before = named[-1]
        if clause.reached and before.value:
            clause.result = None  # "…85/40 %. Đạt 340 %": the ratio of the figures before
        if clause.value and not before.result and part == PART_TWO:
            before.result = clause.value
        if clause.ratio and not before.ratio:
            before.ratio = clause.ratio
        if clause.rating and len(named) > 1 and number == len(texts) - 1:
            item.rating, item.rated = clause.rating, clause.rated
        elif clause.rating and not before.rating:
            before.rating, before.rated = clause.rating, clause.rated
    item.clauses = named


def _clause(text: str, at: int, part: str) -> Clause:
    clause = Clause(text, at)
    cuts: list[tuple[int, int]] = []
    for m in _FIGURE.finditer(text):
        if _not_a_figure(text, m):
            continue
        reached = (
            part == PART_TWO
            and m["pa"]
            and not (m["b"] or m["op"])
            and _REACHED.search(text[: m.start()])
        )
        if clause.value:
            if reached and not clause.ratio:
                clause.ratio = Piece(m["a"], at + m.start("a"), at + m.end("a"))
                cuts.append((m.start(), m.end()))
            continue
        cuts.append((m.start(), m.end()))
        _value(clause, text, m, at, part)
        if reached:  # the result ("Tỷ lệ …: Đạt 100 %"), or the ratio of the clause before
            clause.reached = True
            clause.ratio = Piece(m["a"], at + m.start("a"), at + m.end("a"))
    if rating := _RATING.search(text):
        if not rating["and"]:
            clause.rating = Piece(rating["w"], at + rating.start("w"), at + rating.end("w"))
            clause.rated = _WORDS[rating["w"].casefold()]
        cuts.append((rating.start(), rating.end()))
    first = min((start for start, _ in cuts), default=len(text))
    colon = text.rfind(":", 0, first)
    if colon >= 0 and len(_FILLER.sub(" ", text[colon + 1 : first]).split()) >= 2:
        cuts.append((0, colon + 1))  # "Tỷ lệ …: Đến năm 2030, tỷ lệ … chiếm 65 %" names the latter
    clause.name = _name(text, cuts)
    if clause.name and clause.reached:
        clause.ratio = None
    return clause


def _not_a_figure(text: str, m: re.Match) -> bool:
    """A year ("năm 2024", "2020-2025"), a duration ("5 năm"), an age, a level."""
    if _YEAR.fullmatch(m["a"].split("-")[0].strip()) and not m["pa"] and not m["b"]:
        return True
    return bool(_BEFORE_NOT.search(text[: m.start("a")]) or _AFTER_NOT.match(text[m.end() :]))


def _value(clause: Clause, text: str, m: re.Match, at: int, part: str) -> None:
    """The figure `m` as the clause's result and target, or as one of them."""
    after = text[m.end() :]
    rise = _RISE.match(after)
    shown_end = m.end() + (rise.end() if rise else 0)
    printed = text[m.start() : m.end()].rstrip()
    piece = Piece(printed, at + m.start(), at + m.start() + len(printed))
    percent = bool(m["pa"] or m["pb"])
    op = f"{m['op']} " if m["op"] else ""
    if m["b"] and not key(after).startswith(_OUT_OF):
        clause.pair = piece
        clause.result = Figure(
            m["a"], Piece(m["a"], at + m.start("a"), at + m.end("a")), after, percent
        )
        clause.target = Figure(
            m["b"], Piece(m["b"], at + m.start("b"), at + m.end("b")), after, percent
        )
        return
    shown = (
        clean(text[m.start() : shown_end])
        if rise
        else f"{op}{m['a']}" + (f"/{m['b']}" if m["b"] else "")
    )
    if rise:
        shown = clean(shown.replace("%", "% ").replace(" %", "%"))
    figure = Figure(shown, piece, after, percent)
    if part == PART_THREE or _STRIVE.search(text[: m.start()]):
        clause.target = figure
    else:
        clause.result = figure


def _name(text: str, cuts: list[tuple[int, int]]) -> str:
    """What a clause names: its words less its figures, ratio, rating and the report's stock
    words; "" where fewer than two words are left."""
    kept, last = [], 0
    for start, end in sorted(cuts):
        kept.append(text[last:start])
        last = max(last, end)
    kept.append(text[last:])
    words = _FILLER.sub(" ", " ".join(kept)).split()
    return " ".join(words) if len(words) >= 2 else ""


# ---------------------------------------------------------------------------- matching


@dataclass(frozen=True)
class Row:
    """A table's row as `matched` needs it: its place in the table, its item number (part
    two) or group's order (part three), and what it prints."""

    index: int
    item: int
    group: int
    name: str
    unit: str
    value: str = ""  # the target as printed (Biểu 03), to tell a row worded in words


def outline(rows: list[dict[str, str]], tt: str, name: str, unit: str, value: str) -> list[Row]:
    """A table's rows (dicts as the table prints them, fields named by the arguments) with each
    one's item number and group order; group rows left out."""
    out, item, group = [], 0, 0
    for index, row in enumerate(rows):
        number = clean(row.get(tt, ""))
        if re.fullmatch(r"[IVXLC]+\.?", number):
            group, item = group + 1, 0
            continue
        if m := re.fullmatch(r"(\d+)\.?", number):
            item = int(m[1])
        out.append(
            Row(
                index, item, max(group, 1), row.get(name, ""), row.get(unit, ""), row.get(value, "")
            )
        )
    return out


@dataclass
class Match:
    """A clause tied to a row (or a whole item, for a row worded in words)."""

    row: Row
    clause: Clause
    item: Item
    score: int
    whole: bool = False


def _unit(text: str) -> str:
    unit = key(text)
    for short, long in _UNIT_SPELLED:
        unit = unit.replace(short, long)
    return unit


def fits(figure: Figure | None, unit: str, others: tuple[str, ...] = ()) -> bool:
    """Whether a figure is printed in a row's unit: a percentage for a row in %, another figure
    for any other row, unless the words after it name another scale or unit ("6.613 con" for a
    row in nghìn con, "24.800.000 đồng" for one in Tr. đồng, "276 triệu đồng" for one in %, "05
    bản" for one in tiêu chí where another row of the table is in bản: `others`)."""
    if figure is None:
        return True
    wanted = _unit(unit)
    if wanted == "%":
        return figure.percent
    if figure.percent:
        return False
    after = _unit(figure.after).lstrip(" ,")
    if not wanted or after.startswith(wanted):
        return True
    first = re.split(r"[\s,.;:/]+", after, maxsplit=1)[0]
    if any(after.startswith(other) for other in others if other not in ("", "%", wanted)):
        return False
    return not (first in _SCALES or first in re.split(r"[\s,./]+", wanted))


def _score(name: str, row: Row) -> int:
    return int(fuzz.token_set_ratio(fold(name), fold(row.name)))


def matched(section: Section, rows: list[Row]) -> list[Match]:
    """The clauses of a section tied to rows, each row and each clause at most once, best
    names first. A row two clauses name about as well (within `MARGIN`) while saying different
    things is left alone: the prose does not say which is the row's."""
    part_two = section.part == PART_TWO
    floor = PART_TWO_SCORE if part_two else PART_THREE_SCORE
    by_row: dict[int, list] = {}
    units = tuple({_unit(r.unit) for r in rows})
    for item in section.items:
        for order, clause in enumerate(item.clauses):
            if not (clause.value or clause.rating) or not clause.name or _within(clause):
                continue
            for row in _scope(section, item, rows):
                if _wordy(section, row) or not fits(clause.value, row.unit, units):
                    continue
                score = _score(clause.name, row)
                if score >= floor:
                    tie = fuzz.ratio(fold(clause.name), fold(row.name))
                    by_row.setdefault(row.index, []).append(
                        (-score, -tie, item.at, order, row.index, row, clause, item)
                    )
    candidates = []
    for found in by_row.values():
        found.sort(key=lambda c: c[:4])
        if (
            len(found) > 1
            and found[1][0] - found[0][0] < MARGIN
            and _says(found[0][6]) != _says(found[1][6])
        ):
            continue
        candidates += found
    taken_rows, taken_clauses, out = set(), set(), []
    for score, _, _, _, _, row, clause, item in sorted(candidates, key=lambda c: c[:5]):
        if row.index in taken_rows or id(clause) in taken_clauses:
            continue
        taken_rows.add(row.index)
        taken_clauses.add(id(clause))
        out.append(Match(row, clause, item, -score))
    out += [m for row in rows if (m := _worded(section, row, floor))]
    return sorted(out, key=lambda m: m.row.index)


MARGIN = 5
_OF_WHICH = re.compile(r"^(?:trong\s+đó|trong\s+số\s+đó)\b", re.IGNORECASE)


def _within(clause: Clause) -> bool:
    """A clause "trong đó 20 % …": a share of the figure before it, never a row's figure."""
    return bool(_OF_WHICH.match(clause.text))


def _scope(section: Section, item: Item, rows: list[Row]) -> list[Row]:
    """The rows an item may speak of: part two's item of the same number, part three's group."""
    if section.part == PART_TWO:
        return [r for r in rows if r.item == item.number]
    return [r for r in rows if r.group == section.group]


def _wordy(section: Section, row: Row) -> bool:
    """A part-three row whose target is printed in words ("Duy trì 01 DN, 03 HTX; …")."""
    return section.part == PART_THREE and bool(row.value) and parse_expr(row.value).kind == TEXT


def _says(clause: Clause) -> tuple[str, str, str]:
    return (
        clause.result.text if clause.result else "",
        clause.target.text if clause.target else "",
        clause.rated,
    )


def _worded(section: Section, row: Row, floor: int) -> Match | None:
    """A row worded in words takes, from the item that names it best, every clause with a
    figure that names it: their text together, as the row's target in words."""
    if not _wordy(section, row) or row.group != section.group:
        return None
    best = None
    for item in section.items:
        said = [
            c
            for c in item.clauses
            if c.value and c.name and not _within(c) and _score(c.name, row) >= floor
        ]
        if said:
            score = max(_score(c.name, row) for c in said)
            if best is None or score > best[0]:
                best = (score, item, said)
    if best is None:
        return None
    score, item, said = best
    text = "; ".join(clean(c.text).rstrip(" .;") for c in said)
    end = said[-1].at + len(said[-1].text)
    clause = Clause(text, said[0].at, row.name, target=Figure(text, Piece(text, said[0].at, end)))
    clause.parts = said
    return Match(row, clause, item, score, whole=True)

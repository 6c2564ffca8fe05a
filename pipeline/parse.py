"""Reading numbers in Vietnamese notation and the target expressions officers type.

Pure functions: a cell's text in, an `Expr` out. Nothing here raises on bad input; a text that
cannot be read comes back with `kind="invalid"` and a Vietnamese explanation in `error`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

from babel.numbers import NumberFormatError, parse_decimal

from pipeline.text import clean
from schemas.vocabulary import COMMA_DECIMAL, DOT_DECIMAL, QUALITY_WORDS, READING_LOCALE

# kinds of expression
EMPTY, NUMBER, RANGE, QUALITY, TEXT, INVALID = (
    "empty",
    "number",
    "range",
    "quality",
    "text",
    "invalid",
)

# a number: digits with dots and commas (Babel reads them strictly), or groups of three digits
# separated by spaces, as French and Word's own number format print them ("15 000"; a no-break
# space is already a space once the text is cleaned), with decimals after the last group
_NUM = r"[+-]?(?:\d{1,3}(?: \d{3})+(?:[.,]\d+)?(?![\d.,])|\d[\d.,]*)"
_WORDS_BEFORE = {
    "trên": ">",
    "hơn": ">",
    "dưới": "<",
    "từ": "≥",
    "tối thiểu": "≥",
    "ít nhất": "≥",
    "tối đa": "≤",
    "không quá": "≤",
    ">=": "≥",
    "<=": "≤",
    "≥": "≥",
    "≤": "≤",
    ">": ">",
    "<": "<",
    "=": "=",
}
_WORDS_AFTER = {"trở lên": "≥", "trở xuống": "≤"}
_before = "|".join(sorted(map(re.escape, _WORDS_BEFORE), key=len, reverse=True))
_after = "|".join(map(re.escape, _WORDS_AFTER))
# the words after the number: a unit ("tỷ đồng", "con"), maybe with words about it ("số hộ")
_SUFFIX = r"(?P<suffix>[^\W\d_][^\d]*)?"
_BOUND = re.compile(
    rf"^(?:(?P<before>{_before})\s*)?(?P<a>{_NUM})\s*(?P<pct>%)?"
    rf"(?:\s*/\s*(?P<den>{_NUM}))?\s*(?:(?P<after>{_after})\s*)?{_SUFFIX}$"
)
_RANGE = re.compile(
    rf"^(?:từ\s*)?(?P<a>{_NUM})\s*(?P<pct_a>%)?\s*(?:-|–|đến)\s*(?P<b>{_NUM})\s*(?P<pct>%)?"
    rf"\s*{_SUFFIX}$"
)
# a unit followed by "trở lên" / "trở xuống" ("145 đảng viên trở lên")
_UNIT_THEN_AFTER = re.compile(rf"^(?P<unit>.*?)\s*(?P<after>{_after})$")
# where a row's reading is settled, as the messages say it: a table's own column by default
ROW_READING = 'vào cột "Cách đọc số" của dòng này'
INFO_READING = 'vào cột "Cách đọc số" của sheet "Thông tin" (thêm cột này nếu chưa có)'
# one separator followed by exactly three digits: 5.436 or 1,130 read differently by notation
_AMBIGUOUS = re.compile(r"^[+-]?\d{1,3}[.,]\d{3}$")


LARGEST = 1e15  # no figure of a commune's report comes near: a longer number is a typing slip


def too_large(text: str) -> str:
    return f'"{text}" là số quá lớn (từ 16 chữ số trở lên): kiểm tra lại ô này'


@dataclass(frozen=True)
class Expr:
    """A cell read as a target or a result, with the printed text kept beside it."""

    text: str
    kind: str
    op: str | None = None
    lo: float | None = None
    hi: float | None = None
    denom: float | None = None
    decimals: int = 0
    quality: str | None = None
    error: str | None = None
    ambiguity: str | None = None
    unit: str | None = None  # the words typed after the number, "%" first ("% số hộ"), lower case
    note: str | None = None  # how a unit typed in the cell was read (prepare converts it)


@dataclass(frozen=True)
class Number:
    value: float
    decimals: int
    ambiguity: str | None = None


def format_vi(value: float, decimals: int | None = None) -> str:
    """Write a number in Vietnamese notation: 1.234,5; with `decimals` fixed, else up to three
    as needed. The same text as Babel's `format_decimal(locale="vi")` (a test holds them to it),
    written with Python's format mini-language because a country's annexes format numbers
    millions of times and Babel takes about 50 µs for each."""
    number = Decimal(repr(float(value)))
    if not number.is_finite():
        return str(value)
    places = 3 if decimals is None else decimals
    with localcontext() as context:
        context.prec = 400  # any float's digits: quantize never runs out of precision
        rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
        if decimals is None:
            rounded = rounded.normalize()
            text = f"{rounded:,f}"
        else:
            text = f"{rounded:,.{decimals}f}"
    if text.startswith("-") and not rounded:
        text = text[1:]
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def parse_number(
    text: str, reading: str | None = None, integer_unit: bool = False, where: str | None = None
) -> Number:
    """Read one number written as an officer types it; raise ValueError with a Vietnamese reason.

    `reading` is the officer's settled notation for the row, or None for the default (Vietnamese).
    `integer_unit` says the unit only counts whole things (con, người, trường), which settles
    5.436 as five thousand four hundred and thirty-six without asking. `where` says, in the
    messages, where the reading is settled (a table row's column by default).
    """
    token = text.replace(" ", "")
    locale = READING_LOCALE[reading or COMMA_DECIMAL]
    try:
        value = parse_decimal(token, locale=locale, strict=True)
    except NumberFormatError:
        other = DOT_DECIMAL if locale == "vi" else COMMA_DECIMAL
        hint = ""
        try:
            parse_decimal(token, locale=READING_LOCALE[other], strict=True)
            hint = f'; nếu dòng này gõ kiểu {other.lower()}, ghi "{other}" '
            hint += where or 'vào cột "Cách đọc số"'
        except NumberFormatError:
            pass
        raise ValueError(
            f'"{text}" không phải là số viết theo kiểu Việt Nam (như 1.234,5){hint}'
        ) from None
    if abs(value) >= LARGEST:
        raise ValueError(too_large(text))
    decimal_mark = "," if locale == "vi" else "."
    decimals = len(token.rsplit(decimal_mark, 1)[1]) if decimal_mark in token else 0
    ambiguity = None
    if reading is None and _AMBIGUOUS.match(token):
        dot = "." in token
        if (dot and not integer_unit) or (not dot and integer_unit):
            other_value = parse_decimal(token, locale="en", strict=True)
            ambiguity = (
                f'"{text}" có thể là {format_vi(float(value))} hoặc {format_vi(float(other_value))}'
                f" (dấu {'chấm' if dot else 'phẩy'} gõ theo kiểu khác); đang đọc là "
                f'{format_vi(float(value))}. Ghi "{COMMA_DECIMAL}" hoặc "{DOT_DECIMAL}" '
                f"{where or ROW_READING} để khẳng định"
            )
    return Number(float(value), decimals, ambiguity)


def parse_expr(
    raw: object, reading: str | None = None, integer_unit: bool = False, where: str | None = None
) -> Expr:
    """Read a target or result cell: a number, a bound, a range, a fraction, Đạt, or free text
    (`where`: as `parse_number`)."""
    if isinstance(raw, bool):
        raw = str(raw)
    if isinstance(raw, dt.date):
        shown = f"{raw:%d/%m/%Y}"
        return Expr(
            shown,
            INVALID,
            error=f"Excel đã tự đổi ô này thành ngày {shown}; gõ lại giá trị với dấu nháy đơn ở "
            "đầu (ví dụ '3-4) để Excel giữ nguyên như đã in",
        )
    if isinstance(raw, int | float) and raw == raw:  # a number typed into Excel as a number
        value = float(raw)
        if abs(value) >= LARGEST:
            return Expr(f"{raw:.15g}", INVALID, error=too_large(f"{raw:.15g}"))
        return Expr(format_vi(value), NUMBER, "=", value, value)
    text = clean(raw)
    if not text:
        return Expr("", EMPTY)
    low = text.casefold()
    if low in QUALITY_WORDS:
        return Expr(text, QUALITY, quality=QUALITY_WORDS[low])
    try:
        if m := _RANGE.match(low):
            a = parse_number(m["a"], reading, integer_unit, where)
            b = parse_number(m["b"], reading, integer_unit, where)
            if a.value > b.value:
                return Expr(text, INVALID, error=f'khoảng "{text}" có đầu dưới lớn hơn đầu trên')
            return Expr(
                text,
                RANGE,
                lo=a.value,
                hi=b.value,
                decimals=max(a.decimals, b.decimals),
                ambiguity=a.ambiguity or b.ambiguity,
                unit=typed_unit(m["pct_a"] or m["pct"], m["suffix"]),
            )
        if m := _BOUND.match(low):
            suffix, after = m["suffix"], m["after"]
            if suffix and not after and (tail := _UNIT_THEN_AFTER.match(suffix)):
                suffix, after = tail["unit"], tail["after"]
            if m["before"] and after and m["before"] != "từ":
                return Expr(text, TEXT)
            op = _WORDS_AFTER.get(after or "") or _WORDS_BEFORE.get(m["before"] or "", "=")
            a = parse_number(m["a"], reading, integer_unit, where)
            den = parse_number(m["den"], reading, integer_unit, where) if m["den"] else None
            if den is not None and den.value == 0:
                return Expr(text, INVALID, error=f'phân số "{text}" có mẫu số bằng 0')
            return Expr(
                text,
                NUMBER,
                op=op,
                lo=a.value,
                hi=a.value,
                denom=den.value if den else None,
                decimals=a.decimals,
                ambiguity=a.ambiguity or (den.ambiguity if den else None),
                unit=typed_unit(m["pct"], suffix),
            )
    except ValueError as err:
        return Expr(text, INVALID, error=str(err))
    return Expr(text, TEXT)


def typed_unit(percent: str | None, words: str | None) -> str | None:
    """The unit typed after a number, as one text: "%" first where typed, then the words;
    None where the number stands alone."""
    typed = " ".join(part for part in (percent, (words or "").strip()) if part)
    return typed or None


def parse_term(term: object) -> tuple[int, int] | None:
    """A term's first and last year ("2025-2030" → (2025, 2030)); None where it is not two
    years joined by a dash (validation says so)."""
    start, _, end = str(term).partition("-")
    return (int(start), int(end)) if start.isdigit() and end.isdigit() else None


FIGURE_TOKEN = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)*")


def figures_in(said: str, printed: str) -> int | None:
    """Which figure of `said` (0 for its first) is the first not found among the figures of
    `printed`, in order (the third, "03", of "Duy trì 01 DN, 03 HTX. Thành lập mới 03 DN"
    against "Duy trì 01 DN, 03 HTX; thành lập mới 02 HTX"); None where each is found, each
    after the one before. Compared as numbers (01 = 1)."""
    table = [_figure_value(t) for t in FIGURE_TOKEN.findall(printed)]
    at = 0
    for number, token in enumerate(FIGURE_TOKEN.findall(said)):
        try:
            at = table.index(_figure_value(token), at) + 1
        except ValueError:
            return number
    return None


def _figure_value(token: str) -> float | str:
    try:
        return parse_number(token).value
    except ValueError:
        return token

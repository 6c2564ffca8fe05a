"""The parser on the forms the report prints, and properties that hold for any input."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.parse import (
    DOT_DECIMAL,
    EMPTY,
    INVALID,
    NUMBER,
    QUALITY,
    RANGE,
    TEXT,
    format_vi,
    parse_expr,
)

# (printed, kind, op, lo, hi, denom, decimals): forms taken from Biểu 01–03 and the prose
REAL_FORMS = [
    ("1,130", NUMBER, "=", 1.13, 1.13, None, 3),
    ("1,99", NUMBER, "=", 1.99, 1.99, None, 2),
    ("122,7", NUMBER, "=", 122.7, 122.7, None, 1),
    ("59,46", NUMBER, "=", 59.46, 59.46, None, 2),
    ("33,0", NUMBER, "=", 33.0, 33.0, None, 1),
    ("03", NUMBER, "=", 3.0, 3.0, None, 0),
    ("1.234,5", NUMBER, "=", 1234.5, 1234.5, None, 1),
    ("3-4", RANGE, None, 3.0, 4.0, None, 0),
    ("1-2", RANGE, None, 1.0, 2.0, None, 0),
    ("từ 5% đến 7%", RANGE, None, 5.0, 7.0, None, 0),
    (">30", NUMBER, ">", 30.0, 30.0, None, 0),
    ("< 10", NUMBER, "<", 10.0, 10.0, None, 0),
    ("≥ 145", NUMBER, "≥", 145.0, 145.0, None, 0),
    ("≥ 17/19", NUMBER, "≥", 17.0, 17.0, 19.0, 0),
    ("11/19", NUMBER, "=", 11.0, 11.0, 19.0, 0),
    ("dưới 12%", NUMBER, "<", 12.0, 12.0, None, 0),
    ("trên 70", NUMBER, ">", 70.0, 70.0, None, 0),
    ("90 trở lên", NUMBER, "≥", 90.0, 90.0, None, 0),
    ("từ 90% trở lên", NUMBER, "≥", 90.0, 90.0, None, 0),
    ("05 bản", NUMBER, "=", 5.0, 5.0, None, 0),
]


@pytest.mark.parametrize(("text", "kind", "op", "lo", "hi", "denom", "decimals"), REAL_FORMS)
def test_real_forms_parse_to_their_values(text, kind, op, lo, hi, denom, decimals):
    expr = parse_expr(text)
    assert (expr.kind, expr.op, expr.lo, expr.hi, expr.denom, expr.decimals) == (
        kind,
        op,
        lo,
        hi,
        denom,
        decimals,
    )
    assert expr.text == text
    assert expr.error is None and expr.ambiguity is None


@pytest.mark.parametrize(
    ("text", "quality"),
    [("Đạt", "Đạt"), ("K đạt", "Không đạt"), ("Không đạt", "Không đạt"), ("đạt", "Đạt")],
)
def test_qualitative_words(text, quality):
    expr = parse_expr(text)
    assert (expr.kind, expr.quality, expr.text) == (QUALITY, quality, text)


@pytest.mark.parametrize(
    "text",
    [
        "Duy trì 758 ha, trồng mới 50 ha/năm",
        "Duy trì 01 DN, 03 HTX; thành lập mới 02 HTX",
        "Giảm ≥10% so với nhiệm kỳ trước",
        "mười",
    ],
)
def test_free_text_is_kept_as_text(text):
    expr = parse_expr(text)
    assert (expr.kind, expr.text, expr.lo) == (TEXT, text, None)


def test_empty_cell():
    assert parse_expr("").kind == EMPTY
    assert parse_expr(None).kind == EMPTY
    assert parse_expr("  \u00a0 ").kind == EMPTY


def test_dot_with_three_digits_is_ambiguous_and_explained():
    expr = parse_expr("5.436")
    assert expr.lo == 5436.0
    assert expr.ambiguity == (
        '"5.436" có thể là 5.436 hoặc 5,436 (dấu chấm gõ theo kiểu khác); đang đọc là 5.436. '
        'Ghi "Dấu phẩy thập phân" hoặc "Dấu chấm thập phân" vào cột "Cách đọc số" của dòng này '
        "để khẳng định"
    )


def test_a_unit_of_whole_things_settles_the_dot():
    expr = parse_expr("18.000", integer_unit=True)
    assert (expr.lo, expr.ambiguity) == (18000.0, None)


def test_a_comma_with_three_digits_on_a_unit_of_whole_things_is_ambiguous():
    expr = parse_expr("1,130", integer_unit=True)
    assert expr.lo == 1.13
    assert expr.ambiguity.startswith('"1,130" có thể là 1,13 hoặc 1.130')


def test_the_officers_reading_settles_the_dot():
    expr = parse_expr("5.436", reading=DOT_DECIMAL)
    assert (expr.lo, expr.decimals, expr.ambiguity) == (5.436, 3, None)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            "1.23",
            '"1.23" không phải là số viết theo kiểu Việt Nam (như 1.234,5); nếu dòng này gõ kiểu '
            'dấu chấm thập phân, ghi "Dấu chấm thập phân" vào cột "Cách đọc số"',
        ),
        ("1,2,3", '"1,2,3" không phải là số viết theo kiểu Việt Nam (như 1.234,5)'),
        ("4-3", 'khoảng "4-3" có đầu dưới lớn hơn đầu trên'),
        ("3/0", 'phân số "3/0" có mẫu số bằng 0'),
    ],
)
def test_malformed_numbers_give_a_reason(text, error):
    expr = parse_expr(text)
    assert (expr.kind, expr.error) == (INVALID, error)


def test_a_number_typed_as_a_number_in_excel_is_exact():
    expr = parse_expr(5436.0)
    assert (expr.kind, expr.lo, expr.text, expr.ambiguity) == (NUMBER, 5436.0, "5.436", None)


def test_a_date_excel_made_from_a_range_is_reported():
    import datetime as dt

    expr = parse_expr(dt.datetime(2025, 4, 3))
    assert expr.kind == INVALID
    assert expr.error == (
        "Excel đã tự đổi ô này thành ngày 03/04/2025; gõ lại giá trị với dấu nháy đơn ở đầu "
        "(ví dụ '3-4) để Excel giữ nguyên như đã in"
    )


@given(
    st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False, allow_infinity=False),
    st.integers(min_value=0, max_value=3),
)
def test_a_number_written_vietnamese_style_parses_back_to_itself(value, decimals):
    number = round(float(value), decimals)
    text = format_vi(number, decimals)
    expr = parse_expr(text, integer_unit=decimals == 0)
    assert expr.kind == NUMBER
    assert math.isclose(expr.lo, number, rel_tol=1e-12, abs_tol=1e-9)
    if decimals:
        assert expr.decimals == decimals


@given(st.text(max_size=40))
def test_any_text_gives_an_expression_never_an_exception(text):
    expr = parse_expr(text)
    assert expr.kind in {EMPTY, NUMBER, RANGE, QUALITY, TEXT, INVALID}
    assert (expr.kind == INVALID) == (expr.error is not None)


@given(st.from_regex(r"[0-9][0-9.,]{0,8}", fullmatch=True))
def test_digit_soup_is_a_number_or_a_reason(text):
    expr = parse_expr(text)
    assert expr.kind in {NUMBER, INVALID}
    if expr.kind == INVALID:
        assert expr.error.startswith(f'"{text}" không phải là số')


@given(
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False),
    st.one_of(st.none(), st.integers(min_value=0, max_value=4)),
)
def test_format_vi_writes_what_babel_writes(value, decimals):
    from decimal import Decimal

    from babel.numbers import format_decimal

    if decimals is None:
        expected = format_decimal(Decimal(repr(value)).normalize(), locale="vi")
    else:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        expected = format_decimal(value, format=pattern, locale="vi")
    if expected.startswith("-") and not expected.strip("-0,."):
        expected = expected[1:]  # the one deliberate difference: Babel writes "-0", we write "0"
    assert format_vi(value, decimals) == expected


@pytest.mark.parametrize("raw", ["123456789012345678901234567", 1.2345678901234568e26, 1e16])
def test_a_number_too_large_for_a_report_is_a_reason_not_a_crash(raw):
    expr = parse_expr(raw)
    assert expr.kind == "invalid"
    assert "là số quá lớn (từ 16 chữ số trở lên)" in expr.error


@pytest.mark.parametrize("value", [1e300, -1e27, 123456789012345678901234567.0])
def test_format_vi_writes_any_float(value):
    assert format_vi(value, 0).replace(".", "").lstrip("-").isdigit()


def test_the_word_nan_typed_in_a_cell_is_text_not_an_empty_cell():
    assert parse_expr("NaN").kind == "text"


# ---------------------------------------------------------------------------- thousands by spaces


@pytest.mark.parametrize(
    ("text", "kind", "lo", "hi"),
    [
        ("15 000", NUMBER, 15000.0, 15000.0),
        ("15\u00a0000", NUMBER, 15000.0, 15000.0),  # a no-break space, as Word prints it
        ("15\u202f000", NUMBER, 15000.0, 15000.0),  # a narrow no-break space
        ("1 234 567,5", NUMBER, 1234567.5, 1234567.5),
        ("trên 15 000", NUMBER, 15000.0, 15000.0),
        ("5 000 - 10 000", RANGE, 5000.0, 10000.0),
        ("18 000 con", NUMBER, 18000.0, 18000.0),
    ],
)
def test_groups_of_three_digits_separated_by_spaces_are_one_number(text, kind, lo, hi):
    expr = parse_expr(text)
    assert (expr.kind, expr.lo, expr.hi, expr.error) == (kind, lo, hi, None)


@pytest.mark.parametrize("text", ["15 00", "1 5", "15 0000", "1 23 456", "12 3456"])
def test_digits_separated_by_spaces_otherwise_are_no_number(text):
    assert parse_expr(text).kind == TEXT


@given(st.integers(min_value=1000, max_value=10**14))
def test_any_whole_number_grouped_by_spaces_parses_back_to_itself(value):
    text = f"{value:,}".replace(",", " ")
    assert (parse_expr(text).kind, parse_expr(text).lo) == (NUMBER, float(value))


# ---------------------------------------------------------------------------- units typed


@pytest.mark.parametrize(
    ("text", "op", "lo", "unit"),
    [
        ("1,2 tỷ đồng", "=", 1.2, "tỷ đồng"),
        ("85%", "=", 85.0, "%"),
        ("15 nghìn con", "=", 15.0, "nghìn con"),
        ("24,8tr", "=", 24.8, "tr"),
        ("trên 90% số hộ", ">", 90.0, "% số hộ"),
        ("145 đảng viên trở lên", "≥", 145.0, "đảng viên"),
        ("80-85%", None, 80.0, "%"),
        ("24,8", "=", 24.8, None),
    ],
)
def test_the_unit_typed_after_a_number_is_kept_for_the_row_to_read(text, op, lo, unit):
    expr = parse_expr(text)
    assert (expr.op, expr.lo, expr.unit) == (op, lo, unit)

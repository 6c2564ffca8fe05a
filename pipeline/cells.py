"""Cell addresses as Excel writes them (A1), the one way every message names a cell.

Renderers may use their own library's helpers for the ranges they write (XlsxWriter's, openpyxl's);
every address the pipeline forms for a person to read comes from here.
"""

from __future__ import annotations


def column_letter(index: int) -> str:
    """Zero-based column index to Excel letters: 0 → A, 27 → AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """Excel letters to a zero-based column index: A → 0, AB → 27."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def a1(row: int, column: int) -> str:
    """A cell's address from its zero-based row and column: (0, 0) → A1, (6, 4) → E7."""
    return f"{column_letter(column)}{row + 1}"

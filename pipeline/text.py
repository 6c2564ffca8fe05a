"""Normalising Vietnamese text typed on different keyboards before it is compared."""

from __future__ import annotations

import functools
import re
import unicodedata

_SPACES = re.compile(r"\s+")
# the characters XML 1.0 cannot hold: the C0 controls but tab, line feed and carriage return,
# U+FFFE, U+FFFF and lone surrogates. An .xlsx stores one as an escape (_x0001_) that readers turn
# back into the character; no .docx or .xlsx can be written with one in it.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# what stands in its place: Unicode's own replacement character, shown by every office program
CONTROL_MARK = "\ufffd"


def clean(value: object) -> str:
    """Return cell text in NFC, every run of white space (NBSP, line breaks) as one space.

    Unikey and other keyboards type the same letter precomposed or decomposed; a PDF copy brings
    non-breaking spaces and line breaks. This is the form kept as "what was printed".
    """
    if value is None:
        return ""
    return _clean_text(str(value))


@functools.lru_cache(maxsize=1 << 16)
def _clean_text(text: str) -> str:
    """`clean` of a text, remembered: a country's cells repeat the same names, units and codes
    in every commune."""
    text = unicodedata.normalize("NFC", text)
    return _SPACES.sub(" ", text.replace("\u00a0", " ")).strip()


def visible(text: str) -> str:
    """`text` with each character XML cannot hold (`CONTROL`) replaced by `CONTROL_MARK`."""
    return CONTROL.sub(CONTROL_MARK, text)


def key(value: object) -> str:
    """Return the form used to match names, headers and codes: `clean` and case-folded."""
    return clean(value).casefold()


def plain(value: object) -> str:
    """The form an indicator's name is recognised in: `key`, without accents (đ is d), so that
    a name typed without its marks, or in capitals, still names the catalogue's."""
    text = unicodedata.normalize("NFD", key(value).replace("đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c))


def slug(text: str) -> str:
    """A name for a file or folder: no diacritics, lower case, words joined by _ ("Điện Biên" →
    "dien_bien")."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return "_".join("".join(c if c.isalnum() else " " for c in plain).split())


# Vietnamese dictionary order: the letters (a vowel with its breve, circumflex or horn is a
# letter of its own, đ after d), then the tones, level first: ngang, huyền, hỏi, ngã, sắc, nặng
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER = {letter: rank for rank, letter in enumerate(_ALPHABET)}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def vietnamese_order(text: str) -> tuple:
    """A sort key putting texts in Vietnamese dictionary order: letter by letter (a < ă < â <
    b, d < đ), then by the tones, then by case; a space or a sign before a digit before a
    letter."""
    letters, tones = [], []
    for char in clean(text):
        decomposed = unicodedata.normalize("NFD", char.casefold())
        base = "".join(c for c in decomposed if c not in _TONES)
        tone = next((_TONES[c] for c in decomposed if c in _TONES), 0)
        base = unicodedata.normalize("NFC", base)
        if base in _LETTER:
            letters.append((2, _LETTER[base]))
        elif base.isdigit():
            letters.append((1, ord(base)))
        else:
            letters.append((0, ord(base[:1] or " ")))
        tones.append(tone)
    return (letters, tones, text)

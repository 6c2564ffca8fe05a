"""Normalising Vietnamese text typed on different keyboards before it is compared."""

from __future__ import annotations

import functools
import re
import unicodedata

_SPACES = re.compile(r"\s+")


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


def key(value: object) -> str:
    """Return the form used to match names, headers and codes: `clean` and case-folded."""
    return clean(value).casefold()


def slug(text: str) -> str:
    """A name for a file or folder: no diacritics, lower case, words joined by _ ("Điện Biên" →
    "dien_bien")."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return "_".join("".join(c if c.isalnum() else " " for c in plain).split())

"""The kind of each target row: the catalogue's "Loại mục tiêu", or read from the row's own words.

Pure, at the prepare stage, so that every later stage sees a filled kind. Where the catalogue
declares no kind for a row's indicator (its cell is blank, the code is unknown, or the row has
no code), the kind is read from the row's name, its target as printed and, on Biểu 03, its note
("Trong nhiệm kỳ", "Hàng năm"), by the vocabulary's ordered phrases (`KIND_PHRASES`); none found,
the row is a level. Such a row is marked (`loai_muc_tieu_doan`, with the words that said it in
`loai_muc_tieu_theo`), and validation warns at its target cell so that an officer confirms it.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from schemas.stages import Parsed, ResultRows, ResultRowsRead
from schemas.vocabulary import GROUP, KIND_PHRASES, LEVEL

_PATTERNS = [(kind, re.compile(p)) for kind, phrases in KIND_PHRASES for p in phrases]
SEPARATOR = " | "  # between the fields read: no phrase runs from one into the next


def read_kind(words: str) -> tuple[str, str]:
    """The kind of target these words say, and the words that said it, as written ("" where
    none did: a level)."""
    lowered = words.lower()
    for kind, pattern in _PATTERNS:
        if found := pattern.search(lowered):
            # lower case keeps the length of Vietnamese letters: the words as the row writes them
            said = words[found.start() : found.end()] if len(lowered) == len(words) else found[0]
            return kind, said
    return LEVEL, ""


def fill_kinds(frame: pd.DataFrame, target: str, note: str | None = None) -> pd.DataFrame:
    """Every indicator row's kind: the catalogue's where it declares one (`loai_muc_tieu`, looked
    up by `prepare_rows`), else read from the row's name, its `target` column as printed and its
    `note` column (Biểu 03's Ghi chú), and marked as read (`loai_muc_tieu_doan`). The words that
    decided (`loai_muc_tieu_theo`) are kept for a row read so, and for a row whose own words say
    another kind than the catalogue declares (validation warns at both). Group rows keep none."""
    # flags and kinds in numpy arrays: a pandas comparison or masked assignment costs fifty
    # times as much on a few dozen rows
    items = frame[ResultRows.loai_dong].to_numpy() != GROUP
    catalogued = frame[ResultRows.loai_muc_tieu].to_numpy()
    blank = (catalogued == "") & items
    words = (
        frame.loc[items, ResultRowsRead.chi_tieu]
        + SEPARATOR
        + frame.loc[items, Parsed(target).text]
    )
    if note is not None:
        words = words + SEPARATOR + frame.loc[items, note]
    codes, uniques = pd.factorize(words)  # a country's rows repeat a few hundred names
    read = [read_kind(w) for w in uniques]
    found = np.array([read[c][0] for c in codes], dtype=object)
    by = np.array([read[c][1] for c in codes], dtype=object)
    kinds = catalogued.copy()
    kinds[blank] = found[blank[items]]
    declared = catalogued[items]
    # a phrase that names another kind than the one declared (no phrase says nothing against it)
    against = (declared != "") & (by != "") & (found != declared)
    said = np.full(len(frame), "", dtype=object)
    said[items] = np.where((declared == "") | against, by, "")
    return frame.assign(
        loai_muc_tieu=pd.Series(kinds, index=frame.index, dtype="str"),
        loai_muc_tieu_doan=blank,
        loai_muc_tieu_theo=pd.Series(said, index=frame.index, dtype="str"),
    )

"""What each kind of target means: the one table (`MEANINGS`) and its copies in the docs."""

from __future__ import annotations

import re

import pytest

from pipeline.judge.kinds import MEANINGS, meaning
from pipeline.paths import ROOT
from schemas.vocabulary import LEVEL, TARGET_KINDS

# per document: the words its table says "none" and "never" with
DOCS = {
    "docs/rules.md": ("none", "never"),
    "HUONG_DAN.md": ("không có", "không bao giờ in"),
}


def table(path: str) -> dict[str, list[str]]:
    """The kinds' table of a document: each row's cells by the kind its first cell names in
    bold ("| **Mức** (…) | …")."""
    text = (ROOT / path).read_text(encoding="utf-8")
    rows = re.findall(r"^\| \*\*([^*]+)\*\*[^|]*\|(.+)\|$", text, re.MULTILINE)
    return {kind: [c.strip() for c in cells.split("|")] for kind, cells in rows if kind in MEANINGS}


@pytest.mark.parametrize("path", list(DOCS))
def test_the_docs_table_names_every_kind_with_its_meaning(path):
    """Every kind of `MEANINGS` has its row, with the six meanings (path, compared with, yearly
    change, change still needed, missed for good, ratio); "none" for the yearly change exactly
    where the meaning has none, "never" for the ratio exactly where it has none."""
    none, never = DOCS[path]
    rows = table(path)
    assert list(rows) == list(TARGET_KINDS) == list(MEANINGS)
    assert all(len(cells) == 6 for cells in rows.values())
    assert {k for k, c in rows.items() if c[2] == none} == {
        k for k, m in MEANINGS.items() if m.yearly_change is None
    }
    assert {k for k, c in rows.items() if c[5] == never} == {
        k for k, m in MEANINGS.items() if not m.ratio
    }


def test_a_kind_not_known_reads_as_a_level():
    assert meaning("") == meaning("Hằng tháng") == MEANINGS[LEVEL]

"""Random edits to a small synthetic record: after each, an incremental run equals a fresh one."""

from __future__ import annotations

import random

import pytest

from tools import edits, synth

pytestmark = pytest.mark.country


def test_incremental_runs_equal_fresh_ones_after_random_edits(tmp_path):
    lines: list[str] = []
    # seed 10: an old commune moved to another province, then corrected (a roll-up went stale)
    failures = edits.soak(6, 10, tmp_path, say=lines.append)
    assert failures == []
    assert len(lines) == 6 and all(line.endswith("equals a fresh run") for line in lines), lines


def test_each_edit_changes_the_record(tmp_path):
    raw = tmp_path / "raw"
    synth.write("thu", 7, raw)
    rng = random.Random(3)
    for kind, edit in edits.EDITS.items():
        before = {p: p.read_bytes() for p in raw.rglob("*.xlsx")}
        did = edit(raw, rng)
        after = {p: p.read_bytes() for p in raw.rglob("*.xlsx")}
        assert did is None or after != before, kind

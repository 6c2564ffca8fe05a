"""The two test loops (docs/tests.md): what the quick loop leaves out is a marker that is
registered and documented, never a silent skip."""

from __future__ import annotations

import re
import tomllib

from pipeline.paths import ROOT
from tests.conftest import SLOW


def test_every_kind_the_quick_loop_leaves_out_is_registered_and_has_its_row_in_the_docs():
    options = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    markers = options["tool"]["pytest"]["ini_options"]["markers"]
    registered = {line.split(":")[0] for line in markers}
    table = (ROOT / "docs" / "tests.md").read_text(encoding="utf-8").split("## The markers")[1]
    rows = re.findall(r"^\| `(\w+)` \|", table, flags=re.M)
    assert sorted(rows) == sorted(SLOW) == sorted(registered)


def test_a_test_process_collects_its_garbage_less_often_than_a_run():
    """tests/conftest.py: the default thresholds (700, 10, 10) cost a tenth of the suite's CPU."""
    import gc

    assert gc.get_threshold() == (10_000, 20, 20)

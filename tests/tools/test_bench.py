"""The benchmark's plain path still runs against the pipeline's stages."""

from __future__ import annotations

import pytest

from pipeline import products
from pipeline.paths import RAW
from tools import bench


def test_the_plain_path_builds_the_seed(tmp_path, capsys):
    bench.plain_main(RAW, tmp_path, 0)
    scan, built, seconds = capsys.readouterr().err.split()
    assert (float(scan) > 0, int(built), float(seconds) > 0) == (True, 1, True)
    assert sorted(p.name for p in (tmp_path / "muong_lam").iterdir()) == sorted(
        products.EVERY_COMMUNE
    )


@pytest.mark.processes
def test_the_stages_a_timed_run_prints_are_read_with_their_memory(tmp_path):
    import os
    import subprocess
    import sys

    err = subprocess.run(
        bench.annexes(RAW, tmp_path / "out"),
        env={**os.environ, "BIEU_TIMING": "1"},
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    timed = bench.stages(err)
    assert list(timed) == [
        "nạp thư viện",
        "đọc",
        "kiểm tra",
        "bản đánh dấu",
        "chấm điểm, gộp",
        "tổng hợp tỉnh",
        "trả bộ nhớ",
        "dựng phụ lục",
        "ghi tệp",
    ]
    assert all(s >= 0 for s, _ in timed.values())
    if sys.platform != "win32":
        assert all(memory.endswith(" MiB") for _, memory in timed.values())


def test_a_missed_goal_is_written_with_why(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "ROOT", tmp_path)
    run = bench.Measured("Run", 2.0, floor=1.0, stages={"đọc": (1.5, "10 MiB")})
    run.check("≤ 1,5 × its floor", False, "2,00 ×", "because of reading")
    run.check("< 0,1 s", True, "0,05 s", "never shown")
    bench.write([run], 0.5, [], [])
    text = (tmp_path / "BENCHMARKS.md").read_text(encoding="utf-8")
    assert "- **Run, ≤ 1,5 × its floor**: because of reading" in text
    assert "never shown" not in text
    assert "| đọc | 1,50 s, 10 MiB |" in text

"""The benchmark's plain path still runs against the pipeline's stages."""

from __future__ import annotations

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

"""Writing into output/: staged, then committed; a failure leaves every old file whole."""

from __future__ import annotations

import os

import pytest

from pipeline.write import write


def test_a_write_that_fails_midway_leaves_every_old_file_whole(tmp_path, monkeypatch):
    out = tmp_path / "out"
    write({"xa": {"a.csv": b"old a", "b.csv": b"old b"}}, out)
    real = os.fdopen
    calls = []

    def fail_on_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(os, "fdopen", fail_on_second)
    with pytest.raises(OSError):
        write({"xa": {"a.csv": b"new a", "b.csv": b"new b"}}, out)
    assert (out / "xa" / "a.csv").read_bytes() == b"old a"
    assert (out / "xa" / "b.csv").read_bytes() == b"old b"
    assert sorted(p.name for p in (out / "xa").iterdir()) == ["a.csv", "b.csv"]

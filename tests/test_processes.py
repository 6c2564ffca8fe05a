"""Worker processes: a batch built by spawned workers (as on Windows and macOS) gives the same
files as one built by forked workers (as on Linux)."""

from __future__ import annotations

import pytest

from pipeline import build, load, processes, products, workers
from tests.conftest import snapshot


@pytest.fixture
def started(monkeypatch) -> list[str]:
    """How each pool of the run started its workers, in order."""
    methods: list[str] = []
    made = processes.pool

    def pool(*args, **kwargs):
        methods.append(processes.start_method())
        return made(*args, **kwargs)

    monkeypatch.setattr(processes, "pool", pool)
    # small chunks, so that the small country is read and built by the pools
    monkeypatch.setattr(load, "PARALLEL_CHUNK", 1)
    monkeypatch.setattr(workers, "RENDER_CHUNK", 1)
    return methods


@pytest.mark.processes
@pytest.mark.country
def test_a_batch_under_spawn_gives_the_same_outputs_as_under_fork(
    small_country, tmp_path, monkeypatch, started
):
    outputs = {}
    for method in ("fork", "spawn"):
        monkeypatch.setenv("BIEU_START_METHOD", method)
        result = build.run(small_country, tmp_path / method, workers=2)
        assert (result.outcome, len(result.rebuilt)) == ("built", 5)
        outputs[method] = snapshot(tmp_path / method)
    assert started == ["fork", "fork", "spawn", "spawn"]  # reading, then building, each time
    # every product of the five new communes, two roll-ups, the manifest (and the marked
    # copies of the workbooks that leave a result empty beside its rating)
    built = [name for name in outputs["spawn"] if not name.startswith(f"{products.MARKED}/")]
    assert len(built) == 5 * len(products.FILES) + 2 + 1
    assert outputs["spawn"] == outputs["fork"]


def test_linux_forks_and_other_systems_spawn(monkeypatch):
    monkeypatch.delenv("BIEU_START_METHOD", raising=False)
    for platform, method in (("linux", "fork"), ("win32", "spawn"), ("darwin", "spawn")):
        monkeypatch.setattr(processes.sys, "platform", platform)
        assert processes.start_method() == method


def test_windows_never_asks_for_more_workers_than_it_allows(monkeypatch):
    monkeypatch.setattr(processes.sys, "platform", "win32")
    monkeypatch.setenv("BIEU_START_METHOD", "spawn")
    with processes.pool(200) as pool:
        assert pool._max_workers == processes.WINDOWS_MOST


@pytest.mark.processes
@pytest.mark.country
def test_a_stop_while_workers_build_ends_them_and_leaves_nothing_staged(
    small_country, tmp_path, monkeypatch
):
    """Ctrl+C reaches the run while its workers build: the parent stops them at once (their
    current commune unfinished), and recovery then removes every file they staged, by the
    staging record's names, though the parent never heard of them."""
    import multiprocessing
    import os
    import signal
    import time

    from pipeline import write
    from tests.conftest import views_of

    monkeypatch.setenv("BIEU_START_METHOD", "fork")
    monkeypatch.setattr(workers, "RENDER_CHUNK", 1)
    views = views_of(small_country)
    codes = views.new_communes()
    made = products.commune_files

    def stopped_at_the_third(views, code, *rest):  # in a worker: Ctrl+C, then a long commune
        if code == codes[2]:
            os.kill(os.getppid(), signal.SIGINT)
            time.sleep(60)
        return made(views, code, *rest)

    monkeypatch.setattr(products, "commune_files", stopped_at_the_third)
    out = tmp_path / "out"
    write.expect(out, [f"{c}/{n}" for c in codes for n in products.files_of(views, c)])
    start = time.monotonic()
    with write.stoppable(), pytest.raises(write.Interrupted) as stopped:
        build.stage_communes(views, out, workers=2)
    assert stopped.value.signum == signal.SIGINT
    assert time.monotonic() - start < 30 and multiprocessing.active_children() == []
    assert any(out.rglob(".*.tmp"))  # the workers had staged the first communes
    write.recover(out)
    assert list(out.rglob("*")) == []

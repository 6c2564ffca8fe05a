"""The new communes' files, made and staged by worker processes (or by this one, for a few).

A worker gets the views once, through the pool's initializer, and then only chunks of commune
codes; it stages each file itself beside its final name, so no file's bytes travel back.
Only the standard library is imported up front, as in `build`.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline import write

RENDER_CHUNK = 16


@dataclass
class Worker:
    """What a process that makes communes' files keeps from one chunk to the next: the views
    the files are made from, and the Word documents its reports start from."""

    views: object
    prototypes: object  # pipeline.render.docx.Prototypes


# This process's `Worker`, set by `_receive`: process-wide on purpose (docs/design.md,
# "Process-wide state"): a pool hands a worker its state only through its initializer.
WORKER: Worker | None = None


def _receive(views) -> None:
    """A worker's start: keep the views (inherited when forked, unpickled when spawned), and
    start its own Word prototypes; `None` at the end of the run forgets them."""
    global WORKER
    if views is None:
        WORKER = None
        return
    from pipeline.render.docx import Prototypes

    WORKER = Worker(views, Prototypes())


def _stage_chunk(args: tuple[list[str], Path]) -> list[tuple[Path, Path]]:
    """Make these communes' files and stage them (in a worker process)."""
    from pipeline import products

    codes, output = args
    staged: list[tuple[Path, Path]] = []
    try:
        for code in codes:
            files = products.commune_files(WORKER.views, code, WORKER.prototypes)
            staged += write.stage({code: files}, output)
    except BaseException:
        write.discard(staged)
        raise
    return staged


def stage_communes(
    views,
    output: Path,
    only: set[str] | None = None,
    workers: int = 1,
    progress: Callable[[int], object] | None = None,
) -> list[tuple[Path, Path]]:
    """Make every new commune's files (those in `only`, or all) and stage them beside their
    final names; return (temporary, final) pairs for `write.commit`. With `workers` > 1 the
    communes are made by that many processes, each staging its own files (no file's bytes
    travel back)."""
    from pipeline import processes

    codes = [c for c in views.new_communes() if only is None or c in only]
    chunks = [codes[i : i + RENDER_CHUNK] for i in range(0, len(codes), RENDER_CHUNK)]
    staged: list[tuple[Path, Path]] = []
    bar = progress(len(codes)) if progress else None
    try:
        if workers > 1 and len(chunks) > 1:
            # forked workers inherit the parent's objects; frozen, the garbage collector leaves
            # them alone, so it does not copy every page it touches into each worker
            gc.freeze()
            with processes.pool(workers, _receive, (views,)) as pool:  # stopped: ends them
                for done in pool.map(_stage_chunk, [(c, output) for c in chunks]):
                    staged += done
                    if bar:
                        bar.update(len({final.parent for _, final in done}))
        else:
            _receive(views)
            for chunk in chunks:
                staged += _stage_chunk((chunk, output))
                if bar:
                    bar.update(len(chunk))
    except BaseException:
        write.discard(staged)
        raise
    finally:
        _receive(None)
        gc.unfreeze()
        if bar and hasattr(bar, "close"):
            bar.close()
    return staged

"""Worker processes on any system, that end with the run that started them.

Workers are forked on Linux and spawned elsewhere. Fork starts a worker at once and shares the
parent's memory until it is written; Windows has no fork, and on macOS it is unsafe with the
system's libraries, so there workers are spawned: each starts a fresh interpreter and receives
what it needs by pickling. Code run in a worker must therefore take everything it needs from its
arguments (or a pool's initializer), never from a global the parent set.
`BIEU_START_METHOD=spawn` forces spawn here too (the tests do).

A run killed mid-way (a power cut, Ctrl+C twice, the task manager) must not leave workers
behind that go on writing temporary files into `output/` or holding its lock.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

WINDOWS_MOST = 61  # more workers than this, and ProcessPoolExecutor refuses to start on Windows


@functools.cache
def libc() -> ctypes.CDLL | None:
    """The C library on Linux, keeping each call's errno; None elsewhere, or where it cannot be
    loaded. A function it lacks is an AttributeError."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def die_with_parent() -> None:
    """Worker initializer: on Linux, ask the kernel to kill this process when its parent dies
    (elsewhere a worker notices on its next task that its parent is gone)."""
    if libc() is not None:
        with contextlib.suppress(AttributeError):
            libc().prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def start_method() -> str:
    return os.environ.get("BIEU_START_METHOD") or (
        "fork" if sys.platform.startswith("linux") else "spawn"
    )


def _start(initializer: Callable | None, initargs: tuple) -> None:
    """Every worker's first step: tie it to its parent, leave Ctrl+C to the parent (which stops
    its workers and reports once; SIGTERM ends a worker quietly), then the pool's own
    initializer."""
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if initializer is not None:
        initializer(*initargs)


class _Pool(ProcessPoolExecutor):
    """A pool left by an exception (a signal, a failure) stops its workers at once, rather
    than waiting for every task handed to them."""

    def __exit__(self, kind, value, traceback):
        if kind is not None:
            stop(self)
        return super().__exit__(kind, value, traceback)


def pool(
    workers: int, initializer: Callable | None = None, initargs: tuple = ()
) -> ProcessPoolExecutor:
    """A pool of `workers` processes that die with this one, each first running
    `initializer(*initargs)`; left by an exception, it ends them at once."""
    import multiprocessing as mp

    if sys.platform == "win32":
        workers = min(workers, WINDOWS_MOST)
    return _Pool(
        workers,
        mp_context=mp.get_context(start_method()),
        initializer=_start,
        initargs=(initializer, initargs),
    )


def stop(pool: ProcessPoolExecutor) -> None:
    """End a pool's workers at once, their current task unfinished (a stopped run), and wait
    for them to be gone."""
    for worker in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            worker.kill()
    pool.shutdown(wait=True, cancel_futures=True)


def give_back_memory() -> None:
    """Return the memory freed so far to the system (glibc keeps freed heap for itself): the
    workers forked next then share, and may copy, less of the parent's pages."""
    gc.collect()
    if libc() is not None:
        with contextlib.suppress(AttributeError):  # glibc's own: musl has none
            libc().malloc_trim(0)

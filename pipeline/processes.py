"""Worker processes that end with the run that started them.

A run killed mid-way (a power cut, Ctrl+C twice, the task manager) must not leave workers
behind that go on writing temporary files into `output/` or holding its lock.
"""

from __future__ import annotations

import ctypes
import signal
import sys


def die_with_parent() -> None:
    """Worker initializer: on Linux, ask the kernel to kill this process when its parent dies
    (elsewhere a worker notices on its next task that its parent is gone)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass

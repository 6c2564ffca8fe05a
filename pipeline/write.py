"""Writing files into `output/`: staged beside their final names, then renamed over them.

The only module that writes outputs. `stage` writes every file to a temporary file in the same
folder; `commit` renames them over the old ones once all are written; `discard` removes what a
failed run staged. `locked` finds outputs open in an office program, and `remove_stale`
removes the files of communes no longer in `raw/`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

Staged = list[tuple[Path, Path]]  # (temporary file, final path)


def locked(names: list[str], output: Path) -> list[str]:
    """The outputs open in an office program, by the lock file it leaves beside them (Excel:
    `~$name`; Word, for a name as long as ours: `~$` in place of its first two letters;
    LibreOffice: `.~lock.name#`)."""

    def locks(name: str) -> list[str]:
        return [f"~${name}", f"~${name[2:]}", f".~lock.{name}#"]

    return [
        name
        for name in names
        if any((output / name).with_name(lock).exists() for lock in locks(Path(name).name))
    ]


def stage(out: dict[str, dict[str, bytes]], output: Path) -> Staged:
    """Write each file to a temporary file beside its final name, `output/<folder>/<name>`; if
    any write fails, remove the temporary files written so far and raise."""
    staged: Staged = []
    try:
        for folder, contents in out.items():
            for name, data in contents.items():
                path = output / folder / name
                path.parent.mkdir(parents=True, exist_ok=True)
                handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
                staged.append((Path(temp), path))
                with os.fdopen(handle, "wb") as stream:
                    stream.write(data)
                os.chmod(temp, 0o644)
    except BaseException:
        discard(staged)
        raise
    return staged


def discard(staged: Staged) -> None:
    for temp, _ in staged:
        temp.unlink(missing_ok=True)


def commit(staged: Staged) -> list[Path]:
    """Rename every staged file over its old one (only once all of them were written)."""
    for temp, path in staged:
        os.replace(temp, path)
    return [path for _, path in staged]


def write(out: dict[str, dict[str, bytes]], output: Path) -> list[Path]:
    """Write files in two steps: every file to a temporary file first, then, only if all of them
    were written, each renamed over its old one. A failure in the first step leaves every old
    output as it was."""
    return commit(stage(out, output))


def remove_stale(old: dict, new: dict, output: Path) -> None:
    """Remove the outputs of new communes that are no longer in raw/ (only files this program
    wrote, as the last manifest lists them)."""
    for name in set(old.get("files", [])) - set(new["files"]):
        path = output / name
        path.unlink(missing_ok=True)
        if path.parent != output and not any(path.parent.iterdir()):
            path.parent.rmdir()

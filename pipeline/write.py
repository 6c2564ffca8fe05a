"""Writing files into `output/`: all of a run's files, or none of them.

The only module that writes outputs, in the way SQLite's rollback journal does:

1. `stage` writes every file to a temporary file beside its final name, flushed to disk;
2. `commit` writes a journal (`output/.journal.json`) naming every rename, removal and the new
   manifest, then moves each old file aside, moves each new one in, removes what is stale,
   saves the manifest, deletes the moved-aside files and last the journal;
3. a failure on the way puts every old file back (`CommitFailed` says whether it could);
4. `recover`, at the start of every run, finishes a commit that a kill interrupted (every new
   file was whole before the journal was written, so it is rolled forward) and removes every
   temporary file a run left behind.

`locked` finds outputs open in an office program; `Lock` keeps two runs from writing into one
`output/` at once.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from pipeline.paths import why
from pipeline.processes import libc

Staged = list[tuple[Path, Path]]  # (temporary file, final path)

JOURNAL = ".journal.json"
MANIFEST = ".manifest.json"
_STRAY = re.compile(r"^\..+\.(tmp|cu)$")  # the temporary and moved-aside files of a run


class CommitFailed(Exception):
    """An output that could not be replaced; `restored` says whether every old file was put
    back (otherwise the next run builds everything again)."""

    def __init__(self, path: Path, reason: str, restored: bool, said: str = "") -> None:
        super().__init__(f"{path}: {reason}")
        self.path, self.reason, self.restored = path, reason, restored
        self.said = said  # what became of the outputs, where neither restored nor not says it

    @classmethod
    def of(cls, err: OSError, where: Path, restored: bool, said: str = "") -> CommitFailed:
        """The system's error in the user's words, at the file it names, or else at `where`."""
        return cls(Path(err.filename) if err.filename else where, why(err), restored, said)


def step(name: str) -> None:
    """A point between two steps of writing: fault-injection tests stop the process here
    (`BIEU_DUNG_TAI=<name>` kills it as a power cut would)."""
    if os.environ.get("BIEU_DUNG_TAI") == name:
        os._exit(99)


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


def _durable(path: Path, data: bytes, sync: bool = True) -> None:
    """Write a file; with `sync`, wait until it is on the disk (a staged file is made durable
    with all the others at once, by `_on_disk`, before the journal names it)."""
    with open(path, "wb") as stream:
        stream.write(data)
        stream.flush()
        if sync:
            os.fsync(stream.fileno())


def _on_disk(staged: Staged, output: Path) -> None:
    """Every staged file on the disk before the journal names it: on Linux one `syncfs` of the
    output's file system (a country's 20.000 files, each waited for alone, cost seconds), which
    reports a write the disk failed; elsewhere each file's own `fsync`. Raises `OSError`
    naming the output or the file."""
    if _syncfs(output):
        return
    for temp, final in staged:
        try:
            with open(temp, "rb+") as stream:
                os.fsync(stream.fileno())
        except OSError as err:
            err.filename = str(final)
            raise


def _syncfs(output: Path) -> bool:
    """syncfs(2) on the file system that holds `output`; False where the system has none."""
    syncfs = getattr(libc(), "syncfs", None)
    if syncfs is None:
        return False
    folder = os.open(output, os.O_RDONLY)
    try:
        if syncfs(folder) != 0:
            number = ctypes.get_errno()
            raise OSError(number, os.strerror(number), str(output))
    finally:
        os.close(folder)
    return True


def stage(out: dict[str, dict[str, bytes]], output: Path) -> Staged:
    """Write each file to a temporary file beside its final name, `output/<folder>/<name>`; if
    any write fails, remove the temporary files written so far and raise `OSError` naming the
    final file."""
    staged: Staged = []
    try:
        for folder, contents in out.items():
            for name, data in contents.items():
                path = output / folder / name
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
                    os.close(handle)
                    staged.append((Path(temp), path))
                    _durable(Path(temp), data, sync=False)
                    os.chmod(temp, 0o644)
                except OSError as err:
                    err.filename = str(path)
                    raise
    except BaseException:
        discard(staged)
        raise
    return staged


def discard(staged: Staged) -> None:
    for temp, _ in staged:
        temp.unlink(missing_ok=True)


def _aside(path: Path) -> Path:
    return path.with_name(f".{path.name}.cu")


def commit(
    staged: Staged, output: Path, remove: list[str] = (), manifest: dict | None = None
) -> None:
    """Replace the outputs with the staged files, remove the `remove` outputs (paths under
    `output`) and save `manifest`, all or nothing (see the module's docstring)."""
    if not staged and not remove and manifest is None:
        return
    for _, final in staged:
        if final.is_dir():
            discard(staged)
            raise CommitFailed(final, "đã có một thư mục trùng tên ở đó", True)
    plan = {
        "files": [[str(t.relative_to(output)), str(f.relative_to(output))] for t, f in staged],
        "remove": sorted(remove),
        "manifest": manifest,
    }
    try:
        output.mkdir(parents=True, exist_ok=True)
        _on_disk(staged, output)
    except OSError as err:  # nothing was replaced yet
        discard(staged)
        raise CommitFailed.of(err, output, True) from err
    journal = None
    try:
        handle, name = tempfile.mkstemp(dir=output, prefix=".journal.", suffix=".tmp")
        os.close(handle)
        journal = Path(name)
        _durable(journal, json.dumps(plan, ensure_ascii=False).encode("utf-8"))
        step("journal")
        os.replace(journal, output / JOURNAL)
        _sync_folder(output)
    except OSError as err:  # nothing was replaced yet
        discard(staged)
        if journal:
            journal.unlink(missing_ok=True)
        raise CommitFailed(output / JOURNAL, why(err), True) from err
    step("committing")
    try:
        _apply(plan, output)
    except OSError as err:
        raise CommitFailed.of(err, output, _roll_back(plan, output)) from err


def write(out: dict[str, dict[str, bytes]], output: Path) -> None:
    """Stage these files, then commit them (all or nothing)."""
    commit(stage(out, output), output)


def _apply(plan: dict, output: Path) -> None:
    """Carry out a journal's plan; every step can be done again after a kill."""
    for index, (temp, final) in enumerate(plan["files"]):
        temp, final = output / temp, output / final
        if temp.exists():
            if final.exists() and not _aside(final).exists():
                _move(final, _aside(final))
            _move(temp, final)
        step(f"file {index}")
    for name in plan["remove"]:  # moved aside too, so that a failure can put them back
        path = output / name
        if path.exists() and not _aside(path).exists():
            _move(path, _aside(path))
    step("removed")
    if plan["manifest"] is not None:
        try:
            save_manifest(output, plan["manifest"])
        except OSError as err:
            err.filename = str(output / MANIFEST)
            raise
    step("manifest")
    for name in [final for _, final in plan["files"]] + plan["remove"]:
        _aside(output / name).unlink(missing_ok=True)
    for name in plan["remove"]:
        folder = (output / name).parent
        if folder != output and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    (output / JOURNAL).unlink(missing_ok=True)
    _sync_folder(output)


def _move(source: Path, target: Path) -> None:
    """A rename; an error names the output (the final path), never a temporary file."""
    try:
        os.replace(source, target)
    except OSError as err:
        err.filename = str(target if source.name.endswith(".tmp") else source)
        raise


def _roll_back(plan: dict, output: Path) -> bool:
    """Put every old file back after a failed commit; True when it could. When it could not,
    the manifest is removed so that the next run builds everything again."""
    try:
        for temp, final in plan["files"]:
            temp, final = output / temp, output / final
            if _aside(final).exists():
                os.replace(_aside(final), final)
            elif not temp.exists() and final.exists():
                final.unlink()  # a file this run added: there was no old one
            temp.unlink(missing_ok=True)
        for name in plan["remove"]:
            if _aside(output / name).exists():
                os.replace(_aside(output / name), output / name)
        (output / JOURNAL).unlink(missing_ok=True)
        return True
    except OSError:
        (output / MANIFEST).unlink(missing_ok=True)
        (output / JOURNAL).unlink(missing_ok=True)
        return False


def recover(output: Path) -> None:
    """Finish a commit a kill interrupted, then remove what interrupted runs left behind."""
    journal = output / JOURNAL
    if journal.is_file():
        try:
            plan = json.loads(journal.read_text(encoding="utf-8"))
        except ValueError:
            plan = None
        if plan is None:
            journal.unlink()
            (output / MANIFEST).unlink(missing_ok=True)
        else:
            _apply(plan, output)
    if output.is_dir():
        for folder, _, files in os.walk(output):
            for name in files:
                if _STRAY.match(name):
                    (Path(folder) / name).unlink(missing_ok=True)
        for folder in sorted((p for p in output.iterdir() if p.is_dir()), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()


def save_manifest(output: Path, manifest: dict) -> None:
    output.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=output, prefix=".manifest.", suffix=".tmp")
    os.close(handle)
    _durable(Path(temp), json.dumps(manifest, indent=1, ensure_ascii=False).encode("utf-8"))
    os.replace(temp, output / MANIFEST)


def _sync_folder(folder: Path) -> None:
    """Make a folder's renames durable (where the system allows opening a folder)."""
    if sys.platform.startswith("win"):
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_HELD: set[int] = set()  # the file descriptors of the locks this process holds


def _release_in_child() -> None:
    """A forked worker closes its copy of the lock: the lock then ends with the run itself."""
    for fd in list(_HELD):
        os.close(fd)
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_release_in_child)


class Lock:
    """One run at a time in an `output/` folder: the folder that holds it is locked, so that
    nothing is added to `output/` itself (a lock file `.<output>.lock` beside it where the
    system cannot lock a folder). The lock goes with the process: a killed run never leaves one
    behind. `wait` is called once if another run holds it; then the run waits its turn."""

    def __init__(self, output: Path, wait: Callable[[], None] | None = None) -> None:
        self.output, self.wait, self.fd = output, wait, None

    def __enter__(self) -> Lock:
        self.output.parent.mkdir(parents=True, exist_ok=True)
        if sys.platform.startswith("win"):  # pragma: no cover - exercised on Windows only
            import msvcrt

            name = Path(os.path.realpath(self.output.parent)) / f".{self.output.name}.lock"
            self.fd = os.open(name, os.O_RDWR | os.O_CREAT)
            try:
                msvcrt.locking(self.fd, msvcrt.LK_NBLCK, 1)
            except OSError:
                if self.wait:
                    self.wait()
                msvcrt.locking(self.fd, msvcrt.LK_LOCK, 1)
            return self
        import fcntl

        # the real folder: two runs reaching one output/ through a link take turns too
        self.fd = os.open(os.path.realpath(self.output.parent), os.O_RDONLY)
        _HELD.add(self.fd)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if self.wait:
                self.wait()
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            _HELD.discard(self.fd)
            os.close(self.fd)
            self.fd = None


def strays(folder: Path, keep: list[Path]) -> list[Path]:
    """The files under `folder` (one this program alone writes) that are not in `keep`; an
    office program's lock file is its own, and left to it."""
    if not folder.is_dir():
        return []
    kept = set(keep)
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p not in kept and not p.name.startswith(("~$", ".~lock."))
    )


def prune(top: Path) -> None:
    """Remove the empty folders below and including `top`."""
    if top.is_dir():
        for folder in sorted((p for p in top.rglob("*") if p.is_dir()), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()
        if not any(top.iterdir()):
            top.rmdir()

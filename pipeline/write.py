"""Writing files into `output/`: all of a run's files, or none of them.

The only module that writes outputs, in the way SQLite's rollback journal does:

1. `expect` records the files a run is about to stage (`output/.staging.json`) before any
   temporary file is made: each one's temporary name follows from its final name
   (`.<name>.tmp` beside it), so cleaning up is by name, never by pattern;
2. `stage` writes every file to its temporary file, flushed to disk;
3. `commit` writes a journal (`output/.journal.json`) naming every rename, removal and the new
   manifest, then moves each old file aside, moves each new one in, removes what is stale,
   saves the manifest, deletes the moved-aside files, the journal and last the staging record;
4. a failure on the way puts every old file back (`CommitFailed` says whether it could);
5. `recover`, at the start of every run and when a run is stopped, decides from the journal
   alone: a journal there is rolled forward (every new file was whole before it was written);
   without one nothing was replaced, and the temporary files the staging record names are
   removed. Nothing else in the folder is touched: it may hold a user's own files.

A signal (Ctrl+C, SIGTERM) is an ordinary event: under `stoppable` it raises `Interrupted`
where the run is, except between the journal's writing and the end of the commit, where it
waits until the commit is whole (`_whole`).

`locked` finds outputs open in an office program; `Lock` keeps two runs from writing into one
`output/` at once; `overlap` and `foreign` say when a folder must not be written into.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from pipeline.paths import why
from pipeline.processes import libc

Staged = list[tuple[Path, Path]]  # (temporary file, final path)

JOURNAL = ".journal.json"
MANIFEST = ".manifest.json"
STAGING = ".staging.json"  # the files a run is staging, written before the first of them
OURS = (".gitkeep",)  # what an output folder may hold before our first run (the repository's)


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


class Interrupted(KeyboardInterrupt):
    """A run stopped by a signal (SIGINT: Ctrl+C; SIGTERM: the system or another program);
    `written` says whether a commit had already been made whole."""

    def __init__(self, signum: int, written: bool = False) -> None:
        super().__init__(signum, written)
        self.signum, self.written = signum, written


SIGNALS = (signal.SIGINT, signal.SIGTERM)
_owner: int | None = None  # the process whose handlers `stoppable` installed
_held: list[int] | None = None  # signals waiting for the end of a commit (inside `_whole`)
_written = False  # a commit of this run is whole


def _on_signal(signum: int, frame) -> None:
    if os.getpid() != _owner:  # a worker just forked, before it ignored signals
        return
    if _held is not None:
        _held.append(signum)
        return
    raise Interrupted(signum, _written)


@contextlib.contextmanager
def stoppable() -> Iterator[None]:
    """SIGINT and SIGTERM raise `Interrupted` in this process while the block runs."""
    global _owner, _written
    _owner, _written = os.getpid(), False
    before = {number: signal.signal(number, _on_signal) for number in SIGNALS}
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)
        _owner = None


@contextlib.contextmanager
def _whole() -> Iterator[None]:
    """A signal that arrives in the block waits for its end, then raises `Interrupted` (unless
    the block failed: its error is then what the run reports)."""
    global _held
    if _held is not None:  # already inside one
        yield
        return
    _held = []
    try:
        yield
    finally:
        held, _held = _held, None
    if held:
        raise Interrupted(held[0], _written)


def step(name: str) -> None:
    """A point between two steps of writing: fault-injection tests stop the process here
    (`BIEU_DUNG_TAI=<name>` kills it as a power cut would; `BIEU_TIN_HIEU=<signal>:<name>`
    sends the process that signal, INT or TERM, and goes on, so that its handlers run)."""
    if os.environ.get("BIEU_DUNG_TAI") == name:
        os._exit(99)
    sent, _, at = os.environ.get("BIEU_TIN_HIEU", "").partition(":")
    if sent and at == name:
        os.kill(os.getpid(), getattr(signal, f"SIG{sent}"))


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


def temporary(path: Path) -> Path:
    """The temporary file a final path is staged in, beside it: one name for one output, so
    that the staging record's names are enough to find it."""
    return path.with_name(f".{path.name}.tmp")


def expect(output: Path, names: list[str]) -> None:
    """Record the files (paths under `output`) that the run is about to stage, on the disk,
    before any of them is made: a run stopped while staging leaves nothing the next one cannot
    name. Raises `OSError` naming the output."""
    try:
        output.mkdir(parents=True, exist_ok=True)
        _save(output / STAGING, json.dumps(sorted(names), ensure_ascii=False).encode("utf-8"))
    except OSError as err:
        err.filename = str(output)
        raise


def stage(out: dict[str, dict[str, bytes]], output: Path) -> Staged:
    """Write each file to its temporary file beside its final name, `output/<folder>/<name>`
    (the names `expect` recorded); if any write fails, remove the temporary files written so
    far and raise `OSError` naming the final file."""
    staged: Staged = []
    try:
        for folder, contents in out.items():
            for name, data in contents.items():
                path = output / folder / name
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    staged.append((temporary(path), path))
                    _durable(temporary(path), data, sync=False)
                    os.chmod(temporary(path), 0o644)
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
    journal = temporary(output / JOURNAL)
    try:
        _durable(journal, json.dumps(plan, ensure_ascii=False).encode("utf-8"))
        step("journal")
    except OSError as err:  # nothing was replaced yet
        discard(staged)
        journal.unlink(missing_ok=True)
        raise CommitFailed(output / JOURNAL, why(err), True) from err
    global _written
    with _whole():  # from the journal on, a signal waits until the commit is whole
        try:
            os.replace(journal, output / JOURNAL)
            _sync_folder(output)
        except OSError as err:  # nothing was replaced yet
            discard(staged)
            journal.unlink(missing_ok=True)
            raise CommitFailed(output / JOURNAL, why(err), True) from err
        step("committing")
        try:
            _apply(plan, output)
        except OSError as err:
            raise CommitFailed.of(err, output, _roll_back(plan, output)) from err
        _written = True


def write(out: dict[str, dict[str, bytes]], output: Path) -> None:
    """Stage these files, then commit them (all or nothing)."""
    expect(output, [f"{folder}/{name}" for folder, names in out.items() for name in names])
    try:
        commit(stage(out, output), output)
    except BaseException:
        with contextlib.suppress(OSError):
            recover(output)
        raise


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
    _prune(output, plan["remove"])
    (output / JOURNAL).unlink(missing_ok=True)
    (output / STAGING).unlink(missing_ok=True)
    _sync_folder(output)


def _prune(output: Path, names: list[str]) -> None:
    """Remove the folders that held these files (paths under `output`), and the folders
    above them up to `output`, where they are left empty."""
    for name in names:
        folder = (output / name).parent
        while folder != output and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


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
        try:
            _outdated(output, [final for _, final in plan["files"]] + plan["remove"])
        except OSError:  # the next run then builds everything again, in a folder not ours
            with contextlib.suppress(OSError):
                (output / MANIFEST).unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            (output / JOURNAL).unlink(missing_ok=True)
        return False


def _outdated(output: Path, names: list[str]) -> None:
    """Mark every output as to be built again, still naming every file as ours (these and
    the manifest's), so that the next run rebuilds them and its cleanup may remove them."""
    try:
        earlier = json.loads((output / MANIFEST).read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError):
        earlier = []
    save_manifest(output, {"code": None, "raw": None, "files": sorted({*earlier, *names})})


def recover(output: Path) -> None:
    """Decide from the journal alone what an interrupted run left: a journal is rolled
    forward; without one, nothing was replaced, and the temporary files the staging record
    names are removed. Signals wait for it to finish."""
    with _whole():
        journal = output / JOURNAL
        if journal.is_file():
            try:
                plan = json.loads(journal.read_text(encoding="utf-8"))
                names = [final for _, final in plan["files"]] + plan["remove"]
            except (ValueError, TypeError, KeyError):  # not a journal of ours: build all again
                plan, names = None, []
            if plan is None:
                _outdated(output, names)
                journal.unlink()
            else:
                _apply(plan, output)
        for name in (JOURNAL, MANIFEST, STAGING):
            temporary(output / name).unlink(missing_ok=True)
        staging = output / STAGING
        if staging.is_file():
            try:
                names = [str(n) for n in json.loads(staging.read_text(encoding="utf-8"))]
            except (ValueError, TypeError):
                names = []
            names = [n for n in names if _inside(n)]
            for name in names:
                temporary(output / name).unlink(missing_ok=True)
            _prune(output, names)
            staging.unlink()


def _inside(name: str) -> bool:
    """A name of a record of ours that stays inside the output folder."""
    return not Path(name).is_absolute() and ".." not in Path(name).parts


def save_manifest(output: Path, manifest: dict) -> None:
    output.mkdir(parents=True, exist_ok=True)
    _save(output / MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False).encode("utf-8"))


def _save(path: Path, data: bytes) -> None:
    """A small file of ours replaced whole: written beside it, on the disk, then renamed over
    it."""
    with open(temporary(path), "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(temporary(path), path)


def _sync_folder(folder: Path) -> None:
    """Make a folder's renames durable (where the system allows opening a folder)."""
    if sys.platform.startswith("win"):
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class HeldLocks:
    """The file descriptors of the output locks this process holds. A forked worker inherits
    them; it closes its copies at once, so that the lock ends with the run itself, not with the
    last of its workers."""

    def __init__(self) -> None:
        self.fds: set[int] = set()

    def release_in_child(self) -> None:
        """In a forked child: close the copies of every lock the parent held."""
        for fd in list(self.fds):
            os.close(fd)
        self.fds.clear()


# This process's locks: process-wide on purpose (docs/design.md, "Process-wide state"): only a
# hook registered with the process reaches a child at its fork, whoever forks it.
HELD_LOCKS = HeldLocks()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=HELD_LOCKS.release_in_child)


class Lock:
    """One run at a time in an `output/` folder: the real folder itself is locked (made first
    if needed), so that two paths to one folder, through links, take turns too; where the
    system cannot lock a folder, a lock file `.<output>.lock` beside the real folder. Nothing
    is added to `output/`. The lock goes with the process: a killed run never leaves one
    behind. `wait` is called once if another run holds it; then the run waits its turn."""

    def __init__(self, output: Path, wait: Callable[[], None] | None = None) -> None:
        self.output, self.wait, self.fd = output, wait, None

    def __enter__(self) -> Lock:
        if self.output.exists() and not self.output.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "Not a directory", str(self.output))
        self.output.mkdir(parents=True, exist_ok=True)
        real = Path(os.path.realpath(self.output))
        if sys.platform.startswith("win"):  # pragma: no cover - exercised on Windows only
            import msvcrt

            self.fd = os.open(real.parent / f".{real.name}.lock", os.O_RDWR | os.O_CREAT)
            try:
                msvcrt.locking(self.fd, msvcrt.LK_NBLCK, 1)
            except OSError:
                if self.wait:
                    self.wait()
                msvcrt.locking(self.fd, msvcrt.LK_LOCK, 1)
            return self
        import fcntl

        self.fd = os.open(real, os.O_RDONLY)
        HELD_LOCKS.fds.add(self.fd)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if self.wait:
                self.wait()
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            HELD_LOCKS.fds.discard(self.fd)
            os.close(self.fd)
            self.fd = None


def overlap(raw: Path, output: Path) -> str:
    """How `output` and `raw` overlap, in the user's words, or "" when they are apart (a run
    writing into raw/ would read its own outputs as communes at the next run)."""
    real_raw, real_output = Path(os.path.realpath(raw)), Path(os.path.realpath(output))
    if real_output == real_raw:
        return f"là chính thư mục dữ liệu gốc {raw.name}/"
    if real_output.is_relative_to(real_raw):
        return f"nằm trong thư mục dữ liệu gốc {raw.name}/"
    if real_raw.is_relative_to(real_output):
        return f"chứa thư mục dữ liệu gốc {raw.name}/"
    return ""


def foreign(output: Path) -> str:
    """A file of someone else's in an output folder with no manifest of ours (its path under
    `output`), or "": none where a manifest says the folder is ours, or it holds no file but
    the repository's own (empty folders are no one's)."""
    if not output.is_dir() or (output / MANIFEST).is_file():
        return ""
    for folder, folders, files in os.walk(output):
        folders.sort()
        for name in sorted(files):
            found = (Path(folder) / name).relative_to(output).as_posix()
            if found not in OURS:
                return found
    return ""

"""Where things are: the command's folders (under the current folder), the code's own; and
the walk of `raw/`."""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from pathlib import Path

# the folder holding the code (the repository, or the environment's site-packages once installed)
ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"  # the repository's own record (the seed), for tests and developer tools
# what the package ships beside its code: the seed's catalogue, copied by `bieu khoi-tao`
PACKAGE_DATA = Path(__file__).resolve().parent / "data"
RAW_NAME, OUTPUT_NAME = "raw", "output"  # what `bieu annexes` reads and writes by default
MAX_FILE_BYTES = 50 * 2**20  # a commune's workbook is a few dozen kilobytes


def default_raw() -> Path:
    """The record the command reads unless told otherwise: `raw/` in the current folder."""
    return Path.cwd() / RAW_NAME


def default_output() -> Path:
    """Where the command writes unless told otherwise: `output/` in the current folder."""
    return Path.cwd() / OUTPUT_NAME


def shown_command(words: list[str], raw: Path) -> str:
    """A `bieu` command as a message tells an officer to type it: with `--raw THƯ_MỤC` where
    `raw` is not the default folder; a value with a space in double quotes (as the Windows
    command prompt, PowerShell and the shells of Linux and macOS all read it)."""
    if os.path.abspath(raw) != os.path.abspath(default_raw()):
        words = [*words, "--raw", str(raw)]
    return " ".join(f'"{w}"' if " " in w else w for w in ["bieu", *words])


def start_command(raw: Path) -> str:
    """The command that starts a record in `raw`: its folder and the catalogue."""
    return shown_command(["khoi-tao"], raw)


def display_path(path: Path, raw: Path) -> str:
    """How a file is named in messages: from the raw folder's own name, `raw/son_la/x.xlsx`
    (with `/` on every system, so that messages and CSV files read the same everywhere; a byte
    of the name that is not text shown as `\\xff`)."""
    return shown_name((Path(raw.name) / path.relative_to(raw)).as_posix())


def shown_name(name: str) -> str:
    """A file's name as text: a byte that is not UTF-8 (Python holds it as a lone surrogate,
    which no file or console can write) shown as `\\xff`."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


def bad_bytes(name: str) -> str:
    """The bytes of a name that are not UTF-8, as `\\xff`, `\\xfe`; empty for a name that is
    text."""
    found = [ch for ch in name if "\ud800" <= ch <= "\udfff"]
    return ", ".join(dict.fromkeys(shown_name(ch) for ch in found))


# room kept in a folder's path for the names the program reads and writes inside it (the
# longest name a file may have on common systems)
NAME_ROOM = 255


def too_long(folder: Path) -> str | None:
    """Why `folder` cannot be used: its path leaves no room, under the longest path the system
    takes (4096 bytes on Linux), for the names of the files in it. None where it does, or where
    the system sets no such limit."""
    pathconf = getattr(os, "pathconf", None)
    try:
        limit = pathconf("/", "PC_PATH_MAX") if pathconf else -1
    except (OSError, ValueError):
        limit = -1
    length = len(os.fsencode(folder))
    if limit <= 0 or length + NAME_ROOM < limit:
        return None
    shown = os.fsdecode(folder)
    shown = shown if len(shown) <= 80 else f"{shown[:30]}…{shown[-45:]}"
    length_vi, limit_vi = (f"{n:,}".replace(",", ".") for n in (length, limit))
    return (
        f"{shown_name(shown)}: đường dẫn dài {length_vi} byte, quá giới hạn {limit_vi} byte của "
        "hệ thống (kể cả tên các tệp bên trong): chuyển thư mục làm việc lên gần gốc ổ đĩa "
        "(ví dụ /home/ten/bieu hoặc C:\\bieu) hoặc đặt tên các thư mục cha ngắn lại, rồi chạy lại"
    )


def broken_link(folder: Path) -> str | None:
    """Why `folder` cannot be made: it, or a folder above it, is a link to something that is no
    longer there (making the folder would say "already exists"). None where none is."""
    link = _dangling(folder)
    if link is None:
        return None
    return (
        f"{shown_name(os.fsdecode(link))}: là liên kết hỏng, trỏ tới "
        f"{shown_name(os.readlink(link))} (không còn): tạo lại thư mục đó, hoặc sửa hay xóa "
        "liên kết này"
    )


def _dangling(path: Path) -> Path | None:
    """`path`, or the first folder above it, that is a link to nothing."""
    return next(
        (p for p in (path, *path.parents) if os.path.islink(p) and not os.path.exists(p)), None
    )


def walk(
    raw: Path, read: Collection[str], not_read: Mapping[str, tuple[bool, str]]
) -> tuple[list[Path], list[tuple[str, str, bool]]]:
    """Every workbook under `raw` (a file whose suffix, lower case, is in `read`), sorted,
    following links to files and folders; and what could not be read there, as (name, why, is
    it an error) in Vietnamese, a file whose suffix is in `not_read` with what is said of it
    (`{}` its suffix). Excel's `~$` lock files and hidden files are skipped; a link back to a
    folder already walked is walked once. The formats are `pipeline.formats`' (`formats.walk`)."""
    walker = _Walker(raw, read, not_read)
    walker.visit(raw)
    return sorted(walker.found), walker.notes


class _Walker:
    """One walk of `raw`: the workbooks found, what is said of the rest, the folders seen."""

    def __init__(
        self, raw: Path, read: Collection[str], not_read: Mapping[str, tuple[bool, str]]
    ) -> None:
        self.raw, self.read, self.not_read = raw, read, not_read
        self.found: list[Path] = []
        self.notes: list[tuple[str, str, bool]] = []
        self.seen: set[str] = set()

    def note(self, path: Path, said: str, error: bool) -> None:
        self.notes.append((display_path(path, self.raw), said, error))

    def visit(self, folder: Path) -> None:
        """Walk one folder once, its entries in the order of their names."""
        real = os.path.realpath(folder)
        if real in self.seen:
            self.note(
                folder, "là liên kết trỏ về một thư mục đã đọc (trỏ vòng): không đọc lại", False
            )
            return
        self.seen.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as err:
            self.note(folder, f"không mở được thư mục ({why(err)})", True)
            return
        for entry in entries:
            if not entry.name.startswith(("~$", ".")):
                self.entry(entry)

    def entry(self, entry: os.DirEntry) -> None:
        """One entry of a folder: a workbook kept, a folder walked, or what is said of it."""
        path = Path(entry.path)
        suffix = path.suffix.lower()
        workbook_name = suffix in self.read
        try:
            is_dir = entry.is_dir(follow_symlinks=True)
            is_file = entry.is_file(follow_symlinks=True)
        except OSError as err:
            self.note(path, f"không đọc được ({why(err)})", True)
            return
        bad = bad_bytes(entry.name)
        if bad and (is_dir or workbook_name or suffix in self.not_read):
            what = "thư mục" if is_dir else "tệp"
            self.note(
                path,
                f"tên {what} có byte không phải chữ ({bad}), thường do chép từ máy dùng "
                f"bảng mã cũ (TCVN3, VNI): chưa đọc {what} này; đặt lại tên {what} "
                "rồi chạy lại",
                True,
            )
        elif not (is_dir or is_file):
            self.neither(entry, path, workbook_name)
        elif is_dir:
            if workbook_name:
                self.note(
                    path,
                    "là thư mục, không phải tệp bảng tính (tên có đuôi "
                    f"{path.suffix}): đã đọc các tệp bên trong",
                    False,
                )
            self.visit(path)
        elif workbook_name:
            self.found.append(path)
        elif suffix in self.not_read:
            error, said = self.not_read[suffix]
            self.note(path, said.format(suffix), error)

    def neither(self, entry: os.DirEntry, path: Path, workbook_name: bool) -> None:
        """An entry neither a file nor a folder: a broken link, a device, a pipe."""
        if entry.is_symlink():
            if workbook_name or not os.path.exists(path):
                self.note(
                    path,
                    "là liên kết hỏng (trỏ tới tệp hay thư mục không còn): sửa hoặc "
                    "xóa liên kết này",
                    True,
                )
        elif workbook_name:  # a device, a pipe: not a file that can be read
            self.note(path, "không phải tệp thường: không đọc", True)


def why(err: OSError) -> str:
    """An operating system error in the user's words."""
    import errno

    words = {
        errno.EACCES: "không có quyền",
        errno.EPERM: "không có quyền",
        errno.ELOOP: "liên kết trỏ vòng",
        errno.ENOENT: "không còn tồn tại",
        errno.ENOTDIR: "đường dẫn có một tệp chắn chỗ của thư mục",
        errno.EISDIR: "là thư mục",
        errno.ENOSPC: "hết chỗ trên đĩa",
        errno.EROFS: "ổ đĩa chỉ cho đọc",
        errno.EEXIST: "đã có tệp trùng tên",
        errno.ENAMETOOLONG: "tên hoặc đường dẫn quá dài so với giới hạn của hệ thống",
        errno.EIO: "ổ đĩa báo lỗi khi đọc hoặc ghi (hỏng, hoặc bị rút ra)",
    }
    if err.errno == errno.EEXIST and isinstance(err.filename, str):
        link = _dangling(Path(err.filename))  # what would be made there is a link to nothing
        if link is not None:
            return (
                f"{shown_name(os.fsdecode(link))} là liên kết hỏng, trỏ tới "
                f"{shown_name(os.readlink(link))} (không còn)"
            )
    return words.get(err.errno, f"lỗi hệ thống số {err.errno}")


def source_path(name: str, raw: Path) -> Path:
    """The file a message names (`raw/son_la/x.xlsx`, as `display_path` gives it) under `raw`."""
    return raw.joinpath(*Path(name).parts[1:])

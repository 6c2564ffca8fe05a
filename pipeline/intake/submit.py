"""What a commune sends through the intake page (`bieu phuc-vu`): checked, accepted, built.

A shell like `build`: `check` answers every upload waiting in one pass of the existing stages
(read, prepare, validate: one call has a fixed cost of about 0,2 s, and checks a province's
workbooks in well under a second). Each upload takes, in a temporary copy of `raw/` (its files
linked, not copied), the place of the file it would replace; the problems found are given back
to the uploads they concern. Nothing is written into `raw/` but by `accept`, through the same
journal as every write of the program (`pipeline.write`), and only for an upload whose check
found no error: the record only ever holds workbooks that passed.

Which upload concerns a problem: one in its own file; one of the same new commune (the sender
and the old communes the province listed for it) where the problem lies in another file of
theirs (a sum across the old communes, a name typed otherwise than in the old commune's own
workbook); every upload where the problem lies in no commune's file (the catalogue). Two uploads
of one new commune are checked in passes of their own, each against what `raw/` holds: never
against the other's unaccepted file.

An upload goes where its own "Thông tin" says: `raw/<tỉnh>/<mã xã>` with its format's suffix,
the name `bieu mau` gives a commune's workbook; it replaces the file there, in whatever format
that was. A workbook claiming a commune that is not the sender's (a new commune other than
itself, an old commune the province did not list for it), or whose "Xã hợp thành" disagrees
with the province's list, is refused at the cell that says so.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from pipeline import formats, write
from pipeline.parse import format_vi
from pipeline.problems import ERROR, Problem, in_order
from pipeline.text import clean, key, slug
from schemas.commune import INFO_SHEET, MEMBER_SHEET
from schemas.stages import Info, InfoRead, Located, MembersRead, OfCommune, ResultRowsRead
from schemas.vocabulary import ACCEPTED, ERRORS, NEW, OLD, WAITING

WORD = ".docx"  # a congress report, imported as drafts (`bieu nhap-word`'s import)
# the state of a report that opened: its drafts are shown to the commune, never put into raw/
REPORT = "Đã đọc báo cáo Word"
# the message of validation for an old commune that no workbook in raw/ holds (validate/cells.py)
NO_SUCH_OLD = 'không có xã trước sắp xếp nào mang mã "{}"'
KEY = Info.ma_key  # a commune's code as codes are compared


@dataclass(frozen=True)
class Upload:
    """One file as a commune sent it."""

    ma_xa: str  # the new commune that sent it
    ten_tep: str  # its file name as sent (never used as a path)
    data: bytes


@dataclass(frozen=True)
class Checked:
    """What the check said of an upload: its state (`ACCEPTED`, `ERRORS`, `WAITING`), every
    problem as the terminal prints it (`Problem.line()`), the sheets of the workbook as sheet
    models with each problem cell marked, and where it goes in `raw/` if accepted
    (`dien_bien/tan_an.xlsx`; "" where it cannot go anywhere)."""

    upload: Upload
    state: str
    problems: tuple
    sheets: tuple
    target: str


def sent_name(upload: Upload) -> str:
    """The upload's file name as messages show it: the last part of what was sent, as text."""
    name = re.split(r"[\\/]", upload.ten_tep)[-1]
    return clean(name) or "tệp gửi lên"


@dataclass(eq=False)
class _Sent:
    """One upload as read on its own: where it goes, who it claims, what refuses it."""

    index: int
    upload: Upload
    path: Path  # its bytes, in the temporary folder
    target: str = ""  # under raw/, as `Checked.target`
    new: bool = False  # a new commune's workbook (it waits for its old communes)
    refused: tuple[Problem, ...] = ()  # read problems, or what the province's list refuses
    read: tuple[Problem, ...] = ()  # every problem of reading it alone (when it has no target)
    report: bool = False  # a Word report that opened: drafts to show, nothing to accept


def check(
    raw: Path, uploads: list[Upload], members: Mapping[str, tuple[str, ...]]
) -> list[Checked]:
    """Every upload checked in one pass of the stages (more only where one new commune sent
    several), each on its own and against what `raw` already holds, in the order given.
    `members`: each new commune's old communes as the province declared them, by code."""
    from pipeline.layout.marks import marked_sheet, marks
    from pipeline.load import KNOWN_SHEETS, read_cells

    members = {key(code): tuple(listed) for code, listed in members.items()}  # codes compared
    with tempfile.TemporaryDirectory(prefix="bieu-nhan-") as folder:
        tmp = Path(folder)
        (tmp / "gui").mkdir()
        owners = _owners(members)  # once per check: every upload asks it
        sent = [_read_alone(raw, tmp, i, u, members, owners) for i, u in enumerate(uploads)]
        found: dict[int, list[Problem]] = {s.index: list(s.read) for s in sent}
        waiting: set[int] = set()
        # a workbook the province's list refuses is checked apart, beside no other commune's
        # file: in a pass with raw/ it would be told figures of theirs (sums, names)
        placed = [s for s in sent if s.target and not s.refused]
        for s in sent:
            if s.target and s.refused:
                found[s.index] += _apart(raw, tmp, s)
        for number, batch in enumerate(_batches(placed, members)):
            tree = tmp / f"luot{number}" / raw.name
            problems, old, key_of = _one_pass(raw, tree, batch)
            for s, theirs in _attributed(raw, batch, problems, key_of, members).items():
                missing = _missing(s, old, members)
                found[s.index] += [p for p in theirs if not _awaited(p, s, raw, missing)]
                if missing:
                    waiting.add(s.index)
        checked = []
        for s in sent:
            problems = in_order([*s.refused, *found[s.index]])
            where = f"{raw.name}/{s.target}" if s.target else ""
            sheets: tuple = ()
            if where:
                cells = marks([p for p in problems if p.tep == where])
                drawn = cells[where].cells if where in cells else {}
                try:
                    grids = read_cells(s.path, KNOWN_SHEETS)
                except Exception:  # a file the reader refuses: its problems say so already
                    grids = {}
                sheets = tuple(
                    _as_shown(marked_sheet(name, opened.grid, drawn), opened.hidden)
                    for name, opened in grids.items()
                    if hasattr(opened, "grid")
                    and not (opened.hidden.sheet and not any(s == name for s, _ in drawn))
                )
            if any(p.muc_do == ERROR for p in problems):
                state = ERRORS
            elif s.report:
                state = REPORT
            else:
                state = WAITING if s.index in waiting else ACCEPTED
            checked.append(Checked(s.upload, state, tuple(problems), sheets, s.target))
    return checked


def _as_shown(sheet, hidden):
    """A sheet drawn as the workbook shows it: a row it hides of height 0, a column it hides
    of width 0 (the page's renderer leaves them out, unless a problem lies there)."""
    for row in hidden.rows:
        sheet.heights[row] = 0
    for col in hidden.columns:
        if col < len(sheet.widths):
            sheet.widths[col] = 0
    return sheet


def _read_alone(
    raw: Path,
    tmp: Path,
    index: int,
    upload: Upload,
    members: Mapping[str, tuple[str, ...]],
    owners: Mapping[str, set[str]],
) -> _Sent:
    """The upload read on its own, with the readers' guards (size, zip bombs, passwords, broken
    files): the commune it claims, where it would go, and what refuses it."""
    from pipeline.load import read_part

    name = sent_name(upload)
    suffix = PurePosixPath(name).suffix.lower()
    kind = formats.of(suffix)
    path = tmp / "gui" / f"{index}{suffix if kind or suffix == WORD else ''}"
    path.write_bytes(upload.data)
    sent = _Sent(index, upload, path)
    if suffix == WORD:
        refused = _word(path, name)
        sent.read, sent.report = ((refused,), False) if refused else ((), True)
        return sent
    if kind is None:
        sent.read = (
            Problem(
                name,
                noi_dung=f"không nhận tệp này: trang chỉ nhận bảng tính {formats.LISTED} "
                f"(và báo cáo Word {WORD})",
            ),
        )
        return sent
    part = read_part(path, path.parent, False)
    said = [_renamed(p, name) for p in part.problems]
    too_long = _too_long(part, name)
    if too_long:  # checked, tens of thousands of lines, and the one worker held for minutes
        sent.read = too_long
        return sent
    info = part.rows.get("info", [])
    if not info or any(p.muc_do == ERROR and not p.sheet for p in said):
        sent.read = tuple(
            said or [Problem(name, INFO_SHEET.name, "", "sheet không có dòng số liệu")]
        )
        return sent
    at = {column: i for i, column in enumerate(INFO_SHEET.columns)}
    first = info[0]
    code, province = clean(first[at[OfCommune.ma_xa]]), clean(first[at[InfoRead.tinh]])
    if not code or not slug(code) or not slug(province):  # validation says what is missing
        sent.read = _validated_alone(raw, path, name)
        return sent
    sent.target = f"{slug(province)}/{slug(code)}{kind.suffix}"
    where = f"{raw.name}/{sent.target}"
    kinds = {key(row[at[InfoRead.loai]]) for row in info}
    sent.new = key(NEW) in kinds
    sent.refused = tuple(_refusals(upload, part, info, kinds, where, members, owners))
    if not sent.refused:
        sent.refused = _other_kind(raw, sent.target, part, info, kinds, where)
    sent.refused += tuple(_active(path, where))
    return sent


# what is said of a workbook holding content that runs or reaches out when opened
ACTIVE_WORDS = {
    formats.MACRO: 'lưu lại bằng Excel dạng "Excel Workbook (*.xlsx)", không có macro',
    formats.EMBEDDED: "xoá đối tượng đó khỏi bảng tính",
    formats.LINKED: "trong Excel chọn Dữ liệu › Sửa liên kết › Ngắt liên kết (Data › Edit Links "
    "› Break Link) để giữ lại số liệu",
}


def _active(path: Path, where: str) -> list[Problem]:
    """A workbook with macros, embedded objects or links to other files: refused, whatever its
    cells say (it would enter the province's record and run, or reach out, on an officer's
    machine)."""
    return [
        Problem(
            where,
            noi_dung=f"tệp có {what}: trang không nhận tệp như vậy; {ACTIVE_WORDS[what]}, rồi "
            "gửi lại",
        )
        for what in formats.active_content(path)
    ]


def _kinds_held(raw: Path, target: str) -> set[str]:
    """The kinds (as compared) the record's own workbook at `target`, in any format, says it
    is of; none where raw/ holds no such file or it cannot be read."""
    place = PurePosixPath(target)
    folder = raw / place.parent
    if not folder.is_dir():
        return set()
    at = list(INFO_SHEET.columns).index(InfoRead.loai)
    for path in folder.iterdir():
        if path.stem.casefold() == place.stem.casefold() and formats.of(path.suffix):
            return {key(row[at]) for row in _part(path, raw, False).rows.get("info", [])}
    return set()


def _other_kind(raw, target, part, info, kinds, where) -> tuple[Problem, ...]:
    """A workbook that would replace the record's workbook of another kind of commune (an old
    commune's over a new commune's, or the reverse): the record's own file decides what a code
    is, not the upload's claim."""
    held = _kinds_held(raw, target)
    if not held or held == kinds:
        return ()
    at = {column: i for i, column in enumerate(INFO_SHEET.columns)}
    dong, sheet = len(at), len(at) + 2
    letters = part.letters.get((_tep(part), info[0][sheet]), {})
    words = {key(kind): kind for kind in (NEW, OLD)}
    shown = lambda found: " và ".join(f'"{words.get(k, k)}"' for k in sorted(found))  # noqa: E731
    code = clean(info[0][at[OfCommune.ma_xa]])
    return (
        Problem(
            where,
            info[0][sheet],
            f"{letters.get(InfoRead.loai, 'A')}{info[0][dong]}",
            f'xã "{code}" đã có trong hồ sơ của tỉnh là xã {shown(held)}, tệp gửi lên ghi '
            f"{shown(kinds)}: không nhận tệp thay cho một xã loại khác; kiểm tra mã xã và loại "
            "xã, hoặc báo tỉnh",
        ),
    )


# rows of one sheet an upload may hold: a commune's table has a row per indicator of the
# catalogue and a few of groups (under a hundred); past this, a sheet is not a commune's table
MAX_SHEET_ROWS = 500
MAX_ROWS = 1_000  # all its sheets together


def _too_long(part, name: str) -> tuple[Problem, ...]:
    """A sheet of the upload with more rows than a commune's table can have, one line each."""
    from pipeline.load import fields

    found = []
    for kind, rows in part.rows.items():
        if len(rows) > MAX_SHEET_ROWS:
            sheet = rows[0][fields(kind).index(Located.sheet)]
            found.append(
                Problem(
                    name,
                    sheet,
                    "",
                    f"trang tính có {format_vi(len(rows))} dòng có chữ, quá "
                    f"{format_vi(MAX_SHEET_ROWS)} dòng mà bảng của một xã có thể có: xoá các "
                    "dòng thừa (kể cả dòng chỉ có dấu cách) rồi gửi lại",
                )
            )
    total = sum(len(rows) for rows in part.rows.values())
    if not found and total > MAX_ROWS:
        found.append(
            Problem(
                name,
                noi_dung=f"các trang tính có {format_vi(total)} dòng có chữ, quá "
                f"{format_vi(MAX_ROWS)} dòng mà bảng tính của một xã có thể có: xoá các dòng "
                "thừa (kể cả dòng chỉ có dấu cách) rồi gửi lại",
            )
        )
    return tuple(found)


def _renamed(problem: Problem, name: str) -> Problem:
    return replace(problem, tep=name)


def _word(path: Path, name: str) -> Problem | None:
    """A Word report opened with the import's guards: a Word bomb, a password, a broken file
    are refused as `bieu nhap-word` refuses them; one that opens is imported as drafts by the
    page (`import_report`), and None is returned."""
    from pipeline.intake import IntakeError, _open_word

    try:
        _open_word(path)
    except IntakeError as err:
        said = str(err).split(": ", 1)[-1]
        return Problem(name, noi_dung=said)
    return None


# what a workbook checked apart is told only because the other communes' files are not there
APART_ONLY = (NO_SUCH_OLD.split('"')[0], 'chưa được ghi vào sheet "Xã hợp thành" của xã mới nào')


def _alone(raw: Path, tree: Path, path: Path, place: str) -> list[Problem]:
    """The problems of one workbook's own file, checked at `place` (under raw/) in `tree` with
    the record's catalogue and no other commune's file."""
    from pipeline.load import load_record
    from pipeline.prepare import prepare
    from pipeline.validate import validate

    tree = tree / raw.name
    (tree / PurePosixPath(place).parent).mkdir(parents=True, exist_ok=True)
    catalogue = _catalogue(raw)
    if catalogue is not None:
        _link(catalogue, tree / catalogue.name)
    shutil.copyfile(path, tree / place)
    shown = f"{raw.name}/{place}"
    return [p for p in validate(prepare(load_record(tree))) if p.tep == shown]


def _apart(raw: Path, tmp: Path, s: _Sent) -> list[Problem]:
    """The problems of a refused workbook's own cells, checked in its place apart from every
    other commune's file (what only the others' absence says, left out)."""
    return [
        p
        for p in _alone(raw, tmp / f"rieng{s.index}", s.path, s.target)
        if not any(words in p.noi_dung for words in APART_ONLY)
    ]


def _validated_alone(raw: Path, path: Path, name: str) -> tuple[Problem, ...]:
    """The problems of a workbook checked alone with the record's catalogue (one that says no
    commune it can go to), named as it was sent."""
    found = _alone(raw, path.parent.parent / f"mot{path.stem}", path, path.name)
    return tuple(_renamed(p, name) for p in found)


def _catalogue(raw: Path) -> Path | None:
    from pipeline.load import is_catalogue

    return next((p for p in formats.workbooks(raw) if is_catalogue(p) and p.parent == raw), None)


def _refusals(upload, part, info, kinds, where, members, owners) -> list[Problem]:
    """What the province's list refuses in a workbook: a commune that is not the sender's, or
    old communes other than those the province listed for it."""
    at = {column: i for i, column in enumerate(INFO_SHEET.columns)}
    sender = key(upload.ma_xa)
    listed = members.get(sender)
    refused = []
    dong, sheet = len(at), len(at) + 2  # after the layout's values: the Excel row, file, sheet
    letters = part.letters.get((_tep(part), info[0][sheet]), {})
    code_cell = f"{letters.get(OfCommune.ma_xa, 'A')}{info[0][dong]}"
    code = clean(info[0][at[OfCommune.ma_xa]])
    if listed is None:
        return [
            Problem(
                where,
                info[0][sheet],
                code_cell,
                f'tỉnh chưa khai báo các xã hợp thành của xã "{upload.ma_xa}": chưa nhận tệp nào '
                "của xã; báo tỉnh khai báo rồi gửi lại",
            )
        ]
    mine = {slug(c) for c in (upload.ma_xa, *listed)}
    others = sorted(owners.get(slug(code), set()) - {sender}) if slug(code) in mine else []
    if others:  # one file, two owners in the province's list (declared before codes were slugs)
        return [
            Problem(
                where,
                info[0][sheet],
                code_cell,
                f'mã xã "{code}" trỏ tới tệp mà danh sách của tỉnh cũng cho xã mới '
                f'"{others[0]}": không nhận; báo tỉnh sửa danh sách xã hợp thành',
            )
        ]
    own = {key(m) for m in listed}
    kept = kinds == {key(NEW), key(OLD)}  # a commune kept as it is: itself, before and after
    if key(NEW) in kinds and key(code) != sender:
        refused.append(
            Problem(
                where,
                info[0][sheet],
                code_cell,
                f'mã xã "{code}" không phải mã của xã mình ("{upload.ma_xa}"): mỗi xã chỉ gửi tệp '
                "của xã mình và của các xã hợp thành mà tỉnh đã khai báo",
            )
        )
    elif key(OLD) in kinds and not kept and key(code) not in own:
        refused.append(
            Problem(
                where,
                info[0][sheet],
                code_cell,
                f'xã "{code}" không nằm trong các xã hợp thành tỉnh đã khai báo cho xã '
                f'"{upload.ma_xa}" ({", ".join(listed) or "chưa có xã nào"}): không nhận tệp '
                "của xã khác",
            )
        )
    if key(NEW) in kinds and not kept and key(code) == sender:
        refused += _member_refusals(part, listed, where)
    if kept and key(code) == sender and own != {sender}:
        refused.append(
            Problem(
                where,
                info[0][sheet],
                code_cell,
                f'xã "{code}" ghi là xã giữ nguyên (một mã, cả "{OLD}" và "{NEW}"), nhưng tỉnh '
                f'đã khai xã "{upload.ma_xa}" gồm các xã hợp thành ({", ".join(listed)}): gửi '
                "tệp của từng xã hợp thành và tệp của xã mới, hoặc báo tỉnh khai lại",
            )
        )
    return refused


def _owners(members: Mapping[str, tuple[str, ...]]) -> dict[str, set[str]]:
    """The new communes (as compared) whose list holds each file's code (as `slug` names it)."""
    found: dict[str, set[str]] = {}
    for new, olds in members.items():
        for code in (new, *olds):
            found.setdefault(slug(code), set()).add(new)
    return found


def _tep(part) -> str:
    """The name the rows of an upload read alone give their file (`gui/0.xlsx`)."""
    return part.rows["info"][0][len(INFO_SHEET.columns) + 1]


def _member_refusals(part, listed: tuple[str, ...], where: str) -> list[Problem]:
    """A new commune's "Xã hợp thành" against the province's list: a code the list does not
    hold, at its cell; a code of the list it does not name, at the sheet."""
    columns = list(MEMBER_SHEET.columns)
    at, dong, sheet_at = columns.index(MembersRead.ma_xa_cu), len(columns), len(columns) + 2
    rows = [r for r in part.rows.get("members", []) if clean(r[at])]
    own = {key(m) for m in listed}
    refused = []
    for row in rows:
        letters = part.letters.get((_tep(part), row[sheet_at]), {})
        if key(row[at]) not in own:
            refused.append(
                Problem(
                    where,
                    row[sheet_at],
                    f"{letters.get(MembersRead.ma_xa_cu, 'A')}{row[dong]}",
                    f'xã "{clean(row[at])}" không nằm trong các xã hợp thành tỉnh đã khai báo '
                    f"({', '.join(listed)}): sửa cho khớp danh sách của tỉnh, hoặc báo tỉnh",
                )
            )
    named = {key(r[at]) for r in rows}
    sheet = rows[0][sheet_at] if rows else MEMBER_SHEET.name
    for code in listed:
        if key(code) not in named:
            refused.append(
                Problem(
                    where,
                    sheet,
                    "",
                    f'thiếu xã "{code}", tỉnh đã khai báo là một xã hợp thành: thêm một dòng cho '
                    "xã này",
                )
            )
    return refused


def _batches(placed: list[_Sent], members: Mapping) -> list[list[_Sent]]:
    """The passes: in each, uploads whose communes are apart (`_group`): at most one of each new
    commune, one for each file."""
    batches: list[tuple[list[_Sent], set[str]]] = []
    for s in placed:
        group = _group(s, members)
        for batch, taken in batches:
            if not group & taken:
                batch.append(s)
                taken |= group
                break
        else:
            batches.append(([s], group))
    return [batch for batch, _ in batches]


def _group(s: _Sent, members: Mapping) -> set[str]:
    """The communes an upload concerns (codes as compared): its sender, the old communes the
    province listed for it, and the commune its workbook claims."""
    listed = members.get(key(s.upload.ma_xa), ())
    return {key(c) for c in (s.upload.ma_xa, *listed)} | {key(PurePosixPath(s.target).stem)}


def _stem(s: _Sent) -> str:
    """A target without its suffix, as a file system that ignores case sees it."""
    return str(PurePosixPath(s.target).with_suffix("")).casefold()


def _one_pass(
    raw: Path, tree: Path, batch: list[_Sent]
) -> tuple[list[Problem], set[str], dict[str, str]]:
    """`raw` linked into `tree`, each upload of the batch in place of the file it replaces,
    then read, prepared and validated once: every problem, the old communes' codes (keys) the
    tree holds, and each commune's file's code (key) by the file's name in messages."""
    from pipeline.prepare import prepare
    from pipeline.validate import validate

    replaced = {_stem(s) for s in batch}
    for path in formats.workbooks(raw):
        rel = path.relative_to(raw)
        if str(rel.with_suffix("").as_posix()).casefold() in replaced:
            continue
        (tree / rel).parent.mkdir(parents=True, exist_ok=True)
        _link(path, tree / rel)
    for s in batch:
        (tree / s.target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(s.path, tree / s.target)
    prepared = prepare(_load(tree))
    info = prepared.info
    old = set(info.loc[info[InfoRead.loai] == OLD, KEY])
    key_of = dict(zip(info[Located.tep], info[KEY], strict=True))
    return validate(prepared), old, key_of


# the workbooks this process has read, by their name in messages, whether the catalogue, and
# their bytes' digest: a warm server reads again only what changed (the uploads, a file
# accepted). Process-wide on purpose, as `products.MARKED_COPIES` (docs/design.md).
READ_PARTS: dict[tuple[str, bool, bytes], object] = {}
READ_PARTS_KEPT = 20_000  # a country's workbooks; the oldest go first
_READ_PARTS_HELD = threading.Lock()  # the server may check from more than one thread


def _load(tree: Path):
    """`load.load_record(tree)`, each workbook read once per process for the same name and
    bytes (reading is half of a province's check)."""
    from pipeline.load import assemble, discover, load_record
    from pipeline.paths import display_path

    catalogue, communes, problems = discover(tree)
    if catalogue is None or not communes:  # what load_record says of such a record
        return load_record(tree)

    parts = [_part(catalogue, tree, True), *(_part(p, tree, False) for p in communes)]
    return assemble(parts, [display_path(p, tree) for p in communes], problems)


def _part(path: Path, tree: Path, is_catalogue: bool):
    """`load.read_part`, once per process for the same name in messages and the same bytes."""
    from pipeline.load import read_part
    from pipeline.paths import display_path

    remembered = (display_path(path, tree), is_catalogue, _digest(path))
    with _READ_PARTS_HELD:
        found = READ_PARTS.get(remembered)
    if found is None:
        found = read_part(path, tree, is_catalogue)
        with _READ_PARTS_HELD:
            while len(READ_PARTS) >= READ_PARTS_KEPT:
                READ_PARTS.pop(next(iter(READ_PARTS)))
            READ_PARTS[remembered] = found
    return found


def _digest(path: Path) -> bytes:
    """The SHA-256 of a file's bytes (a file that cannot be read: none, read again each time)."""
    try:
        return hashlib.sha256(path.read_bytes()).digest()
    except OSError:
        return os.urandom(32)


def _link(source: Path, target: Path) -> None:
    """A file of raw/ in the temporary tree: a hard link where the system makes one (nothing is
    copied), else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _attributed(
    raw: Path, batch: list[_Sent], problems: list[Problem], key_of: dict, members: Mapping
) -> dict[_Sent, list[Problem]]:
    """The problems of a pass given to the uploads they concern (the module's docstring)."""
    mine: dict[int, list[Problem]] = {s.index: [] for s in batch}
    own = {f"{raw.name}/{s.target}": s for s in batch}
    group = {code: s for s in batch for code in _group(s, members)}  # apart: `_batches`
    for p in problems:
        if p.tep in own:
            mine[own[p.tep].index].append(p)
            continue
        who = group.get(key(p.xa)) or group.get(key_of.get(p.tep, ""))
        if who is not None:
            mine[who.index].append(p)
        elif not p.xa and _no_commune(p, raw):
            for s in batch:
                mine[s.index].append(p)
    return {s: mine[s.index] for s in batch}


def _no_commune(problem: Problem, raw: Path) -> bool:
    """A problem in no commune's file: the catalogue's, or the record's as a whole."""
    from pipeline.load import is_catalogue

    name = PurePosixPath(problem.tep)
    return problem.tep == raw.name or is_catalogue(Path(name.name))


def _missing(s: _Sent, old: set[str], members: Mapping) -> set[str]:
    """The old communes a new commune's workbook names that the record does not hold yet."""
    if not s.new:
        return set()
    return {key(code) for code in members.get(key(s.upload.ma_xa), ())} - old


def _awaited(problem: Problem, s: _Sent, raw: Path, missing: set[str]) -> bool:
    """The error validation gives an old commune that is not in the record yet: what the
    upload waits for, not an error of it."""
    return problem.tep == f"{raw.name}/{s.target}" and any(
        problem.noi_dung.startswith(NO_SUCH_OLD.format(code))
        or problem.noi_dung.casefold().startswith(NO_SUCH_OLD.format(code).casefold())
        for code in missing
    )


# ---------------------------------------------------------------------------- into raw/


class NotAccepted(ValueError):
    """`accept` asked for an upload its check did not accept (a bug of the caller)."""


def accept(raw: Path, checked: Checked) -> Path:
    """Put an accepted upload in its place in `raw`, through the journal every write goes
    through (all or nothing, finished or undone at the next start): the file of the same
    commune in another format goes with it. Returns the file's path."""
    if checked.state != ACCEPTED or not checked.target:
        raise NotAccepted(f"{checked.upload.ten_tep}: {checked.state}")
    target = PurePosixPath(checked.target)
    if target.is_absolute() or ".." in target.parts or len(target.parts) != 2:
        raise NotAccepted(checked.target)
    folder, name = target.parts
    with write.Lock(raw):
        write.recover(raw)
        others = [
            f"{folder}/{p.name}"
            for p in (raw / folder).glob("*")
            if (raw / folder).is_dir()
            and p.name != name
            and p.stem.casefold() == target.stem.casefold()
            and formats.of(p.suffix) is not None
        ]
        write.expect(raw, [checked.target])
        try:
            staged = write.stage({folder: {name: checked.upload.data}}, raw)
            write.commit(staged, raw, others)
        except BaseException:
            write.recover(raw)
            raise
    return raw / folder / name


def rebuild(raw: Path, output: Path, ma_xa: str):
    """Build what an accepted upload changed: that new commune's products and its province's
    roll-up (`build.run` rebuilds only what the manifest says changed), serialized with every
    other run by the output's lock. Returns the run's `RunResult`."""
    from pipeline import build

    return build.run(raw, output, 1, read=_part)  # the workbooks the checks read, not again


# ---------------------------------------------------------------------------- a Word report


@dataclass(frozen=True)
class Named:
    """A commune a report's table may go to: its code and name, as the province declared them
    (or as its workbook in raw/ gives the name), and its kind (`OLD`, or `NEW` for the sender)."""

    code: str
    name: str
    kind: str


@dataclass
class WordTable:
    """An annex table of the report: its label ("Biểu 01"), kind, title, rows seen, the
    communes it may go to (by code: the new commune for a targets table, the old communes for
    a results table) and the one it goes to ("" until clear or chosen)."""

    label: str
    kind: str
    title: str
    seen: int
    choices: tuple[str, ...]
    commune: str = ""
    matched: bool = False  # the commune was found by its name in the table's title


@dataclass
class WordDraft:
    """A draft workbook made from the report for one commune, in memory: the commune, its file
    name (`<mã xã>.xlsx`), its bytes, the rows read and seen, which tables, and the rows the
    officer must decide (TT, indicator, why)."""

    commune: Named
    name: str
    data: bytes
    rows: int
    seen: int
    sources: str
    decide: list[tuple[str, str, str]]


@dataclass
class WordImport:
    """What the page makes of a report: its tables, the drafts (once every table has its
    commune), the import's notes (tables skipped) and the problems that stop it (one line
    each, naming the report)."""

    tables: list[WordTable]
    drafts: list[WordDraft]
    notes: list[str]
    problems: list[Problem]


def import_report(
    raw: Path,
    upload: Upload,
    new: Named,
    olds: list[Named],
    province: str,
    chosen: Mapping[int, str] | None = None,
) -> WordImport:
    """A report's annex tables read with `bieu nhap-word`'s import (the same guards, reading,
    codes suggested, prose and tallies) into draft workbooks made in memory: each results table
    to one of the old communes, the targets table to the new commune (`new`). A results table
    goes where `chosen` (the table's place in the report, from 1 → code) says, else where one old
    commune's name is in its title (or one holding the others': "Tân An" over "An"). Never
    writes anything; a refused report is one problem line."""
    from pipeline.intake import (
        IntakeError,
        _counted,
        _open_word,
        _parts,
        _shorter,
        draft,
        load_catalogue,
        next_number,
        read_forms,
        with_prose,
    )
    from pipeline.intake.form import workbook
    from pipeline.intake.word import read_document
    from pipeline.layout.form import Commune
    from pipeline.suggest import Suggester

    name = sent_name(upload)
    chosen = chosen or {}
    with tempfile.TemporaryDirectory(prefix="bieu-word-") as folder:
        path = Path(folder) / f"bao_cao{WORD}"
        path.write_bytes(upload.data)
        try:
            document = _open_word(path)
        except IntakeError as err:
            said = str(err).split(": ", 1)[-1]
            return WordImport([], [], [], [Problem(name, noi_dung=said)])
        reading = read_document(document)
    notes = [f"{name}: {note}" for note in reading.notes]
    if not reading.tables:
        return WordImport(
            [],
            [],
            notes,
            [
                Problem(
                    name,
                    noi_dung="không tìm thấy bảng chỉ tiêu nào (bảng có dòng tiêu đề với các cột "
                    '"TT", "Chỉ tiêu", "Đơn vị tính", …)',
                )
            ],
        )
    by_code = {c.code: c for c in (new, *olds)}
    tables = [_placed(t, new, olds, chosen.get(i, "")) for i, t in enumerate(reading.tables, 1)]
    problems = []
    for kind in (OLD, NEW):
        taken: dict[str, list[str]] = {}
        for t in tables:
            if t.kind == kind and t.commune:
                taken.setdefault(t.commune, []).append(t.label)
        for code, labels in taken.items():
            if len(labels) > 1:
                problems.append(
                    Problem(
                        name,
                        noi_dung=f"{', '.join(labels)} cùng được chọn cho xã "
                        f"{by_code[code].name or code}: mỗi xã nhận một biểu kết quả; chọn lại",
                    )
                )
    if problems or any(not t.commune for t in tables):
        return WordImport(tables, [], notes, problems)
    catalogue = load_catalogue(raw)
    suggester = Suggester.of(catalogue)
    forms = read_forms(raw)
    members = tuple((c.code, c.name) for c in olds)
    drafts = []
    for code in [c.code for c in (*olds, new) if any(t.commune == c.code for t in tables)]:
        commune = by_code[code]
        picked = [f for f, t in zip(reading.tables, tables, strict=True) if t.commune == code]
        listed = members if commune.kind == NEW else ()
        bieu = next_number(forms, code, province, commune.kind, listed)
        made = [draft(f, suggester, catalogue) for f in picked]
        for table, counts in zip(made, with_prose(document, picked), strict=True):
            table.printed = counts
        data = workbook(
            Commune(code, commune.name, province, commune.kind, listed, bieu), catalogue, made
        )
        counted = _counted(data, picked)
        short = [(f, n) for f, n in zip(picked, counted, strict=True) if n != f.seen]
        for f, n in short:
            said = _shorter(Path(name), f, n).split(": ", 1)[-1]
            problems.append(Problem(name, noi_dung=said))
        if short:
            continue
        decide = [
            (row.get(ResultRowsRead.tt, ""), row.get(ResultRowsRead.chi_tieu, ""), why)
            for table in made
            for row, why in zip(table.rows, table.decide, strict=True)
            if why
        ]
        drafts.append(
            WordDraft(
                commune,
                f"{slug(code)}.xlsx",
                data,
                sum(counted),
                sum(f.seen for f in picked),
                "; ".join(f"{f.label}, {_parts(f.parts)}" for f in picked),
                decide,
            )
        )
    return WordImport(tables, [] if problems else drafts, notes, problems)


def _placed(found, new: Named, olds: list[Named], chosen: str) -> WordTable:
    """A table of the report with the communes it may go to and the one it goes to: the new
    commune for a targets table; for a results table the old commune `chosen` names, else the
    only one whose name its title holds."""
    if found.kind == NEW:
        return WordTable(found.label, found.kind, found.title, found.seen, (new.code,), new.code)
    codes = tuple(c.code for c in olds)
    title = f"_{slug(found.title)}_"
    named = sorted(
        (f"_{slug(c.name)}_", c.code) for c in olds if c.name and f"_{slug(c.name)}_" in title
    )
    named.sort(key=lambda pair: len(pair[0]))
    table = WordTable(found.label, found.kind, found.title, found.seen, codes)
    if chosen in codes:
        table.commune = chosen
    elif named and all(words in named[-1][0] for words, _ in named):
        # one name, or one that holds the others ("Tân An" over "An"): clear
        table.commune, table.matched = named[-1][1], True
    return table


def draft_sheets(made: WordDraft) -> tuple:
    """A draft's sheets as the page draws them (Thông tin and its table), each row the import
    asks a person to decide coloured as a warning on its "Cần người quyết định" cell (which
    says why)."""
    from pipeline.cells import column_letter
    from pipeline.layout.form import DECIDE
    from pipeline.layout.marks import CellMark, marked_sheet
    from pipeline.load import KNOWN_SHEETS, read_cells
    from pipeline.problems import WARNING

    with tempfile.TemporaryDirectory(prefix="bieu-nhap-") as folder:
        path = Path(folder) / made.name
        path.write_bytes(made.data)
        grids = read_cells(path, KNOWN_SHEETS)
    drawn = []
    for name, opened in grids.items():
        if not hasattr(opened, "grid"):
            continue
        grid = opened.grid
        header = [clean(str(v)) for v in grid[0]] if grid else []
        marks = {}
        if DECIDE in header:
            col = header.index(DECIDE)
            for r, row in enumerate(grid[1:], start=1):
                said = clean(str(row[col])) if col < len(row) else ""
                if said:  # coloured; the cell itself says why
                    marks[(name, f"{column_letter(col)}{r + 1}")] = CellMark(WARNING)
        drawn.append(marked_sheet(name, grid, marks))
    return tuple(drawn)


def province_in(raw: Path, codes: list[str]) -> str:
    """The province as the first of these communes' workbooks in `raw` writes it in Thông tin
    ("" where none does)."""
    from pipeline.intake import _rows
    from pipeline.load import header_key, read_cells
    from pipeline.paths import display_path

    wanted = {key(code) for code in codes}
    at = list(INFO_SHEET.columns)
    for path in formats.workbooks(raw):
        if path.parent == raw or key(path.stem) not in wanted:
            continue
        try:
            grids = read_cells(path, {header_key(INFO_SHEET.name)})
        except Exception:  # a file the pipeline reports itself
            continue
        for row in _rows(grids, INFO_SHEET, display_path(path, raw)):
            if clean(row[at.index(InfoRead.tinh)]):
                return clean(row[at.index(InfoRead.tinh)])
    return ""


def unnamed(upload: Upload) -> WordImport:
    """What the page says of a report while the province has not given the names a draft
    needs (the new commune's, its province's, each old commune's)."""
    return WordImport(
        [],
        [],
        [],
        [
            Problem(
                sent_name(upload),
                noi_dung="chưa làm được bản nháp: tỉnh chưa khai tên xã mới, tỉnh hoặc tên các xã "
                "hợp thành; báo tỉnh khai (trang của tỉnh, mục Khai xã hợp thành) rồi mở lại trang "
                "này",
            )
        ],
    )

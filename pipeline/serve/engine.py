"""What the page calls to check, accept and build: the check core (`pipeline.intake.submit`,
issue 23's part "check") through a thin adapter, and the words of an upload's state.

Until the check core is in the tree, `_Stand_in` does the same through the existing stages
(a copy of raw/ with each upload in place, validated once), with no "Xã hợp thành" check and no
sheets drawn: enough for the page and its tests. It goes when the core lands."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

try:  # the check core, once it is in the tree
    from pipeline.intake import submit as _core
except ImportError:  # pragma: no cover - depends on which parts have landed
    _core = None

from schemas.vocabulary import ACCEPTED, ERRORS, WAITING  # noqa: F401 - engine.WAITING

# the page's own states: an upload sent and not answered yet, and an accepted one being built
CHECKING, BUILDING = "Đang kiểm tra", "Đang dựng"
WORKING = (CHECKING, BUILDING)


@dataclass(frozen=True)
class Upload:
    """One file as sent (the core's `Upload` where it is there)."""

    ma_xa: str
    ten_tep: str
    data: bytes


@dataclass(frozen=True)
class Checked:
    upload: Upload
    state: str
    problems: tuple
    sheets: tuple
    target: str


def make_upload(ma_xa: str, ten_tep: str, data: bytes):
    kind = _core.Upload if _core is not None else Upload
    return kind(ma_xa=ma_xa, ten_tep=ten_tep, data=data)


def check(raw: Path, uploads: list, members: Mapping[str, tuple[str, ...]]) -> list:
    if _core is not None:
        return _core.check(raw, uploads, members)
    return _stand_in_check(raw, uploads, members)


def accept(raw: Path, checked) -> Path:
    if _core is not None:
        return _core.accept(raw, checked)
    target = raw / checked.target
    temporary = target.with_name(f".{target.name}.tmp")
    with open(temporary, "wb") as out:
        out.write(checked.upload.data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, target)
    return target


def rebuild(raw: Path, output: Path, ma_xa: str):
    if _core is not None:
        return _core.rebuild(raw, output, ma_xa)
    from pipeline import build

    return build.run(raw, output, 1)


def table_css() -> str:
    """The CSS of the sheets' tables, made from `pipeline/layout/style.py` by the renderer
    (served as a file: the page's CSP allows no inline style)."""
    try:
        from pipeline.render import html
    except ImportError:  # pragma: no cover - the renderer comes with the check core
        return ""
    return html.CSS


def sheets_html(checked) -> str:
    """The upload's sheets as HTML tables, problem cells marked (the third renderer)."""
    if not checked.sheets:
        return ""
    from pipeline.render import html  # part "check"'s renderer: escaped HTML

    return "\n".join(html.table(sheet) for sheet in checked.sheets)


# ---------------------------------------------------------------------------- the stand-in


def _stand_in_check(raw: Path, uploads: list, members: Mapping[str, tuple[str, ...]]) -> list:
    from pipeline.formats import workbooks
    from pipeline.load import load_record
    from pipeline.prepare import prepare
    from pipeline.problems import Problem
    from pipeline.validate import validate

    existing = {PurePosixPath(p.relative_to(raw).as_posix()) for p in workbooks(raw)}
    targets: dict[int, str] = {}
    for index, upload in enumerate(uploads):
        mine = {upload.ma_xa, *members.get(upload.ma_xa, ())}
        wanted = PurePosixPath(upload.ten_tep.replace("\\", "/")).name
        for path in sorted(existing):
            if path.stem in mine and path.name == wanted:
                targets[index] = str(path)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / raw.name
        shutil.copytree(raw, copy)
        for index, target in targets.items():
            (copy / target).write_bytes(uploads[index].data)
        problems = validate(prepare(load_record(copy, 1)))  # a bug: the worker says so
    for index, upload in enumerate(uploads):
        target = targets.get(index, "")
        if not target:
            listed = ", ".join(members.get(upload.ma_xa, ()))
            found = (  # the core's words for a workbook not of the sender's
                Problem(
                    upload.ten_tep,
                    noi_dung=f'"{upload.ma_xa}" ({listed}): không nhận tệp của xã khác',
                ),
            )
            results.append(Checked(upload, ERRORS, found, (), ""))
            continue
        own = tuple(p for p in problems if p.tep == f"{raw.name}/{target}")
        bad = any(p.muc_do not in _NOT_ERRORS for p in own)
        results.append(Checked(upload, ERRORS if bad else ACCEPTED, own, (), target))
    return results


def _not_errors() -> tuple[str, ...]:
    from schemas.vocabulary import FINDING, WARNING

    return (WARNING, FINDING)


_NOT_ERRORS = _not_errors()

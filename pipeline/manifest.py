"""What the last good run built from what: `output/.manifest.json`.

Standard library only, so that a run with nothing changed can answer before pandas is imported.
Each product's fingerprint is the digest of the view it is made from (`pipeline/view.py`): a new
commune's outputs are rebuilt when the code changed, when anything its view holds changed
(whichever raw file it came from), or when one of its output files is missing; a province's
roll-up likewise. See docs/incremental.md.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pipeline.paths import MAX_FILE_BYTES, ROOT, display_path

NAME = ".manifest.json"
CODE_DIRS = ("pipeline", "schemas")


def file_hashes(paths: list[Path], root: Path, name=None) -> dict[str, str]:
    """Each file's content hash, by its name (`name(path)`, or its path under `root`). A file
    too large to be read as a workbook is known by its size and time instead (reading refuses
    it); a file that cannot be read, by that (reading names it)."""
    name = name or (lambda p: p.relative_to(root).as_posix())
    return {name(p): _content(p) for p in paths}


def _content(path: Path) -> str:
    try:
        facts = path.stat()
        if facts.st_size > MAX_FILE_BYTES:
            return f"quá lớn:{facts.st_size}:{facts.st_mtime_ns}"
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as err:
        return f"không đọc được:{err.errno}"


def fingerprint(hashes: dict[str, str]) -> str:
    """One hash over files' names and content hashes (a product's own fingerprint is the
    digest of its view: `view.digest`)."""
    h = hashlib.sha256()
    for name in sorted(hashes):
        h.update(f"{name}\0{hashes[name]}\0".encode())
    return h.hexdigest()


def code_digest() -> str:
    files = [p for d in CODE_DIRS for p in (ROOT / d).rglob("*.py")] + [ROOT / "pyproject.toml"]
    return fingerprint(file_hashes([p for p in files if p.exists()], ROOT))


def raw_hashes(raw: Path, walked: tuple[list[Path], list[tuple[str, str, bool]]]) -> dict[str, str]:
    """Every raw workbook's content hash, named as messages name it (`raw/son_la/x.xlsx`);
    and each entry the walk names without reading it (a broken link, a name that is not text,
    a template), with what is said of it: such an entry added or removed is a change too.
    `walked` is the walk of `raw` (`formats.walk`)."""
    files, notes = walked
    said = {name: f"không đọc: {why}" for name, why, _ in notes}
    return said | file_hashes(files, raw, lambda p: display_path(p, raw))


def read(output: Path) -> dict:
    try:
        return json.loads((output / NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def unchanged(old: dict, code: str, raw: dict[str, str], output: Path) -> bool:
    """True when the last good run (`old`) used this code and these raw files, and its outputs
    are all still there: nothing to do."""
    return (
        bool(old)
        and old.get("code") == code
        and old.get("raw") == fingerprint(raw)
        and all((output / name).is_file() for name in old.get("files", []))
    )


def build(
    code: str,
    raw: dict[str, str],
    communes: dict[str, str],
    files: list[str],
    rollups: dict[str, str] | None = None,
) -> dict:
    """The manifest to save after a good run: the code, all raw files (for the quick answer
    when nothing changed), each new commune's digest and each province roll-up's (by its path
    under `output/`): the digests of the views they are made from."""
    return {
        "code": code,
        "raw": fingerprint(raw),
        "communes": dict(sorted(communes.items())),
        "rollups": dict(sorted((rollups or {}).items())),
        "files": sorted(files),
    }


def keep(old: dict, new: dict, stopped: set[str], complete: bool) -> None:
    """Carry over what the last run recorded for new communes that this run could not build
    (their outputs stay as they were); after a run with errors, never skip the next one."""
    for code in stopped:
        if code in old.get("communes", {}):
            new["communes"][code] = old["communes"][code]
        new["files"] = sorted(
            set(new["files"]) | {f for f in old.get("files", []) if f.startswith(f"{code}/")}
        )
    if not complete:
        new["raw"] = None


def keep_rollups(old: dict, new: dict, names: set[str]) -> None:
    """Carry over what the last run recorded for the province roll-ups this run could not
    write (their files stay as they were)."""
    for name in names:
        if name in old.get("rollups", {}):
            new["rollups"][name] = old["rollups"][name]
        if name in old.get("files", []):
            new["files"] = sorted(set(new["files"]) | {name})


def stale_rollups(old: dict, new: dict, output: Path) -> list[str]:
    """The province roll-ups that must be rebuilt: what they show changed, or they are gone."""
    return [
        name
        for name, mark in new["rollups"].items()
        if old.get("code") != new["code"]
        or old.get("rollups", {}).get(name) != mark
        or not (output / name).is_file()
    ]


def stale(old: dict, new: dict, output: Path, produced: dict[str, list[str]]) -> set[str]:
    """The new communes whose outputs must be rebuilt."""
    if old.get("code") != new["code"]:
        return set(produced)
    return {
        code
        for code, names in produced.items()
        if old.get("communes", {}).get(code) != new["communes"].get(code)
        or not all((output / code / name).is_file() for name in names)
    }

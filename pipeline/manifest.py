"""What the last good run built from what: `output/.manifest.json`.

Standard library only, so that a run with nothing changed can answer before pandas is imported.
A new commune's outputs are rebuilt when the code, the catalogue, its own workbook or one of its
old communes' workbooks changed, or when one of its output files is missing.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from pipeline.paths import ROOT, WORKBOOK_SUFFIXES

NAME = ".manifest.json"
CODE_DIRS = ("pipeline", "schemas")


def digest(paths: list[Path], root: Path) -> str:
    """One hash over the names and contents of files."""
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def code_digest() -> str:
    files = [p for d in CODE_DIRS for p in (ROOT / d).rglob("*.py")] + [ROOT / "pyproject.toml"]
    return digest([p for p in files if p.exists()], ROOT)


def raw_files(raw: Path) -> list[Path]:
    return [
        p
        for p in raw.rglob("*")
        if p.is_file()
        and p.suffix.lower() in WORKBOOK_SUFFIXES
        and not p.name.startswith(("~$", "."))
    ]


def read(output: Path) -> dict:
    try:
        return json.loads((output / NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def unchanged(raw: Path, output: Path) -> bool:
    """True when the last good run used this code and these raw files, and its outputs are all
    still there: nothing to do."""
    manifest = read(output)
    if not manifest or manifest.get("code") != code_digest():
        return False
    if manifest.get("raw") != digest(raw_files(raw), raw):
        return False
    return all((output / name).is_file() for name in manifest.get("files", []))


def build(raw: Path, commune_inputs: dict[str, list[Path]], files: list[str]) -> dict:
    """The manifest to save after a good run: code, all raw files, each new commune's inputs."""
    return {
        "code": code_digest(),
        "raw": digest(raw_files(raw), raw),
        "communes": {code: digest(paths, raw) for code, paths in sorted(commune_inputs.items())},
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


def save(output: Path, manifest: dict) -> None:
    output.mkdir(parents=True, exist_ok=True)
    temp = output / f"{NAME}.tmp"
    temp.write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    os.replace(temp, output / NAME)

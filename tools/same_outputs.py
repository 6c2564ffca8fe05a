"""Prove a refactor changed no output: build the seed and a synthetic province with the code of a
git revision and with the working tree, and compare every file but the manifest byte for byte.

    python -m tools.same_outputs            # against HEAD
    python -m tools.same_outputs --base REV

Both builds run with this environment's Python; the revision is checked out with `git archive`
into a temporary folder. The synthetic province is generated once, by the revision's own
generator, and both builds read that same record. Exits 1 and names the files that differ.
"""

from __future__ import annotations

import argparse
import filecmp
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IGNORED = {".manifest.json"}


def checkout(rev: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def generate(code: Path, out: Path) -> Path:
    """The synthetic province (200 old communes → 75 new) with the generator of `code`."""
    module = "tools.synth" if (code / "tools" / "synth.py").exists() else "pipeline.synth"
    args = [sys.executable, "-m", module, "--size", "tinh", "--seed", "2025", "--out", str(out)]
    if module == "pipeline.synth":
        args = [sys.executable, "-m", "pipeline", "synth", *args[3:]]
    subprocess.run(args, cwd=code, check=True, stdout=subprocess.DEVNULL)
    return out


def build(code: Path, raw: Path, out: Path) -> None:
    args = [sys.executable, "-m", "pipeline", "annexes", "--raw", str(raw), "--output", str(out)]
    done = subprocess.run(args, cwd=code, capture_output=True, text=True)
    if done.returncode not in (0, 2):
        sys.exit(f"{code}: annexes failed ({done.returncode}):\n{done.stderr}")


def files(folder: Path) -> set[str]:
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.name not in IGNORED
    }


def differences(before: Path, after: Path) -> list[str]:
    a, b = files(before), files(after)
    out = [f"only before: {n}" for n in sorted(a - b)] + [f"only after: {n}" for n in sorted(b - a)]
    out += [
        f"differs: {n}"
        for n in sorted(a & b)
        if not filecmp.cmp(before / n, after / n, shallow=False)
    ]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="HEAD")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        temp = Path(name)
        base = checkout(args.base, temp / "base")
        province = generate(base, temp / "tinh")
        problems = []
        for label, raw in (("seed", ROOT / "raw"), ("province", province)):
            build(base, raw, temp / f"{label}-before")
            build(ROOT, raw, temp / f"{label}-after")
            found = differences(temp / f"{label}-before", temp / f"{label}-after")
            count = len(files(temp / f"{label}-after"))
            print(f"{label}: {count} files, {len(found)} differ")
            problems += [f"{label}: {line}" for line in found]
        for line in problems:
            print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

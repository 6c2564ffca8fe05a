"""Prove a refactor changed no output: build with the code of a git revision and with the working
tree, and compare every file but the manifest byte for byte. Built both ways:

- the seed's annexes, and a broken seed's (an error and two warnings: its marked copies);
- a synthetic province's annexes;
- the forms `mau` writes, one of each kind (before, after and kept);
- the draft `nhap-word` writes from a Word report of the seed's three tables (and of Biểu 01).

    python -m tools.same_outputs            # against HEAD
    python -m tools.same_outputs --base REV

Both builds run with this environment's Python; the revision is checked out with `git archive`
into a temporary folder. The synthetic province is generated once, by the revision's own
generator, and both builds read that same record. Exits 1 and names the files that differ.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
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


def bieu(code: Path, *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=code, capture_output=True)
    if done.returncode != 0:
        sys.exit(
            f"{code}: bieu {' '.join(args)} failed ({done.returncode}):\n{done.stderr.decode()}"
        )


def broken_seed(raw: Path) -> Path:
    """A copy of the seed broken as `make hinh` breaks it (its marked copies mark them)."""
    import openpyxl

    from tools.hinh import BROKEN

    for name, sheet, cell, value in BROKEN:
        book = openpyxl.load_workbook(raw / name)
        book[sheet][cell] = value
        book.save(raw / name)
    return raw


def reports(out: Path) -> dict[str, Path]:
    """Word reports of the seed's tables, as the Word import's tests build them."""
    from tests.intake.reports import results_report, whole_report

    out.mkdir(parents=True)
    return {
        "whole": whole_report(out / "bao_cao.docx"),
        "01": results_report(out / "bieu_01.docx", "01"),
    }


def forms(code: Path, raw: Path, word: dict[str, Path], out: Path) -> None:
    """Into a copy of the seed's raw/: one form of each kind and two Word drafts; `out` holds
    the files they added (under their paths in raw/)."""
    work = out.parent / f"{out.name}-raw"
    shutil.copytree(raw, work)
    place = ["--raw", str(work), "--tinh", "Sơn La"]
    bieu(code, "mau", *place, "--loai", "truoc", "--ma-xa", "xa_mot", "--ten", "Xã Một")
    bieu(code, "mau", *place, "--loai", "giu", "--ma-xa", "xa_hai", "--ten", "Xã Hai")
    bieu(
        code,
        "mau",
        *place,
        "--loai",
        "sau",
        "--ma-xa",
        "xa_ba",
        "--ten",
        "Xã Ba",
        "--xa-hop-thanh",
        "xa_mot",
    )
    bieu(
        code,
        "nhap-word",
        str(word["whole"]),
        *place,
        "--ma-xa",
        "ban_nhap",
        "--ten",
        "Mường Lầm",
        "--xa-hop-thanh",
        "dua_mon, muong_lam_cu",
        "--bieu",
        "03",
    )
    bieu(code, "nhap-word", str(word["01"]), *place, "--ma-xa", "nhap_01", "--ten", "Đứa Mòn")
    before = files(raw)
    for name in sorted(files(work) - before):
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(work / name, out / name)


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
        broken = broken_seed(shutil.copytree(ROOT / "raw", temp / "hong"))
        word = reports(temp / "word")
        problems = []
        for label, raw in (("seed", ROOT / "raw"), ("broken seed", broken), ("province", province)):
            build(base, raw, temp / f"{label}-before")
            build(ROOT, raw, temp / f"{label}-after")
            found = differences(temp / f"{label}-before", temp / f"{label}-after")
            count = len(files(temp / f"{label}-after"))
            print(f"{label}: {count} files, {len(found)} differ")
            problems += [f"{label}: {line}" for line in found]
        forms(base, ROOT / "raw", word, temp / "forms-before")
        forms(ROOT, ROOT / "raw", word, temp / "forms-after")
        found = differences(temp / "forms-before", temp / "forms-after")
        print(f"forms and drafts: {len(files(temp / 'forms-after'))} files, {len(found)} differ")
        problems += [f"forms: {line}" for line in found]
        for line in problems:
            print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

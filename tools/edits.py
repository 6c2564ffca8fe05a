"""`make soak` (with tools/soak.py): random edits to a small synthetic record, each followed by
an incremental run whose output must equal a fresh run's, byte for byte (all files but the
manifest).

    python -m tools.edits [--times 200] [--seed 1]

The record is the smallest synthetic one (`tools/synth.py --size thu`: two provinces, 12 old
communes into 5 new ones). Each edit is one an officer may make: a result, a target, a rating, a
province's spelling, a commune's name, its area or population, a year's result, an old commune
moved to another province's folder, a commune added or removed, a file renamed, an indicator's
name in the catalogue. An edit the run refuses (errors) is undone, and the run after the undo is
the one compared. Exits 1 and names every edit after which the outputs differ.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl

from pipeline import build
from schemas.catalogue import FILE_STEM
from tools import synth

INFO, RESULTS, TARGETS, MEMBERS, YEARLY = (
    "Thông tin",
    "Chỉ tiêu",
    "Mục tiêu",
    "Xã hợp thành",
    "Kết quả hằng năm",
)
OLD, NEW = "Trước sắp xếp", "Sau sắp xếp"
IGNORED = {".manifest.json"}


def books(raw: Path, kind: str | None = None) -> list[Path]:
    """The record's commune workbooks (of one kind: old or new), sorted."""
    found = sorted(p for p in raw.glob("*/*.xlsx"))
    return [p for p in found if kind is None or cell(p, INFO, "D2") == kind]


def cell(path: Path, sheet: str, at: str) -> str:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return str(book[sheet][at].value or "")
    finally:
        book.close()


def typed(path: Path, changes: Callable[[openpyxl.Workbook], None]) -> None:
    """Open a workbook, make the changes, save it (every value typed as text)."""
    book = openpyxl.load_workbook(path)
    changes(book)
    for sheet in book:
        for row in sheet.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    c.data_type = "s"
    book.save(path)


def put(path: Path, sheet: str, at: str, value: str) -> None:
    typed(path, lambda book: book[sheet].__setitem__(at, value or None))


def data_rows(path: Path, sheet: str, code_column: str) -> list[int]:
    """The rows of an indicator (those with a code in `code_column`)."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = book[sheet].iter_rows(min_row=2, values_only=True)
        index = ord(code_column) - ord("A")
        return [i for i, row in enumerate(rows, start=2) if len(row) > index and row[index]]
    finally:
        book.close()


def other(rng: random.Random, now: str, choices: list[str]) -> str:
    """One of the choices that is not what the cell holds now."""
    return rng.choice([c for c in dict.fromkeys(choices) if c != now] or [f"{now} (sửa)"])


def number(rng: random.Random) -> str:
    return synth.format_vi(round(rng.uniform(0, 120), rng.choice((0, 1, 2))), 2)


def members(path: Path) -> list[tuple[str, str]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = book[MEMBERS].iter_rows(min_row=2, values_only=True)
        return [(str(r[0]), str(r[1] or "")) for r in rows if r and r[0]]
    finally:
        book.close()


def set_members(path: Path, listed: list[tuple[str, str]]) -> None:
    def change(book: openpyxl.Workbook) -> None:
        sheet = book[MEMBERS]
        sheet.delete_rows(2, sheet.max_row)
        for code, name in listed:
            sheet.append([code, name])

    typed(path, change)


def new_of(raw: Path, code: str) -> Path | None:
    """The new commune whose "Xã hợp thành" lists this old commune."""
    return next((p for p in books(raw, NEW) if code in dict(members(p))), None)


def renumber(raw: Path, new: Path) -> None:
    """Number a new commune's Biểu as officers do: its old communes 01, 02, … in the order of
    its "Xã hợp thành" sheet, the new commune the next number."""
    order = [code for code, _ in members(new)]
    for book in books(raw, OLD):
        code = cell(book, INFO, "A2")
        if code in order:
            put(book, INFO, "E2", f"{order.index(code) + 1:02d}")
    put(new, INFO, "E2", f"{len(order) + 1:02d}")


# each edit: (raw, rng) -> what it did, or None where it does not apply to the record as it is


def result(raw: Path, rng: random.Random) -> str | None:
    book = rng.choice(books(raw, OLD))
    row = rng.choice(data_rows(book, RESULTS, "G"))
    value = other(rng, cell(book, RESULTS, f"E{row}"), [number(rng), ""])
    put(book, RESULTS, f"E{row}", value)
    return f"{book.name} › E{row} = {value!r}"


def target(raw: Path, rng: random.Random) -> str | None:
    if rng.random() < 0.5:
        book = rng.choice(books(raw, OLD))
        at = f"D{rng.choice(data_rows(book, RESULTS, 'G'))}"
        put(book, RESULTS, at, number(rng))
    else:
        book = rng.choice(books(raw, NEW))
        at = f"D{rng.choice(data_rows(book, TARGETS, 'F'))}"
        put(book, TARGETS, at, number(rng))
    return f"{book.name} › {at}"


def rating(raw: Path, rng: random.Random) -> str | None:
    book = rng.choice(books(raw, OLD))
    row = rng.choice(data_rows(book, RESULTS, "G"))
    value = other(rng, cell(book, RESULTS, f"F{row}"), ["Vượt", "Đạt", "K đạt", "Không đạt", ""])
    put(book, RESULTS, f"F{row}", value)
    return f"{book.name} › F{row} = {value!r}"


def spelling(raw: Path, rng: random.Random) -> str | None:
    book = rng.choice(books(raw))
    province = cell(book, INFO, "B2")
    value = other(rng, province, [province.upper(), province.lower(), province.title()])
    put(book, INFO, "B2", value)
    return f"{book.name} › B2 = {value!r}"


def name(raw: Path, rng: random.Random) -> str | None:
    book = rng.choice(books(raw))
    value = other(
        rng, cell(book, INFO, "C2"), [f"{a} {b}" for a in synth.FIRST[:3] for b in synth.SECOND[:3]]
    )
    put(book, INFO, "C2", value)
    new = new_of(raw, cell(book, INFO, "A2"))
    if new is not None:  # its name in its new commune's "Xã hợp thành" too
        code = cell(book, INFO, "A2")
        set_members(new, [(c, value if c == code else n) for c, n in members(new)])
    return f"{book.name} › C2 = {value!r}"


def weight(raw: Path, rng: random.Random) -> str | None:
    book = rng.choice(books(raw))
    at = rng.choice(["H2", "I2"])
    value = other(rng, cell(book, INFO, at), [synth.format_vi(rng.randint(10, 20000), 0)])
    put(book, INFO, at, value)
    return f"{book.name} › {at} = {value!r}"


def yearly(raw: Path, rng: random.Random) -> str | None:
    tracked = [p for p in books(raw, NEW) if YEARLY in openpyxl.load_workbook(p).sheetnames]
    if not tracked:
        return None
    book = rng.choice(tracked)
    at = f"{rng.choice('DE')}{rng.choice(data_rows(book, YEARLY, 'B'))}"
    value = other(rng, cell(book, YEARLY, at), [number(rng), ""])
    put(book, YEARLY, at, value)
    return f"{book.name} › {at} = {value!r}"


def move(raw: Path, rng: random.Random) -> str | None:
    """An old commune's workbook moved to another province's folder (a new one at times), its
    province cell changed to that province's or left as it was."""
    book = rng.choice(books(raw, OLD))
    folders = sorted({p.parent for p in books(raw)} - {book.parent})
    if not folders or rng.random() < 0.2:
        folders = [raw / "tinh_moi_them"]
    folder = rng.choice(folders)
    there = books(folder) if folder.exists() else []
    province = cell(there[0], INFO, "B2") if there else "Tỉnh Mới Thêm"
    folder.mkdir(exist_ok=True)
    moved = folder / book.name
    shutil.move(book, moved)
    if rng.random() < 0.7:
        put(moved, INFO, "B2", province)
    return f"{book.parent.name}/{book.name} → {folder.name}/"


def add_old(raw: Path, rng: random.Random) -> str | None:
    """A copy of an old commune under a new code, listed in a new commune's members."""
    source = rng.choice(books(raw, OLD))
    new = rng.choice(books(raw, NEW))
    code = f"{source.stem}_t{rng.randint(0, 999):03d}"
    if (source.parent / f"{code}.xlsx").exists():
        return None
    copy = source.parent / f"{code}.xlsx"
    shutil.copy(source, copy)
    put(copy, INFO, "A2", code)
    set_members(new, [*members(new), (code, cell(copy, INFO, "C2"))])
    renumber(raw, new)
    return f"{copy.name} added to {new.name}"


def take_member(raw: Path, rng: random.Random) -> tuple[Path, list, tuple] | None:
    """A new commune of several old ones, the members it keeps, and the one taken from it."""
    several = [p for p in books(raw, NEW) if len(members(p)) > 1]
    if not several:
        return None
    new = rng.choice(several)
    listed = members(new)
    return new, listed, listed.pop(rng.randrange(len(listed)))


def remove_old(raw: Path, rng: random.Random) -> str | None:
    taken = take_member(raw, rng)
    if taken is None:
        return None
    new, listed, gone = taken
    set_members(new, listed)
    removed = [p for p in books(raw, OLD) if cell(p, INFO, "A2") == gone[0]]
    for p in removed:
        p.unlink()
    renumber(raw, new)
    return f"{gone[0]} removed from {new.name}"


def add_new(raw: Path, rng: random.Random) -> str | None:
    """One old commune taken from a new commune of several into a new commune of its own."""
    found = take_member(raw, rng)
    if found is None:
        return None
    source, listed, taken = found
    code = f"{source.stem}_n{rng.randint(0, 999):03d}"
    copy = source.parent / f"{code}.xlsx"
    if copy.exists():
        return None
    shutil.copy(source, copy)
    set_members(source, listed)
    put(copy, INFO, "A2", code)
    set_members(copy, [taken])
    renumber(raw, source)
    renumber(raw, copy)
    return f"{copy.name} formed from {taken[0]}"


def remove_new(raw: Path, rng: random.Random) -> str | None:
    new = books(raw, NEW)
    if len(new) < 3:
        return None
    gone = rng.choice(new)
    codes = dict(members(gone))
    for p in books(raw, OLD):
        if cell(p, INFO, "A2") in codes:
            p.unlink()
    gone.unlink()
    return f"{gone.name} and its old communes removed"


def rename(raw: Path, rng: random.Random) -> str | None:
    book = rng.choice(books(raw))
    renamed = book.with_name(f"{book.stem}_ban_sua.xlsx")
    if renamed.exists():
        return None
    book.rename(renamed)
    return f"{book.name} → {renamed.name}"


def catalogue(raw: Path, rng: random.Random) -> str | None:
    path = raw / f"{FILE_STEM}.xlsx"
    rows = data_rows(path, "Chỉ tiêu", "A")
    row = rng.choice(rows)
    label = cell(path, "Chỉ tiêu", f"B{row}")
    value = label.removesuffix(" (sửa)") if label.endswith(" (sửa)") else f"{label} (sửa)"
    put(path, "Chỉ tiêu", f"B{row}", value)
    return f"danh mục › B{row} = {value!r}"


EDITS: dict[str, Callable[[Path, random.Random], str | None]] = {
    f.__name__: f
    for f in (
        result,
        target,
        rating,
        spelling,
        name,
        weight,
        yearly,
        move,
        add_old,
        remove_old,
        add_new,
        remove_new,
        rename,
        catalogue,
    )
}


def outputs(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in IGNORED
    }


def differences(incremental: Path, fresh: Path) -> list[str]:
    a, b = outputs(incremental), outputs(fresh)
    return [
        f"{'only incremental' if n not in b else 'only fresh' if n not in a else 'differs'}: {n}"
        for n in sorted(set(a) | set(b))
        if a.get(n) != b.get(n)
    ]


def compare(raw: Path, out: Path, scratch: Path) -> list[str]:
    """Run incrementally into `out` and afresh into a scratch folder; what differs."""
    build.run(raw, out)
    fresh = scratch / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    build.run(raw, fresh)
    return differences(out, fresh)


def soak(
    times: int, seed: int, folder: Path, kinds: list[str] | None = None, say=print
) -> list[str]:
    """`times` random edits (or each of `kinds` once, in a random order), each followed by an
    incremental run compared with a fresh one; the failures, one line each."""
    rng = random.Random(seed)
    raw, out, before = folder / "raw", folder / "out", folder / "before"
    synth.write("thu", seed, raw)
    build.run(raw, out)
    plan = (
        rng.sample(kinds, len(kinds)) if kinds else [rng.choice(list(EDITS)) for _ in range(times)]
    )
    failures: list[str] = []
    for number_, kind in enumerate(plan, start=1):
        shutil.rmtree(before, ignore_errors=True)
        shutil.copytree(raw, before)
        did = EDITS[kind](raw, rng)
        if did is None:
            say(f"{number_}: {kind}: does not apply")
            continue
        if build.run(raw, out).errors:  # refused: undone, and the run after the undo compared
            shutil.rmtree(raw)
            shutil.copytree(before, raw)
            did += " (refused, undone)"
        found = compare(raw, out, folder)
        failures += [f"{number_}: {kind}: {did}: {line}" for line in found]
        say(f"{number_}: {kind}: {did}: {'DIFFERS' if found else 'equals a fresh run'}")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as name:
        failures = soak(args.times, args.seed, Path(name), say=lambda s: print(s, flush=True))
    for line in failures:
        print(line)
    print(
        f"{args.times} edits, {len(failures)} differences from a fresh run, "
        f"{time.perf_counter() - start:.0f} s"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""One vocabulary of severity, shown alike everywhere: lỗi, cảnh báo and phát hiện
(`schemas/vocabulary.SEVERITIES`) in the terminal's lines and counts, the annex's Kiểm tra,
`kiem_tra.csv` and the marked copies, each problem at the same level in each of them."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pandas as pd

from pipeline import cli
from pipeline.layout.marks import LEVEL_WORD, LIST_SHEET
from pipeline.layout.style import SEVERITY
from pipeline.products import MARKED, WORKBOOK
from schemas.vocabulary import ERROR, FINDING, SEVERITIES, WARNING
from tests.conftest import edit
from tools import hinh

TAG = re.compile(r"^\[(" + "|".join(map(re.escape, SEVERITIES)) + r")\] ")


def printed(lines: list[str]) -> set[tuple]:
    """The problems the terminal printed: (level, file, sheet, cell, text); an error's line has
    no tag."""
    found = set()
    for line in lines:
        tag = TAG.match(line)
        rest = line[tag.end() :] if tag else line
        if not rest.startswith("raw/"):
            continue  # the run's own lines: the marked copies, what was not written
        where, text = rest.split(": ", 1)
        parts = [*where.split(" › "), "", ""][:3]
        found.add((tag[1] if tag else ERROR, *parts, text))
    return found


def marked(output: Path) -> tuple[set[tuple], dict[str, set[str]]]:
    """The problems the marked copies list (level, file, sheet, cell, text), each cell's note
    checked against its level; and the fills each level has, in the lists and on the cells."""
    found, fills = set(), {}
    for path in sorted((output / MARKED).rglob("*.xlsx")):
        book = openpyxl.load_workbook(path)
        tep = "raw/" + path.relative_to(output / MARKED).as_posix()
        for row in book[LIST_SHEET].iter_rows(min_row=5):
            level, sheet, cell, text = (c.value or "" for c in row[1:5])
            found.add((level, tep, sheet, cell, text))
            fills.setdefault(level, set()).add(row[1].fill.fgColor.rgb[-6:])
            if sheet and cell:
                mark = book[sheet][cell]
                assert f"{LEVEL_WORD[level]}: {text}" in mark.comment.text.splitlines()
                fills[level].add(mark.fill.fgColor.rgb[-6:])
    return found, fills


def counts(line: str) -> dict[str, int]:
    """The count of each severity a summary line gives."""
    return {word: int(n) for n, word in re.findall(rf"(\d+) ({'|'.join(SEVERITIES)})\b", line)}


def test_the_seed_says_each_problem_at_one_level_everywhere(seed_raw_dir, tmp_path, capsys):
    output = tmp_path / "output"
    assert cli.main(["annexes", "--raw", str(seed_raw_dir), "--output", str(output)]) == 0
    captured = capsys.readouterr()
    terminal = printed(captured.err.splitlines())
    assert {p[0] for p in terminal} == {WARNING}  # the seed's one warning, E31

    csv = pd.read_csv(output / "muong_lam" / "kiem_tra.csv", dtype=str, keep_default_na=False)
    check = openpyxl.load_workbook(output / "muong_lam" / WORKBOOK)["Kiểm tra"]
    rows = list(check.iter_rows(min_row=4))
    # Kiểm tra shows kiem_tra.csv's lines, each at its level, in its level's fill
    assert [r[0].value for r in rows] == csv["muc_do"].tolist()
    assert csv["muc_do"].value_counts().to_dict() == {FINDING: 27, WARNING: 1}
    check_fills = {r[0].value: r[0].fill.fgColor.rgb[-6:] for r in rows}
    assert check_fills == {level: SEVERITY[level][1:] for level in (WARNING, FINDING)}
    # the warnings kiem_tra.csv lists are those the terminal printed, at the same level
    listed = {
        (r.muc_do, r.tep, r.sheet, r.o, r.noi_dung) for r in csv.itertuples() if r.muc_do != FINDING
    }
    assert listed == terminal
    # and the marked copy lists them at that level, in that level's fill, its word in the note
    in_copies, fills = marked(output)
    assert in_copies == terminal
    assert fills == {WARNING: {check_fills[WARNING]}}
    # the summary lines count each severity as the outputs show them
    first, last = captured.out.splitlines()
    assert counts(first) == {ERROR: 0, WARNING: 1}
    assert counts(last) == {ERROR: 0, WARNING: 1, FINDING: 27}


def test_a_broken_seed_says_each_problem_at_one_level_everywhere(seed_raw_dir, tmp_path, capsys):
    """Errors block the one new commune: the terminal and the marked copies say the levels."""
    for name, sheet, cell, value in hinh.BROKEN:
        edit(seed_raw_dir / name, sheet, cell, value)
    output = tmp_path / "output"
    assert cli.main(["annexes", "--raw", str(seed_raw_dir), "--output", str(output)]) == 2
    captured = capsys.readouterr()
    terminal = printed(captured.err.splitlines())
    levels = [p[0] for p in terminal]
    assert set(levels) == {ERROR, WARNING}
    in_copies, fills = marked(output)
    assert in_copies == terminal
    assert fills == {level: {SEVERITY[level][1:]} for level in (ERROR, WARNING)}
    (first,) = captured.out.splitlines()
    assert counts(first) == {ERROR: levels.count(ERROR), WARNING: levels.count(WARNING)}
    assert not list(output.glob("*/kiem_tra.csv"))

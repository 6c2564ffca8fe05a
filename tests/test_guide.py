"""HUONG_DAN.md, the officers' guide: it shows every picture `make hinh` draws, names every
product and command, its links lead somewhere, and the lines it quotes are the program's own."""

from __future__ import annotations

import re
import unicodedata

from pipeline import cli, products
from pipeline.layout.rollup import FOLDER
from pipeline.paths import ROOT
from tests.conftest import edit
from tests.test_console import commands
from tools import hinh

GUIDE = (ROOT / "HUONG_DAN.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")
PICTURES = ROOT / "docs" / "hinh"


def anchor(heading: str) -> str:
    """The anchor a Markdown heading gets on GitHub: lower case, punctuation dropped, spaces
    as hyphens, letters with their diacritics kept."""
    kept = "".join(
        c for c in heading.lower() if c in " -_" or unicodedata.category(c)[0] in ("L", "N", "M")
    )
    return kept.replace(" ", "-")


def anchors(text: str) -> set[str]:
    return {anchor(h) for h in re.findall(r"^#+ (.+)$", text, re.MULTILINE)}


def test_the_readme_sends_officers_to_the_guide_at_its_top():
    assert "[HUONG_DAN.md](HUONG_DAN.md)" in "\n".join(README.splitlines()[:5])


def test_the_guide_shows_every_picture_and_only_pictures_that_exist():
    shown = re.findall(r"!\[[^\]]*\]\(docs/hinh/([^)]+)\)", GUIDE)
    assert len(shown) == len(set(shown))
    assert sorted(shown) == sorted(p.name for p in PICTURES.glob("*.png"))


def test_the_guide_names_every_product_and_command():
    named = [*products.FILES, f"{FOLDER}\\", f"{products.MARKED}\\", ".manifest.json"]
    assert [name for name in named if name not in GUIDE] == []
    assert [c for c in commands() if f"bieu {c}" not in GUIDE] == []
    assert "bieu --version" in GUIDE and "bieu --help" in GUIDE


def test_every_link_of_the_guide_leads_somewhere():
    for target in re.findall(r"\]\((#[^)]+)\)", GUIDE):
        assert target[1:] in anchors(GUIDE), target
    for page, target in re.findall(r"\]\(((?:README|docs/\w+)\.md)#([^)]+)\)", GUIDE):
        assert target in anchors((ROOT / page).read_text(encoding="utf-8")), (page, target)


def test_every_link_of_the_maintainers_docs_leads_somewhere():
    """The README is the map and docs/ the reference: every relative link between them lands on
    a file that exists and, where it names one, a heading of that file."""
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        for target, _, fragment in re.findall(r"\]\(([^)#:]+\.md)(#([^)]+))?\)", text):
            linked = (page.parent / target).resolve()
            assert linked.is_file(), (page.name, target)
            if fragment:
                assert fragment in anchors(linked.read_text(encoding="utf-8")), (page, fragment)


def test_the_readme_is_a_map_of_at_most_200_lines_leading_with_the_two_commands():
    lines = README.splitlines()
    assert len(lines) <= 200
    commands = [line.split("#")[0].strip() for line in lines if line.startswith("make ")]
    assert commands[:2] == ["make annexes", "make test"]


def test_the_lines_the_guide_quotes_are_the_programs_own(seed_raw_dir, tmp_path, capsys):
    run = ["annexes", "--raw", str(seed_raw_dir), "--output", str(tmp_path / "output")]
    assert cli.main(run) == 0
    first = capsys.readouterr().out.splitlines()[0]
    for name, sheet, cell, value in hinh.BROKEN:  # the broken seed of the marked copies' pictures
        edit(seed_raw_dir / name, sheet, cell, value)
    assert cli.main(run) == 2
    lines = capsys.readouterr().err.splitlines()
    quoted = [first, lines[0], *lines[-2:]]
    assert [line for line in quoted if line not in GUIDE] == []


def test_anchors_are_made_as_github_makes_them():
    assert anchor("1. Cài đặt (làm một lần)") == "1-cài-đặt-làm-một-lần"
    assert anchor("The record: `raw/`") == "the-record-raw"

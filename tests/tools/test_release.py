"""`make release`: the package for the province's IT holds what HUONG_DAN.md's section 1 says
it holds, its install scripts run the guide's own commands, and the guide prints to PDF with
every picture."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from pipeline.paths import RAW, ROOT
from tools import release

GUIDE = (ROOT / "HUONG_DAN.md").read_text(encoding="utf-8")
DAY = datetime.date(2026, 12, 4)
NUMBER = release.version()
WHEEL = release.wheel_name(NUMBER)


def section(number: int) -> str:
    start = GUIDE.index(f"\n## {number}. ")
    return GUIDE[start : GUIDE.index("\n## ", start + 1)]


def listed_in_the_guide() -> list[str]:
    """The files of section 1's table, as `/`-paths: `| \\`du_lieu_mau\\raw\\\\` | … |`."""
    return [n.replace("\\", "/") for n in re.findall(r"^\| `([^`]+)` \|", section(1), re.M)]


@pytest.fixture
def package(tmp_path) -> Path:
    """The package's folder, with a stand-in wheel and PDF (the real ones are CI's, and the
    printing test's below)."""
    wheel = tmp_path / "dist" / WHEEL
    wheel.parent.mkdir()
    wheel.write_bytes(b"a wheel")
    folder = tmp_path / "goi"
    release.assemble(folder, wheel, lambda path: path.write_bytes(b"%PDF-1.4"), DAY)
    return folder


def test_the_package_holds_what_the_guide_and_doc_truoc_say_it_holds(package):
    files = sorted(p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file())
    named = list(release.contents(NUMBER))
    assert listed_in_the_guide() == [release.README, *named]
    assert WHEEL in named
    expected = {release.README, *(n for n in named if not n.endswith("/"))}
    assert {f for f in files if "/" not in f} == expected
    sample = sorted(p.relative_to(RAW).as_posix() for p in RAW.rglob("*") if p.is_file())
    assert [f.removeprefix("du_lieu_mau/raw/") for f in files if "/" in f] == sample
    assert (package / "danh_muc_chi_tieu.xlsx").read_bytes() == (
        RAW / "danh_muc_chi_tieu.xlsx"
    ).read_bytes()
    first = (package / "DOC_TRUOC.txt").read_bytes()
    assert first.startswith("\ufeff".encode()) and b"\r\n" in first  # Notepad reads it
    text = first.decode("utf-8-sig")
    assert [n for n in named if release.windows_path(n) not in text] == []
    assert f"Phiên bản {NUMBER}, đóng gói ngày 04/12/2026." in text


def test_the_windows_script_runs_the_guides_commands_in_order(package):
    script = (package / "cai_dat.bat").read_bytes()
    assert script.count(b"\r\n") == script.count(b"\n")  # cmd wants CRLF
    lines = script.decode("utf-8").splitlines()
    # cmd reads the file in the console's code page until chcp switches it to UTF-8
    assert lines[1] == "chcp 65001 >nul" and all(line.isascii() for line in lines[:2])
    typed = [line.removesuffix(" || goto loi") for line in lines if line.startswith("py ")]
    block = re.search(r"```\n((?:\s*py .+\n)+)\s*```", section(1))
    assert block is not None
    in_the_guide = [line.strip() for line in block[1].splitlines()]
    assert typed == [line for line in in_the_guide if line != "py --version"]
    assert typed[-1] == f"py -m pipx install --force {WHEEL}"


def test_the_unix_script_installs_the_wheel_of_the_package(package):
    script = package / "cai_dat.sh"
    assert script.stat().st_mode & 0o111
    text = script.read_text(encoding="utf-8")
    assert f"-m pip install --quiet --disable-pip-version-check {WHEEL}\n" in text
    assert "sh cai_dat.sh" in section(1)
    assert subprocess.run(["sh", "-n", str(script)]).returncode == 0


def test_the_zip_holds_the_folder_as_bieu_chi_tieu_and_is_the_same_each_time(package, tmp_path):
    first, second = tmp_path / "1.zip", tmp_path / "2.zip"
    release.zip_folder(package, first, DAY)
    release.zip_folder(package, second, DAY)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        assert archive.getinfo("bieu-chi-tieu/cai_dat.sh").external_attr >> 16 & 0o111
    inside = sorted(p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file())
    assert names == [f"bieu-chi-tieu/{name}" for name in inside]
    assert "D:\\bieu-chi-tieu" in section(1)


def test_the_guides_page_shows_every_picture_and_keeps_code_blocks_inside_lists():
    page = release.guide_html(GUIDE, ROOT / "docs" / "hinh", NUMBER, DAY)
    shown = re.findall(r'<img width="100%" src="file://([^"]+)"', page)
    assert len(shown) == len(re.findall(r"!\[", GUIDE)) > 30
    assert all(Path(path).is_file() for path in shown)
    assert 'href="docs/' not in page and 'href="README' not in page
    # the Windows commands sit inside a numbered list: still one block, a line each
    assert "<pre><code>py --version\npy -m pip install --user pipx\n" in page
    assert f"Bản in kèm phiên bản {NUMBER}, ngày 04/12/2026." in page


@pytest.mark.libreoffice
@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice or poppler-utils is not installed",
)
def test_the_guide_prints_to_pdf_with_every_picture_and_heading(tmp_path):
    pdf = tmp_path / "HUONG_DAN.pdf"
    release.render_pdf(release.guide_html(GUIDE, ROOT / "docs" / "hinh", NUMBER, DAY), pdf)
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True)
    assert len(images.stdout.splitlines()[2:]) == len(re.findall(r"!\[", GUIDE))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    headings = [h.replace("`", "") for h in re.findall(r"^#+ (.+)$", GUIDE, re.M)]
    assert [h for h in headings if h not in flat] == []
    assert "py -m pipx install --force " + WHEEL in text

"""Pictures of every printed product, for HUONG_DAN.md: `make hinh`.

Builds the seed into a temporary folder, a copy of the seed with one broken cell and one
number left ambiguous (so that there are marked copies to show), and a copy in which the new
commune typed results year by year (the test record of `tests/yearly.py`, whose figures are
worked by hand there: so that there is a tracking workbook to show), converts every workbook and
document the runs wrote to PDF with LibreOffice, and each page to a PNG with pdftoppm, into
`docs/hinh/`. A product that lands later (any `.xlsx` or `.docx` the run writes) gets its
pictures without a change here; pictures of products that are gone are removed.

Then the intake server's pages as an officer meets them (`tests/browser/harness.py`'s walk:
log in, send a workbook with a bad cell, send it corrected, the annexes built, the province's
page; and a new commune's workbook waiting for an old commune's), each a picture of the whole
page in Debian's headless Chromium: `phuc_vu-<page>.png`.

    python -m tools.hinh [--out docs/hinh] [--dpi 80] [--chi san-pham|trang]

A product's picture is named after the file's path under `output/`, `/` as `_`, and its page:
`muong_lam_bieu_chi_tieu-1.png`. Each of the two kinds is drawn only where its tools are
installed (LibreOffice and poppler-utils; chromium and chromium-driver), and the command says
which it left as they were.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl

from pipeline import build
from pipeline.paths import RAW, ROOT
from pipeline.products import MARKED

OUT = ROOT / "docs" / "hinh"
PAGES = "phuc_vu"  # the pictures of the intake server's pages: phuc_vu-<page>.png
PRODUCTS, PAGES_ONLY = "san-pham", "trang"  # --chi: only the products' or the pages' pictures
TRACKING = "theo_doi_2030"  # the tracking workbook, pictured from the run with yearly results
PRINTED = (".xlsx", ".xlsm", ".docx")
# the seed, broken the way an officer might break it: a word for a number (an error), and the
# row that settles an ambiguous number left empty (two warnings)
BROKEN = [
    ("son_la/dua_mon.xlsx", "Chỉ tiêu", "E7", "mười"),
    ("son_la/muong_lam_cu.xlsx", "Chỉ tiêu", "H7", None),
]


def tools_missing() -> list[str]:
    return [tool for tool in ("soffice", "pdftoppm") if shutil.which(tool) is None]


def products(temp: Path) -> dict[str, Path]:
    """Every printed product of the seed's run, the marked copies of the broken seed's, and
    the tracking workbooks of the seed's with results year by year, by picture name."""
    from tests.yearly import with_results

    clean, broken = temp / "sach" / "output", temp / "hong" / "output"
    tracked = temp / "theo_doi" / "output"
    build.run(RAW, clean)
    raw = temp / "hong" / "raw"
    shutil.copytree(RAW, raw)
    for name, sheet, cell, value in BROKEN:
        book = openpyxl.load_workbook(raw / name)
        book[sheet][cell] = value
        book.save(raw / name)
    build.run(raw, broken)
    build.run(with_results(shutil.copytree(RAW, temp / "theo_doi" / "raw")), tracked)
    # the marked copies pictured are the broken seed's (the clean seed marks its one warning too)
    found = [(clean, p) for p in clean.rglob("*") if p.relative_to(clean).parts[0] != MARKED]
    found += [(broken, p) for p in (broken / "ban_danh_dau").rglob("*")]
    found += [(tracked, p) for p in tracked.rglob(f"{TRACKING}.xlsx")]
    return {
        "_".join(p.relative_to(out).with_suffix("").parts): p
        for out, p in sorted(found)
        if p.is_file() and p.suffix in PRINTED
    }


def pictures(files: dict[str, Path], out: Path, temp: Path, dpi: int) -> list[Path]:
    """Each file's pages as `out/<name>-<page>.png`; returns them in order."""
    flat = temp / "pdf"
    flat.mkdir()
    for name, path in files.items():
        shutil.copy(path, flat / f"{name}{path.suffix}")
    profile = (temp / "libreoffice").as_uri()  # its own profile: another LibreOffice may run
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
        + ["--outdir", str(flat)]
        + [str(flat / f"{name}{path.suffix}") for name, path in files.items()],
        check=True,
        capture_output=True,
        timeout=600,
    )
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for name in files:
        pages = temp / "pages" / name
        pages.mkdir(parents=True)
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), str(flat / f"{name}.pdf"), str(pages / "p")],
            check=True,
            capture_output=True,
        )
        # pdftoppm numbers pages p-1.png, or p-01.png when there are ten or more
        for number, page in enumerate(sorted(pages.glob("p-*.png")), start=1):
            made.append(out / f"{name}-{number}.png")
            shutil.copy(page, made[-1])
    return made


def pages(out: Path, temp: Path) -> list[Path]:
    """The intake server's pages, as an officer meets them, as `out/phuc_vu-<page>.png`."""
    from tests.browser import harness

    downloads = temp / "tai_ve"
    downloads.mkdir()

    def walked(folder: Path, raw: Path, walk) -> list[Path]:
        """A server over `raw` walked through by a browser, each page it names drawn."""
        with harness.serving(folder, raw) as server:
            driver = harness.chromium(downloads)
            try:
                return [
                    harness.picture(driver, out / f"{PAGES}-{name}.png")
                    for name in walk(driver, server, temp)
                ]
            finally:
                driver.quit()

    made = walked(temp / "phuc_vu", RAW, harness.walk)
    # a new commune's workbook that waits for an old commune's: a record without that one
    short = harness.without_an_old_commune(RAW, temp / "thieu" / "raw")
    made += walked(temp / "cho", short, harness.waiting_walk)
    return made


def main(argv: list[str] | None = None) -> int:
    from tests.browser import harness

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--dpi", type=int, default=80)
    parser.add_argument(
        "--chi", choices=(PRODUCTS, PAGES_ONLY), help="only the products' or the pages' pictures"
    )
    args = parser.parse_args(argv)
    missing = tools_missing() if args.chi != PAGES_ONLY else []
    if missing:
        print(f"needs {' and '.join(missing)} (LibreOffice, poppler-utils)", file=sys.stderr)
    browser = harness.missing() if args.chi != PRODUCTS else ""
    if browser:
        print(f"the pages' pictures need {browser}", file=sys.stderr)
    made: list[Path] = []
    with tempfile.TemporaryDirectory() as name:
        temp = Path(name)
        if not missing and args.chi != PAGES_ONLY:
            made += pictures(products(temp), args.out, temp, args.dpi)
            drawn = {p for p in args.out.glob("*.png") if not p.name.startswith(f"{PAGES}-")}
            for old in sorted(drawn - set(made)):
                old.unlink()
        if not browser and args.chi != PRODUCTS:
            shown = pages(args.out, temp)
            for old in sorted(set(args.out.glob(f"{PAGES}-*.png")) - set(shown)):
                old.unlink()
            made += shown
    print(f"{len(made)} pictures in {args.out}")
    return 1 if missing or browser else 0


if __name__ == "__main__":
    sys.exit(main())

"""Where things are, anchored on the project root."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"
OUTPUT = ROOT / "output"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def workbooks(raw: Path) -> list[Path]:
    """Every workbook under `raw`, sorted (Excel's `~$` lock files and hidden files skipped)."""
    return sorted(
        p
        for p in raw.rglob("*")
        if p.is_file()
        and p.suffix.lower() in WORKBOOK_SUFFIXES
        and not p.name.startswith(("~$", "."))
    )


def display_path(path: Path, raw: Path) -> str:
    """How a file is named in messages: from the raw folder's own name, `raw/son_la/x.xlsx`."""
    return (Path(raw.name) / path.relative_to(raw)).as_posix()

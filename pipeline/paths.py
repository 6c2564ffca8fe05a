"""Where things are, anchored on the project root."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"
OUTPUT = ROOT / "output"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")

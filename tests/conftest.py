"""Shared fixtures: a copy of the seed record, a way to break it, a way to run the CLI."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from pipeline.cli import main
from pipeline.paths import RAW


@pytest.fixture
def seed_raw_dir(tmp_path: Path) -> Path:
    """A copy of `raw/` that a test may break."""
    target = tmp_path / "raw"
    shutil.copytree(RAW, target)
    return target


@pytest.fixture
def output_dir(tmp_path: Path) -> Path:
    """An output folder holding an earlier good run's file, to prove a failing run leaves it."""
    out = tmp_path / "output"
    (out / "muong_lam").mkdir(parents=True)
    (out / "muong_lam" / "phu_luc.xlsx").write_bytes(b"earlier good output")
    return out


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def edit(path: Path, sheet: str, cell: str, value: object) -> None:
    """Type `value` into one cell, as an officer would in Excel."""
    book = openpyxl.load_workbook(path)
    book[sheet][cell] = value
    if isinstance(value, str):  # typed as text: openpyxl would take "=1+1" for a formula
        book[sheet][cell].data_type = "s"
    book.save(path)


@dataclass
class Run:
    status: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.err.splitlines()


@pytest.fixture
def run_cli(capsys, output_dir):
    def run(raw: Path) -> Run:
        status = main(["annexes", "--raw", str(raw), "--output", str(output_dir)])
        captured = capsys.readouterr()
        return Run(status, captured.out, captured.err)

    return run

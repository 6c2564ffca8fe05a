"""The floor of a run: what the libraries alone take to read the record and write the outputs.

    python -m tools.floor RAW [--workers N]

Prints, as JSON, the seconds of each part of the floor, measured on this record with `N`
processes (the pipeline's own default: one per core):

- `read`: every raw workbook read with python-calamine (the sheets the pipeline uses), nothing
  checked or tidied;
- `annex`: for every new commune, its annex workbook written with XlsxWriter (the same sheets,
  cells, merges, formats and page setup as the pipeline's) and its CSV files' bytes written;
- `report`: its Word document written with python-docx (the same paragraphs and tables);
- `tracking`: for a new commune that typed its results year by year, its tracking workbook
  written with XlsxWriter (the same cells, sparklines and charts);
- `rollup`: every province roll-up written with XlsxWriter.

What is written is prepared first, outside the timing, by the pipeline's own stages (reading,
checking, judging, laying out); the timed part runs no checking, scoring or layout logic: it
hands ready cells and paragraphs to the libraries and writes their bytes to disk. The pipeline's
ratio to this floor is its overhead over the libraries it stands on.
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing as mp
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

_WORK: dict = {}  # what forked workers read


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _read(paths: list[Path]) -> int:
    from python_calamine import CalamineWorkbook

    from pipeline.load import KNOWN_SHEETS, header_key

    cells = 0
    for path in paths:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            if header_key(name) in KNOWN_SHEETS:
                cells += len(book.get_sheet_by_name(name).to_python(skip_empty_area=False))
    return cells


def _annex(indices: list[int]) -> int:
    from pipeline.render.xlsx import render

    out = _WORK["out"]
    for i in indices:
        code, title, sheets, tables, _ = _WORK["communes"][i]
        folder = out / code
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "bieu_chi_tieu.xlsx").write_bytes(render(sheets, title))
        for name, data in tables.items():
            (folder / name).write_bytes(data)
    return len(indices)


def _report(indices: list[int]) -> int:
    from pipeline.render import docx

    out, prototypes = _WORK["out"], docx.Prototypes()
    for i in indices:
        code, _, _, _, document = _WORK["communes"][i]
        (out / code).mkdir(parents=True, exist_ok=True)
        (out / code / "bao_cao_chi_tieu.docx").write_bytes(docx.render(document, prototypes))
    return len(indices)


def _tracking(indices: list[int]) -> int:
    from pipeline.render.xlsx import render

    out = _WORK["out"]
    for i in indices:
        code, sheets = _WORK["tracked"][i]
        (out / code).mkdir(parents=True, exist_ok=True)
        (out / code / "theo_doi_2030.xlsx").write_bytes(render(sheets, code))
    return len(indices)


def _rollup(names: list[str]) -> int:
    from pipeline.render.xlsx import render

    out = _WORK["out"] / "tong_hop_tinh"
    out.mkdir(parents=True, exist_ok=True)
    for name in names:
        title, sheets = _WORK["rollups"][name]
        (out / f"{name}.xlsx").write_bytes(render(sheets, title))
    return len(names)


def _timed(function, items: list, workers: int, chunk: int) -> float:
    start = time.perf_counter()
    parts = _chunks(items, chunk)
    if workers > 1 and len(parts) > 1:
        gc.freeze()
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
            list(pool.map(function, parts))
        gc.unfreeze()
    else:
        for part in parts:
            function(part)
    return time.perf_counter() - start


def prepare(raw: Path) -> tuple[list[Path], list, dict]:
    """Everything the outputs hold, ready for the libraries (not timed)."""
    from pipeline import products
    from pipeline.judge import judge
    from pipeline.layout.annex import workbook_sheets
    from pipeline.layout.report import report
    from pipeline.layout.rollup import rollups
    from pipeline.layout.track import tracking_sheets
    from pipeline.load import discover, load_record
    from pipeline.prepare import prepare as prepare_record
    from pipeline.problems import in_order
    from pipeline.validate import validate
    from pipeline.view import Views

    catalogue, communes, _ = discover(raw)
    prepared = prepare_record(load_record(raw, os.cpu_count() or 1))
    judgement = judge(prepared)
    findings = in_order([*validate(prepared), *judgement.findings])
    views = Views.build(prepared, judgement, findings)
    prepared_communes, tracked = [], []
    for code in views.new_communes():
        view = views.commune(code)
        tables = {
            p.name: p.make(view, None)
            for p in products.COMMUNE_PRODUCTS
            if p.name.endswith(".csv") and p.applies(views, code)
        }
        title = f"Biểu chỉ tiêu xã {view.name}"
        prepared_communes.append((code, title, workbook_sheets(view), tables, report(view)))
        if views.tracks(code):
            tracked.append((code, tracking_sheets(view)))
    label = prepared.catalogue.indicator["ten_chi_tieu"]
    books = rollups(prepared.info, prepared.members, judgement, label, findings)
    return [catalogue, *communes], prepared_communes, tracked, books


def measure(raw: Path, workers: int) -> dict[str, float]:
    files, communes, tracked, books = prepare(raw)
    with tempfile.TemporaryDirectory() as name:
        _WORK.update(out=Path(name), communes=communes, tracked=tracked, rollups=books)
        indices = list(range(len(communes)))
        figures = {
            "read": _timed(_read, files, workers, 64),
            "annex": _timed(_annex, indices, workers, 16),
            "report": _timed(_report, indices, workers, 16),
            "tracking": _timed(_tracking, list(range(len(tracked))), workers, 16),
            "rollup": _timed(_rollup, list(books), workers, 1),
        }
        _WORK.clear()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", type=Path)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    print(json.dumps(measure(args.raw, args.workers)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

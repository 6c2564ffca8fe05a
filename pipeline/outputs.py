"""What `make annexes` writes for machines: four CSV files per new commune.

`judge` and `tables` are pure; `write` is the only function that touches `output/`. Files are
UTF-8 with a byte-order mark, so that Excel shows the diacritics; numbers are written the machine
way (a dot for decimals) in numeric columns, and as printed in the columns that hold printed text.
"""

from __future__ import annotations

import dataclasses
import gc
import multiprocessing as mp
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.annex import BASELINE_FIELDS, ROW_FIELDS, SCORED_FIELDS, workbook_sheets
from pipeline.findings import (
    baseline_findings,
    prose_findings,
    rating_findings,
    tally_findings,
)
from pipeline.load import Record
from pipeline.merge import baselines
from pipeline.problems import Problem
from pipeline.render import render
from pipeline.rollup import FOLDER, rollups
from pipeline.score import final_rating, items, score_rows, tallies
from pipeline.text import slug
from pipeline.validate import sort_key
from schemas import catalogue as cat
from schemas.commune import NEW

WORKBOOK = "bieu_chi_tieu.xlsx"
FILES = (WORKBOOK, "chi_tieu.csv", "tong_hop.csv", "muc_tieu_2030.csv", "kiem_tra.csv")


@dataclass
class Judgement:
    scored: pd.DataFrame
    items: pd.DataFrame
    tally: pd.DataFrame
    baselines: pd.DataFrame
    findings: list[Problem]


def judge(record: Record) -> Judgement:
    """Score every old commune's rows, merge every new commune's baseline, collect findings."""
    scored = score_rows(record.rows, record.indicators).pipe(final_rating)
    item_ratings = items(scored)
    sheets = scored.drop_duplicates("ma_xa").set_index("ma_xa")
    tally = tallies(item_ratings).assign(
        _tep=lambda d: d["ma_xa"].map(sheets["_tep"]),
        _sheet_bieu=lambda d: d["ma_xa"].map(sheets["_sheet"]),
    )
    lines = baselines(
        record.targets, record.rows, record.members, record.info, record.indicators, record.units
    )
    findings = [
        *rating_findings(scored, record.cell),
        *tally_findings(tally, record.info, record.cell),
        *baseline_findings(lines, record.cell),
        *prose_findings(scored, "rows", record.cell),
        *prose_findings(lines, "targets", record.cell),
    ]
    return Judgement(scored, item_ratings, tally, lines, sorted(findings, key=sort_key))


def _yes(flag: pd.Series) -> pd.Series:
    return flag.map({True: cat.YES}).fillna("")


def tables(record: Record, result: Judgement, warnings: list[Problem]) -> dict[str, pd.DataFrame]:
    """The four machine-readable tables, for every commune at once (split per new commune by
    `Split`)."""
    info = record.info.set_index("ma_xa")
    name = info["ten_xa"]
    chi_tieu = pd.DataFrame(
        {
            "xa": result.scored["ma_xa"].map(name),
            "ma_xa": result.scored["ma_xa"],
            "bieu": result.scored["ma_xa"].map(info["bieu_so"]),
            "nhom": result.scored["nhom"],
            "tt": result.scored["muc"],
            "loai_dong": result.scored["loai_dong"],
            "chi_tieu": result.scored["chi_tieu"],
            "don_vi": result.scored["don_vi"],
            "chi_tieu_nq": result.scored["chi_tieu_nq__text"],
            "ket_qua": result.scored["ket_qua__text"],
            "chi_tieu_nq_phan_hai": result.scored["nq_phan_hai__text"],
            "ket_qua_phan_hai": result.scored["kq_phan_hai__text"],
            "danh_gia_cong_bo": result.scored["danh_gia"],
            "danh_gia_tinh": result.scored["danh_gia_tinh"],
            "danh_gia_chot": result.scored["danh_gia_chot"],
            "ty_le_dat": result.scored["ty_le_dat"],
            "ly_do": result.scored["ly_do"],
            "giu_danh_gia": result.scored["giu_danh_gia"],
            "ly_do_giu": result.scored["ly_do_giu"],
            "ma_chi_tieu": result.scored["ma_chi_tieu"],
            "tep": result.scored["_tep"],
            "dong": result.scored["_dong"],
        }
    )
    prose = {f"{k}_bao_cao": info[f"{k}_bc__so"] for k in ("vuot", "dat", "khong_dat")}
    tong_hop = result.tally.assign(
        xa=lambda d: d["ma_xa"].map(name),
        bieu=lambda d: d["ma_xa"].map(info["bieu_so"]),
        **{k: (lambda d, v=v: d["ma_xa"].map(v).astype("Int64")) for k, v in prose.items()},
    ).loc[:, TONG_HOP_COLUMNS]
    b = result.baselines
    muc_tieu = pd.DataFrame(
        {
            "ma_xa": b["ma_xa"],
            "nhom": b["nhom"],
            "tt": b["muc"],
            "chi_tieu": b["chi_tieu"],
            "don_vi": b["don_vi"],
            "muc_tieu_2030": b["muc_tieu__text"],
            "muc_tieu_phan_ba": b["mt_phan_ba__text"],
            "ghi_chu": b["ghi_chu"],
            "ma_chi_tieu": b["ma_chi_tieu"],
            "hien_trang_2025": b["hien_trang_2025"],
            "cach_gop": b["cach_gop"],
            "ghi_chu_gop": b["ghi_chu_gop"],
            "chenh_lech": b["chenh_lech"],
            "thay_doi_moi_nam": b["thay_doi_moi_nam"],
            "don_vi_thay_doi": b["don_vi_thay_doi"],
            "muc_tieu_thap_hon_hien_trang": _yes(b["muc_tieu_thap_hon_hien_trang"]),
            "tep": b["_tep"],
            "dong": b["_dong"],
        }
    )
    kiem_tra = pd.DataFrame(
        [(p.muc_do, p.tep, p.sheet, p.o, p.xa, p.tt, p.noi_dung) for p in warnings],
        columns=["muc_do", "tep", "sheet", "o", "ma_xa", "tt", "noi_dung"],
    ).assign(xa=lambda d: d["ma_xa"].map(name).fillna(""))
    return {
        "chi_tieu.csv": chi_tieu,
        "tong_hop.csv": tong_hop,
        "muc_tieu_2030.csv": muc_tieu,
        "kiem_tra.csv": kiem_tra,
    }


TONG_HOP_COLUMNS = [
    "xa",
    "ma_xa",
    "bieu",
    "so_chi_tieu",
    *[
        f"{r}_{s}"
        for s in ("tinh", "cong_bo", "chot")
        for r in ("vuot", "dat", "khong_dat", "chua_co_so_lieu", "khong_so_duoc")
    ],
    "vuot_bao_cao",
    "dat_bao_cao",
    "khong_dat_bao_cao",
    "cau_tong_hop_tinh",
    "cau_tong_hop_cong_bo",
    "cau_tong_hop_chot",
]


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def commune_inputs(record: Record) -> dict[str, list[str]]:
    """Per new commune, the raw files its outputs depend on, by name (`raw/son_la/x.xlsx`): the
    catalogue, its own workbook and its old communes' workbooks."""
    where = record.info.set_index("ma_xa")["_tep"]
    catalogue = list(record.units["_tep"].unique()[:1])
    members = record.members.groupby("ma_xa")["ma_xa_cu"].agg(list)
    return {
        code: [
            *catalogue,
            where[code],
            *(where[old] for old in members.get(code, []) if old in where.index),
        ]
        for code in record.info.loc[record.info["loai"] == NEW, "ma_xa"]
    }


KIEM_TRA_COLUMNS = ["muc_do", "tep", "sheet", "o", "xa", "tt", "noi_dung"]


class ByCommune:
    """A table sorted by commune code once, with each commune's row range: a commune's rows are
    a slice, taken only when that commune is written (no sub-frame per commune up front)."""

    def __init__(self, frame: pd.DataFrame, column: str = "ma_xa") -> None:
        order = frame[column].astype(str).to_numpy().argsort(kind="stable")
        self.frame = frame.iloc[order]
        codes = self.frame[column].astype(str).to_numpy()
        unique, starts = np.unique(codes, return_index=True)
        ends = [*starts[1:], len(codes)] if len(codes) else []
        self.bounds = dict(zip(unique, zip(starts, ends, strict=True), strict=True))

    def __contains__(self, code: str) -> bool:
        return code in self.bounds

    def get(self, code: str) -> pd.DataFrame | None:
        if code not in self.bounds:
            return None
        start, end = self.bounds[code]
        return self.frame.iloc[start:end]

    def __getitem__(self, code: str) -> pd.DataFrame:
        return self.get(code)

    def gather(self, codes: list[str]) -> pd.DataFrame:
        """These communes' rows, in the table's own order (its index)."""
        pieces = [self.get(c) for c in codes if c in self.bounds]
        return pd.concat(pieces).sort_index() if pieces else self.frame.iloc[0:0]


@dataclass
class Split:
    """Every table sorted by commune once, so that each new commune's files are assembled from
    its own rows instead of filtering whole tables again for every commune."""

    info: dict[str, dict]
    members: dict[str, list[str]]
    headers: dict
    rows: ByCommune
    scored: ByCommune
    tally: dict[str, dict]
    targets: ByCommune
    baselines: ByCommune
    tables: dict[str, ByCommune]
    checks_everywhere: pd.DataFrame


LAYOUT = [*ROW_FIELDS, "ma_xa", "_tep", "_sheet"]


def slim(record: Record) -> Record:
    """The record with only what writing needs of its tables once they are judged: the columns
    the annexes print (a country's parsed tables are wide; the wide copy can then be freed)."""
    return dataclasses.replace(
        record,
        rows=record.rows.reindex(columns=LAYOUT),
        targets=record.targets.reindex(columns=LAYOUT),
    )


def split(record: Record, result: Judgement, warnings: list[Problem]) -> Split:
    frames = tables(record, result, warnings)
    checks = frames["kiem_tra.csv"]
    # only the columns the annexes print: the worker processes then share less memory
    layout = LAYOUT
    facts = ["ma_xa", "ten_xa", "loai", "bieu_so", "tieu_de", "dong_phu"]
    return Split(
        info=record.info[facts].drop_duplicates("ma_xa").set_index("ma_xa").to_dict("index"),
        members=record.members.groupby("ma_xa", sort=False)["ma_xa_cu"].agg(list).to_dict(),
        headers=record.headers,
        rows=ByCommune(record.rows.reindex(columns=layout)),
        scored=ByCommune(result.scored[[*SCORED_FIELDS, "ma_xa"]]),
        tally=result.tally.set_index("ma_xa").to_dict("index"),
        targets=ByCommune(record.targets.reindex(columns=layout)),
        baselines=ByCommune(result.baselines[[*BASELINE_FIELDS, "ma_xa"]]),
        tables={name: ByCommune(frame) for name, frame in frames.items()},
        checks_everywhere=checks[checks["ma_xa"] == ""],
    )


def commune_files(parts: Split, code: str) -> dict[str, bytes]:
    """A new commune's five files: the annex workbook and the four CSVs."""
    olds = [o for o in parts.members.get(code, []) if o in parts.info]

    def gather(name: str, codes: list[str]) -> pd.DataFrame:
        return parts.tables[name].gather(codes)

    frames = {
        "chi_tieu.csv": gather("chi_tieu.csv", olds),
        "tong_hop.csv": gather("tong_hop.csv", olds),
        "muc_tieu_2030.csv": gather("muc_tieu_2030.csv", [code]).drop(columns="ma_xa"),
        "kiem_tra.csv": pd.concat(
            [gather("kiem_tra.csv", [code, *olds]), parts.checks_everywhere]
        ).sort_index()[KIEM_TRA_COLUMNS],
    }
    sheets = workbook_sheets(
        code,
        parts.info,
        olds,
        parts.rows,
        parts.scored,
        parts.tally,
        parts.targets.get(code),
        parts.baselines.get(code),
        parts.headers,
        frames["kiem_tra.csv"],
    )
    return {
        WORKBOOK: render(sheets, f"Biểu chỉ tiêu xã {parts.info[code]['ten_xa']}"),
        **{name: csv_bytes(frame) for name, frame in frames.items()},
    }


_PARTS: Split | None = None  # what forked workers read, set just before the pool starts


def _stage_chunk(args: tuple[list[str], Path]) -> list[tuple[Path, Path]]:
    """Render these communes and stage their files (in a worker process)."""
    codes, output = args
    assert _PARTS is not None
    staged: list[tuple[Path, Path]] = []
    try:
        for code in codes:
            staged += stage({code: commune_files(_PARTS, code)}, output)
    except BaseException:
        discard(staged)
        raise
    return staged


def stage_communes(
    record: Record,
    result: Judgement,
    warnings: list[Problem],
    output: Path,
    only: set[str] | None = None,
    workers: int = 1,
    progress=None,
) -> list[tuple[Path, Path]]:
    """Render every new commune (those in `only`, or all) and stage its five files as temporary
    files beside their final names; return (temporary, final) pairs for `commit`. With
    `workers` > 1 the communes are rendered by that many processes, each staging its own files
    (no file's bytes travel back); `progress(n)` is told of each n done."""
    global _PARTS
    parts = split(record, result, warnings)
    codes = [
        code
        for code, row in parts.info.items()
        if row["loai"] == NEW and (only is None or code in only)
    ]
    chunks = [codes[i : i + RENDER_CHUNK] for i in range(0, len(codes), RENDER_CHUNK)]
    staged: list[tuple[Path, Path]] = []
    try:
        if workers > 1 and len(chunks) > 1:
            _PARTS = parts
            # the workers inherit the parent's objects; frozen, the garbage collector leaves
            # them alone, so it does not copy every page it touches into each worker
            gc.freeze()
            with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
                for done in pool.map(_stage_chunk, [(c, output) for c in chunks]):
                    staged += done
                    if progress:
                        progress(len({final.parent for _, final in done}))
        else:
            for chunk in chunks:
                for code in chunk:
                    staged += stage({code: commune_files(parts, code)}, output)
                if progress:
                    progress(len(chunk))
    except BaseException:
        discard(staged)
        raise
    finally:
        _PARTS = None
        gc.unfreeze()
    return staged


RENDER_CHUNK = 16


def rollup_files(record: Record, full: Record, result: Judgement, findings: list[Problem]) -> dict:
    """The province roll-up workbooks, under `output/tong_hop_tinh/`."""
    books = rollups(full.info, full.members, result, record.indicators, findings)
    return {
        FOLDER: {f"{name}.xlsx": render(sheets, title) for name, (title, sheets) in books.items()}
    }


def rollup_names(full: Record) -> list[str]:
    return [f"{FOLDER}/{slug(p)}.xlsx" for p in sorted(set(full.info["tinh"]))]


def locked(names: list[str], output: Path) -> list[str]:
    """The outputs open in a spreadsheet program, by the lock file it leaves beside them (Excel:
    `~$name`; LibreOffice: `.~lock.name#`)."""
    return [
        name
        for name in names
        if (output / name).with_name(f"~${Path(name).name}").exists()
        or (output / name).with_name(f".~lock.{Path(name).name}#").exists()
    ]


def stage(out: dict[str, dict[str, bytes]], output: Path) -> list[tuple[Path, Path]]:
    """Write each file to a temporary file beside its final name, `output/<folder>/<name>`; if
    any write fails, remove the temporary files written so far and raise."""
    staged: list[tuple[Path, Path]] = []
    try:
        for folder, contents in out.items():
            for name, data in contents.items():
                path = output / folder / name
                path.parent.mkdir(parents=True, exist_ok=True)
                handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
                staged.append((Path(temp), path))
                with os.fdopen(handle, "wb") as stream:
                    stream.write(data)
                os.chmod(temp, 0o644)
    except BaseException:
        discard(staged)
        raise
    return staged


def discard(staged: list[tuple[Path, Path]]) -> None:
    for temp, _ in staged:
        temp.unlink(missing_ok=True)


def commit(staged: list[tuple[Path, Path]]) -> list[Path]:
    """Rename every staged file over its old one (only once all of them were written)."""
    for temp, path in staged:
        os.replace(temp, path)
    return [path for _, path in staged]


def write(out: dict[str, dict[str, bytes]], output: Path) -> list[Path]:
    """Write files in two steps: every file to a temporary file first, then, only if all of them
    were written, each renamed over its old one. A failure in the first step leaves every old
    output as it was."""
    return commit(stage(out, output))


def remove_stale(old: dict, new: dict, output: Path) -> None:
    """Remove the outputs of new communes that are no longer in raw/ (only files this program
    wrote, as the last manifest lists them)."""
    for name in set(old.get("files", [])) - set(new["files"]):
        path = output / name
        path.unlink(missing_ok=True)
        if path.parent != output and not any(path.parent.iterdir()):
            path.parent.rmdir()

"""The run: build `output/` from `raw/`, as a library call that returns what happened.

read → prepare → validate → judge → view → products → write. This module holds the run's
policy: what an error blocks, what a blocked commune keeps, what the manifest says needs
rebuilding, and that every file is staged before any is committed. It prints nothing;
`pipeline/cli.py` turns the `RunResult` into lines and an exit status.

Only the standard library is imported up front: a run with nothing changed answers from
`output/.manifest.json` before pandas is loaded.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import formats, manifest, write
from pipeline.problems import ERROR, WARNING
from pipeline.workers import stage_communes


@dataclass
class Checked:
    """What reading and checking the record found, known before anything is built."""

    problems: list  # every Problem, in reading order
    files: int  # commune workbooks read
    old: int  # old communes
    new: int  # new communes
    indicators: int
    units: int

    @property
    def errors(self) -> int:
        return sum(p.muc_do == ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.muc_do == WARNING for p in self.problems)


@dataclass
class RunResult:
    """What a run did. `outcome` is one of: "no_raw" (no raw folder), "refused" (the output
    folder overlaps the raw folder: `refusal` says how), "not_ours" (the output folder holds
    files of someone else's, `theirs` names one, and no manifest of ours), "unchanged" (nothing to
    do), "blocked" (errors in every new commune: nothing written but the marked copies,
    `marked`), "locked" (an output is open
    in an office program: nothing written), "not_written" (an output could not be written:
    `write_error` says which and why; nothing written), "built"."""

    outcome: str
    checked: Checked | None = None
    new_communes: int = 0
    blocked: set[str] = field(default_factory=set)  # new communes left as they were, by error
    # province roll-ups (under `output/`) left as they were: errors in communes they would show
    withheld: list[str] = field(default_factory=list)
    # old communes no new commune names, so no annex shows them: (province as typed, code)
    unmerged: list[tuple[str, str]] = field(default_factory=list)
    rebuilt: set[str] = field(default_factory=set)  # new communes whose files were written
    findings: int = 0  # the judgement's findings (kiem_tra.csv holds them and the warnings)
    built: list[str] = field(default_factory=list)  # new communes whose files are in `output/`
    locked: list[str] = field(default_factory=list)  # outputs open, under `output/`
    marked: list[str] = field(default_factory=list)  # marked copies written, under `output/`
    write_error: write.CommitFailed | None = None
    refusal: str = ""  # how the output folder overlaps the raw folder, in the user's words
    theirs: str = ""  # a file of someone else's in the output folder, under it
    seconds: float = 0.0
    # per stage: its seconds, and the most memory the run had held by its end
    timings: list[tuple[str, float, str]] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return self.checked.errors if self.checked else 0


def _peak_memory() -> str:
    """The most memory this process has held so far, where the system says (not on Windows)."""
    try:
        import resource
    except ImportError:
        return ""
    return f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB"


def blocked(prepared, problems: list) -> tuple[bool, set[str]]:
    """Which new communes an error keeps from being built: (everything?, new commune codes).

    An error in a commune's workbook blocks the new commune it belongs to, or is formed from;
    an error in the catalogue, or in a file that no commune can be tied to, blocks everything.
    """
    from schemas.vocabulary import NEW

    errors = [p for p in problems if p.muc_do == ERROR]
    if not errors:
        return False, set()
    info = prepared.info
    key_of = dict(zip(info["_tep"], info["ma_key"], strict=True))
    # codes compared whatever their case, as checking and merging compare them
    bad = {p.xa.casefold() for p in errors if p.xa} | {
        key_of[p.tep] for p in errors if p.tep in key_of
    }
    if any(p.tep not in key_of for p in errors):
        return True, set()
    new = info.loc[info["loai"] == NEW, ["ma_xa", "ma_key"]]
    formed_from = prepared.members.groupby("ma_xa")["ma_cu_key"].agg(set)
    return False, {
        code
        for code, code_key in zip(new["ma_xa"], new["ma_key"], strict=True)
        if code_key in bad or formed_from.get(code, set()) & bad
    }


def withheld_rollups(prepared, problems: list, stopped: set[str]) -> set[str]:
    """The province roll-ups an error keeps from being written (their old files stay): those of
    a province where an error lies in a commune the roll-up would show. A new commune that
    errors keep from being built, with its old communes, is left out of the roll-up and named
    on it; an error anywhere else (an old commune that no new commune names) would be shown
    as a figure, so the province gets no new roll-up."""
    from pipeline.products import rollup_name
    from pipeline.text import key

    errors = [p for p in problems if p.muc_do == ERROR]
    if not errors:
        return set()
    info = prepared.info
    key_of = dict(zip(info["_tep"], info["ma_key"], strict=True))
    members = prepared.members
    covered = {key(code) for code in stopped} | set(
        members.loc[members["ma_xa"].isin(stopped), "ma_cu_key"]
    )
    bad = {key_of.get(p.tep) or p.xa.casefold() for p in errors} - covered - {""}
    return {rollup_name(t) for t in info.loc[info["ma_key"].isin(bad), "tinh"]}


def unmerged(prepared) -> list[tuple[str, str]]:
    """The old communes that no new commune names in its "Xã hợp thành": (province, code)."""
    from schemas.vocabulary import OLD

    info = prepared.info
    old = info[(info["loai"] == OLD) & ~info["ma_key"].isin(prepared.members["ma_cu_key"])]
    return sorted(zip(old["tinh"], old["ma_xa"], strict=True))


def run(
    raw: Path,
    output: Path,
    workers: int = 1,
    progress: Callable[[int], object] | None = None,
    on_checked: Callable[[Checked], None] | None = None,
    on_wait: Callable[[], None] | None = None,
    shared: bool = False,
    read: Callable | None = None,
) -> RunResult:
    """Build `output` from `raw` with `workers` processes. `progress(total)` opens a context
    whose `update(n)` is told of each n new communes built; `on_checked` is called with the
    record's problems as soon as they are known, before the build; `on_wait` if another run
    is writing into `output` (this one then waits for it).

    Every run first finishes or undoes what an interrupted run left in `output` (`write.recover`)
    and holds `output` for itself until it returns. An `output` that overlaps `raw`, or that
    holds files of someone else's and no manifest of ours (unless `shared`), is refused.
    A signal (`write.Interrupted`) ends the run where it is, once what it staged is removed
    (or, past the journal, the commit is whole). `read`: how one workbook is read (`load.read_part`
    by default; the intake page's server passes its own, which remembers what it read)."""
    if not raw.is_dir():
        return RunResult("no_raw")
    if overlap := write.overlap(raw, output):
        return RunResult("refused", refusal=overlap)
    try:
        with write.Lock(output, on_wait):
            try:
                write.recover(output)
            except OSError as err:  # what an interrupted run left cannot be finished yet
                return RunResult(
                    "not_written",
                    write_error=write.CommitFailed.of(
                        err,
                        output,
                        False,
                        f"Lần chạy trước bị dừng giữa chừng chưa hoàn tất được; lần chạy sau "
                        f"sẽ hoàn tất khi ghi được vào {output.name}/.",
                    ),
                )
            if not shared and (theirs := write.foreign(output)):
                return RunResult("not_ours", theirs=theirs)
            code, hashes = manifest.code_digest(), manifest.raw_hashes(raw, formats.walk(raw))
            old = manifest.read(output)
            if manifest.unchanged(old, code, hashes, output):
                return RunResult("unchanged")
            return _build(raw, output, workers, progress, on_checked, code, hashes, old, read)
    except OSError as err:  # the folder that holds output/ cannot be made or locked
        return RunResult("not_written", write_error=write.CommitFailed.of(err, output, True))


def _build(raw, output, workers, progress, on_checked, code, hashes, old, read=None) -> RunResult:
    lap = _Laps()
    from pipeline import products, view
    from pipeline.judge import judge  # noqa: F401 - loaded here, timed as the libraries' load
    from pipeline.load import load_record
    from pipeline.prepare import prepare
    from pipeline.validate import validate
    from schemas.vocabulary import NEW

    lap("nạp thư viện")
    record = load_record(raw, workers, read)
    lap("đọc")
    prepared = prepare(record)
    del record
    problems = validate(prepared)
    lap("kiểm tra")
    checked = _checked(prepared, problems)
    if on_checked:
        on_checked(checked)
    write.step("checked")
    # what errors block: whole new communes, and the roll-ups that would show an error
    everything, stopped = blocked(prepared, problems)
    new_communes = set(prepared.info.loc[prepared.info["loai"] == NEW, "ma_xa"])
    result = RunResult("blocked", checked, len(new_communes), stopped, timings=lap.timings)
    withheld = withheld_rollups(prepared, problems, stopped)
    result.withheld, result.unmerged = sorted(withheld), unmerged(prepared)
    marked = Marked(products.marked_files(problems, lambda name: _source(raw, name)), output, old)
    result.marked = marked.names
    lap("bản đánh dấu")
    if everything or (new_communes and stopped >= new_communes):
        return marked.write_alone(result)

    held = _Judged.of(prepared, new_communes - stopped if stopped else None, problems)
    del prepared  # the judged hold their slimmed copies
    held.collect()
    lap("chấm điểm, gộp")
    views = view.Views.build(held.prepared, held.judgement, held.findings)
    held.provinces = view.provinces(
        held.full.info,
        held.full.members,
        held.judgement,
        held.prepared.catalogue.indicator["ten_chi_tieu"],
        held.findings,
        stopped,
    )
    plan = _plan(views, held.provinces, marked, withheld, stopped, checked, (code, hashes, old))
    result.rebuilt = plan.todo
    result.built = sorted(new_communes - stopped)
    result.findings = shown_findings(held.findings, result.built, views.members)
    result.locked = write.locked(plan.touched(marked), output)
    if result.locked:
        result.outcome = "locked"
        return result
    try:
        _stage_and_commit(held, views, plan, marked, output, workers, progress, lap)
    except (write.CommitFailed, OSError) as err:
        return _not_written(result, err, output)
    except BaseException:  # a signal, or a bug: the journal alone decides what stays
        _clean_up(output)
        raise
    result.outcome, result.seconds = "built", time.perf_counter() - lap.start
    return result


def shown_findings(findings: list, built: list[str], members: dict[str, list[str]]) -> int:
    """How many findings the built new communes' kiem_tra.csv list: those of the new communes
    and of their old ones, and those tied to no commune (listed in every file), each once. A
    finding of an old commune no new commune names is in no file, and not counted."""
    from schemas.vocabulary import FINDING

    shown = {code for new in built for code in (new, *members.get(new, []))}
    return sum(p.muc_do == FINDING and (not p.xa or p.xa in shown) for p in findings)


class _Laps:
    """The run's clock: `lap(stage)` notes the stage's seconds and the most memory the run has
    held by its end."""

    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()
        self.timings: list[tuple[str, float, str]] = []

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings.append((stage, now - self.last, _peak_memory()))
        self.last = now


def _checked(prepared, problems: list) -> Checked:
    """What reading and checking found, counted."""
    from schemas.vocabulary import NEW, OLD

    kinds = prepared.info["loai"].value_counts()
    return Checked(
        problems,
        len(prepared.files),
        int(kinds.get(OLD, 0)),
        int(kinds.get(NEW, 0)),
        len(prepared.catalogue.indicators),
        len(prepared.catalogue.units),
    )


@dataclass
class _Judged:
    """The judged record and the provinces' views: held here and only here, so that `free`
    lets go of all of it before the workers are forked (the communes' views keep what their
    products need, and no worker copies the rest)."""

    full: object  # every commune, slimmed: the roll-ups show a blocked commune's old ones
    prepared: object  # the communes being built, slimmed
    judgement: object
    findings: list  # the record's problems and the judgement's findings, in order
    large: bool  # a province or more: worth freeing memory for
    provinces: dict = field(default_factory=dict)

    @classmethod
    def of(cls, prepared, keep: set[str] | None, problems: list) -> _Judged:
        """Judge the record's new communes in `keep` (all of them if None)."""
        from pipeline import view
        from pipeline.judge import judge
        from pipeline.problems import in_order

        built = prepared.keeping(keep) if keep is not None else prepared
        judgement = judge(built)
        slimmed = view.slim(built)
        full = slimmed if built is prepared else view.slim(prepared)
        findings = in_order([*problems, *judgement.findings])
        return cls(full, slimmed, judgement, findings, len(slimmed.rows) > 10_000)

    def collect(self) -> None:
        """With a large record, collect the wide tables' cycles now, before forking."""
        if self.large:
            gc.collect()

    def free(self) -> None:
        """Let go of everything held; with a large record, give the memory back to the system."""
        self.full = self.prepared = self.judgement = None
        self.findings, self.provinces = [], {}
        if self.large:
            from pipeline.processes import give_back_memory

            give_back_memory()


@dataclass
class _Plan:
    """What the run writes, as the manifests say: the new manifest, the new communes rebuilt
    and their files (under `output/`), the roll-ups made again, and the files removed."""

    manifest: dict
    todo: set[str]
    names: list[str]
    stale_rollups: list[str]
    gone: list[str]

    def touched(self, marked: Marked) -> list[str]:
        """Every file written or removed, under `output/`, once (for the lock check)."""
        return list(dict.fromkeys([*self.names, *self.stale_rollups, *marked.touched, *self.gone]))


def _plan(views, provinces, marked, withheld, stopped, checked, run) -> _Plan:
    """Each product's fingerprint is the digest of the view it is made from; what the last
    manifest (`run`: the code's digest, the raw files' hashes, the last manifest) holds with
    the same fingerprint, and still on disk, is not made again; what errors block is kept."""
    from pipeline import products

    code, hashes, old = run
    output = marked.output
    digests = views.digests()
    produced = {commune: products.files_of(views, commune) for commune in digests}
    rollups = {
        name: digest
        for name, digest in products.rollup_digests(provinces).items()
        if name not in withheld
    }
    new = manifest.build(
        code,
        hashes,
        digests,
        [f"{c}/{n}" for c, names in produced.items() for n in names] + list(rollups) + marked.names,
        rollups,
    )
    manifest.keep(old, new, stopped, complete=not checked.errors)
    manifest.keep_rollups(old, new, withheld)
    todo = manifest.stale(old, new, output, produced)
    stale_rollups = [n for n in manifest.stale_rollups(old, new, output) if n not in withheld]
    names = [f"{c}/{n}" for c in sorted(todo) for n in produced[c]]
    # what the run removes: the files of new communes gone from raw/, the marked copies gone
    gone = sorted((set(old.get("files", [])) - set(new["files"])) | set(marked.gone))
    return _Plan(new, todo, names, stale_rollups, gone)


def _stage_and_commit(held, views, plan, marked, output, workers, progress, lap) -> None:
    """Stage every file of the plan, then commit them all at once. The roll-ups are made
    first, in this process: then the judged record is freed before the workers are forked;
    their bytes are staged with the others, under "ghi tệp"."""
    from pipeline import products

    staged: write.Staged = []
    write.expect(output, [*marked.names, *plan.names, *plan.stale_rollups])
    staged += write.stage(marked.files, output)
    rollup_files = products.rollup_files(held.provinces, plan.stale_rollups)
    lap("tổng hợp tỉnh")
    held.free()
    lap("trả bộ nhớ")
    staged += stage_communes(views, output, plan.todo, workers, progress)
    lap("dựng phụ lục")
    staged += write.stage(rollup_files, output)
    write.step("staged")
    write.commit(staged, output, plan.gone, plan.manifest)
    lap("ghi tệp")


def _not_written(result: RunResult, err: OSError, output: Path):
    """A run whose files could not all be written (none of them were: the old ones stay)."""
    _clean_up(output)
    if not isinstance(err, write.CommitFailed):
        err = write.CommitFailed.of(err, output, True)
    result.outcome, result.write_error = "not_written", err
    return result


def _clean_up(output: Path) -> None:
    """What a stopped or failed run staged, removed now (or by the next run's recovery, if
    the disk refuses now)."""
    with contextlib.suppress(OSError):
        write.recover(output)


def _source(raw: Path, name: str) -> bytes | None:
    """A raw workbook's bytes, by the name messages give it; None if it is not there, or larger
    than reading allows."""
    from pipeline.paths import MAX_FILE_BYTES, source_path

    path = source_path(name, raw)
    if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
        return None
    return path.read_bytes()


@dataclass
class Marked:
    """This run's marked copies, `{folder: {name: bytes}}` as `write.stage` takes them, and the
    copies of an earlier run (its manifest, `earlier`, names them) that this one removes."""

    files: dict[str, dict[str, bytes]]
    output: Path
    earlier: dict  # the manifest of the last run

    @property
    def folder(self) -> Path:
        from pipeline.products import MARKED

        return self.output / MARKED

    @property
    def names(self) -> list[str]:
        return [f"{folder}/{name}" for folder, names in self.files.items() for name in names]

    @property
    def gone(self) -> list[str]:
        """The marked copies of earlier runs that this run removes, under `output/`."""
        from pipeline.products import MARKED

        kept = set(self.names)
        return [
            name
            for name in self.earlier.get("files", [])
            if name.startswith(f"{MARKED}/") and name not in kept
        ]

    @property
    def touched(self) -> list[str]:
        """Every marked copy written or removed, under `output/` (for the lock check)."""
        return self.names + self.gone

    def write_alone(self, result: RunResult) -> RunResult:
        """Write the marked copies of a run that errors keep from building anything (they
        live apart from every commune's files, so they never change one); the manifest names
        them, and says the next run must not be skipped."""
        result.locked = write.locked(self.touched, self.output)
        if result.locked:
            result.outcome = "locked"
            return result
        if not self.touched:
            return result
        files = (set(self.earlier.get("files", [])) - set(self.gone)) | set(self.names)
        recorded = {**self.earlier, "raw": None, "files": sorted(files)}
        try:
            write.expect(self.output, self.names)
            staged = write.stage(self.files, self.output)
            write.commit(staged, self.output, self.gone, recorded)
        except (write.CommitFailed, OSError) as err:
            return _not_written(result, err, self.output)
        except BaseException:
            _clean_up(self.output)
            raise
        return result

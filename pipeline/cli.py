"""The command line: the imperative shell around load → validate → score → merge → write.

Only the standard library is imported up front: a run with nothing changed answers from
`output/.manifest.json` before pandas is loaded.
"""

from __future__ import annotations

import argparse
import errno
import gc
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from pipeline import manifest
from pipeline.paths import OUTPUT, RAW

EXIT_OK, EXIT_DATA, EXIT_WRITE = 0, 2, 3
WRITE_ERRORS = {
    errno.EACCES: "không có quyền ghi",
    errno.EPERM: "không có quyền ghi",
    errno.ENOTDIR: "đường dẫn có một tệp chắn chỗ của thư mục",
    errno.ENOSPC: "hết chỗ trên đĩa",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
}


def progress_bar(total: int, what: str):
    """A progress bar on a terminal; nothing in CI or when the output goes to a pipe or a file."""
    from tqdm import tqdm

    quiet = not sys.stderr.isatty() or bool(os.environ.get("CI"))
    return tqdm(total=total, desc=what, unit="xã", disable=quiet, leave=False, file=sys.stderr)


def run_annexes(raw: Path, output: Path, workers: int | None = None) -> int:
    """Build `output` from `raw`; print one line per problem; return the exit status."""
    start = time.perf_counter()
    last = [start]

    def lap(stage: str) -> None:
        """With BIEU_TIMING=1, how long each stage took (for `make bench`), on stderr."""
        now = time.perf_counter()
        if os.environ.get("BIEU_TIMING"):
            print(f"thời gian {stage}: {now - last[0]:.2f} s", file=sys.stderr)
        last[0] = now

    if not raw.is_dir():
        print(f"{raw}: không tìm thấy thư mục dữ liệu gốc", file=sys.stderr)
        return EXIT_DATA
    code, hashes, old = manifest.code_digest(), manifest.raw_hashes(raw), manifest.read(output)
    if manifest.unchanged(old, code, hashes, output):
        print(f"Không có gì thay đổi kể từ lần chạy trước: {output.name}/ giữ nguyên.")
        return EXIT_OK

    from pipeline import outputs
    from pipeline.load import load_record
    from pipeline.parse import format_vi
    from pipeline.problems import ERROR, WARNING
    from pipeline.validate import blocked, sort_key, validate
    from schemas.commune import NEW, OLD

    workers = workers or os.cpu_count() or 1
    lap("nạp thư viện")
    record = load_record(raw, workers)
    lap("đọc")
    record, problems = validate(record)
    lap("kiểm tra")
    for problem in problems:
        print(problem.line(), file=sys.stderr)
    errors = sum(p.muc_do == ERROR for p in problems)
    warnings = sum(p.muc_do == WARNING for p in problems)
    kinds = record.info["loai"].value_counts()
    print(
        f"Đã đọc {len(record.files)} tệp xã ({kinds.get(OLD, 0)} xã trước sắp xếp, "
        f"{kinds.get(NEW, 0)} xã sau sắp xếp), danh mục {len(record.indicators)} chỉ tiêu và "
        f"{len(record.units)} đơn vị: {errors} lỗi, {warnings} cảnh báo."
    )
    everything, stopped = blocked(record, problems)
    new_communes = set(record.info.loc[record.info["loai"] == NEW, "ma_xa"])
    if everything or (new_communes and stopped >= new_communes):
        print(
            f"Chưa ghi gì vào {output.name}/: sửa các ô nêu trên rồi chạy lại `make annexes`.",
            file=sys.stderr,
        )
        return EXIT_DATA
    if stopped:
        shown = ", ".join(sorted(stopped)[:10]) + (", …" if len(stopped) > 10 else "")
        print(
            f"Chưa dựng lại {len(stopped)} xã mới vì có lỗi ở xã đó hoặc ở xã hợp thành ({shown}): "
            "sửa các ô nêu trên rồi chạy lại `make annexes`; các xã khác vẫn được dựng.",
            file=sys.stderr,
        )
    full = record
    if stopped:
        record = record.keeping(new_communes - stopped)

    result = outputs.judge(record)
    slimmed = outputs.slim(record)
    full, record = (slimmed if full is record else outputs.slim(full)), slimmed
    gc.collect()
    lap("chấm điểm, gộp")
    inputs = outputs.commune_inputs(record)
    produced = {commune: list(outputs.FILES) for commune in inputs}
    rollup_names = outputs.rollup_names(full)
    new = manifest.build(
        code,
        hashes,
        inputs,
        [f"{c}/{n}" for c, names in produced.items() for n in names] + rollup_names,
    )
    manifest.keep(old, new, stopped, complete=not errors)
    todo = manifest.stale(old, new, output, produced)
    findings = sorted([*problems, *result.findings], key=sort_key)
    rebuild_rollups = bool(todo) or not all((output / n).is_file() for n in rollup_names)
    names = [f"{c}/{n}" for c in sorted(todo) for n in outputs.FILES]
    locked = outputs.locked(names + (rollup_names if rebuild_rollups else []), output)
    for name in locked:
        print(
            f"{output.name}/{name}: tệp đang mở trong Excel hoặc LibreOffice; đóng tệp rồi chạy "
            "lại `make annexes`",
            file=sys.stderr,
        )
    if locked:
        print(f"Chưa ghi gì vào {output.name}/.", file=sys.stderr)
        return EXIT_WRITE
    staged: list = []
    try:
        with progress_bar(len(todo), "Dựng phụ lục") as bar:
            staged += outputs.stage_communes(
                record, result, findings, output, todo, workers, bar.update
            )
        lap("dựng phụ lục")
        if rebuild_rollups:
            staged += outputs.stage(outputs.rollup_files(record, full, result, findings), output)
        lap("tổng hợp tỉnh")
        outputs.commit(staged)
        outputs.remove_stale(old, new, output)
        manifest.save(output, new)
        lap("ghi tệp")
    except OSError as err:
        outputs.discard(staged)
        where = Path(err.filename).relative_to(output.parent) if err.filename else output.name
        print(
            f"{where}: không ghi được ({WRITE_ERRORS.get(err.errno, err.strerror)}); kiểm tra "
            f"quyền ghi vào {output.name}/ rồi chạy lại `make annexes`. Các tệp cũ vẫn giữ nguyên.",
            file=sys.stderr,
        )
        return EXIT_WRITE
    except BaseException:
        outputs.discard(staged)
        raise
    seconds = format_vi(time.perf_counter() - start, 1)
    print(
        f"Xong: {len(new_communes) - len(stopped)} xã mới, {len(todo)} bộ phụ lục ghi mới vào "
        f"{output.name}/, {len(result.findings)} phát hiện cần xem (kiem_tra.csv)"
        + (f", {len(stopped)} xã mới chưa dựng vì lỗi" if stopped else "")
        + f", {seconds} giây."
    )
    return EXIT_DATA if errors else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bieu", description="Biểu chỉ tiêu Đại hội Đảng bộ xã: kiểm tra và xuất phụ lục."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    annexes = commands.add_parser("annexes", help="đọc raw/, kiểm tra và xuất output/")
    annexes.add_argument("--raw", type=Path, default=RAW, help="thư mục dữ liệu gốc")
    annexes.add_argument("--output", type=Path, default=OUTPUT, help="thư mục kết quả")
    annexes.add_argument(
        "--workers", type=int, default=None, help="số tiến trình (mặc định: số lõi)"
    )
    args = parser.parse_args(argv)
    return run_annexes(args.raw.resolve(), args.output.resolve(), args.workers)


if __name__ == "__main__":
    sys.exit(main())

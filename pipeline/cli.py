"""The command line: the imperative shell around load → validate → score → merge → write.

Only the standard library is imported up front: a run with nothing changed answers from
`output/.manifest.json` before pandas is loaded.
"""

from __future__ import annotations

import argparse
import errno
import sys
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


def run_annexes(raw: Path, output: Path) -> int:
    """Build `output` from `raw`; print one line per problem; return the exit status."""
    if not raw.is_dir():
        print(f"{raw}: không tìm thấy thư mục dữ liệu gốc", file=sys.stderr)
        return EXIT_DATA
    if manifest.unchanged(raw, output):
        print(f"Không có gì thay đổi kể từ lần chạy trước: {output.name}/ giữ nguyên.")
        return EXIT_OK

    from pipeline import outputs
    from pipeline.load import load_record
    from pipeline.problems import ERROR, WARNING
    from pipeline.validate import sort_key, validate
    from schemas.commune import NEW, OLD

    record, problems = validate(load_record(raw))
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
    if errors:
        print(
            f"Chưa ghi gì vào {output.name}/: sửa các ô nêu trên rồi chạy lại `make annexes`.",
            file=sys.stderr,
        )
        return EXIT_DATA

    result = outputs.judge(record)
    inputs = outputs.commune_inputs(record, raw)
    produced = {code: list(outputs.FILES) for code in inputs}
    new = manifest.build(raw, inputs, [f"{c}/{n}" for c, names in produced.items() for n in names])
    todo = manifest.stale(manifest.read(output), new, output, produced)
    findings = sorted([*problems, *result.findings], key=sort_key)
    contents = outputs.files(record, result, findings, only=todo)
    locked = outputs.locked(contents, output)
    for path in locked:
        print(
            f"{output.name}/{path}: tệp đang mở trong Excel hoặc LibreOffice; đóng tệp rồi chạy "
            "lại `make annexes`",
            file=sys.stderr,
        )
    if locked:
        print(f"Chưa ghi gì vào {output.name}/.", file=sys.stderr)
        return EXIT_WRITE
    try:
        written = outputs.write(contents, output)
        outputs.remove_stale(manifest.read(output), new, output)
        manifest.save(output, new)
    except OSError as err:
        where = Path(err.filename).relative_to(output.parent) if err.filename else output.name
        print(
            f"{where}: không ghi được ({WRITE_ERRORS.get(err.errno, err.strerror)}); kiểm tra "
            f"quyền ghi vào "
            f"{output.name}/ rồi chạy lại `make annexes`. Các tệp cũ vẫn giữ nguyên.",
            file=sys.stderr,
        )
        return EXIT_WRITE
    rebuilt = sorted(todo)
    print(
        f"Đã ghi {len(written)} tệp cho {len(rebuilt)} xã mới vào {output.name}/"
        + (f" ({', '.join(rebuilt)})" if rebuilt else "")
        + f": {len(result.findings)} phát hiện cần xem, ghi trong kiem_tra.csv."
    )
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bieu", description="Biểu chỉ tiêu Đại hội Đảng bộ xã: kiểm tra và xuất phụ lục."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    annexes = commands.add_parser("annexes", help="đọc raw/, kiểm tra và xuất output/")
    annexes.add_argument("--raw", type=Path, default=RAW, help="thư mục dữ liệu gốc")
    annexes.add_argument("--output", type=Path, default=OUTPUT, help="thư mục kết quả")
    args = parser.parse_args(argv)
    return run_annexes(args.raw.resolve(), args.output.resolve())


if __name__ == "__main__":
    sys.exit(main())

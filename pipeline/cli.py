"""The command line: the imperative shell around load → validate (→ merge → score → write)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline import outputs
from pipeline.load import load_record
from pipeline.paths import OUTPUT, RAW
from pipeline.problems import ERROR, WARNING
from pipeline.validate import sort_key, validate
from schemas.commune import NEW, OLD

EXIT_OK, EXIT_DATA = 0, 2


def run_annexes(raw: Path, output: Path) -> int:
    """Read and check `raw`; print one line per problem; return the exit status."""
    if not raw.is_dir():
        print(f"{raw}: không tìm thấy thư mục dữ liệu gốc", file=sys.stderr)
        return EXIT_DATA
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
    written = outputs.write(
        outputs.tables(record, result, sorted([*problems, *result.findings], key=sort_key)),
        output,
    )
    communes = sorted({p.parent.name for p in written})
    print(
        f"Đã ghi {len(written)} tệp cho {len(communes)} xã mới vào {output.name}/ "
        f"({', '.join(communes)}): {len(result.findings)} phát hiện cần xem, ghi trong "
        "kiem_tra.csv."
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
    return run_annexes(args.raw, args.output)


if __name__ == "__main__":
    sys.exit(main())

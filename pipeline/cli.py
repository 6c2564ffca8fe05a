"""The command line: arguments in, lines and an exit status out, around `build.run`.

Only the standard library is imported up front: a run with nothing changed answers from
`output/.manifest.json` before pandas is loaded.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline import build
from pipeline.paths import OUTPUT, RAW

EXIT_OK, EXIT_DATA, EXIT_WRITE = 0, 2, 3


def progress_bar(total: int):
    """A progress bar on a terminal; nothing in CI or when the output goes to a pipe or a file."""
    from tqdm import tqdm

    quiet = not sys.stderr.isatty() or bool(os.environ.get("CI"))
    return tqdm(
        total=total, desc="Dựng phụ lục", unit="xã", disable=quiet, leave=False, file=sys.stderr
    )


def _shown(path: Path, output: Path) -> str:
    """An output's name as messages give it: `output/<mã xã>/chi_tieu.csv`."""
    try:
        return (Path(output.name) / path.relative_to(output)).as_posix()
    except ValueError:
        return str(path)


def say_waiting(output: Path):
    def wait() -> None:
        print(
            f"Một lần chạy khác đang ghi vào {output.name}/: chờ lần đó xong rồi chạy tiếp…",
            file=sys.stderr,
            flush=True,
        )

    return wait


def print_checked(checked: build.Checked) -> None:
    for problem in checked.problems:
        print(problem.line(), file=sys.stderr)
    print(
        f"Đã đọc {checked.files} tệp xã ({checked.old} xã trước sắp xếp, "
        f"{checked.new} xã sau sắp xếp), danh mục {checked.indicators} chỉ tiêu và "
        f"{checked.units} đơn vị: {checked.errors} lỗi, {checked.warnings} cảnh báo."
    )


def run_annexes(raw: Path, output: Path, workers: int | None = None) -> int:
    """Build `output` from `raw`; print one line per problem; return the exit status."""
    result = build.run(
        raw,
        output,
        workers or os.cpu_count() or 1,
        progress_bar,
        print_checked,
        say_waiting(output),
    )
    if os.environ.get("BIEU_TIMING"):  # how long each stage took, for `make bench`
        for stage, seconds in result.timings:
            print(f"thời gian {stage}: {seconds:.2f} s", file=sys.stderr)
    return report(result, raw, output)


def report(result: build.RunResult, raw: Path, output: Path) -> int:
    """Print what the run did; return the exit status."""

    def err(line: str) -> None:
        print(line, file=sys.stderr)

    if result.outcome == "no_raw":
        if raw.is_symlink():
            err(f"{raw}: là liên kết hỏng hoặc trỏ vòng, không tới được thư mục dữ liệu gốc")
        else:
            err(f"{raw}: không tìm thấy thư mục dữ liệu gốc")
        return EXIT_DATA
    if result.outcome == "unchanged":
        print(f"Không có gì thay đổi kể từ lần chạy trước: {output.name}/ giữ nguyên.")
        return EXIT_OK
    if result.outcome == "blocked":
        err(f"Chưa ghi gì vào {output.name}/: sửa các ô nêu trên rồi chạy lại `make annexes`.")
        return EXIT_DATA
    stopped = result.blocked
    if stopped:
        shown = ", ".join(sorted(stopped)[:10]) + (", …" if len(stopped) > 10 else "")
        err(
            f"Chưa dựng lại {len(stopped)} xã mới vì có lỗi ở xã đó hoặc ở xã hợp thành ({shown}): "
            "sửa các ô nêu trên rồi chạy lại `make annexes`; các xã khác vẫn được dựng."
        )
    if result.outcome == "locked":
        for name in result.locked:
            program = "Word" if name.endswith(".docx") else "Excel"
            err(
                f"{output.name}/{name}: tệp đang mở trong {program} hoặc LibreOffice; đóng tệp "
                "rồi chạy lại `make annexes`"
            )
        err(f"Chưa ghi gì vào {output.name}/.")
        return EXIT_WRITE
    if result.outcome == "not_written":
        failed = result.write_error
        where = _shown(failed.path, output)
        if failed.restored:
            kept = "Chưa ghi gì: các tệp cũ vẫn giữ nguyên."
        else:
            kept = (
                f"Có tệp trong {output.name}/ chưa trả lại được như cũ; lần chạy sau sẽ dựng lại "
                "toàn bộ."
            )
        err(
            f"{where}: không ghi được ({failed.reason}); kiểm tra quyền ghi và chỗ trống trên đĩa "
            f"rồi chạy lại `make annexes`. {kept}"
        )
        return EXIT_WRITE
    from pipeline.parse import format_vi

    print(
        f"Xong: {result.new_communes - len(stopped)} xã mới, {len(result.rebuilt)} bộ phụ lục "
        f"ghi mới vào {output.name}/, {result.findings} phát hiện cần xem (kiem_tra.csv)"
        + (f", {len(stopped)} xã mới chưa dựng vì lỗi" if stopped else "")
        + f", {format_vi(result.seconds, 1)} giây."
    )
    return EXIT_DATA if result.errors else EXIT_OK


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
    return run_annexes(
        Path(os.path.abspath(args.raw)), Path(os.path.abspath(args.output)), args.workers
    )


if __name__ == "__main__":
    sys.exit(main())

"""The command line: arguments in, lines and an exit status out, around `build.run`.

Only the standard library is imported up front: a run with nothing changed answers from
`output/.manifest.json` before pandas is loaded.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline import build, console, write
from pipeline.paths import OUTPUT_NAME, RAW_NAME, default_output, default_raw
from pipeline.problems import tagged
from schemas.vocabulary import ERROR, KEPT, NEW, OLD, SEVERITIES, WARNING

EXIT_OK, EXIT_DATA, EXIT_WRITE = 0, 2, 3
EXIT_SIGNAL = 128  # plus the signal's number: 130 for Ctrl+C, 143 for SIGTERM, as shells say
SHARED_FLAG = "--ghi-chung"
PACKAGE = "bieu-chi-tieu"
CHECKS_FILE = "kiem_tra.csv"  # each new commune's list of warnings and findings (products.py)


def progress_bar(total: int):
    """A progress bar on a terminal; nothing in CI or when the output goes to a pipe or a file."""
    from tqdm import tqdm

    quiet = sys.stderr is None or not sys.stderr.isatty() or bool(os.environ.get("CI"))
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
        f"{checked.units} đơn vị: {checked.errors} {ERROR}, {checked.warnings} {WARNING}."
    )


def run_annexes(raw: Path, output: Path, workers: int | None = None, shared: bool = False) -> int:
    """Build `output` from `raw`; print one line per problem; return the exit status."""
    refused = refused_folders(raw, output)
    if refused is not None:
        return refused
    result = build.run(
        raw,
        output,
        workers or os.cpu_count() or 1,
        progress_bar,
        print_checked,
        say_waiting(output),
        shared,
    )
    if os.environ.get("BIEU_TIMING"):  # how long each stage took, for `make bench`
        for stage, seconds, memory in result.timings:
            print(f"thời gian {stage}: {seconds:.2f} s, {memory}", file=sys.stderr)
    return report(result, raw, output)


def refused_folders(raw: Path, output: Path | None = None) -> int | None:
    """The exit status, after one line, where a folder a command is given cannot be used: a
    path longer than the system takes, an output folder behind a link to nothing; else None."""
    from pipeline.paths import broken_link, too_long

    for folder in (raw, output):
        reason = too_long(folder) if folder is not None else None
        if reason:
            print(reason, file=sys.stderr)
            return EXIT_DATA
    link = broken_link(output) if output is not None else None
    if link:
        print(f"{link}; hoặc chỉ thư mục kết quả khác bằng --output THƯ_MỤC", file=sys.stderr)
        return EXIT_WRITE
    return None


def report(result: build.RunResult, raw: Path, output: Path) -> int:
    """Print what the run did; return the exit status."""
    if result.outcome in ("no_raw", "refused", "not_ours"):
        _err(_not_started(result, raw, output))
        return EXIT_DATA
    if result.outcome == "unchanged":
        print(f"Không có gì thay đổi kể từ lần chạy trước: {output.name}/ giữ nguyên.")
        return EXIT_OK
    if result.marked and result.outcome in ("blocked", "built"):
        _err(marked_line(result.marked, raw, output))
    if result.outcome == "blocked" and result.checked and not result.checked.files:
        _err(no_commune_file(raw, output, result.errors))
        return EXIT_DATA
    if result.outcome == "blocked":
        _err(
            f"Chưa ghi phụ lục nào vào {output.name}/: sửa các ô nêu trên rồi chạy lại `{rerun()}`."
        )
        return EXIT_DATA
    stopped = result.blocked
    if stopped:
        shown = ", ".join(sorted(stopped)[:10]) + (", …" if len(stopped) > 10 else "")
        _err(
            f"Chưa dựng lại {len(stopped)} xã mới vì có lỗi ở xã đó hoặc ở xã hợp thành ({shown}): "
            f"sửa các ô nêu trên rồi chạy lại `{rerun()}`; các xã khác vẫn được dựng."
        )
    if result.outcome == "locked":
        _locked(result.locked, output)
        return EXIT_WRITE
    if result.outcome == "not_written":
        _err(_not_written(result.write_error, output))
        return EXIT_WRITE
    _built(result, raw, output)
    return EXIT_DATA if result.errors else EXIT_OK


def _err(line: str) -> None:
    print(line, file=sys.stderr)


def _not_started(result: build.RunResult, raw: Path, output: Path) -> str:
    """Why nothing was read or written: no folder of raw data, or an output folder refused."""
    if result.outcome == "no_raw" and raw.is_symlink():
        return f"{raw}: là liên kết hỏng hoặc trỏ vòng, không tới được thư mục dữ liệu gốc"
    if result.outcome == "no_raw":
        from pipeline.paths import start_command

        return (
            f"{raw}: không tìm thấy thư mục dữ liệu gốc; chạy lệnh trong thư mục có "
            f"{raw.name}/, hoặc chỉ chỗ khác bằng --raw THƯ_MỤC; hồ sơ mới thì bắt đầu bằng "
            f"`{start_command(raw)}`"
        )
    if result.outcome == "refused":
        return (
            f"{output}: thư mục kết quả {result.refusal}; chọn thư mục kết quả khác (--output "
            f"THƯ_MỤC), không trùng, không nằm trong và không chứa {raw.name}/. Chưa ghi gì."
        )
    return (
        f"{output}: thư mục đã có tệp không do chương trình ghi ({result.theirs}) mà chưa "
        f"có kết quả của lần chạy nào; chọn thư mục trống hoặc chưa có (--output THƯ_MỤC), "
        f"hoặc thêm {SHARED_FLAG} để ghi cạnh các tệp đó (không xóa tệp nào không do chương "
        f"trình ghi; tệp trùng tên với một phụ lục sẽ bị thay). Chưa ghi gì."
    )


def _locked(locked: list[str], output: Path) -> None:
    """The outputs open in Word, Excel or LibreOffice, and how to free them."""
    for name in locked:
        program = "Word" if name.endswith(".docx") else "Excel"
        _err(
            f"{output.name}/{name}: tệp đang mở trong {program} hoặc LibreOffice; đóng tệp "
            f"rồi chạy lại `{rerun()}`"
        )
    _err(
        f"Chưa ghi gì vào {output.name}/. Nếu tệp không còn mở ở đâu (máy tắt đột ngột khi "
        "đang mở), xóa tệp khóa bên cạnh nó: tên bắt đầu bằng ~$ hoặc .~lock."
    )


def _not_written(failed: write.CommitFailed, output: Path) -> str:
    """An output that could not be written, and what was kept of the old ones."""
    where = _shown(failed.path, output)
    if failed.said:
        kept = failed.said
    elif failed.restored:
        kept = "Chưa ghi gì: các tệp cũ vẫn giữ nguyên."
    else:
        kept = (
            f"Có tệp trong {output.name}/ chưa trả lại được như cũ; lần chạy sau sẽ dựng lại "
            "toàn bộ."
        )
    return (
        f"{where}: không ghi được ({failed.reason}); kiểm tra quyền ghi và chỗ trống trên đĩa "
        f"rồi chạy lại `{rerun()}`. {kept}"
    )


def _built(result: build.RunResult, raw: Path, output: Path) -> None:
    """A run that wrote: the province tables withheld, then the closing line."""
    for name in result.withheld:
        kept = " (tệp cũ giữ nguyên)" if (output / name).is_file() else ""
        _err(
            f"Chưa ghi bảng tổng hợp tỉnh {output.name}/{name}{kept} vì dữ liệu của tỉnh có lỗi: "
            f"sửa các ô nêu trên rồi chạy lại `{rerun()}`."
        )
    if not result.new_communes and result.unmerged:
        _err(no_new_commune(result.unmerged, raw))
    from pipeline.parse import format_vi

    stopped = result.blocked
    if not result.new_communes:  # nothing to make an annex for: said so, not "0 xã mới"
        made = f'chưa làm phụ lục nào ({raw.name}/ chưa có xã "{NEW}")'
    else:
        made = (
            f"{len(result.built)} xã mới, {len(result.rebuilt)} bộ phụ lục ghi mới vào "
            f"{output.name}/" + (f", {len(stopped)} xã mới chưa dựng vì lỗi" if stopped else "")
        )
    print(
        f"Xong: {made}; {counted(result)}{listed(result.built, output)}; "
        + f"{format_vi(result.seconds, 1)} giây."
    )


def counted(result: build.RunResult) -> str:
    """How many problems of each severity the run found: "0 lỗi, 1 cảnh báo, 27 phát hiện"."""
    counts = (result.errors, result.checked.warnings if result.checked else 0, result.findings)
    return ", ".join(f"{n} {word}" for n, word in zip(counts, SEVERITIES, strict=True))


def listed(built: list[str], output: Path) -> str:
    """Where the warnings and findings are listed: each new commune built has its kiem_tra.csv;
    with none built, no such file exists and none is named."""
    if not built:
        return ""
    if len(built) == 1:
        return f" (xem {output.name}/{built[0]}/{CHECKS_FILE})"
    return f" (xem {CHECKS_FILE} trong thư mục của từng xã mới ở {output.name}/)"


def no_new_commune(unmerged: list[tuple[str, str]], raw: Path) -> str:
    """Why a record of old communes only has no annex, and the command that makes the new
    commune's workbook that names them (with `--raw` where the record is not `raw/` here; its
    values in double quotes, which every shell and the Windows command prompt read)."""
    from pipeline.paths import shown_command

    codes = [code for _, code in unmerged]
    shown = ", ".join(codes[:10]) + (", …" if len(codes) > 10 else "")
    # a new commune is formed from a few old ones: their codes, where there are that few
    members = ", ".join(codes) if len(codes) <= 4 else "ma1, ma2"
    province = unmerged[0][0]
    if rerun().startswith("make"):
        command = (
            f"make mau MA=MÃ_XÃ_MỚI TEN='TÊN XÃ MỚI' TINH='{province}' LOAI=sau "
            f"XA_HOP_THANH='{members}'"
        )
    else:
        words = ["mau", "--loai", "sau", "--ma-xa", "MÃ_XÃ_MỚI", "--ten", "TÊN XÃ MỚI"]
        words += ["--tinh", province, "--xa-hop-thanh", members]
        command = shown_command(words, raw)
    return (
        f'Chưa có phụ lục nào: phụ lục làm cho xã "{NEW}", mà chưa xã "{NEW}" nào '
        f'ghi {len(codes)} xã trước sắp xếp ({shown}) ở sheet "Xã hợp thành". Tạo tệp của xã '
        f"mới bằng `{command}`, điền rồi chạy lại `{rerun()}`."
    )


def run_intake(args: argparse.Namespace) -> int:
    """`bieu mau` (a blank workbook for a commune) and `bieu nhap-word` (a draft from a report's
    Word tables): one line either way, and the exit status."""
    from pipeline import intake

    raw = Path(os.path.abspath(args.raw or default_raw()))
    refused = refused_folders(raw)
    if refused is not None:
        return refused
    common = (args.ma_xa, args.ten, args.tinh)
    try:
        if args.command == "mau":
            written = intake.make_form(raw, *common, args.loai, args.xa_hop_thanh, args.bieu_so)
        else:
            chosen = tuple(b for b in args.bieu if b.strip())
            written = intake.import_word(
                raw, args.bao_cao, *common, args.xa_hop_thanh, chosen, args.ghi_de
            )
    except intake.IntakeError as err:
        print(err, file=sys.stderr)
        return EXIT_DATA
    except OSError as err:  # a folder or file of raw/ the system will not make: where and why
        from pipeline.paths import display_path, why

        where = Path(os.path.abspath(err.filename)) if err.filename else raw
        shown = display_path(where, raw) if where.is_relative_to(raw) else str(where)
        print(f"{shown}: không ghi được ({why(err)})", file=sys.stderr)
        return EXIT_DATA
    if args.command == "mau":
        print(f"Đã tạo {written.shown}: điền theo sheet Hướng dẫn trong tệp, rồi chạy `{rerun()}`.")
    else:
        for note in written.notes:  # tables that are not annex tables, skipped
            print(tagged(note, WARNING), file=sys.stderr)
        print(
            f"Đã nhập {written.rows} dòng từ {args.bao_cao.name} (tài liệu có {written.seen} "
            f"dòng: {written.sources}) vào {written.shown}"
            + (", thay tệp cũ" if written.replaced else "")
            + f'; {written.decide} dòng cần người quyết định (tô màu, cột "Cần người quyết '
            'định"). Điền Diện tích, Dân số ở sheet Thông tin, xem các dòng đó, rồi chạy '
            f"`{rerun()}`."
        )
    return EXIT_OK


def run_start(args: argparse.Namespace) -> int:
    """`bieu khoi-tao`: a record's folder and the catalogue shipped with the program, then the
    commands that come next. A record that has its catalogue already is left as it is (exit 0:
    the record is started; the line says the catalogue was kept)."""
    from pipeline import intake

    raw = Path(os.path.abspath(args.raw or default_raw()))
    refused = refused_folders(raw)
    if refused is not None:
        return refused
    try:
        started = intake.start_record(raw)
    except intake.IntakeError as err:
        print(err, file=sys.stderr)
        return EXIT_DATA
    except OSError as err:
        from pipeline.paths import why

        print(f"{raw}: không tạo được ({why(err)})", file=sys.stderr)
        return EXIT_DATA
    if started.copied:
        made = f"Đã tạo thư mục {raw.name}/ và " if started.made_folder else "Đã "
        print(f"{made}chép danh mục chỉ tiêu mẫu vào {started.shown}.")
    else:
        print(f"{raw.name}/ đã có danh mục chỉ tiêu ({started.shown}): giữ nguyên, không chép đè.")
    old, new = mau_commands(raw)
    print(f"Tiếp theo, mỗi xã trước sắp xếp một tệp: `{old}`")
    print(f"rồi tệp của xã sau sắp xếp: `{new}`; điền các tệp đó rồi chạy `{rerun()}`.")
    return EXIT_OK


def mau_commands(raw: Path) -> tuple[str, str]:
    """The commands that make an old commune's workbook and a new commune's, as an officer
    types them."""
    from pipeline.paths import shown_command

    old = ["mau", "--loai", "truoc", "--ma-xa", "MÃ_XÃ", "--ten", "TÊN XÃ", "--tinh", "TÊN TỈNH"]
    new = ["mau", "--loai", "sau", "--ma-xa", "MÃ_XÃ_MỚI", "--ten", "TÊN XÃ MỚI"]
    new += ["--tinh", "TÊN TỈNH", "--xa-hop-thanh", "ma1, ma2"]
    return shown_command(old, raw), shown_command(new, raw)


def no_commune_file(raw: Path, output: Path, errors: int = 1) -> str:
    """A record with the catalogue and no commune's workbook: no cell to mend, the workbooks
    to make (and, where the catalogue has errors besides, its cells)."""
    old, new = mau_commands(raw)
    return (
        f"Chưa ghi phụ lục nào vào {output.name}/: chưa có tệp xã nào. Mỗi xã trước sắp xếp một "
        f"tệp: `{old}`, rồi tệp của xã sau sắp xếp: `{new}`; điền các tệp đó rồi chạy lại "
        f"`{rerun()}`."
    ) + (" Sửa cả các ô nêu trên." if errors > 1 else "")


def run_serve(args: argparse.Namespace) -> int:
    """`bieu phuc-vu`: the intake page over raw/ and output/, until Ctrl+C."""
    raw = Path(os.path.abspath(args.raw or default_raw()))
    output = Path(os.path.abspath(args.output or default_output()))
    refused = refused_folders(raw, output)
    if refused is not None:
        return refused
    from pipeline.serve import cli as serve

    return serve.serve(raw, output, args.host, args.port, args.https)


def run_access(args: argparse.Namespace) -> int:
    """`bieu ma-truy-cap` (an access code, printed once) and `bieu phan-xa` (a new commune's
    old communes, as the province declares them)."""
    raw = Path(os.path.abspath(args.raw or default_raw()))
    refused = refused_folders(raw)
    if refused is not None:
        return refused
    from pipeline.serve import cli as serve

    if args.command == "phan-xa":
        return serve.declare(raw, args.xa, args.xa_hop_thanh, args.ten, args.tinh)
    return serve.new_code(raw, args.xa, args.tinh)


def marked_line(names: list[str], raw: Path, output: Path) -> str:
    """Where the marked copies are: the one copy's path, or their folder and count."""
    if len(names) == 1:
        where = f"trong bản sao {output.name}/{names[0]}"
    else:
        where = f"trong bản sao của {len(names)} tệp, ở {output.name}/{names[0].split('/')[0]}/"
    return (
        f"Đã tô màu các ô có vấn đề {where} (đỏ: {ERROR}, cam: {WARNING}; lời nhắn ở ghi chú của "
        "ô). "
        f"Sửa trong tệp gốc ở {raw.name}/, không sửa bản sao."
    )


def rerun() -> str:
    """The command a message tells the officer to run again: `bieu annexes`, or what the
    Makefile says it ran (`make annexes`)."""
    return os.environ.get("BIEU_RERUN") or "bieu annexes"


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed(PACKAGE)
    except PackageNotFoundError:
        return "chưa cài đặt (chạy từ mã nguồn)"


class ShowVersion(argparse.Action):
    """`--version`: the installed version, looked up only when asked (a run with nothing
    changed does not pay for the package metadata)."""

    def __init__(self, option_strings, dest, **kwargs) -> None:
        super().__init__(option_strings, dest, nargs=0, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        print(f"{parser.prog} {version()}")
        parser.exit()


def positive(text: str) -> int:
    """A number of processes: a whole number of at least 1."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f'"{text}" không phải là số nguyên dương')
    return number


def add_raw(command: argparse.ArgumentParser) -> None:
    """`--raw`, as every command that reads the record takes it."""
    command.add_argument(
        "--raw",
        type=Path,
        metavar="THƯ_MỤC",
        help=f"thư mục dữ liệu gốc (mặc định: {RAW_NAME} trong thư mục đang đứng)",
    )


def parser() -> argparse.ArgumentParser:
    """The command line, every word in Vietnamese (argparse's own through `console`)."""
    top = argparse.ArgumentParser(
        prog="bieu",
        description="Biểu chỉ tiêu Đại hội Đảng bộ xã: đọc bảng tính của các xã, kiểm tra, "
        "chấm điểm, gộp và xuất phụ lục.",
        epilog=f"Chạy trong thư mục có {RAW_NAME}/: bieu annexes. Hướng dẫn sử dụng: tệp "
        "HUONG_DAN.pdf đi kèm chương trình.",
    )
    top.add_argument("--version", action=ShowVersion, help="in phiên bản rồi thoát")
    commands = top.add_subparsers(title="lệnh", dest="command", metavar="LỆNH", required=True)
    here = Path.cwd()
    annexes = commands.add_parser(
        "annexes",
        help=f"đọc {RAW_NAME}/, kiểm tra và xuất {OUTPUT_NAME}/ (việc chính)",
        description=f"Đọc mọi bảng tính trong {RAW_NAME}/, kiểm tra, chấm điểm, gộp và ghi các "
        f"phụ lục vào {OUTPUT_NAME}/. Mặc định dùng {RAW_NAME}/ và {OUTPUT_NAME}/ trong thư mục "
        f"đang đứng ({here}).",
    )
    add_raw(annexes)
    annexes.add_argument(
        "--output",
        type=Path,
        metavar="THƯ_MỤC",
        help=f"thư mục kết quả (mặc định: {OUTPUT_NAME} trong thư mục đang đứng)",
    )
    annexes.add_argument(
        "--workers",
        type=positive,
        metavar="SỐ",
        help="số tiến trình chạy song song (mặc định: số lõi của máy)",
    )
    annexes.add_argument(
        SHARED_FLAG,
        action="store_true",
        help="ghi vào thư mục kết quả đã có tệp khác (các tệp đó giữ nguyên)",
    )
    annexes.set_defaults(
        run=lambda args: run_annexes(
            Path(os.path.abspath(args.raw or default_raw())),
            Path(os.path.abspath(args.output or default_output())),
            args.workers,
            args.ghi_chung,
        )
    )
    start = commands.add_parser(
        "khoi-tao",
        help=f"bắt đầu hồ sơ mới: tạo {RAW_NAME}/ và chép danh mục chỉ tiêu mẫu vào đó",
        description=f"Tạo thư mục {RAW_NAME}/ trong thư mục đang đứng ({here}) và chép vào đó "
        "danh mục chỉ tiêu mẫu đi kèm chương trình; không chép đè danh mục đã có, không tạo "
        "tệp xã nào.",
    )
    add_raw(start)
    start.set_defaults(run=run_start)
    _code_command(commands)
    _commune_commands(commands)
    _serve_commands(commands)
    return top


def _code_command(commands) -> None:
    """`bieu ma-truy-cap`: an access code to the intake page (in its place in the list)."""
    code = commands.add_parser(
        "ma-truy-cap",
        help="cấp mã truy cập mới cho một xã mới hoặc cho tỉnh (in ra một lần)",
        description="Tạo mã truy cập mới, in ra một lần duy nhất; chỉ lưu bản băm. Mã cũ của "
        "tài khoản đó (nếu có) hết hiệu lực.",
    )
    who = code.add_mutually_exclusive_group(required=True)
    who.add_argument("--xa", metavar="MÃ_XÃ_MỚI", help="mã xã mới (đã khai bằng bieu phan-xa)")
    who.add_argument("--tinh", action="store_true", help="tài khoản của văn phòng tỉnh")
    add_raw(code)
    code.set_defaults(run=run_access)


def _serve_commands(commands) -> None:
    """`bieu phan-xa` and `bieu phuc-vu`: the province's intake page."""
    members = commands.add_parser(
        "phan-xa",
        help="khai các xã hợp thành của một xã mới (trước khi cấp mã truy cập)",
        description="Khai các xã trước sắp xếp hợp thành một xã mới; khai lại thì thay danh "
        "sách cũ.",
    )
    members.add_argument("--xa", required=True, metavar="MÃ_XÃ_MỚI", help="mã xã mới")
    members.add_argument(
        "--xa-hop-thanh",
        required=True,
        metavar="DANH_SÁCH",
        help="'ma1, ma2': mã các xã cũ; 'ma1=Tên 1, ma2=Tên 2' để trang có tệp mẫu trống",
    )
    members.add_argument("--ten", default="", metavar="TÊN", help="tên xã mới, như in")
    members.add_argument("--tinh", default="", metavar="TỈNH", help="tên tỉnh")
    add_raw(members)
    members.set_defaults(run=run_access)
    serve = commands.add_parser(
        "phuc-vu",
        help="mở trang nhận bảng tính của các xã qua trình duyệt",
        description=f"Mở trang web để các xã gửi bảng tính, xem lỗi và tải phụ lục; dùng "
        f"{RAW_NAME}/ và {OUTPUT_NAME}/ như bieu annexes, lịch sử ở thư mục nop/ cạnh {RAW_NAME}/.",
    )
    add_raw(serve)
    serve.add_argument("--output", type=Path, metavar="THƯ_MỤC", help="thư mục kết quả")
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        metavar="ĐỊA_CHỈ",
        help="địa chỉ nghe (mặc định 127.0.0.1: chỉ máy này; 0.0.0.0: cả mạng cơ quan)",
    )
    serve.add_argument("--port", type=positive, default=8765, metavar="CỔNG", help="cổng (8765)")
    serve.add_argument(
        "--https",
        nargs="?",
        const="127.0.0.1",
        default="",
        metavar="ĐỊA_CHỈ",
        help="chạy sau máy chủ HTTPS của cơ quan (ĐỊA_CHỈ: IP của máy chủ đó, mặc định "
        "127.0.0.1 là cùng máy): cookie phiên chỉ gửi qua HTTPS, địa chỉ của người dùng lấy "
        "từ X-Forwarded-For mà máy chủ đó ghi",
    )
    serve.set_defaults(run=run_serve)


def _commune_commands(commands) -> None:
    """`bieu mau` (an empty form) and `bieu nhap-word` (a draft from a report's Word tables):
    both make one commune's workbook, named by the same options."""
    commune = argparse.ArgumentParser(add_help=False)
    commune.add_argument(
        "--ma-xa", default="", metavar="MÃ", help="mã xã, không trùng với xã nào trong raw/"
    )
    commune.add_argument("--ten", default="", metavar="TÊN", help="tên xã như in trong báo cáo")
    commune.add_argument(
        "--tinh", default="", metavar="TỈNH", help="tên tỉnh (thư mục raw/<tỉnh>/)"
    )
    commune.add_argument(
        "--xa-hop-thanh",
        default="",
        metavar="DANH_SÁCH",
        help="xã sau sắp xếp: các xã hợp thành, 'ma1=Tên 1, ma2=Tên 2' (chỉ mã nếu xã đã có "
        "trong raw/)",
    )
    add_raw(commune)
    form = commands.add_parser(
        "mau",
        parents=[commune],
        help="tạo tệp Excel để điền cho một xã, đặt vào raw/<tỉnh>/<mã xã>.xlsx",
        description="Tạo một tệp Excel trống, đúng mẫu, để điền số liệu của một xã; không bao "
        "giờ ghi đè tệp đã có.",
    )
    form.add_argument(
        "--loai",
        default="",
        metavar="LOẠI",
        help=f"{OLD}, {NEW}, hoặc {KEPT} (truoc, sau, giu)",
    )
    form.add_argument(
        "--bieu-so", default="", metavar="SỐ", help="số biểu như in (01); xã mới: tự tính"
    )
    form.set_defaults(run=run_intake)
    word = commands.add_parser(
        "nhap-word",
        parents=[commune],
        help="nhập bảng chỉ tiêu từ báo cáo Word (.docx) thành tệp nháp trong raw/",
        description="Nhập các bảng chỉ tiêu của một báo cáo Word (.docx) thành tệp nháp trong "
        "raw/, gợi ý mã chỉ tiêu cho từng dòng.",
    )
    word.add_argument("bao_cao", type=Path, metavar="BÁO_CÁO", help="tệp báo cáo .docx")
    word.add_argument(
        "--bieu",
        action="append",
        default=[],
        metavar="SỐ",
        help="số biểu cần nhập khi tài liệu có nhiều bảng (01); xã giữ nguyên: hai lần",
    )
    word.add_argument(
        "--ghi-de",
        action="store_true",
        help="thay tệp của xã này trong raw/ (bản nháp nhập lần trước) bằng bản nhập mới",
    )
    word.set_defaults(run=run_intake)
    proof = commands.add_parser(
        "soat-bao-cao",
        help="soát báo cáo Word (.docx) của xã theo các bảng trong raw/, ghi góp ý vào bản sao",
        description="Đọc phần hai, phần ba của báo cáo Word (.docx), so từng số liệu, tỷ lệ, "
        "đánh giá với các bảng trong raw/ và với phép tính; ghi một bản sao có góp ý (comment) "
        "ở từng chỗ lệch, cùng danh sách các chỗ lệch (.csv). Tệp gốc không bị sửa.",
    )
    proof.add_argument("bao_cao", type=Path, metavar="BÁO_CÁO", help="tệp báo cáo .docx")
    add_raw(proof)
    proof.add_argument(
        "--ma-xa",
        default="",
        metavar="MÃ",
        help="mã xã sau sắp xếp của báo cáo (không cần khi raw/ chỉ có một xã sau sắp xếp)",
    )
    proof.add_argument(
        "--thu-muc",
        type=Path,
        metavar="THƯ_MỤC",
        help="thư mục ghi bản sao có góp ý (mặc định: soat_bao_cao trong thư mục đang đứng)",
    )
    proof.set_defaults(run=run_proofread)


def run_proofread(args: argparse.Namespace) -> int:
    """`bieu soat-bao-cao`: one line per disagreement, where the copy and the list went."""
    from pipeline import intake
    from pipeline.intake.proofread import FOLDER, proofread

    raw = Path(os.path.abspath(args.raw or default_raw()))
    folder = Path(os.path.abspath(args.thu_muc or Path.cwd() / FOLDER))
    try:
        done = proofread(raw, args.bao_cao, folder, args.ma_xa)
    except intake.IntakeError as err:
        print(err, file=sys.stderr)
        return EXIT_DATA
    except OSError as err:
        from pipeline.paths import why

        print(f"{err.filename or folder}: không ghi được ({why(err)})", file=sys.stderr)
        return EXIT_DATA
    for remark in done.remarks:
        print(remark.line(args.bao_cao.name))
    shown = lambda path: os.path.relpath(path) if path.is_relative_to(Path.cwd()) else str(path)  # noqa: E731
    print(
        f"Đã soát {args.bao_cao.name} ({done.passages} mục ở phần hai, phần ba) theo các bảng "
        f"của xã {done.commune} trong {raw.name}/: {len(done.remarks)} chỗ lệch. Bản sao có góp ý "
        f"ở từng chỗ: {shown(done.copy)}; danh sách: {shown(done.listed)}. Tệp gốc giữ nguyên."
    )
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    console.utf8_streams()
    try:
        Path.cwd()  # every default folder is in it, and the help names it
    except OSError as err:
        from pipeline.paths import why

        print(
            f"không xác định được thư mục đang đứng ({why(err)}): chuyển vào thư mục làm việc "
            "(thư mục có raw/) rồi chạy lại",
            file=sys.stderr,
        )
        return EXIT_DATA
    with console.vietnamese_argparse():
        args = parser().parse_args(argv)
    try:
        with write.stoppable():
            return args.run(args)
    except write.Interrupted as stop:
        print(stopped_line(stop, args), file=sys.stderr, flush=True)
        return EXIT_SIGNAL + stop.signum


def stopped_line(stop: write.Interrupted, args: argparse.Namespace) -> str:
    """The one line of a run stopped by a signal: what stopped it, and what became of the
    outputs (all as before the run, or all written when the commit was already whole)."""
    import signal

    how = "Ctrl+C" if stop.signum == signal.SIGINT else "tín hiệu SIGTERM"
    if args.command != "annexes":
        return f"Đã dừng theo yêu cầu ({how})."
    shown = Path(args.output or default_output()).name
    if stop.written:
        return f"Đã dừng theo yêu cầu ({how}) sau khi ghi xong: {shown}/ đã có đủ tệp mới."
    return f"Đã dừng theo yêu cầu ({how}): {shown}/ giữ nguyên như trước lần chạy này."


def _without_test_data() -> None:
    """pandera, when it first checks a table, imports Hypothesis where it is installed (a
    developer's machine) for generating test data, which a run never does: 70 ms of a run. A
    run that has loaded Hypothesis already is left as it is."""
    if "hypothesis" not in sys.modules:
        sys.modules["hypothesis"] = None  # type: ignore[assignment]  # pandera then goes without


def command() -> None:
    """The `bieu` command and `python -m pipeline`: `main`, then an exit that skips tearing
    down the interpreter's modules and objects one by one (0,12 s with pandas loaded, and
    longer the more a run held). Every file is written and closed, and every worker process
    ended, before `main` returns; the streams are flushed here. Under a profiler or a tracer
    (cProfile, coverage), which write their results as the interpreter ends, it ends as usual."""
    _without_test_data()
    status = main()
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(status)
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:  # None where the program was started without it
            with contextlib.suppress(OSError, ValueError):  # a closed pipe, a closed stream
                stream.flush()
    os._exit(status)


if __name__ == "__main__":
    command()

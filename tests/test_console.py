"""The command as an officer meets it: in Vietnamese (argparse's own words too), run in any
folder, and printing Vietnamese on a console or into a file whatever the code page."""

from __future__ import annotations

import argparse
import ast
import inspect
import os
import re
import shutil
import subprocess
import sys

import pytest

from pipeline import cli, console
from pipeline.paths import ROOT
from tests.conftest import edit

ENGLISH = ("usage:", "options:", "positional arguments", "show this help", "error:", "required")

# argparse's words that only a mistake in defining the parser can show (it raises them as
# ValueError or TypeError while the parser is built), never an officer typing a command
PROGRAMMER_ERRORS = {
    "%r is not callable",
    "'required' is an invalid argument for positionals",
    ".__call__() not defined",
    'argument "-" with mode %r',
    "cannot have multiple subparser arguments",
    "cannot merge actions - two groups are named %r",
    "conflicting option string: %s",
    "conflicting option strings: %s",
    "conflicting subparser alias: %s",
    "conflicting subparser: %s",
    "dest= is required for options like %r",
    "invalid conflict_resolution value: %r",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r",
    "mutually exclusive arguments must be optional",
    "unexpected option string: %s",
}


def commands() -> list[str]:
    """Every subcommand the parser offers."""
    action = next(a for a in cli.parser()._actions if isinstance(a, argparse._SubParsersAction))
    return list(action.choices)  # in the order the help and argparse list them


def run_main(capsys, *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as stop:
        cli.main(list(argv))
    captured = capsys.readouterr()
    return stop.value.code, captured.out, captured.err


def test_every_word_argparse_can_print_is_translated():
    tree = ast.parse(inspect.getsource(argparse))
    words = {
        arg.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("_", "ngettext")
        for arg in node.args
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
    }
    assert words - PROGRAMMER_ERRORS - set(console.ARGPARSE_WORDS) == set()


def test_the_help_is_in_vietnamese(capsys):
    status, out, _ = run_main(capsys, "--help")
    assert status == 0
    assert out.startswith("Cách dùng: bieu [-h] [--version] LỆNH ...\n")
    # the column of the words follows the longest command's name (soat-bao-cao)
    assert re.search(r"\n  -h, --help +in hướng dẫn này rồi thoát\n", out)
    assert re.search(r"\n    annexes +đọc raw/, kiểm tra và xuất output/ \(việc chính\)\n", out)
    assert not [word for word in ENGLISH if word in out]


@pytest.mark.parametrize("command", commands())
def test_every_subcommand_has_its_help_in_vietnamese(capsys, command):
    status, out, _ = run_main(capsys, command, "--help")
    assert status == 0
    assert out.startswith(f"Cách dùng: bieu {command} ")
    assert "tùy chọn:" in out
    assert not [word for word in ENGLISH if word in out]


def test_the_annexes_help_says_where_it_looks(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "400")  # a long folder name on one line
    _, out, _ = run_main(capsys, "annexes", "--help")
    flat = " ".join(out.split())
    assert f"Mặc định dùng raw/ và output/ trong thư mục đang đứng ({tmp_path})." in flat
    assert "--raw THƯ_MỤC thư mục dữ liệu gốc (mặc định: raw trong thư mục đang đứng)" in flat


def test_the_version(capsys):
    from importlib.metadata import version

    assert run_main(capsys, "--version") == (0, f"bieu {version('bieu-chi-tieu')}\n", "")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], ["Cách dùng: bieu [-h] [--version] LỆNH ...", "bieu: lỗi: thiếu LỆNH"]),
        (
            ["tong_hop"],
            [
                "Cách dùng: bieu [-h] [--version] LỆNH ...",
                "bieu: lỗi: LỆNH: không có lựa chọn 'tong_hop' (chọn một trong: "
                + ", ".join(repr(c) for c in commands())
                + ")",
            ],
        ),
        (
            ["annexes", "--workers", "hai"],
            [
                "Cách dùng: bieu annexes [-h] [--raw THƯ_MỤC] [--output THƯ_MỤC] [--workers SỐ]",
                "                        [--ghi-chung]",
                'bieu annexes: lỗi: --workers: "hai" không phải là số nguyên dương',
            ],
        ),
        (
            ["annexes", "--raw"],
            [
                "Cách dùng: bieu annexes [-h] [--raw THƯ_MỤC] [--output THƯ_MỤC] [--workers SỐ]",
                "                        [--ghi-chung]",
                "bieu annexes: lỗi: --raw: cần ghi một giá trị sau tùy chọn này",
            ],
        ),
        (
            ["annexes", "--thu"],
            ["Cách dùng: bieu [-h] [--version] LỆNH ...", "bieu: lỗi: không hiểu: --thu"],
        ),
    ],
    ids=["no command", "unknown command", "workers not a number", "no value", "unknown option"],
)
def test_a_mistyped_command_is_answered_in_vietnamese(capsys, argv, expected):
    status, out, err = run_main(capsys, *argv)
    assert (status, out, err.splitlines()) == (2, "", expected)


def test_argparse_speaks_english_again_after_the_command_line(capsys):
    run_main(capsys, "--help")
    assert argparse.ArgumentParser(prog="x").format_usage() == "usage: x [-h]\n"


def test_the_command_reads_raw_and_writes_output_in_the_current_folder(
    seed_raw_dir, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)  # the seed's copy is tmp_path/raw
    assert cli.main(["annexes"]) == 0
    assert (tmp_path / "output" / "muong_lam" / "bieu_chi_tieu.xlsx").is_file()
    assert "ghi mới vào output/" in capsys.readouterr().out


def test_a_folder_without_raw_says_where_it_looked(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["annexes"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"{tmp_path / 'raw'}: không tìm thấy thư mục dữ liệu gốc; chạy lệnh trong thư mục có "
        "raw/, hoặc chỉ chỗ khác bằng --raw THƯ_MỤC; hồ sơ mới thì bắt đầu bằng `bieu khoi-tao`"
    ]


def test_messages_name_the_command_the_officer_ran(seed_raw_dir, tmp_path, monkeypatch, capsys):
    edit(seed_raw_dir / "son_la/dua_mon.xlsx", "Chỉ tiêu", "E7", "mười")
    args = ["annexes", "--raw", str(seed_raw_dir), "--output", str(tmp_path / "out")]
    cli.main(args)
    assert "rồi chạy lại `bieu annexes`." in capsys.readouterr().err
    monkeypatch.setenv("BIEU_RERUN", "make annexes")  # what the Makefile sets
    cli.main(args)
    assert "rồi chạy lại `make annexes`." in capsys.readouterr().err


# --- a console that is not UTF-8: Windows gives output redirected to a file or a pipe its ANSI
# code page (cp1258 on a Vietnamese system, cp1252 on most others); here that is what
# PYTHONIOENCODING does, with UTF-8 mode off


@pytest.mark.processes
@pytest.mark.parametrize("encoding", ["cp1258", "cp1252", "ascii"])
def test_messages_print_whatever_the_console_code_page(seed_raw_dir, tmp_path, encoding):
    edit(seed_raw_dir / "son_la/dua_mon.xlsx", "Chỉ tiêu", "E7", "mười")
    env = {**os.environ, "PYTHONIOENCODING": encoding, "PYTHONUTF8": "0"}
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "annexes", "--raw", str(seed_raw_dir)],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        check=False,
    )
    err = done.stderr.decode("utf-8")
    assert done.returncode == 2, err
    assert err.splitlines()[0] == (
        'raw/son_la/dua_mon.xlsx › Chỉ tiêu › E7: "mười" không phải là số'
    )
    assert done.stdout.decode("utf-8").startswith("Đã đọc 3 tệp xã (2 xã trước sắp xếp")
    assert "Traceback" not in err


def test_the_help_prints_whatever_the_console_code_page(tmp_path):
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "PYTHONUTF8": "0", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "--help"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        check=True,
    )
    assert done.stdout.decode("utf-8").startswith("Cách dùng: bieu")


def test_a_utf8_console_is_left_as_it_is(monkeypatch):
    class Stream:
        encoding = "UTF-8"

        def reconfigure(self, **_):
            raise AssertionError("a UTF-8 stream was reconfigured")

    monkeypatch.setattr(sys, "stdout", Stream())
    monkeypatch.setattr(sys, "stderr", Stream())
    console.utf8_streams()


def test_the_makefile_names_make_annexes_in_its_messages():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\nannexes mau nhap-word: export BIEU_RERUN = make annexes\n" in makefile


def test_running_as_a_module_runs_the_command_only_as_main():
    """A worker started by spawn imports the main module again: it must not run a build."""
    source = (ROOT / "pipeline" / "__main__.py").read_text(encoding="utf-8")
    assert 'if __name__ == "__main__":' in source


@pytest.mark.processes
def test_a_run_with_nothing_changed_loads_neither_pandas_nor_the_package_metadata(
    seed_raw_dir, tmp_path
):
    out = tmp_path / "output"
    assert cli.main(["annexes", "--raw", str(seed_raw_dir), "--output", str(out)]) == 0
    probe = (
        "import sys; from pipeline.cli import main; "
        f"status = main(['annexes', '--raw', {str(seed_raw_dir)!r}, '--output', {str(out)!r}]); "
        "print(status, sorted(m for m in ('pandas', 'importlib.metadata', 'openpyxl') "
        "if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == "0 []"


def _command(raw, output, *python_options, **run) -> subprocess.CompletedProcess:
    """`python -m pipeline annexes` as a process of its own, its output buffered as in a pipe
    (PYTHONUNBUFFERED unset: a line not flushed at the end would be lost)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run(
        [sys.executable, *python_options, "-m", "pipeline", "annexes"]
        + ["--raw", str(raw), "--output", str(output)],
        cwd=ROOT,
        capture_output="stdout" not in run,
        text=True,
        encoding="utf-8",
        env=env,
        **run,
    )


@pytest.mark.processes
def test_a_command_run_loads_neither_hypothesis_nor_openpyxl_and_says_all_it_has_to(
    seed_raw_dir, tmp_path
):
    """`python -m pipeline` (and `bieu`) ends without tearing the interpreter down: its last
    line must still reach the pipe, and its status the caller. A clean record loads neither
    openpyxl (only marked copies need it) nor Hypothesis (pandera's test data)."""
    edit(seed_raw_dir / "son_la" / "dua_mon.xlsx", "Chỉ tiêu", "E31", "3")  # the seed's warning
    done = _command(seed_raw_dir, tmp_path / "output", "-X", "importtime")
    assert done.returncode == 0
    assert done.stdout.splitlines()[-1].startswith("Xong: 1 xã mới")
    imported = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert "pandas" in imported
    assert not imported & {"openpyxl", "hypothesis"}


@pytest.mark.processes
def test_a_command_run_exits_with_the_status_of_its_problems(seed_raw_dir, tmp_path):
    raw = tmp_path / "broken"
    shutil.copytree(seed_raw_dir, raw)
    (raw / "son_la" / "dua_mon.xlsx").write_bytes(b"not a workbook")
    done = _command(raw, tmp_path / "output")
    assert done.returncode == 2
    assert "dua_mon.xlsx" in done.stderr


@pytest.mark.processes
@pytest.mark.skipif(sys.platform == "win32", reason="closes the process's standard streams")
def test_a_command_started_without_its_output_streams_still_builds_and_says_0(
    seed_raw_dir, tmp_path
):
    """A scheduled task or pythonw starts the program with no standard output: sys.stdout is
    None, and the end of the run must not stumble on it."""
    closed = (
        "import os, runpy, sys; os.close(1); os.close(2); sys.stdout = sys.stderr = None; "
        "sys.argv = ['bieu', *sys.argv[1:]]; "
        "runpy.run_module('pipeline', run_name='__main__')"
    )
    done = subprocess.run(
        [sys.executable, "-c", closed, "annexes", "--raw", str(seed_raw_dir)]
        + ["--output", str(tmp_path / "output")],
        cwd=ROOT,
    )
    assert done.returncode == 0
    assert (tmp_path / "output" / "muong_lam" / "bieu_chi_tieu.xlsx").exists()


@pytest.mark.processes
def test_a_command_run_under_a_profiler_ends_as_usual_so_the_profile_is_written(
    seed_raw_dir, tmp_path
):
    profile = tmp_path / "run.prof"
    done = _command(seed_raw_dir, tmp_path / "output", "-m", "cProfile", "-o", str(profile))
    assert done.returncode == 0
    assert profile.stat().st_size > 0

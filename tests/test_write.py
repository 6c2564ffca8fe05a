"""Writing into output/: all of a run's files or none; an interrupted commit finished at the next
start; nothing left behind; one run at a time."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import write
from pipeline.paths import RAW
from tests.conftest import besides_the_seeds, edit, snapshot


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_write_that_fails_while_staging_leaves_every_old_file_whole(tmp_path, monkeypatch):
    out = tmp_path / "out"
    write.write({"xa": {"a.csv": b"old a", "b.csv": b"old b"}}, out)
    real = write._durable
    calls = []

    def fail_on_second(path, data, sync=True):
        calls.append(1)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, data, sync)

    monkeypatch.setattr(write, "_durable", fail_on_second)
    with pytest.raises(OSError) as raised:
        write.write({"xa": {"a.csv": b"new a", "b.csv": b"new b"}}, out)
    assert raised.value.filename == str(out / "xa" / "b.csv")  # the output, not a temporary file
    assert files(out) == {"xa/a.csv": b"old a", "xa/b.csv": b"old b"}


def test_every_staged_file_is_on_the_disk_before_the_journal_names_it(tmp_path, monkeypatch):
    out = tmp_path / "out"
    real, seen = write._on_disk, []

    def check(staged, output):
        assert all(temp.read_bytes() for temp, _ in staged)  # written, not yet renamed
        assert not list(output.glob(".journal*")) and not (output / write.JOURNAL).exists()
        seen.append(sorted(final.name for _, final in staged))
        real(staged, output)

    monkeypatch.setattr(write, "_on_disk", check)
    write.write({"xa": {"a.csv": b"a", "b.csv": b"b"}}, out)
    assert seen == [["a.csv", "b.csv"]]
    assert files(out) == {"xa/a.csv": b"a", "xa/b.csv": b"b"}


@pytest.mark.parametrize("syncfs", [True, False], ids=["syncfs", "fsync each file"])
def test_a_write_the_disk_fails_keeps_every_old_file_and_says_so(tmp_path, monkeypatch, syncfs):
    """The disk reports, while the staged files are made durable, that a write failed (a
    failing USB stick): nothing is replaced, and the message names the output."""
    out = tmp_path / "out"
    write.write({"xa": {"a.csv": b"old a"}}, out)

    def failed(*_):
        raise OSError(errno.EIO, "Input/output error", str(out) if syncfs else None)

    real_fsync = os.fsync

    def staged_file_failed(fd):  # the staging record, written first, reaches the disk
        if os.readlink(f"/proc/self/fd/{fd}").endswith(f"{write.STAGING}.tmp"):
            return real_fsync(fd)
        return failed()

    if syncfs:
        monkeypatch.setattr(write, "_syncfs", failed)
    else:
        monkeypatch.setattr(write, "_syncfs", lambda output: False)
        monkeypatch.setattr(write.os, "fsync", staged_file_failed)
    with pytest.raises(write.CommitFailed) as raised:
        write.write({"xa": {"a.csv": b"new a", "b.csv": b"new b"}}, out)
    named = out if syncfs else out / "xa" / "a.csv"
    assert (raised.value.path, raised.value.reason, raised.value.restored) == (
        named,
        "ổ đĩa báo lỗi khi đọc hoặc ghi (hỏng, hoặc bị rút ra)",
        True,
    )
    assert files(out) == {"xa/a.csv": b"old a"}  # no temporary file, no journal left


def test_a_rename_that_fails_midway_puts_every_old_file_back(tmp_path, monkeypatch):
    out = tmp_path / "out"
    write.write({"xa": {"a.csv": b"old a", "b.csv": b"old b"}}, out)
    real = os.replace

    def refuse_b(source, target):
        if Path(target).name == "b.csv" and Path(source).name.endswith(".tmp"):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(source, target)

    monkeypatch.setattr(write.os, "replace", refuse_b)
    with pytest.raises(write.CommitFailed) as raised:
        write.write({"xa": {"a.csv": b"new a", "b.csv": b"new b", "c.csv": b"new c"}}, out)
    assert (raised.value.path, raised.value.reason, raised.value.restored) == (
        out / "xa" / "b.csv",
        "không có quyền",
        True,
    )
    assert files(out) == {"xa/a.csv": b"old a", "xa/b.csv": b"old b"}


def test_a_directory_where_an_output_goes_is_refused_before_anything_changes(tmp_path):
    out = tmp_path / "out"
    write.write({"xa": {"a.csv": b"old a"}}, out)
    (out / "xa" / "b.csv").mkdir()
    with pytest.raises(write.CommitFailed) as raised:
        write.write({"xa": {"a.csv": b"new a", "b.csv": b"new b"}}, out)
    assert raised.value.reason == "đã có một thư mục trùng tên ở đó"
    assert files(out) == {"xa/a.csv": b"old a"}


def test_recovery_finishes_a_commit_from_its_journal(tmp_path):
    out = tmp_path / "out"
    write.write({"xa": {"a.csv": b"old a", "b.csv": b"old b"}}, out)
    staged = write.stage({"xa": {"a.csv": b"new a", "b.csv": b"new b"}}, out)
    plan = {
        "files": [[str(t.relative_to(out)), str(f.relative_to(out))] for t, f in staged],
        "remove": [],
        "manifest": {"code": "x"},
    }
    (out / write.JOURNAL).write_text(json.dumps(plan))
    os.replace(out / "xa" / "a.csv", out / "xa" / ".a.csv.cu")  # killed between two renames
    write.recover(out)
    assert files(out) == {
        ".manifest.json": b'{\n "code": "x"\n}',
        "xa/a.csv": b"new a",
        "xa/b.csv": b"new b",
    }


THEIRS = {  # a user's own files in the output folder, named as ours might be
    ".bao_cao.docx.cu": b"user's",
    "anh/.thumbs.tmp": b"user's",
    "xa/.tmp1234.tmp": b"user's",
    "xa/ghi chú.tmp": b"user's",
    ".journal.abcd.tmp": b"user's",
}


def plant(folder: Path) -> None:
    for name, data in THEIRS.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    (folder / "trong" / "rong").mkdir(parents=True)  # empty folders of the user's


def test_recovery_removes_what_the_staging_record_names_and_nothing_else(tmp_path):
    """A run stopped while staging (no journal): the next start removes the temporary files
    and the folders it made, by the staging record's names; a user's own dotfiles, `.tmp`,
    `.cu` files and empty folders stay."""
    out = tmp_path / "out"
    write.write({"xa": {"a.csv": b"a"}}, out)
    plant(out)
    write.expect(out, ["xa/a.csv", "xb/b.csv"])
    write.stage({"xa": {"a.csv": b"new a"}, "xb": {"b.csv": b"new b"}}, out)  # then killed
    write.recover(out)
    assert files(out) == {"xa/a.csv": b"a", **THEIRS}
    assert (out / "trong" / "rong").is_dir() and not (out / "xb").exists()


# ---------------------------------------------------------------------------- fault injection

STEPS = ["staged", "journal", "committing", "file 0", "file 3", "removed", "manifest"]


def annexes(
    raw: Path, out: Path, stop: str | None = None, sent: str = ""
) -> subprocess.CompletedProcess:
    """A run of the command; killed at step `stop`, or sent the signal `sent` ("INT:<step>")."""
    env = {**os.environ, "BIEU_DUNG_TAI": stop or "", "BIEU_TIN_HIEU": sent}
    args = [sys.executable, "-m", "pipeline", "annexes", "--raw", str(raw), "--output", str(out)]
    return subprocess.run(args, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def records(made_up_province_module, tmp_path_factory) -> tuple[Path, Path]:
    """Two records of the made-up province: an earlier one, and the one after a correction to
    Tân An's targets and the removal of Đông (kept as it is) from raw/."""
    base = tmp_path_factory.mktemp("records")
    earlier, later = base / "earlier", base / "later"
    shutil.copytree(made_up_province_module, earlier)
    edit(earlier / "tinh_thu" / "tan_an.xlsx", "Mục tiêu", "D3", "50")
    shutil.copytree(made_up_province_module, later)
    (later / "tinh_thu" / "dong_moi.xlsx").unlink()
    (later / "tinh_thu" / "dong.xlsx").unlink()
    return earlier, later


@pytest.fixture(scope="module")
def earlier_output(records, tmp_path_factory) -> Path:
    """output/ as the earlier record's run left it."""
    out = tmp_path_factory.mktemp("earlier") / "output"
    assert annexes(records[0], out).returncode == 0
    return out


@pytest.fixture(scope="module")
def fresh(records, tmp_path_factory) -> dict[str, bytes]:
    """A fresh run's outputs of the later record."""
    out = tmp_path_factory.mktemp("fresh") / "output"
    assert annexes(records[1], out).returncode == 0
    return files(out)


@pytest.mark.faults
@pytest.mark.parametrize("stop", STEPS)
def test_a_run_killed_at_any_step_of_writing_is_made_whole_by_the_next(
    records, earlier_output, fresh, tmp_path, stop
):
    """Build the earlier record, then kill the run on the later one at a step of staging or
    committing (as a power cut would: the process ends at once), then run again: output/ equals
    a fresh run's, byte for byte, with no stray file."""
    later = records[1]
    out = tmp_path / "output"
    shutil.copytree(earlier_output, out)
    killed = annexes(later, out, stop)
    assert killed.returncode == 99, killed.stderr
    again = annexes(later, out)
    assert again.returncode == 0, again.stderr
    assert files(out) == fresh


# ------------------------------------------------------------------------------- signals

SEED_FILES = 7  # the seed's new commune's six files and its province's roll-up
SEED_STEPS = ["checked", "staged", "journal", "committing"]
SEED_STEPS += [f"file {i}" for i in range(SEED_FILES)] + ["removed", "manifest"]
WHOLE = SEED_STEPS[SEED_STEPS.index("committing") :]  # the journal is written: the commit ends


@pytest.fixture(scope="module")
def seed_records(tmp_path_factory) -> tuple[Path, Path]:
    """The seed before a correction of one target (every file of it then changes) and after."""
    base = tmp_path_factory.mktemp("seed")
    earlier, later = base / "earlier" / "raw", base / "later" / "raw"
    shutil.copytree(RAW, earlier)
    edit(earlier / "son_la" / "muong_lam.xlsx", "Mục tiêu", "D3", "2,5")
    shutil.copytree(RAW, later)
    return earlier, later


@pytest.fixture(scope="module")
def seed_outputs(seed_records, tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """output/ as the earlier seed's run left it, and a fresh run's outputs of the later one."""
    earlier = tmp_path_factory.mktemp("seed-earlier") / "output"
    assert annexes(seed_records[0], earlier).returncode == 0
    fresh = tmp_path_factory.mktemp("seed-fresh") / "output"
    assert annexes(seed_records[1], fresh).returncode == 0
    return earlier, files(fresh)


@pytest.mark.faults
@pytest.mark.parametrize("sent", ["INT", "TERM"])
@pytest.mark.parametrize("at", SEED_STEPS)
def test_a_signal_at_any_step_ends_the_run_in_one_line_and_leaves_a_whole_output(
    seed_records, seed_outputs, tmp_path, sent, at
):
    """SIGINT (Ctrl+C) or SIGTERM, delivered to the run at each step of the seed's run (the
    real handlers run): one line, status 130 or 143, output/ all as before the run or, once
    the journal is written, all as a fresh run; then a normal run equals a fresh run's, byte
    for byte, with no stray file and no false "nothing changed"."""
    earlier, fresh = seed_outputs
    out = tmp_path / "output"
    shutil.copytree(earlier, out)
    plant(out)
    fresh, earlier = {**fresh, **THEIRS}, {**files(earlier), **THEIRS}
    stopped = annexes(seed_records[1], out, sent=f"{sent}:{at}")
    how = "Ctrl+C" if sent == "INT" else "tín hiệu SIGTERM"
    if at in WHOLE:
        line = f"Đã dừng theo yêu cầu ({how}) sau khi ghi xong: output/ đã có đủ tệp mới."
        assert files(out) == fresh
    else:
        line = f"Đã dừng theo yêu cầu ({how}): output/ giữ nguyên như trước lần chạy này."
        assert files(out) == earlier
    said = besides_the_seeds(stopped.stderr.splitlines())
    assert (stopped.returncode, said) == (130 if sent == "INT" else 143, [line])
    again = annexes(seed_records[1], out)
    assert again.returncode == 0, again.stderr
    assert ("Không có gì thay đổi" in again.stdout) == (at in WHOLE)
    assert files(out) == fresh
    assert (out / "trong" / "rong").is_dir()


# ---------------------------------------------------------------- only what the run made


@pytest.mark.journeys
def test_a_users_own_files_survive_every_command(tmp_path, capsys):
    """Files of a user's own (dotfiles, .tmp, .cu, empty folders) in the output folder and in
    raw/ survive every command; a folder holding them and no manifest of ours is refused
    unless --ghi-chung is given; an output folder equal to, inside or containing raw/ is
    refused."""
    from pipeline.cli import main
    from tests.intake import reports

    raw, out = tmp_path / "du_lieu" / "raw", tmp_path / "TaiLieu"
    shutil.copytree(RAW, raw)
    edit(raw / "son_la" / "dua_mon.xlsx", "Chỉ tiêu", "E31", "3")  # no warning: no marked copy
    plant(raw)
    plant(out)

    def run(*args: str, output: Path = out) -> tuple[int, list[str]]:
        status = main(["annexes", "--raw", str(raw), "--output", str(output), *args])
        return status, capsys.readouterr().err.splitlines()

    def survive() -> None:
        for folder in (raw, out):
            assert {n: b for n, b in files(folder).items() if n in THEIRS} == THEIRS
            assert (folder / "trong" / "rong").is_dir()

    before = files(out)
    assert run() == (
        2,
        [
            f"{out}: thư mục đã có tệp không do chương trình ghi (.bao_cao.docx.cu) mà chưa có "
            "kết quả của lần chạy nào; chọn thư mục trống hoặc chưa có (--output THƯ_MỤC), hoặc "
            "thêm --ghi-chung để ghi cạnh các tệp đó (không xóa tệp nào không do chương trình "
            "ghi; tệp trùng tên với một phụ lục sẽ bị thay). Chưa ghi gì."
        ],
    )
    assert files(out) == before
    assert run("--ghi-chung")[0] == 0
    survive()
    edit(raw / "son_la" / "dua_mon.xlsx", "Chỉ tiêu", "E7", "mười")
    assert run()[0] == 2  # blocked: a marked copy only
    assert (out / "ban_danh_dau" / "son_la" / "dua_mon.xlsx").is_file()
    survive()
    edit(raw / "son_la" / "dua_mon.xlsx", "Chỉ tiêu", "E7", "13,5")
    assert run()[0] == 0
    assert not (out / "ban_danh_dau").exists()  # the copy is gone, by the manifest's name
    survive()

    raw_before = files(raw)
    for output, how in [
        (raw, "là chính thư mục dữ liệu gốc raw/"),
        (raw / "ket_qua", "nằm trong thư mục dữ liệu gốc raw/"),
        (raw / "son_la", "nằm trong thư mục dữ liệu gốc raw/"),
        (raw.parent, "chứa thư mục dữ liệu gốc raw/"),
    ]:
        assert run(output=output) == (
            2,
            [
                f"{output}: thư mục kết quả {how}; chọn thư mục kết quả khác (--output THƯ_MỤC), "
                "không trùng, không nằm trong và không chứa raw/. Chưa ghi gì."
            ],
        )
    assert files(raw) == raw_before and not (raw / "ket_qua").exists()
    survive()

    common = ["--raw", str(raw), "--tinh", "Sơn La"]
    assert main(["mau", *common, "--ma-xa", "moi", "--ten", "Mới", "--loai", "truoc"]) == 0
    report = reports.results_report(tmp_path / "bao_cao.docx", "01")
    assert main(["nhap-word", str(report), *common, "--ma-xa", "nhap", "--ten", "Nhập"]) == 0
    assert {"raw/son_la/moi.xlsx", "raw/son_la/nhap.xlsx"} <= {f"raw/{n}" for n in files(raw)}
    survive()


@pytest.mark.processes
def test_two_runs_reaching_one_output_folder_through_two_links_take_turns(seed_raw_dir, tmp_path):
    """The lock is on the real folder: a run through `b/ket_qua`, a link to `a/output`, waits
    for one holding `a/output` (the folders that hold the two paths differ), and the lock
    leaves no file of ours anywhere."""
    out = tmp_path / "a" / "output"
    assert annexes(seed_raw_dir, out).returncode == 0
    (tmp_path / "b").mkdir()
    link = tmp_path / "b" / "ket_qua"
    link.symlink_to(out)
    before, around = snapshot(out), sorted(p.name for p in tmp_path.rglob("*"))
    args = [sys.executable, "-m", "pipeline", "annexes", "--raw", str(seed_raw_dir)]
    with write.Lock(out):  # another run holds the folder
        second = subprocess.Popen(
            [*args, "--output", str(link)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        waiting = second.stderr.readline()
        assert waiting == (
            "Một lần chạy khác đang ghi vào ket_qua/: chờ lần đó xong rồi chạy tiếp…\n"
        )
        assert second.poll() is None  # it waits its turn
    stdout, _ = second.communicate(timeout=60)
    assert (second.returncode, stdout) == (
        0,
        "Không có gì thay đổi kể từ lần chạy trước: ket_qua/ giữ nguyên.\n",
    )
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.rglob("*")) == around


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")
def test_a_forked_child_lets_go_of_the_lock_and_the_parent_keeps_it(tmp_path):
    out = tmp_path / "out"
    with write.Lock(out) as lock:
        assert write.HELD_LOCKS.fds == {lock.fd}
        child = os.fork()
        if child == 0:  # the child: its copy closed by the fork hook, nothing held
            try:
                os.fstat(lock.fd)
                os._exit(1)
            except OSError:
                os._exit(0 if not write.HELD_LOCKS.fds else 2)
        assert os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]) == 0
        os.fstat(lock.fd)  # the parent's own stays open
        assert write.HELD_LOCKS.fds == {lock.fd}
    assert write.HELD_LOCKS.fds == set()


def test_the_held_locks_release_only_in_a_child():
    locks = write.HeldLocks()
    read, keep = os.pipe()
    locks.fds |= {read, keep}
    locks.fds.discard(keep)
    locks.release_in_child()
    assert locks.fds == set()
    with pytest.raises(OSError):
        os.fstat(read)  # closed
    os.fstat(keep)  # left alone: no longer held
    os.close(keep)

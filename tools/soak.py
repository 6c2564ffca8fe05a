"""`make soak`: stop the run at random moments, many times, and check every next run leaves
output/ byte-identical to a fresh run's, with no stray file and no file of a user's lost.

    python -m tools.soak [--times 50] [--signals 50] [--seed 1]

The record is the synthetic province (generated under build/synth/ if missing), as an earlier
version (one new commune fewer) and the later one. Each round copies the earlier version's
outputs, plants files of a user's own beside them, starts the run on the later record, stops
it after a random delay within the run's length, runs again, and compares.

- `--times` rounds kill the run (SIGKILL, as a power cut would);
- `--signals` rounds send SIGINT to the run's whole process group (Ctrl+C in a terminal) or
  SIGTERM to the run alone (the system, another program), at random. The stopped run must end
  with one line and status 130 or 143 (or 0 if it was done), leave no process behind, and leave
  output/ all as before (nothing was written) or all new (the commit was whole). Every other
  signal round starts from an empty output folder instead (a first run: every commune built by
  the worker processes), with the user's files planted and `--ghi-chung`.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools.bench import synthetic

THEIRS = {  # a user's own files in the output folder, named as a run's might be
    ".ghi_chu.docx.cu": b"user's",
    "anh/.thumbs.tmp": b"user's",
    ".journal.abcd.tmp": b"user's",
}
STOPPED = {  # the first words of the one line a stopped run ends with, by its status
    130: "Đã dừng theo yêu cầu (Ctrl+C)",
    143: "Đã dừng theo yêu cầu (tín hiệu SIGTERM)",
}


def annexes(raw: Path, out: Path, *more: str) -> list[str]:
    command = [sys.executable, "-m", "pipeline", "annexes", "--raw", str(raw)]
    return [*command, "--output", str(out), *more]


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def plant(folder: Path) -> None:
    for name, data in THEIRS.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    (folder / "trong").mkdir()


def gone(group: int) -> bool:
    """No process of this process group is left (the run's workers included)."""
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return True
    return False


def stop_once(later: Path, out: Path, delay: float, how: str, *more: str) -> tuple[list[str], str]:
    """Start the run, stop it after `delay` seconds (`how`: KILL, INT to the group, TERM to
    the run), and say what was wrong with how it ended ([] if nothing), and what it printed
    last."""
    run = subprocess.Popen(
        annexes(later, out, *more),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a command typed in a terminal
    )
    time.sleep(delay)
    if how == "INT":
        os.killpg(run.pid, signal.SIGINT)
    else:
        run.send_signal(signal.SIGKILL if how == "KILL" else signal.SIGTERM)
    _, err = run.communicate()
    lines = err.splitlines()
    wrong = []
    deadline = time.monotonic() + 10
    while not gone(run.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if not gone(run.pid):
        wrong.append("a process of the stopped run is still there")
    if how != "KILL":
        if "Traceback" in err or "KeyboardInterrupt" in err:
            wrong.append(f"a traceback:\n{err}")
        if run.returncode in STOPPED:
            said = [line for line in lines if line.startswith("Đã dừng")]
            if len(said) != 1 or not lines[-1].startswith(STOPPED[run.returncode]):
                wrong.append(f"not one line saying it stopped:\n{err}")
        elif run.returncode != 0:
            wrong.append(f"status {run.returncode}:\n{err}")
    return wrong, f"status {run.returncode}" + (f", {lines[-1]}" if lines else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=50, help="rounds killed with SIGKILL")
    parser.add_argument("--signals", type=int, default=50, help="rounds with SIGINT, SIGTERM")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    later = synthetic("tinh")
    with tempfile.TemporaryDirectory() as name:
        temp = Path(name)
        earlier = temp / "earlier"
        shutil.copytree(later, earlier)
        books = sorted(earlier.glob("*/*_m*.xlsx"))
        books[0].unlink()  # the earlier record lacks one new commune the later one has
        subprocess.run(annexes(earlier, temp / "earlier-out"), check=True, capture_output=True)
        before = {**files(temp / "earlier-out"), **THEIRS}
        start = time.perf_counter()
        subprocess.run(annexes(later, temp / "fresh"), check=True, capture_output=True)
        first = time.perf_counter() - start  # the length of a first run
        fresh = {**files(temp / "fresh"), **THEIRS}
        shutil.copytree(temp / "earlier-out", temp / "timed")
        start = time.perf_counter()  # the length of the run that the rounds stop
        subprocess.run(annexes(later, temp / "timed"), check=True, capture_output=True)
        length = time.perf_counter() - start
        hows = ["KILL"] * args.times + [rng.choice(["INT", "TERM"]) for _ in range(args.signals)]
        failures = 0
        for round_, how in enumerate(hows, 1):
            out = temp / f"out-{round_}"
            empty = how != "KILL" and round_ % 2 == 0
            if empty:  # a first run, into a folder holding only the user's files
                out.mkdir()
            else:
                shutil.copytree(temp / "earlier-out", out)
            plant(out)
            more = ["--ghi-chung"] if empty else []
            delay = rng.uniform(0, first if empty else length)
            wrong, last = stop_once(later, out, delay, how, *more)
            stopped = files(out)
            if how != "KILL" and stopped not in (THEIRS if empty else before, fresh):
                wrong.append("output/ is neither all as before nor all new after the stop")
            again = subprocess.run(annexes(later, out, *more), capture_output=True, text=True)
            if again.returncode != 0:
                wrong.append(f"the next run ended with status {again.returncode}:\n{again.stderr}")
            if stopped in (before, THEIRS) and "Không có gì thay đổi" in again.stdout:
                wrong.append("the next run said nothing changed")  # (files differ, too)
            if files(out) != fresh:
                wrong.append("the next run DIFFERS from a fresh run (or a user's file is lost)")
            if not (out / "trong").is_dir():
                wrong.append("a user's empty folder is gone")
            failures += bool(wrong)
            verdict = "; ".join(wrong) or "the next run equals a fresh run"
            start_ = "empty" if empty else "earlier"
            print(f"round {round_} ({how} from {start_}; {last}): {verdict}", flush=True)
            shutil.rmtree(out)
    print(f"{len(hows) - failures} of {len(hows)} rounds equal a fresh run")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

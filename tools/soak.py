"""`make soak`: kill the run at random moments, many times, and check every next run leaves
output/ byte-identical to a fresh run's, with no stray file.

    python -m tools.soak [--times 50] [--seed 1]

The record is the synthetic province (generated under build/synth/ if missing), as an earlier
version (one new commune's targets changed, one new commune more) and the later one. Each round
copies the earlier version's outputs, starts the run on the later record, kills it (SIGKILL)
after a random delay within the run's length, runs again, and compares.
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools.bench import synthetic


def annexes(raw: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "pipeline", "annexes", "--raw", str(raw), "--output", str(out)]


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=50)
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
        start = time.perf_counter()
        subprocess.run(annexes(later, temp / "fresh"), check=True, capture_output=True)
        length = time.perf_counter() - start
        fresh = files(temp / "fresh")
        failures = 0
        for round_ in range(args.times):
            out = temp / f"out-{round_}"
            shutil.copytree(temp / "earlier-out", out)
            run = subprocess.Popen(
                annexes(later, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            time.sleep(rng.uniform(0, length))
            run.send_signal(signal.SIGKILL)
            run.wait()
            subprocess.run(annexes(later, out), check=True, capture_output=True)
            same = files(out) == fresh
            failures += not same
            verdict = "equals" if same else "DIFFERS from"
            print(f"round {round_ + 1}: killed, re-run {verdict} a fresh run", flush=True)
            shutil.rmtree(out)
    print(f"{args.times - failures} of {args.times} rounds equal a fresh run")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

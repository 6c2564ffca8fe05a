"""A whole province sent through the intake page over HTTP, and compared with `bieu annexes`.

    python -m tools.qua_trang RAW [--work FOLDER] [--song-song 4] [--dao-thu-tu 3]

Given a record `RAW` (the synthetic province, `python -m tools.synth --size tinh`), this does
what a province and its communes do with the page, on 127.0.0.1 only:

1. an empty record beside it: `bieu khoi-tao` (the catalogue only; where `RAW`'s catalogue is
   not the shipped one, `RAW`'s is put in its place: the same files on both sides);
2. the real server, `bieu phuc-vu` as a program on a free port of 127.0.0.1;
3. the province's account (`bieu ma-truy-cap --tinh`), which declares every new commune with
   its old communes through its own form (`/tinh/phan-xa`), codes and names as `RAW`'s
   workbooks give them;
4. an access code for every new commune (`bieu ma-truy-cap --xa`: its own function, in this
   process, as for the province's code); then, as each commune, a few at a time
   (`--song-song`): log in, send its old communes' workbooks and its own, one after another,
   each answered before the next (as an officer sends them). Of every `--dao-thu-tu` communes,
   one sends its own workbook first and another its own between its old communes': each must
   wait ("Chờ các xã hợp thành") and be checked again as its old communes come in;
5. wait until every upload is answered and built (its page no longer says "Đang kiểm tra",
   "Đang dựng" or "Chờ các xã hợp thành"), stop the server, and check: every upload is in the
   history (its commune, name, size, SHA-256, kept bytes) and accepted; raw/ holds exactly the
   files sent, byte for byte; the output folder the server built is byte-identical to
   `bieu annexes` run on a copy of `RAW` (every file but the manifest).

Exits 1 with the list of what differs, 0 when nothing does. `run()` is the same as a library
call (tests/tools/test_qua_trang.py; `make bench`, tools/bench.py).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROVINCE = "tinh"  # the province's account (pipeline/serve/store.py PROVINCE)
CHECKING, BUILDING = "Đang kiểm tra", "Đang dựng"  # the page's states while it works
WAITING, ACCEPTED = "Chờ các xã hợp thành", "Đã nhận"
STARTED = 60.0  # seconds the server has to answer its first page (it imports pandas first)
ANSWERED = 600.0  # seconds an upload may take to be answered and built before it is a failure
STATE = re.compile(r'id="trang-thai"[^>]*>([^<]*)<')
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
CODE_LINE = re.compile(r"^Mã truy cập .*: (\S+)$", re.MULTILINE)


def command(*args: str) -> list[str]:
    """The `bieu` command with `args`, run by this Python."""
    return [sys.executable, "-m", "pipeline", *args]


def bieu(*args: str) -> str:
    """A command of ours run to its end; what it printed. Its own words if it fails."""
    done = subprocess.run(command(*args), capture_output=True, text=True, cwd=ROOT, timeout=300)
    if done.returncode:
        raise RuntimeError(f"bieu {' '.join(args)} → {done.returncode}\n{done.stdout}{done.stderr}")
    return done.stdout


def free_port() -> int:
    """A port of 127.0.0.1 nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ---------------------------------------------------------------------------- the server


@dataclass
class Server:
    """`bieu phuc-vu` running over `raw` and `output`, at `url`."""

    raw: Path
    output: Path
    url: str
    process: subprocess.Popen
    log: Path

    @property
    def nop(self) -> Path:
        from pipeline.serve.store import folder_of

        return folder_of(self.raw)

    def code(self, account: str) -> str:
        """A new access code for `account`, as `bieu ma-truy-cap` prints it once (its own
        function, `serve.cli.new_code`, in this process: 75 interpreters started cost a
        minute)."""
        import io

        from pipeline.serve import cli

        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            status = cli.new_code(self.raw, account, account == PROVINCE)
        found = CODE_LINE.search(printed.getvalue())
        if status or found is None:
            raise RuntimeError(f"ma-truy-cap {account} → {status}:\n{printed.getvalue()}")
        return found.group(1)

    def said(self, last: int = 4000) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-last:]


def start_record(raw: Path, source: Path) -> Path:
    """An empty record at `raw`: `bieu khoi-tao`, then `source`'s catalogue in place of the
    shipped one where they differ."""
    from pipeline.intake.submit import _catalogue

    bieu("khoi-tao", "--raw", str(raw))
    wanted, started = _catalogue(source), _catalogue(raw)
    if wanted is None:
        raise RuntimeError(f"{source}: no catalogue")
    if started is None or started.read_bytes() != wanted.read_bytes():
        if started is not None:
            started.unlink()
        shutil.copyfile(wanted, raw / wanted.name)
    return raw


@contextlib.contextmanager
def serving(raw: Path, output: Path, log: Path) -> Iterator[Server]:
    """`bieu phuc-vu` over `raw` and `output` on a free port of 127.0.0.1 until the block ends;
    then stopped as Ctrl+C stops it (the worker finishes what it is doing first)."""
    output.mkdir(parents=True, exist_ok=True)
    port = free_port()
    args = ["--raw", str(raw), "--output", str(output), "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command("phuc-vu", *args), cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT
        )
    server = Server(raw, output, f"http://127.0.0.1:{port}", process, log)
    try:
        _answering(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _answering(server: Server) -> None:
    import httpx

    deadline = time.monotonic() + STARTED
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"the server stopped ({server.process.returncode}):\n{server.said()}"
            )
        try:
            httpx.get(f"{server.url}/dang-nhap", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer in {STARTED:.0f} s:\n{server.said()}")


# ---------------------------------------------------------------------------- a browser


class Browser:
    """One account's browser: its own cookies, over real HTTP."""

    def __init__(self, server: Server, account: str, code: str) -> None:
        import httpx

        self.server, self.account = server, account
        self.http = httpx.Client(base_url=server.url, follow_redirects=False, timeout=120)
        self.token = ""
        token = _csrf(self.get("/dang-nhap"))
        answer = self.http.post(
            "/dang-nhap", data={"tai_khoan": account, "ma_truy_cap": code, "csrf": token}
        )
        if answer.status_code != 303:
            raise RuntimeError(f"{account}: login answered {answer.status_code}")
        home = "/tinh" if account == PROVINCE else f"/xa/{account}"
        self.token = _csrf(self.get(home))

    def get(self, path: str) -> str:
        answer = self.http.get(path)
        if answer.status_code != 200:
            raise RuntimeError(f"{self.account}: GET {path} answered {answer.status_code}")
        return answer.text

    def declare(self, ma_xa: str, members: dict[str, str], name: str = "") -> None:
        """The province's form: a new commune, its name, and its old communes by code with
        their names (`ma1=Tên 1, ma2=Tên 2`)."""
        listed = ", ".join(f"{code}={shown}" if shown else code for code, shown in members.items())
        answer = self.http.post(
            "/tinh/phan-xa",
            data={"xa": ma_xa, "ten": name, "xa_hop_thanh": listed, "csrf": self.token},
        )
        if answer.status_code != 303:
            raise RuntimeError(f"declaring {ma_xa}: {answer.status_code}\n{answer.text[-2000:]}")

    def send(self, name: str, data: bytes) -> int:
        """A workbook sent through the commune's form; the upload's number."""
        answer = self.http.post(
            f"/xa/{self.account}/gui",
            data={"csrf": self.token},
            files={"tep": (name, data, "application/octet-stream")},
        )
        where = answer.headers.get("location", "")
        found = re.fullmatch(rf"/xa/{re.escape(self.account)}/lan-gui/(\d+)", where)
        if answer.status_code != 303 or found is None:
            raise RuntimeError(f"{self.account}: sending {name} answered {answer.status_code}")
        return int(found.group(1))

    def state(self, number: int) -> str:
        page = self.get(f"/xa/{self.account}/lan-gui/{number}")
        found = STATE.search(page)
        if found is None:
            raise RuntimeError(f"{self.account}: no state on the page of upload {number}")
        return found.group(1).strip()

    def wait(
        self, number: int, busy: tuple[str, ...] = (CHECKING, BUILDING), every: float = 0.1
    ) -> str:
        """The upload's state once its page no longer says one of `busy` (or still does, after
        `ANSWERED` seconds)."""
        deadline = time.monotonic() + ANSWERED
        while True:
            said = self.state(number)
            if said not in busy:
                return said
            if time.monotonic() > deadline:
                return said
            time.sleep(every)

    def close(self) -> None:
        self.http.close()


def _csrf(page: str) -> str:
    found = CSRF.search(page)
    if found is None:
        raise RuntimeError("no form token on the page")
    return found.group(1)


# ---------------------------------------------------------------------------- the province


@dataclass
class Commune:
    """A new commune of the record: its code, its old communes' codes, and the workbooks it
    sends (paths under the record), its own last."""

    code: str
    members: list[str]
    files: list[str]
    name: str = ""  # as its workbook gives it, and its old communes' by code
    names: dict[str, str] = field(default_factory=dict)


@dataclass
class Sent:
    """One upload as sent: who, which file, its number, what its page said when answered."""

    ma_xa: str
    tep: str  # the file under the record
    data: bytes
    number: int = 0
    first: str = ""  # the state its page said once checked, before any later re-check


@dataclass
class Result:
    """What a run found (`differences`: empty when nothing differs), and what it did."""

    differences: list[str]
    sent: list[Sent]
    communes: list[Commune]
    source: Path
    work: Path  # the server's record in work/trang/ (raw, output, nop)
    reference: Path  # the output folder `bieu annexes` built
    mixed_every: int
    seconds: dict[str, float] = field(default_factory=dict)  # since the start, by step

    @property
    def compared(self) -> int:
        """How many output files were compared."""
        from tools.same_outputs import files

        return len(files(self.reference))


def communes(source: Path) -> tuple[list[Commune], list[str]]:
    """Every new commune of `source` with its old communes as its workbook lists them; and the
    workbooks no new commune can send (neither a new commune's nor listed by one)."""
    from pipeline.formats import workbooks
    from pipeline.intake import read_forms
    from pipeline.load import is_catalogue

    forms = read_forms(source)
    found, taken = [], set()
    for new, listed in sorted(forms.members.items()):
        code, name, shown = forms.communes[new]
        olds = [forms.communes[old] for old in listed if old in forms.communes]
        files = [_under(o[2]) for o in olds] + [_under(shown)]
        found.append(Commune(code, [o[0] for o in olds], files, name, {o[0]: o[1] for o in olds}))
        taken.update(files)
    alone = [
        path.relative_to(source).as_posix()
        for path in workbooks(source)
        if not is_catalogue(path) and path.relative_to(source).as_posix() not in taken
    ]
    return found, alone


def _under(shown: str) -> str:
    """A file's name in messages (`raw/tinh/x.xlsx`) as its path under the record."""
    return shown.split("/", 1)[1]


def order(commune: Commune, index: int, mixed_every: int) -> list[str]:
    """The order a commune sends its workbooks in: its old communes' then its own; one in every
    `mixed_every` its own first (it waits for the others), and one in every `mixed_every`
    (another) its own between its old communes."""
    *olds, own = commune.files
    if mixed_every and index % mixed_every == 0:
        return [own, *olds]
    if mixed_every and index % mixed_every == 1 and len(olds) > 1:
        return [olds[0], own, *olds[1:]]
    return [*olds, own]


def run(
    source: Path,
    work: Path,
    parallel: int = 4,
    mixed_every: int = 3,
    reference: Path | None = None,
) -> Result:
    """The whole province of `source` through the page (the module's docstring) in `work`
    (made empty first); `reference`: an output folder `bieu annexes` already built from the
    same files (else it is built here, into `work/lenh/output`)."""
    if work.exists():
        shutil.rmtree(work)
    clock = time.perf_counter()
    seconds: dict[str, float] = {}
    raw = start_record(work / "trang" / "raw", source)
    found, alone = communes(source)
    differences = [f"no new commune can send {name} (in none's Xã hợp thành)" for name in alone]
    sent: list[Sent] = []
    with serving(raw, work / "trang" / "output", work / "trang" / "phuc_vu.log") as server:
        seconds["start"] = time.perf_counter() - clock
        province = Browser(server, PROVINCE, server.code(PROVINCE))
        for commune in found:
            province.declare(commune.code, commune.names, commune.name)
        codes = {commune.code: server.code(commune.code) for commune in found}
        seconds["declared"] = time.perf_counter() - clock

        def one(item: tuple[int, Commune]) -> tuple[Browser, list[Sent]]:
            index, commune = item
            browser = Browser(server, commune.code, codes[commune.code])
            mine = []
            for name in order(commune, index, mixed_every):
                data = (source / name).read_bytes()
                upload = Sent(commune.code, name, data, browser.send(Path(name).name, data))
                upload.first = browser.wait(upload.number)
                mine.append(upload)
            return browser, mine

        browsers: dict[str, Browser] = {PROVINCE: province}
        try:
            with ThreadPoolExecutor(parallel) as pool:
                for browser, mine in pool.map(one, enumerate(found)):
                    browsers[browser.account] = browser
                    sent += mine
            seconds["sent"] = time.perf_counter() - clock
            for upload in sent:  # each answered and built; waiting no more: its old ones are in
                final = browsers[upload.ma_xa].wait(upload.number, (CHECKING, BUILDING, WAITING))
                if final != ACCEPTED:
                    differences.append(
                        f"{upload.ma_xa}: {upload.tep} (upload {upload.number}) ended {final!r}"
                    )
            seconds["settled"] = time.perf_counter() - clock
        finally:
            for browser in browsers.values():
                browser.close()
    if reference is None:
        reference = work / "lenh" / "output"
        copy = shutil.copytree(source, work / "lenh" / "raw", ignore=_hidden)
        bieu("annexes", "--raw", str(copy), "--output", str(reference))
    result = Result(differences, sent, found, source, work, reference, mixed_every)
    result.differences += verify(result)
    seconds["compared"] = time.perf_counter() - clock
    result.seconds = seconds
    return result


def verify(result: Result) -> list[str]:
    """What differs, once the server has stopped: the order's waits, the history, raw/, and
    the output folder against `bieu annexes`'s."""
    from pipeline.serve.store import Store, folder_of
    from tools.same_outputs import differences as outputs_differ

    raw = result.work / "trang" / "raw"
    found, sent = result.communes, result.sent
    return [
        *_waited_as_planned(found, sent, result.mixed_every),
        *_history(Store(folder_of(raw)), sent),
        *_same_files(result.source, raw),
        *(
            f"output: {line}"
            for line in outputs_differ(result.reference, result.work / "trang" / "output")
        ),
    ]


def _waited_as_planned(found: list[Commune], sent: list[Sent], mixed_every: int) -> list[str]:
    """A new commune's workbook sent before all its old communes must have waited for them; one
    sent after them must have been accepted at once."""
    out = []
    for index, commune in enumerate(found):
        planned = order(commune, index, mixed_every)
        own = commune.files[-1]
        early = planned.index(own) < len(planned) - 1
        for upload in sent:
            if upload.ma_xa == commune.code and upload.tep == own:
                expected = WAITING if early else ACCEPTED
                if upload.first != expected:
                    out.append(f"{commune.code}: {own} first said {upload.first!r}, not {expected}")
    return out


def _history(store, sent: list[Sent]) -> list[str]:
    """Every upload in the history as sent (commune, name, size, SHA-256, the bytes kept), and
    nothing else there."""
    out = []
    kept = {s.id: s for s in store.uploads(limit=1_000_000)}
    for upload in sent:
        row = kept.pop(upload.number, None)
        if row is None:
            out.append(f"history: upload {upload.number} ({upload.tep}) missing")
            continue
        digest = hashlib.sha256(upload.data).hexdigest()
        seen = (row.ma_xa, row.ten_tep, row.kich_thuoc, row.sha256)
        if seen != (upload.ma_xa, Path(upload.tep).name, len(upload.data), digest):
            out.append(f"history: upload {upload.number} ({upload.tep}) recorded as {seen}")
        elif store.draft_path(row).read_bytes() != upload.data:
            out.append(f"history: upload {upload.number} ({upload.tep}): kept bytes differ")
    out += [f"history: upload {n} ({s.ten_tep}) was never sent" for n, s in sorted(kept.items())]
    return out


def _hidden(folder: str, names: list[str]) -> list[str]:
    return [name for name in names if name.startswith(".")]


def _same_files(source: Path, raw: Path) -> list[str]:
    """raw/ holds exactly `source`'s files, byte for byte (hidden files, the journal's, aside)."""
    from tools.same_outputs import differences as files_differ

    with tempfile.TemporaryDirectory() as name:  # the same files, without the hidden ones
        a = shutil.copytree(source, Path(name) / "a", ignore=_hidden)
        b = shutil.copytree(raw, Path(name) / "b", ignore=_hidden)
        return [f"raw/: {line}" for line in files_differ(a, b)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.qua_trang", description=__doc__)
    parser.add_argument("raw", type=Path, help="the record to send (e.g. a synthetic province)")
    parser.add_argument("--work", type=Path, help="where to work (default: a temporary folder)")
    parser.add_argument("--song-song", type=int, default=4, help="communes sending at once")
    parser.add_argument("--dao-thu-tu", type=int, default=3, help="1 commune in N sends early")
    args = parser.parse_args(argv)
    with contextlib.ExitStack() as stack:
        work = args.work or Path(stack.enter_context(tempfile.TemporaryDirectory())) / "qua_trang"
        result = run(args.raw.resolve(), work.resolve(), args.song_song, args.dao_thu_tu)
    report(result)
    return 1 if result.differences else 0


def report(result: Result) -> None:
    communes = len({s.ma_xa for s in result.sent})
    early = sum(s.first == WAITING for s in result.sent)
    print(
        f"{communes} new communes sent {len(result.sent)} workbooks over HTTP ({early} sent "
        f"before their old communes waited); {result.compared} output files compared with "
        f"bieu annexes; {len(result.differences)} differences; "
        + ", ".join(f"{step} {t:.1f} s" for step, t in result.seconds.items())
    )
    for line in result.differences:
        print(line)


if __name__ == "__main__":
    sys.exit(main())

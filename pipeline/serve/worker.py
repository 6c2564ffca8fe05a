"""The background worker: one warm thread that checks every upload waiting, all in one pass,
moves the accepted ones into raw/ and rebuilds their communes' products. A build takes the
output folder's lock (`write.Lock`), so a command-line run at the same time waits for it, as
it waits for another run."""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
from pathlib import Path

from pipeline.serve import engine
from pipeline.serve.store import Store

log = logging.getLogger("bieu.phuc_vu")
PAUSE = 5  # seconds before checking again uploads the busy history could not take
KEPT_LINES = 500  # problem lines the history keeps of one upload; the counts count them all
MORE_PASSES = 5  # passes for uploads that came in while others were checked, before a build


class Worker:
    def __init__(self, raw: Path, output: Path, store: Store) -> None:
        self.raw, self.output, self.store = raw, output, store
        self.waiting: queue.Queue[int | None] = queue.Queue()
        self.thread: threading.Thread | None = None
        self.idle = threading.Event()
        self.stopping = threading.Event()
        self.idle.set()

    def start(self) -> None:
        """Start the thread, with the uploads a stopped server left unanswered (checking, or
        accepted and building): checked again from their kept bytes, so none stays half-way."""
        if self.thread is not None:
            return
        self.stopping.clear()
        for sent in reversed(self.store.uploads(limit=1_000_000)):
            if sent.trang_thai in engine.WORKING:
                self.store.set_result(sent.id, engine.CHECKING, done=False)
                self.submit(sent.id)
        self.thread = threading.Thread(target=self._loop, name="bieu-dung", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        if self.thread is not None:
            self.waiting.put(None)
            self.thread.join()
            self.thread = None

    def submit(self, number: int) -> None:
        self.idle.clear()
        self.waiting.put(number)

    def _loop(self) -> None:
        while True:
            first = self.waiting.get()
            if first is None:
                return
            numbers, stopped = self._more([first])  # every upload waiting now, in one pass
            self.handle(numbers)
            if stopped:
                return
            if self.waiting.empty():
                self.idle.set()

    def _more(self, numbers: list[int]) -> tuple[list[int], bool]:
        """`numbers` and every upload waiting now; whether the worker was told to stop."""
        while True:
            try:
                more = self.waiting.get_nowait()
            except queue.Empty:
                return numbers, False
            if more is None:
                return numbers, True
            numbers.append(more)

    def handle(self, numbers: list[int]) -> None:
        """Check, accept and build; a bug is logged and the uploads marked as not taken. The
        history busy past its timeout (another program holds it) is no bug: the uploads are
        checked again from their kept bytes after a pause, as at a restart (one accepted
        already is accepted again, the same bytes). Nothing here stops the thread."""
        try:
            self._handle(numbers)
        except sqlite3.OperationalError:
            log.exception(
                "lịch sử đang bận; kiểm tra lại các lần gửi %s sau %s giây", numbers, PAUSE
            )
            self.later(numbers)
        except Exception:
            log.exception("lỗi khi kiểm tra các lần gửi %s", numbers)
            try:
                for number in numbers:
                    sent = self.store.upload(number)
                    if sent is not None and sent.trang_thai in engine.WORKING:
                        self.store.set_result(
                            number,
                            engine.ERRORS,
                            van_de=[_line("lỗi trong chương trình khi kiểm tra; báo cho tỉnh")],
                        )
            except sqlite3.OperationalError:
                self.later(numbers)

    def later(self, numbers: list[int]) -> None:
        """The uploads back in the queue after `PAUSE` seconds (sooner if told to stop)."""
        self.stopping.wait(PAUSE)
        for number in numbers:
            self.waiting.put(number)

    def _handle(self, numbers: list[int]) -> None:
        """Answer the uploads, and those that came in meanwhile (up to `MORE_PASSES` passes),
        before building: a build takes seconds, and an upload waiting behind it would wait
        for it. `numbers` grows with them (what `handle` marks if a bug stops the pass)."""
        accepted = self._answer(numbers)
        for _ in range(MORE_PASSES):
            more, stopped = self._more([])
            if stopped:
                self.waiting.put(None)  # stop once this is done
            if not more:
                break
            numbers += more
            for ma_xa, ids in self._answer(more).items():
                accepted.setdefault(ma_xa, []).extend(ids)
        if accepted:
            try:  # one build: `build.run` rebuilds every commune the manifest says changed
                engine.rebuild(self.raw, self.output, next(iter(accepted)))
            finally:
                for ids in accepted.values():
                    for number in ids:
                        self.store.set_result(number, engine.ACCEPTED)
        for ma_xa in accepted:
            self._again(ma_xa)

    def _answer(self, numbers: list[int]) -> dict[str, list[int]]:
        """Check the uploads in one pass, store each one's answer, and put the accepted ones
        into raw/ ("Đang dựng"); the accepted ones' numbers by their new commune."""
        sent = [s for s in map(self.store.upload, numbers) if s is not None]
        uploads = [
            engine.make_upload(s.ma_xa, s.ten_tep, self.store.draft_path(s).read_bytes())
            for s in sent
        ]
        results = engine.check(self.raw, uploads, self.store.members())
        accepted: dict[str, list[int]] = {}
        for one, checked in zip(sent, results, strict=True):
            fields = _found(checked.problems, engine.own_names(self.raw, checked))
            fields["bang"] = engine.sheets_html(checked)
            fields["danh_dau"] = self._marked(one, checked)
            if checked.state == engine.ACCEPTED:
                # the history first: if it cannot be written, raw/ is not touched either
                fields["dich"] = checked.target
                self.store.set_result(one.id, engine.BUILDING, done=False, **fields)
                engine.accept(self.raw, checked)
                accepted.setdefault(one.ma_xa, []).append(one.id)
            else:
                self.store.set_result(one.id, checked.state, **fields)
        return accepted

    def _again(self, ma_xa: str) -> None:
        """A commune's uploads that waited for its old communes, checked again now that one of
        them came in: the last of each file name, where it is still waiting."""
        last: dict[str, object] = {}
        for sent in self.store.uploads(ma_xa, limit=10_000):  # newest first
            last.setdefault(sent.ten_tep.casefold(), sent)
        for sent in last.values():
            if sent.trang_thai == engine.WAITING:
                self.store.set_result(sent.id, engine.CHECKING, done=False)
                self.submit(sent.id)

    def _marked(self, sent, checked) -> str:
        """The marked copy of the upload (problem cells coloured, messages in notes), kept
        beside it under nop/nhap/; its name there, or "" where it has no marked cell."""
        if not checked.target or not checked.problems:
            return ""
        from pipeline.products import marked_files

        tep = f"{self.raw.name}/{checked.target}"
        copies = marked_files(
            list(checked.problems), lambda name: checked.upload.data if name == tep else None
        )
        for data in next(iter(copies.values()), {}).values():
            name = f"{sent.id:06d}-danh-dau.xlsx"
            (self.store.drafts / name).write_bytes(data)
            return name
        return ""


def _line(text: str) -> dict:
    return {"dong": text, "muc_do": "", "sheet": "", "o": ""}


def _found(problems, own: set[str] | frozenset[str] = frozenset()) -> dict:
    """What the history keeps of a check's problems: each line as the terminal prints it, its
    file, message and whether that file is the upload's own (`own`: its names), so that the page
    names it as the commune sent it, and the counts of errors, warnings and findings."""
    from pipeline.parse import format_vi
    from schemas.vocabulary import ERROR, FINDING, WARNING

    lines = [
        {
            "dong": p.line(),
            "muc_do": p.muc_do,
            "sheet": p.sheet,
            "o": p.o,
            "loai": p.loai,
            "tep": p.tep,
            "noi_dung": p.noi_dung,
            "cua_lan_gui": p.tep in own,
        }
        for p in problems[:KEPT_LINES]
    ]
    if len(problems) > KEPT_LINES:
        lines.append(
            _line(
                f"… và {format_vi(len(problems) - KEPT_LINES)} vấn đề khác (tổng cộng "
                f"{format_vi(len(problems))}): tải bản đã tô màu các ô có vấn đề để xem đủ"
            )
        )
    return {
        "van_de": lines,
        "so_loi": sum(p.muc_do == ERROR for p in problems),
        "so_canh_bao": sum(p.muc_do == WARNING for p in problems),
        "so_phat_hien": sum(p.muc_do == FINDING for p in problems),
    }

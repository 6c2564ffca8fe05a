"""The intake page: a Starlette application over one `raw/`, one `output/` and the page's own
folder `nop/` beside `raw/` (docs/server.md: the routes, who may see what, the threat model).

Every page is rendered here from `templates/` (Jinja2, autoescaped); the only other things
served are `static/style.css` and a commune's own files, each looked up by name in a list made
for that commune, never by joining what the address says into a path."""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import secrets
import shutil
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path, PurePosixPath, PureWindowsPath
from urllib.parse import urlencode

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from pipeline.serve import auth, engine
from pipeline.serve.store import PROVINCE, Sent, Store, folder_of
from pipeline.serve.worker import Worker
from schemas.vocabulary import ERROR, FINDING, WARNING

HERE = Path(__file__).resolve().parent
MAX_UPLOAD_BYTES = 10 * 2**20  # a commune's workbook is a few dozen kilobytes; a report, a few MB
# what one commune may send in 24 hours, and the room the machine keeps free: a script or a
# stuck browser must not fill the province's disk (the history, raw/ and builds need it)
MAX_UPLOADS_A_DAY, MAX_BYTES_A_DAY = 100, 200 * 2**20
MIN_FREE_BYTES = 2**30
FORM_ROOM = 64 * 2**10  # what a form adds around the file (boundaries, the other fields)
SESSION_SECONDS = 8 * 3600  # a working day
COOKIE = "phien"

# what may be sent, by suffix, and how its first bytes must look: Office Open XML and OpenDocument
# are zip packages, .xls an OLE compound file (the readers' own guards then check the contents)
ZIP, OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SENT_TYPES = {".xlsx": ZIP, ".xlsm": ZIP, ".xlsb": ZIP, ".ods": ZIP, ".xls": OLE, ".docx": ZIP}

CSP = (
    "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-opener-policy", b"same-origin"),
]

NOT_ASKED = object()  # a request whose account is not known yet (`Page.account`)

# what a bug in the page answers (nothing of the request in it: the page may be what failed)
FAILED_PAGE = (
    '<!doctype html><html lang="vi"><meta charset="utf-8"><title>Trang gặp sự cố</title>'
    "<h1>Trang gặp sự cố</h1><p>Trang gặp lỗi khi làm việc này. Thử lại sau ít phút; nếu "
    'vẫn không được, báo cho tỉnh.</p><p><a href="/">Về trang chính</a></p></html>'
)

# the class of a problem's line on the page, by its severity
LINE_CLASS = {ERROR: "loi", WARNING: "canh-bao", FINDING: "phat-hien"}

# the products of a new commune the page offers, by the id the page gives each link
COMMUNE_PRODUCTS = (
    ("tai-phu-luc", "bieu_chi_tieu.xlsx", "Phụ lục (Biểu 01–03), Excel"),
    ("tai-van-ban", "bao_cao_chi_tieu.docx", "Báo cáo chỉ tiêu, Word"),
    ("tai-theo-doi", "theo_doi_2030.xlsx", "Theo dõi tiến độ 2030, Excel"),
)
ALL_ANNEXES = "phu_luc_tat_ca_xa.zip"
CHECKS_FILE = "kiem_tra.csv"  # a new commune's warnings and findings, as products.py writes it
ROLLUP_WORDS = "Bảng tổng hợp tỉnh và Tiến độ 2030, Excel"
ALL_ANNEXES_WORDS = "Phụ lục của mọi xã, tệp nén"
MEDIA = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12",
    ".xlsb": "application/vnd.ms-excel.sheet.binary.macroEnabled.12",
    ".xls": "application/vnd.ms-excel",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".zip": "application/zip",
}


# ---------------------------------------------------------------------------- middleware


class SecurityHeaders:
    """The same headers on every answer, pages, files and errors alike."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *(h for h in message.get("headers", []) if h[0] not in dict(SECURITY_HEADERS)),
                    *SECURITY_HEADERS,
                ]
            await send(message)

        await self.app(scope, receive, with_headers)


class _TooLarge(Exception):
    pass


class BodyLimit:
    """A request body past `limit` is refused before it is read (by its Content-Length) or as
    soon as it passes the limit (sent without one): 413, with the page saying the limit."""

    def __init__(self, app, limit: int, refuse: Callable) -> None:
        self.app, self.limit, self.refuse = app, limit, refuse

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = Headers(scope=scope).get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            return await self.refuse(scope, receive, send)
        seen, started = 0, False

        async def counted():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise _TooLarge
            return message

        async def watched(message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except _TooLarge:
            if started:
                raise
            await self.refuse(scope, receive, send)


# ---------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class Named:
    """A commune as the page shows it: its name (as the province declared it, else as its
    workbook in raw/ gives it; "" where neither does) and its code, shown small beside it or
    only where the name is missing."""

    code: str
    name: str = ""

    @property
    def shown(self) -> str:
        return self.name or self.code


def shown_time(iso: str | None) -> str:
    """A stored UTC time in the server's local time, as officers write it: 04/12/2026 10:48."""
    if not iso:
        return ""
    return datetime.fromisoformat(iso).astimezone().strftime("%d/%m/%Y %H:%M:%S")


def shown_size(size: int) -> str:
    from pipeline.parse import format_vi

    if size < 1024:
        return f"{size} byte"
    if size < 2**20:
        return f"{format_vi(size / 1024, 1)} KB"
    if size < 2**30:
        return f"{format_vi(size / 2**20, 1)} MB"
    return f"{format_vi(size / 2**30, 1)} GB"


def sent_name(name: str) -> str:
    """A file name as sent, for showing: its last part (a browser may send a whole path), with
    control characters dropped. Never used as a path."""
    last = PureWindowsPath(PurePosixPath(name).name).name
    return "".join(ch for ch in last if ch.isprintable())[:200] or "(không tên)"


def type_problem(name: str, data: bytes) -> str:
    """Why a file sent is not one the page takes, or "" if it is (by suffix and first bytes)."""
    suffix = PurePosixPath(name.lower()).suffix
    allowed = ", ".join(SENT_TYPES)
    if suffix not in SENT_TYPES:
        return f"{name}: không nhận loại tệp này; chỉ nhận bảng tính Excel hoặc Word ({allowed})"
    if not data:
        return f"{name}: tệp trống (0 byte)"
    if not data.startswith(SENT_TYPES[suffix]):
        return (
            f"{name}: nội dung không phải tệp {suffix} (có thể tệp đã hỏng hoặc bị đổi đuôi); "
            "mở tệp bằng Excel hoặc Word, lưu lại rồi gửi lại"
        )
    return ""


# ---------------------------------------------------------------------------- the application


class Page:
    """The application's state: folders, the database, the worker, the templates."""

    def __init__(self, raw: Path, output: Path, nop: Path | None, start_worker: bool) -> None:
        self.raw, self.output = raw, output
        self.store = Store(nop or folder_of(raw))
        self.worker = Worker(raw, output, self.store)
        self.start_worker = start_worker
        self.attempts = auth.Attempts()
        self.taking = threading.Lock()  # uploads kept one at a time (`take`)
        self._read_names: dict[Path, tuple[tuple[int, int], dict[str, str]]] = {}
        self._imports: dict[tuple, tuple] = {}  # Word reports imported, by upload and choices
        environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )
        environment.filters["gio"] = shown_time
        environment.filters["co"] = shown_size
        self.templates = Jinja2Templates(env=environment)

    # ------------------------------------------------------------------ answers

    def render(self, request: Request, name: str, status: int = 200, **context) -> Response:
        context.setdefault("tai_khoan", self.account(request))
        who = context["tai_khoan"]
        context["ten_tai_khoan"] = self.named(who).shown if who and who != PROVINCE else ""
        context["csrf"] = auth.csrf_token(request.session)
        context["PROVINCE"] = PROVINCE
        context["LOP"] = LINE_CLASS
        context["FINDING"] = FINDING
        return self.templates.TemplateResponse(request, name, context, status_code=status)

    def refused(self, request: Request, status: int, title: str, text: str) -> Response:
        return self.render(request, "loi.html", status, tieu_de=title, noi_dung=text)

    def not_found(self, request: Request) -> Response:
        """The same answer for a page that does not exist and one that is not this account's."""
        return self.refused(
            request,
            404,
            "Không tìm thấy trang",
            "Không có trang này, hoặc tài khoản đang đăng nhập không được xem trang này.",
        )

    def account(self, request: Request) -> str | None:
        """The logged-in account, while its access code is still the one it logged in with
        (asked once per request)."""
        asked = getattr(request.state, "tai_khoan", NOT_ASKED)
        if asked is NOT_ASKED:
            asked = request.state.tai_khoan = self._account(request)
        return asked

    def _account(self, request: Request) -> str | None:
        name = request.session.get("tai_khoan")
        if not isinstance(name, str):
            return None
        stored = self.store.code_hash(name)
        if (
            stored is None
            or request.session.get("ma") != hashlib.sha256(stored.encode()).hexdigest()
        ):
            return None  # the code was given out again since: log in again
        number = request.session.get("so")
        if not isinstance(number, str) or self.store.session_ended(number):
            return None  # logged out (a copy of the cookie kept elsewhere is nobody)
        return name

    async def too_large(self, scope, receive, send) -> None:
        response = self.too_large_page(Request(scope, receive))
        await response(scope, receive, send)

    def too_large_page(self, request: Request) -> Response:
        return self.refused(
            request,
            413,
            "Tệp quá lớn",
            f"Tệp gửi lên lớn hơn {shown_size(MAX_UPLOAD_BYTES)}, mức tối đa trang nhận. Một bảng "
            "tính của xã chỉ vài chục KB: kiểm tra đã chọn đúng tệp chưa.",
        )

    # ------------------------------------------------------------------ names

    def workbook_names(self) -> dict[str, str]:
        """Each commune's name as its workbook in raw/ gives it, by its code as codes are
        compared: a workbook's Thông tin read again only when that file changed (a page is
        drawn every second while uploads are checked: reading every workbook then costs)."""
        from pipeline.formats import workbooks
        from pipeline.intake import is_catalogue, names_in

        names: dict[str, str] = {}
        kept: dict[Path, tuple[tuple[int, int], dict[str, str]]] = {}
        try:
            for path in sorted(workbooks(self.raw)):
                if is_catalogue(path):
                    continue
                stat = path.stat()
                seen = (stat.st_mtime_ns, stat.st_size)
                known = self._read_names.get(path)
                if known is None or known[0] != seen:
                    known = (seen, names_in(path, self.raw))
                kept[path] = known
                for code, name in known[1].items():
                    names.setdefault(code, name)
        except OSError:
            return {}
        self._read_names = kept
        return names

    def named(self, code: str, declared: str | None = None) -> Named:
        """A commune (new or old) with its name: as declared, else as its workbook gives it."""
        from pipeline.text import key

        if declared is None:
            declared = self.store.names(code)[0]
        return Named(code, declared or self.workbook_names().get(key(code), ""))

    def commune_names(self, ma_xa: str) -> tuple[Named, list[Named]]:
        """A new commune and its old communes, named."""
        name, _, olds = self.store.names(ma_xa)
        return self.named(ma_xa, name), [self.named(code, old) for code, old in olds]

    def awaited(self, ma_xa: str) -> list[Named]:
        """The old communes of a new commune that raw/ holds no workbook of yet."""
        from pipeline.text import key

        held = self.workbook_names()
        return [old for old in self.commune_names(ma_xa)[1] if key(old.code) not in held]

    # ------------------------------------------------------------------ routes

    async def home(self, request: Request) -> Response:
        who = self.account(request)
        if who is None:
            return RedirectResponse("/dang-nhap", 303)
        return RedirectResponse("/tinh" if who == PROVINCE else f"/xa/{who}", 303)

    async def login_page(self, request: Request) -> Response:
        return self.render(request, "dang_nhap.html", loi="", ten="")

    async def login(self, request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=10)
        if not auth.csrf_ok(request.session, form.get("csrf")):
            return self.csrf_refused(request)
        name = str(form.get("tai_khoan", "")).strip()[: auth.MAX_NAME]
        code = str(form.get("ma_truy_cap", ""))
        address = request.client.host if request.client else ""
        wait = self.attempts.begin(name, address)  # counted as wrong until the code proves right
        if wait:
            minutes = (wait + 59) // 60
            return self.render(
                request,
                "dang_nhap.html",
                429,
                loi=f"Đăng nhập sai quá nhiều lần: thử lại sau {minutes} phút.",
                ten=name,
            )
        stored = self.store.code_hash(name) if name else None
        # argon2 takes a moment of CPU on purpose: off the event loop, other pages go on
        if not await run_in_threadpool(auth.verify, stored, code):
            return self.render(
                request,
                "dang_nhap.html",
                401,
                loi="Tài khoản hoặc mã truy cập không đúng. Mã truy cập do tỉnh cấp, dạng "
                "ABCD-EFGH-JKMN-PQRS.",
                ten=name,
            )
        self.attempts.success(name, address)
        request.session.clear()  # a new session on login: nothing carried over from before
        request.session["tai_khoan"] = name
        request.session["ma"] = hashlib.sha256((stored or "").encode()).hexdigest()
        request.session["so"] = secrets.token_urlsafe(16)  # ended by logging out
        auth.csrf_token(request.session)
        return RedirectResponse("/tinh" if name == PROVINCE else f"/xa/{name}", 303)

    async def logout(self, request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=10)
        if not auth.csrf_ok(request.session, form.get("csrf")):
            return self.csrf_refused(request)
        number = request.session.get("so")
        if isinstance(number, str):
            await run_in_threadpool(self.store.end_session, number)
        request.session.clear()
        return RedirectResponse("/dang-nhap", 303)

    def csrf_refused(self, request: Request) -> Response:
        return self.refused(
            request,
            403,
            "Biểu mẫu không hợp lệ",
            "Biểu mẫu đã hết hạn hoặc không gửi từ trang này. Tải lại trang rồi làm lại.",
        )

    def nobody(self, request: Request) -> Response:
        """The answer to a request made without logging in: the login page for a page (GET),
        403 for a form."""
        if request.method == "GET":
            return RedirectResponse("/dang-nhap", 303)
        return self.refused(request, 403, "Chưa đăng nhập", "Đăng nhập trước rồi làm lại.")

    def allowed(self, request: Request, ma_xa: str) -> tuple[str | None, Response | None]:
        """The account, or the answer for a request it may not make: to the login page for
        nobody (GET), 403 for nobody (POST), the same 404 for another commune's and a missing
        commune's pages."""
        who = self.account(request)
        if who is None:
            return None, self.nobody(request)
        if not auth.may_see(who, ma_xa) or not self.store.is_commune(ma_xa):
            return None, self.not_found(request)
        return who, None

    async def commune(self, request: Request) -> Response:
        ma_xa = request.path_params["ma_xa"]
        who, refused = self.allowed(request, ma_xa)
        if refused is not None:
            return refused
        sent = self.store.uploads(ma_xa, limit=20)
        xa, members = self.commune_names(ma_xa)
        return self.render(
            request,
            "xa.html",
            ma_xa=ma_xa,
            xa=xa,
            thanh_vien=members,
            mau=self.forms(ma_xa),
            lan_gui=sent,
            san_pham=self.products(ma_xa),
            phat_hien=self.findings(ma_xa),
            dang_dung=any(s.trang_thai == engine.BUILDING for s in sent),
            dang_kiem_tra=any(s.trang_thai == engine.CHECKING for s in sent),
            toi_da=shown_size(MAX_UPLOAD_BYTES),
            nhan=", ".join(SENT_TYPES),
            working=engine.WORKING,
        )

    async def upload(self, request: Request) -> Response:
        ma_xa = request.path_params["ma_xa"]
        who, refused = self.allowed(request, ma_xa)
        if refused is not None:
            return refused
        form = await request.form(max_files=1, max_fields=5, max_part_size=FORM_ROOM)
        if not auth.csrf_ok(request.session, form.get("csrf")):
            return self.csrf_refused(request)
        sent = form.get("tep")
        if not isinstance(sent, UploadFile) or not sent.filename:
            return self.refused(
                request, 400, "Chưa chọn tệp", "Chọn tệp bảng tính (hoặc báo cáo Word) rồi bấm Gửi."
            )
        if sent.size is None or sent.size > MAX_UPLOAD_BYTES:
            return self.too_large_page(request)
        data = await sent.read()
        name = sent_name(sent.filename)
        digest = hashlib.sha256(data).hexdigest()
        problem = type_problem(name, data)
        suffix = PurePosixPath(name.lower()).suffix
        kept_as = suffix if suffix in SENT_TYPES and not problem else ".bin"
        state = engine.ERRORS if problem else engine.CHECKING
        assert who is not None
        # kept on disk and in the history before anything else (fsync'd): off the event loop,
        # so that a slow disk or a busy database holds this request alone, not every page
        taken = await run_in_threadpool(self.take, ma_xa, who, name, data, digest, kept_as, state)
        if isinstance(taken, tuple):
            return self.refused(request, *taken)
        number = taken
        if problem:
            self.store.set_result(
                number,
                state,
                van_de=[{"dong": problem, "muc_do": "", "sheet": "", "o": ""}],
                so_loi=1,
            )
        else:
            self.worker.submit(number)
        return RedirectResponse(f"/xa/{ma_xa}/lan-gui/{number}", 303)

    def take(self, ma_xa: str, *upload, tu_lan: int | None = None) -> int | tuple[int, str, str]:
        """An upload kept (`Store.add_upload`), its number; or why not (`full`). One at a time,
        so that uploads sent together cannot pass the commune's share together."""
        with self.taking:
            full = self.full(ma_xa)
            if full:
                return full
            return self.store.add_upload(ma_xa, *upload, tu_lan)

    def full(self, ma_xa: str) -> tuple[int, str, str] | None:
        """Why the page takes no more from this commune now (its share of a day, or the
        machine's disk): (status, title, text); None where it takes the upload."""
        free = shutil.disk_usage(self.store.folder).free
        if free < MIN_FREE_BYTES:
            return (
                507,
                "Máy của tỉnh sắp hết chỗ trống",
                f"Máy của tỉnh còn {shown_size(free)} trống, dưới mức "
                f"{shown_size(MIN_FREE_BYTES)} trang cần: tạm chưa nhận tệp. Báo tỉnh.",
            )
        count, size = self.store.sent_lately(ma_xa)
        if count >= MAX_UPLOADS_A_DAY or size >= MAX_BYTES_A_DAY:
            return (
                429,
                "Đã gửi quá nhiều tệp",
                f"Xã đã gửi {count} tệp ({shown_size(size)}) trong 24 giờ qua; mỗi xã gửi tối "
                f"đa {MAX_UPLOADS_A_DAY} tệp hoặc {shown_size(MAX_BYTES_A_DAY)} trong 24 giờ. "
                "Thử lại sau, hoặc liên hệ tỉnh.",
            )
        return None

    def sent_of(self, request: Request) -> tuple[Sent | None, Response | None]:
        ma_xa = request.path_params["ma_xa"]
        _, refused = self.allowed(request, ma_xa)
        if refused is not None:
            return None, refused
        number = request.path_params["so"]
        sent = self.store.upload(number) if 0 < number < 2**63 else None  # SQLite's integers
        if sent is None or sent.ma_xa != ma_xa:
            return None, self.not_found(request)
        return sent, None

    async def result(self, request: Request) -> Response:
        sent, refused = self.sent_of(request)
        if refused is not None:
            return refused
        assert sent is not None
        # a Word report's drafts are made off the event loop (reading it takes a moment)
        report = await run_in_threadpool(self.report_context, sent, chosen_of(request.query_params))
        lines = [
            (LINE_CLASS.get(v["muc_do"], "loi"), engine.shown_line(v, sent.ten_tep, self.raw.name))
            for v in sent.van_de
        ]
        return self.render(
            request,
            "lan_gui.html",
            ma_xa=sent.ma_xa,
            xa=self.named(sent.ma_xa),
            nguoi_gui="tỉnh"
            if sent.nguoi_gui == PROVINCE
            else f"xã {self.named(sent.nguoi_gui).shown}",
            van_de=lines,
            dich=PurePosixPath(sent.dich).name,
            lan=sent,
            dang_lam=sent.trang_thai in engine.WORKING,
            cho=self.awaited(sent.ma_xa) if sent.trang_thai == engine.WAITING else [],
            working=engine.WORKING,
            **report,
            da_nhan=sent.trang_thai == engine.ACCEPTED,
            bang=jinja2.utils.markupsafe.Markup(sent.bang),  # escaped by the renderer
            tep_da_gui=sent_file(sent),
            san_pham=self.products(sent.ma_xa) if sent.trang_thai == engine.ACCEPTED else [],
        )

    # ------------------------------------------------------------------ a Word report

    def word_import(self, sent: Sent, chosen: dict[int, str]) -> tuple:
        """The report's tables and drafts (made in memory, as `bieu nhap-word` makes them) for
        these choices, and each draft drawn: the last few kept, so that a reload, a download
        and the send do not read the report again."""
        if chosen:  # only a choice the report's own page offers: anything else is no choice
            tables = self.word_import(sent, {})[0].tables
            chosen = {
                place: code
                for place, code in chosen.items()
                if 1 <= place <= len(tables) and code in tables[place - 1].choices
            }
        found = (sent.id, tuple(sorted(chosen.items())))
        if found in self._imports:
            return self._imports[found]
        from pipeline.intake.submit import Named as Commune
        from schemas.vocabulary import NEW, OLD

        _, province, _ = self.store.names(sent.ma_xa)
        xa, members = self.commune_names(sent.ma_xa)
        province = province or engine.province_in(self.raw, [xa.code, *(m.code for m in members)])
        data = self.store.draft_path(sent).read_bytes()
        if not (xa.name and province and members and all(m.name for m in members)):
            made = engine.unnamed(sent.ma_xa, sent.ten_tep, data)
        else:
            made = engine.import_report(
                self.raw,
                sent.ma_xa,
                sent.ten_tep,
                data,
                Commune(xa.code, xa.name, NEW),
                [Commune(m.code, m.name, OLD) for m in members],
                province,
                chosen,
            )
        drawn = {d.name: engine.draft_html(d, d.name) for d in made.drafts}
        while len(self._imports) >= IMPORTS_KEPT:
            self._imports.pop(next(iter(self._imports)))
        self._imports[found] = (made, drawn)
        return made, drawn

    def report_context(self, sent: Sent, chosen: dict[int, str]) -> dict:
        """What the page of a Word report shows: its tables with the commune each goes to (a
        drop-down where the officer chooses), the import's notes and problems, the drafts
        drawn, and the drafts sent from it."""
        if sent.trang_thai != engine.REPORT:
            return {"nhap": None}
        made, drawn = self.word_import(sent, chosen)
        xa, members = self.commune_names(sent.ma_xa)
        names = {c.code: c.shown for c in (xa, *members)}
        tables = list(enumerate(made.tables, start=1))
        chosen_now = {i: t.commune for i, t in tables if len(t.choices) > 1 and t.commune}
        sent_from = self.store.made_from(sent.id)
        return {
            "nhap": made,
            "bang_word": tables,
            "ten_cac_xa": names,
            "ve_nhap": {d.name: jinja2.utils.markupsafe.Markup(drawn[d.name]) for d in made.drafts},
            "chon": chosen_now,
            "hoi": urlencode({f"bieu-{i}": code for i, code in chosen_now.items()}),
            "van_de_word": [p.line() for p in made.problems],
            "da_gui_nhap": sent_from,
            "dang_kiem_nhap": any(s.trang_thai in engine.WORKING for s in sent_from),
        }

    async def report_draft(self, request: Request) -> Response:
        """One draft of a Word report, to correct in Excel."""
        sent, refused = self.sent_of(request)
        if refused is not None:
            return refused
        assert sent is not None
        if sent.trang_thai != engine.REPORT:
            return self.not_found(request)
        chosen = chosen_of(request.query_params)
        made, _ = await run_in_threadpool(self.word_import, sent, chosen)
        for draft in made.drafts:
            if draft.name == request.path_params["ten_tep"]:
                return attachment(draft.name, draft.data)
        return self.not_found(request)

    async def send_drafts(self, request: Request) -> Response:
        """The drafts of a Word report sent as ordinary uploads: each kept under nop/ and in
        the history (with the report's number), then checked and, if it passes, accepted, as
        any workbook sent."""
        sent, refused = self.sent_of(request)
        if refused is not None:
            return refused
        assert sent is not None
        form = await request.form(max_files=0, max_fields=50)
        if not auth.csrf_ok(request.session, form.get("csrf")):
            return self.csrf_refused(request)
        if sent.trang_thai != engine.REPORT:
            return self.not_found(request)
        made, _ = await run_in_threadpool(self.word_import, sent, chosen_of(form))
        if made.problems or not made.drafts:
            return self.refused(
                request,
                400,
                "Chưa gửi được bản nháp",
                "Báo cáo chưa cho bản nháp nào: chọn xã cho từng bảng ở trang lần gửi rồi bấm lại.",
            )
        who = self.account(request)
        assert who is not None
        for draft in made.drafts:
            name = f"{PurePosixPath(draft.name).stem} (nháp từ Word).xlsx"
            digest = hashlib.sha256(draft.data).hexdigest()
            taken = await run_in_threadpool(
                partial(
                    self.take,
                    sent.ma_xa,
                    who,
                    name,
                    draft.data,
                    digest,
                    ".xlsx",
                    engine.CHECKING,
                    tu_lan=sent.id,
                )
            )
            if isinstance(taken, tuple):
                return self.refused(request, *taken)
            self.worker.submit(taken)
        return RedirectResponse(f"/xa/{sent.ma_xa}/lan-gui/{sent.id}", 303)

    # ------------------------------------------------------------------ files

    def products(self, ma_xa: str) -> list[tuple[str, str, str]]:
        """The commune's built products there are: (link id, file name, words)."""
        folder = self.output / ma_xa
        return [
            (hook, name, words)
            for hook, name, words in COMMUNE_PRODUCTS
            if (folder / name).is_file()
        ]

    def findings(self, ma_xa: str) -> list[str]:
        """The findings of the commune's last build, to read (its `kiem_tra.csv`, the findings
        only: the warnings were on its uploads' pages), each file by its own name."""
        import csv

        path = self.output / ma_xa / CHECKS_FILE
        try:
            with open(path, encoding="utf-8-sig", newline="") as opened:
                rows = [row for row in csv.DictReader(opened) if row.get("muc_do") == FINDING]
        except (OSError, csv.Error):
            return []
        return [
            engine.shown_line(
                {**row, "o": row.get("o", ""), "cua_lan_gui": False}, "", self.raw.name
            )
            for row in rows
        ]

    def own_files(self, ma_xa: str) -> dict[str, Callable[[], bytes]]:
        """Every file this commune may take, by the name its address gives: its products, its
        workbooks in raw/ (its own and its old communes'), and its uploads with their marked
        copies. Nothing else can be named."""
        files: dict[str, Callable[[], bytes]] = {}
        for _, name, _ in self.products(ma_xa):
            files[name] = (self.output / ma_xa / name).read_bytes
        for name, read, _ in self.forms(ma_xa):
            files[name] = read
        for sent in self.store.uploads(ma_xa, limit=10_000):
            files[sent_file(sent)] = self.store.draft_path(sent).read_bytes
            if sent.danh_dau:
                files[f"lan-gui-{sent.id}-danh-dau.xlsx"] = self.store.draft_path(
                    sent, marked=True
                ).read_bytes
        return files

    def forms(self, ma_xa: str) -> list[tuple[str, Callable[[], bytes], str]]:
        """The commune's workbooks to fill, each (file name, its bytes, words): those raw/ holds
        (its own and its old communes', with what was accepted in them), and a blank form
        (`mau_<mã>.xlsx`, as `bieu mau` makes it) for each of them raw/ does not hold yet, where
        the province gave the names."""
        from pipeline.formats import workbooks

        name, province, olds = self.store.names(ma_xa)
        xa, members = self.commune_names(ma_xa)
        codes = [ma_xa, *(code for code, _ in olds)]
        said = {xa.code: f"xã {xa.shown} (sau sắp xếp)"}
        said |= {old.code: f"xã {old.shown} (trước sắp xếp)" for old in members}
        held = {path.stem: path for path in workbooks(self.raw) if path.parent != self.raw}
        found = [
            (held[code].name, held[code].read_bytes, f"Bảng tính của {said[code]}")
            for code in codes
            if code in held
        ]
        if name and province and all(old_name for _, old_name in olds):
            for code in codes:
                if code not in held:
                    found.append(
                        (
                            f"mau_{code}.xlsx",
                            partial(self.blank, ma_xa, code),
                            f"Tệp mẫu trống của {said[code]}",
                        )
                    )
        return found

    def blank(self, ma_xa: str, code: str) -> bytes:
        """A blank form for one of the commune's communes (the new one or an old one), numbered
        as `bieu mau` numbers it."""
        from pipeline.intake import load_catalogue, next_number, read_forms
        from pipeline.intake.form import workbook
        from pipeline.layout.form import Commune
        from schemas.vocabulary import NEW, OLD

        name, province, olds = self.store.names(ma_xa)
        forms = read_forms(self.raw)
        if code == ma_xa:
            kind, members, shown = NEW, olds, name
        else:
            kind, members, shown = OLD, (), dict(olds)[code]
        bieu = next_number(forms, code, province, kind, members)
        return workbook(
            Commune(code, shown, province, kind, members, bieu), load_catalogue(self.raw)
        )

    async def download(self, request: Request) -> Response:
        ma_xa = request.path_params["ma_xa"]
        _, refused = self.allowed(request, ma_xa)
        if refused is not None:
            return refused
        name = request.path_params["ten_tep"]
        read = self.own_files(ma_xa).get(name)
        if read is None:
            return self.not_found(request)
        return attachment(name, read())

    async def province(self, request: Request) -> Response:
        who, refused = self.province_only(request)
        if refused is not None:
            return refused
        members = self.store.members()
        history = self.store.uploads(limit=500)
        last = self.store.last_uploads()
        rows = []
        for ma_xa in members:
            xa, olds = self.commune_names(ma_xa)
            rows.append(
                {
                    "xa": xa,
                    "thanh_vien": olds,
                    "lan": last.get(ma_xa),
                    "trang_thai": self.commune_state(ma_xa, last.get(ma_xa)),
                    # an upload's check finds no findings (they are the judgement's): the build's
                    "phat_hien": (
                        len(self.findings(ma_xa))
                        if (self.output / ma_xa / CHECKS_FILE).is_file()
                        else None
                    ),
                }
            )
        shown = {row["xa"].code: row["xa"].shown for row in rows}
        return self.render(
            request,
            "tinh.html",
            cac_xa=rows,
            lich_su=history,
            ten_xa=shown,
            tong_hop=self.rollups(),
            tat_ca=ALL_ANNEXES if self.annexes() else "",
            chu_tong_hop=ROLLUP_WORDS,
            chu_tat_ca=ALL_ANNEXES_WORDS,
            loi="",
        )

    def commune_state(self, ma_xa: str, last: Sent | None) -> str:
        if last is None:
            return "Chưa gửi"
        if last.trang_thai in engine.WORKING:
            return last.trang_thai
        if (self.output / ma_xa / COMMUNE_PRODUCTS[0][1]).is_file():
            return (
                "Đã dựng phụ lục"
                if last.trang_thai == engine.ACCEPTED
                else (f"Đã dựng phụ lục; lần gửi cuối: {last.trang_thai}")
            )
        return last.trang_thai

    def province_only(self, request: Request) -> tuple[str | None, Response | None]:
        who = self.account(request)
        if who is None:
            return None, self.nobody(request)
        if who != PROVINCE:
            return None, self.not_found(request)
        return who, None

    def rollups(self) -> list[str]:
        from schemas.vocabulary import ROLLUP_FOLDER

        folder = self.output / ROLLUP_FOLDER
        return sorted(p.name for p in folder.glob("*.xlsx")) if folder.is_dir() else []

    def annexes(self) -> list[tuple[str, Path]]:
        """Every new commune's annex workbook and report that is built: (name in the zip, path)."""
        found = []
        for ma_xa in self.store.members():
            for _, name, _ in self.products(ma_xa):
                found.append((f"{ma_xa}/{name}", self.output / ma_xa / name))
        return found

    async def province_download(self, request: Request) -> Response:
        _, refused = self.province_only(request)
        if refused is not None:
            return refused
        name = request.path_params["ten_tep"]
        from schemas.vocabulary import ROLLUP_FOLDER

        if name in self.rollups():
            return attachment(name, (self.output / ROLLUP_FOLDER / name).read_bytes())
        if name == ALL_ANNEXES and self.annexes():
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
                for inside, path in self.annexes():
                    bundle.writestr(inside, path.read_bytes())
            return attachment(name, buffer.getvalue())
        return self.not_found(request)

    async def declare(self, request: Request) -> Response:
        """The province's form: a new commune and its old communes (as `bieu phan-xa`)."""
        _, refused = self.province_only(request)
        if refused is not None:
            return refused
        form = await request.form(max_files=0, max_fields=10)
        if not auth.csrf_ok(request.session, form.get("csrf")):
            return self.csrf_refused(request)
        problem = declare(
            self.store,
            str(form.get("xa", "")),
            str(form.get("xa_hop_thanh", "")),
            str(form.get("ten", "")),
            str(form.get("tinh", "")),
        )
        if problem:
            return self.refused(request, 400, "Chưa ghi được", problem)
        return RedirectResponse("/tinh", 303)


CODE = re.compile(r"[\w-]+")
IMPORTS_KEPT = 8  # Word reports imported kept in memory (each a few drafts of ~60 KB)
CHOICE = re.compile(r"bieu-(\d{1,3})")  # a table's drop-down: its place in the report


def chosen_of(values) -> dict[int, str]:
    """The communes chosen for a report's tables (`bieu-2=an`), from an address's query or
    a form; anything else is left out."""
    chosen = {}
    for field, value in values.items():
        found = CHOICE.fullmatch(field)
        if found and isinstance(value, str) and CODE.fullmatch(value):
            chosen[int(found[1])] = value
    return chosen


def declare(store: Store, ma_xa: str, members: str, name: str = "", province: str = "") -> str:
    """Declare a new commune's old communes (`ma1, ma2`, or `ma1=Tên 1, ma2=Tên 2`), and its
    name and province where given; the problem in words, or "" once done.

    Every code in the one form that names its file in raw/ (`slug`: `tan_an`), so that what
    decides whose a workbook is and where it goes can never differ (a code in capitals or with
    its accents would otherwise be a second owner of the same file); an old commune belongs to
    one new commune, and a code is a new commune's or an old commune's, never both (but for a
    commune kept as it is, its own old commune)."""
    import unicodedata

    from pipeline.text import slug

    def plain(code: str) -> str:  # the code as it must be typed: a-z, 0-9 and "_"
        return "".join(ch for ch in slug(unicodedata.normalize("NFKC", code)) if ch.isascii())

    ma_xa = ma_xa.strip()
    pairs = [tuple(p.strip() for p in item.partition("=")[::2]) for item in members.split(",")]
    named = dict((code, name_) for code, name_ in pairs if code)
    olds = tuple(named)
    if not ma_xa or ma_xa != plain(ma_xa) or ma_xa == PROVINCE:
        return (
            f'"{ma_xa}": mã xã mới viết thường, không dấu, các chữ nối bằng "_" (như '
            f'"{plain(ma_xa) or "xa_moi"}"), và không phải "{PROVINCE}"'
        )
    if not olds:
        return f"{ma_xa}: chưa ghi xã hợp thành (mã các xã trước sắp xếp, cách nhau dấu phẩy)"
    owner = store.owner_of(ma_xa)
    if owner not in (None, ma_xa):
        return (
            f"{ma_xa}: là xã trước sắp xếp của xã mới {owner}; mã xã mới không trùng mã xã "
            "trước sắp xếp của xã khác"
        )
    for old in olds:
        if old != plain(old):
            return (
                f'"{old}": mã xã viết thường, không dấu, các chữ nối bằng "_" (như '
                f'"{plain(old) or "xa_cu"}")'
            )
        owner = store.owner_of(old)
        if owner not in (None, ma_xa):
            return f"{old}: đã thuộc xã mới {owner}; một xã trước sắp xếp chỉ thuộc một xã mới"
        if old != ma_xa and store.is_commune(old):
            return (
                f"{old}: là mã của một xã mới đã khai; xã trước sắp xếp không trùng mã xã mới khác"
            )
    store.declare(ma_xa, olds, name.strip(), province.strip(), tuple(named.values()))
    return ""


async def table_css(request: Request) -> Response:
    return Response(engine.table_css(), media_type="text/css; charset=utf-8")


def sent_file(sent: Sent) -> str:
    """The name an upload's copy is downloaded by: `lan-gui-12.xlsx`."""
    return f"lan-gui-{sent.id}{PurePosixPath(sent.tep_luu).suffix}"


def attachment(name: str, data: bytes) -> Response:
    media = MEDIA.get(PurePosixPath(name).suffix.lower(), "application/octet-stream")
    from urllib.parse import quote

    plain = "".join(
        ch if ch.isascii() and ch.isprintable() and ch not in '"\\' else "_" for ch in name
    )
    return Response(
        data,
        media_type=media,
        headers={
            "content-disposition": f'attachment; filename="{plain}"; '
            f"filename*=UTF-8''{quote(name)}"
        },
    )


def create_app(
    raw: Path,
    output: Path,
    nop: Path | None = None,
    start_worker: bool = True,
    https: bool = False,
) -> Starlette:
    """The page over `raw` and `output`; its folder `nop` (default: beside `raw`). `https`: the
    session cookie only over HTTPS (behind the office's HTTPS proxy)."""
    page = Page(raw, output, nop, start_worker)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        if page.start_worker:
            page.worker.start()
        try:
            yield
        finally:
            page.worker.stop()

    routes = [
        Route("/", page.home),
        Route("/dang-nhap", page.login_page, methods=["GET"]),
        Route("/dang-nhap", page.login, methods=["POST"]),
        Route("/dang-xuat", page.logout, methods=["POST"]),
        Route("/tinh", page.province, methods=["GET"]),
        Route("/tinh/phan-xa", page.declare, methods=["POST"]),
        Route("/tinh/tai/{ten_tep}", page.province_download, methods=["GET"]),
        Route("/xa/{ma_xa}", page.commune, methods=["GET"]),
        Route("/xa/{ma_xa}/gui", page.upload, methods=["POST"]),
        Route("/xa/{ma_xa}/lan-gui/{so:int}", page.result, methods=["GET"]),
        Route("/xa/{ma_xa}/lan-gui/{so:int}/nhap/{ten_tep}", page.report_draft, methods=["GET"]),
        Route("/xa/{ma_xa}/lan-gui/{so:int}/gui-nhap", page.send_drafts, methods=["POST"]),
        Route("/xa/{ma_xa}/tai/{ten_tep}", page.download, methods=["GET"]),
        Route("/static/bang.css", table_css, methods=["GET"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]

    async def missing(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 405:
            return page.refused(request, 405, "Không làm được", "Trang này không nhận yêu cầu đó.")
        if exc.status_code == 400:  # a form the page did not make (the parser refused it)
            return page.refused(
                request,
                400,
                "Biểu mẫu không hợp lệ",
                "Biểu mẫu gửi lên không đọc được. Tải lại trang, chọn lại tệp rồi gửi lại.",
            )
        return page.not_found(request)

    async def failed(request: Request, exc: Exception) -> Response:
        """A bug: a plain page, with the security headers (answered outside the middleware)."""
        return Response(
            FAILED_PAGE,
            500,
            headers={name.decode(): value.decode() for name, value in SECURITY_HEADERS},
            media_type="text/html; charset=utf-8",
        )

    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(
                SessionMiddleware,
                secret_key=page.store.secret(),
                session_cookie=COOKIE,
                max_age=SESSION_SECONDS,
                same_site="strict",
                https_only=https,
            ),
            Middleware(BodyLimit, limit=MAX_UPLOAD_BYTES + FORM_ROOM, refuse=page.too_large),
        ],
        exception_handlers={HTTPException: missing, Exception: failed},
        lifespan=lifespan,
    )
    app.state.page = page
    return app

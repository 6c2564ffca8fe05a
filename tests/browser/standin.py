"""A stand-in for the intake server, used by the browser test only until the real one
(`pipeline/serve/`, part "server" of issue 23) is there: `tests/browser/harness.py` picks the
real one as soon as it can be imported. Remove this file then.

It serves the routes and HTML hooks the contract names (docs/server.md) with the standard
library alone, and checks an upload with the real run (`build.run` on a copy of raw/ holding
it), so the test's assertions are those the real pages must meet. It has none of the real
server's safety (no CSRF, unsigned cookies, no limits): never serve it on a network.

    python -m tests.browser.standin phan-xa --raw RAW --xa MA --xa-hop-thanh "a, b"
    python -m tests.browser.standin ma-truy-cap --raw RAW (--xa MA | --tinh)
    python -m tests.browser.standin phuc-vu --raw RAW --output OUT --host H --port P
"""

from __future__ import annotations

import argparse
import email.parser
import email.policy
import hashlib
import html
import json
import re
import secrets
import shutil
import sys
import tempfile
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

STATE_OK, STATE_ERRORS = "Đã nhận", "Có lỗi, chưa nhận"
FILL = {"lỗi": "o-loi", "cảnh báo": "o-canh-bao"}


def nop(raw: Path) -> Path:
    folder = raw.parent / "nop"
    folder.mkdir(exist_ok=True)
    return folder


def accounts(raw: Path) -> dict:
    path = nop(raw) / "tai_khoan.json"
    return json.loads(path.read_text()) if path.exists() else {}


def save_accounts(raw: Path, known: dict) -> None:
    (nop(raw) / "tai_khoan.json").write_text(json.dumps(known))


def digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def page(title: str, body: str) -> bytes:
    css = (
        "body{font-family:sans-serif;margin:2em}table.trang-tinh{border-collapse:collapse}"
        "td{border:1px solid #999;padding:2px 4px;font-size:12px}"
        "td.o-loi{background-color:#FF7C80}td.o-canh-bao{background-color:#FFC000}"
        ".loi-nhan{display:block;font-style:italic}"
    )
    return (
        f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{html.escape(title)}'
        f"</title><style>{css}</style></head><body><h1>{html.escape(title)}</h1>{body}</body></html>"
    ).encode()


def sheets(data: bytes, marks: dict) -> str:
    """The workbook's sheets as tables, each problem cell marked with its message."""
    import io

    import openpyxl

    from pipeline.layout.marks import LEVEL_WORD

    drawn = []
    for sheet in openpyxl.load_workbook(io.BytesIO(data)):
        rows = []
        for row in sheet.iter_rows():
            cells = []
            for cell in row:
                text = html.escape("" if cell.value is None else str(cell.value))
                mark = marks.get((sheet.title, cell.coordinate))
                if mark:
                    level, message = mark
                    said = html.escape(f"{LEVEL_WORD[level]}: {message}")
                    cells.append(
                        f'<td class="{FILL[level]}" title="{said}">{text}'
                        f'<span class="loi-nhan">{said}</span></td>'
                    )
                else:
                    cells.append(f"<td>{text}</td>")
            rows.append(f"<tr>{''.join(cells)}</tr>")
        drawn.append(f"<h2>{html.escape(sheet.title)}</h2>")
        drawn.append(f'<table class="trang-tinh">{"".join(rows)}</table>')
    return "".join(drawn)


class Intake:
    """The record and what was sent to it, in memory."""

    def __init__(self, raw: Path, output: Path) -> None:
        self.raw, self.output = raw, output
        self.sent: dict[int, dict] = {}
        self.lock = threading.Lock()

    def check(self, commune: str, name: str, data: bytes) -> int:
        from pipeline import build

        with self.lock:
            number = len(self.sent) + 1
            (nop(self.raw) / "nhap").mkdir(exist_ok=True)
            (nop(self.raw) / "nhap" / f"{number}.xlsx").write_bytes(data)
            target = next(self.raw.rglob(Path(name).name), None)
            if target is None:
                self.sent[number] = {"state": STATE_ERRORS, "lines": [f"{name}: không rõ"]}
                return number
            where = target.relative_to(self.raw)
            with tempfile.TemporaryDirectory() as temp:
                copy = Path(temp) / "raw"
                shutil.copytree(self.raw, copy)
                (copy / where).write_bytes(data)
                found = build.run(copy, Path(temp) / "output").checked.problems
            own = [p for p in found if p.tep.endswith(where.as_posix())]
            errors = [p for p in own if p.muc_do == "lỗi"]
            if not errors:
                target.write_bytes(data)
                build.run(self.raw, self.output)
            self.sent[number] = {
                "state": STATE_ERRORS if errors else STATE_OK,
                "lines": [p.line() for p in own],
                "sheets": sheets(data, {(p.sheet, p.o): (p.muc_do, p.noi_dung) for p in own}),
                "commune": commune,
            }
            return number


class Handler(BaseHTTPRequestHandler):
    intake: Intake

    def log_message(self, *args) -> None:
        pass

    def who(self) -> str:
        cookie = self.headers.get("Cookie", "")
        found = re.search(r"phien=([a-z_0-9]+)", cookie)
        return found.group(1) if found else ""

    def answer(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {"Content-Type": "text/html; charset=utf-8"}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def go(self, where: str, cookie: str = "") -> None:
        headers = {"Location": where}
        if cookie:
            headers["Set-Cookie"] = f"phien={cookie}; HttpOnly; SameSite=Strict; Path=/"
        self.answer(303, b"", headers)

    def do_GET(self) -> None:
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        me = self.who()
        if path == "/":
            return self.go(f"/xa/{me}" if me else "/dang-nhap")
        if path == "/dang-nhap":
            return self.answer(200, page("Đăng nhập", LOGIN))
        parts = path.strip("/").split("/")
        if parts[0] == "tinh" and me == "tinh":
            return self.answer(200, page("Tỉnh", "<p>Các xã</p>"))
        if len(parts) < 2 or parts[0] != "xa" or parts[1] != me:
            return self.answer(404, page("Không có trang này", ""))
        if len(parts) == 2:
            return self.answer(200, page(f"Xã {me}", self.commune_page(me)))
        if len(parts) == 4 and parts[2] == "lan-gui" and parts[3].isdigit():
            sent = self.intake.sent.get(int(parts[3]))
            if sent and sent.get("commune") == me:
                return self.answer(200, page("Kết quả gửi", self.result(sent)))
        if len(parts) == 4 and parts[2] == "tai" and re.fullmatch(r"[a-z_0-9]+\.xlsx", parts[3]):
            product = self.intake.output / me / parts[3]
            if product.is_file():
                return self.answer(
                    200,
                    product.read_bytes(),
                    {
                        "Content-Type": "application/vnd.openxmlformats-officedocument."
                        "spreadsheetml.sheet",
                        "Content-Disposition": f'attachment; filename="{parts[3]}"',
                    },
                )
        return self.answer(404, page("Không có trang này", ""))

    def commune_page(self, me: str) -> str:
        body = (
            '<form id="form-gui" method="post" enctype="multipart/form-data" '
            f'action="/xa/{me}/gui"><input type="hidden" name="csrf" value="-">'
            '<input type="file" name="tep"><button id="gui" type="submit">Gửi</button></form>'
        )
        if (self.intake.output / me / "bieu_chi_tieu.xlsx").is_file():
            body += f'<p><a id="tai-phu-luc" href="/xa/{me}/tai/bieu_chi_tieu.xlsx">Phụ lục</a></p>'
        return body

    def result(self, sent: dict) -> str:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in sent["lines"])
        return (
            f'<p id="trang-thai">{sent["state"]}</p><ul id="van-de">{items}</ul>'
            f"{sent.get('sheets', '')}"
        )

    def do_POST(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        size = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(size)
        if path == "/dang-nhap":
            form = urllib.parse.parse_qs(body.decode())
            account = form.get("tai_khoan", [""])[0].strip()
            code = form.get("ma_truy_cap", [""])[0].strip()
            if accounts(self.intake.raw).get(account) == digest(code):
                return self.go("/tinh" if account == "tinh" else f"/xa/{account}", account)
            return self.answer(403, page("Đăng nhập", "<p>Sai mã truy cập</p>" + LOGIN))
        me = self.who()
        if path == f"/xa/{me}/gui" and me:
            head = f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode()
            message = email.parser.BytesParser(policy=email.policy.default).parsebytes(head + body)
            for part in message.iter_parts():
                if part.get_param("name", header="content-disposition") == "tep":
                    number = self.intake.check(me, part.get_filename(), part.get_content())
                    return self.go(f"/xa/{me}/lan-gui/{number}")
        return self.answer(403, page("Không được phép", ""))


LOGIN = (
    '<form method="post" action="/dang-nhap"><input type="hidden" name="csrf" value="-">'
    '<input name="tai_khoan"><input name="ma_truy_cap" type="password">'
    '<button id="dang-nhap" type="submit">Đăng nhập</button></form>'
)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("what")
    parser.add_argument("--raw", type=Path, required=True)
    parser.add_argument("--output", type=Path)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--xa", default="")
    parser.add_argument("--tinh", action="store_true")
    parser.add_argument("--xa-hop-thanh", default="")
    args = parser.parse_args(argv)
    if args.what == "phan-xa":
        return 0
    if args.what == "ma-truy-cap":
        code = secrets.token_urlsafe(9)
        known = accounts(args.raw)
        known["tinh" if args.tinh else args.xa] = digest(code)
        save_accounts(args.raw, known)
        account = "tinh" if args.tinh else args.xa
        print(f"Mã truy cập của {account} (tài khoản {account}): {code}")
        return 0
    Handler.intake = Intake(args.raw, args.output)
    ThreadingHTTPServer((args.host, args.port), Handler).serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

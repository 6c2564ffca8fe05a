"""The login limit (`auth.Attempts`) and the bound on argon2 checks at once, on their own."""

from __future__ import annotations

import threading

from pipeline.serve import auth


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_tries_begun_at_once_are_counted_before_their_codes_are_checked():
    attempts = auth.Attempts(Clock())
    begun = [attempts.begin("tinh", "10.0.0.9") for _ in range(8)]
    assert begun == [0, 0, 0, 0, 0, 901, 901, 901]  # the sixth waits: five in flight at most


def test_a_right_code_forgives_its_own_try_and_the_accounts_earlier_wrong_ones():
    attempts = auth.Attempts(Clock())
    for _ in range(4):
        assert attempts.begin("muong_lam", "10.0.0.9") == 0  # four wrong
    assert attempts.begin("muong_lam", "10.0.0.9") == 0
    attempts.success("muong_lam", "10.0.0.9")  # the fifth was right
    assert attempts.begin("muong_lam", "10.0.0.9") == 0
    assert len(attempts.failed[("ip", "10.0.0.9")]) == 5  # the address keeps the four, and this


def test_a_stranger_locks_out_his_own_address_not_the_account():
    attempts = auth.Attempts(Clock())
    for _ in range(5):
        attempts.begin("tinh", "10.6.6.6")
    assert attempts.wait("tinh", "10.6.6.6") == 901
    assert attempts.wait("tinh", "10.0.0.1") == 0  # the province's own machine
    for other in range(auth.MAX_FAILURES_ADDRESS):
        attempts.begin(f"xa{other}", "10.7.7.7")
    assert attempts.wait("muong_lam", "10.7.7.7") == 901  # an address trying every account


def test_the_window_forgets_and_leaves_no_key_behind():
    clock = Clock()
    attempts = auth.Attempts(clock)
    for _ in range(5):
        attempts.begin("tinh", "10.6.6.6")
    clock.now += auth.WINDOW
    assert attempts.wait("tinh", "10.6.6.6") == 0
    assert attempts.failed == {}


def test_asking_leaves_nothing_and_a_huge_name_is_kept_short():
    attempts = auth.Attempts(Clock())
    for i in range(50):
        attempts.wait(f"{i}" + "x" * 1_000_000, "10.0.0.9")
    assert attempts.failed == {}
    attempts.begin("x" * 1_000_000, "10.0.0.9")
    assert max(len("".join(key)) for key in attempts.failed) <= auth.MAX_NAME + len("tk10.0.0.9")


def test_no_more_than_two_codes_are_checked_at_once(monkeypatch):
    inside, most, held = 0, 0, threading.Lock()
    release = threading.Event()

    def slow(stored, code):
        nonlocal inside, most
        with held:
            inside += 1
            most = max(most, inside)
        release.wait(2)
        with held:
            inside -= 1
        return False

    monkeypatch.setattr(auth, "HASHER", type("Slow", (), {"verify": staticmethod(slow)})())
    threads = [threading.Thread(target=auth.verify, args=(None, "A")) for _ in range(6)]
    for thread in threads:
        thread.start()
    threading.Timer(0.3, release.set).start()
    for thread in threads:
        thread.join()
    assert most == 2


def test_x_forwarded_for_is_believed_only_from_the_https_server_named():
    import asyncio

    import uvicorn

    from pipeline.serve.cli import proxy

    async def client_of(scope, receive, send):
        seen.append(scope["client"][0])
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def ask(app, sender: str) -> None:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": "/",
            "raw_path": b"/",
            "query_string": b"",
            "root_path": "",
            "headers": [(b"x-forwarded-for", b"10.0.0.5")],
            "client": (sender, 5000),
            "server": ("127.0.0.1", 8765),
        }

        async def receive():
            return {"type": "http.request", "body": b""}

        async def send(message):
            pass

        await app(scope, receive, send)

    for https, sender, expected in (
        ("", "127.0.0.1", "127.0.0.1"),  # no HTTPS server: nobody chooses his address
        ("127.0.0.1", "127.0.0.1", "10.0.0.5"),  # the HTTPS server on this machine
        ("10.0.0.2", "127.0.0.1", "127.0.0.1"),  # another machine's is not believed
        ("10.0.0.2", "10.0.0.2", "10.0.0.5"),
    ):
        seen: list[str] = []
        config = uvicorn.Config(client_of, **proxy(https))
        config.load()
        asyncio.run(ask(config.loaded_app, sender))
        assert seen == [expected], (https, sender)


def test_a_session_kept_after_logout_is_nobody(site):
    from tests.serve.conftest import csrf_of

    client = site.client("muong_lam")
    kept = dict(client.cookies)
    other = site.client("muong_lam")  # the same commune on another computer
    token = csrf_of(client.get("/xa/muong_lam").text)
    assert client.post("/dang-xuat", data={"csrf": token}).status_code == 303
    copy = site.client()
    copy.cookies.update(kept)
    assert copy.get("/xa/muong_lam").headers["location"] == "/dang-nhap"
    assert other.get("/xa/muong_lam").status_code == 200  # its own session goes on

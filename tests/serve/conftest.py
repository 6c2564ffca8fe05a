"""The intake page over a copy of the seed: its folder nop/ beside raw/, the seed's new commune
(muong_lam, of dua_mon and muong_lam_cu) and another (xa_khac, of ma_khac) declared, an access
code for each and for the province, and a test client per account."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from starlette.testclient import TestClient

from pipeline.paths import RAW
from pipeline.serve import auth
from pipeline.serve.app import create_app
from pipeline.serve.store import PROVINCE, Store, folder_of

CODES = {
    "muong_lam": "AAAA-BBBB-CCCC-DDDD",
    "xa_khac": "EEEE-FFFF-GGGG-HHHH",
    PROVINCE: "TTTT-2222-3333-4444",
}


# argon2id at the lowest cost it allows: a hash or a check of the production's (64 MiB, 3 passes)
# takes about 0,14 s of CPU, and a test of the page makes three hashes and logs in once or more
CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(autouse=True)
def cheap_hasher(request, monkeypatch):
    """Access codes hashed and checked at the lowest cost in every test here (a hash keeps its
    parameters, so a check costs what its hash did), but in a test that takes `production_hasher`,
    which checks the production's parameters."""
    if "production_hasher" not in request.fixturenames:
        monkeypatch.setattr(auth, "HASHER", CHEAP)
        monkeypatch.setattr(auth, "_DUMMY", CHEAP.hash("không phải mã nào"))


@pytest.fixture
def production_hasher():
    """The hasher the server uses, left as it is (see `cheap_hasher`)."""
    return auth.HASHER


@dataclass
class Site:
    raw: Path
    output: Path
    nop: Path
    app: object

    @property
    def store(self) -> Store:
        return self.app.state.page.store

    def client(self, account: str | None = None) -> TestClient:
        """A browser: logged in as `account`, or nobody."""
        # not entered as a context: the app's lifespan (the worker) is the fixture's
        client = TestClient(self.app, base_url="http://127.0.0.1:8765", follow_redirects=False)
        if account is not None:
            answer = login(client, account, CODES[account])
            assert answer.status_code == 303, answer.text
        return client

    def settle(self) -> None:
        """Wait until the worker has answered every upload sent."""
        assert self.app.state.page.worker.idle.wait(60)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def login(client: TestClient, account: str, code: str):
    token = csrf_of(client.get("/dang-nhap").text)
    return client.post(
        "/dang-nhap", data={"tai_khoan": account, "ma_truy_cap": code, "csrf": token}
    )


@pytest.fixture
def site(tmp_path: Path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    output = tmp_path / "output"
    nop = folder_of(raw)
    store = Store(nop)
    store.declare("muong_lam", ("dua_mon", "muong_lam_cu"))
    store.declare("xa_khac", ("ma_khac",))
    for account, code in CODES.items():
        store.set_code(account, auth.hashed(code))
    app = create_app(raw, output, start_worker=False)
    app.state.page.worker.start()
    yield Site(raw, output, nop, app)
    app.state.page.worker.stop()

"""The browser test's own rules: what it says where no browser is installed, and that CI never
lets it skip."""

from __future__ import annotations

import pytest

from tests.browser import conftest, harness


def test_a_missing_browser_is_named_with_the_packages_that_bring_it(tmp_path, monkeypatch):
    absent = tmp_path / "chromium"
    monkeypatch.setattr(harness, "BROWSER", ((absent, "chromium"), (harness.CHROMEDRIVER, "x")))
    assert harness.missing().startswith(f"{absent} (chromium) missing: apt-get install chromium x")


def test_without_a_browser_the_test_is_skipped_on_a_developers_machine(monkeypatch):
    monkeypatch.setattr(conftest, "IN_CI", False)
    with pytest.raises(pytest.skip.Exception, match="^no chromium$"):
        conftest.cannot("no chromium")


def test_without_a_browser_the_test_fails_in_ci(monkeypatch):
    monkeypatch.setattr(conftest, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match="^no chromium \\(BIEU_CI=1: "):
        conftest.cannot("no chromium")


def test_the_access_code_is_read_from_what_its_command_prints(monkeypatch, tmp_path):
    printed = (
        "Mã truy cập của xã Mường Lầm (tài khoản muong_lam): Ab3-xY_9\n"
        "Mã chỉ in một lần này; chương trình chỉ giữ bản băm. Mã cũ (nếu có) hết hiệu lực.\n"
    )
    monkeypatch.setattr(harness, "run", lambda args: type("Done", (), {"stdout": printed}))
    server = harness.Server(tmp_path, tmp_path, "http://127.0.0.1:1", None, tmp_path)
    assert server.code() == "Ab3-xY_9"

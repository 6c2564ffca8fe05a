"""The browser test's fixtures: the intake server as a program over a copy of the seed, and
Debian's Chromium driving it (tests/browser/harness.py).

Without Chromium, its driver or selenium, the test is skipped and says what to install; with
`BIEU_CI=1` (CI sets it, `.ci/run`) it fails instead, so that CI never passes without it."""

from __future__ import annotations

import os

import pytest

from pipeline.paths import RAW
from tests.browser import harness

IN_CI = os.environ.get("BIEU_CI") == "1"


def cannot(reason: str) -> None:
    """Skip the test with `reason`, or fail it in CI."""
    if IN_CI:
        pytest.fail(f"{reason} (BIEU_CI=1: the browser test must run here)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def drivable() -> None:
    """Chromium, its driver and selenium are here; or the test is skipped (failed in CI)."""
    reason = harness.missing()
    if reason:
        cannot(reason)


@pytest.fixture
def server(drivable, tmp_path):
    """The intake server over a copy of the seed's raw/, on a free port of 127.0.0.1."""
    with harness.serving(tmp_path / "tinh", RAW) as running:
        yield running
    # shown only when the test fails: what the server said
    print(running.log.read_text(errors="replace")[-4000:])


@pytest.fixture
def downloads(tmp_path):
    folder = tmp_path / "tai_ve"
    folder.mkdir()
    return folder


@pytest.fixture
def browser(server, downloads):
    """Headless Chromium from Debian's package, saving downloads into `downloads`."""
    driver = harness.chromium(downloads)
    yield driver
    driver.quit()

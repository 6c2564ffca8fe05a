"""The intake server as a program and Debian's Chromium driving it: for the browser test
(`tests/browser/`) and for the pages' pictures in the guide (`make hinh`, tools/hinh.py).

The server runs as its own process over a copy of a record (`bieu phuc-vu` on a free port of
127.0.0.1), a commune's access code is made by its own command (`bieu ma-truy-cap`), and the
browser is the Chromium of Debian's `chromium` package through its `chromium-driver`: Selenium
is given the driver's path, so Selenium Manager never looks for a driver or a browser on the
network.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.paths import ROOT
from tools import qua_trang
from tools.qua_trang import command

CHROMIUM = Path("/usr/bin/chromium")  # Debian's chromium
CHROMEDRIVER = Path("/usr/bin/chromedriver")  # Debian's chromium-driver
BROWSER = ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver"))  # each with its package
# the seed's new commune, its old communes as its "Xã hợp thành" sheet lists them
COMMUNE = "muong_lam"
MEMBERS = "dua_mon, muong_lam_cu"
WINDOW = (1280, 900)  # the window a picture of a page is taken in, as an office screen
TALLEST = 6000  # pixels: a picture of a longer page is cut there
# the bad cell of the walk: Đứa Mòn's cattle result typed as a word, and the number it should be
BROKEN = ("son_la/dua_mon.xlsx", "Chỉ tiêu", "E7", "mười")
CORRECTED = "15"
# the old commune left out of the record of the waiting walk, and the new commune's workbook sent
WAITED_FOR = "son_la/muong_lam_cu.xlsx"
NEW_WORKBOOK = "son_la/muong_lam.xlsx"
REPORT = "bao_cao_dai_hoi.docx"  # the congress report the walk sends
BUSY = ("Đang kiểm tra", "Đang dựng")  # an upload's states while the server works on it


def missing() -> str:
    """Why a browser cannot be driven here, in a line; empty when it can."""
    absent = [f"{path} ({package})" for path, package in BROWSER if not path.is_file()]
    if absent:
        packages = " ".join(package for path, package in BROWSER)
        return f"{' and '.join(absent)} missing: apt-get install {packages}"
    if importlib.util.find_spec("selenium") is None:
        return "selenium missing: pip install -e '.[dev]'"
    return ""


@dataclass
class Server:
    """A running intake server over `raw` and `output`, at `url`."""

    raw: Path
    output: Path
    url: str
    process: subprocess.Popen
    log: Path

    def code(self, account: str = COMMUNE) -> str:
        """A new access code for `account` (a new commune's code, or "tinh"), as its command
        prints it once: "Mã truy cập của … (tài khoản …): CODE"."""
        which = ["--tinh"] if account == "tinh" else ["--xa", account]
        done = run(command("ma-truy-cap", "--raw", str(self.raw), *which))
        found = re.search(r"^Mã truy cập .*: (\S+)$", done.stdout, re.MULTILINE)
        if found is None:
            raise RuntimeError(f"no access code in what ma-truy-cap printed:\n{done.stdout}")
        return found.group(1)

    def page(self, path: str) -> str:
        return self.url + path


def run(args: list[str]) -> subprocess.CompletedProcess:
    """A command of ours run to its end; its own words if it fails."""
    done = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=120)
    if done.returncode:
        raise RuntimeError(f"{' '.join(args[2:])} → {done.returncode}\n{done.stdout}{done.stderr}")
    return done


@contextlib.contextmanager
def serving(folder: Path, raw: Path) -> Iterator[Server]:
    """The intake server over a copy of `raw` in `folder` (`folder/raw`, `folder/output`, and
    the server's own `folder/nop`), the seed's new commune declared with its old communes,
    listening on a free port of 127.0.0.1 until the block ends."""
    copy = shutil.copytree(raw, folder / "raw")
    output = folder / "output"
    output.mkdir()
    run(command("phan-xa", "--raw", str(copy), "--xa", COMMUNE, "--xa-hop-thanh", MEMBERS))
    # started, waited for and stopped as the province's walk through the page starts it
    with qua_trang.serving(copy, output, folder / "phuc_vu.log") as started:
        yield Server(copy, output, started.url, started.process, started.log)


def chromium(downloads: Path):
    """Debian's Chromium, headless, in a window of `WINDOW`, saving downloads into
    `downloads` without asking."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager: never the network
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=vi"):
        options.add_argument(flag)
    options.add_argument(f"--window-size={WINDOW[0]},{WINDOW[1]}")
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "safebrowsing.enabled": False,
        },
    )
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    return driver


def log_in(driver, server: Server, account: str, code: str) -> None:
    """Through the login page, as an officer types it."""
    from selenium.webdriver.common.by import By

    driver.get(server.page("/dang-nhap"))
    driver.find_element(By.NAME, "tai_khoan").send_keys(account)
    driver.find_element(By.NAME, "ma_truy_cap").send_keys(code)
    submitted(driver, driver.find_element(By.ID, "dang-nhap"))


def send(driver, server: Server, workbook: Path, commune: str = COMMUNE) -> None:
    """`workbook` sent through the commune page's form; the browser then shows its result."""
    from selenium.webdriver.common.by import By

    driver.get(server.page(f"/xa/{commune}"))
    form = driver.find_element(By.ID, "form-gui")
    form.find_element(By.NAME, "tep").send_keys(str(workbook))
    submitted(driver, form.find_element(By.ID, "gui"))


def submitted(driver, button, within: float = 60.0) -> None:
    """`button` clicked, and the page it leads to loaded. The page shown before is marked, and
    the browser asked until a page without the mark has loaded: while one page replaces another,
    Chromium's driver may answer with any of its errors about the old page's elements."""
    from selenium.common.exceptions import WebDriverException

    driver.execute_script("window.bieuTrangCu = true")
    button.click()
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if driver.execute_script(
                "return !window.bieuTrangCu && document.readyState === 'complete'"
            ):
                return
        except WebDriverException:
            pass  # the page is being replaced
        time.sleep(0.1)
    raise AssertionError(f"no new page after the click in {within:.0f} s: {driver.current_url}")


def state(driver, within: float = 30.0) -> str:
    """The upload's state as its page says it, once checked: the page is reloaded (by itself or
    here) while it says it is being checked or built."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By

    deadline = time.monotonic() + within
    said = ""
    while time.monotonic() < deadline:
        try:
            said = driver.find_element(By.ID, "trang-thai").text.strip()
        except WebDriverException:
            said = ""  # the page is being loaded again (it reloads itself while busy)
        if said and not said.startswith(BUSY):
            return said
        time.sleep(0.3)
        if said:
            driver.refresh()
    raise AssertionError(f"the upload still says {said!r} after {within:.0f} s")


def waiting_for(driver, element: str, within: float = 60.0):
    """The element of id `element`, once the page shows it and has stopped reloading itself
    (a page says "đang dựng" and reloads while the annexes are being built)."""
    from selenium.common.exceptions import WebDriverException

    # One question to one page: asked in two, the element could come from a busy page and the
    # answer "not busy" from the page that replaced it, and the element be stale when used.
    ask = """
        const busy = document.querySelector('meta[http-equiv="refresh"]') !== null;
        return [busy, busy ? null : document.getElementById(arguments[0])];
    """
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            busy, found = driver.execute_script(ask, element)
            if found is not None:
                return found
            if not busy:
                driver.refresh()
        except WebDriverException:
            pass  # the page is being loaded again
        time.sleep(0.3)
    raise AssertionError(f"no #{element} on {driver.current_url} in {within:.0f} s")


def saved(folder: Path, suffix: str, within: float = 30.0) -> Path:
    """The one file ending in `suffix` once the browser has saved it whole into `folder`."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        found = [p for p in folder.iterdir() if p.name.endswith(suffix)]
        if len(found) == 1 and not list(folder.glob("*.crdownload")):
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} saved: {sorted(p.name for p in folder.iterdir())}")


def picture(driver, path: Path) -> Path:
    """The whole page, as tall as it is (up to `TALLEST`), `WINDOW[0]` wide, as a PNG."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    size = {"width": WINDOW[0], "height": max(WINDOW[1], min(int(height), TALLEST))}
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {**size, "deviceScaleFactor": 1, "mobile": False}
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(path))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return path


def walk(driver, server: Server, folder: Path) -> Iterator[str]:
    """The pages an officer meets, in order, each named as its picture is (`phuc_vu-<name>`):
    the login page; the commune's page; the result of a workbook sent with one bad cell (a
    copy of the seed's Đứa Mòn with a word for a number, `BROKEN`); the result of it sent
    corrected; the commune's page with its annexes built; the province's page; the page of
    the commune's congress report sent in Word, with its drafts. Yields each
    name while the browser shows that page."""
    from tests.conftest import edit

    workbook = folder / "dua_mon.xlsx"
    shutil.copy(server.raw / BROKEN[0], workbook)
    driver.get(server.page("/dang-nhap"))
    yield "dang_nhap"
    log_in(driver, server, COMMUNE, server.code())
    yield "xa"
    edit(workbook, *BROKEN[1:])
    send(driver, server, workbook)
    state(driver)
    yield "lan_gui_co_loi"
    edit(workbook, *BROKEN[1:3], CORRECTED)
    send(driver, server, workbook)
    state(driver)
    yield "lan_gui_da_nhan"
    driver.get(server.page(f"/xa/{COMMUNE}"))
    waiting_for(driver, "tai-phu-luc")
    yield "xa_da_dung"
    driver.delete_all_cookies()
    log_in(driver, server, "tinh", server.code("tinh"))
    yield "tinh"
    yield from report_walk(driver, server, folder)


def report_walk(driver, server: Server, folder: Path) -> Iterator[str]:
    """The commune sends its congress report in Word (the seed's three Biểu, `whole_report`):
    the page shows the drafts made from it. Yields the page's picture name while shown."""
    from tests.intake.reports import whole_report

    driver.delete_all_cookies()
    log_in(driver, server, COMMUNE, server.code())
    send(driver, server, whole_report(folder / REPORT))
    state(driver)
    yield "lan_gui_word"


def without_an_old_commune(raw: Path, folder: Path) -> Path:
    """A copy of `raw` in `folder` without one of the new commune's old communes (`WAITED_FOR`):
    the new commune's workbook sent to it waits for that one."""
    copy = shutil.copytree(raw, folder)
    (copy / WAITED_FOR).unlink()
    return copy


def waiting_walk(driver, server: Server, folder: Path) -> Iterator[str]:
    """The page of a new commune's workbook sent while one of its old communes is not in the
    record (`server` serves `without_an_old_commune`): "Chờ các xã hợp thành". Yields its
    picture's name while the browser shows it."""
    workbook = shutil.copy(server.raw / NEW_WORKBOOK, folder / Path(NEW_WORKBOOK).name)
    log_in(driver, server, COMMUNE, server.code())
    send(driver, server, Path(workbook))
    state(driver)
    yield "lan_gui_cho"

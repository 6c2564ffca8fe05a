"""A commune's officer, in a real browser: logs in, sends a workbook with one bad cell, sees that
cell coloured with its message, sends it corrected, sees it received, and takes the annex home."""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

import openpyxl
import pytest

from pipeline.layout.marks import LEVEL_WORD
from pipeline.layout.style import SEVERITY
from pipeline.paths import RAW, ROOT
from pipeline.problems import ERROR, WARNING
from tests.browser import harness
from tests.conftest import SEED_WARNING, edit
from tools import hinh

pytestmark = [pytest.mark.processes, pytest.mark.browser]

# Đứa Mòn's cattle result typed as a word, as the terminal would print it
BAD = f'"{harness.BROKEN[3]}" không phải là số'
# the file named as the commune sent it (the walk sends it as dua_mon.xlsx)
BAD_LINE = f"dua_mon.xlsx › {harness.BROKEN[1]} › {harness.BROKEN[2]}: {BAD}"
NOTE = f"{LEVEL_WORD[ERROR]}: {BAD}"  # its cell's note, as the marked copy writes it


def rgb(colour: str) -> str:
    """A style's "#RRGGBB" as the browser computes it."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def computed(driver, element, style: str) -> str:
    """The element's style as the browser computed it (getComputedStyle)."""
    return driver.execute_script(f"return getComputedStyle(arguments[0]).{style}", element)


def size_of(png: Path) -> tuple[int, int]:
    """A PNG's width and height, from its header."""
    width, height = struct.unpack(">II", png.read_bytes()[16:24])
    return width, height


def problems(driver) -> list[str]:
    from selenium.webdriver.common.by import By

    return [li.text for li in driver.find_elements(By.CSS_SELECTOR, "ul#van-de > li")]


def test_a_commune_sends_a_broken_workbook_sees_its_cell_then_sends_it_right_and_takes_the_annex(
    server, browser, downloads, tmp_path, seed_output
):
    from selenium.webdriver.common.by import By

    sent = tmp_path / "gui"
    sent.mkdir()
    name, sheet, at, word = harness.BROKEN
    broken = shutil.copy(RAW / name, sent / "dua_mon.xlsx")
    edit(broken, sheet, at, word)
    accepted_before = (server.raw / name).read_bytes()

    harness.log_in(browser, server, harness.COMMUNE, server.code())
    assert browser.current_url == server.page(f"/xa/{harness.COMMUNE}")

    harness.send(browser, server, broken)
    assert harness.state(browser) == "Có lỗi, chưa nhận"
    assert BAD_LINE in problems(browser)
    cell = browser.find_element(By.CSS_SELECTOR, "table.trang-tinh td.o-loi")
    # its note under the table, reached by the number in the cell
    cell.find_element(By.CSS_SELECTOR, "a.so-loi-nhan").click()
    note = browser.find_element(By.CSS_SELECTOR, "table.trang-tinh li.loi-nhan:target")
    assert note.text == f"{at}: {NOTE}"
    assert cell.get_attribute("title") == NOTE
    assert cell.text.startswith(word)
    assert computed(browser, cell, "backgroundColor") == rgb(SEVERITY[ERROR])
    # a draft with an error never replaces the accepted workbook
    assert (server.raw / name).read_bytes() == accepted_before

    edit(broken, sheet, at, harness.CORRECTED)  # the number printed in the report
    harness.send(browser, server, broken)
    assert harness.state(browser) == "Đã nhận"
    # the seed's own warning, its file named as sent
    assert problems(browser) == [SEED_WARNING.replace(f"raw/{name}", "dua_mon.xlsx")]
    assert not browser.find_elements(By.CSS_SELECTOR, "td.o-loi")
    # the seed's own warning, on its cell in amber
    warned = browser.find_element(By.CSS_SELECTOR, "table.trang-tinh td.o-canh-bao")
    said = SEED_WARNING.split("E31: ", 1)[1]
    assert warned.get_attribute("title") == f"{LEVEL_WORD[WARNING]}: {said}"
    assert computed(browser, warned, "backgroundColor") == rgb(SEVERITY[WARNING])

    browser.get(server.page(f"/xa/{harness.COMMUNE}"))
    link = harness.waiting_for(browser, "tai-phu-luc")
    link.click()
    annex = harness.saved(downloads, ".xlsx")
    book = openpyxl.load_workbook(annex)
    assert book.sheetnames == ["Biểu 01", "Biểu 02", "Biểu 03", "Kiểm tra"]
    rows = [[v for v in row if v is not None] for row in book["Biểu 01"].values]
    assert ["BIỂU CÁC CHỈ TIÊU ĐẠI HỘI XÃ ĐỨA MÒN, NHIỆM KỲ 2020-2025"] in rows
    assert ["1", "Thu ngân sách trên địa bàn 5 năm tăng", "%", "10", "122,7", "Vượt"] in [
        row[:6] for row in rows
    ]
    # the very workbook `bieu annexes` writes from the seed
    assert annex.read_bytes() == (seed_output / "muong_lam" / "bieu_chi_tieu.xlsx").read_bytes()


def test_a_commune_sends_its_word_report_takes_a_draft_and_sends_the_drafts(
    server, browser, downloads, tmp_path
):
    """The congress report in Word: its tables go to the communes named in their titles, a
    draft is taken home to Excel, and the drafts are sent to be checked like any workbook."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select

    from tests.intake.reports import whole_report

    harness.log_in(browser, server, harness.COMMUNE, server.code())
    harness.send(browser, server, whole_report(tmp_path / harness.REPORT))
    assert harness.state(browser) == "Đã đọc báo cáo Word"
    chosen = [Select(browser.find_element(By.ID, f"bieu-{i}")) for i in (1, 2)]
    assert [c.first_selected_option.text for c in chosen] == ["Đứa Mòn", "Mường Lầm"]
    drafts = browser.find_elements(By.CSS_SELECTOR, "article.ban-nhap h3")
    assert [h.text for h in drafts] == [
        "Xã Đứa Mòn (trước sắp xếp)",
        "Xã Mường Lầm (trước sắp xếp)",
        "Xã Mường Lầm (sau sắp xếp)",
    ]
    browser.find_element(By.CSS_SELECTOR, "#nhap-dua_mon a.tai-nhap").click()
    book = openpyxl.load_workbook(harness.saved(downloads, ".xlsx"))
    assert [c.value for c in book["Thông tin"][2]][:3] == ["dua_mon", "Sơn La", "Đứa Mòn"]
    harness.submitted(browser, browser.find_element(By.ID, "gui-nhap"))
    sent = harness.waiting_for(browser, "nhap-da-gui")
    names = [td.text for td in sent.find_elements(By.CSS_SELECTOR, "tbody tr td:nth-child(3)")]
    assert sorted(names) == [
        "dua_mon (nháp từ Word).xlsx",
        "muong_lam (nháp từ Word).xlsx",
        "muong_lam_cu (nháp từ Word).xlsx",
    ]


def test_make_hinh_draws_each_page_as_the_committed_pictures(drivable, tmp_path, capsys):
    """The guide's pictures of the pages (`make hinh`): one per page of the walk, whole, and
    those committed; a picture of a page that is gone is removed."""
    out = tmp_path / "hinh"
    out.mkdir()
    (out / f"{hinh.PAGES}-trang_cu.png").write_bytes(b"a picture of a page that is gone")
    capsys.readouterr()
    assert hinh.main(["--out", str(out), "--chi", hinh.PAGES_ONLY]) == 0
    made = sorted(p.name for p in out.glob("*.png"))
    assert made == sorted(
        f"{hinh.PAGES}-{page}.png"
        for page in (
            "dang_nhap",
            "xa",
            "lan_gui_co_loi",
            "lan_gui_da_nhan",
            "xa_da_dung",
            "tinh",
            "lan_gui_word",
            "lan_gui_cho",
        )
    )
    sizes = {name: size_of(out / name) for name in made}
    assert all(width == harness.WINDOW[0] for width, _ in sizes.values())
    # the whole page, not the window: the sheets drawn under the problems are long
    assert sizes[f"{hinh.PAGES}-lan_gui_co_loi.png"][1] > harness.WINDOW[1]
    assert all((out / name).stat().st_size > 5000 for name in made)  # not blank
    committed = sorted(p.name for p in (ROOT / "docs" / "hinh").glob(f"{hinh.PAGES}-*.png"))
    assert made == committed, "the pictures are stale: run `make hinh`, show them in the guide"
    assert capsys.readouterr().out == f"{len(made)} pictures in {out}\n"

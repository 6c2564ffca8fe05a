"""What the page answers when something goes wrong on its side or the request is not one it
makes: a located page, with the security headers, never a bare error."""

from __future__ import annotations

from starlette.testclient import TestClient

from pipeline.serve.app import SECURITY_HEADERS
from tests.serve.conftest import csrf_of


def headers_of(answer) -> dict[str, str]:
    return {name.decode(): answer.headers.get(name.decode()) for name, _ in SECURITY_HEADERS}


def test_a_bug_is_a_plain_page_with_the_security_headers(site, monkeypatch):
    page = site.app.state.page

    def broken(*args, **kwargs):
        raise RuntimeError("hỏng")

    client = site.client("muong_lam")
    monkeypatch.setattr(page.store, "uploads", broken)
    answer = TestClient(
        site.app,
        base_url="http://127.0.0.1:8765",
        raise_server_exceptions=False,
        cookies=client.cookies,
    ).get("/xa/muong_lam", follow_redirects=False)
    assert answer.status_code == 500
    assert "Trang gặp lỗi khi làm việc này. Thử lại sau ít phút" in answer.text
    assert headers_of(answer) == {name.decode(): value.decode() for name, value in SECURITY_HEADERS}


def test_an_upload_number_past_what_the_history_can_hold_is_the_same_404(site):
    client = site.client("muong_lam")
    for number in ("99999999999999999999999", "9223372036854775808", "0"):
        answer = client.get(f"/xa/muong_lam/lan-gui/{number}")
        assert answer.status_code == 404
        assert "Không có trang này" in answer.text


def test_a_form_the_parser_refuses_is_a_400_saying_so(site):
    client = site.client("muong_lam")
    token = csrf_of(client.get("/xa/muong_lam").text)
    fields = {"csrf": token, **{f"them{i}": "x" for i in range(10)}}
    answer = client.post(
        "/xa/muong_lam/gui", data=fields, files={"tep": ("a.xlsx", b"PK\x03\x04", "x")}
    )
    assert answer.status_code == 400
    assert (
        "Biểu mẫu gửi lên không đọc được. Tải lại trang, chọn lại tệp rồi gửi lại." in answer.text
    )
    assert site.store.uploads("muong_lam") == []


def test_a_commune_sends_no_more_than_its_share_of_a_day(site, monkeypatch):
    from pipeline.serve import app
    from tests.serve.test_app import send

    monkeypatch.setattr(app, "MAX_UPLOADS_A_DAY", 2)
    client = site.client("muong_lam")
    for _ in range(2):
        assert send(client, "muong_lam", "a.txt", b"x").status_code == 303
    answer = send(client, "muong_lam", "a.txt", b"x")
    assert answer.status_code == 429
    assert (
        "Xã đã gửi 2 tệp (2 byte) trong 24 giờ qua; mỗi xã gửi tối đa 2 tệp hoặc 200,0 MB "
        "trong 24 giờ. Thử lại sau, hoặc liên hệ tỉnh."
    ) in answer.text
    assert len(site.store.uploads("muong_lam")) == 2
    assert send(site.client("xa_khac"), "xa_khac", "a.txt", b"x").status_code == 303


def test_the_page_takes_nothing_when_the_machine_is_nearly_full(site, monkeypatch):
    from pipeline.serve import app
    from tests.serve.test_app import send

    monkeypatch.setattr(app, "MIN_FREE_BYTES", 2**50)
    answer = send(site.client("muong_lam"), "muong_lam", "dua_mon.xlsx", b"PK\x03\x04")
    assert answer.status_code == 507
    assert "trống, dưới mức 1.048.576,0 GB trang cần: tạm chưa nhận tệp. Báo tỉnh." in answer.text
    assert site.store.uploads("muong_lam") == []


def test_the_history_keeps_500_lines_of_an_upload_and_counts_them_all():
    from pipeline.problems import Problem
    from pipeline.serve.worker import _found

    problems = [Problem("raw/a.xlsx", "Chỉ tiêu", f"B{i}", "x") for i in range(1, 1203)]
    kept = _found(problems)
    assert kept["so_loi"] == 1202
    assert len(kept["van_de"]) == 501
    assert kept["van_de"][-1]["dong"] == (
        "… và 702 vấn đề khác (tổng cộng 1.202): tải bản đã tô màu các ô có vấn đề để xem đủ"
    )


def test_a_workbook_too_big_to_draw_is_said_instead(monkeypatch):
    from pathlib import Path

    from pipeline.intake.submit import Upload, check
    from pipeline.paths import RAW
    from pipeline.serve import engine

    data = (RAW / "son_la" / "dua_mon.xlsx").read_bytes()
    members = {"muong_lam": ("dua_mon", "muong_lam_cu")}
    [checked] = check(Path(RAW), [Upload("muong_lam", "dua_mon.xlsx", data)], members)
    assert engine.sheets_html(checked).count("<table") == 2
    monkeypatch.setattr(engine, "MAX_DRAWN_CELLS", 100)
    assert engine.sheets_html(checked) == (
        "<p>Bảng tính có 275 ô có chữ, quá nhiều để vẽ lại trên trang: tải bản đã tô màu các ô "
        "có vấn đề để xem.</p>"
    )


def test_uploads_sent_together_cannot_pass_the_share_together(site, monkeypatch):
    import threading

    from pipeline.serve import app

    monkeypatch.setattr(app, "MAX_UPLOADS_A_DAY", 5)
    page, taken = site.app.state.page, []
    start = threading.Barrier(20)

    def send_one():
        start.wait()
        taken.append(page.take("muong_lam", "muong_lam", "a.txt", b"x", "0", ".bin", "x"))

    threads = [threading.Thread(target=send_one) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(isinstance(t, int) for t in taken) == 5
    assert {t[0] for t in taken if isinstance(t, tuple)} == {429}

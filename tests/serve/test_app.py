"""The intake page through Starlette's test client: every route, who may see what (by URL, as
another commune, as nobody, with a forged form), uploads kept and checked, the headers."""

from __future__ import annotations

import hashlib
import io
import re
import shutil

import openpyxl
import pytest

from pipeline.serve import engine
from pipeline.serve.app import FORM_ROOM, MAX_UPLOAD_BYTES
from tests.conftest import edit
from tests.serve.conftest import CODES, csrf_of, login

# the line the terminal prints, as the page shows it to the commune: the file by the name sent
BROKEN_LINE = 'dua_mon.xlsx › Chỉ tiêu › E7: "mười" không phải là số'


def broken_dua_mon(site, tmp_path) -> bytes:
    copy = tmp_path / "edited" / "dua_mon.xlsx"
    copy.parent.mkdir(exist_ok=True)
    shutil.copy(site.raw / "son_la" / "dua_mon.xlsx", copy)
    edit(copy, "Chỉ tiêu", "E7", "mười")
    return copy.read_bytes()


def send(client, ma_xa: str, name: str, data: bytes, token: str | None = None):
    page = client.get(f"/xa/{ma_xa}")
    token = csrf_of(page.text) if token is None else token
    return client.post(
        f"/xa/{ma_xa}/gui",
        data={"csrf": token},
        files={"tep": (name, data, "application/octet-stream")},
    )


def main_of(html: str) -> str:
    """A page's own part, without the header (which carries the session's CSRF token)."""
    return html.split("<main>", 1)[1]


def state_of(html: str) -> str:
    return re.search(r'id="trang-thai"[^>]*>([^<]*)<', html).group(1)


def problems_of(html: str) -> list[str]:
    found = re.search(r'<ul id="van-de">(.*?)</ul>', html, re.S).group(1)
    import html as h

    return [h.unescape(li) for li in re.findall(r"<li[^>]*>(.*?)</li>", found, re.S)]


# ---------------------------------------------------------------------------- headers, login


def test_every_answer_carries_the_security_headers_and_a_strict_cookie(site):
    client = site.client()
    for answer in (
        client.get("/dang-nhap"),
        client.get("/khong-co"),
        client.get("/static/style.css"),
    ):
        assert answer.headers["content-security-policy"].startswith("default-src 'self';")
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
    cookie = site.client().get("/dang-nhap").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and cookie.startswith("phien=")


def test_home_sends_nobody_to_login_and_each_account_to_its_page(site):
    assert site.client().get("/").headers["location"] == "/dang-nhap"
    assert site.client("muong_lam").get("/").headers["location"] == "/xa/muong_lam"
    assert site.client("tinh").get("/").headers["location"] == "/tinh"


def test_login_page_is_in_vietnamese_with_the_contracts_fields(site):
    html = site.client().get("/dang-nhap").text
    for hook in ('name="tai_khoan"', 'name="ma_truy_cap"', 'name="csrf"', 'id="dang-nhap"'):
        assert hook in html
    assert "Mã truy cập" in html and 'lang="vi"' in html


def test_a_wrong_code_is_refused_and_a_code_is_typed_in_any_case(site):
    client = site.client()
    wrong = login(client, "muong_lam", "AAAA-BBBB-CCCC-DDDE")
    assert wrong.status_code == 401
    assert "Tài khoản hoặc mã truy cập không đúng." in wrong.text
    assert login(client, "muong_lam", "aaaabbbb cccc dddd").status_code == 303


def test_login_without_or_with_a_wrong_csrf_token_is_refused(site):
    client = site.client()
    client.get("/dang-nhap")
    form = {"tai_khoan": "muong_lam", "ma_truy_cap": CODES["muong_lam"]}
    for forged in (form, {**form, "csrf": "gia-mao"}):
        answer = client.post("/dang-nhap", data=forged)
        assert answer.status_code == 403
        assert "Biểu mẫu đã hết hạn hoặc không gửi từ trang này." in answer.text
    assert client.get("/xa/muong_lam").status_code == 303  # still nobody


def test_logins_are_limited_per_account_even_with_the_right_code_then(site):
    client = site.client()
    for _ in range(5):
        assert login(client, "muong_lam", "SAI0-SAI0-SAI0-SAI0").status_code == 401
    answer = login(client, "muong_lam", CODES["muong_lam"])
    assert answer.status_code == 429
    assert "Đăng nhập sai quá nhiều lần: thử lại sau 15 phút." in answer.text
    assert login(site.client(), "xa_khac", CODES["xa_khac"]).status_code == 303  # others may


def test_logout_needs_the_form_token_and_ends_the_session(site):
    client = site.client("muong_lam")
    assert client.post("/dang-xuat", data={}).status_code == 403
    token = csrf_of(client.get("/xa/muong_lam").text)
    assert client.post("/dang-xuat", data={"csrf": token}).headers["location"] == "/dang-nhap"
    assert client.get("/xa/muong_lam").headers["location"] == "/dang-nhap"


def test_a_code_given_again_ends_the_sessions_of_the_old_one(site):
    from pipeline.serve import auth

    client = site.client("muong_lam")
    assert client.get("/xa/muong_lam").status_code == 200
    site.store.set_code("muong_lam", auth.hashed("MOI0-MOI0-MOI0-MOI0"))
    assert client.get("/xa/muong_lam").headers["location"] == "/dang-nhap"


# ---------------------------------------------------------------------------- access boundaries


def test_another_commune_reaches_nothing_of_muong_lam_by_any_url(site, tmp_path):
    owner = site.client("muong_lam")
    send(owner, "muong_lam", "dua_mon.xlsx", broken_dua_mon(site, tmp_path))
    site.settle()
    number = site.store.uploads("muong_lam")[0].id
    assert owner.get(f"/xa/muong_lam/lan-gui/{number}").status_code == 200
    assert owner.get(f"/xa/muong_lam/tai/lan-gui-{number}-danh-dau.xlsx").status_code == 200

    other = site.client("xa_khac")
    missing = other.get("/xa/khong_co")
    assert missing.status_code == 404
    urls = [
        "/xa/muong_lam",
        f"/xa/muong_lam/lan-gui/{number}",
        f"/xa/xa_khac/lan-gui/{number}",  # its own address, another's upload
        f"/xa/muong_lam/tai/lan-gui-{number}.xlsx",
        f"/xa/muong_lam/tai/lan-gui-{number}-danh-dau.xlsx",
        f"/xa/xa_khac/tai/lan-gui-{number}.xlsx",
        "/xa/muong_lam/tai/dua_mon.xlsx",
        "/xa/xa_khac/tai/dua_mon.xlsx",
        "/xa/muong_lam/tai/bieu_chi_tieu.xlsx",
        "/xa/xa_khac/tai/..%2Fmuong_lam%2Fbieu_chi_tieu.xlsx",
        "/tinh",
        "/tinh/tai/phu_luc_tat_ca_xa.zip",
        "/tinh/tai/son_la.xlsx",
    ]
    for url in urls:
        answer = other.get(url)
        assert answer.status_code == 404, url
        assert main_of(answer.text) == main_of(missing.text), url  # says nothing of what is there
    token = csrf_of(other.get("/xa/xa_khac").text)
    before = site.store.uploads()
    refused = other.post(
        "/xa/muong_lam/gui", data={"csrf": token}, files={"tep": ("dua_mon.xlsx", b"PK\x03\x04")}
    )
    assert refused.status_code == 404
    forged = other.post(
        "/tinh/phan-xa", data={"csrf": token, "xa": "xa_khac", "xa_hop_thanh": "dua_mon"}
    )
    assert forged.status_code == 404
    assert site.store.uploads() == before
    assert site.store.members()["muong_lam"] == ("dua_mon", "muong_lam_cu")


def test_nobody_is_sent_to_login_on_every_page_and_refused_on_every_form(site):
    nobody = site.client()
    for url in (
        "/xa/muong_lam",
        "/xa/muong_lam/lan-gui/1",
        "/xa/muong_lam/tai/dua_mon.xlsx",
        "/tinh",
        "/tinh/tai/son_la.xlsx",
    ):
        assert nobody.get(url).headers["location"] == "/dang-nhap", url
    token = csrf_of(nobody.get("/dang-nhap").text)
    for url in ("/xa/muong_lam/gui", "/tinh/phan-xa"):
        assert nobody.post(url, data={"csrf": token}).status_code == 403, url
    assert site.store.uploads() == []


def test_the_province_sees_every_commune(site):
    province = site.client("tinh")
    assert province.get("/xa/muong_lam").status_code == 200
    assert province.get("/xa/xa_khac").status_code == 200
    assert province.get("/xa/khong_co").status_code == 404


# ---------------------------------------------------------------------------- uploads


def test_a_broken_workbook_is_kept_as_a_draft_with_its_problem_and_never_reaches_raw(
    site, tmp_path
):
    raw_before = (site.raw / "son_la" / "dua_mon.xlsx").read_bytes()
    data = broken_dua_mon(site, tmp_path)
    client = site.client("muong_lam")
    answer = send(client, "muong_lam", "dua_mon.xlsx", data)
    assert answer.status_code == 303
    assert re.fullmatch(r"/xa/muong_lam/lan-gui/\d+", answer.headers["location"])
    site.settle()
    page = client.get(answer.headers["location"])
    assert state_of(page.text) == engine.ERRORS == "Có lỗi, chưa nhận"
    assert BROKEN_LINE in problems_of(page.text)
    assert (site.raw / "son_la" / "dua_mon.xlsx").read_bytes() == raw_before
    sent = site.store.uploads("muong_lam")[0]
    assert (sent.nguoi_gui, sent.ten_tep, sent.kich_thuoc) == (
        "muong_lam",
        "dua_mon.xlsx",
        len(data),
    )
    assert sent.sha256 == hashlib.sha256(data).hexdigest()
    assert sent.trang_thai == engine.ERRORS and sent.luc and sent.xong_luc
    # the cell typed wrong, and the seed's own warning on E31
    assert (sent.so_loi, sent.so_canh_bao, sent.so_phat_hien) == (1, 1, 0)
    assert (site.nop / "nhap" / sent.tep_luu).read_bytes() == data
    again = re.search(r'id="tai-tep-da-gui" href="([^"]+)"', page.text).group(1)
    assert client.get(again).content == data
    marked = client.get(f"/xa/muong_lam/tai/lan-gui-{sent.id}-danh-dau.xlsx")
    cell = openpyxl.load_workbook(io.BytesIO(marked.content))["Chỉ tiêu"]["E7"]
    assert cell.comment is not None and "không phải là số" in cell.comment.text
    assert 'id="tai-ban-danh-dau"' in page.text


def test_the_corrected_workbook_is_accepted_and_the_annex_built(site, tmp_path):
    client = site.client("muong_lam")
    send(client, "muong_lam", "dua_mon.xlsx", broken_dua_mon(site, tmp_path))
    good = (site.raw / "son_la" / "dua_mon.xlsx").read_bytes()
    answer = send(client, "muong_lam", "dua_mon.xlsx", good)
    site.settle()
    page = client.get(answer.headers["location"])
    assert state_of(page.text) == "Đã nhận"
    annex = re.search(r'id="tai-phu-luc" href="([^"]+)"', page.text).group(1)
    assert annex == "/xa/muong_lam/tai/bieu_chi_tieu.xlsx"
    taken = client.get(annex)
    assert taken.headers["content-disposition"] == (
        "attachment; filename=\"bieu_chi_tieu.xlsx\"; filename*=UTF-8''bieu_chi_tieu.xlsx"
    )
    assert taken.headers["x-content-type-options"] == "nosniff"
    book = openpyxl.load_workbook(io.BytesIO(taken.content))
    assert any(name.startswith("Biểu 01") for name in book.sheetnames), book.sheetnames
    assert 'id="tai-van-ban"' in page.text
    states = [s.trang_thai for s in site.store.uploads("muong_lam")]
    assert states == ["Đã nhận", "Có lỗi, chưa nhận"]
    own = client.get("/xa/muong_lam").text  # the findings of the build, to read
    assert "Các phát hiện cần xem (27)" in own
    assert (
        "[phát hiện] dua_mon.xlsx › Chỉ tiêu › K7: phần hai của báo cáo ghi kết quả "
        "&#34;10&#34;, biểu ghi &#34;15&#34;"
    ) in own
    assert "raw/son_la" not in own
    assert "<th>Phát hiện</th>" not in own  # an upload's check finds none: the build does
    province = site.client("tinh").get("/tinh").text
    row = re.search(r'<a href="/xa/muong_lam">.*?</tr>', province, re.S).group(0)
    assert row.endswith(
        '<td class="so">0</td>\n  <td class="so">1</td>\n  <td class="so">27</td>\n</tr>'
    ), row


def test_a_commune_sees_names_the_file_it_sent_and_no_digest(site, tmp_path):
    """Names where an officer expects them; a problem names the file as the commune sent it
    (not the server's raw/ path), and the upload's page shows no SHA-256 (the province's
    history keeps it)."""
    client = site.client("muong_lam")
    data = broken_dua_mon(site, tmp_path)
    answer = send(client, "muong_lam", "Đứa Mòn sửa lần 2.xlsx", data)
    site.settle()
    page = client.get(answer.headers["location"]).text
    assert problems_of(page)[0] == 'Đứa Mòn sửa lần 2.xlsx › Chỉ tiêu › E7: "mười" không phải là số'
    assert "raw/" not in main_of(page)
    assert hashlib.sha256(data).hexdigest() not in page and "SHA" not in page
    assert "do xã Mường Lầm gửi" in page
    assert '<a href="/xa/muong_lam">Trang của xã Mường Lầm</a>' in page  # the top bar
    home = client.get("/xa/muong_lam").text
    assert "<title>Xã Mường Lầm · " in home
    assert '<h1>Xã Mường Lầm <span class="ghi-chu">(mã muong_lam)</span></h1>' in home
    assert "Các xã hợp thành (tỉnh đã khai): Đứa Mòn, Mường Lầm." in home
    forms = re.findall(r'class="tai-mau" href="[^"]+">([^<]+)</a> <span[^>]*>— ([^<]+)<', home)
    assert forms == [
        ("Bảng tính của xã Mường Lầm (sau sắp xếp)", "muong_lam.xlsx"),
        ("Bảng tính của xã Đứa Mòn (trước sắp xếp)", "dua_mon.xlsx"),
        ("Bảng tính của xã Mường Lầm (trước sắp xếp)", "muong_lam_cu.xlsx"),
    ]
    # the name the province declares comes before the workbook's
    site.store.declare("muong_lam", ("dua_mon", "muong_lam_cu"), "Mường Lầm Mới", "Sơn La")
    assert "<h1>Xã Mường Lầm Mới " in client.get("/xa/muong_lam").text


@pytest.mark.parametrize(
    ("name", "data", "line"),
    [
        (
            "bao_cao.pdf",
            b"%PDF-1.7",
            "bao_cao.pdf: không nhận loại tệp này; chỉ nhận bảng tính Excel hoặc Word "
            "(.xlsx, .xlsm, .xlsb, .ods, .xls, .docx)",
        ),
        (
            "dua_mon.xlsx",
            b"<html>not a workbook</html>",
            "dua_mon.xlsx: nội dung không phải tệp .xlsx (có thể tệp đã hỏng hoặc bị đổi đuôi); "
            "mở tệp bằng Excel hoặc Word, lưu lại rồi gửi lại",
        ),
        ("trong.xlsx", b"", "trong.xlsx: tệp trống (0 byte)"),
    ],
)
def test_a_file_of_the_wrong_type_is_refused_and_kept_in_the_history(site, name, data, line):
    client = site.client("muong_lam")
    answer = send(client, "muong_lam", name, data)
    page = client.get(answer.headers["location"])
    assert state_of(page.text) == "Có lỗi, chưa nhận"
    assert problems_of(page.text) == [line]
    sent = site.store.uploads("muong_lam")[0]
    assert sent.tep_luu.endswith(".bin") and (site.nop / "nhap" / sent.tep_luu).read_bytes() == data


def test_a_file_name_with_dot_dot_is_only_a_name(site, tmp_path):
    before = {p: p.read_bytes() for p in site.raw.rglob("*") if p.is_file()}
    client = site.client("muong_lam")
    answer = send(
        client, "muong_lam", "../../raw/son_la/dua_mon.xlsx", broken_dua_mon(site, tmp_path)
    )
    site.settle()
    page = client.get(answer.headers["location"])
    assert "<h1>Lần gửi" in page.text and "dua_mon.xlsx</h1>" in page.text
    assert state_of(page.text) == "Có lỗi, chưa nhận"
    assert {p: p.read_bytes() for p in site.raw.rglob("*") if p.is_file()} == before
    kept = sorted(p.name for p in (site.nop / "nhap").iterdir())
    assert kept == ["000001-danh-dau.xlsx", "000001.xlsx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edited", "nop", "raw"]


def test_an_oversized_upload_is_refused_before_it_is_read(site):
    """One byte past the limit (10 MiB): refused by the file's size; far past it: by the
    request's length, before the body is read. Neither is kept."""
    client = site.client("muong_lam")
    token = csrf_of(client.get("/xa/muong_lam").text)
    for extra in (1, 2 * FORM_ROOM):
        big = b"PK\x03\x04" + b"0" * (MAX_UPLOAD_BYTES - 4 + extra)
        answer = client.post(
            "/xa/muong_lam/gui", data={"csrf": token}, files={"tep": ("to.xlsx", big)}
        )
        assert answer.status_code == 413
        assert "Tệp gửi lên lớn hơn 10,0 MB, mức tối đa trang nhận." in answer.text
    just = b"PK\x03\x04" + b"0" * (MAX_UPLOAD_BYTES - 4)
    kept = client.post("/xa/muong_lam/gui", data={"csrf": token}, files={"tep": ("to.xlsx", just)})
    assert kept.status_code == 303
    assert [s.kich_thuoc for s in site.store.uploads()] == [MAX_UPLOAD_BYTES]


def test_an_upload_without_its_form_token_is_refused_and_not_kept(site, tmp_path):
    client = site.client("muong_lam")
    good = (site.raw / "son_la" / "dua_mon.xlsx").read_bytes()
    for token in ("", "gia-mao"):
        assert send(client, "muong_lam", "dua_mon.xlsx", good, token=token).status_code == 403
    assert site.store.uploads() == []


# ---------------------------------------------------------------------------- the province


def test_the_province_page_lists_communes_and_every_upload(site, tmp_path):
    commune = site.client("muong_lam")
    data = broken_dua_mon(site, tmp_path)
    send(commune, "muong_lam", "dua_mon.xlsx", data)
    site.settle()
    html = site.client("tinh").get("/tinh").text
    # names as the workbooks in raw/ give them (the fixture declared codes only), codes beside
    assert '<a href="/xa/muong_lam">Mường Lầm</a> <span class="ma">muong_lam</span>' in html
    assert (
        'Đứa Mòn <span class="ma">dua_mon</span>, Mường Lầm <span class="ma">muong_lam_cu</span>'
        in html
    )
    assert hashlib.sha256(data).hexdigest() in html  # the province's history keeps the digest
    history = html.split('id="lich-su"', 1)[1]
    assert "Có lỗi, chưa nhận" in history and "dua_mon.xlsx" in history
    assert "<td>Mường Lầm</td><td>Mường Lầm</td>" in history  # the commune, who sent it


def test_the_province_declares_a_commune_and_no_old_commune_twice(site):
    province = site.client("tinh")
    token = csrf_of(province.get("/tinh").text)
    ok = province.post(
        "/tinh/phan-xa", data={"csrf": token, "xa": "xa_moi", "xa_hop_thanh": "a, b"}
    )
    assert ok.headers["location"] == "/tinh"
    assert site.store.members()["xa_moi"] == ("a", "b")
    twice = province.post(
        "/tinh/phan-xa", data={"csrf": token, "xa": "xa_ba", "xa_hop_thanh": "dua_mon"}
    )
    assert twice.status_code == 400
    assert (
        "dua_mon: đã thuộc xã mới muong_lam; một xã trước sắp xếp chỉ thuộc một xã mới"
        in twice.text
    )
    assert province.post("/tinh/phan-xa", data={"xa": "x", "xa_hop_thanh": "y"}).status_code == 403


def test_the_zip_of_all_annexes_holds_each_built_commune(site):
    client = site.client("muong_lam")
    send(client, "muong_lam", "dua_mon.xlsx", (site.raw / "son_la" / "dua_mon.xlsx").read_bytes())
    site.settle()
    province = site.client("tinh")
    html = province.get("/tinh").text
    assert 'id="tai-tat-ca"' in html
    import zipfile

    bundle = zipfile.ZipFile(io.BytesIO(province.get("/tinh/tai/phu_luc_tat_ca_xa.zip").content))
    assert "muong_lam/bieu_chi_tieu.xlsx" in bundle.namelist()
    rollup = re.search(r'class="tai-tong-hop" href="([^"]+)"', html).group(1)
    assert rollup == "/tinh/tai/son_la.xlsx"
    assert province.get(rollup).content[:4] == b"PK\x03\x04"


def test_a_new_communes_workbook_waits_for_its_old_communes_then_is_taken(site, tmp_path):
    """The new commune's workbook sent before an old commune's waits;
    the old commune's, once accepted, brings it in."""
    old = site.raw / "son_la" / "dua_mon.xlsx"
    old_bytes = old.read_bytes()
    old.unlink()
    new_bytes = (site.raw / "son_la" / "muong_lam.xlsx").read_bytes()
    client = site.client("muong_lam")
    first = send(client, "muong_lam", "muong_lam.xlsx", new_bytes)
    site.settle()
    waiting = client.get(first.headers["location"]).text
    assert state_of(waiting) == "Chờ các xã hợp thành"
    said = re.search(r'id="cho">([^<]*)<', waiting).group(1)
    assert said.startswith(
        "Bảng tính không có lỗi, được giữ lại chờ bảng tính của dua_mon (xã hợp thành chưa có "
        "trong hồ sơ của tỉnh). Gửi bảng tính của xã đó:"
    )
    second = send(client, "muong_lam", "dua_mon.xlsx", old_bytes)
    site.settle()
    assert state_of(client.get(second.headers["location"]).text) == "Đã nhận"
    assert state_of(client.get(first.headers["location"]).text) == "Đã nhận"
    assert old.read_bytes() == old_bytes
    assert (site.output / "muong_lam" / "bieu_chi_tieu.xlsx").is_file()


def test_a_body_sent_without_its_length_is_cut_off_once_past_the_limit():
    """A client that sends no Content-Length (chunked) is answered 413 as soon as the body
    passes the limit: the rest is never read."""
    import asyncio

    from pipeline.serve.app import BodyLimit

    read, answered = [], []

    async def app(scope, receive, send):  # reads the whole body, as a form parser does
        while (await receive()).get("more_body"):
            pass

    async def refuse(scope, receive, send):
        answered.append(413)

    async def receive():
        read.append(1000)
        return {"type": "http.request", "body": b"0" * 1000, "more_body": len(read) < 100}

    scope = {"type": "http", "method": "POST", "headers": []}
    asyncio.run(BodyLimit(app, 5000, refuse)(scope, receive, None))
    assert answered == [413] and sum(read) == 6000
    read.clear()
    asyncio.run(BodyLimit(app, 10**6, refuse)(scope, receive, None))
    assert sum(read) == 100_000  # within the limit: read to its end


def test_uploads_a_stopped_server_left_unanswered_are_answered_at_the_next_start(site):
    from pipeline.serve.worker import Worker

    data = (site.raw / "son_la" / "dua_mon.xlsx").read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    for state in ("Đang kiểm tra", "Đang dựng"):
        site.store.add_upload(
            "muong_lam", "muong_lam", "dua_mon.xlsx", data, digest, ".xlsx", state
        )
    worker = Worker(site.raw, site.output, site.store)
    worker.start()
    try:
        assert worker.idle.wait(60)
    finally:
        worker.stop()
    assert [s.trang_thai for s in site.store.uploads()] == ["Đã nhận", "Đã nhận"]
    assert (site.output / "muong_lam" / "bieu_chi_tieu.xlsx").is_file()


@pytest.mark.journeys
def test_a_record_filled_entirely_through_the_page_builds_as_bieu_annexes_does(site, tmp_path):
    """The seed's three workbooks sent one by one to a record holding only the catalogue (the
    new commune's first: it waits) give the same files, byte for byte, as `bieu annexes` on the
    seed (the manifest aside: it names where it was built)."""
    from pipeline import build
    from pipeline.paths import RAW
    from tests.conftest import snapshot

    for path in sorted((site.raw / "son_la").iterdir()):
        path.unlink()
    client = site.client("muong_lam")
    for name in ("muong_lam.xlsx", "dua_mon.xlsx", "muong_lam_cu.xlsx"):
        send(client, "muong_lam", name, (RAW / "son_la" / name).read_bytes())
        site.settle()
    assert [s.trang_thai for s in site.store.uploads()] == ["Đã nhận"] * 3
    expected = tmp_path / "expected"
    assert build.run(RAW, expected, 1).outcome == "built"
    made = {k: v for k, v in snapshot(site.output).items() if k != ".manifest.json"}
    assert made == {k: v for k, v in snapshot(expected).items() if k != ".manifest.json"}


def test_a_commune_not_in_raw_yet_takes_blank_forms_named_as_the_province_declared(site):
    province = site.client("tinh")
    token = csrf_of(province.get("/tinh").text)
    form = {"csrf": token, "xa": "xa_khac", "ten": "Khác", "tinh": "Sơn La"}
    declared = province.post("/tinh/phan-xa", data={**form, "xa_hop_thanh": "ma_khac=Ma Khác"})
    assert declared.headers["location"] == "/tinh"
    client = site.client("xa_khac")
    html = client.get("/xa/xa_khac").text
    assert '<h1>Xã Khác <span class="ghi-chu">(mã xa_khac)</span></h1>' in html
    links = re.findall(r'class="tai-mau" href="([^"]+)"', html)
    assert links == ["/xa/xa_khac/tai/mau_xa_khac.xlsx", "/xa/xa_khac/tai/mau_ma_khac.xlsx"]
    for link, name in zip(links, ("Khác", "Ma Khác"), strict=True):
        book = openpyxl.load_workbook(io.BytesIO(client.get(link).content))
        cells = {c.value for sheet in book for row in sheet.iter_rows() for c in row}
        assert {name, "Sơn La"} <= cells, link
    assert not list(site.raw.rglob("*khac*"))  # made for the page, never written into raw/


# ---------------------------------------------------------------------------- a Word report


def sent_report(
    site, tmp_path, report=None, names=("Mường Lầm", "Sơn La", ("Đứa Mòn", "Mường Lầm"))
):
    """The seed's congress report (its three Biểu) sent by muong_lam, its names declared as
    the province gives them; the client and the report's page address."""
    from tests.intake.reports import whole_report

    if names is not None:
        site.store.declare("muong_lam", ("dua_mon", "muong_lam_cu"), names[0], names[1], names[2])
    data = (report or whole_report)(tmp_path / "bao_cao.docx").read_bytes()
    client = site.client("muong_lam")
    answer = send(client, "muong_lam", "bao_cao.docx", data)
    site.settle()
    return client, answer.headers["location"]


def word_tables(html: str) -> list[tuple[str, str]]:
    """Each table of the report as the page lists it: its label and the commune it goes to
    (the option selected, or the new commune's words)."""
    import html as h

    body = re.search(r'id="cac-bang-word">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    found = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        label = re.search(r"<td>([^<]*)</td>", row).group(1)
        chosen = re.search(r'<option value="[^"]*" selected>([^<]*)</option>', row)
        last = re.findall(r"<td>([^<]*)</td>", row)[-1]
        found.append((label, h.unescape(chosen.group(1) if chosen else last)))
    return found


def test_a_word_report_is_read_into_one_draft_per_commune_by_the_names_in_its_titles(
    site, tmp_path
):
    raw_before = {p: p.read_bytes() for p in site.raw.rglob("*") if p.is_file()}
    client, page_at = sent_report(site, tmp_path)
    page = client.get(page_at).text
    assert state_of(page) == engine.REPORT == "Đã đọc báo cáo Word"
    # Đứa Mòn → Biểu 01, Mường Lầm cũ → Biểu 02 (by the names in the titles), new → Biểu 03
    assert word_tables(page) == [
        ("Biểu 01", "Đứa Mòn"),
        ("Biểu 02", "Mường Lầm"),
        ("Biểu 03", "Mường Lầm (xã mới)"),
    ]
    assert re.search(r'<option value="muong_lam_cu" selected>', page)
    said = re.findall(r'<p class="tom-tat">([^<]*)</p>', page)
    assert said[0] == (
        "Đã nhập 32 dòng từ bao_cao.docx (tài liệu có 32 dòng: Biểu 01, bảng thứ 1) vào bản "
        'nháp dua_mon.xlsx; 3 dòng cần người quyết định (tô màu, cột "Cần người quyết định").'
    )
    assert [re.search(r"vào bản nháp (\S+);", s).group(1) for s in said] == [
        "dua_mon.xlsx",
        "muong_lam_cu.xlsx",
        "muong_lam.xlsx",
    ]
    decide = re.search(r'<ul class="can-quyet-dinh">(.*?)</ul>', page, re.S).group(1)
    assert "13. Xây dựng nông thôn mới: chỉ tiêu gợi ý chưa chắc" in decide
    # each draft drawn, its rows to decide coloured
    drawn = page.split('id="nhap-dua_mon"', 1)[1].split("</article>", 1)[0]
    assert drawn.count("o-canh-bao") == 3 and "Phát triển đàn gia súc" in drawn
    # each downloadable, made with the names and numbers the province declared
    links = re.findall(r'class="tai-nhap" href="([^"]+)"', page)
    assert len(links) == 3
    taken = client.get(links[0].replace("&amp;", "&"))
    assert taken.headers["content-disposition"].startswith('attachment; filename="dua_mon.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(taken.content))
    info = [c.value for c in book["Thông tin"][2]][:5]
    assert info == ["dua_mon", "Sơn La", "Đứa Mòn", "Trước sắp xếp", "01"]
    rows = [r for r in book["Chỉ tiêu"].iter_rows(min_row=2, values_only=True) if r[1]]
    assert len(rows) == 32
    assert rows[1][:6] == ("1", "Thu ngân sách trên địa bàn 5 năm tăng", "%", "10", "122,7", "Vượt")
    new = openpyxl.load_workbook(io.BytesIO(client.get(links[2].replace("&amp;", "&")).content))
    assert [c.value for c in new["Thông tin"][2]][:5] == [
        "muong_lam",
        "Sơn La",
        "Mường Lầm",
        "Sau sắp xếp",
        "03",
    ]
    # nothing reached raw/ by reading a report
    assert {p: p.read_bytes() for p in site.raw.rglob("*") if p.is_file()} == raw_before


def test_a_table_whose_commune_is_not_clear_waits_for_the_officers_choice(site, tmp_path):
    """Names the titles do not hold: no draft until the officer chooses; the same commune
    chosen twice is said; then chosen, the draft is made for the commune chosen."""
    client, page_at = sent_report(
        site, tmp_path, names=("Mường Lầm", "Sơn La", ("Xã Một", "Xã Hai"))
    )
    page = client.get(page_at).text
    assert word_tables(page)[:2] == [("Biểu 01", "— chọn xã —"), ("Biểu 02", "— chọn xã —")]
    assert '<option value="dua_mon">Xã Một</option>' in page
    assert "tai-nhap" not in page and 'id="gui-nhap"' not in page
    twice = client.get(f"{page_at}?bieu-1=dua_mon&bieu-2=dua_mon").text
    assert re.findall(r'<li class="loi">([^<]*)</li>', twice) == [
        "bao_cao.docx: Biểu 01, Biểu 02 cùng được chọn cho xã Xã Một: mỗi xã nhận một biểu kết "
        "quả; chọn lại"
    ]
    chosen = client.get(f"{page_at}?bieu-1=muong_lam_cu&bieu-2=dua_mon").text
    assert word_tables(chosen)[:2] == [("Biểu 01", "Xã Hai"), ("Biểu 02", "Xã Một")]
    link = re.search(r'class="tai-nhap" href="([^"]+muong_lam_cu.xlsx[^"]*)"', chosen).group(1)
    book = openpyxl.load_workbook(io.BytesIO(client.get(link.replace("&amp;", "&")).content))
    assert [c.value for c in book["Thông tin"][2]][:3] == ["muong_lam_cu", "Sơn La", "Xã Hai"]
    assert len([r for r in book["Chỉ tiêu"].iter_rows(min_row=2, values_only=True) if r[1]]) == 32
    # the choice is carried to the form that sends the drafts
    form = chosen.split('id="form-gui-nhap"', 1)[1].split("</form>", 1)[0]
    assert '<input type="hidden" name="bieu-1" value="muong_lam_cu">' in form
    # choices the page does not offer are no choice: they read the report no more
    imports = len(site.app.state.page._imports)
    for junk in ("bieu-999=dua_mon", "bieu-1=xa_khac", "bieu-1=ma_khac&bieu-3=dua_mon"):
        assert word_tables(client.get(f"{page_at}?{junk}").text)[:2] == [
            ("Biểu 01", "— chọn xã —"),
            ("Biểu 02", "— chọn xã —"),
        ]
    assert len(site.app.state.page._imports) == imports


@pytest.mark.journeys
def test_the_drafts_are_sent_as_uploads_checked_and_kept_with_the_report(site, tmp_path):
    client, page_at = sent_report(site, tmp_path)
    report = site.store.uploads("muong_lam")[0]
    page = client.get(page_at).text
    form = page.split('id="form-gui-nhap"', 1)[1].split("</form>", 1)[0]
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]+)"', form))
    # without the form's token: refused, nothing sent
    forged = client.post(
        f"{page_at}/gui-nhap", data={k: v for k, v in fields.items() if k != "csrf"}
    )
    assert forged.status_code == 403 and site.store.made_from(report.id) == []
    answer = client.post(f"{page_at}/gui-nhap", data=fields)
    assert (answer.status_code, answer.headers["location"]) == (303, page_at)
    site.settle()
    drafts = site.store.made_from(report.id)
    assert [d.ten_tep for d in drafts] == [
        "dua_mon (nháp từ Word).xlsx",
        "muong_lam_cu (nháp từ Word).xlsx",
        "muong_lam (nháp từ Word).xlsx",
    ]
    links = [
        re.search(r'href="([^"]+)"', a).group(1)
        for a in re.findall(r'class="tai-nhap" href="[^"]+"', page)
    ]
    for draft, link in zip(drafts, links, strict=True):
        made = client.get(link.replace("&amp;", "&")).content
        assert (site.nop / "nhap" / draft.tep_luu).read_bytes() == made  # kept as sent
        assert draft.sha256 == hashlib.sha256(made).hexdigest() and draft.nguoi_gui == "muong_lam"
        assert draft.trang_thai in (engine.ACCEPTED, engine.ERRORS, engine.WAITING)
        target = site.raw / "son_la" / f"{draft.ten_tep.split(' ')[0]}.xlsx"
        # only a draft that passed the check is in raw/, and then as made
        assert (target.read_bytes() == made) == (draft.trang_thai == engine.ACCEPTED)
    # an old commune's draft has no area or population yet: an error, kept out of raw/
    dua_mon = client.get(f"/xa/muong_lam/lan-gui/{drafts[0].id}").text
    assert state_of(dua_mon) == engine.ERRORS
    assert (
        'dua_mon (nháp từ Word).xlsx › Thông tin › I2: ô trống: cần ghi "Diện tích tự nhiên (km²)"'
        in "\n".join(problems_of(dua_mon))
    )
    assert (
        f'Bản nháp làm từ báo cáo Word của <a href="{page_at}">lần gửi {report.id}</a>' in dua_mon
    )
    # the report's page lists the drafts sent from it
    listed = client.get(page_at).text.split('id="nhap-da-gui"', 1)[1]
    assert all(f"/lan-gui/{d.id}" in listed for d in drafts)


def test_a_broken_or_unnamed_report_keeps_its_refusal(site, tmp_path):
    client = site.client("muong_lam")
    answer = send(client, "muong_lam", "bao_cao.docx", b"PK\x03\x04 not a Word document")
    site.settle()
    page = client.get(answer.headers["location"]).text
    assert state_of(page) == engine.ERRORS
    assert problems_of(page) == [
        "bao_cao.docx: không đọc được tệp Word: tệp hỏng hoặc không phải .docx"
    ]
    assert "cac-bang-word" not in page
    # the names not given by the province nor any workbook: no draft, said why
    for path in (site.raw / "son_la").iterdir():
        path.unlink()
    client, page_at = sent_report(site, tmp_path, names=None)
    unnamed = client.get(page_at).text
    assert re.findall(r'<li class="loi">([^<]*)</li>', unnamed) == [
        "bao_cao.docx: chưa làm được bản nháp: tỉnh chưa khai tên xã mới, tỉnh hoặc tên các xã "
        "hợp thành; báo tỉnh khai (trang của tỉnh, mục Khai xã hợp thành) rồi mở lại trang này"
    ]


def test_another_commune_reaches_no_draft_of_muong_lams_report(site, tmp_path):
    client, page_at = sent_report(site, tmp_path)
    report = site.store.uploads("muong_lam")[0]
    other = site.client("xa_khac")
    token = csrf_of(other.get("/xa/xa_khac").text)
    assert other.get(page_at).status_code == 404
    assert other.get(f"{page_at}/nhap/dua_mon.xlsx").status_code == 404
    assert other.post(f"{page_at}/gui-nhap", data={"csrf": token}).status_code == 404
    sneaky = f"/xa/xa_khac/lan-gui/{report.id}"
    assert other.get(f"{sneaky}/nhap/dua_mon.xlsx").status_code == 404
    assert other.post(f"{sneaky}/gui-nhap", data={"csrf": token}).status_code == 404
    assert site.store.made_from(report.id) == []
    assert site.client().post(f"{page_at}/gui-nhap", data={}).status_code == 403
    # the province may
    assert site.client("tinh").get(f"{page_at}/nhap/dua_mon.xlsx").status_code == 200

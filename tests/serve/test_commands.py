"""`bieu phan-xa`, `bieu ma-truy-cap` and the page's folder nop/: what they print, what they
keep (a hash, never the code), the migrations and the cookie secret."""

from __future__ import annotations

import re
import shutil
import sqlite3
import stat

from pipeline.cli import main
from pipeline.paths import RAW
from pipeline.serve import auth
from pipeline.serve.store import MIGRATIONS, Store


def test_a_code_is_printed_once_kept_as_an_argon2id_hash_and_logs_in(
    tmp_path, capsys, production_hasher
):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    assert (
        main(
            [
                "phan-xa",
                "--raw",
                str(raw),
                "--xa",
                "muong_lam",
                "--xa-hop-thanh",
                "dua_mon, muong_lam_cu",
            ]
        )
        == 0
    )
    assert capsys.readouterr().out == (
        "Đã khai xã mới muong_lam gồm 2 xã hợp thành: dua_mon, muong_lam_cu.\n"
    )
    assert main(["ma-truy-cap", "--raw", str(raw), "--xa", "muong_lam"]) == 0
    out = capsys.readouterr().out
    code = re.search(r"\(tài khoản muong_lam\): ([A-Z0-9-]+)\n", out).group(1)
    assert re.fullmatch(r"([2-9A-HJKMNP-Z]{4}-){3}[2-9A-HJKMNP-Z]{4}", code)
    stored = Store(tmp_path / "nop").code_hash("muong_lam")
    # the production's cost (the other tests here hash at the lowest): 64 MiB, 3 passes, 4 lanes
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$") and code not in stored
    assert auth.verify(stored, code) and not auth.verify(stored, "AAAA-AAAA-AAAA-AAAA")
    database = (tmp_path / "nop" / "lich_su.sqlite3").read_bytes()
    assert code.encode() not in database and auth.normalised(code).encode() not in database


def test_no_code_for_a_commune_the_province_has_not_declared(tmp_path, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    assert main(["ma-truy-cap", "--raw", str(raw), "--xa", "muong_lam"]) == 2
    assert capsys.readouterr().err == (
        '"muong_lam": chưa khai xã mới này; khai các xã hợp thành trước: bieu phan-xa --xa '
        'muong_lam --xa-hop-thanh "ma1, ma2"\n'
    )
    assert main(["ma-truy-cap", "--raw", str(raw), "--tinh"]) == 0


def test_an_old_commune_belongs_to_one_new_commune(tmp_path, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    assert main(["phan-xa", "--raw", str(raw), "--xa", "a", "--xa-hop-thanh", "x, y"]) == 0
    assert main(["phan-xa", "--raw", str(raw), "--xa", "b", "--xa-hop-thanh", "y"]) == 2
    assert capsys.readouterr().err == (
        "y: đã thuộc xã mới a; một xã trước sắp xếp chỉ thuộc một xã mới\n"
    )
    assert main(["phan-xa", "--raw", str(raw), "--xa", "../a", "--xa-hop-thanh", "z"]) == 2


def test_codes_are_declared_in_the_one_form_that_names_their_file(tmp_path, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)

    def said(*args: str) -> str:
        assert main(["phan-xa", "--raw", str(raw), *args]) == 2
        return capsys.readouterr().err

    assert main(["phan-xa", "--raw", str(raw), "--xa", "a", "--xa-hop-thanh", "dua_mon"]) == 0
    capsys.readouterr()
    assert said("--xa", "b", "--xa-hop-thanh", "Dua_Mon") == (
        '"Dua_Mon": mã xã viết thường, không dấu, các chữ nối bằng "_" (như "dua_mon")\n'
    )
    assert said("--xa", "b", "--xa-hop-thanh", "đá_bạc") == (
        '"đá_bạc": mã xã viết thường, không dấu, các chữ nối bằng "_" (như "da_bac")\n'
    )
    assert said("--xa", "TINH", "--xa-hop-thanh", "z") == (
        '"TINH": mã xã mới viết thường, không dấu, các chữ nối bằng "_" (như "tinh"), và '
        'không phải "tinh"\n'
    )
    assert said("--xa", "b", "--xa-hop-thanh", "a") == (
        "a: là mã của một xã mới đã khai; xã trước sắp xếp không trùng mã xã mới khác\n"
    )
    assert said("--xa", "dua_mon", "--xa-hop-thanh", "z") == (
        "dua_mon: là xã trước sắp xếp của xã mới a; mã xã mới không trùng mã xã trước sắp "
        "xếp của xã khác\n"
    )
    assert said("--xa", "b", "--xa-hop-thanh", "xa_\ufb01n") == (  # "fi" as a PDF copies it
        '"xa_\ufb01n": mã xã viết thường, không dấu, các chữ nối bằng "_" (như "xa_fin")\n'
    )
    assert said("--xa", "mu\u043eng_lam", "--xa-hop-thanh", "z") == (  # a Cyrillic "о"
        '"mu\u043eng_lam": mã xã mới viết thường, không dấu, các chữ nối bằng "_" (như '
        '"mung_lam"), và không phải "tinh"\n'
    )
    # a commune kept as it is: its own old commune
    assert main(["phan-xa", "--raw", str(raw), "--xa", "c", "--xa-hop-thanh", "c"]) == 0


def test_the_database_is_migrated_once_and_the_secret_is_private(tmp_path):
    store = Store(tmp_path / "nop")
    assert store.migrate() == len(MIGRATIONS)
    store.declare("a", ("x",))
    assert Store(tmp_path / "nop").members() == {"a": ("x",)}  # reopened: nothing run again
    with sqlite3.connect(store.path) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    secret = store.secret()
    assert len(secret) == 64 and store.secret() == secret
    assert stat.S_IMODE((tmp_path / "nop" / "khoa").stat().st_mode) == 0o600


def test_a_port_already_taken_is_said_in_one_line(tmp_path, capsys):
    import socket

    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        status = main(
            [
                "phuc-vu",
                "--raw",
                str(raw),
                "--output",
                str(tmp_path / "output"),
                "--port",
                str(port),
            ]
        )
    assert status == 2
    assert capsys.readouterr().err == (
        f"127.0.0.1:{port}: không mở được trang (cổng đang có chương trình khác dùng, có thể "
        "trang đã đang chạy); chọn cổng khác bằng --port, địa chỉ khác bằng --host\n"
    )


def test_a_database_of_the_first_migration_is_brought_up_to_date_keeping_its_rows(tmp_path):
    folder = tmp_path / "nop"
    folder.mkdir()
    with sqlite3.connect(folder / "lich_su.sqlite3") as con:
        con.executescript(MIGRATIONS[0])
        con.execute("INSERT INTO xa_moi (ma_xa, khai_luc) VALUES ('a', 'x')")
        con.execute("INSERT INTO thanh_vien (ma_xa, ma_xa_cu) VALUES ('a', 'b')")
        con.execute("PRAGMA user_version = 1")
    store = Store(folder)
    assert store.members() == {"a": ("b",)}
    assert store.names("a") == ("", "", (("b", ""),))
    store.declare("a", ("b",), "Xã A", "Tỉnh", ("Xã B",))
    assert store.names("a") == ("Xã A", "Tỉnh", (("b", "Xã B"),))


def test_the_https_server_is_named_by_its_address_only(tmp_path, capsys, monkeypatch):
    import uvicorn

    ran = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: ran.append(k))  # never served
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    for given in ("*", "proxy.local", "10.0.0.0/8", "0.0.0.0/0"):
        assert main(["phuc-vu", "--raw", str(raw), "--https", given]) == 2
        assert ran == []
        assert capsys.readouterr().err == (
            f'--https "{given}": ghi địa chỉ IP của máy chủ HTTPS đứng trước trang (ví dụ '
            "10.20.1.2; cùng máy thì để trống), không ghi tên máy hay dấu *\n"
        )

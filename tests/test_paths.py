"""The walk of raw/: links followed (loops walked once), and every entry that cannot be read
named."""

from __future__ import annotations

import os
import shutil

from pipeline.paths import walk
from tests.conftest import SEED_WARNING, besides_the_seeds


def test_a_province_folder_that_is_a_link_is_read(seed_raw_dir, tmp_path, run_cli):
    elsewhere = tmp_path / "elsewhere" / "son_la"
    shutil.move(seed_raw_dir / "son_la", elsewhere)
    os.symlink(elsewhere, seed_raw_dir / "son_la")
    files, notes = walk(seed_raw_dir)
    assert [p.name for p in files] == [
        "danh_muc_chi_tieu.xlsx",
        "dua_mon.xlsx",
        "muong_lam.xlsx",
        "muong_lam_cu.xlsx",
    ]
    assert notes == []
    assert run_cli(seed_raw_dir).status == 0


def test_a_link_back_to_a_folder_already_read_is_read_once(seed_raw_dir, run_cli):
    os.symlink(seed_raw_dir, seed_raw_dir / "son_la" / "lai")
    files, notes = walk(seed_raw_dir)
    assert len(files) == 4
    assert notes == [
        ("raw/son_la/lai", "là liên kết trỏ về một thư mục đã đọc (trỏ vòng): không đọc lại", False)
    ]
    result = run_cli(seed_raw_dir)
    assert result.status == 0
    assert besides_the_seeds(result.lines)[:1] == [
        "[cảnh báo] raw/son_la/lai: là liên kết trỏ về một thư mục đã đọc (trỏ vòng): không đọc lại"
    ]


def test_a_broken_link_is_an_error_naming_it(seed_raw_dir, run_cli, output_dir):
    os.symlink(seed_raw_dir / "khong_co.xlsx", seed_raw_dir / "son_la" / "xa_moi.xlsx")
    result = run_cli(seed_raw_dir)
    assert result.status == 2
    assert besides_the_seeds(result.lines)[0] == (
        "raw/son_la/xa_moi.xlsx: là liên kết hỏng (trỏ tới tệp hay thư mục không còn): sửa hoặc "
        "xóa liên kết này"
    )
    assert (output_dir / "muong_lam" / "phu_luc.xlsx").read_bytes() == b"earlier good output"


def test_a_folder_named_like_a_workbook_is_said_and_read(seed_raw_dir, run_cli):
    (seed_raw_dir / "son_la" / "cu.xlsx").mkdir()
    shutil.move(seed_raw_dir / "son_la" / "dua_mon.xlsx", seed_raw_dir / "son_la" / "cu.xlsx")
    result = run_cli(seed_raw_dir)
    assert result.status == 0
    assert result.lines[:2] == [
        "[cảnh báo] raw/son_la/cu.xlsx: là thư mục, không phải tệp bảng tính (tên có đuôi .xlsx): "
        "đã đọc các tệp bên trong",
        SEED_WARNING.replace("son_la/dua_mon.xlsx", "son_la/cu.xlsx/dua_mon.xlsx"),
    ]


def test_a_raw_folder_holding_only_the_catalogue(tmp_path, run_cli):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(seed_raw_for_catalogue(), raw)
    result = run_cli(raw)
    assert result.status == 2
    assert result.lines[0] == (
        "raw: chưa có tệp xã nào: mỗi xã một tệp bảng tính (.xlsx) trong thư mục của tỉnh, ví dụ "
        "raw/ten_tinh/ten_xa.xlsx"
    )


def seed_raw_for_catalogue():
    from pipeline.paths import RAW

    return RAW / "danh_muc_chi_tieu.xlsx"


def test_a_raw_folder_that_links_to_itself(tmp_path, run_cli):
    raw = tmp_path / "raw"
    os.symlink(raw, raw)
    result = run_cli(raw)
    assert (result.status, result.lines) == (
        2,
        [f"{raw}: là liên kết hỏng hoặc trỏ vòng, không tới được thư mục dữ liệu gốc"],
    )


def test_a_pipe_named_like_a_workbook_is_named(seed_raw_dir):
    os.mkfifo(seed_raw_dir / "son_la" / "ong.xlsx")
    _, notes = walk(seed_raw_dir)
    assert notes == [("raw/son_la/ong.xlsx", "không phải tệp thường: không đọc", True)]

"""The walk of raw/: links followed (loops walked once), and every entry that cannot be read
named."""

from __future__ import annotations

import os
import shutil

from pipeline.formats import walk
from tests.conftest import SEED_WARNING, besides_the_seeds, snapshot, unmarked


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
    # no cell to mend: the command that makes the workbooks (with --raw, as it is not raw/ here)
    assert result.lines == [
        "raw: chưa có tệp xã nào: mỗi xã một tệp bảng tính (.xlsx) trong thư mục của tỉnh (ví dụ "
        "raw/ten_tinh/ten_xa.xlsx), tạo bằng lệnh mau ở dòng dưới",
        "Chưa ghi phụ lục nào vào output/: chưa có tệp xã nào. Mỗi xã trước sắp xếp một tệp: "
        f'`bieu mau --loai truoc --ma-xa MÃ_XÃ --ten "TÊN XÃ" --tinh "TÊN TỈNH" --raw {raw}`, '
        "rồi tệp của xã sau sắp xếp: `bieu mau --loai sau --ma-xa MÃ_XÃ_MỚI --ten "
        f'"TÊN XÃ MỚI" --tinh "TÊN TỈNH" --xa-hop-thanh "ma1, ma2" --raw {raw}`; điền các tệp '
        "đó rồi chạy lại `bieu annexes`.",
    ]


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


def test_a_name_that_is_not_text_is_named_with_its_bytes_and_skipped(
    seed_raw_dir, run_cli, output_dir
):
    """A name holding a byte that is not UTF-8 (copied from a machine using an old code page):
    named with the byte shown, that file or folder skipped as an error, the others read."""
    bad_file = seed_raw_dir / "son_la" / os.fsdecode(b"dua\xffmon2.xlsx")
    shutil.copy(seed_raw_dir / "son_la" / "dua_mon.xlsx", bad_file)
    bad_folder = seed_raw_dir / os.fsdecode(b"th\xe1\xbbmu")
    bad_folder.mkdir()
    shutil.copy(seed_raw_dir / "son_la" / "dua_mon.xlsx", bad_folder / "x.xlsx")
    (seed_raw_dir / "son_la" / os.fsdecode(b"ghi\xfechu.txt")).write_text("not a workbook")
    files, notes = walk(seed_raw_dir)
    assert len(files) == 4
    result = run_cli(seed_raw_dir)
    assert "Traceback" not in result.err
    assert (result.status, besides_the_seeds(result.lines)[:2]) == (
        2,
        [
            "raw/son_la/dua\\xffmon2.xlsx: tên tệp có byte không phải chữ (\\xff), thường do chép "
            "từ máy dùng bảng mã cũ (TCVN3, VNI): chưa đọc tệp này; đặt lại tên tệp rồi chạy lại",
            "raw/th\\xe1\\xbbmu: tên thư mục có byte không phải chữ (\\xe1, \\xbb), thường do chép "
            "từ máy dùng bảng mã cũ (TCVN3, VNI): chưa đọc thư mục này; đặt lại tên thư mục rồi "
            "chạy lại",
        ],
    )
    assert result.out.startswith("Đã đọc 3 tệp xã (2 xã trước sắp xếp, 1 xã sau sắp xếp)")
    assert (output_dir / "muong_lam" / "phu_luc.xlsx").read_bytes() == b"earlier good output"


def test_a_raw_folder_whose_own_name_is_not_text_is_read_and_shown_with_its_bytes(tmp_path):
    raw = tmp_path / os.fsdecode(b"d\xffl")
    shutil.copytree(seed_raw_for_catalogue().parent, raw)
    (raw / "son_la" / "khong_co.xlsx").symlink_to(raw / "khong_co")
    files, notes = walk(raw)
    assert len(files) == 4
    assert [name for name, _, _ in notes] == ["d\\xffl/son_la/khong_co.xlsx"]


def test_a_project_folder_deeper_than_the_system_allows_is_one_line(tmp_path, monkeypatch, capsys):
    from pipeline.cli import main

    monkeypatch.chdir(tmp_path)
    for _ in range(22):  # 22 × 201 bytes: past Linux's 4096, reached step by step
        os.mkdir("a" * 200)
        os.chdir("a" * 200)
    shutil.copytree(seed_raw_for_catalogue().parent, "raw")
    assert main(["annexes"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    where, said = captured.err.rstrip("\n").split(": ", 1)
    assert where.endswith("a" * 41 + "/raw") and "…" in where
    length = f"{len(os.fsencode(os.getcwd())) + len('/raw'):,}".replace(",", ".")
    assert said == (
        f"đường dẫn dài {length} byte, quá giới hạn 4.096 byte của hệ thống (kể cả tên các "
        "tệp bên trong): chuyển thư mục làm việc lên gần gốc ổ đĩa (ví dụ /home/ten/bieu hoặc "
        "C:\\bieu) hoặc đặt tên các thư mục cha ngắn lại, rồi chạy lại"
    )
    assert not os.path.exists("output")


def test_a_current_folder_that_is_gone_is_one_line(tmp_path, monkeypatch, capsys):
    from pipeline.cli import main

    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    assert main(["annexes"]) == 2
    assert capsys.readouterr().err == (
        "không xác định được thư mục đang đứng (không còn tồn tại): chuyển vào thư mục làm việc "
        "(thư mục có raw/) rồi chạy lại\n"
    )


def test_office_files_that_are_not_read_are_named_even_after_a_good_run(
    seed_raw_dir, run_cli, built_seed
):
    """A workbook in a format not read may hold a commune: an error (the roll-up would go
    without it); a .csv or a Word report cannot: a warning. Either is seen by the next run,
    which does not answer "nothing changed"."""
    output_dir = built_seed
    before = snapshot(output_dir)
    shutil.copy(seed_raw_dir / "son_la" / "dua_mon.xlsx", seed_raw_dir / "son_la" / "xa_b.XLTX")
    (seed_raw_dir / "son_la" / "kiem_tra.csv").write_text("a,b\n")
    (seed_raw_dir / "son_la" / "bao_cao.docx").write_bytes(b"a report")
    (seed_raw_dir / "son_la" / "anh.png").write_bytes(b"not an office file")
    result = run_cli(seed_raw_dir)
    assert result.status == 2
    assert besides_the_seeds(result.lines)[:3] == [
        "[cảnh báo] raw/son_la/bao_cao.docx: không đọc tệp Word (.docx) khi dựng phụ lục: bảng "
        "chỉ tiêu trong báo cáo Word nhập bằng lệnh bieu nhap-word; để báo cáo ở thư mục khác "
        "thì không còn dòng này",
        "[cảnh báo] raw/son_la/kiem_tra.csv: không đọc tệp .csv: số liệu một xã cần tệp bảng "
        "tính .xlsx có các sheet theo mẫu (bieu mau)",
        "raw/son_la/xa_b.XLTX: bảng tính dạng .xltx chưa đọc được: mở tệp bằng Excel (hoặc WPS, "
        "LibreOffice), lưu lại dạng .xlsx (Sổ làm việc Excel), rồi xóa tệp này hoặc chuyển ra "
        "khỏi thư mục dữ liệu gốc",
    ]
    assert unmarked(snapshot(output_dir)) == unmarked(before)
    (seed_raw_dir / "son_la" / "xa_b.XLTX").unlink()
    result = run_cli(seed_raw_dir)
    assert result.status == 0
    warned = [line for line in besides_the_seeds(result.lines) if line.startswith("[cảnh báo]")]
    assert len(warned) == 2  # the two files not read
    assert result.out.startswith("Đã đọc 3 tệp xã")


def test_a_broken_output_link_is_named_with_where_it_points(seed_raw_dir, tmp_path, capsys):
    """Not "đã có tệp trùng tên": the output folder, or one above it, is a link to nothing."""
    from pipeline import build
    from pipeline.cli import main

    gone = tmp_path / "khong_con" / "ket_qua"
    output = tmp_path / "output"
    output.symlink_to(gone)
    for given in (output, output / "con"):
        assert main(["annexes", "--raw", str(seed_raw_dir), "--output", str(given)]) == 3
        captured = capsys.readouterr()
        assert (captured.out, captured.err) == (
            "",
            f"{output}: là liên kết hỏng, trỏ tới {gone} (không còn): tạo lại thư mục đó, hoặc "
            "sửa hay xóa liên kết này; hoặc chỉ thư mục kết quả khác bằng --output THƯ_MỤC\n",
        )
    assert not gone.exists()
    result = build.run(seed_raw_dir, output)  # the library call says the same of the link
    assert result.write_error.reason == f"{output} là liên kết hỏng, trỏ tới {gone} (không còn)"

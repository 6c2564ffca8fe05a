"""The run (`build.run`, through the command line): what it rebuilds, what it keeps, what it
refuses, and a province built in one run."""

from __future__ import annotations

import json
import re
import shutil

import openpyxl
import pandas as pd
import pytest

from pipeline import build, cli, manifest, products
from tests import builders
from tests.conftest import besides_the_seeds, cases, edit, snapshot, unmarked


def test_the_same_input_gives_the_same_bytes(seed_raw_dir, run_cli, output_dir, seed_output):
    """This run and the session's (`seed_output`) write the same bytes, manifest and marked
    copy included, beside the file the run does not own: what `built_seed` copies is what a
    run leaves."""
    earlier = snapshot(output_dir)
    assert run_cli(seed_raw_dir).status == 0
    kept = {"muong_lam/phu_luc.xlsx": earlier["muong_lam/phu_luc.xlsx"]}
    assert snapshot(output_dir) == snapshot(seed_output) | kept
    assert {f"muong_lam/{name}" for name in products.EVERY_COMMUNE} < set(snapshot(output_dir))


def test_a_rerun_with_nothing_changed_returns_at_once(seed_raw_dir, run_cli, built_seed):
    before = snapshot(built_seed)
    result = run_cli(seed_raw_dir)
    assert (result.status, result.out) == (
        0,
        "Không có gì thay đổi kể từ lần chạy trước: output/ giữ nguyên.\n",
    )
    assert snapshot(built_seed) == before


def test_a_correction_rebuilds_only_what_depends_on_it(built_made_up_province, tmp_path, capsys):
    out = tmp_path / "out"
    args = ["annexes", "--raw", str(built_made_up_province), "--output", str(out)]
    before = snapshot(out)
    edit(built_made_up_province / "tinh_thu" / "an.xlsx", "Chỉ tiêu", "E3", "37")
    assert cli.main(args) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert re.fullmatch(
        r"Xong: 2 xã mới, 1 bộ phụ lục ghi mới vào out/; 0 lỗi, 1 cảnh báo, 5 phát hiện \(xem "
        r"kiem_tra.csv trong thư mục của từng xã mới ở out/\); \d+,\d giây\.",
        last,
    )
    after = snapshot(out)
    changed = {name for name in after if after[name] != before.get(name)}
    # the new commune formed from An, and the province roll-up, which compares every commune
    assert {n.split("/")[0] for n in changed if not n.startswith(".")} == {
        "tan_an",
        "tong_hop_tinh",
    }
    assert all(after[n] == before[n] for n in before if n.startswith("dong_moi/"))


def test_a_change_to_the_code_rebuilds_everything(
    built_made_up_province, tmp_path, capsys, monkeypatch
):
    args = ["annexes", "--raw", str(built_made_up_province), "--output", str(tmp_path / "out")]
    monkeypatch.setattr(manifest, "code_digest", lambda: "another version of the code")
    assert cli.main(args) == 0
    assert "2 bộ phụ lục ghi mới" in capsys.readouterr().out


def test_a_commune_removed_from_raw_loses_its_outputs(built_made_up_province, tmp_path, capsys):
    out = tmp_path / "out"
    args = ["annexes", "--raw", str(built_made_up_province), "--output", str(out)]
    assert (out / "dong_moi" / "bieu_chi_tieu.xlsx").exists()
    (built_made_up_province / "tinh_thu" / "dong_moi.xlsx").unlink()
    (built_made_up_province / "tinh_thu" / "dong.xlsx").unlink()
    assert cli.main(args) == 0
    assert not (out / "dong_moi").exists()
    assert (out / "tan_an" / "bieu_chi_tieu.xlsx").exists()


def test_a_run_that_crashes_leaves_the_old_outputs(seed_raw_dir, run_cli, built_seed, monkeypatch):
    before = snapshot(built_seed)
    edit(seed_raw_dir / "son_la/dua_mon.xlsx", "Chỉ tiêu", "E9", "75")

    def crash(*_):
        raise RuntimeError("a bug in rendering")

    monkeypatch.setattr(products, "render", crash)
    with pytest.raises(RuntimeError):
        run_cli(seed_raw_dir)
    assert snapshot(built_seed) == before


@pytest.mark.parametrize(
    ("lock", "name", "program"),
    [
        (".~lock.bieu_chi_tieu.xlsx#", "bieu_chi_tieu.xlsx", "Excel"),  # LibreOffice's
        # Word's owner file: "~$" in place of the first two letters of a name this long
        ("~$o_cao_chi_tieu.docx", "bao_cao_chi_tieu.docx", "Word"),
    ],
)
def test_an_output_open_in_an_office_program(
    seed_raw_dir, run_cli, built_seed, lock, name, program
):
    output_dir = built_seed
    (output_dir / "muong_lam" / lock).write_text("lock")
    before = snapshot(output_dir)
    edit(seed_raw_dir / "son_la/dua_mon.xlsx", "Chỉ tiêu", "E9", "75")
    result = run_cli(seed_raw_dir)
    assert result.status == 3
    assert besides_the_seeds(result.lines) == [
        f"output/muong_lam/{name}: tệp đang mở trong {program} hoặc LibreOffice; đóng tệp rồi "
        "chạy lại `bieu annexes`",
        "Chưa ghi gì vào output/. Nếu tệp không còn mở ở đâu (máy tắt đột ngột khi đang mở), "
        "xóa tệp khóa bên cạnh nó: tên bắt đầu bằng ~$ hoặc .~lock.",
    ]
    assert snapshot(output_dir) == before


def test_an_output_folder_that_cannot_be_written(seed_raw_dir, tmp_path, capsys):
    blocked = tmp_path / "output"
    blocked.write_text("a file where the folder should be")
    status = cli.main(["annexes", "--raw", str(seed_raw_dir), "--output", str(blocked)])
    err = capsys.readouterr().err
    assert status == 3
    assert err.splitlines()[-1] == (
        "output: không ghi được (đường dẫn có một tệp chắn chỗ của thư mục); kiểm tra quyền ghi "
        "và chỗ trống trên đĩa rồi chạy lại `bieu annexes`. Chưa ghi gì: các tệp cũ vẫn giữ "
        "nguyên."
    )
    assert "Traceback" not in err


@pytest.mark.country
def test_a_small_synthetic_country_builds_end_to_end(small_country, tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["annexes", "--raw", str(small_country), "--output", str(out)]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert re.fullmatch(
        r"Xong: 5 xã mới, 5 bộ phụ lục ghi mới vào out/; 0 lỗi, \d+ cảnh báo, \d+ phát hiện "
        r"\(xem kiem_tra\.csv trong thư mục của từng xã mới ở out/\); \d+,\d giây\.",
        last,
    )
    built = sorted(p.parent.name for p in out.glob("*/bieu_chi_tieu.xlsx"))
    assert len(built) == 5
    assert sorted(p.name for p in (out / "tong_hop_tinh").iterdir()) == [
        "tinh_chieng_loc.xlsx",
        "tinh_muong_son.xlsx",
    ]


@pytest.mark.country
def test_a_broken_commune_does_not_stop_the_others(small_country, tmp_path, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(small_country, raw)
    broken = sorted(raw.glob("*/*_x00000.xlsx"))[0]
    edit(broken, "Chỉ tiêu", "E3", "mười")
    out = tmp_path / "out"
    status = cli.main(["annexes", "--raw", str(raw), "--output", str(out)])
    captured = capsys.readouterr()
    assert status == 2
    # the generator leaves some results blank beside their rating: warnings, said first
    lines = [line for line in captured.err.splitlines() if not line.startswith("[cảnh báo]")]
    folder = broken.parent.name
    assert (
        lines[0]
        == f'raw/{broken.parent.name}/{broken.name} › Chỉ tiêu › E3: "mười" không phải là số'
    )
    assert re.fullmatch(
        r"Đã tô màu các ô có vấn đề trong bản sao của \d+ tệp, ở out/ban_danh_dau/ \(đỏ: lỗi, "
        r"cam: cảnh báo; lời nhắn ở ghi chú của ô\)\. Sửa trong tệp gốc ở raw/, không sửa bản "
        r"sao\.",
        lines[1],
    )
    assert lines[2] == (
        "Chưa dựng lại 1 xã mới vì có lỗi ở xã đó hoặc ở xã hợp thành "
        f"({broken.parent.name}_m0000): sửa các ô nêu trên rồi chạy lại `bieu annexes`; các xã "
        "khác vẫn được dựng."
    )
    assert "Traceback" not in captured.err
    built = sorted(p.parent.name for p in out.glob("*/bieu_chi_tieu.xlsx"))
    assert len(built) == 4  # the four new communes that do not include the broken one
    assert re.search(r", 1 xã mới chưa dựng vì lỗi; 1 lỗi, \d+ cảnh báo, ", captured.out)
    # the new commune formed from the broken one heads its province's list, with its one error
    rollup = openpyxl.load_workbook(out / "tong_hop_tinh" / f"{folder}.xlsx")["Xã có phát hiện"]
    assert (rollup["C4"].value, rollup["D4"].value) == (f"{folder}_m0000", "1")


def test_the_made_up_province_writes_one_folder_per_new_commune(
    made_up_province, made_up_built, tmp_path, capsys
):
    from pipeline.cli import main

    assert main(["annexes", "--raw", str(made_up_province), "--output", str(tmp_path / "out")]) == 0
    # the session's build, which `built_made_up_province` copies, is what a run leaves (its
    # manifest aside: the made-up workbooks' own bytes differ from one making to the next)
    assert outputs(tmp_path / "out") == outputs(made_up_built / "out")
    written = sorted(
        p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.csv")
    )
    assert written == [
        f"{commune}/{name}"
        for commune in ("dong_moi", "tan_an")
        for name in ("chi_tieu.csv", "kiem_tra.csv", "muc_tieu_2030.csv", "tong_hop.csv")
    ]
    rows = pd.read_csv(
        tmp_path / "out" / "tan_an" / "chi_tieu.csv", encoding="utf-8-sig", dtype=str
    )
    assert rows["ma_xa"].unique().tolist() == ["an", "binh", "chau"]


def test_the_run_is_a_library_call_that_says_what_it_did(seed_raw_dir, tmp_path):
    out = tmp_path / "out"
    seen = []
    result = build.run(seed_raw_dir, out, on_checked=seen.append)
    assert (result.outcome, result.new_communes, result.rebuilt, result.blocked) == (
        "built",
        1,
        {"muong_lam"},
        set(),
    )
    assert (seen[0].files, seen[0].old, seen[0].new, seen[0].errors) == (3, 2, 1, 0)
    assert sorted(p.name for p in (out / "muong_lam").iterdir()) == sorted(products.EVERY_COMMUNE)
    assert build.run(seed_raw_dir, out).outcome == "unchanged"


def test_the_run_reports_a_blocked_record_without_writing(seed_raw_dir, tmp_path):
    edit(seed_raw_dir / "danh_muc_chi_tieu.xlsx", "Đơn vị", "B2", "Phần nghìn")
    out = tmp_path / "out"
    result = build.run(seed_raw_dir, out)
    assert (result.outcome, result.errors) == ("blocked", 1)
    assert result.marked == [
        "ban_danh_dau/danh_muc_chi_tieu.xlsx",
        "ban_danh_dau/son_la/dua_mon.xlsx",  # the seed's own warning
    ]
    # the marked copy, and the manifest that names it ours (and says the run must not be skipped)
    assert list(snapshot(out)) == [".manifest.json", *result.marked]
    assert json.loads((out / ".manifest.json").read_text()) == {
        "raw": None,
        "files": result.marked,
    }
    assert build.run(tmp_path / "khong_co", out).outcome == "no_raw"


def outputs(folder) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".manifest.json"
    }


def annexes(raw, out) -> int:
    return cli.main(["annexes", "--raw", str(raw), "--output", str(out)])


@pytest.mark.country
def test_the_same_record_gives_the_same_bytes_and_a_correction_equals_a_fresh_run(
    small_country, tmp_path, capsys
):
    raw = tmp_path / "raw"
    shutil.copytree(small_country, raw)
    first, second = tmp_path / "first", tmp_path / "second"
    assert annexes(raw, first) == annexes(raw, second) == 0
    assert outputs(first) == outputs(second)
    old = sorted(raw.glob("*/*_x00003.xlsx"))[0]
    edit(old, "Chỉ tiêu", "E3", "77")
    assert annexes(raw, first) == 0  # incremental: only what depends on the correction
    fresh = tmp_path / "fresh"
    assert annexes(raw, fresh) == 0
    assert outputs(first) == outputs(fresh)
    assert outputs(first) != outputs(second)


def test_the_roll_up_follows_a_removed_new_commune(built_made_up_province, tmp_path, capsys):
    made_up_province, out = built_made_up_province, tmp_path / "out"
    (made_up_province / "tinh_thu" / "dong_moi.xlsx").unlink()
    (made_up_province / "tinh_thu" / "dong.xlsx").unlink()
    assert annexes(made_up_province, out) == 0
    fresh = tmp_path / "fresh"
    assert annexes(made_up_province, fresh) == 0
    assert outputs(out) == outputs(fresh)


@pytest.mark.rebuilds
def test_the_roll_up_follows_an_old_commune_merged_into_none(made_up_province, tmp_path, capsys):
    book = made_up_province / "tinh_thu" / "le.xlsx"
    builders.old_commune(book, "le", "Tỉnh Thử", "Lẻ", "09", "5", "500", [("I", "Kinh tế")])
    out = tmp_path / "out"
    assert annexes(made_up_province, out) == 0
    edit(book, "Thông tin", "C2", "Lẻ Mới")
    assert annexes(made_up_province, out) == 0
    fresh = tmp_path / "fresh"
    assert annexes(made_up_province, fresh) == 0
    assert outputs(out) == outputs(fresh)


def test_the_roll_up_names_the_new_communes_errors_leave_out(made_up_province, tmp_path, capsys):
    edit(made_up_province / "tinh_thu" / "binh.xlsx", "Chỉ tiêu", "E3", "mười")
    out = tmp_path / "out"
    assert annexes(made_up_province, out) == 2
    sheet = openpyxl.load_workbook(out / "tong_hop_tinh" / "tinh_thu.xlsx")["Theo chỉ tiêu"]
    assert sheet["A2"].value == (
        "Chưa gồm 1 xã mới có lỗi trong dữ liệu gốc: Tân An (xem sheet Xã có phát hiện)"
    )


def test_the_summary_counts_each_severity_as_printed_and_as_kiem_tra_holds(
    made_up_province, tmp_path, capsys
):
    """The last line counts the errors and warnings the run printed, and the findings the
    new communes' kiem_tra.csv list (a finding tied to no commune is in each, counted once)."""
    out = tmp_path / "out"
    assert annexes(made_up_province, out) == 0
    captured = capsys.readouterr()
    said = re.search(r"; (\d+) lỗi, (\d+) cảnh báo, (\d+) phát hiện \(xem ", captured.out)
    lines = {
        tuple(row)
        for path in out.glob("*/kiem_tra.csv")
        for row in pd.read_csv(path, dtype=str, keep_default_na=False).values.tolist()
    }
    warnings = [line for line in captured.err.splitlines() if line.startswith("[cảnh báo] ")]
    findings = [line for line in lines if line[0] == "phát hiện"]
    assert [int(n) for n in said.groups()] == [0, len(warnings), len(findings)]
    assert len(warnings) == 1 and len(findings) == 5


def test_a_member_code_typed_in_another_case_is_the_same_commune(seed_raw_dir, run_cli, output_dir):
    edit(seed_raw_dir / "son_la/muong_lam.xlsx", "Xã hợp thành", "A2", "DUA_MON")
    assert run_cli(seed_raw_dir).status == 0
    annex = openpyxl.load_workbook(output_dir / "muong_lam" / "bieu_chi_tieu.xlsx")
    assert annex.sheetnames == ["Biểu 01", "Biểu 02", "Biểu 03", "Kiểm tra"]
    rows = pd.read_csv(output_dir / "muong_lam" / "chi_tieu.csv", dtype=str)
    assert list(dict.fromkeys(rows["ma_xa"])) == ["dua_mon", "muong_lam_cu"]


def test_a_code_used_twice_in_another_case_blocks_the_new_commune(
    seed_raw_dir, run_cli, output_dir
):
    copy = seed_raw_dir / "son_la" / "dua_mon_2.xlsx"
    shutil.copy(seed_raw_dir / "son_la" / "dua_mon.xlsx", copy)
    edit(copy, "Thông tin", "A2", "DUA_MON")
    before = snapshot(output_dir)
    result = run_cli(seed_raw_dir)
    assert result.status == 2
    assert result.lines[-1].startswith("Chưa ghi phụ lục nào vào output/")
    assert unmarked(snapshot(output_dir)) == unmarked(before)


def test_a_province_typed_in_another_case_is_one_roll_up_with_a_warning(
    seed_raw_dir, run_cli, output_dir
):
    edit(seed_raw_dir / "son_la/muong_lam_cu.xlsx", "Thông tin", "B2", "SƠN LA")
    result = run_cli(seed_raw_dir)
    assert result.status == 0
    assert besides_the_seeds(result.lines)[0] == (
        '[cảnh báo] raw/son_la/muong_lam_cu.xlsx › Thông tin › B2: tên tỉnh "SƠN LA" viết khác '
        '"Sơn La" ở các tệp khác; bảng tổng hợp của tỉnh gộp chung dưới tên "Sơn La"'
    )
    rollup = openpyxl.load_workbook(output_dir / "tong_hop_tinh" / "son_la.xlsx")
    counted = [row[2] for row in rollup["Theo chỉ tiêu"].iter_rows(min_row=4, values_only=True)]
    assert "2" in counted  # indicators both old communes report are counted for both


@pytest.mark.parametrize(
    ("code", "reason"),
    cases(
        [
            ("../ngoai", 'ký tự không dùng được trong tên thư mục (\\ / : * ? " < > |)'),
            (".", 'ký tự không dùng được trong tên thư mục (\\ / : * ? " < > |)'),
            ("ban_danh_dau", "trùng tên Windows hoặc chương trình dành riêng"),
            ("CON", "trùng tên Windows hoặc chương trình dành riêng"),
            ("x" * 61, "dài quá 60 ký tự"),
        ]
    ),
)
def test_a_new_communes_code_must_name_a_folder(seed_raw_dir, run_cli, output_dir, code, reason):
    edit(seed_raw_dir / "son_la/muong_lam.xlsx", "Thông tin", "A2", code)
    result = run_cli(seed_raw_dir)
    assert result.status == 2
    said = "có dấu chấm ở đầu, hoặc " if reason.startswith("ký tự không") else ""
    assert besides_the_seeds(result.lines)[0] == (
        f'raw/son_la/muong_lam.xlsx › Thông tin › A2: mã xã "{code}" không dùng làm tên thư mục '
        f"kết quả được ({said}{reason}): dùng chữ không dấu, số và dấu gạch dưới, ví dụ tan_an"
    )
    assert not (output_dir.parent / "ngoai").exists()


def test_a_raw_file_that_cannot_be_read_is_named(seed_raw_dir, run_cli, output_dir, monkeypatch):
    import builtins
    import errno

    from pipeline import load

    def refused(path, *args, **kwargs):  # as the system answers for a file without read rights
        if str(path).endswith("dua_mon.xlsx"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return builtins.open(path, *args, **kwargs)

    monkeypatch.setattr(load, "open", refused, raising=False)
    result = run_cli(seed_raw_dir)
    assert result.status == 2
    assert result.lines[0] == "raw/son_la/dua_mon.xlsx: không đọc được tệp (không có quyền)"


def test_a_removed_communes_output_open_in_excel_is_not_removed(
    built_made_up_province, tmp_path, capsys
):
    made_up_province, out = built_made_up_province, tmp_path / "out"
    (out / "dong_moi" / "~$bieu_chi_tieu.xlsx").write_bytes(b"lock")
    (made_up_province / "tinh_thu" / "dong_moi.xlsx").unlink()
    (made_up_province / "tinh_thu" / "dong.xlsx").unlink()
    assert annexes(made_up_province, out) == 3
    assert (out / "dong_moi" / "bieu_chi_tieu.xlsx").exists()


def test_an_interrupted_run_that_cannot_be_finished_yet_says_so(
    seed_raw_dir, tmp_path, capsys, monkeypatch
):
    import errno

    out = tmp_path / "output"

    def refused(output):
        raise PermissionError(errno.EACCES, "Permission denied", str(output / "x" / "a.csv"))

    monkeypatch.setattr(build.write, "recover", refused)
    assert annexes(seed_raw_dir, out) == 3
    assert capsys.readouterr().err.splitlines() == [
        "output/x/a.csv: không ghi được (không có quyền); kiểm tra quyền ghi và chỗ trống trên "
        "đĩa rồi chạy lại `bieu annexes`. Lần chạy trước bị dừng giữa chừng chưa hoàn tất được; "
        "lần chạy sau sẽ hoàn tất khi ghi được vào output/."
    ]


@pytest.mark.rebuilds
def test_old_communes_only_with_an_error_write_no_roll_up_and_say_why_no_annex(
    made_up_province, tmp_path, capsys
):
    """No new commune names these old communes: the summary says so and how to make one; an
    error in one of them keeps the province's roll-up as it was, never one that counts the
    bad cell as missing; the summary names no kiem_tra.csv, since none is written."""
    for new in ("tan_an", "dong_moi"):
        (made_up_province / "tinh_thu" / f"{new}.xlsx").unlink()
    out = tmp_path / "out"
    rollup = out / "tong_hop_tinh" / "tinh_thu.xlsx"
    why = (
        'Chưa có phụ lục nào: phụ lục làm cho xã "Sau sắp xếp", mà chưa xã "Sau sắp xếp" nào '
        'ghi 4 xã trước sắp xếp (an, binh, chau, dong) ở sheet "Xã hợp thành". Tạo tệp của xã '
        'mới bằng `bieu mau --loai sau --ma-xa MÃ_XÃ_MỚI --ten "TÊN XÃ MỚI" --tinh "Tỉnh Thử" '
        f'--xa-hop-thanh "an, binh, chau, dong" --raw {made_up_province}`, điền rồi chạy lại '
        "`bieu annexes`."
    )
    assert annexes(made_up_province, out) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines()[-1] == why
    assert re.fullmatch(
        r'Xong: chưa làm phụ lục nào \(raw/ chưa có xã "Sau sắp xếp"\); 0 lỗi, \d+ cảnh báo, '
        r"0 phát hiện; "
        r"\d+,\d giây\.\n",
        (captured.out.splitlines()[-1] + "\n"),
    )
    before = rollup.read_bytes()

    edit(made_up_province / "tinh_thu" / "binh.xlsx", "Chỉ tiêu", "E3", "mười")
    assert annexes(made_up_province, out) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines()[-2:] == [
        "Chưa ghi bảng tổng hợp tỉnh out/tong_hop_tinh/tinh_thu.xlsx (tệp cũ giữ nguyên) vì dữ "
        "liệu của tỉnh có lỗi: sửa các ô nêu trên rồi chạy lại `bieu annexes`.",
        why,
    ]
    assert re.fullmatch(
        r'Xong: chưa làm phụ lục nào \(raw/ chưa có xã "Sau sắp xếp"\); 1 lỗi, 5 cảnh báo, '
        r"0 phát hiện; "
        r"\d+,\d giây\.",
        captured.out.splitlines()[-1],
    )
    assert rollup.read_bytes() == before
    assert not list(out.glob("*/kiem_tra.csv"))

    # a fresh output folder gets no roll-up at all from data with errors
    fresh = tmp_path / "fresh"
    assert annexes(made_up_province, fresh) == 2
    assert not (fresh / "tong_hop_tinh").exists()

    edit(made_up_province / "tinh_thu" / "binh.xlsx", "Chỉ tiêu", "E3", "41")
    assert annexes(made_up_province, out) == 0
    assert annexes(made_up_province, fresh) == 0
    assert outputs(out) == outputs(fresh)
    assert rollup.read_bytes() != before


def test_an_error_in_an_old_commune_no_new_one_names_keeps_the_roll_up(
    made_up_province, tmp_path, capsys
):
    """Beside new communes that build: the roll-up would show the bad commune's figures, so it
    is left as it was, and the new communes are built."""
    book = made_up_province / "tinh_thu" / "le.xlsx"
    builders.old_commune(
        book,
        "le",
        "Tỉnh Thử",
        "Lẻ",
        "09",
        "5",
        "500",
        [("I", "Kinh tế"), ("1", "Thu nhập", "Triệu đồng", "30", "36", "Vượt", "thu_nhap")],
    )
    out = tmp_path / "out"
    assert annexes(made_up_province, out) == 0
    before = snapshot(out)
    edit(book, "Chỉ tiêu", "E3", "mười")
    edit(made_up_province / "tinh_thu" / "an.xlsx", "Chỉ tiêu", "E3", "37")
    assert annexes(made_up_province, out) == 2
    after = snapshot(out)
    assert after["tong_hop_tinh/tinh_thu.xlsx"] == before["tong_hop_tinh/tinh_thu.xlsx"]
    assert after["tan_an/bieu_chi_tieu.xlsx"] != before["tan_an/bieu_chi_tieu.xlsx"]
    lines = capsys.readouterr()
    assert (
        "Chưa ghi bảng tổng hợp tỉnh out/tong_hop_tinh/tinh_thu.xlsx (tệp cũ giữ nguyên) vì dữ "
        "liệu của tỉnh có lỗi: sửa các ô nêu trên rồi chạy lại `bieu annexes`."
    ) in lines.err.splitlines()
    assert re.fullmatch(
        r"Xong: 2 xã mới, 1 bộ phụ lục ghi mới vào out/; 1 lỗi, \d+ cảnh báo, \d+ phát hiện "
        r"\(xem kiem_tra.csv trong thư mục của từng xã mới ở out/\); \d+,\d giây\.",
        lines.out.splitlines()[-1],
    )


@pytest.mark.rebuilds
def test_a_new_province_spelling_most_use_rebuilds_the_other_communes(
    made_up_province, tmp_path, capsys
):
    """The spelling most workbooks use is the one the others are warned against: when it changes,
    a commune whose own files did not change warns of the new one."""
    folder = made_up_province / "tinh_thu"
    edit(folder / "dong.xlsx", "Thông tin", "B2", "TỈNH THỬ")
    out = tmp_path / "out"
    assert annexes(made_up_province, out) == 0
    for name in ("an", "binh", "chau", "tan_an"):
        edit(folder / f"{name}.xlsx", "Thông tin", "B2", "TỈNH THỬ")
    assert annexes(made_up_province, out) == 0
    fresh = tmp_path / "fresh"
    assert annexes(made_up_province, fresh) == 0
    checks = pd.read_csv(out / "dong_moi" / "kiem_tra.csv", dtype=str, keep_default_na=False)
    said = checks[checks["o"] == "B2"]
    assert list(zip(said["tep"], said["noi_dung"], strict=True)) == [
        (
            "raw/tinh_thu/dong_moi.xlsx",
            'tên tỉnh "Tỉnh Thử" viết khác "TỈNH THỬ" ở các tệp khác; bảng tổng hợp của tỉnh '
            'gộp chung dưới tên "TỈNH THỬ"',
        )
    ]
    assert outputs(out) == outputs(fresh)


@pytest.mark.rebuilds
def test_an_old_commune_moved_to_another_province_keeps_both_roll_ups_fresh(
    made_up_province, tmp_path, capsys
):
    moved = made_up_province / "tinh_khac" / "an.xlsx"
    moved.parent.mkdir()
    (made_up_province / "tinh_thu" / "an.xlsx").rename(moved)
    edit(moved, "Thông tin", "B2", "Tỉnh Khác")
    out = tmp_path / "out"
    capsys.readouterr()
    assert annexes(made_up_province, out) == 0
    assert capsys.readouterr().err.splitlines()[0] == (
        '[cảnh báo] raw/tinh_khac/an.xlsx › Thông tin › B2: tỉnh "Tỉnh Khác" khác tỉnh "Tỉnh Thử" '
        'của xã mới "Tân An" mà xã này gộp vào: kết quả của xã được tính trong bảng tổng hợp '
        'tỉnh "Tỉnh Khác", xã mới trong bảng tổng hợp tỉnh "Tỉnh Thử"; nếu là cùng một tỉnh, sửa '
        "tên tỉnh cho hai tệp ghi giống nhau"
    )
    edit(moved, "Thông tin", "I2", "2.000")  # a later correction of its population
    assert annexes(made_up_province, out) == 0
    fresh = tmp_path / "fresh"
    assert annexes(made_up_province, fresh) == 0
    assert outputs(out) == outputs(fresh)


def test_a_worker_keeps_its_views_and_its_own_prototypes_until_the_run_ends():
    from pipeline import workers
    from pipeline.render.docx import Prototypes

    workers._receive("the views")
    first = workers.WORKER
    assert first.views == "the views" and isinstance(first.prototypes, Prototypes)
    workers._receive("the views")  # another worker, or another run: its own prototypes
    assert workers.WORKER.prototypes is not first.prototypes
    workers._receive(None)
    assert workers.WORKER is None

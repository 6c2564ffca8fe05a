"""The intake page's check core: uploads checked in one pass, refused, waiting, accepted through
the journal, rebuilt (pipeline/intake/submit.py)."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from pipeline import validate as validate_module
from pipeline.intake import submit
from pipeline.intake.submit import Upload, accept, check, rebuild
from pipeline.layout.marks import LEVEL_WORD
from pipeline.paths import RAW
from pipeline.problems import ERROR, WARNING
from schemas.vocabulary import ACCEPTED, ERRORS, WAITING
from tests.conftest import SEED_WARNING, edit, snapshot
from tests.intake.test_word import report_with
from tests.test_workbook import inflate
from tools import synth

DM, ML, MLC = "son_la/dua_mon.xlsx", "son_la/muong_lam.xlsx", "son_la/muong_lam_cu.xlsx"
MEMBERS = {"muong_lam": ("dua_mon", "muong_lam_cu")}


def seed_file(name: str) -> bytes:
    return (RAW / name).read_bytes()


def broken(tmp_path: Path, name: str, sheet: str, cell: str, value: object) -> bytes:
    """A copy of a seed workbook with one cell typed otherwise."""
    path = tmp_path / "sua" / Path(name).name
    path.parent.mkdir(exist_ok=True)
    shutil.copyfile(RAW / name, path)
    edit(path, sheet, cell, value)
    return path.read_bytes()


def lines(checked) -> list[str]:
    return [p.line() for p in checked.problems]


def drawn(checked, sheet: str) -> dict[tuple[int, int], tuple[str, str]]:
    """The cells of one sheet of an upload as drawn: (row, col) -> (text, style)."""
    layout = next(s for s in checked.sheets if s.name == sheet)
    return {(r, c): (text, style) for r, c, text, style in layout.cells}


def test_a_seed_workbook_sent_again_is_accepted_with_its_warning_on_its_cell(seed_raw_dir):
    [checked] = check(seed_raw_dir, [Upload("muong_lam", "dua_mon.xlsx", seed_file(DM))], MEMBERS)
    assert (checked.state, checked.target, lines(checked)) == (ACCEPTED, DM, [SEED_WARNING])
    assert [s.name for s in checked.sheets] == ["Thông tin", "Chỉ tiêu"]
    cells = drawn(checked, "Chỉ tiêu")
    assert cells[(30, 4)] == ("", f"mark:{WARNING}")  # E31: a rating beside no result
    layout = checked.sheets[1]
    assert layout.notes[(30, 4)].startswith(f"{LEVEL_WORD[WARNING]}: chưa có kết quả thực hiện")
    assert cells[(2, 1)] == ("Thu ngân sách trên địa bàn 5 năm tăng", "text")  # as typed
    assert cells[(2, 4)] == ("122,7", "text")  # a number typed as text stays as typed


def test_a_bad_cell_is_an_error_at_its_cell_and_raw_is_untouched(seed_raw_dir, tmp_path):
    data = broken(tmp_path, DM, "Chỉ tiêu", "E7", "mười")
    before = snapshot(seed_raw_dir)
    [checked] = check(seed_raw_dir, [Upload("muong_lam", "dua_mon.xlsx", data)], MEMBERS)
    assert checked.state == ERRORS
    assert lines(checked) == [
        'raw/son_la/dua_mon.xlsx › Chỉ tiêu › E7: "mười" không phải là số',
        SEED_WARNING,
    ]
    assert drawn(checked, "Chỉ tiêu")[(6, 4)] == ("mười", f"mark:{ERROR}")
    assert checked.sheets[1].notes[(6, 4)] == f'{LEVEL_WORD[ERROR]}: "mười" không phải là số'
    assert snapshot(seed_raw_dir) == before
    with pytest.raises(submit.NotAccepted):
        accept(seed_raw_dir, checked)
    assert snapshot(seed_raw_dir) == before


def test_a_new_communes_workbook_waits_for_its_old_communes(seed_raw_dir):
    (seed_raw_dir / DM).unlink()
    (seed_raw_dir / MLC).unlink()
    (seed_raw_dir / ML).unlink()
    [checked] = check(seed_raw_dir, [Upload("muong_lam", "muong_lam.xlsx", seed_file(ML))], MEMBERS)
    assert (checked.state, checked.target, lines(checked)) == (WAITING, ML, [])


def test_a_waiting_commune_with_an_error_of_its_own_has_errors(seed_raw_dir, tmp_path):
    (seed_raw_dir / DM).unlink()
    data = broken(tmp_path, ML, "Thông tin", "J2", "nhiều")
    [checked] = check(seed_raw_dir, [Upload("muong_lam", "muong_lam.xlsx", data)], MEMBERS)
    assert checked.state == ERRORS
    assert [p.o for p in checked.problems if p.muc_do == ERROR] == ["J2"]


def test_an_old_commune_the_province_did_not_list_is_refused_at_its_code(seed_raw_dir):
    before = snapshot(seed_raw_dir)
    [checked] = check(
        seed_raw_dir,
        [Upload("muong_lam", "dua_mon.xlsx", seed_file(DM))],
        {"muong_lam": ("muong_lam_cu",)},
    )
    assert checked.state == ERRORS
    assert lines(checked) == [
        SEED_WARNING,
        'raw/son_la/dua_mon.xlsx › Thông tin › A2: xã "dua_mon" không nằm trong các xã hợp thành '
        'tỉnh đã khai báo cho xã "muong_lam" (muong_lam_cu): không nhận tệp của xã khác',
    ]
    assert drawn(checked, "Thông tin")[(1, 0)] == ("dua_mon", f"mark:{ERROR}")
    assert snapshot(seed_raw_dir) == before


def test_a_new_commune_whose_members_disagree_with_the_province_is_refused(seed_raw_dir):
    [checked] = check(
        seed_raw_dir,
        [Upload("muong_lam", "muong_lam.xlsx", seed_file(ML))],
        {"muong_lam": ("dua_mon", "chieng_xa")},
    )
    assert checked.state == ERRORS
    assert [line for line in lines(checked) if "khai báo" in line] == [
        'raw/son_la/muong_lam.xlsx › Xã hợp thành: thiếu xã "chieng_xa", tỉnh đã khai báo là một '
        "xã hợp thành: thêm một dòng cho xã này",
        'raw/son_la/muong_lam.xlsx › Xã hợp thành › A3: xã "muong_lam_cu" không nằm trong các '
        "xã hợp thành tỉnh đã khai báo (dua_mon, chieng_xa): sửa cho khớp danh sách của tỉnh, "
        "hoặc báo tỉnh",
    ]
    assert drawn(checked, "Xã hợp thành")[(2, 0)] == ("muong_lam_cu", f"mark:{ERROR}")


def test_a_commune_cannot_send_another_new_communes_workbook(seed_raw_dir):
    [checked] = check(
        seed_raw_dir,
        [Upload("tan_an", "muong_lam.xlsx", seed_file(ML))],
        {"tan_an": ("dua_mon", "muong_lam_cu"), **MEMBERS},
    )
    assert checked.state == ERRORS
    assert (
        'raw/son_la/muong_lam.xlsx › Thông tin › A2: mã xã "muong_lam" không phải mã của xã mình '
        '("tan_an"): mỗi xã chỉ gửi tệp của xã mình và của các xã hợp thành mà tỉnh đã khai báo'
    ) in lines(checked)


def test_a_commune_the_province_has_not_declared_sends_nothing(seed_raw_dir):
    [checked] = check(seed_raw_dir, [Upload("muong_lam", "dua_mon.xlsx", seed_file(DM))], {})
    assert checked.state == ERRORS
    assert lines(checked)[1] == (
        "raw/son_la/dua_mon.xlsx › Thông tin › A2: tỉnh chưa khai báo các xã hợp thành của xã "
        '"muong_lam": chưa nhận tệp nào của xã; báo tỉnh khai báo rồi gửi lại'
    )


def test_a_zip_bomb_stays_refused(seed_raw_dir, tmp_path):
    path = tmp_path / "dua_mon.xlsx"
    shutil.copyfile(RAW / DM, path)
    inflate(path, "xl/worksheets/sheet2.xml", 300 * 2**20)
    before = snapshot(seed_raw_dir)
    [checked] = check(
        seed_raw_dir, [Upload("muong_lam", "dua_mon.xlsx", path.read_bytes())], MEMBERS
    )
    assert checked.state == ERRORS
    assert lines(checked)[0] == (
        "raw/son_la/dua_mon.xlsx › Chỉ tiêu: một phần của tệp (xl/worksheets/sheet2.xml) khi "
        "giải nén nặng 300 MB, quá 20 MB: tệp có thể bị hỏng hoặc cố ý làm phình"
    )
    assert snapshot(seed_raw_dir) == before


def test_a_word_bomb_stays_refused(seed_raw_dir, tmp_path):
    def pad(parts):
        head, tail = parts["word/document.xml"].split(b"?>", 1)
        parts["word/document.xml"] = head + b"?>" + b" " * (30 * 2**20) + tail

    report = report_with(tmp_path / "bom.docx", pad)
    [checked] = check(seed_raw_dir, [Upload("muong_lam", "bom.docx", report.read_bytes())], MEMBERS)
    assert (checked.state, checked.target, checked.sheets) == (ERRORS, "", ())
    assert lines(checked) == [
        "bom.docx: không đọc tệp Word: một phần của tệp (word/document.xml) khi giải nén nặng "
        "30 MB, quá 20 MB: tệp có thể bị hỏng hoặc cố ý làm phình"
    ]


@pytest.mark.parametrize(
    ("name", "data", "line"),
    [
        (
            "ghi_chu.txt",
            b"hello",
            "ghi_chu.txt: không nhận tệp này: trang chỉ nhận bảng tính .xlsx, .xls, .ods, .xlsb "
            "(và báo cáo Word .docx)",
        ),
        (
            "dua_mon.xlsx",
            b"%PDF-1.4 not a workbook",
            "dua_mon.xlsx: không đọc được tệp: tệp hỏng hoặc không phải bảng tính .xlsx, .xls, "
            ".ods, .xlsb",
        ),
        (
            "../../etc/x.xlsx",
            b"PK\x03\x04 broken",
            "x.xlsx: không đọc được tệp: tệp hỏng hoặc không phải bảng tính .xlsx, .xls, .ods, "
            ".xlsb",
        ),
    ],
)
def test_a_wrong_type_is_refused_and_its_name_is_never_a_path(seed_raw_dir, name, data, line):
    before = snapshot(seed_raw_dir.parent)
    [checked] = check(seed_raw_dir, [Upload("muong_lam", name, data)], MEMBERS)
    assert (checked.state, checked.target, lines(checked)) == (ERRORS, "", [line])
    assert snapshot(seed_raw_dir.parent) == before


def test_a_name_with_dots_goes_where_its_workbook_says(seed_raw_dir):
    [checked] = check(seed_raw_dir, [Upload("muong_lam", "..\\..\\x.xlsx", seed_file(DM))], MEMBERS)
    assert (checked.state, checked.target) == (ACCEPTED, DM)


def test_two_uploads_of_one_commune_are_each_checked_against_raw(seed_raw_dir, tmp_path):
    """An error in one upload is not the other's: each is checked against what raw/ holds."""
    bad = broken(tmp_path, MLC, "Thông tin", "I2", "rộng")
    checked = check(
        seed_raw_dir,
        [
            Upload("muong_lam", "muong_lam_cu.xlsx", bad),
            Upload("muong_lam", "dua_mon.xlsx", seed_file(DM)),
        ],
        MEMBERS,
    )
    assert [c.state for c in checked] == [ERRORS, ACCEPTED]
    assert lines(checked[1]) == [SEED_WARNING]


@pytest.fixture(scope="module")
def small_country(tmp_path_factory) -> Path:
    """The synthetic record of two provinces (12 old communes, 5 new)."""
    raw = tmp_path_factory.mktemp("thu") / "raw"
    synth.write("thu", 2025, raw)
    return raw


def province_members(raw: Path) -> dict[str, tuple[str, ...]]:
    from pipeline.intake import read_forms

    forms = read_forms(raw)
    return {
        forms.communes[new][0]: tuple(forms.communes[m][0] for m in listed)
        for new, listed in forms.members.items()
    }


def test_uploads_of_many_communes_are_checked_in_one_pass(small_country, monkeypatch):
    members = province_members(small_country)
    uploads = [
        Upload(new, f"{new}.xlsx", next(small_country.rglob(f"{new}.xlsx")).read_bytes())
        for new in sorted(members)
    ]
    calls = []
    real = validate_module.validate
    monkeypatch.setattr(validate_module, "validate", lambda p: calls.append(1) or real(p))
    checked = check(small_country, uploads, members)
    assert len(uploads) == 5 and len(calls) == 1
    assert [c.state for c in checked] == [ACCEPTED] * 5
    assert [c.target.split("/")[1] for c in checked] == [f"{new}.xlsx" for new in sorted(members)]


def test_accept_puts_the_file_in_raw_through_the_journal(seed_raw_dir, tmp_path):
    data = broken(tmp_path, DM, "Thông tin", "J2", 6500)
    [checked] = check(seed_raw_dir, [Upload("muong_lam", "dua_mon.xlsx", data)], MEMBERS)
    assert checked.state == ACCEPTED
    old_format = seed_raw_dir / "son_la" / "dua_mon.ods"
    shutil.copyfile(RAW / DM, old_format)  # the same commune in another format goes with it
    path = accept(seed_raw_dir, checked)
    assert path == seed_raw_dir / DM and path.read_bytes() == data
    assert not old_format.exists()
    assert sorted(p.name for p in seed_raw_dir.iterdir()) == ["danh_muc_chi_tieu.xlsx", "son_la"]
    assert openpyxl.load_workbook(path)["Thông tin"]["J2"].value == 6500


def test_a_commit_left_half_done_is_finished_by_the_next_accept(seed_raw_dir, tmp_path):
    """A journal left in raw/ (the power cut during a rename) is rolled forward first."""
    staged = seed_raw_dir / "son_la" / ".muong_lam_cu.xlsx.tmp"
    new = broken(tmp_path, MLC, "Thông tin", "J2", 7000)
    staged.write_bytes(new)
    plan = {"files": [["son_la/.muong_lam_cu.xlsx.tmp", MLC]], "remove": [], "manifest": None}
    (seed_raw_dir / ".journal.json").write_text(json.dumps(plan), encoding="utf-8")
    [checked] = check(seed_raw_dir, [Upload("muong_lam", "dua_mon.xlsx", seed_file(DM))], MEMBERS)
    accept(seed_raw_dir, checked)
    assert (seed_raw_dir / MLC).read_bytes() == new
    assert not (seed_raw_dir / ".journal.json").exists() and not staged.exists()


def test_rebuild_builds_the_accepted_communes_annex(seed_raw_dir, tmp_path):
    output = tmp_path / "output"
    assert rebuild(seed_raw_dir, output, "muong_lam").outcome == "built"
    data = broken(tmp_path, DM, "Chỉ tiêu", "E5", "25,9")  # 24,8 in the seed
    [checked] = check(seed_raw_dir, [Upload("muong_lam", "dua_mon.xlsx", data)], MEMBERS)
    accept(seed_raw_dir, checked)
    result = rebuild(seed_raw_dir, output, "muong_lam")
    assert (result.outcome, result.rebuilt) == ("built", {"muong_lam"})
    with zipfile.ZipFile(output / "muong_lam" / "bieu_chi_tieu.xlsx") as annex:
        strings = annex.read("xl/sharedStrings.xml").decode("utf-8")
    assert "25,9" in strings and "24,8" not in strings


@pytest.fixture
def read(monkeypatch) -> list[str]:
    """The names of the workbooks read from now on (none remembered from earlier checks)."""
    from pipeline import load

    monkeypatch.setattr(submit, "READ_PARTS", {})
    names = []
    real = load.read_part
    monkeypatch.setattr(
        load, "read_part", lambda path, *a: names.append(path.name) or real(path, *a)
    )
    return names


def test_a_rebuild_reads_no_workbook_the_check_has_read(seed_raw_dir, tmp_path, read):
    data = broken(tmp_path, DM, "Chỉ tiêu", "E5", "25,9")
    [checked] = check(seed_raw_dir, [Upload("muong_lam", "dua_mon.xlsx", data)], MEMBERS)
    accept(seed_raw_dir, checked)
    read.clear()
    result = rebuild(seed_raw_dir, tmp_path / "output", "muong_lam")
    assert (result.outcome, read) == ("built", [])  # the accepted file too: the same bytes


def test_a_warm_check_reads_again_only_what_changed(seed_raw_dir, tmp_path, read):
    sent = [Upload("muong_lam", "dua_mon.xlsx", seed_file(DM))]
    first = check(seed_raw_dir, sent, MEMBERS)
    assert sorted(read) == [
        "0.xlsx",
        "danh_muc_chi_tieu.xlsx",
        *sorted(Path(n).name for n in (DM, ML, MLC)),
    ]
    read.clear()
    bad = [Upload("muong_lam", "dua_mon.xlsx", broken(tmp_path, DM, "Chỉ tiêu", "E7", "mười"))]
    again = check(seed_raw_dir, bad, MEMBERS)
    assert sorted(read) == ["0.xlsx", "dua_mon.xlsx"]  # the upload alone, then in its place
    assert (first[0].state, again[0].state) == (ACCEPTED, ERRORS)
    assert check(seed_raw_dir, sent, MEMBERS) == first


@pytest.mark.journeys
def test_a_record_filled_entirely_through_checks_builds_as_annexes_does(small_country, tmp_path):
    """Every workbook of the small synthetic country sent by its new commune, old communes
    first (sent all at once: several passes), then the new communes; each accepted; the build
    equals `bieu annexes` on the same files, byte for byte."""
    from pipeline.cli import main
    from pipeline.intake import read_forms

    members = province_members(small_country)
    forms = read_forms(small_country)
    owner = {m: new for new, listed in members.items() for m in listed}
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copyfile(small_country / "danh_muc_chi_tieu.xlsx", raw / "danh_muc_chi_tieu.xlsx")

    def sent(codes: list[str]) -> list[Upload]:
        paths = {c: small_country.parent / forms.communes[c.casefold()][2] for c in codes}
        return [Upload(owner.get(c, c), paths[c].name, paths[c].read_bytes()) for c in codes]

    olds = sorted(owner)
    news = sorted(members)
    for batch, state in ((olds, ACCEPTED), (news, ACCEPTED)):
        checked = check(raw, sent(batch), members)
        assert [c.state for c in checked] == [state] * len(batch), [c.problems for c in checked]
        for c in checked:
            accept(raw, c)
    assert snapshot(raw) == {
        name: digest for name, digest in snapshot(small_country).items() if name != ".done"
    }
    output = tmp_path / "output"
    assert rebuild(raw, output, news[0]).outcome == "built"
    assert main(["annexes", "--raw", str(small_country), "--output", str(tmp_path / "cli")]) in (
        0,
        2,
    )
    ours = {k: v for k, v in snapshot(output).items() if k != ".manifest.json"}
    assert ours == {k: v for k, v in snapshot(tmp_path / "cli").items() if k != ".manifest.json"}


def test_an_upload_answers_for_what_it_breaks_in_its_communes_other_files(seed_raw_dir, tmp_path):
    """Renamed in its own workbook, an old commune no longer matches the name its new
    commune's "Xã hợp thành" (in raw/, not sent) gives it: the upload's error."""
    data = broken(tmp_path, DM, "Thông tin", "C2", "Đứa Mòn Mới")
    [checked] = check(seed_raw_dir, [Upload("muong_lam", "dua_mon.xlsx", data)], MEMBERS)
    assert checked.state == ERRORS
    assert [p.line() for p in checked.problems if p.muc_do == ERROR] == [
        'raw/son_la/muong_lam.xlsx › Xã hợp thành › B2: tên "Đứa Mòn" khác tên trong tệp của xã '
        'mã "dua_mon" ("Đứa Mòn Mới")'
    ]


def test_another_communes_error_in_raw_is_not_an_uploads(small_country, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(small_country, raw)
    members = province_members(raw)
    first, second = sorted(members)[:2]
    edit(next(raw.rglob(f"{first}.xlsx")), "Thông tin", "A2", "")  # an error of first's, in raw/
    from pipeline.load import load_record
    from pipeline.prepare import prepare

    found = validate_module.validate(prepare(load_record(raw)))
    assert any(p.muc_do == ERROR and first in p.tep for p in found)
    sent = Upload(second, f"{second}.xlsx", next(raw.rglob(f"{second}.xlsx")).read_bytes())
    [checked] = check(raw, [sent], members)
    assert checked.state == ACCEPTED
    assert all(first not in p.tep for p in checked.problems)


@pytest.mark.parametrize("target", ["../x.xlsx", "/tmp/x.xlsx", "x.xlsx", "a/b/x.xlsx", ""])
def test_accept_never_writes_outside_a_province_folder_of_raw(seed_raw_dir, target):
    before = snapshot(seed_raw_dir.parent)
    forged = submit.Checked(Upload("muong_lam", "x.xlsx", b"x"), ACCEPTED, (), (), target)
    with pytest.raises(submit.NotAccepted):
        accept(seed_raw_dir, forged)
    assert snapshot(seed_raw_dir.parent) == before


def test_the_provinces_codes_are_compared_as_codes_are(seed_raw_dir):
    """A code typed in another case is the same commune, as everywhere in the record."""
    members = {"Muong_Lam": ("DUA_MON", "muong_lam_cu")}
    [checked] = check(seed_raw_dir, [Upload("muong_lam", "dua_mon.xlsx", seed_file(DM))], members)
    assert (checked.state, lines(checked)) == (ACCEPTED, [SEED_WARNING])
    (seed_raw_dir / DM).unlink()
    [checked] = check(seed_raw_dir, [Upload("muong_lam", "ml.xlsx", seed_file(ML))], members)
    assert (checked.state, lines(checked)) == (WAITING, [])


def test_a_workbook_claiming_another_commune_learns_nothing_of_its_files(seed_raw_dir, tmp_path):
    # the area typed otherwise: checked beside muong_lam's old communes, the sum of theirs
    # (167,10 km²) would be printed to xa_khac
    data = broken(tmp_path, ML, "Thông tin", "I2", "170")
    members = {"xa_khac": ("ma_khac",), **MEMBERS}
    [checked] = check(seed_raw_dir, [Upload("xa_khac", "muong_lam.xlsx", data)], members)
    assert checked.state == ERRORS
    assert lines(checked) == [
        'raw/son_la/muong_lam.xlsx › Thông tin › A2: mã xã "muong_lam" không phải mã của xã mình '
        '("xa_khac"): mỗi xã chỉ gửi tệp của xã mình và của các xã hợp thành mà tỉnh đã khai báo'
    ]


def test_a_refused_workbook_still_hears_of_its_own_cells(seed_raw_dir, tmp_path):
    data = broken(tmp_path, DM, "Chỉ tiêu", "E7", "mười")
    [checked] = check(
        seed_raw_dir, [Upload("muong_lam", "dua_mon.xlsx", data)], {"muong_lam": ("muong_lam_cu",)}
    )
    assert lines(checked) == [
        'raw/son_la/dua_mon.xlsx › Chỉ tiêu › E7: "mười" không phải là số',
        SEED_WARNING,
        'raw/son_la/dua_mon.xlsx › Thông tin › A2: xã "dua_mon" không nằm trong các xã hợp thành '
        'tỉnh đã khai báo cho xã "muong_lam" (muong_lam_cu): không nhận tệp của xã khác',
    ]


def test_an_old_communes_workbook_never_replaces_a_new_communes(seed_raw_dir, tmp_path):
    # a province's list that names a new commune's code as an old commune (declarations made
    # before the page refused them): the record's own file decides what the code is
    data = broken(tmp_path, DM, "Thông tin", "A2", "muong_lam")
    before = snapshot(seed_raw_dir)
    [checked] = check(
        seed_raw_dir, [Upload("xa_khac", "dua_mon.xlsx", data)], {"xa_khac": ("muong_lam",)}
    )
    assert checked.state == ERRORS
    assert (
        'raw/son_la/muong_lam.xlsx › Thông tin › D2: xã "muong_lam" đã có trong hồ sơ của tỉnh '
        'là xã "Sau sắp xếp", tệp gửi lên ghi "Trước sắp xếp": không nhận tệp thay cho một xã '
        "loại khác; kiểm tra mã xã và loại xã, hoặc báo tỉnh"
    ) in lines(checked)
    assert snapshot(seed_raw_dir) == before


def with_parts(data: bytes, parts: dict[str, bytes]) -> bytes:
    """A workbook's bytes with more parts in its package."""
    import io

    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as package:
        for name, content in parts.items():
            package.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "parts", "said"),
    [
        (
            "dua_mon.xlsm",
            {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"},
            'tệp có macro (VBA): trang không nhận tệp như vậy; lưu lại bằng Excel dạng "Excel '
            'Workbook (*.xlsx)", không có macro, rồi gửi lại',
        ),
        (
            "dua_mon.xlsx",
            {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"},
            "tệp có liên kết tới tệp khác: trang không nhận tệp như vậy; trong Excel chọn Dữ "
            "liệu › Sửa liên kết › Ngắt liên kết (Data › Edit Links › Break Link) để giữ lại số "
            "liệu, rồi gửi lại",
        ),
        (
            "dua_mon.xlsx",
            {"xl/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"},
            "tệp có đối tượng nhúng (OLE, ActiveX): trang không nhận tệp như vậy; xoá đối tượng "
            "đó khỏi bảng tính, rồi gửi lại",
        ),
    ],
)
def test_a_workbook_that_would_run_or_reach_out_never_enters_raw(seed_raw_dir, name, parts, said):
    data = with_parts(seed_file(DM), parts)
    before = snapshot(seed_raw_dir)
    [checked] = check(seed_raw_dir, [Upload("muong_lam", name, data)], MEMBERS)
    assert checked.state == ERRORS
    where = f"raw/{Path(DM).with_suffix(Path(name).suffix)}"
    assert lines(checked) == [f"{where}: {said}", SEED_WARNING.replace(f"raw/{DM}", where)]
    assert snapshot(seed_raw_dir) == before


def test_an_opendocument_chart_is_no_embedded_object(tmp_path):
    """A chart made in LibreOffice is stored as an object of its own, as an embedded OLE object
    is: the package's declared type tells them apart."""
    from pipeline import formats

    path = tmp_path / "a.ods"
    manifest = (
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="Object 1/" '
        'manifest:media-type="application/vnd.oasis.opendocument.chart"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        package.writestr("META-INF/manifest.xml", manifest)
        package.writestr("content.xml", "<office:document-content/>")
        package.writestr("Object 1/content.xml", "<office:document-content/>")
        package.writestr("ObjectReplacements/Object 1", b"svm")
    assert formats.active_content(path) == []
    ole = manifest.replace("opendocument.chart", "sun.star.oleobject")
    with zipfile.ZipFile(tmp_path / "b.ods", "w") as package:
        package.writestr("META-INF/manifest.xml", ole)
    assert formats.active_content(tmp_path / "b.ods") == [formats.EMBEDDED]


def test_an_older_workbooks_macros_are_found_by_their_storage(tmp_path):
    from pipeline import formats

    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500
    (tmp_path / "a.xls").write_bytes(ole + "_VBA_PROJECT_CUR".encode("utf-16-le"))
    (tmp_path / "b.xls").write_bytes(ole + "Workbook".encode("utf-16-le"))
    assert formats.active_content(tmp_path / "a.xls") == [formats.MACRO]
    assert formats.active_content(tmp_path / "b.xls") == []
    assert formats.active_content(RAW / DM) == []


def test_a_sheet_longer_than_a_communes_table_is_refused_before_it_is_checked(
    seed_raw_dir, tmp_path
):
    path = tmp_path / "dua_mon.xlsx"
    book = openpyxl.load_workbook(RAW / DM)
    for row in range(40, 1100):
        book["Chỉ tiêu"].cell(row, 2, "x")
    book.save(path)
    [checked] = check(
        seed_raw_dir, [Upload("muong_lam", "dua_mon.xlsx", path.read_bytes())], MEMBERS
    )
    assert (checked.state, checked.target) == (ERRORS, "")
    assert lines(checked) == [
        "dua_mon.xlsx › Chỉ tiêu: trang tính có 1.092 dòng có chữ, quá 500 dòng mà bảng của "
        "một xã có thể có: xoá các dòng thừa (kể cả dòng chỉ có dấu cách) rồi gửi lại"
    ]

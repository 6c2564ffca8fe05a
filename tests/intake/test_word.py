"""Importing a report's annex tables from Word: read as printed, codes suggested, and, once a
person has accepted the suggestions and typed what the tables do not hold, the same ratings,
tallies and baselines as the hand transcription in raw/."""

from __future__ import annotations

import contextlib
import io
import shutil
import time
import tracemalloc
import zipfile
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.intake.word import annex_tables
from pipeline.load import load_record
from pipeline.paths import RAW
from tests import builders
from tests.conftest import besides_the_seeds, cases, snapshot
from tests.intake import reports
from tests.test_record import BIEU_01, BIEU_02, BIEU_03

CAT = "danh_muc_chi_tieu.xlsx"


def printed(expected: list[tuple], result: bool) -> list[dict[str, str]]:
    """The transcription's rows as the table prints them, ratings in full words."""
    full = {"K đạt": "Không đạt"}
    if result:
        return [
            {
                "tt": r[0],
                "chi_tieu": r[1],
                "don_vi": "",
                "chi_tieu_nq": "",
                "ket_qua": "",
                "danh_gia": "",
                "ghi_chu_nhap": "",
            }
            if len(r) == 2
            else {
                "tt": r[0],
                "chi_tieu": r[1],
                "don_vi": r[2],
                "chi_tieu_nq": r[3],
                "ket_qua": r[5],
                "danh_gia": full.get(r[7], r[7]),
                "ghi_chu_nhap": "",
            }
            for r in expected
        ]
    return [
        {"tt": r[0], "chi_tieu": r[1], "don_vi": "", "muc_tieu": "", "ghi_chu": ""}
        if len(r) == 2
        else {"tt": r[0], "chi_tieu": r[1], "don_vi": r[2], "muc_tieu": r[3], "ghi_chu": r[5]}
        for r in expected
    ]


def test_the_three_tables_of_a_report_are_read_as_printed(tmp_path):
    found = annex_tables(docx.Document(str(reports.whole_report(tmp_path / "bao_cao.docx"))))
    assert [(t.kind, t.bieu, t.term, t.header) for t in found] == [
        ("Trước sắp xếp", "01", "2020-2025", "Chỉ tiêu NQ Đại hội XXIII"),
        ("Trước sắp xếp", "02", "2020-2025", "Chỉ tiêu NQ Đại hội XXIII"),
        ("Sau sắp xếp", "03", "2025-2030", "Mục tiêu đến 2030"),
    ]
    assert found[0].title == "BIỂU CÁC CHỈ TIÊU ĐẠI HỘI XÃ ĐỨA MÒN, NHIỆM KỲ 2020-2025"
    assert found[2].title == "BIỂU CÁC CHỈ TIÊU ĐẠI HỘI ĐẢNG BỘ XÃ MƯỜNG LẦM, NHIỆM KỲ 2025-2030"
    assert found[2].subtitle == (
        "(Kèm theo Báo cáo của Ban Chấp hành Đảng bộ xã khóa 1 tại Đại hội đại biểu Đảng bộ xã "
        "lần thứ I )"
    )
    assert found[0].rows == printed(BIEU_01, True)
    assert found[1].rows == printed(BIEU_02, True)
    assert found[2].rows == printed(BIEU_03, False)


def test_merged_item_numbers_make_sub_rows_and_a_split_table_runs_on(tmp_path):
    biểu_01 = annex_tables(docx.Document(str(reports.results_report(tmp_path / "a.docx", "01"))))
    item_19 = [
        r
        for r in biểu_01[0].rows
        if r["chi_tieu"].startswith(("Chỉ tiêu kết", "Chi bộ", "Tỷ lệ chi bộ"))
    ]
    assert [(r["tt"], r["danh_gia"]) for r in item_19] == [
        ("19", "Vượt"),
        ("", "Vượt"),
        ("", "Đạt"),
    ]
    biểu_03 = annex_tables(docx.Document(str(reports.targets_report(tmp_path / "b.docx"))))
    assert len(biểu_03) == 1  # the second table, its header repeated, continues the first
    assert biểu_03[0].rows == printed(BIEU_03, False)


# ---------------------------------------------------------------------------- end to end


def nhap(raw: Path, report: Path, code: str, name: str, *extra: str) -> int:
    return main(
        [
            "nhap-word",
            str(report),
            "--raw",
            str(raw),
            "--ma-xa",
            code,
            "--ten",
            name,
            "--tinh",
            "Sơn La",
            *extra,
        ]
    )


def hand(code: str, sheet: str) -> list[list]:
    return builders.grids(RAW / "son_la" / f"{code}.xlsx")[sheet]


def catalogue_names() -> dict[str, str]:
    """Each code of the seed's catalogue, by the name the drafts write for it."""
    rows = builders.grids(RAW / CAT)["Chỉ tiêu"]
    return {row[0]: row[1] for row in rows[1:]}


def accept(path: Path, sheet: str, code: str) -> list[str]:
    """What a person does with a draft: checks every suggested code (each is the one the hand
    transcription chose), settles each number the draft says reads two ways as the hand
    transcription did, types the figures of Thông tin from "Phần thứ nhất" and the prose, and
    deletes the suggestion columns. Returns the rows that were marked to decide."""
    book = openpyxl.load_workbook(path)
    table, info = book[sheet], book["Thông tin"]
    header = [c.value for c in table[1]]
    own = hand(code, sheet)
    own_header = own[0]
    names = catalogue_names()  # read once, not once a row
    marked = []
    for excel_row, (mine, theirs) in enumerate(
        zip(table.iter_rows(min_row=2), own[1:], strict=False), start=2
    ):
        values = dict(zip(header, [c.value for c in mine], strict=True))
        theirs = dict(zip(own_header, theirs, strict=True))
        assert values["Chỉ tiêu"] == theirs["Chỉ tiêu"]
        # the draft names the indicator the hand transcription coded, by its catalogue name
        wanted = names.get(theirs["Mã chỉ tiêu"], "")
        assert (values["Mã chỉ tiêu"] or "") == wanted, values["Chỉ tiêu"]
        if values["Cần người quyết định"]:
            marked.append(f"{values['Chỉ tiêu']}: {values['Cần người quyết định']}")
        if "Cách đọc số" in (values["Cần người quyết định"] or ""):
            table.cell(excel_row, header.index("Cách đọc số") + 1, theirs["Cách đọc số"])
    info_header = [c.value for c in info[1]]
    for name, value in zip(hand(code, "Thông tin")[0], hand(code, "Thông tin")[1], strict=True):
        if value and not info.cell(2, info_header.index(name) + 1).value:
            info.cell(2, info_header.index(name) + 1, value).data_type = "s"
    for name in ("Độ khớp (%)", "Chỉ tiêu gần thứ hai", "Cần người quyết định"):
        table.delete_cols(header.index(name) + 1)
        header.remove(name)
    book.save(path)
    return marked


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> tuple[Path, dict[str, list[str]], list[str]]:
    """Three reports imported and their drafts accepted, once for the module: raw/, the rows
    marked for a person to decide, the lines printed. A test that changes raw/ copies it."""
    tmp_path = tmp_path_factory.mktemp("imported")
    raw = tmp_path / "word" / "raw"
    raw.mkdir(parents=True)
    shutil.copy(RAW / CAT, raw / CAT)
    members = ["--xa-hop-thanh", "dua_mon, muong_lam_cu"]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert (
            nhap(raw, reports.results_report(tmp_path / "dua_mon.docx", "01"), "dua_mon", "Đứa Mòn")
            == 0
        )
        assert (
            nhap(
                raw,
                reports.whole_report(tmp_path / "bao_cao.docx"),
                "muong_lam_cu",
                "Mường Lầm",
                "--bieu",
                "02",
            )
            == 0
        )
        assert (
            nhap(
                raw,
                reports.targets_report(tmp_path / "muong_lam.docx"),
                "muong_lam",
                "Mường Lầm",
                *members,
            )
            == 0
        )
    printed_lines = printed.getvalue().splitlines()
    marked = {
        code: accept(raw / "son_la" / f"{code}.xlsx", sheet, code)
        for code, sheet in (
            ("dua_mon", "Chỉ tiêu"),
            ("muong_lam_cu", "Chỉ tiêu"),
            ("muong_lam", "Mục tiêu"),
        )
    }
    return raw, marked, printed_lines


def test_an_import_says_what_it_wrote_and_how_many_rows_to_decide(imported):
    _, _, lines = imported
    assert lines[0] == (
        "Đã nhập 32 dòng từ dua_mon.docx (tài liệu có 32 dòng: Biểu 01, bảng thứ 1) vào "
        'raw/son_la/dua_mon.xlsx; 3 dòng cần người quyết định (tô màu, cột "Cần người quyết '
        'định"). Điền Diện tích, Dân số ở sheet Thông tin, xem các dòng đó, rồi chạy '
        "`bieu annexes`."
    )


def test_the_rows_a_person_must_decide_are_marked_with_why(imported):
    _, marked, _ = imported
    why = "chỉ tiêu gợi ý chưa chắc"
    cells = '"Chi bộ có Ban chi ủy"'
    assert marked == {
        "dua_mon": [
            f'Phát triển đàn gia súc: {why} ("Tổng đàn gia súc" 78%, {cells} 42%)',
            f'Xây dựng nông thôn mới: {why} ("Số tiêu chí nông thôn mới đạt" 69%, {cells} 42%)',
            f'Chỉ tiêu kết nạp Đảng: {why} ("Kết nạp đảng viên mới" 76%, {cells} 44%)',
        ],
        "muong_lam_cu": [
            f'Phát triển đàn gia súc: {why} ("Tổng đàn gia súc" 78%, {cells} 42%); '
            '"5.436" có thể là 5.436 hoặc 5,436 (dấu chấm gõ theo kiểu khác): ghi Cách đọc số; '
            '"6.613" có thể là 6.613 hoặc 6,613 (dấu chấm gõ theo kiểu khác): ghi Cách đọc số',
            f'Giảm tỷ lệ hộ nghèo xuống dưới 12%: {why} ("Tỷ lệ hộ nghèo" 79%, "Mức giảm tỷ lệ '
            'hộ nghèo bình quân hằng năm" 63%)',
            f'Chỉ tiêu kết nạp Đảng: {why} ("Kết nạp đảng viên mới" 76%, {cells} 44%)',
        ],
        "muong_lam": [f'Xã đạt chuẩn nông thôn mới: {why} ("Số tiêu chí nông thôn mới đạt" 78%)'],
    }


def test_imported_and_accepted_tables_give_the_hand_transcriptions_ratings_tallies_baselines(
    imported, seed_output, tmp_path, capsys
):
    raw, _, _ = imported
    out = tmp_path / "tu_word"
    assert main(["annexes", "--raw", str(raw), "--output", str(out)]) == 0, capsys.readouterr().err
    folders = {"tu_word": out, "tu_raw": seed_output}

    def table(out: str, name: str) -> pd.DataFrame:
        return pd.read_csv(folders[out] / "muong_lam" / name, dtype=str, keep_default_na=False)

    ratings = [
        "xa",
        "bieu",
        "tt",
        "chi_tieu",
        "danh_gia_cong_bo",
        "danh_gia_tinh",
        "danh_gia_chot",
        "ty_le_dat",
        "ma_chi_tieu",
    ]
    assert table("tu_word", "chi_tieu.csv")[ratings].equals(
        table("tu_raw", "chi_tieu.csv")[ratings]
    )
    assert table("tu_word", "tong_hop.csv").equals(table("tu_raw", "tong_hop.csv"))
    baselines = [
        "tt",
        "chi_tieu",
        "muc_tieu_2030",
        "hien_trang_2025",
        "cach_gop",
        "ghi_chu_gop",
        "chenh_lech",
        "thay_doi_moi_nam",
        "muc_tieu_thap_hon_hien_trang",
    ]
    assert table("tu_word", "muc_tieu_2030.csv")[baselines].equals(
        table("tu_raw", "muc_tieu_2030.csv")[baselines]
    )
    tally = table("tu_word", "tong_hop.csv").set_index("xa")["cau_tong_hop_cong_bo"].to_dict()
    assert tally == {
        "Đứa Mòn": "20 chỉ tiêu: 07 vượt, 10 đạt, 03 không đạt",
        "Mường Lầm": "20 chỉ tiêu: 08 vượt, 11 đạt, 01 không đạt",
    }


def test_a_draft_whose_population_was_not_filled_is_refused_at_that_cell(
    imported, tmp_path, capsys
):
    """The import asks the officer to fill Diện tích and Dân số; a population left empty in an
    old commune whose new commune takes means by population is an error at that very cell,
    never a mean over the other commune."""
    raw = shutil.copytree(imported[0], tmp_path / "raw")
    path = raw / "son_la" / "dua_mon.xlsx"
    book = openpyxl.load_workbook(path)
    info = book["Thông tin"]
    column = [c.value for c in info[1]].index("Dân số (người)") + 1
    info.cell(2, column).value = None
    book.save(path)
    capsys.readouterr()
    out = tmp_path / "out"
    assert main(["annexes", "--raw", str(raw), "--output", str(out)]) == 2
    letter = openpyxl.utils.get_column_letter(column)
    assert besides_the_seeds(capsys.readouterr().err.splitlines())[0] == (
        f'raw/son_la/dua_mon.xlsx › Thông tin › {letter}2: ô trống: cần ghi "Dân số (người)"; '
        'xã mới "Mường Lầm" lấy bình quân theo dân số các xã hợp thành cho chỉ tiêu "Tỷ lệ lao '
        'động nông nghiệp" và 6 chỉ tiêu khác, nên cần dân số của từng xã'
    )
    assert not (out / "muong_lam").exists()


# ---------------------------------------------------------------------------- bad input


@pytest.fixture
def raw_with_catalogue(tmp_path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / CAT, raw / CAT)
    return raw


def no_table(path: Path) -> Path:
    doc = reports.document()
    doc.add_paragraph("Báo cáo không có phụ lục.")
    doc.add_table(rows=2, cols=2).cell(0, 0).text = "Nội dung"
    doc.save(path)
    return path


def missing_column(path: Path) -> Path:
    doc = reports.document()
    reports.heading(doc, "01")
    reports.table(
        doc,
        ["TT", "Chỉ tiêu", "Đơn vị tính", "Chỉ tiêu NQ", "Đánh giá"],
        [["1", "Thu", "%", "10", "Đạt"]],
    )
    doc.save(path)
    return path


BAD = [
    (
        "a file that is not a .docx",
        lambda p: (p / "bao_cao.pdf").write_bytes(b"%PDF-1.4") and p / "bao_cao.pdf",
        [],
        "bao_cao.pdf: không phải tệp Word .docx; mở tệp trong Word và lưu lại dạng .docx",
    ),
    (
        "a .docx that is not a Word document",
        lambda p: (p / "hong.docx").write_bytes(b"not a zip") and p / "hong.docx",
        [],
        "hong.docx: không đọc được tệp Word: tệp hỏng hoặc không phải .docx",
    ),
    (
        "a document with no annex table",
        lambda p: no_table(p / "khong_bang.docx"),
        [],
        'khong_bang.docx: không tìm thấy bảng chỉ tiêu nào (bảng có dòng tiêu đề với các cột "TT", '
        '"Chỉ tiêu", "Đơn vị tính", …)',
    ),
    (
        "a table with a missing column",
        lambda p: missing_column(p / "thieu_cot.docx"),
        [],
        'thieu_cot.docx: bảng thứ 1 (có cột TT, Chỉ tiêu) thiếu cột "Kết quả thực hiện": không '
        "phải bảng chỉ tiêu, bỏ qua\n"
        'thieu_cot.docx: không tìm thấy bảng chỉ tiêu nào (bảng có dòng tiêu đề với các cột "TT", '
        '"Chỉ tiêu", "Đơn vị tính", …)',
    ),
    (
        "a document with three tables and none chosen",
        lambda p: reports.whole_report(p / "bao_cao.docx"),
        [],
        "bao_cao.docx: tài liệu có 3 bảng chỉ tiêu (Biểu 01, Biểu 02, Biểu 03); chọn bảng của xã "
        "này bằng BIEU=… (make) hoặc --bieu … (bieu nhap-word)",
    ),
    (
        "a Biểu the document does not have",
        lambda p: reports.whole_report(p / "bao_cao.docx"),
        ["--bieu", "04"],
        'bao_cao.docx: không có "Biểu 04" trong tài liệu (có: Biểu 01, Biểu 02, Biểu 03)',
    ),
    (
        "a report that is not there",
        lambda p: p / "khong_co.docx",
        [],
        "{tmp}/khong_co.docx: không tìm thấy tệp",
    ),
    (
        "two results tables chosen for one commune",
        lambda p: reports.whole_report(p / "bao_cao.docx"),
        ["--bieu", "01", "--bieu", "02"],
        "bao_cao.docx: một xã nhận một biểu kết quả 2020-2025, một biểu mục tiêu 2025-2030, "
        "hoặc một biểu mỗi loại nếu xã giữ nguyên",
    ),
    (
        "a new commune's table with no members",
        lambda p: reports.targets_report(p / "muong_lam.docx"),
        [],
        "xã sau sắp xếp cần danh sách xã hợp thành: XA_HOP_THANH='ma1, ma2' (make) hoặc "
        "--xa-hop-thanh 'ma1=Tên 1, ma2=Tên 2'",
    ),
]


@pytest.mark.parametrize(
    ("make", "extra", "line"), cases([c[1:] for c in BAD], ids=[c[0] for c in BAD])
)
def test_bad_input_to_the_import_is_one_line_exit_2_nothing_written(
    raw_with_catalogue, tmp_path, capsys, make, extra, line
):
    before = snapshot(raw_with_catalogue)
    status = nhap(raw_with_catalogue, make(tmp_path), "dua_mon", "Đứa Mòn", *extra)
    captured = capsys.readouterr()
    line = line.replace("{tmp}", str(tmp_path))
    assert (status, captured.err.splitlines(), captured.out) == (2, line.splitlines(), "")
    assert snapshot(raw_with_catalogue) == before


def test_an_import_never_overwrites_a_workbook(raw_with_catalogue, tmp_path, capsys):
    report = reports.results_report(tmp_path / "dua_mon.docx", "01")
    target = raw_with_catalogue / "son_la" / "dua_mon.xlsx"
    target.parent.mkdir()
    target.write_bytes(b"the officer's own workbook")
    before = snapshot(raw_with_catalogue)
    status = nhap(raw_with_catalogue, report, "dua_mon", "Đứa Mòn")
    assert (status, capsys.readouterr().err) == (
        2,
        "raw/son_la/dua_mon.xlsx: tệp đã có, không ghi đè; thêm GHI_DE=1 (make) hoặc --ghi-de "
        "(bieu nhap-word) để thay tệp đó bằng bản nhập mới (hoặc đổi tên, xoá tệp cũ)\n",
    )
    assert snapshot(raw_with_catalogue) == before


def test_a_draft_row_shows_its_indicators_name_score_and_runner_up(
    raw_with_catalogue, tmp_path, capsys
):
    report = reports.results_report(tmp_path / "muong_lam_cu.docx", "02")
    assert nhap(raw_with_catalogue, report, "muong_lam_cu", "Mường Lầm") == 0
    path = raw_with_catalogue / "son_la" / "muong_lam_cu.xlsx"
    sheet = openpyxl.load_workbook(path, data_only=True)["Chỉ tiêu"]  # a formula's value
    header = [c.value for c in sheet[1]]
    first_item = dict(zip(header, [c.value for c in sheet[3]], strict=True))
    assert {k: first_item[k] for k in ("Mã chỉ tiêu", "Đơn vị trong danh mục", "Độ khớp (%)")} == {
        "Mã chỉ tiêu": "Thu ngân sách trên địa bàn 5 năm",
        "Đơn vị trong danh mục": "Tỷ đồng",
        "Độ khớp (%)": "100",
    }
    assert first_item["Chỉ tiêu gần thứ hai"] == "Thu ngân sách trên địa bàn (95%)"
    assert first_item["Cần người quyết định"] in (None, "")
    livestock = dict(zip(header, [c.value for c in sheet[7]], strict=True))
    assert livestock["Chỉ tiêu"] == "Phát triển đàn gia súc"
    assert sheet.cell(7, 1).fill.fgColor.rgb == "FFFCE4D6"  # the row to decide is coloured


def test_a_missing_catalogue_stops_the_import(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    report = reports.results_report(tmp_path / "dua_mon.docx", "01")
    assert nhap(raw, report, "dua_mon", "Đứa Mòn") == 2
    assert capsys.readouterr().err == (
        "raw/danh_muc_chi_tieu.xlsx: không tìm thấy tệp danh mục chỉ tiêu; chép danh mục mẫu "
        f"vào bằng `bieu khoi-tao --raw {raw}`\n"
    )
    assert list(raw.iterdir()) == []


# ---------------------------------------------------------------------------- unsafe files


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as source:
        return {info.filename: source.read(info) for info in source.infolist()}


def rezip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return path


def report_with(path: Path, change) -> Path:
    """A report (Biểu 01) whose zipped parts `change(parts)` alters."""
    reports.results_report(path, "01")
    parts = parts_of(path)
    change(parts)
    return rezip(path, parts)


def patched_headers(path: Path, offset_local: int, offset_central: int, value: bytes) -> Path:
    """Every part's local and central zip header with the bytes at these offsets replaced
    (the flags: 6 and 8; the compression method: 8 and 10)."""
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", offset_local), (b"PK\x01\x02", offset_central)):
        at = data.find(signature)
        while at >= 0:
            data[at + offset : at + offset + len(value)] = value
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    return path


def cut_off(parts):
    parts["word/document.xml"] = parts["word/document.xml"][:5000]


def laughs(parts):
    entities = '<!ENTITY a "ha">' + "".join(
        f'<!ENTITY {n} "{("&" + p + ";") * 10}">'
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    head, tail = parts["word/document.xml"].split(b"?>", 1)
    body = tail.replace(b"PH\xe1\xbb\xa4 L\xe1\xbb\xa4C", b"&i;")  # "PHỤ LỤC" laughs
    parts["word/document.xml"] = head + f"?><!DOCTYPE w:document [{entities}]>".encode() + body


def ole_protected(path: Path) -> Path:
    """What Word writes for a document saved with a password: an OLE compound file (D0 CF 11
    E0 …) holding an "EncryptedPackage" stream instead of the zip."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    directory = (
        "EncryptedInfo".encode("utf-16-le") + bytes(50) + "EncryptedPackage".encode("utf-16-le")
    )
    path.write_bytes(header + directory + bytes(4096))
    return path


UNSAFE = [
    (
        "a cut-off document.xml",
        lambda p: report_with(p / "cut.docx", cut_off),
        "cut.docx: không đọc tệp Word: tệp hỏng: phần word/document.xml "
        "không đọc được như Word ghi (mở tệp bằng Word rồi lưu lại)",
    ),
    (
        "a nested-entity DTD (billion laughs)",
        lambda p: report_with(p / "laughs.docx", laughs),
        "laughs.docx: không đọc tệp Word: tệp chứa nội dung XML không an toàn (thực thể, DTD): "
        "không đọc",
    ),
    (
        "parts zipped with a password",
        lambda p: patched_headers(reports.results_report(p / "zip.docx", "01"), 6, 8, b"\x01"),
        "zip.docx: không đọc tệp Word: tệp được bảo vệ bằng mật khẩu: mở tệp bằng Word, gỡ mật "
        "khẩu (Tệp › Thông tin › Mã hóa bằng mật khẩu, xóa mật khẩu) rồi lưu lại",
    ),
    (
        "a document saved with a password (OLE EncryptedPackage)",
        lambda p: ole_protected(p / "ole.docx"),
        "ole.docx: không đọc tệp Word: tệp được bảo vệ bằng mật khẩu: mở tệp bằng Word, gỡ mật "
        "khẩu (Tệp › Thông tin › Mã hóa bằng mật khẩu, xóa mật khẩu) rồi lưu lại",
    ),
    (
        "an unsupported compression method",
        lambda p: patched_headers(reports.results_report(p / "ppmd.docx", "01"), 8, 10, b"\x62"),
        "ppmd.docx: không đọc tệp Word: tệp hỏng: phần [Content_Types].xml (nén theo cách lạ) "
        "không đọc được như Word ghi (mở tệp bằng Word rồi lưu lại)",
    ),
]


@pytest.mark.parametrize(
    ("make", "line"), cases([c[1:] for c in UNSAFE], ids=[c[0] for c in UNSAFE])
)
def test_an_unsafe_or_broken_word_file_is_refused_with_why(
    raw_with_catalogue, tmp_path, capsys, make, line
):
    before = snapshot(raw_with_catalogue)
    status = nhap(raw_with_catalogue, make(tmp_path), "dua_mon", "Đứa Mòn")
    captured = capsys.readouterr()
    assert (status, captured.err.splitlines(), captured.out) == (2, [line], "")
    assert snapshot(raw_with_catalogue) == before


def test_a_word_bomb_is_refused_before_it_is_expanded(raw_with_catalogue, tmp_path, capsys):
    def pad(parts):
        head, tail = parts["word/document.xml"].split(b"?>", 1)
        parts["word/document.xml"] = head + b"?>" + b" " * (30 * 2**20) + tail

    report = report_with(tmp_path / "bom.docx", pad)
    assert report.stat().st_size < 100 * 2**10
    tracemalloc.start()
    start = time.perf_counter()
    status = nhap(raw_with_catalogue, report, "dua_mon", "Đứa Mòn")
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert (status, capsys.readouterr().err) == (
        2,
        "bom.docx: không đọc tệp Word: một phần của tệp (word/document.xml) khi giải nén nặng "
        "30 MB, quá 20 MB: tệp có thể bị hỏng hoặc cố ý làm phình\n",
    )
    assert seconds < 1 and peak < 50 * 2**20


def test_a_word_part_that_lies_about_its_size_is_cut_at_the_limit(
    raw_with_catalogue, tmp_path, capsys
):
    def pad(parts):
        head, tail = parts["word/document.xml"].split(b"?>", 1)
        parts["word/document.xml"] = head + b"?>" + b" " * (30 * 2**20) + tail

    report = report_with(tmp_path / "bom.docx", pad)
    data = bytearray(report.read_bytes())  # every part's declared size: 1 KB
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        while at >= 0:
            data[at + offset : at + offset + 4] = (1024).to_bytes(4, "little")
            at = data.find(signature, at + 4)
    report.write_bytes(bytes(data))
    status = nhap(raw_with_catalogue, report, "dua_mon", "Đứa Mòn")
    err = capsys.readouterr().err
    assert status == 2 and err.startswith("bom.docx: không đọc tệp Word: "), err


# ------------------------------------------------------------------- tables as offices make them

SPLITS = [
    ("no header repeated, nothing between", 19, None, False),
    ("no header repeated, a line between", 19, "Biểu 01 (tiếp theo)", False),
    ("the header repeated, a page number between", 19, "- 2 -", True),
    ("the header repeated, a line between, an item's sub-rows across", 29, "(tiếp theo)", True),
    ("split at a group", 6, None, True),
]


@pytest.mark.parametrize(
    ("at", "between", "repeat"), cases([s[1:] for s in SPLITS], ids=[s[0] for s in SPLITS])
)
def test_a_table_split_over_pages_is_joined_whatever_stands_between_its_parts(
    raw_with_catalogue, tmp_path, capsys, at, between, repeat
):
    report = reports.split_report(tmp_path / "tach.docx", at, between, repeat)
    found = annex_tables(docx.Document(str(report)))
    assert [(t.bieu, t.parts) for t in found] == [("01", [1, 2])]
    assert found[0].rows == printed(BIEU_01, True)
    assert nhap(raw_with_catalogue, report, "dua_mon", "Đứa Mòn") == 0
    assert capsys.readouterr().out.startswith(
        "Đã nhập 32 dòng từ tach.docx (tài liệu có 32 dòng: Biểu 01, bảng thứ 1, 2) vào "
        "raw/son_la/dua_mon.xlsx; 3 dòng cần người quyết định"
    )
    sheet = builders.grids(raw_with_catalogue / "son_la" / "dua_mon.xlsx")["Chỉ tiêu"]
    assert [row[1] for row in sheet[1:33]] == [row[1] for row in BIEU_01]


def test_a_part_that_cannot_be_joined_refuses_the_import_rather_than_a_shorter_draft(
    raw_with_catalogue, tmp_path, capsys
):
    report = reports.split_report(tmp_path / "tach.docx", 19, None, False, columns=5)
    before = snapshot(raw_with_catalogue)
    assert nhap(raw_with_catalogue, report, "dua_mon", "Đứa Mòn") == 2
    assert capsys.readouterr().err == (
        "tach.docx: Biểu 01 có 32 dòng trong tài liệu (bảng thứ 1, 2) nhưng chỉ đọc được 19 "
        "dòng: bảng thứ 2 nằm ngay sau mà không nối tiếp được bảng trước (khác số cột, độ rộng "
        "cột, hoặc số thứ tự không liền); sửa trong Word cho cùng cột, số thứ tự liền mạch rồi "
        "nhập lại\n"
    )
    assert snapshot(raw_with_catalogue) == before


ODD_HEADERS = [
    "STT",
    "Chỉ tiêu",
    "Đơn vị",
    "Chỉ tiêu Nghị quyết Đại hội XXIII",
    "Kết quả",
    "Đánh giá",
]


@pytest.mark.parametrize("chosen", [[], ["--bieu", "01"]], ids=["alone", "chosen"])
def test_headers_by_meaning_a_prose_table_skipped_with_a_note_and_notes_kept(
    raw_with_catalogue, tmp_path, capsys, chosen
):
    report = reports.odd_report(tmp_path / "lech.docx", ODD_HEADERS, {3: "ước"})
    assert nhap(raw_with_catalogue, report, "dua_mon", "Đứa Mòn", *chosen) == 0
    captured = capsys.readouterr()
    assert captured.err == (
        '[cảnh báo] lech.docx: bảng thứ 1 (có cột TT, Chỉ tiêu) thiếu cột "Đơn vị tính", '
        '"Chỉ tiêu NQ", "Đánh giá": không phải bảng chỉ tiêu, bỏ qua\n'
    )
    assert captured.out.startswith(
        "Đã nhập 32 dòng từ lech.docx (tài liệu có 32 dòng: Biểu 01, bảng thứ 2) vào "
    )
    sheet = builders.grids(raw_with_catalogue / "son_la" / "dua_mon.xlsx")["Chỉ tiêu"]
    header = sheet[0]
    rows = [dict(zip(header, row, strict=True)) for row in sheet[1:33]]
    assert "Chỉ tiêu Nghị quyết Đại hội XXIII" in header
    assert [(r["Chỉ tiêu"], r["Ghi chú nhập liệu"]) for r in rows if r["Ghi chú nhập liệu"]] == [
        ("Thu nhập bình quân đầu người/năm", "ước")
    ]
    assert [r["Kết quả thực hiện"] for r in rows] == [
        row[5] if len(row) > 2 else "" for row in BIEU_01
    ]
    missing = [
        p.line() for p in load_record(raw_with_catalogue).problems if "thiếu cột" in p.noi_dung
    ]
    assert missing == []


@pytest.mark.parametrize("where", ["cell", "text box"])
def test_a_table_in_another_tables_cell_or_in_a_text_box_is_found(tmp_path, where):
    found = annex_tables(docx.Document(str(reports.nested_report(tmp_path / "a.docx", where))))
    assert [(t.bieu, t.title) for t in found] == [
        ("01", "BIỂU CÁC CHỈ TIÊU ĐẠI HỘI XÃ ĐỨA MÒN, NHIỆM KỲ 2020-2025")
    ]
    assert found[0].rows == printed(BIEU_01, True)


def test_a_second_import_of_a_commune_replaces_its_draft_only_when_asked(
    raw_with_catalogue, tmp_path, capsys
):
    report = reports.results_report(tmp_path / "dua_mon.docx", "01")
    assert nhap(raw_with_catalogue, report, "dua_mon", "Đứa Mòn") == 0
    capsys.readouterr()
    before = snapshot(raw_with_catalogue)
    assert nhap(raw_with_catalogue, report, "dua_mon", "Đứa Mòn") == 2
    assert capsys.readouterr().err == (
        'mã xã "dua_mon" đã dùng ở raw/son_la/dua_mon.xlsx; chọn mã khác, hoặc thêm GHI_DE=1 '
        "(make) hoặc --ghi-de (bieu nhap-word) để thay tệp đó bằng bản nhập mới\n"
    )
    assert snapshot(raw_with_catalogue) == before
    split = reports.split_report(tmp_path / "dua_mon.docx", 19, None, False)
    assert nhap(raw_with_catalogue, split, "dua_mon", "Đứa Mòn", "--ghi-de") == 0
    assert capsys.readouterr().out.startswith(
        "Đã nhập 32 dòng từ dua_mon.docx (tài liệu có 32 dòng: Biểu 01, bảng thứ 1, 2) vào "
        "raw/son_la/dua_mon.xlsx, thay tệp cũ; 3 dòng cần người quyết định"
    )
    assert sorted(p.name for p in (raw_with_catalogue / "son_la").iterdir()) == ["dua_mon.xlsx"]
    assert len(builders.grids(raw_with_catalogue / "son_la" / "dua_mon.xlsx")["Chỉ tiêu"]) > 32


def test_a_code_used_by_another_file_is_never_replaced(raw_with_catalogue, tmp_path, capsys):
    report = reports.results_report(tmp_path / "dua_mon.docx", "01")
    assert nhap(raw_with_catalogue, report, "dua_mon", "Đứa Mòn") == 0
    capsys.readouterr()
    status = main(
        [
            "nhap-word",
            str(report),
            "--raw",
            str(raw_with_catalogue),
            "--ma-xa",
            "dua_mon",
            "--ten",
            "Đứa Mòn",
            "--tinh",
            "Điện Biên",
            "--ghi-de",
        ]
    )
    assert (status, capsys.readouterr().err) == (
        2,
        'mã xã "dua_mon" đã dùng ở raw/son_la/dua_mon.xlsx; chọn mã khác\n',
    )


def test_a_word_file_of_millions_of_tiny_elements_is_refused_before_it_is_parsed(
    raw_with_catalogue, tmp_path, capsys
):
    def crowd(parts):  # 19 MB, within the size limit, 3.3 million paragraphs: 0,5 GB parsed
        body = parts["word/document.xml"].index(b"<w:body>") + len(b"<w:body>")
        document = parts["word/document.xml"]
        parts["word/document.xml"] = document[:body] + b"<w:p/>" * 3_300_000 + document[body:]

    report = report_with(tmp_path / "dong.docx", crowd)
    assert report.stat().st_size < 100 * 2**10
    start = time.perf_counter()
    status = nhap(raw_with_catalogue, report, "dua_mon", "Đứa Mòn")
    assert time.perf_counter() - start < 1
    assert (status, capsys.readouterr().err) == (
        2,
        "dong.docx: không đọc tệp Word: một phần của tệp (word/document.xml) có hơn 500.000 phần "
        "tử XML: tệp có thể bị hỏng hoặc cố ý làm phình; nếu là báo cáo rất dài, chép riêng các "
        "bảng phụ lục sang một tệp Word mới\n",
    )

"""Opening raw workbooks safely: every cell seen as Excel shows it, absurd files refused before
they are expanded, only the sheets the pipeline uses read."""

from __future__ import annotations

import datetime as dt
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from pipeline import workbook
from pipeline.load import cell_text, cell_value, load_record

DM = "son_la/dua_mon.xlsx"


def rewrite(path: Path, special=None, extra_sheets=None) -> None:
    """Write the workbook again with XlsxWriter, every cell as text as before, and let
    `special(sheet_name, worksheet, formats)` write cells as Excel would (formulas with their
    cached values, formatted numbers); `extra_sheets(book)` adds sheets."""
    source = openpyxl.load_workbook(path)
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    formats = {"percent": book.add_format({"num_format": "0%"})}
    for ws in source.worksheets:
        out = book.add_worksheet(ws.title)
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    out.write_string(cell.row - 1, cell.column - 1, str(cell.value))
        if special:
            special(ws.title, out, formats)
    if extra_sheets:
        extra_sheets(book)
    book.close()


def run(run_cli, raw: Path):
    result = run_cli(raw)
    assert "Traceback" not in result.err
    return result


def test_an_excel_error_value_is_an_error_at_its_cell(seed_raw_dir, run_cli, output_dir):
    def special(name, ws, formats):
        if name == "Chỉ tiêu":
            ws.write_formula("E9", "=1/0", None, "#DIV/0!")

    rewrite(seed_raw_dir / DM, special)
    result = run(run_cli, seed_raw_dir)
    assert result.status == 2
    assert result.lines[0] == (
        "raw/son_la/dua_mon.xlsx › Chỉ tiêu › E9: ô có giá trị lỗi #DIV/0! của Excel (một công "
        "thức không tính được): gõ giá trị như đã in trong báo cáo; chữ bắt đầu bằng dấu = thì "
        "gõ thêm dấu nháy đơn ' ở đầu để Excel giữ nguyên là chữ"
    )


def test_a_note_typed_with_an_equals_sign_is_not_lost(seed_raw_dir, run_cli):
    def special(name, ws, formats):
        if name == "Chỉ tiêu":  # Excel turns "=xem lại" into a formula showing #NAME?
            ws.write_formula("I5", "=xem lại", None, "#NAME?")

    rewrite(seed_raw_dir / DM, special)
    result = run(run_cli, seed_raw_dir)
    assert result.status == 2
    assert result.lines[0].startswith(
        "raw/son_la/dua_mon.xlsx › Chỉ tiêu › I5: ô có giá trị lỗi #NAME? của Excel"
    )


def test_a_formula_never_calculated_is_an_error_at_its_cell(seed_raw_dir, run_cli):
    book = openpyxl.load_workbook(seed_raw_dir / DM)
    book["Chỉ tiêu"]["D5"] = "=10+3.5"  # openpyxl writes a formula without a value
    book.save(seed_raw_dir / DM)
    result = run(run_cli, seed_raw_dir)
    assert result.status == 2
    assert result.lines[0] == (
        "raw/son_la/dua_mon.xlsx › Chỉ tiêu › D5: ô chứa công thức chưa từng được tính (tệp "
        "không được lưu bằng Excel hay LibreOffice): mở tệp bằng Excel rồi lưu lại, hoặc gõ giá "
        "trị như đã in trong báo cáo"
    )


def test_a_number_formatted_as_a_percentage_is_read_as_excel_shows_it(seed_raw_dir):
    def special(name, ws, formats):
        if name == "Chỉ tiêu":
            ws.write_number("E9", 0.85, formats["percent"])  # shows 85%

    rewrite(seed_raw_dir / DM, special)
    rows = load_record(seed_raw_dir).rows
    assert rows.loc[(rows["_tep"] == f"raw/{DM}") & (rows["_dong"] == 9), "ket_qua"].item() == 85


def test_a_far_cell_in_a_sheet_the_pipeline_does_not_use_is_never_read(seed_raw_dir, run_cli):
    def far(book):
        book.add_worksheet("Nháp").write_string(1048575, 16383, "xa")

    rewrite(seed_raw_dir / DM, extra_sheets=far)
    assert run(run_cli, seed_raw_dir).status == 0


def test_a_far_cell_in_a_sheet_the_pipeline_reads_is_refused_at_that_cell(seed_raw_dir, run_cli):
    def special(name, ws, formats):
        if name == "Chỉ tiêu":
            ws.write_string(1048575, 16383, "xa")

    rewrite(seed_raw_dir / DM, special)
    result = run(run_cli, seed_raw_dir)
    assert result.status == 2
    assert result.lines[0] == (
        "raw/son_la/dua_mon.xlsx › Chỉ tiêu › XFD1048576: sheet có ô ở XFD1048576, ngoài vùng "
        "một biểu có thể có (5.000 dòng, 200 cột): xóa các hàng, cột thừa (kể cả ô chỉ có định "
        "dạng) rồi lưu lại"
    )


def inflate(path: Path, member: str, padding: int) -> None:
    """Pad one part of a workbook with white space: a few kilobytes compressed, many megabytes
    once expanded (a zip bomb)."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    head, tail = parts[member].split(b"?>", 1)
    parts[member] = head + b"?>" + b" " * padding + tail
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)


def test_a_zip_bomb_is_refused_before_it_is_expanded(seed_raw_dir, run_cli):
    inflate(seed_raw_dir / DM, "xl/worksheets/sheet2.xml", 300 * 2**20)
    assert (seed_raw_dir / DM).stat().st_size < 2 * 2**20
    start = time.perf_counter()
    result = run(run_cli, seed_raw_dir)
    assert time.perf_counter() - start < 10
    assert result.status == 2
    assert result.lines[0] == (
        "raw/son_la/dua_mon.xlsx › Chỉ tiêu: một phần của tệp (xl/worksheets/sheet2.xml) khi "
        "giải nén nặng 300 MB, quá 20 MB: tệp có thể bị hỏng hoặc cố ý làm phình"
    )


def test_a_sheet_that_lies_about_its_size_is_cut_at_the_limit(tmp_path):
    path = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("Thông tin").write_string(0, 0, "Mã xã")
    book.close()
    inflate(path, "xl/worksheets/sheet1.xml", 30 * 2**20)
    with zipfile.ZipFile(path) as z, pytest.raises(workbook.Refused, match="quá 20 MB"):
        workbook._read_part(z, "xl/worksheets/sheet1.xml")


@pytest.mark.parametrize(
    ("xml", "errors", "unvalued", "percent"),
    [
        (b'<c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v></c>', {(1, 1): "#DIV/0!"}, set(), set()),
        (b'<c r="C3"><f>A1+1</f></c>', {}, {(2, 2)}, set()),
        (b'<c r="C3"><f>A1+1</f><v>2</v></c>', {}, set(), set()),
        (b'<c r="D4" s="1"><v>0.85</v></c>', {}, set(), {(3, 3)}),
        (b'<c r="D4" s="0"><v>0.85</v></c>', {}, set(), set()),
    ],
)
def test_special_cells_are_found_in_the_sheets_xml(xml, errors, unvalued, percent):
    data = b"<worksheet><sheetData><row r='1'>" + xml + b"</row></sheetData></worksheet>"
    special = workbook.scan_sheet(data, "S", {1})
    assert (special.errors, special.unvalued, special.percent) == (errors, unvalued, percent)


@pytest.mark.parametrize(
    ("xml", "far"),
    [
        (b"<row r='1'><c r='XFD1048576' t='s'><v>0</v></c></row>", "XFD1048576"),
        (b'<row r="1"><c r="xfd1048576"><v>1</v></c></row>', "XFD1048576"),
        (b'<row r = "1"><c r = "XFD1"><v>1</v></c></row>', "XFD1"),
        (b"<row><c/></row>" * 5001, "A5001"),  # rows and cells without their places
        (b'<row r="1">' + b"<c/>" * 300 + b"</row>", "GS1"),  # the 201st column
    ],
)
def test_a_far_cell_is_found_however_the_xml_writes_its_place(xml, far):
    data = b"<worksheet><sheetData>" + xml + b"</sheetData></worksheet>"
    with pytest.raises(workbook.Refused) as refused:
        workbook.scan_sheet(data, "S", set())
    assert refused.value.cell == far


def test_an_error_value_is_found_however_its_attributes_are_quoted():
    data = b"<sheetData><row r='2'><c r='B2' t='e'><v>#DIV/0!</v></c></row></sheetData>"
    assert workbook.scan_sheet(data, "S", set()).errors == {(1, 1): "#DIV/0!"}


def test_a_workbook_whose_parts_are_not_as_excel_writes_them_is_refused(seed_raw_dir, run_cli):
    path = seed_raw_dir / DM
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts["xl/workbook.xml"] += b"<junk/>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    result = run(run_cli, seed_raw_dir)
    assert result.status == 2
    assert result.lines[0] == (
        "raw/son_la/dua_mon.xlsx: không đọc tệp: tệp hỏng: một phần của tệp không đọc được như "
        "Excel ghi (mở tệp bằng Excel rồi lưu lại)"
    )


def ods_with(seed_raw_dir: Path, old: bytes, new: bytes) -> None:
    """The seed's Đứa Mòn as an .ods file (LibreOffice), with one cell of Chỉ tiêu changed."""
    (seed_raw_dir / DM).unlink()
    target = seed_raw_dir / "son_la" / "dua_mon.ods"
    with zipfile.ZipFile(Path(__file__).parent / "fixtures" / "dua_mon.ods") as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    assert old in parts["content.xml"]
    parts["content.xml"] = parts["content.xml"].replace(old, new, 1)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)


RESULT_122_7 = (
    b'<table:table-cell office:value-type="string" calcext:value-type="string">'
    b"<text:p>122,7</text:p></table:table-cell>"
)


def test_an_ods_error_value_is_an_error_at_its_cell(seed_raw_dir, run_cli):
    ods_with(
        seed_raw_dir,
        RESULT_122_7,
        b'<table:table-cell table:formula="of:=1/0" office:value-type="string" '
        b'office:string-value="" calcext:value-type="error"><text:p>#DIV/0!</text:p>'
        b"</table:table-cell>",
    )
    result = run(run_cli, seed_raw_dir)
    assert result.status == 2
    assert result.lines[0].startswith(
        "raw/son_la/dua_mon.ods › Chỉ tiêu › E3: ô có giá trị lỗi #DIV/0! của Excel"
    )


def test_an_ods_percentage_is_read_as_shown(seed_raw_dir):
    ods_with(
        seed_raw_dir,
        RESULT_122_7,
        b'<table:table-cell office:value-type="percentage" office:value="1.227" '
        b'calcext:value-type="percentage"><text:p>122,7%</text:p></table:table-cell>',
    )
    rows = load_record(seed_raw_dir).rows
    result = rows.loc[(rows["_tep"] == "raw/son_la/dua_mon.ods") & (rows["_dong"] == 3), "ket_qua"]
    assert result.item() == 122.7


def with_parts(path: Path, change) -> None:
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    change(parts)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)


def test_a_workbook_with_a_dtd_is_refused_as_unsafe_not_as_broken(seed_raw_dir, run_cli):
    def dtd(parts):
        head, tail = parts["xl/workbook.xml"].split(b"?>", 1)
        parts["xl/workbook.xml"] = head + b'?><!DOCTYPE x [<!ENTITY a "ha">]>' + tail

    with_parts(seed_raw_dir / DM, dtd)
    result = run(run_cli, seed_raw_dir)
    assert result.status == 2
    assert result.lines[0] == (
        "raw/son_la/dua_mon.xlsx: không đọc tệp: tệp chứa nội dung XML không an toàn (thực thể, "
        "DTD): không đọc"
    )


PROTECTED = (
    "raw/son_la/dua_mon.xlsx: không đọc tệp: tệp được bảo vệ bằng mật khẩu: mở tệp bằng Excel, "
    "gỡ mật khẩu (Tệp › Thông tin › Mã hóa bằng mật khẩu, xóa mật khẩu) rồi lưu lại"
)


def test_a_workbook_saved_with_a_password_is_named_as_protected(seed_raw_dir, run_cli):
    # what Excel writes then: an OLE compound file (D0 CF 11 E0 …) with an EncryptedPackage
    (seed_raw_dir / DM).write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(504)
        + "EncryptedPackage".encode("utf-16-le")
        + bytes(4096)
    )
    result = run(run_cli, seed_raw_dir)
    assert (result.status, result.lines[0]) == (2, PROTECTED)


def test_a_workbook_whose_parts_are_zipped_with_a_password_is_named_as_protected(
    seed_raw_dir, run_cli
):
    data = bytearray((seed_raw_dir / DM).read_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # the encryption flag
        at = data.find(signature)
        while at >= 0:
            data[at + offset] |= 1
            at = data.find(signature, at + 4)
    (seed_raw_dir / DM).write_bytes(bytes(data))
    result = run(run_cli, seed_raw_dir)
    assert (result.status, result.lines[0]) == (2, PROTECTED)


def test_a_fault_of_the_scanner_is_not_called_a_broken_file(seed_raw_dir, monkeypatch):
    def fault(*args):
        raise ValueError("a fault of ours")

    monkeypatch.setattr(workbook, "scan_sheet", fault)
    with pytest.raises(ValueError, match="a fault of ours"):
        load_record(seed_raw_dir)


def test_a_fault_after_the_reader_is_not_called_a_broken_file(seed_raw_dir, monkeypatch):
    def fault(*args):
        raise TypeError("a fault of ours")

    monkeypatch.setattr(workbook, "as_shown", fault)
    with pytest.raises(TypeError, match="a fault of ours"):
        load_record(seed_raw_dir)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (True, "TRUE"),
        (False, "FALSE"),
        (dt.timedelta(days=1, hours=6), "30:00:00"),
        (dt.timedelta(minutes=90, seconds=5), "1:30:05"),
    ],
)
def test_a_logical_value_or_a_duration_is_shown_as_excel_shows_it(value, shown):
    assert (cell_text(value), cell_value(value)) == (shown, shown)


def test_a_logical_value_in_a_result_is_named_as_excel_shows_it(seed_raw_dir, run_cli):
    def special(name, ws, formats):
        if name == "Chỉ tiêu":
            ws.write_boolean("E9", True)

    rewrite(seed_raw_dir / DM, special)
    result = run(run_cli, seed_raw_dir)
    assert result.status == 2
    assert [line for line in result.lines if "E9" in line] == [
        'raw/son_la/dua_mon.xlsx › Chỉ tiêu › E9: "TRUE" không phải là số'
    ]


def test_headers_are_matched_by_meaning_as_the_word_import_matches_them(seed_raw_dir):
    before = load_record(seed_raw_dir).rows
    book = openpyxl.load_workbook(seed_raw_dir / DM)
    sheet = book["Chỉ tiêu"]
    printed = {"TT": "STT", "Đơn vị tính": "ĐVT", "Kết quả thực hiện": "Kết quả"}
    for cell in sheet[1]:
        if cell.value in printed:
            cell.value = printed[cell.value]
        elif str(cell.value).startswith("Chỉ tiêu NQ"):
            cell.value = str(cell.value).replace("Chỉ tiêu NQ", "Chỉ tiêu Nghị quyết")
    book.save(seed_raw_dir / DM)
    record = load_record(seed_raw_dir)
    assert [p.line() for p in record.problems] == []
    assert record.rows.equals(before)

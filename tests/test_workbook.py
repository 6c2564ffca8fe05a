"""Opening raw workbooks safely: every cell seen as Excel shows it, absurd files refused before
they are expanded, only the sheets the pipeline uses read."""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from pipeline import workbook
from pipeline.load import cell_text, cell_value, load_record, tidy_sheet
from schemas.tables import YEARLY_SHEET
from tests.conftest import snapshot, unmarked

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
    """Pad one part of a workbook with white space: a megabyte at most compressed, many
    megabytes once expanded (a zip bomb)."""
    path.write_bytes(_inflated(path.read_bytes(), member, padding))


@functools.cache
def _inflated(book: bytes, member: str, padding: int) -> bytes:
    """The bomb made once per process (two test files make the same one), its padding
    compressed at the fastest level, as every part of it (a third of a second for 300 MB, against
    a second) and written a megabyte at a time (never 300 MB in memory, copied twice: another
    second)."""
    with zipfile.ZipFile(io.BytesIO(book)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    made = io.BytesIO()
    with zipfile.ZipFile(made, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for name, data in parts.items():
            if name != member:
                out.writestr(name, data)
                continue
            head, tail = data.split(b"?>", 1)
            with out.open(name, "w") as part:
                part.write(head + b"?>")
                chunk = b" " * 2**20
                for start in range(0, padding, len(chunk)):
                    part.write(chunk[: padding - start])
                part.write(tail)
    return made.getvalue()


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
        workbook.read_zip_part(z, "xl/worksheets/sheet1.xml")


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


def test_special_cells_are_found_among_a_blank_forms_formatted_cells():
    """Every place written out, as a blank form (`bieu mau`) has it once filled: hundreds of
    cells only formatted, which the scan passes over, and among them an error with no body."""
    rows = []
    for row, special in enumerate(
        [b'<c r="F1" t="e"/>', b'<c r="F2" s="1"><v>0.5</v></c>', b'<c r="F3"><f>A1</f></c>'],
        start=1,
    ):
        blanks = b"".join(b'<c r="%s%d" s="1"/>' % (c, row) for c in (b"A", b"B", b"C", b"D"))
        rows.append(b'<row r="%d">' % row + blanks + b'<c r="E%d" t="s"><v>0</v></c>' % row)
        rows[-1] += special + b"</row>"
    data = b"<worksheet><sheetData>" + b"".join(rows) + b"</sheetData></worksheet>"
    special = workbook.scan_sheet(data, "S", {1})
    assert special.errors == {(0, 5): "#N/A"}
    assert (special.percent, special.unvalued) == ({(1, 5)}, {(2, 5)})


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


# ------------------------------------------------------------- what a person sees is what is read

SEEN = "bỏ ẩn để thấy số liệu đang dùng, hoặc xóa nếu đó là số liệu cũ không dùng nữa"


def results(raw: Path, tep: str = f"raw/{DM}") -> dict[int, object]:
    rows = load_record(raw).rows
    return rows[rows["_tep"] == tep].set_index("_dong")["ket_qua"].to_dict()


def test_a_hidden_stale_column_with_the_same_header_is_refused_naming_both(
    seed_raw_dir, run_cli, output_dir
):
    book = openpyxl.load_workbook(seed_raw_dir / DM)
    sheet = book["Chỉ tiêu"]
    sheet.insert_cols(5)  # a stale "Kết quả thực hiện" kept in E, hidden; the real one in F
    for row in range(1, sheet.max_row + 1):
        sheet.cell(row, 5).value = sheet.cell(row, 6).value
    sheet["E3"] = "999"
    sheet.column_dimensions["E"].hidden = True
    book.save(seed_raw_dir / DM)
    before = snapshot(output_dir)
    result = run(run_cli, seed_raw_dir)
    assert result.status == 2
    assert result.lines[0] == (
        'raw/son_la/dua_mon.xlsx › Chỉ tiêu › E1: cột "Kết quả thực hiện" có ở 2 ô tiêu đề: E1 '
        "và F1 (cột E đang ẩn): không rõ cột nào là số liệu đúng; xóa cột thừa hoặc sửa tiêu "
        "đề của nó"
    )
    assert unmarked(snapshot(output_dir)) == unmarked(before)


def test_hidden_rows_and_a_hidden_column_are_read_with_a_warning_each(seed_raw_dir, run_cli):
    book = openpyxl.load_workbook(seed_raw_dir / DM)
    sheet = book["Chỉ tiêu"]
    sheet.column_dimensions["G"].hidden = True  # an office hides the codes
    sheet.column_dimensions["L"].hidden = True  # an empty column hidden: nothing to say
    for row in (5, 6, 9):
        sheet.row_dimensions[row].hidden = True
    book.save(seed_raw_dir / DM)
    result = run(run_cli, seed_raw_dir)
    assert result.status == 0
    assert [line for line in result.lines if "đang ẩn" in line] == [
        f"[cảnh báo] raw/son_la/dua_mon.xlsx › Chỉ tiêu › hàng 5-6: hàng đang ẩn nhưng vẫn được "
        f"đọc: {SEEN}",
        f"[cảnh báo] raw/son_la/dua_mon.xlsx › Chỉ tiêu › hàng 9: hàng đang ẩn nhưng vẫn được "
        f"đọc: {SEEN}",
        f'[cảnh báo] raw/son_la/dua_mon.xlsx › Chỉ tiêu › G1: cột G ("Mã chỉ tiêu") đang ẩn '
        f"nhưng vẫn được đọc: {SEEN}",
    ]


def test_what_is_hidden_is_still_read(seed_raw_dir):
    shown = results(seed_raw_dir)
    book = openpyxl.load_workbook(seed_raw_dir / DM)
    for row in (3, 4):
        book["Chỉ tiêu"].row_dimensions[row].hidden = True
    book["Chỉ tiêu"].column_dimensions["E"].hidden = True
    book.save(seed_raw_dir / DM)
    assert results(seed_raw_dir) == shown


def test_a_hidden_sheet_with_a_visible_copy_is_refused_naming_both(
    seed_raw_dir, run_cli, output_dir
):
    book = openpyxl.load_workbook(seed_raw_dir / DM)
    stale = book["Chỉ tiêu"]
    copy = book.copy_worksheet(stale)
    copy.title = "Chỉ tiêu (2)"
    copy["E3"] = "130"
    stale.sheet_state = "hidden"
    book.active = 0
    book.save(seed_raw_dir / DM)
    before = snapshot(output_dir)
    result = run(run_cli, seed_raw_dir)
    assert result.status == 2
    assert result.lines[0] == (
        'raw/son_la/dua_mon.xlsx › Chỉ tiêu: sheet đang ẩn, còn sheet "Chỉ tiêu (2)" đang hiện '
        "có cùng dòng tiêu đề: không rõ sheet nào là số liệu đúng; xóa sheet thừa rồi đặt tên "
        'sheet đúng là "Chỉ tiêu" (bỏ ẩn nếu giữ sheet này)'
    )
    assert unmarked(snapshot(output_dir)) == unmarked(before)


def test_a_visible_sheet_of_another_table_is_no_copy(seed_raw_dir, run_cli):
    book = openpyxl.load_workbook(seed_raw_dir / DM)
    book["Chỉ tiêu"].sheet_state = "veryHidden"
    notes = book.create_sheet("Ghi chép")  # an office's own sheet, headed TT and Chỉ tiêu too
    notes.append(["TT", "Chỉ tiêu", "Ghi chú"])
    book.active = 0
    book.save(seed_raw_dir / DM)
    result = run(run_cli, seed_raw_dir)
    assert result.status == 0
    assert [line for line in result.lines if "đang ẩn" in line] == [
        "[cảnh báo] raw/son_la/dua_mon.xlsx › Chỉ tiêu: sheet đang ẩn nhưng vẫn được đọc: bỏ ẩn "
        "sheet (chuột phải vào tên một sheet › Bỏ ẩn) để thấy số liệu đang dùng"
    ]


def test_a_visible_copy_of_a_hidden_sheet_is_found_by_its_header_whatever_its_name(seed_raw_dir):
    book = openpyxl.load_workbook(seed_raw_dir / DM)
    book.copy_worksheet(book["Chỉ tiêu"]).title = "Bản sửa ngày 5"
    book["Chỉ tiêu"].sheet_state = "hidden"
    book.active = 0
    book.save(seed_raw_dir / DM)
    problems = [p.line() for p in load_record(seed_raw_dir).problems]
    assert problems == [
        'raw/son_la/dua_mon.xlsx › Chỉ tiêu: sheet đang ẩn, còn sheet "Bản sửa ngày 5" đang '
        "hiện có cùng dòng tiêu đề: không rõ sheet nào là số liệu đúng; xóa sheet thừa rồi đặt "
        'tên sheet đúng là "Chỉ tiêu" (bỏ ẩn nếu giữ sheet này)'
    ]


@pytest.mark.parametrize(
    ("xml", "rows", "columns"),
    [
        (b'<cols><col min="2" max="3" hidden="1"/></cols><row r="4" hidden="1"/>', {3}, {1, 2}),
        (b"<cols><col min='1' max='16384' hidden='true'/></cols>", set(), set(range(200))),
        (b'<row hidden="1"><c/></row><row><c/></row><row hidden="1"/>', {0, 2}, set()),
        (b'<x:row r="7" hidden="1"/><x:col min="5" max="5" width="3"/>', {6}, set()),
        (b'<row r="2" hidden="0"/><rowBreaks count="1"/>', set(), set()),
        (b'<row r="3" ht="0" customHeight="1"/><col min="2" max="2" width="0.0"/>', {2}, {1}),
        (b'<row r="3" ht=""/><row r="4" ht="0.5"/><col min="1" max="1" width="8"/>', set(), set()),
    ],
)
def test_hidden_rows_and_columns_are_found_in_the_sheets_xml(xml, rows, columns):
    special = workbook.scan_sheet(b"<worksheet>" + xml + b"</worksheet>", "x", set())
    assert (special.hidden_rows, special.hidden_columns) == (rows, columns)


def test_hidden_ods_rows_and_columns_are_found_in_the_tables_xml():
    table = (
        b'<table:table-column table:number-columns-repeated="2"/>'
        b'<table:table-column table:visibility="collapse" table:number-columns-repeated="2"/>'
        b"<table:table-column-group><table:table-column/></table:table-column-group>"
        b'<table:table-row-group><table:table-row table:number-rows-repeated="2">'
        b"<table:table-cell/></table:table-row>"
        b'<table:table-row table:visibility="filter"><table:table-cell '
        b'office:value-type="float" calcext:value-type="error"><text:p>#N/A</text:p>'
        b"</table:table-cell></table:table-row></table:table-row-group>"
    )
    special = workbook._scan_ods_table(table, "x")
    assert (special.hidden_rows, special.hidden_columns) == ({2}, {2, 3})
    assert special.errors == {(2, 0): "#N/A"}  # a group of rows is not a row


def test_an_ods_hidden_row_and_sheet_are_read_with_a_warning(seed_raw_dir, run_cli):
    ods_with(seed_raw_dir, b"", b"")
    target = seed_raw_dir / "son_la" / "dua_mon.ods"
    with zipfile.ZipFile(target) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    content = parts["content.xml"]
    start = content.index('table:name="Chỉ tiêu"'.encode())
    row = content.rindex(b"<table:table-row ", start, content.index(RESULT_122_7))
    content = content[:row] + b'<table:table-row table:visibility="collapse" ' + content[row + 17 :]
    style = re.search(rb'table:name="[^"]*" table:style-name="(\w+)"', content[start:])
    parts["content.xml"] = re.sub(
        rb'(style:name="' + style[1] + rb'" style:family="table"[^>]*><style:table-properties '
        rb'table:display=")true',
        rb"\1false",
        content,
    )
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    result = run(run_cli, seed_raw_dir)
    assert result.status == 0
    assert [line for line in result.lines if "đang ẩn" in line] == [
        "[cảnh báo] raw/son_la/dua_mon.ods › Chỉ tiêu: sheet đang ẩn nhưng vẫn được đọc: bỏ ẩn "
        "sheet (chuột phải vào tên một sheet › Bỏ ẩn) để thấy số liệu đang dùng",
        f"[cảnh báo] raw/son_la/dua_mon.ods › Chỉ tiêu › hàng 3: hàng đang ẩn nhưng vẫn được "
        f"đọc: {SEEN}",
    ]
    assert results(seed_raw_dir, "raw/son_la/dua_mon.ods")[3] == "122,7"


YEARLY = [
    ["TT", "Chỉ tiêu", "Mã chỉ tiêu", "2026", "2027", "Năm 2026"],
    ["1", "Thu ngân sách", "thu_ngan_sach", "10", "", "9"],
    ["2", "Tỷ lệ hộ nghèo", "ho_ngheo", "", "", ""],
]


def test_a_year_in_two_columns_says_which_is_hidden():
    hidden = workbook.Hidden(columns=frozenset({5}))
    tidy = tidy_sheet(YEARLY, YEARLY_SHEET, "x.xlsx", "Kết quả hằng năm", {}, hidden)
    assert tidy.rows is None
    assert [p.line() for p in tidy.problems] == [
        "x.xlsx › Kết quả hằng năm › F1: năm 2026 đã có ở cột D (cột F đang ẩn): mỗi năm một cột"
    ]


def test_a_hidden_year_column_is_read_with_a_warning_and_an_empty_one_without():
    grid = [row[:5] for row in YEARLY]
    hidden = workbook.Hidden(rows=frozenset({2}), columns=frozenset({3, 4}))
    tidy = tidy_sheet(grid, YEARLY_SHEET, "x.xlsx", "Kết quả hằng năm", {}, hidden)
    assert [p.line() for p in tidy.problems] == [
        f"[cảnh báo] x.xlsx › Kết quả hằng năm › hàng 3: hàng đang ẩn nhưng vẫn được đọc: {SEEN}",
        f'[cảnh báo] x.xlsx › Kết quả hằng năm › D1: cột D ("2026") đang ẩn nhưng vẫn được đọc: '
        f"{SEEN}",
    ]
    assert [row[-5:-3] for row in tidy.rows] == [[2026, "10"], [2027, ""], [2026, ""], [2027, ""]]


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

"""Ready-to-fill workbooks (`bieu mau`): the sheets and headers the pipeline reads, nothing of
another commune, text cells, drop-down lists, printable; filled with the seed's values, they
give the seed's own outputs."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import openpyxl.utils
import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.paths import RAW, ROOT
from schemas.commune import INFO_SHEET
from schemas.tables import CONGRESS_HELP, RESULT_SHEET, YEARLY_SHEET
from tests import builders
from tests.conftest import snapshot

CAT = "danh_muc_chi_tieu.xlsx"


def mau(raw: Path, code: str, name: str, kind: str, *extra: str) -> int:
    args = ["mau", "--raw", str(raw), "--ma-xa", code, "--ten", name, "--tinh", "Sơn La"]
    return main([*args, "--loai", kind, *extra])


@pytest.fixture
def raw(tmp_path) -> Path:
    """A raw folder holding only the catalogue."""
    folder = tmp_path / "mau" / "raw"
    folder.mkdir(parents=True)
    shutil.copy(RAW / CAT, folder / CAT)
    return folder


def headers(sheet) -> list[str]:
    """A sheet's header row (a form opened once per test: its 500 formatted rows take long)."""
    return [c.value for c in sheet[1] if c.value]


def test_an_old_communes_workbook_has_the_sheets_and_headers_the_pipeline_reads(raw, capsys):
    assert mau(raw, "an", "An", "truoc", "--bieu-so", "01") == 0
    path = raw / "son_la" / "an.xlsx"
    assert capsys.readouterr().out == (
        "Đã tạo raw/son_la/an.xlsx: điền theo sheet Hướng dẫn trong tệp, rồi chạy `bieu annexes`.\n"
    )
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Hướng dẫn", "Thông tin", "Chỉ tiêu", "Danh mục"]
    assert headers(book["Thông tin"]) == [c.header for c in INFO_SHEET.columns.values()]
    results = [c.header for c in RESULT_SHEET.columns.values()]
    # the printed header goes on with the congress, which the form cannot know: it says so,
    # highlighted, and when the cell is selected
    results[3] = "Chỉ tiêu NQ Đại hội …"
    assert headers(book["Chỉ tiêu"]) == [*results[:7], "Đơn vị trong danh mục", *results[7:]]
    table = book["Chỉ tiêu"]
    assert [table[c].fill.fgColor.rgb for c in ("C1", "D1")] == ["FFDDEBF7", "FFFCE4D6"]
    asked = [v for v in table.data_validations.dataValidation if str(v.sqref) == "D1"]
    assert [(v.promptTitle, v.prompt) for v in asked] == [("Tiêu đề cột", CONGRESS_HELP)]
    # only what was given is filled in: nothing of another commune
    info = [c.value or None for c in book["Thông tin"][2]]
    title = "BIỂU CÁC CHỈ TIÊU ĐẠI HỘI XÃ AN, NHIỆM KỲ 2020-2025"
    given = ["an", "Sơn La", "An", "Trước sắp xếp", "01", "2020-2025", title]
    assert info == [*given, *[None] * (len(INFO_SHEET.columns) - len(given))]
    table = book["Chỉ tiêu"]
    assert all(c.value in (None, "") for row in table.iter_rows(min_row=2) for c in row[:7])


def test_a_new_communes_targets_come_from_the_catalogue_and_its_members_from_raw(raw):
    assert mau(raw, "an", "An", "truoc", "--bieu-so", "01") == 0
    assert mau(raw, "tan_an", "Tân An", "Sau sắp xếp", "--xa-hop-thanh", "an, binh=Bình") == 0
    path = raw / "son_la" / "tan_an.xlsx"
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [
        "Hướng dẫn",
        "Thông tin",
        "Mục tiêu",
        "Kết quả hằng năm",
        "Xã hợp thành",
        "Danh mục",
    ]
    assert headers(book["Mục tiêu"])[:4] == ["TT", "Chỉ tiêu", "Đơn vị tính", "Mục tiêu đến 2030"]
    info = [c.value for c in book["Thông tin"][2]][:6]
    assert info == ["tan_an", "Sơn La", "Tân An", "Sau sắp xếp", "03", "2025-2030"]
    assert [[c.value for c in r] for r in book["Xã hợp thành"].iter_rows(min_row=2, max_row=3)] == [
        ["an", "An"],
        ["binh", "Bình"],
    ]
    rows = [[c.value or None for c in r[:6]] for r in book["Mục tiêu"].iter_rows(min_row=2)]
    rows = [r for r in rows if r[0]]
    groups = [r[:2] for r in rows if r[0] in ("I", "II", "III")]
    assert groups == [
        ["I", "Chỉ tiêu về kinh tế"],
        ["II", "Chỉ tiêu về xã hội, môi trường"],
        ["III", "Chỉ tiêu về xây dựng Đảng và hệ thống chính trị"],
    ]
    assert len(rows) == 3 + 35
    # the indicator by its catalogue name, never its code
    name = "Thu ngân sách trên địa bàn"
    assert rows[1] == ["1", name, "Tỷ đồng", None, None, name]


def test_a_kept_commune_is_one_workbook_with_both_tables_and_two_rows_of_facts(raw):
    assert mau(raw, "dong", "Đông", "giu", "--bieu-so", "01") == 0
    book = openpyxl.load_workbook(raw / "son_la" / "dong.xlsx")
    assert book.sheetnames == [
        "Hướng dẫn",
        "Thông tin",
        "Chỉ tiêu",
        "Mục tiêu",
        "Kết quả hằng năm",
        "Danh mục",
    ]
    info = [[c.value for c in row[:6]] for row in book["Thông tin"].iter_rows(min_row=2, max_row=3)]
    assert info == [
        ["dong", "Sơn La", "Đông", "Trước sắp xếp", "01", "2020-2025"],
        ["dong", "Sơn La", "Đông", "Sau sắp xếp", "02", "2025-2030"],
    ]


def test_every_cell_is_text_with_drop_down_lists_a_frozen_header_and_a_printed_page(raw):
    assert mau(raw, "an", "An", "truoc") == 0
    sheet = openpyxl.load_workbook(raw / "son_la" / "an.xlsx")["Chỉ tiêu"]
    assert {sheet.cell(r, c).number_format for r in range(2, 30) for c in (1, 4, 5, 7)} == {"@"}
    # every row a drop-down list or an input message covers is text, below the table too
    assert sheet.max_row == 501
    assert {c.number_format for row in sheet.iter_rows(min_row=42) for c in row} == {"@"}
    lists = {
        str(v.sqref): (v.formula1, v.errorStyle or "stop", v.promptTitle)
        for v in sheet.data_validations.dataValidation
        if v.type == "list"
    }
    assert lists == {
        "C2:C501": ("'Danh mục'!$A$63:$A$79", "warning", "Đơn vị tính"),
        "F2:F501": ('"Vượt,Đạt,Không đạt"', "warning", "Đánh giá"),
        "G2:G501": ("'Danh mục'!$A$2:$A$60", "warning", "Mã chỉ tiêu"),
        "I2:I501": ('"Dấu phẩy thập phân,Dấu chấm thập phân"', "stop", "Cách đọc số"),
        "K2:K501": ('"Có"', "stop", "Giữ đánh giá công bố"),
    }
    prompts = {v.promptTitle: v.prompt for v in sheet.data_validations.dataValidation}
    assert prompts["TT"] == RESULT_SHEET.columns["tt"].help
    # beside the indicator, its catalogue unit, looked up as the person picks its name
    assert sheet["H2"].value == (
        '=IF(G2="","",IFERROR(VLOOKUP(G2,\'Danh mục\'!$A$2:$B$60,2,FALSE),'
        '"(tên không có trong danh mục)"))'
    )
    assert sheet.freeze_panes == "A2"
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    catalogue = openpyxl.load_workbook(raw / "son_la" / "an.xlsx")["Danh mục"]
    # the list a person picks from: names, no code anywhere in the workbook
    # by name in Vietnamese dictionary order (D before Đ, Tổng before Trường before Tuyến before
    # Tỷ), each with its unit; the units apart, under a heading of their own
    names = [catalogue.cell(r, 1).value for r in range(2, 61)]
    assert [catalogue.cell(2, c).value for c in (1, 2)] == [
        "Bí thư chi bộ, Trưởng bản và Trưởng ban công tác MT bản được bồi dưỡng chuyên môn, "
        "nghiệp vụ",
        "%",
    ]
    assert names.index("Duy trì trường chuẩn quốc gia") + 1 == names.index(
        "Đảng ủy, Chính quyền, MTTQ và các tổ chức chính trị - xã hội được xếp loại Hoàn thành "
        "tốt nhiệm vụ hằng năm trở lên"
    )
    assert [n.split()[0] for n in names[22:27]] == ["Tổng", "Trường", "Tuyến", "Tỷ", "Tỷ"]
    assert names[-2:] == ["Xã đạt chuẩn nông thôn mới", "Xây dựng mới trường chuẩn quốc gia"]
    assert [catalogue.cell(r, 1).value for r in (61, 62, 63, 79)] == [
        None,
        "Các đơn vị tính (danh sách để chọn ở cột Đơn vị tính)",
        "%",
        "Đạt",
    ]
    assert catalogue.max_column == 4
    assert not any("thu_ngan_sach" in str(c.value) for row in catalogue.iter_rows() for c in row)
    # each indicator's kind of target, as the catalogue declares it, beside its group
    assert [catalogue.cell(r, 4).value for r in (1, 10, 21)] == [
        "Loại mục tiêu",
        "Tốc độ",
        "Tổng nhiệm kỳ",
    ]


def test_the_guide_lists_every_column_with_what_goes_in_it(raw):
    assert mau(raw, "an", "An", "truoc") == 0
    guide = openpyxl.load_workbook(raw / "son_la" / "an.xlsx")["Hướng dẫn"]
    texts = {(row[1].value, row[2].value) for row in guide.iter_rows() if row[1].value}
    for layout in (INFO_SHEET, RESULT_SHEET):
        for col in layout.columns.values():
            assert (col.header + ("…" if col.prefix else ""), col.help) in texts
    assert ("1", "Thu ngân sách trên địa bàn 5 năm") in texts  # an example row


def test_a_new_commune_is_offered_the_results_year_by_year(raw):
    assert mau(raw, "tan_an", "Tân An", "sau", "--xa-hop-thanh", "an=An") == 0
    path = raw / "son_la" / "tan_an.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Kết quả hằng năm"]
    assert headers(sheet) == [
        "TT",
        "Chỉ tiêu",
        "2026",
        "2027",
        "2028",
        "2029",
        "2030",
        "Mã chỉ tiêu",
        "Đơn vị trong danh mục",
        "Cách đọc số",
        "Ghi chú nhập liệu",
    ]
    # Biểu 03's indicators as Mục tiêu lists them, by name: their numbers may change there
    rows = [[c.value or None for c in r[:8]] for r in sheet.iter_rows(min_row=2, max_row=3)]
    assert rows == [
        ["I", "Chỉ tiêu về kinh tế", *[None] * 6],
        [None, "Thu ngân sách trên địa bàn", *[None] * 5, "Thu ngân sách trên địa bàn"],
    ]
    assert {sheet.cell(r, c).number_format for r in range(2, 30) for c in range(3, 8)} == {"@"}
    for name in ("Mục tiêu", "Kết quả hằng năm", "Thông tin", "Xã hợp thành"):
        table = book[name]
        assert table.max_row == 501, name
        assert {c.number_format for row in table.iter_rows(min_row=2) for c in row} == {"@"}, name
    prompts = {v.promptTitle: v.prompt for v in sheet.data_validations.dataValidation}
    assert prompts["Kết quả năm 2027"] == YEARLY_SHEET.years.help
    assert (sheet.page_setup.orientation, sheet.print_title_rows) == ("landscape", "$1:$1")
    guide = book["Hướng dẫn"]
    texts = {(row[1].value, row[2].value) for row in guide.iter_rows() if row[1].value}
    assert ("2026 … 2030", YEARLY_SHEET.years.help) in texts


# ---------------------------------------------------------------------------- end to end


def fill(path: Path, code: str) -> None:
    """Type the seed's record for this commune into its blank workbook, as a person would: every
    sheet cell by cell (the pre-filled targets replaced by the report's rows)."""
    book = openpyxl.load_workbook(path)
    for name, rows in builders.grids(RAW / "son_la" / f"{code}.xlsx").items():
        sheet = book[name]
        columns = [str(c.value).split(" Đại")[0] for c in sheet[1]]
        for r in range(2, sheet.max_row + 1):
            for c in range(1, len(columns) + 1):
                if columns[c - 1] != "Đơn vị trong danh mục":
                    sheet.cell(r, c).value = None
        for header in rows[0]:  # the printed headers
            sheet.cell(1, columns.index(header.split(" Đại")[0]) + 1, header)
        for r, row in enumerate(rows[1:], start=2):
            for header, value in zip(rows[0], row, strict=True):
                if value != "":
                    sheet.cell(r, columns.index(header.split(" Đại")[0]) + 1, value).data_type = "s"
    book.save(path)


@pytest.mark.journeys
def test_blank_workbooks_filled_with_the_seeds_values_give_the_seeds_outputs(
    raw, seed_output, tmp_path, capsys
):
    assert mau(raw, "dua_mon", "Đứa Mòn", "truoc", "--bieu-so", "01") == 0
    assert mau(raw, "muong_lam_cu", "Mường Lầm", "truoc", "--bieu-so", "02") == 0
    assert mau(raw, "muong_lam", "Mường Lầm", "sau", "--xa-hop-thanh", "dua_mon, muong_lam_cu") == 0
    for code in ("dua_mon", "muong_lam_cu", "muong_lam"):
        fill(raw / "son_la" / f"{code}.xlsx", code)
    status = main(["annexes", "--raw", str(raw), "--output", str(tmp_path / "tu_mau")])
    assert status == 0, capsys.readouterr().err
    made, seed = snapshot(tmp_path / "tu_mau"), snapshot(seed_output)
    # the findings point at cells of their own workbooks: the form has a few more columns
    # and the marked copy of the seed's one warning is a copy of each one's own workbook
    cells = {
        "muong_lam/kiem_tra.csv",
        "muong_lam/bieu_chi_tieu.xlsx",
        ".manifest.json",
        "ban_danh_dau/son_la/dua_mon.xlsx",
    }
    assert {k: v for k, v in made.items() if k not in cells} == {
        k: v for k, v in seed.items() if k not in cells
    }
    assert pointed(tmp_path / "tu_mau", raw) == pointed(seed_output, RAW)
    for name in ("Biểu 01", "Biểu 02", "Biểu 03"):
        assert values(tmp_path / "tu_mau", name) == values(seed_output, name), name


@pytest.mark.journeys
def test_results_typed_into_the_blank_workbook_are_tracked(raw, tmp_path, capsys):
    assert mau(raw, "dua_mon", "Đứa Mòn", "truoc", "--bieu-so", "01") == 0
    assert mau(raw, "muong_lam_cu", "Mường Lầm", "truoc", "--bieu-so", "02") == 0
    assert mau(raw, "muong_lam", "Mường Lầm", "sau", "--xa-hop-thanh", "dua_mon, muong_lam_cu") == 0
    for code in ("dua_mon", "muong_lam_cu", "muong_lam"):
        fill(raw / "son_la" / f"{code}.xlsx", code)
    # the results typed on the rows the form lists, found by code though Mục tiêu was retyped
    path = raw / "son_la" / "muong_lam.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Kết quả hằng năm"]
    row = next(
        r for r in sheet.iter_rows(min_row=2) if r[7].value == "Thu nhập bình quân đầu người/năm"
    )
    row[2].value, row[3].value = "34,9", "35,5"
    book.save(path)
    out = tmp_path / "out"
    assert main(["annexes", "--raw", str(raw), "--output", str(out)]) == 0, capsys.readouterr().err
    lines = pd.read_csv(out / "muong_lam" / "theo_doi_2030.csv", dtype=str, keep_default_na=False)
    income = lines[lines["ma_chi_tieu"] == "thu_nhap_binh_quan"]
    # as the seed's test record has it (tests/yearly.py): ahead in 2026, behind in 2027
    assert income["trang_thai"].tolist()[:2] == ["Vượt tiến độ", "Chậm tiến độ"]


def pointed(out: Path, raw: Path) -> list[tuple]:
    """Every finding, its cell given as the header of the column it is in."""
    findings = pd.read_csv(out / "muong_lam" / "kiem_tra.csv", dtype=str, keep_default_na=False)
    rows = []
    for f in findings.to_dict("records"):
        column = ""
        if f["o"][:1].isalpha():
            sheet = builders.grids(raw.parent / f["tep"])[f["sheet"]]
            letter = f["o"].rstrip("0123456789")
            column = sheet[0][openpyxl.utils.column_index_from_string(letter) - 1]
        rows.append(
            (
                f["tep"],
                f["sheet"],
                column,
                f["o"].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
                f["noi_dung"],
            )
        )
    return rows


def values(out: Path, sheet: str) -> list[tuple]:
    book = openpyxl.load_workbook(out / "muong_lam" / "bieu_chi_tieu.xlsx")
    return list(book[sheet].iter_rows(values_only=True))


# ---------------------------------------------------------------------------- bad input

CODE_RULE = (
    'mã xã "{}" không dùng làm tên tệp được: mã xã chỉ gồm chữ cái, chữ số, dấu gạch dưới (_) '
    "hoặc gạch ngang (-), không quá 60 ký tự, không trùng tên Windows giữ riêng (con, nul, aux, "
    "com1, …) hay tên thư mục của chương trình (tong_hop_tinh, ban_danh_dau); ví dụ tan_an"
)
BAD = [
    (
        "an unknown kind",
        ["an", "An", "xã cũ"],
        '"xã cũ" không phải là loại xã hợp lệ (Trước sắp xếp, Sau sắp xếp, Giữ nguyên)',
    ),
    ("no code", ["", "An", "truoc"], "chưa ghi mã xã"),
    (
        "a new commune with no members",
        ["tan", "Tân", "sau"],
        "xã sau sắp xếp cần danh sách xã hợp thành: XA_HOP_THANH='ma1, ma2' (make) hoặc "
        "--xa-hop-thanh 'ma1=Tên 1, ma2=Tên 2'",
    ),
    (
        "a member that is not in raw/ and has no name",
        ["tan", "Tân", "sau", "--xa-hop-thanh", "khong_co"],
        'không có xã nào mang mã "khong_co" trong raw/; ghi kèm tên: khong_co=Tên xã',
    ),
    (
        "members of an old commune",
        ["an", "An", "truoc", "--xa-hop-thanh", "x=X"],
        "chỉ xã sau sắp xếp mới ghi xã hợp thành",
    ),
    *(
        (f"a code that makes no file name: {code}", [code, "An", "truoc"], CODE_RULE.format(code))
        for code in ("???", "...", "a.b", "an/ngoai", "con", "Côn", "ban_danh_dau", "x" * 61)
    ),
    *(
        (
            f"a province that makes no folder name: {province[:5]}",
            ["an", "An", "truoc", "--tinh", province],
            f'tên tỉnh "{province}" không dùng làm tên thư mục raw/<tỉnh>/ được: ghi tên tỉnh '
            "bằng chữ, không quá 60 ký tự, ví dụ Điện Biên",
        )
        for province in ("???", "Côn", "Tỉnh" * 16)
    ),
]


@pytest.mark.parametrize(("args", "line"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_input_to_mau_is_one_line_exit_2_nothing_written(raw, capsys, args, line):
    before = snapshot(raw)
    assert mau(raw, *args) == 2
    captured = capsys.readouterr()
    assert (captured.err.splitlines(), captured.out) == ([line], "")
    assert snapshot(raw) == before


def test_mau_never_overwrites_and_never_reuses_a_code(raw, capsys):
    assert mau(raw, "an", "An", "truoc") == 0
    before = snapshot(raw)
    capsys.readouterr()
    assert mau(raw, "an", "An khác", "truoc") == 2
    assert capsys.readouterr().err == 'mã xã "an" đã dùng ở raw/son_la/an.xlsx; chọn mã khác\n'
    (raw / "son_la" / "binh.xlsx").write_bytes(b"a file that is not a workbook")
    before = snapshot(raw)
    assert mau(raw, "binh", "Bình", "truoc") == 2
    assert capsys.readouterr().err == (
        "raw/son_la/binh.xlsx: tệp đã có, không ghi đè; đổi tên hoặc xoá tệp cũ nếu muốn làm lại\n"
    )
    assert snapshot(raw) == before


def test_make_help_describes_the_variables_of_make_mau():
    lines = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    start = lines.index(next(line for line in lines if line.startswith("## mau:")))
    described = " ".join(lines[start : start + 3])
    for variable in ("MA=", "TEN=", "TINH=", "LOAI=", "XA_HOP_THANH=", "BIEU="):
        assert variable in described


def test_mau_says_why_it_cannot_write_in_one_line(raw, capsys):
    (raw / "son_la").write_bytes(b"a file where the province's folder goes")
    before = snapshot(raw)
    assert mau(raw, "an", "An", "truoc") == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == (
        "",
        "raw/son_la: không ghi được (đã có tệp trùng tên)\n",
    )
    assert snapshot(raw) == before


def test_every_name_the_drop_down_offers_reads_as_its_code():
    """Whatever a person picks from the form's list of indicators, the pipeline reads the code
    it stands for: the catalogue's names are one per code."""
    from pipeline.intake import load_catalogue
    from pipeline.layout.form import listed

    catalogue = load_catalogue(RAW)
    offered = listed(catalogue)
    assert len(offered.names) == 59
    read = catalogue.coded(pd.Series(offered.names)).tolist()
    assert read == offered.codes


def test_the_guides_examples_stand_in_the_columns_of_the_sheets_they_show(raw):
    """The Hướng dẫn sheet's examples have the real sheets' columns, in order, the catalogue's
    unit beside the indicator included: a person copies them column for column."""
    assert mau(raw, "an", "An", "giu") == 0
    book = openpyxl.load_workbook(raw / "son_la" / "an.xlsx")
    rows = [[c.value for c in row[1:]] for row in book["Hướng dẫn"].iter_rows()]
    examples = [row for row in rows if row[:2] == ["TT", "Chỉ tiêu"]]
    for example, name in zip(examples, ("Chỉ tiêu", "Mục tiêu"), strict=True):
        real = [c.value for c in book[name][1]]
        shown = [h for h in example if h]
        # the example's report printed its congress; the form leaves it to finish
        assert shown == [
            "Chỉ tiêu NQ Đại hội XXIII" if h == "Chỉ tiêu NQ Đại hội …" else h
            for h in real[: len(shown)]
        ]
        assert "Đơn vị trong danh mục" in shown
    unit = next(row for row in rows if row[:2] == ["4", "Diện tích cây ăn quả"])
    assert unit[6:8] == ["Diện tích cây ăn quả", "ha"]

"""The proofreader (`bieu soat-bao-cao`) and the prose the Word import reads: the seed report's
own part two and part three, as a committee's Word file holds them (lines joined as extracted,
letters as typed, some figures split over runs), checked against the seed's tables."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import shutil
import unicodedata
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest
from docx.oxml.ns import qn

from pipeline.cli import main
from pipeline.intake.prose import composed, paragraph_text, read_paragraphs, read_prose
from pipeline.parse import figures_in
from pipeline.paths import RAW
from tests.intake import reports
from tests.intake.test_word import CAT, accept, nhap

# every disagreement of the seed's prose with its tables and with arithmetic: the text the
# comment marks, and the comment
EXPECTED = [
    ("50,35", "văn bản ghi 350/695 đạt 50,35 %: bảng ghi 350/695, tỷ lệ đúng là 50,36 %"),
    ("10", 'văn bản ghi kết quả "10", bảng ghi "15"'),
    (
        "66,66",
        "văn bản ghi 10/15 đạt 66,66 %: tỷ lệ đúng của 10/15 là 66,67 %; bảng ghi 15/15, tỷ lệ "
        "100 %",
    ),
    ("75", 'văn bản ghi kết quả "75", bảng ghi "90"'),
    ("75", 'văn bản ghi chỉ tiêu NQ "75", bảng ghi "80"'),
    (
        "đạt",
        'văn bản ghi "đạt Nghị quyết", bảng ghi đánh giá "Vượt" (tính lại từ chỉ tiêu và kết '
        "quả: Không đạt)",
    ),
    ("03", 'văn bản ghi kết quả "03", bảng ghi "2"'),
    ("03", 'văn bản ghi chỉ tiêu NQ "03", bảng ghi "2"'),
    ("6", 'văn bản ghi kết quả "6", bảng ghi "4-6"'),
    ("100", 'văn bản ghi kết quả "100", bảng ghi "90"'),
    ("100", 'văn bản ghi chỉ tiêu NQ "100", bảng ghi "90"'),
    ("11/19", 'văn bản ghi kết quả "11/19", bảng ghi "15"'),
    ("105,2", "văn bản ghi 100/95 đạt 105,2 %: bảng ghi 100/95, tỷ lệ đúng là 105,3 %"),
    ("79,7", "văn bản ghi 38/48 đạt 79,7 %: bảng ghi 38/48, tỷ lệ đúng là 79,2 %"),
    ("119", 'văn bản ghi kết quả "119", bảng ghi "98"'),
    (
        "396,6",
        "văn bản ghi 119/30 đạt 396,6 %: tỷ lệ đúng của 119/30 là 396,7 %; bảng ghi 98/>30, tỷ "
        "lệ 326,7 %",
    ),
    ("340", "văn bản ghi 85/40 đạt 340 %: bảng ghi 85/40, tỷ lệ đúng là 212,5 %"),
    ("trên 70%", 'văn bản ghi mục tiêu "trên 70", bảng ghi "50"'),
    ("39,5%", 'văn bản ghi mục tiêu "39,5", bảng ghi "33,0"'),
    (
        "03",
        'văn bản ghi mục tiêu "Duy trì 01 doanh nghiệp, 03 hợp tác xã; Thành lập mới 03 doanh '
        'nghiệp, HTX", bảng ghi "Duy trì 01 DN, 03 HTX; thành lập mới 02 HTX"',
    ),
    ("dưới 7%", 'văn bản ghi mục tiêu "dưới 7", bảng ghi "< 10"'),
    ("98%", 'văn bản ghi mục tiêu "98", bảng ghi "97"'),
    ("2%", 'văn bản ghi mục tiêu "2", bảng ghi "5"'),
    ("50 %", 'văn bản ghi mục tiêu "50", bảng ghi "80"'),
    ("70%", 'văn bản ghi mục tiêu "70", bảng ghi "50"'),
]


def comments(path: Path) -> list[tuple[str, str]]:
    """Each comment of a document read back with python-docx: the text it marks (the runs
    between its range's start and end), and its text; in the order they stand in the body."""
    document = docx.Document(str(path))
    said = {str(c.comment_id): c.text for c in document.comments}
    marked: dict[str, list[str]] = {}
    order, done = [], {}
    for element in document.element.body.iter():
        if element.tag == qn("w:commentRangeStart"):
            marked[element.get(qn("w:id"))] = []
            order.append(element.get(qn("w:id")))
        elif element.tag == qn("w:commentRangeEnd"):
            done[element.get(qn("w:id"))] = "".join(marked.pop(element.get(qn("w:id"))))
        elif element.tag == qn("w:t"):
            for texts in marked.values():
                texts.append(element.text or "")
    return [(done[i], said[i]) for i in order]


def soat(report: Path, folder: Path, *extra: str) -> tuple[int, list[str], list[str]]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(
            ["soat-bao-cao", str(report), "--raw", str(RAW), "--thu-muc", str(folder), *extra]
        )
    return status, out.getvalue().splitlines(), err.getvalue().splitlines()


@pytest.fixture(scope="module")
def proofread(tmp_path_factory):
    """The seed's prose proofread once: the report, its bytes before, the folder, the lines."""
    tmp = tmp_path_factory.mktemp("soat")
    report = reports.prose_report(tmp / "bao_cao.docx", tables=False)
    before = hashlib.sha256(report.read_bytes()).hexdigest()
    status, lines, errors = soat(report, tmp / "soat_bao_cao")
    assert (status, errors) == (0, [])
    return report, before, tmp / "soat_bao_cao", lines


def test_a_comment_on_each_contradiction_wrong_ratio_and_rating_and_none_elsewhere(proofread):
    """The ten contradictions of part two and seven of part three the checks of prose against
    tables list for the seed, part three's "03 doanh nghiệp, HTX" against the table's "02 HTX"
    that the hand transcription missed, Đứa Mòn's item 5 printed "đạt" where its table says
    "Vượt", and each ratio not rounded from its own figures; nothing on the figures that
    agree (the other 23 items of part two with figures, the other targets of part three)."""
    _, _, folder, _ = proofread
    assert comments(folder / "bao_cao_da_soat.docx") == EXPECTED


def test_the_original_is_never_changed_and_the_list_is_a_csv_and_lines(proofread):
    report, before, folder, lines = proofread
    assert hashlib.sha256(report.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in folder.iterdir()) == [
        "bao_cao_da_soat.csv",
        "bao_cao_da_soat.docx",
    ]
    assert len(lines) == len(EXPECTED) + 1
    assert lines[0] == (
        "bao_cao.docx › phần hai, xã Đứa Mòn (biểu 01), mục (4) › Diện tích cây ăn quả: văn "
        "bản ghi 350/695 đạt 50,35 %: bảng ghi 350/695, tỷ lệ đúng là 50,36 %"
    )
    assert lines[19] == (
        "bao_cao.docx › phần ba, 3.1. Các chỉ tiêu về kinh tế, mục (7) › Số doanh nghiệp, HTX: "
        + EXPECTED[19][1]
    )
    assert lines[-1] == (
        f"Đã soát bao_cao.docx (67 mục ở phần hai, phần ba) theo các bảng của xã Mường Lầm "
        f"trong raw/: 25 chỗ lệch. Bản sao có góp ý ở từng chỗ: {folder}/bao_cao_da_soat.docx; "
        f"danh sách: {folder}/bao_cao_da_soat.csv. Tệp gốc giữ nguyên."
    )
    with (folder / "bao_cao_da_soat.csv").open(encoding="utf-8-sig", newline="") as f:
        listed = list(csv.DictReader(f))
    assert [(r["van_ban_ghi"], r["noi_dung"]) for r in listed] == EXPECTED
    assert {r["loai_lech"] for r in listed} == {"số liệu", "tỷ lệ", "đánh giá"}
    assert listed[3]["phan"] == "phần hai, xã Đứa Mòn (biểu 01)"
    assert listed[3]["chi_tieu"] == "Tỷ lệ lao động nông nghiệp trong tổng lao động xã hội"


def test_proofreading_again_gives_the_same_bytes(proofread, tmp_path):
    report, _, folder, _ = proofread
    status, _, _ = soat(report, tmp_path)
    assert status == 0
    for name in ("bao_cao_da_soat.docx", "bao_cao_da_soat.csv"):
        assert (tmp_path / name).read_bytes() == (folder / name).read_bytes()


@pytest.mark.libreoffice
def test_the_commented_copy_renders_in_libreoffice(proofread, tmp_path):
    """The copy opens and prints in LibreOffice (its comments in the margin), page by page."""
    import subprocess

    _, _, folder, _ = proofread
    if shutil.which("soffice") is None or shutil.which("pdftoppm") is None:
        pytest.skip("LibreOffice or pdftoppm not installed")
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
         str(folder / "bao_cao_da_soat.docx")],
        check=True,
        capture_output=True,
        timeout=180,
    )  # fmt: skip
    pdf = tmp_path / "bao_cao_da_soat.pdf"
    assert pdf.stat().st_size > 10_000
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        check=True,
        timeout=60,
    )
    assert list(tmp_path.glob("p*.png"))


def test_a_figure_split_over_runs_and_decomposed_letters_are_read_whole(tmp_path):
    """Word splits a run where an edit was typed; a PDF pasted in brings letters as an accent
    after its letter. The paragraph is read as its runs joined, in NFC, and a figure's place
    maps back to the offsets Word holds."""
    doc = reports.document()
    doc.add_paragraph("Phần thứ hai")
    doc.add_paragraph("Đối với xa\u0303 A (có biểu số 01 kèm theo)")
    text = "(1). Ty\u0309 lê\u0323 người sử dụng Interet 85/40%. Đạt 340%, vượt Nghị quyết"
    paragraph = reports.add_split(doc, text)
    assert [r.text for r in paragraph.runs] == [
        text[: text.index("85/4") + 4],
        text[text.index("0%.") :],
    ]
    assert paragraph_text(paragraph) == text
    assert composed("chu\u0309 85") == ("chủ 85", [0, 1, 2, 4, 5, 6, 7])
    prose = read_prose(doc)
    clause = prose.sections[0].items[0].clauses[0]
    assert (clause.pair.text, clause.ratio.text, clause.rated) == ("85/40%", "340", "Vượt")
    index, start = prose.where(clause.pair.at)
    _, end = prose.where(clause.pair.end)
    assert (index, text[start:end]) == (2, "85/40%")


def letter_by_letter(text: str) -> tuple[str, list[int]]:
    """`composed` as it reads every text: each letter with its accents put in NFC."""
    out, offsets, start = [], [], 0
    for i in range(1, len(text) + 1):
        if i < len(text) and unicodedata.combining(text[i]):
            continue
        piece = unicodedata.normalize("NFC", text[start:i])
        out.append(piece)
        offsets += [start] * len(piece)
        start = i
    return "".join(out), [*offsets, len(text)]


def test_a_text_already_composed_maps_each_offset_to_itself():
    """Text typed with Unikey (nearly all) is not read letter by letter: the same answer."""
    texts = [
        *reports.prose_paragraphs(),
        "",
        "Mường Lầm 85,5 %",
        "chu\u0309 85",  # an accent after its letter
        "\u212b \u2126",  # a sign NFC writes as another letter (Å, Ω)
        "\u0958 \u1100\u1161",  # a letter NFC splits; two Hangul jamo NFC joins
    ]
    for text in texts:
        assert composed(text) == letter_by_letter(text), text
    assert composed("Mường 85") == ("Mường 85", list(range(9)))


def test_part_two_and_part_three_of_the_seed_are_read_as_printed():
    prose = read_paragraphs(reports.prose_paragraphs())
    two = prose.of("hai")
    assert [(s.bieu, len(s.items), {k: p.text for k, p in s.counts.items()}) for s in two] == [
        ("01", 20, {"so_chi_tieu_bc": "20", "vuot_bc": "07", "dat_bc": "10", "khong_dat_bc": "03"}),
        ("02", 20, {"so_chi_tieu_bc": "20", "vuot_bc": "08", "dat_bc": "11", "khong_dat_bc": "01"}),
    ]
    three = prose.of("ba")
    assert [(s.group, len(s.items)) for s in three] == [(1, 9), (2, 13), (3, 5)]
    internet = two[1].items[10].clauses[0]
    assert (internet.result.text, internet.target.text, internet.ratio.text, internet.rated) == (
        "85",
        "40",
        "340",
        "Vượt",
    )
    poor = two[1].items[7].clauses[0]  # "Phấn đấu … dưới 12%. Năm 2024 còn 1,24%. Vượt …"
    assert (poor.target.text, poor.result.text, poor.rated) == ("dưới 12", "1,24", "Vượt")
    criteria = two[0].items[12].clauses[0]  # "đạt 11/19 tiêu chí": one figure, not 11 of 19
    assert (criteria.result.text, criteria.target) == ("11/19", None)
    assert two[0].items[3].rated == "Không đạt"  # after both of item 4's clauses: the item's


def test_figures_in_words_are_found_in_order():
    table = "Duy trì 01 DN, 03 HTX; thành lập mới 02 HTX"
    assert figures_in("Duy trì 01 doanh nghiệp, 03 hợp tác xã. Thành lập mới 03 DN", table) == 2
    assert figures_in("Duy trì 1 DN, 3 HTX", table) is None
    assert figures_in("thành lập mới 02, duy trì 01", table) == 1


def test_bad_input_is_one_line_exit_2_nothing_written(tmp_path):
    folder = tmp_path / "soat"
    status, lines, errors = soat(tmp_path / "khong_co.docx", folder)
    assert (status, lines, errors) == (2, [], [f"{tmp_path / 'khong_co.docx'}: không tìm thấy tệp"])
    empty = tmp_path / "trong.docx"
    reports.document().save(empty)
    status, _, errors = soat(empty, folder)
    assert status == 2
    assert errors == [
        'trong.docx: không tìm thấy đoạn chỉ tiêu nào (phần thứ hai: "Đối với xã … (có biểu số '
        '01 kèm theo)" và các mục (1), (2) …; phần thứ ba: "Các chỉ tiêu chủ yếu", "3.1." và các '
        "mục (1), (2) …)"
    ]
    report = reports.prose_report(tmp_path / "bao_cao.docx", tables=False)
    status, _, errors = soat(report, folder, "--ma-xa", "khong_co")
    assert (status, errors) == (
        2,
        ['không có xã sau sắp xếp nào mang mã "khong_co" trong raw/ (có: muong_lam)'],
    )
    assert not folder.exists()


def test_a_record_with_errors_is_not_proofread_against(tmp_path):
    raw = shutil.copytree(RAW, tmp_path / "raw")
    book = openpyxl.load_workbook(raw / "son_la" / "dua_mon.xlsx")
    book["Chỉ tiêu"]["E7"] = "mười"
    book.save(raw / "son_la" / "dua_mon.xlsx")
    report = reports.prose_report(tmp_path / "bao_cao.docx", tables=False)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(
            ["soat-bao-cao", str(report), "--raw", str(raw), "--thu-muc", str(tmp_path / "s")]
        )
    assert status == 2
    assert err.getvalue().splitlines() == [
        'raw/son_la/dua_mon.xlsx › Chỉ tiêu › E7: "mười" không phải là số',
        "raw/ có 1 lỗi: sửa rồi soát lại (soát báo cáo dựa trên các bảng trong raw/)",
    ]
    assert not (tmp_path / "s").exists()


# ---------------------------------------------------------------------------- the import


@pytest.mark.journeys
def test_importing_the_report_fills_the_prose_columns_and_finds_what_the_hand_record_does(
    tmp_path, seed_output, capsys
):
    """The three Biểu imported from the report that holds the prose: each draft's prose columns
    and part two's tally filled from the prose; accepted and built, the same 17 findings of
    prose against tables as the hand transcription, and part three's "03 doanh nghiệp, HTX"
    against the table's "02 HTX" (18)."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / CAT, raw / CAT)
    report = reports.prose_report(tmp_path / "bao_cao.docx")
    members = ["--xa-hop-thanh", "dua_mon, muong_lam_cu"]
    for code, name, extra in (
        ("dua_mon", "Đứa Mòn", ["--bieu", "01"]),
        ("muong_lam_cu", "Mường Lầm", ["--bieu", "02"]),
        ("muong_lam", "Mường Lầm", ["--bieu", "03", *members]),
    ):
        assert nhap(raw, report, code, name, *extra) == 0
    book = openpyxl.load_workbook(raw / "son_la" / "dua_mon.xlsx")
    info = list(book["Thông tin"].iter_rows(values_only=True))
    counted = dict(zip(info[0], info[1], strict=True))
    assert [counted[f"{w} (báo cáo)"] for w in ("Số chỉ tiêu", "Vượt", "Đạt", "Không đạt")] == [
        "20",
        "07",
        "10",
        "03",
    ]
    table = list(book["Chỉ tiêu"].iter_rows(values_only=True))
    head = table[0]
    five = next(
        dict(zip(head, row, strict=True))
        for row in table
        if str(row[1]).startswith("Tỷ lệ lao động n")
    )
    assert (five["Chỉ tiêu NQ (phần hai)"], five["Kết quả (phần hai)"]) == ("75", "75")
    sheets = {"dua_mon": "Chỉ tiêu", "muong_lam_cu": "Chỉ tiêu", "muong_lam": "Mục tiêu"}
    for code, sheet in sheets.items():
        accept(raw / "son_la" / f"{code}.xlsx", sheet, code)
    out = tmp_path / "out"
    assert main(["annexes", "--raw", str(raw), "--output", str(out)]) == 0
    capsys.readouterr()

    def prose(folder: Path) -> set[tuple[str, str, str]]:
        found = pd.read_csv(folder / "muong_lam" / "kiem_tra.csv", dtype=str, keep_default_na=False)
        found = found[found["loai"] == "thuyết minh lệch"]
        return set(zip(found["tt"], found["chi_tieu"], found["noi_dung"], strict=True))

    by_hand, by_word = prose(seed_output), prose(out)
    assert len(by_hand) == 17
    assert by_word - by_hand == {
        (
            "7",
            "Số doanh nghiệp, HTX",
            'phần ba của báo cáo ghi mục tiêu "Duy trì 01 doanh nghiệp, 03 hợp tác xã; Thành '
            'lập mới 03 doanh nghiệp, HTX", biểu ghi "Duy trì 01 DN, 03 HTX; thành lập mới 02 '
            'HTX"',
        )
    }
    assert by_hand <= by_word


def test_a_report_without_prose_imports_as_before(tmp_path):
    """The tables alone: no prose column filled, no tally (the earlier drafts, unchanged)."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / CAT, raw / CAT)
    report = reports.results_report(tmp_path / "a.docx", "01")
    with contextlib.redirect_stdout(io.StringIO()):
        assert nhap(raw, report, "dua_mon", "Đứa Mòn") == 0
    book = openpyxl.load_workbook(raw / "son_la" / "dua_mon.xlsx")
    table = list(book["Chỉ tiêu"].iter_rows(values_only=True))
    at = table[0].index("Kết quả (phần hai)")
    assert {row[at] for row in table[1:]} <= {None, ""}
    assert read_prose(docx.Document(str(report))).sections == []


def test_a_tally_the_prose_prints_otherwise_than_the_table_counts_is_remarked():
    """Part two's "08 chỉ tiêu vượt" where Biểu 01's published ratings count 07."""
    from pipeline.intake.proofread import record, remarks

    paragraphs = [
        p.replace("07 chỉ tiêu vượt", "08 chỉ tiêu vượt") for p in reports.prose_paragraphs()
    ]
    found = [r for r in remarks(read_paragraphs(paragraphs), record(RAW)) if r.kind == "tổng hợp"]
    assert [(r.section, r.printed, r.text) for r in found] == [
        (
            "xã Đứa Mòn (biểu 01)",
            "08",
            "văn bản ghi 08 chỉ tiêu vượt, cột Đánh giá của biểu cộng lại là 07",
        )
    ]

"""Word documents reproducing a congress report's annex tables, built from the transcriptions of
the seed's Biểu 01-03 in `tests/test_record.py` as the report prints them: the heading above
each table ("Biểu 01", the title, for Biểu 03 the italic line and the rule), headers broken over
lines, group names merged across the row, each item's number merged down over its sub-rows,
"K đạt" broken over two lines, and Biểu 03 split over two tables at a page, its header repeated.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from tests.test_record import BIEU_01, BIEU_02, BIEU_03

RESULT_HEADERS = [
    "TT",
    "Chỉ tiêu",
    "Đơn vị\ntính",
    "Chỉ tiêu\nNQ Đại\nhội XXIII",
    "Kết\nquả\nthực\nhiện",
    "Đánh\ngiá",
]
TARGET_HEADERS = ["TT", "Chỉ tiêu", "Đơn vị tính", "Mục tiêu đến 2030", "Ghi chú"]
TITLES = {
    "01": ["BIỂU CÁC CHỈ TIÊU ĐẠI HỘI XÃ ĐỨA MÒN, NHIỆM KỲ 2020-2025"],
    "02": ["BIỂU CÁC CHỈ TIÊU ĐẠI HỘI XÃ MƯỜNG LẦM, NHIỆM KỲ 2020-2025"],
    "03": ["BIỂU CÁC CHỈ TIÊU ĐẠI HỘI ĐẢNG BỘ XÃ MƯỜNG LẦM,", "NHIỆM KỲ 2025-2030"],
}
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
SUBTITLE = [
    "(Kèm theo Báo cáo của Ban Chấp hành Đảng bộ xã khóa 1",
    "tại Đại hội đại biểu Đảng bộ xã lần thứ I )",
]


def document() -> docx.Document:
    """An empty report: Times New Roman 13, A4, the margins of Nghị định 30, fixed properties."""
    doc = docx.Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.top_margin = section.bottom_margin = Mm(20)
    props = doc.core_properties
    props.author, props.created, props.modified = (
        "",
        dt.datetime(2025, 1, 1),
        dt.datetime(2025, 1, 1),
    )
    return doc


def heading(doc, bieu: str) -> None:
    doc.add_paragraph().add_run(f"Biểu {bieu}").bold = True
    for line in TITLES[bieu]:
        doc.add_paragraph().add_run(line).bold = True
    if bieu == "03":
        for line in SUBTITLE:
            doc.add_paragraph().add_run(line).italic = True
        doc.add_paragraph("-----")


def table(doc, headers: list[str], rows: list[list[str]]):
    """A table with a header row marked to repeat, each cell's lines as paragraphs."""
    grid = doc.add_table(rows=1 + len(rows), cols=len(headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    repeat = OxmlElement("w:tblHeader")
    grid.rows[0]._tr.get_or_add_trPr().append(repeat)
    # each row's own cells: `grid.cell` walks the whole table at every call
    for cells, texts in zip(grid.rows, [headers, *rows], strict=True):
        for cell, text in zip(cells.cells, texts, strict=True):
            write(cell, text)
    return grid


def write(cell, text: str) -> None:
    """A cell's text, each printed line its own paragraph."""
    lines = text.split("\n")
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def merge_groups_and_items(grid, rows: list[tuple], columns: int) -> None:
    """Group names merged across the row; item numbers merged down over their sub-rows."""

    def cell(r: int, c: int):  # `grid.cell` lays out the whole table at every call
        return grid.rows[r].cells[c]

    item = None
    for r, row in enumerate(rows, start=1):
        if len(row) == 2:
            name = cell(r, 1).merge(cell(r, columns - 1))
            write_merged(name, row[1])
            item = None
        elif row[0]:
            item = r
        elif item is not None:
            merged = cell(item, 0).merge(cell(r, 0))
            write_merged(merged, rows[item - 1][0])


def write_merged(cell, text: str) -> None:
    """A merged cell keeps one paragraph with the text (python-docx joins the merged ones)."""
    for paragraph in cell.paragraphs[1:]:
        paragraph._p.getparent().remove(paragraph._p)
    cell.paragraphs[0].text = text


def printed_rating(rating: str) -> str:
    return "K\nđạt" if rating == "K đạt" else rating


def result_rows(expected: list[tuple]) -> list[list[str]]:
    return [
        [row[0], row[1], "", "", "", ""]
        if len(row) == 2
        else [row[0], row[1], row[2], row[3], row[5], printed_rating(row[7])]
        for row in expected
    ]


def target_rows(expected: list[tuple]) -> list[list[str]]:
    return [
        [row[0], row[1], "", "", ""] if len(row) == 2 else [row[0], row[1], row[2], row[3], row[5]]
        for row in expected
    ]


def results_report(path: Path, bieu: str) -> Path:
    """A report holding one old commune's Biểu (01 or 02) as printed."""
    expected = {"01": BIEU_01, "02": BIEU_02}[bieu]
    doc = document()
    doc.add_paragraph("PHỤ LỤC")
    heading(doc, bieu)
    grid = table(doc, RESULT_HEADERS, result_rows(expected))
    merge_groups_and_items(grid, expected, len(RESULT_HEADERS))
    doc.add_paragraph("")
    doc.save(path)
    return path


def targets_report(path: Path) -> Path:
    """A report holding the new commune's Biểu 03 as printed, split over two tables at the page
    where group III starts, the header repeated on the second."""
    split = next(i for i, row in enumerate(BIEU_03) if row[0] == "III")
    doc = document()
    heading(doc, "03")
    for part in (BIEU_03[:split], BIEU_03[split:]):
        grid = table(doc, TARGET_HEADERS, target_rows(part))
        merge_groups_and_items(grid, part, len(TARGET_HEADERS))
    doc.save(path)
    return path


def whole_report(path: Path) -> Path:
    """The three Biểu in one document, as the new commune's report prints them."""
    doc = document()
    doc.add_paragraph("Báo cáo chính trị … (phần lời)")
    for bieu, expected in (("01", BIEU_01), ("02", BIEU_02)):
        heading(doc, bieu)
        grid = table(doc, RESULT_HEADERS, result_rows(expected))
        merge_groups_and_items(grid, expected, len(RESULT_HEADERS))
        doc.add_page_break()
    heading(doc, "03")
    grid = table(doc, TARGET_HEADERS, target_rows(BIEU_03))
    merge_groups_and_items(grid, BIEU_03, len(TARGET_HEADERS))
    doc.save(path)
    return path


def split_report(path: Path, at: int, between: str | None, repeat: bool, columns=None) -> Path:
    """Biểu 01 as an office splits it over pages: two Word tables, the second from row `at` of
    the transcription, its header repeated or not, a paragraph between them or none; the
    second part's headers and rows cut to `columns` where given (a table that is not the same)."""
    doc = document()
    heading(doc, "01")
    for number, part in enumerate((BIEU_01[:at], BIEU_01[at:])):
        if number and between is not None:
            doc.add_paragraph(between)
        headers, rows = RESULT_HEADERS, result_rows(part)
        if number and columns:
            headers, rows = headers[:columns], [row[:columns] for row in rows]
        if number and not repeat:
            grid = doc.add_table(rows=len(rows), cols=len(headers))
            grid.style = "Table Grid"
            for cells, texts in zip(grid.rows, rows, strict=True):
                for cell, text in zip(cells.cells, texts, strict=True):
                    write(cell, text)
            for r, row in enumerate(part):  # group names merged across the row
                if len(row) == 2:
                    write_merged(grid.cell(r, 1).merge(grid.cell(r, len(headers) - 1)), row[1])
        else:
            grid = table(doc, headers, rows)
            merge_groups_and_items(grid, part, len(headers))
    doc.save(path)
    return path


def odd_report(path: Path, headers: list[str], notes: dict[int, str] | None = None) -> Path:
    """Biểu 01 with its headers printed otherwise (`headers`: "STT", "Kết quả" …), and a
    "Ghi chú" column holding `notes` (by row of the transcription) where given; after a small
    table of the prose that has the headers TT, Chỉ tiêu and Kết quả."""
    doc = document()
    doc.add_paragraph("Một số chỉ tiêu nổi bật:")
    table(doc, ["TT", "Chỉ tiêu", "Kết quả"], [["1", "Thu ngân sách", "126,3"]])
    heading(doc, "01")
    rows = result_rows(BIEU_01)
    if notes is not None:
        headers = [*headers, "Ghi chú"]
        rows = [[*row, notes.get(r, "")] for r, row in enumerate(rows)]
    grid = table(doc, headers, rows)
    merge_groups_and_items(grid, BIEU_01, len(headers))
    doc.save(path)
    return path


def nested_report(path: Path, where: str) -> Path:
    """Biểu 01, heading and table, inside another table's cell (`where` = "cell") or inside a
    text box (`where` = "text box", with the copy older Word reads in mc:Fallback)."""
    doc = document()
    doc.add_paragraph("PHỤ LỤC")
    source = document()
    heading(source, "01")
    grid = table(source, RESULT_HEADERS, result_rows(BIEU_01))
    merge_groups_and_items(grid, BIEU_01, len(RESULT_HEADERS))
    blocks = [b for b in source.element.body.iterchildren() if b.tag != qn("w:sectPr")]
    if where == "cell":
        cell = doc.add_table(rows=1, cols=1).cell(0, 0)
        for block in blocks:
            cell._tc.append(block)
        cell._tc.append(OxmlElement("w:p"))  # a cell ends with a paragraph
    else:
        run = doc.add_paragraph()._p.add_r()
        alternate = etree.SubElement(run, f"{{{MC}}}AlternateContent", nsmap={"mc": MC})
        choice = etree.SubElement(alternate, f"{{{MC}}}Choice", Requires="wps")
        fallback = etree.SubElement(alternate, f"{{{MC}}}Fallback")
        for parent in (choice, fallback):
            box = etree.SubElement(parent, qn("w:txbxContent"))  # the shape's own layers left out
            for block in blocks:
                box.append(copy.deepcopy(block))
    doc.save(path)
    return path


# ---------------------------------------------------------------------------- the prose

# the seed report's part two and part three as extracted from its PDF (its letters as typed:
# some decomposed), from "Phần thứ hai" to the first lines after the targets of part three
PROSE = Path(__file__).parents[1] / "fixtures" / "bao_cao_phan_hai_ba.txt"
# figures split over two runs, as Word splits a run where a later edit was typed
SPLIT = {"85/40%": 4, "276/225": 2, "1,990": 3, "105,2%": 3, "10/15": 3, "39,5%": 2}


def prose_paragraphs() -> list[str]:
    """The extracted text as paragraphs: the lines between two blank lines joined with a space,
    as pasting the extracted text into Word and joining its lines gives."""
    paragraphs, lines = [], []
    for line in [*PROSE.read_text(encoding="utf-8").splitlines(), ""]:
        if line.strip():
            lines.append(line.strip())
        elif lines:
            paragraphs.append(" ".join(lines))
            lines = []
    return paragraphs


def add_split(doc, text: str):
    """A paragraph of `text` in runs, each figure of SPLIT cut into two runs inside it."""
    cuts = sorted(
        {at + cut for figure, cut in SPLIT.items() for at in _all(text, figure)} | {0, len(text)}
    )
    paragraph = doc.add_paragraph()
    for start, end in zip(cuts, cuts[1:], strict=False):
        paragraph.add_run(text[start:end])
    return paragraph


def _all(text: str, part: str) -> list[int]:
    out, at = [], text.find(part)
    while at >= 0:
        out.append(at)
        at = text.find(part, at + 1)
    return out


def prose_report(path: Path, tables: bool = True) -> Path:
    """The seed report's part two and part three as a committee's Word file holds them, some
    figures split over runs; with `tables`, its three annex tables after them."""
    doc = document()
    for text in prose_paragraphs():
        add_split(doc, text)
    if tables:
        doc.add_page_break()
        for bieu, expected in (("01", BIEU_01), ("02", BIEU_02)):
            heading(doc, bieu)
            grid = table(doc, RESULT_HEADERS, result_rows(expected))
            merge_groups_and_items(grid, expected, len(RESULT_HEADERS))
            doc.add_page_break()
        heading(doc, "03")
        grid = table(doc, TARGET_HEADERS, target_rows(BIEU_03))
        merge_groups_and_items(grid, BIEU_03, len(TARGET_HEADERS))
    doc.save(path)
    return path

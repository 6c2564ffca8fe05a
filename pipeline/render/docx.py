"""Rendering a `DocumentLayout` into a .docx file with python-docx.

The look is `pipeline/layout/style.py`'s, translated once into Word's terms. The paragraph
styles are built once per run and page (Normal: Times New Roman 14 pt, justified, as Nghị định
30/2020/NĐ-CP, Phụ lục I sets an administrative text) and applied by name. A table is a
`SheetLayout` drawn over its printed area: the lines above its header row and below its bordered
rows as paragraphs, the rows between as a Word table with the sheet's merges, its column widths
scaled to the page, each cell in the look of its style name (bold, italic, alignment, the
rating's fill and ink), its header row repeated on every page.

python-docx has no call for a repeated header row, a row kept whole, a cell's shading or a page
number field; those few elements are set on its XML directly. Each look of paragraph is drawn by
python-docx once per process and page (`_TEMPLATES`) and copied where it is used again (drawing one
takes it about half a millisecond, and a country's documents hold millions of cells). Document
properties and the zip entries' dates are fixed (the document is saved with `Document.save`, then
its zip is written again with every entry dated alike), so the same input gives the same bytes.
"""

from __future__ import annotations

import copy
import io
import struct
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from pipeline.layout.document import DocumentLayout, Paragraph
from pipeline.layout.sheet import Page, SheetLayout
from pipeline.layout.style import (
    BODY_SIZE,
    FIXED_DATE,
    FONT,
    INK,
    PAPERS,
    PARAGRAPHS,
    STYLES,
    TABLE_TEXT,
    ZIP_DATE,
    Font,
    Style,
)

TABLE_SIZE = TABLE_TEXT.font.size
TABLE_STYLE, TABLE_STYLE_ID = "Chữ trong bảng", "ChuTrongBang"
CELL_MARGIN = Mm(1)  # left and right of a cell's text (Word's default is 1,9 mm)
ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
# the layout's paragraph styles as Word's own (`pipeline/layout/style.py` says how each looks);
# a heading's level is the layout's outline's (`_word_style`)
WORD_STYLE = {"title": "Title", "subtitle": "Subtitle", "body": "Normal"}
HEADING = "heading"
LANGUAGE = "vi-VN"  # the document's language: its text is Vietnamese
APPLICATION = "Biểu chỉ tiêu Đại hội (python-docx)"  # the program that wrote the file, in app.xml
# a cell's properties in the schema's order: one is put in its place by this rank (python-docx
# looks for each property that may follow it by name, a tenth of a millisecond a merged cell)
TC_PR = ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar")
TC_PR += ("textDirection", "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel")
TC_PR += ("cellMerge", "tcPrChange")
TC_PR_RANK = {qn(f"w:{tag}"): rank for rank, tag in enumerate(TC_PR)}
# a group's row keeps with the row after it, so that a group's name never ends a page alone
KEEP_WITH_NEXT = {"group", "group_name"}
W_R, W_T, W_TC, W_P = qn("w:r"), qn("w:t"), qn("w:tc"), qn("w:p")
W_PPR, W_SECTPR = qn("w:pPr"), qn("w:sectPr")


def render(layout: DocumentLayout, prototypes: Prototypes | None = None) -> bytes:
    """The document's bytes. `prototypes`: the documents a run's renders start from, kept
    between its documents (a new set if none is given)."""
    document, stamps = (prototypes or Prototypes()).start(layout.page, layout.outline)
    document.core_properties.title = layout.title
    width = _text_width(layout.page)
    for block in layout.blocks:
        if isinstance(block, Paragraph):
            stamps.body(_word_style(block.style, layout.outline), block.text, block.new_page)
        elif block.new_page:  # an annex: a section of its own, its pages numbered from 1
            _section(document)
            _table(document, stamps, block.sheet, False, width)
        else:
            _table(document, stamps, block.sheet, False, width)
    _statistics(document)
    return _saved(document)


def _word_style(style: str, outline: int) -> str:
    """The Word style of a layout's paragraph style: "heading1" is "Heading {outline}", the
    next heading one level down."""
    if style.startswith(HEADING):
        return f"Heading {int(style[len(HEADING) :]) + outline - 1}"
    return WORD_STYLE[style]


def _section(document) -> None:
    """A new section from a new page, its page numbers starting again at 1 (an annex is
    numbered on its own); its header, page number and page are the section before's. The
    section before ends with its last paragraph (one is added only after a table), as Word
    marks a section break, so that no empty line is left at the foot of its last page."""
    body = document.element.body
    sentinel = body.get_or_add_sectPr()
    last = sentinel.getprevious()
    if last is None or last.tag != W_P or last.find(f"{W_PPR}/{W_SECTPR}") is not None:
        last = body.add_p()
    last.set_sectPr(sentinel.clone())
    for reference in sentinel.xpath("w:headerReference|w:footerReference"):
        sentinel.remove(reference)  # the next section shows the same header
    sentinel.start_type = WD_SECTION.NEW_PAGE
    if sentinel.find(qn("w:pgNumType")) is None:
        numbers = OxmlElement("w:pgNumType")
        numbers.set(qn("w:start"), "1")
        sentinel.insert_element_before(numbers, *SECTPR_AFTER_PGNUMTYPE)


# what follows a section's page numbering among its properties, in the schema's order
SECTPR_AFTER_PGNUMTYPE = (
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
    "w:bidi",
    "w:rtlGutter",
    "w:docGrid",
    "w:printerSettings",
    "w:sectPrChange",
)


def _statistics(document) -> None:
    """docProps/app.xml true to this document: the program that wrote it and the document's
    counts of words, characters and paragraphs (a word processor counts its pages itself;
    python-docx's template says "Microsoft Macintosh Word", 1 page, 0 words)."""
    texts = ["".join(t.text or "" for t in p.iter(W_T)) for p in document.element.body.iter(W_P)]
    texts = [t for t in texts if t.strip()]
    words = sum(len(t.split()) for t in texts)
    spaced = sum(len(t) for t in texts)
    characters = sum(len("".join(t.split())) for t in texts)
    xml = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        'docPropsVTypes">'
        f"<Application>{escape(APPLICATION)}</Application><DocSecurity>0</DocSecurity>"
        f"<Words>{words}</Words><Characters>{characters}</Characters>"
        f"<CharactersWithSpaces>{spaced}</CharactersWithSpaces>"
        f"<Paragraphs>{len(texts)}</Paragraphs><ScaleCrop>false</ScaleCrop>"
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
    )
    for part in document.part.package.iter_parts():
        if part.partname == "/docProps/app.xml":
            part._blob = xml.encode("utf-8")


@dataclass
class _Prototype:
    """A page's starting document: python-docx's template with its styles, page and properties
    set, as saved; the styles' ids; and the looks of paragraph drawn so far (each drawn once,
    then only copied, never changed)."""

    package: bytes
    ids: Mapping[str, str]
    drawn: dict = field(default_factory=dict)


# The set-up templates (saved package, styles' ids) by page and outline: process-wide on
# purpose (docs/design.md, "Process-wide state"); bytes and a read-only mapping, never changed
_TEMPLATES: dict[str, tuple[bytes, Mapping[str, str]]] = {}
# The looks of paragraph drawn on each template, by the same key: process-wide as the templates
# are (drawing one costs about half a millisecond, a seed's report draws twenty); looks are only
# added, each drawn from constants (`LOOKS`, the template's style ids), and only ever copied
_DRAWN: dict[str, dict] = {}


class Prototypes:
    """The documents a run's renders start from, one per page, set up once per process
    (`_TEMPLATES`: reading the template and setting its styles costs more than drawing a small
    document). Each render
    opens its own document from the saved package, so that no render can change what the next
    one starts from; the paragraphs' looks are shared, as elements only ever copied."""

    def __init__(self) -> None:
        self._pages: dict[str, _Prototype] = {}

    def start(self, page: Page, outline: int = 2) -> tuple[object, _Stamps]:
        """A new document of this page and outline, and the stamps that draw its paragraphs."""
        key = repr((page, outline))
        if key not in self._pages:
            if key not in _TEMPLATES:
                _TEMPLATES[key] = _set_up(page, outline)
            self._pages[key] = _Prototype(*_TEMPLATES[key], _DRAWN.setdefault(key, {}))
        prototype = self._pages[key]
        document = Document(io.BytesIO(prototype.package))
        _properties(document, "")  # read back, an empty property is no longer an empty text
        return document, _Stamps(document, prototype.ids, prototype.drawn)


def _set_up(page: Page, outline: int) -> tuple[bytes, Mapping[str, str]]:
    """python-docx's template with the styles, the page and the fixed properties set, saved,
    and the ids of its paragraph styles and of "Table Grid"."""
    document = Document()
    _styles(document, outline)
    _page(document, page)
    _properties(document, "")
    names = [_word_style(key, outline) for key in PARAGRAPHS] + ["Table Grid"]
    ids = {name: document.styles[name].style_id for name in names}
    package = io.BytesIO()
    document.save(package)
    return package.getvalue(), MappingProxyType(ids)


# ---------------------------------------------------------------------------- styles and page


def _rgb(colour: str | None) -> RGBColor:
    return RGBColor.from_string((colour or INK).lstrip("#"))


def _font(style, look: Font) -> None:
    font = style.font
    font.name, font.size, font.bold, font.italic = look.name, Pt(look.size), look.bold, look.italic
    font.color.rgb = _rgb(look.colour)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for script in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(script), look.name)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme), None)
    style.element.rPr.remove_all("w:spacing", "w:kern")  # the template's letter spacing


def _styles(document, outline: int) -> None:
    """Word's paragraph styles in the looks of `PARAGRAPHS` (Normal: 14 pt, justified, the first
    line indented 1,27 cm, 6 pt after a paragraph), single spacing, no line of a paragraph left
    alone at a page's top or foot, Vietnamese; the headings (at the outline's levels) and title
    lines on Normal; the tables' text (`TABLE_TEXT`: 12 pt, no indent)."""
    styles = document.styles
    for key, text in PARAGRAPHS.items():
        name = _word_style(key, outline)
        style = styles[name]
        _font(style, text.font)
        form = style.paragraph_format
        form.alignment, form.first_line_indent = ALIGN[text.align], Mm(text.first_line)
        form.left_indent = form.right_indent = Pt(0)
        form.space_before, form.space_after = Pt(text.space_before), Pt(text.space_after)
        form.line_spacing = 1.0
        form.widow_control = True
        if name != "Normal":
            form.keep_with_next = True
            style.element.get_or_add_pPr().remove_all("w:pBdr")  # the template's rule
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), LANGUAGE)
    styles["Normal"].element.get_or_add_rPr().append(language)
    # the document's default language, and the one its theme's fonts are chosen for
    for default in styles.element.iter(qn("w:rPrDefault")):
        for lang in default.iter(qn("w:lang")):
            lang.set(qn("w:val"), LANGUAGE)
    for lang in document.settings.element.iter(qn("w:themeFontLang")):
        lang.set(qn("w:val"), LANGUAGE)
    table = styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    table.style_id = TABLE_STYLE_ID
    table.base_style = styles["Normal"]
    _font(table, TABLE_TEXT.font)
    form = table.paragraph_format
    form.alignment, form.first_line_indent = ALIGN[TABLE_TEXT.align], Mm(TABLE_TEXT.first_line)
    form.space_before, form.space_after = Pt(TABLE_TEXT.space_before), Pt(TABLE_TEXT.space_after)
    form.widow_control = True


def _page(document, page: Page) -> None:
    section = document.sections[0]
    width, height = _paper(page)
    if page.landscape:
        width, height = height, width
    section.orientation = WD_ORIENT.LANDSCAPE if page.landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = width, height
    margins = page.margins
    section.top_margin, section.bottom_margin = Mm(margins.top), Mm(margins.bottom)
    section.left_margin, section.right_margin = Mm(margins.left), Mm(margins.right)
    section.header_distance = section.footer_distance = Mm(10)
    section.different_first_page_header_footer = not page.header_on_first_page
    if page.header:
        _numbered(section.header.paragraphs[0], page.header)
    if page.footer:
        _numbered(section.footer.paragraphs[0], page.footer)
        if not page.header_on_first_page:
            _numbered(section.first_page_footer.paragraphs[0], page.footer)


def _numbered(paragraph, text: str) -> None:
    """A centred header or footer line, `{page}` and `{pages}` as Word's page fields."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Pt(0)
    fields = {"{page}": "PAGE", "{pages}": "NUMPAGES"}
    rest = text
    while rest:
        at, name = min(((rest.find(k), k) for k in fields if k in rest), default=(len(rest), ""))
        if at:
            _sized(paragraph.add_run(rest[:at]))
        if not name:
            break
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), fields[name])
        run = paragraph.add_run("1")  # shown until the word processor counts the pages
        _sized(run)
        paragraph._p.append(field)
        field.append(run._r)
        rest = rest[at + len(name) :]


def _sized(run) -> None:
    run.font.name, run.font.size = FONT, Pt(BODY_SIZE)


def _properties(document, title: str) -> None:
    props = document.core_properties
    props.title, props.author, props.comments = title, "", ""
    props.last_modified_by, props.revision = "", 1
    props.created = props.modified = FIXED_DATE
    package = document.part.package
    for rid, rel in list(package.rels.items()):  # the template's picture of an empty page
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rid]


def _saved(document) -> bytes:
    """The document's bytes: saved by python-docx, then zipped again with every entry dated
    `ZIP_DATE` (python-docx stamps the time of saving and offers no way to choose it), in the
    same order and deflated alike, so that the same document gives the same bytes."""
    saved = io.BytesIO()
    document.save(saved)
    return dated(saved.getvalue())


def dated(package: bytes) -> bytes:
    """A zip's bytes with every entry dated `ZIP_DATE`, nothing else changed: the date and time
    fields of each entry's local header and of its central directory record are written over
    in place (the entries are not read or compressed again)."""
    stamp = struct.pack("<HH", *_dos_time_and_date(ZIP_DATE))
    out = bytearray(package)
    with zipfile.ZipFile(io.BytesIO(package)) as zipped:
        entries, at = zipped.infolist(), zipped.start_dir
    for entry in entries:
        out[entry.header_offset + 10 : entry.header_offset + 14] = stamp  # local header
        out[at + 12 : at + 16] = stamp  # central directory record
        names, extra, comment = struct.unpack_from("<HHH", out, at + 28)
        at += 46 + names + extra + comment
    return bytes(out)


def _dos_time_and_date(when: tuple[int, ...]) -> tuple[int, int]:
    """A date as a zip stores it (MS-DOS): time in two-second steps, date from 1980."""
    year, month, day, hour, minute, second = when
    return hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day


# ---------------------------------------------------------------------------- paragraphs


class _Stamps:
    """Paragraphs drawn by python-docx once per look and copied for each text of that look, and
    the styles' ids (python-docx finds a style given by name, or by object, by going through
    every style of its template: a millisecond each time)."""

    def __init__(self, document, ids: dict[str, str], drawn: dict) -> None:
        self.document = document
        self.ids = ids
        self.drawn = drawn  # the looks drawn so far, shared by a page's documents
        self.body_element = document.element.body

    def copy(self, key, draw: Callable[[object], None], style_id: str, text: str):
        """A `w:p` of this look (`draw` sets it on a paragraph of `style_id`), holding `text`."""
        if key not in self.drawn:
            paragraph = self.document.add_paragraph("-")
            paragraph._p.get_or_add_pPr().style = style_id
            draw(paragraph)
            self.body_element.remove(paragraph._p)
            # a copy, kept by the process: the paragraph drawn would keep its whole document
            self.drawn[key] = copy.deepcopy(paragraph._p)
        made = copy.deepcopy(self.drawn[key])
        runs = made.findall(W_R)  # lxml's own search: python-docx's accessors cost far more
        if text:
            # every text drawn is one line: the record's text is cleaned (pipeline.text.clean)
            t = runs[-1].find(W_T)
            t.text = text
            if text != text.strip():
                t.set(qn("xml:space"), "preserve")
        else:
            made.remove(runs[-1])
        return made

    def body(self, style: str, text: str, new_page: bool = False) -> None:
        """A paragraph of the document's text in a Word style."""

        def draw(paragraph) -> None:
            paragraph.paragraph_format.page_break_before = new_page or None

        p = self.copy(("body", style, new_page), draw, self.ids[style], text)
        self.body_element._insert_p(p)

    def line(self, look: str, text: str, new_page: bool) -> None:
        """A line of a table's sheet drawn outside the table, in the look of `look`."""

        def draw(paragraph) -> None:
            form = paragraph.paragraph_format
            form.page_break_before = new_page or None
            form.space_before = form.space_after = Pt(6)
            _look(paragraph, LOOKS[look])

        p = self.copy(("line", look, new_page), draw, TABLE_STYLE_ID, text)
        self.body_element._insert_p(p)

    def cell(self, look: str, text: str, keep: bool):
        """A cell's paragraph in the look of `look`; `keep`: kept with the next row."""

        def draw(paragraph) -> None:
            paragraph.paragraph_format.keep_with_next = keep or None
            _look(paragraph, LOOKS[look])

        return self.copy(("cell", look, keep), draw, TABLE_STYLE_ID, text)


@dataclass(frozen=True)
class _Look:
    """A style as python-docx sets it on a cell's paragraph and run, and the cell's shading;
    `bordered`: a cell of the table (a line without borders is drawn outside it)."""

    align: int
    bold: bool | None
    italic: bool | None
    underline: bool | None
    size: int | None  # None: the tables' text size
    colour: RGBColor | None
    shading: str | None  # RRGGBB
    bordered: bool


def _translated(style: Style) -> _Look:
    font = style.font
    return _Look(
        ALIGN[style.align or "left"],
        font.bold or None,
        font.italic or None,
        font.underline or None,
        Pt(font.size) if font.size != TABLE_SIZE else None,
        _rgb(font.colour) if font.colour else None,
        style.fill.lstrip("#") if style.fill else None,
        style.border is not None,
    )


LOOKS = {name: _translated(style) for name, style in STYLES.items()}


def _look(paragraph, look: _Look) -> None:
    """A paragraph's alignment and its run's font, in the look of its style."""
    paragraph.alignment = look.align
    run = paragraph.runs[-1]
    run.bold, run.italic = look.bold, look.italic
    if look.underline:
        run.underline = True
    if look.size is not None:
        run.font.size = look.size
    if look.colour is not None:
        run.font.color.rgb = look.colour


# ---------------------------------------------------------------------------- tables


def _paper(page: Page) -> tuple[int, int]:
    """The paper's width and height, portrait."""
    paper = PAPERS[page.paper]
    return Mm(paper.width), Mm(paper.height)


def _text_width(page: Page) -> int:
    width, height = _paper(page)
    return (height if page.landscape else width) - Mm(page.margins.left + page.margins.right)


def _table(document, stamps: _Stamps, sheet: SheetLayout, new_page: bool, width: int) -> None:
    """The sheet's printed area: the lines above its header row and below its bordered rows as
    paragraphs, the rows between as a table whose header row repeats on every page."""
    page = sheet.page
    columns, top = page.columns, page.header_row or 0
    grid: dict[tuple[int, int], tuple[str, str, int, int]] = {}  # text, look, bottom, right
    for r1, c1, r2, c2, text, look in sheet.merges:
        if r1 < page.rows and c1 < columns:
            grid[r1, c1] = (text, look, min(r2, page.rows - 1), min(c2, columns - 1))
    for row, col, text, look in sheet.cells:
        if row < page.rows and col < columns:
            grid.setdefault((row, col), (text, look, row, col))
    bottom = max((r for (r, _), g in grid.items() if LOOKS[g[1]].bordered), default=top)
    texts = {}  # a row outside the table: its texts, in the look of its first
    for (row, _), (text, look, _, _) in sorted(grid.items()):
        if text and not top <= row <= bottom:
            texts.setdefault(row, (look, []))[1].append(text)
    pending = new_page  # the first paragraph drawn starts the new page
    for row in sorted(r for r in texts if r < top):
        stamps.line(texts[row][0], " ".join(texts[row][1]), pending)
        pending = False
    if pending:
        stamps.line("text", "", True)

    table = document.add_table(rows=1, cols=columns)
    table._tbl.tblPr.style = stamps.ids["Table Grid"]  # by id, as for paragraphs
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _cell_margins(table, CELL_MARGIN)
    total = sum(sheet.widths[:columns])
    widths = [int(width * w / total) for w in sheet.widths[:columns]]
    for column, w in zip(table.columns, widths, strict=True):
        column.width = w
    # the first row is laid out once (widths, text centred in the height, the tables' text
    # style, never split over two pages); every other row starts as a copy of it
    first = table.rows[0]
    first._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for cell, w in zip(first.cells, widths, strict=True):
        cell.width = w
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        cell.paragraphs[0]._p.get_or_add_pPr().style = TABLE_STYLE_ID
    rows = [first._tr]
    for _ in range(bottom - top):
        rows.append(copy.deepcopy(first._tr))
        table._tbl.append(rows[-1])
    first._tr.trPr.append(OxmlElement("w:tblHeader"))  # repeated on every page
    # kept with the next row: a group's row, and every row of an item but its last
    keep = {r for (r, _), g in grid.items() if g[1] in KEEP_WITH_NEXT}
    keep |= {r for (r1, _), g in grid.items() for r in range(r1, g[2])}
    tcs = [tr.findall(W_TC) for tr in rows]  # by grid column, before any merge
    for (r1, c1), (text, look, r2, c2) in sorted(grid.items()):
        if not top <= r1 <= bottom:
            continue
        tc = _merged(rows[r1 - top : r2 - top + 1], tcs[r1 - top : r2 - top + 1], c1, c2 - c1)
        tc.remove(tc.find(W_P))
        tc.append(stamps.cell(look, text, r1 in keep))
        if LOOKS[look].shading:
            _shade(tc, LOOKS[look].shading)
    for row in sorted(r for r in texts if r > bottom):
        stamps.line(texts[row][0], " ".join(texts[row][1]), False)


def _cell_margins(table, margin: int) -> None:
    """Less space left and right of a cell's text than Word's default, as in the workbook: "TT"
    then fits its narrow column."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("w:left", "w:right"):
        element = OxmlElement(side)
        element.set(qn("w:w"), str(round(margin / 635)))  # EMU to twentieths of a point
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    # in the order the schema gives a table's properties (Word refuses a file out of it)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")


def _merged(rows: list, tcs: list, column: int, extra: int):
    """Merge a cell with the `extra` columns to its right over these rows as Word marks a merge
    (the first cell of each row spans the columns, `gridSpan`; the rows below continue the first
    one, `vMerge`) and return the top left `w:tc`. The cells merged are empty: python-docx's
    `merge` would move their content too, at ten times the cost."""
    for r, tr in enumerate(rows):
        tc = tcs[r][column]
        for following in tcs[r][column + 1 : column + 1 + extra]:
            tc.width += following.width
            tr.remove(following)
        if extra:
            _cell_property(tc, "w:gridSpan", str(extra + 1))
        if len(rows) > 1:  # "continue" is the default: no value
            _cell_property(tc, "w:vMerge", "restart" if r == 0 else None)
    return tcs[0][column]


def _shade(tc, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    _in_place(tc.get_or_add_tcPr(), shading)


def _cell_property(tc, tag: str, value: str | None) -> None:
    """Set a cell's property `tag` (one there already is replaced), its value `value` (None:
    the property's default, no value written), as python-docx's own setters do."""
    properties = tc.get_or_add_tcPr()
    element = OxmlElement(tag)
    for old in properties.findall(element.tag):
        properties.remove(old)
    if value is not None:
        element.set(qn("w:val"), value)
    _in_place(properties, element)


def _in_place(properties, element) -> None:
    """Put a cell's property before the first of the cell's properties the schema orders after
    it (a cell has only a few)."""
    rank = TC_PR_RANK[element.tag]
    for child in properties:
        if TC_PR_RANK.get(child.tag, -1) > rank:
            child.addprevious(element)
            return
    properties.append(element)

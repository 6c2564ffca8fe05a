"""Rendering a `SheetLayout` as an HTML table, for the intake page (`bieu phuc-vu`).

The third renderer: the same sheet model the workbooks are drawn from, as `<table
class="trang-tinh">`, each cell in a class named after its style. The look is
`pipeline/layout/style.py`'s, translated once into a stylesheet (`stylesheet`): the page serves it
as a file of its own, since a strict Content-Security-Policy refuses styles written inside a page.
A cell with problems (a `mark:` style) also bears the class the page's contract names for its
level (`o-loi`, `o-canh-bao`, `o-phat-hien`), its note in its `title` and in a
`<span class="loi-nhan">` inside it. Every text is escaped: a workbook's cell holding
`<script>` shows those characters. Letters above the columns and numbers beside the rows name
each cell as the messages do (E7).
"""

from __future__ import annotations

from html import escape

from pipeline.cells import column_letter
from pipeline.layout.sheet import SheetLayout
from pipeline.layout.style import GRIDLINES, INK, STYLES, Style
from pipeline.parse import format_vi
from pipeline.text import slug
from schemas.vocabulary import ERROR, FINDING, WARNING

TABLE = "trang-tinh"  # the class of every table drawn
NOTE = "loi-nhan"  # the class of a cell's note shown inside it
HEAD = "o-ten"  # the class of a column's letter and a row's number
# the class a marked cell bears for its level, as the intake page's contract names them
MARKED = {
    f"mark:{ERROR}": "o-loi",
    f"mark:{WARNING}": "o-canh-bao",
    f"mark:{FINDING}": "o-phat-hien",
}
PIXELS = 7  # screen pixels per unit of a spreadsheet's column width


def class_of(style: str) -> str:
    """The class of a style's cells: `k-` and the style's name in plain letters
    ("rating:Vượt" → "k-rating-vuot")."""
    return "k-" + slug(style.replace(":", " ")).replace("_", "-")


def _declarations(style: Style) -> list[str]:
    font = style.font
    said = [
        f"font-family:'{font.name}',serif",
        f"font-size:{font.size}pt",
        f"color:{font.colour or INK}",
        f"font-weight:{'bold' if font.bold else 'normal'}",
        f"font-style:{'italic' if font.italic else 'normal'}",
        f"text-decoration:{'underline' if font.underline else 'none'}",
        f"vertical-align:{ {'center': 'middle', 'top': 'top'}.get(style.valign or '', 'bottom') }",
        f"white-space:{'pre-wrap' if style.wrap else 'pre'}",
    ]
    if style.align:
        said.append(f"text-align:{style.align}")
    if style.fill:
        said.append(f"background-color:{style.fill}")
    if style.border:
        said.append(f"border:1px solid {style.border.colour or INK}")
    if style.indent:
        said.append(f"padding-left:{style.indent}em")
    return said


def stylesheet() -> str:
    """The CSS of every style a table may name, made once from `pipeline/layout/style.py`."""
    table = f"table.{TABLE}"
    rules = [
        f"{table}{{border-collapse:collapse;margin:0.5em 0 1.5em}}",
        f"{table} caption{{text-align:left;font-weight:bold;padding:0.25em 0}}",
        f"{table} td,{table} th{{padding:2px 4px}}",
        f"{table} td{{border:1px solid {GRIDLINES}}}",  # a spreadsheet's grid, where no border
        f"{table} .{HEAD}{{font-weight:normal;color:{INK};opacity:0.6;text-align:center}}",
        f"{table} .{NOTE}{{display:block;font-size:0.85em;font-style:italic;white-space:pre-line}}",
        *(
            f"{table} td.{class_of(name)}{{{';'.join(_declarations(s))}}}"
            for name, s in STYLES.items()
        ),
    ]
    return "\n".join(rules) + "\n"


CSS = stylesheet()


def table(sheet: SheetLayout) -> str:
    """The sheet as one HTML table: its cells, merged ranges as spans, numbers in Vietnamese
    notation, each marked cell with its note; escaped."""
    cells: dict[tuple[int, int], tuple[str, str]] = {}
    for row, col, text, style in sheet.cells:
        cells[(row, col)] = (text, style)
    for row, col, value, style in sheet.numbers:
        cells[(row, col)] = (format_vi(value), style)
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for r1, c1, r2, c2, text, style in sheet.merges:
        cells[(r1, c1)] = (text, style)
        spans[(r1, c1)] = (r2 - r1 + 1, c2 - c1 + 1)
        covered |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)} - {(r1, c1)}
    places = set(cells) | set(sheet.notes)
    rows = max([r for r, _ in places] + [sheet.page.rows - 1], default=-1) + 1
    cols = max([c for _, c in places] + [sheet.page.columns - 1, len(sheet.widths) - 1]) + 1
    out = [f'<table class="{TABLE}" data-sheet="{escape(sheet.name)}">']
    out.append(f"<caption>{escape(sheet.name)}</caption>")
    out.append("<colgroup><col>")
    for col in range(cols):
        width = sheet.widths[col] if col < len(sheet.widths) else 0
        out.append(f'<col width="{round(width * PIXELS)}">' if width else "<col>")
    out.append("</colgroup>")
    letters = "".join(f'<th class="{HEAD}">{column_letter(c)}</th>' for c in range(cols))
    out.append(f'<thead><tr><th class="{HEAD}"></th>{letters}</tr></thead><tbody>')
    for row in range(rows):
        out.append(f'<tr><th class="{HEAD}">{row + 1}</th>')
        for col in range(cols):
            if (row, col) not in covered:
                out.append(_cell(sheet, row, col, cells.get((row, col)), spans.get((row, col))))
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _cell(
    sheet: SheetLayout,
    row: int,
    col: int,
    found: tuple[str, str] | None,
    span: tuple[int, int] | None,
) -> str:
    text, style = found or ("", sheet.column_styles.get(col, ""))
    classes = [class_of(style)] if style in STYLES else []
    if style in MARKED:
        classes.append(MARKED[style])
    note = sheet.notes.get((row, col), "")
    said = [f' class="{" ".join(classes)}"'] if classes else []
    if span and span != (1, 1):
        said += [f' rowspan="{span[0]}"'] * (span[0] > 1) + [f' colspan="{span[1]}"'] * (
            span[1] > 1
        )
    if note:
        said.append(f' title="{escape(note)}"')
        inside = f'{escape(text)}<span class="{NOTE}">{escape(note)}</span>'
    else:
        inside = escape(text)
    return f"<td{''.join(said)}>{inside}</td>"

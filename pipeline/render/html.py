"""Rendering a `SheetLayout` as an HTML table, for the intake page (`bieu phuc-vu`).

The third renderer: the same sheet model the workbooks are drawn from, as `<table
class="trang-tinh">`, each cell in a class named after its style. The look is
`pipeline/layout/style.py`'s, translated once into a stylesheet (`stylesheet`): the page serves it
as a file of its own, since a strict Content-Security-Policy refuses styles written inside a page.
A cell with problems (a `mark:` style) also bears the class the page's contract names for its
level (`o-loi`, `o-canh-bao`, `o-phat-hien`), its note in its `title` and a number linking to the
note written whole under the table (`<li class="loi-nhan">` of a numbered list): a long message
is read at the page's width, never squeezed into a narrow cell. Every text is escaped: a
workbook's cell holding `<script>` shows those characters. Letters above the columns and numbers
beside the rows name each cell as the messages do (E7); what the workbook hides (a row of height
0, a column of width 0) is not drawn, unless a problem lies there.
"""

from __future__ import annotations

from html import escape

from pipeline.cells import a1, column_letter
from pipeline.layout.sheet import SheetLayout
from pipeline.layout.style import FORM_HEADER, GRIDLINES, INK, STYLES, Style
from pipeline.parse import format_vi
from pipeline.text import slug
from schemas.vocabulary import ERROR, FINDING, WARNING

TABLE = "trang-tinh"  # the class of every table drawn
NOTE = "loi-nhan"  # the class of a cell's note, in the numbered list under its table
NOTES = "cac-loi-nhan"  # that list
MARK = "so-loi-nhan"  # the class of the number in a marked cell linking to its note
HEAD = "o-ten"  # the class of a column's letter and a row's number
HIDDEN = "an"  # a row or column the workbook hides, drawn for the mark it holds
EMPTY = "o-trong"  # an empty cell of a table's row (a group's row): bordered as the table is
# the class a marked cell bears for its level, as the intake page's contract names them
MARKED = {
    f"mark:{ERROR}": "o-loi",
    f"mark:{WARNING}": "o-canh-bao",
    f"mark:{FINDING}": "o-phat-hien",
}
PIXELS = 7  # screen pixels per unit of a spreadsheet's column width
TABLE_BORDER = STYLES["text"].border.colour or INK  # the line of a printed table's cells


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
        f"{table} td.{EMPTY}{{border:1px solid {TABLE_BORDER}}}",  # a table row's empty cell
        f"{table} .{HEAD}{{font-weight:normal;color:{INK};opacity:0.6;text-align:center}}",
        f"{table} .{HEAD}.{HIDDEN}{{font-style:italic}}",
        f"{table} a.{MARK}{{font:bold 0.8em sans-serif;vertical-align:super;margin-left:2px;"
        f"color:{INK};text-decoration:none}}",
        f"{table} tfoot td{{border:none;padding:0.5em 0 0}}",
        f"{table} ol.{NOTES}{{margin:0;padding-left:2.5em;font:0.95em sans-serif;"
        "white-space:pre-line;max-width:60em}",
        f"{table} ol.{NOTES} li{{margin:0.2em 0}}",
        f"{table} li:target{{background:{FORM_HEADER}}}",  # the note a cell's number led to
        *(
            f"{table} td.{class_of(name)}{{{';'.join(_declarations(s))}}}"
            for name, s in STYLES.items()
        ),
    ]
    return "\n".join(rules) + "\n"


CSS = stylesheet()


def table(sheet: SheetLayout, anchor: str = "") -> str:
    """The sheet as one HTML table: its cells, merged ranges as spans, numbers in Vietnamese
    notation, escaped. A marked cell keeps its text, gets its note as its `title` (shown when
    the pointer rests on it) and a number linking to that note, written whole in a numbered
    list under the table (`<tfoot>`): a long message is read at a page's width, not squeezed
    into a narrow cell. A row or column of width or height 0 is hidden in the workbook and not
    drawn, unless it holds a marked cell (then its letter or number says "ẩn"). `anchor`: what
    makes the notes' ids unique on a page drawing several workbooks."""
    cells: dict[tuple[int, int], tuple[str, str]] = {}
    for row, col, text, style in sheet.cells:
        cells[(row, col)] = (text, style)
    for row, col, value, style in sheet.numbers:
        cells[(row, col)] = (format_vi(value), style)
    spans: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for r1, c1, r2, c2, text, style in sheet.merges:
        cells[(r1, c1)] = (text, style)
        spans[(r1, c1)] = (r1, c1, r2, c2)
        covered |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)} - {(r1, c1)}
    places = set(cells) | set(sheet.notes)
    rows = max([r for r, _ in places] + [sheet.page.rows - 1], default=-1) + 1
    cols = max([c for _, c in places] + [sheet.page.columns - 1, len(sheet.widths) - 1]) + 1
    noted = {r for r, _ in sheet.notes}, {c for _, c in sheet.notes}
    hidden_rows = {r for r, h in sheet.heights.items() if h == 0}
    hidden_cols = {c for c, w in enumerate(sheet.widths) if w == 0}
    shown_rows = [r for r in range(rows) if r not in hidden_rows or r in noted[0]]
    shown_cols = [c for c in range(cols) if c not in hidden_cols or c in noted[1]]
    # the rows drawn as a table's rows: those with a bordered cell; their empty cells bordered too
    bordered = {
        r for (r, _), (_, style) in cells.items() if style in STYLES and STYLES[style].border
    }
    named = [slug(part).replace("_", "-") for part in (anchor, sheet.name)]
    prefix = "-".join(["gc", *(part for part in named if part)])
    notes = [(place, sheet.notes[place]) for place in sorted(sheet.notes) if sheet.notes[place]]
    number = {place: i for i, (place, _) in enumerate(notes, start=1)}
    out = [f'<table class="{TABLE}" data-sheet="{escape(sheet.name)}">']
    out.append(f"<caption>{escape(sheet.name)}</caption>")
    out.append("<colgroup><col>")
    for col in shown_cols:
        width = sheet.widths[col] if col < len(sheet.widths) else 0
        out.append(f'<col width="{round(width * PIXELS)}">' if width else "<col>")
    out.append("</colgroup>")
    letters = "".join(_head(column_letter(c), c in hidden_cols, "cột") for c in shown_cols)
    out.append(f'<thead><tr><th class="{HEAD}"></th>{letters}</tr></thead>')
    if notes:
        items = "".join(
            f'<li class="{NOTE}" id="{prefix}-{i}">'
            f'<a href="#{prefix}-o-{i}">{a1(*place)}</a>: {escape(note)}</li>'
            for i, (place, note) in enumerate(notes, start=1)
        )
        out.append(
            f'<tfoot><tr><td colspan="{len(shown_cols) + 1}">'
            f'<ol class="{NOTES}">{items}</ol></td></tr></tfoot>'
        )
    out.append("<tbody>")
    for row in shown_rows:
        out.append(f"<tr>{_head(str(row + 1), row in hidden_rows, 'hàng')}")
        for col in shown_cols:
            if (row, col) in covered:
                continue
            span = spans.get((row, col))
            if span is not None:
                r1, c1, r2, c2 = span
                span = (
                    sum(r1 <= r <= r2 for r in shown_rows),
                    sum(c1 <= c <= c2 for c in shown_cols),
                )
            found = cells.get((row, col))
            empty = found is None and row in bordered
            at = number.get((row, col))
            link = (f"{prefix}-o-{at}", f"{prefix}-{at}") if at else None
            out.append(_cell(sheet, row, col, found, span, empty, link))
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _head(text: str, hidden: bool, what: str) -> str:
    """A column's letter or a row's number; one the workbook hides (drawn for its mark) says so."""
    if not hidden:
        return f'<th class="{HEAD}">{text}</th>'
    return f'<th class="{HEAD} {HIDDEN}" title="{what} ẩn trong tệp">{text} (ẩn)</th>'


def _cell(
    sheet: SheetLayout,
    row: int,
    col: int,
    found: tuple[str, str] | None,
    span: tuple[int, int] | None,
    empty: bool,
    link: tuple[str, str] | None,
) -> str:
    text, style = found or ("", sheet.column_styles.get(col, ""))
    classes = [class_of(style)] if style in STYLES else []
    if style in MARKED:
        classes.append(MARKED[style])
    if empty and not classes:
        classes.append(EMPTY)
    note = sheet.notes.get((row, col), "")
    said = [f' class="{" ".join(classes)}"'] if classes else []
    if span and span != (1, 1):
        said += [f' rowspan="{span[0]}"'] * (span[0] > 1) + [f' colspan="{span[1]}"'] * (
            span[1] > 1
        )
    inside = escape(text)
    if note:
        said.append(f' title="{escape(note)}"')
    if note and link:
        said.append(f' id="{link[0]}"')
        number = link[1].rsplit("-", 1)[1]
        inside += f'<a class="{MARK}" href="#{link[1]}">{number}</a>'
    return f"<td{''.join(said)}>{inside}</td>"


def note(text: str) -> str:
    """A line said in place of the tables (escaped)."""
    return f"<p>{escape(text)}</p>"

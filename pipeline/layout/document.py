"""The document model the report's layout builds and a word processor's renderer draws:
paragraphs with style names, and tables given as the annexes' own `SheetLayout`s.

Renderer-neutral, like the sheet model: `pipeline/render/docx.py` draws a `DocumentLayout` with
python-docx. Paragraph style names, each looking as `pipeline/layout/style.py` says: `"title"`
and `"subtitle"` (the document's title lines), `"heading1"` to `"heading3"` (numbered headings:
"2.", "2.1-", "2.1.1.", each in its look), `"body"` (a paragraph of prose). `outline` is the
level a word processor gives "heading1" in the report's outline (the seed's report has "2." and
"3." under "I." and "II.": level 2); the others follow it. A table prints its sheet's printed area
only
(`page.columns` × `page.rows`): the lines above its header row as paragraphs, the header row
repeated on every page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.layout.sheet import Page, SheetLayout
from pipeline.layout.style import PARAGRAPHS

STYLES = tuple(PARAGRAPHS)  # the paragraph styles, each with its look


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = "body"
    new_page: bool = False  # starts on a new page


@dataclass(frozen=True)
class Table:
    sheet: SheetLayout
    new_page: bool = True  # starts on a new page


@dataclass
class DocumentLayout:
    title: str  # the document's title, as its properties give it
    page: Page
    blocks: list[Paragraph | Table] = field(default_factory=list)
    outline: int = 2  # the outline level of "heading1"

    def add(self, text: str, style: str = "body", new_page: bool = False) -> None:
        if style not in STYLES:
            raise ValueError(f"unknown paragraph style {style!r}")
        self.blocks.append(Paragraph(text, style, new_page))

    def paragraphs(self, style: str | None = None) -> list[str]:
        """The paragraphs' texts (of one style), in order."""
        return [
            b.text
            for b in self.blocks
            if isinstance(b, Paragraph) and (style is None or b.style == style)
        ]

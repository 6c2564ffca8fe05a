"""A copy of a Word report with a comment on each figure the proofreader questions.

The original's bytes are read, never written: the copy is made from them in memory. A comment
marks its figure alone: the run that holds the figure is split where the figure begins and ends
(the pieces keep the run's formatting), and the comment anchored on the figure's runs, whatever
runs Word had split the figure into. Comments carry a fixed date, and the copy's zip entries a
fixed time, so that the same report and record give the same bytes.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from dataclasses import dataclass

import docx
from docx.oxml.ns import qn
from docx.text.run import Run

from pipeline.render.docx import dated

AUTHOR, INITIALS = "Soát báo cáo (bieu)", "SBC"
DATE = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Mark:
    """A comment to write: the paragraph (its index among the body's paragraphs), the figure's
    offsets in its text as Word holds it, and the comment's words."""

    paragraph: int
    start: int
    end: int
    text: str


def commented(original: bytes, marks: list[Mark]) -> bytes:
    """The document with a comment on each mark (marks on the same text share one comment)."""
    document = docx.Document(io.BytesIO(original))
    paragraphs = document.paragraphs
    grouped: dict[tuple[int, int, int], list[str]] = {}
    for mark in marks:
        grouped.setdefault((mark.paragraph, mark.start, mark.end), []).append(mark.text)
    # from the end of each paragraph back, so that splitting a run moves no offset still to come
    for (index, start, end), texts in sorted(grouped.items(), reverse=True):
        paragraph = paragraphs[index]
        runs = _isolated(paragraph, start, end)
        if not runs:
            continue
        comment = document.add_comment(runs, "\n".join(texts), AUTHOR, INITIALS)
        comment._comment_elm.set(qn("w:date"), DATE.strftime("%Y-%m-%dT%H:%M:%SZ"))
    saved = io.BytesIO()
    document.save(saved)
    return dated(saved.getvalue())


def _runs(paragraph) -> list[Run]:
    return [Run(r, paragraph) for r in paragraph._p.iter(qn("w:r"))]


def _isolated(paragraph, start: int, end: int) -> list[Run]:
    """The runs that hold exactly the text from `start` to `end` (offsets in the paragraph's
    runs' text), splitting the runs at both ends where needed."""
    _split_at(paragraph, end)
    _split_at(paragraph, start)
    out, at = [], 0
    for run in _runs(paragraph):
        length = len(run.text)
        if at >= start and at + length <= end and length:
            out.append(run)
        at += length
    return out


def _split_at(paragraph, offset: int) -> None:
    """Split the run `offset` falls inside into two runs of the same formatting."""
    at = 0
    for run in _runs(paragraph):
        text = run.text
        if at < offset < at + len(text):
            cut = offset - at
            twin = copy.deepcopy(run._r)
            run._r.addnext(twin)
            run.text = text[:cut]
            Run(twin, paragraph).text = text[cut:]
            return
        at += len(text)

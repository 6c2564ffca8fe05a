"""The look of every product: one neutral table that each renderer translates."""

from __future__ import annotations

import re
from dataclasses import fields

import pytest

from pipeline.layout import style
from pipeline.layout.style import PARAGRAPHS, STYLES, Font
from pipeline.problems import ERROR, WARNING
from schemas.vocabulary import PROGRESS, RATINGS

HEX = re.compile(r"^#[0-9A-F]{6}$")


def colours(look) -> list[str]:
    """Every colour a style or font names."""
    found = []
    for f in fields(look):
        value = getattr(look, f.name)
        if isinstance(value, str) and f.name in ("colour", "fill"):
            found.append(value)
        elif hasattr(value, "__dataclass_fields__"):
            found += colours(value)
    return found


def test_every_colour_is_hex():
    looks = [*STYLES.values(), *PARAGRAPHS.values()]
    named = [style.INK, style.SPARKLINE, style.GRIDLINES, style.BAR_EDGE, *style.SEVERITY.values()]
    named += [c for m in style.POINTS.values() for c in (m.fill, m.border)]
    assert [c for c in [*named, *(c for s in looks for c in colours(s))] if not HEX.match(c)] == []


def test_ratings_progress_and_severities_take_their_colours_from_one_place():
    for r in RATINGS:
        look = STYLES[f"rating:{r.word}"]
        assert (look.fill, look.font.colour) == (r.fill, r.ink)
    for p in PROGRESS:
        assert STYLES[f"progress:{p.word}"].fill == p.fill
        # a chart's point of a status: its hue strong enough to see, bordered with the ink of
        # the table's cell, under the same style name
        assert style.POINTS[f"progress:{p.word}"] == style.Marker(p.bar, p.ink)
    assert set(style.POINTS) == {f"progress:{p.word}" for p in PROGRESS}
    assert STYLES[f"mark:{ERROR}"].fill == "#FF7C80"
    assert STYLES[f"mark:{WARNING}"].fill == "#FFC000"


def test_every_text_is_in_the_administrative_font():
    fonts = [s.font for s in STYLES.values()] + [t.font for t in PARAGRAPHS.values()]
    assert {f.name for f in fonts} == {"Times New Roman"}
    assert all(isinstance(f.size, int) for f in fonts)  # whole points: "12", never "12.0"
    assert Font(12).colour is None  # the renderer's ink


def translated() -> dict[str, dict]:
    from pipeline.render import docx, marked, xlsx

    return {"xlsx": xlsx.FORMATS, "docx": docx.LOOKS, "marked": marked._LOOKS}


@pytest.mark.parametrize("renderer", ["xlsx", "docx", "marked"])
def test_each_renderer_translates_every_style_once(renderer):
    assert list(translated()[renderer]) == list(STYLES)


def test_the_workbook_format_sets_only_what_the_style_says():
    from pipeline.render.xlsx import FORMATS

    assert FORMATS["warn"] == {
        "font_name": "Times New Roman",
        "font_size": 12,
        "valign": "vcenter",
        "text_wrap": True,
        "bold": True,
        "font_color": "#9C0006",
        "border": 1,
    }
    assert FORMATS["side_value"]["num_format"] == "#,##0.00"
    assert FORMATS["side_text"]["border_color"] == "#A6A6A6"

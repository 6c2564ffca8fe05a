"""What the page calls to check, accept and build: the check core (`pipeline.intake.submit`,
docs/submit.md) and the third renderer (`pipeline.render.html`), behind a thin adapter, and the
words of an upload's state: the core's three, and the page's own two while it works."""

from __future__ import annotations

from pathlib import Path

from pipeline.intake import submit
from schemas.vocabulary import ACCEPTED, ERRORS, WAITING  # noqa: F401 - engine.WAITING

# the page's own states: an upload sent and not answered yet, and an accepted one being built
CHECKING, BUILDING = "Đang kiểm tra", "Đang dựng"
WORKING = (CHECKING, BUILDING)


def make_upload(ma_xa: str, ten_tep: str, data: bytes) -> submit.Upload:
    return submit.Upload(ma_xa=ma_xa, ten_tep=ten_tep, data=data)


def check(raw: Path, uploads: list, members) -> list[submit.Checked]:
    """Every upload waiting, in one pass (`submit.check`)."""
    return submit.check(raw, uploads, members)


def accept(raw: Path, checked: submit.Checked) -> Path:
    """An accepted upload into raw/, through the journal (`submit.accept`)."""
    return submit.accept(raw, checked)


def rebuild(raw: Path, output: Path, ma_xa: str):
    """The commune's products and the roll-up, under the output's lock (`submit.rebuild`)."""
    return submit.rebuild(raw, output, ma_xa)


def table_css() -> str:
    """The CSS of the sheets' tables, made from `pipeline/layout/style.py` by the renderer
    (served as a file: the page's CSP allows no inline style)."""
    from pipeline.render import html

    return html.CSS


def sheets_html(checked: submit.Checked) -> str:
    """The upload's sheets as HTML tables, problem cells marked (the third renderer)."""
    if not checked.sheets:
        return ""
    from pipeline.render import html

    return "\n".join(html.table(sheet) for sheet in checked.sheets)

"""What the page calls to check, accept and build: the check core (`pipeline.intake.submit`,
docs/submit.md) and the third renderer (`pipeline.render.html`), behind a thin adapter, and the
words of an upload's state: the core's three, and the page's own two while it works."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from pipeline.intake import submit
from pipeline.parse import format_vi
from pipeline.problems import tagged
from schemas.vocabulary import ACCEPTED, ERRORS, WAITING  # noqa: F401 - engine.WAITING

# the page's own states: an upload sent and not answered yet, and an accepted one being built
CHECKING, BUILDING = "Đang kiểm tra", "Đang dựng"
WORKING = (CHECKING, BUILDING)
MAX_DRAWN_CELLS = 20_000  # a commune's workbook has a few thousand; past this, not drawn
REPORT = submit.REPORT  # a Word report that opened: its drafts are shown, never accepted


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


def own_names(raw: Path, checked: submit.Checked) -> set[str]:
    """The names an upload's own file has in its problems: as sent, and its place in raw/."""
    return {submit.sent_name(checked.upload), f"{raw.name}/{checked.target}"}


def shown_line(problem: dict, sent_as: str, raw_name: str = "raw") -> str:
    """A problem's line as the page shows it to a commune: the file named as the commune knows
    it (the upload's own by the name it was sent with, another by its file name, never the
    server's folders), then the sheet and cell, as the terminal prints it otherwise. A line kept
    without its parts (a refused file, or kept by an older version) is shown as kept, the
    server's folder taken off."""
    if "noi_dung" not in problem:
        line = problem["dong"]
        found = re.match(rf"^(\[[^\]]+\] )?{re.escape(raw_name)}/(?:[^›]*/)?([^/›]+ ›)", line)
        return f"{found[1] or ''}{found[2]}{line[found.end() :]}" if found else line
    tep = sent_as if problem["cua_lan_gui"] else PurePosixPath(problem["tep"]).name
    where = " › ".join(part for part in (tep, problem["sheet"], problem["o"]) if part)
    return tagged(f"{where}: {problem['noi_dung']}", problem["muc_do"])


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

    cells = sum(len(sheet.cells) for sheet in checked.sheets)
    if cells > MAX_DRAWN_CELLS:  # megabytes of page for every visit; the marked copy has it
        return html.note(
            f"Bảng tính có {format_vi(cells)} ô có chữ, quá nhiều để vẽ lại trên trang: tải bản "
            "đã tô màu các ô có vấn đề để xem."
        )
    return "\n".join(html.table(sheet) for sheet in checked.sheets)


def import_report(raw: Path, ma_xa: str, ten_tep: str, data: bytes, new, olds, province, chosen):
    """A Word report's annex tables as drafts in memory (`submit.import_report`)."""
    return submit.import_report(raw, make_upload(ma_xa, ten_tep, data), new, olds, province, chosen)


def draft_html(made: submit.WordDraft, anchor: str) -> str:
    """A draft's sheets as HTML tables, the rows to decide marked (the third renderer)."""
    from pipeline.render import html

    return "\n".join(html.table(sheet, anchor) for sheet in submit.draft_sheets(made))


def unnamed(ma_xa: str, ten_tep: str, data: bytes):
    """The report's answer while the province has not named the communes (`submit.unnamed`)."""
    return submit.unnamed(make_upload(ma_xa, ten_tep, data))


def province_in(raw: Path, codes: list[str]) -> str:
    return submit.province_in(raw, codes)

"""The ready-to-fill workbook of one commune, and a draft imported from Word: its guide and its
sheets laid out by `pipeline.layout.form_guide` and `pipeline.layout.form`, drawn by the
workbook renderer like every other workbook."""

from __future__ import annotations

from pipeline.catalogue import Catalogue
from pipeline.layout.form import Commune, Table, sheets
from pipeline.layout.form_guide import guide
from pipeline.render.xlsx import render


def workbook(commune: Commune, catalogue: Catalogue, tables: list[Table] | None = None) -> bytes:
    """The commune's workbook: blank, or (with `tables`) a draft holding the tables as read."""
    tables = tables or []
    laid_out = [guide(commune, draft=bool(tables)), *sheets(commune, catalogue, tables)]
    return render(laid_out, f"Xã {commune.name}")

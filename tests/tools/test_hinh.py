"""`make hinh`: the pictures of every printed product that HUONG_DAN.md shows."""

from __future__ import annotations

import pytest

from pipeline.paths import ROOT
from tools import hinh

pytestmark = pytest.mark.libreoffice


@pytest.mark.skipif(bool(hinh.tools_missing()), reason="LibreOffice or pdftoppm is not installed")
def test_make_hinh_draws_every_printed_product_as_the_committed_pictures(tmp_path, capsys):
    out = tmp_path / "hinh"
    out.mkdir()
    (out / "san_pham_cu-1.png").write_bytes(b"a picture of a product that is gone")
    assert hinh.main(["--out", str(out), "--chi", hinh.PRODUCTS]) == 0
    made = sorted(p.name for p in out.glob("*.png"))
    # the annexes, the report document, the roll-up, the marked copies and the tracking
    # workbook, page by page; the picture of a product that is gone removed
    assert {name.rsplit("-", 1)[0] for name in made} >= {
        "muong_lam_bieu_chi_tieu",
        "muong_lam_bao_cao_chi_tieu",
        "tong_hop_tinh_son_la",
        "ban_danh_dau_son_la_dua_mon",
        "ban_danh_dau_son_la_muong_lam_cu",
        "muong_lam_theo_doi_2030",
    }
    assert "muong_lam_bieu_chi_tieu-4.png" in made  # Biểu 01, 02, 03 and Kiểm tra
    assert "muong_lam_theo_doi_2030-3.png" in made  # Theo dõi 2030 on two pages, then charts
    assert all((out / name).stat().st_size > 5000 for name in made)
    pages = f"{hinh.PAGES}-"  # the pages' pictures: tests/browser/test_pages.py
    committed = sorted(
        p.name for p in (ROOT / "docs" / "hinh").glob("*.png") if not p.name.startswith(pages)
    )
    assert made == committed, "the pictures are stale: run `make hinh`, show them in the guide"
    assert capsys.readouterr().out == f"{len(made)} pictures in {out}\n"

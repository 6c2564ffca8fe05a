"""A small made-up province sent whole through the intake page over real HTTP (tools/qua_trang.py):
the server as a program on 127.0.0.1, the province's form, every commune's workbooks in three
orders, and the server's outputs byte-identical to `bieu annexes` on the same files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests import builders
from tests.conftest import made_up_record
from tools import qua_trang
from tools.same_outputs import files

pytestmark = pytest.mark.processes  # the server and the commands as programs: about 15 s


def three_communes(raw: Path) -> Path:
    """The made-up province (Tân An of An, Bình, Châu; Đông Mới of Đông) and a third new commune,
    Em Giang, of Em and Giang."""
    made_up_record(raw)
    province = raw / "tinh_thu"
    rows = [
        ("I", "Kinh tế"),
        ("1", "Thu nhập", "Triệu đồng", "35", "37", "Vượt", "thu_nhap"),
        ("2", "Đàn bò", "Con", "400", "420", "Vượt", "dan_bo"),
    ]
    builders.old_commune(province / "em.xlsx", "em", "Tỉnh Thử", "Em", "07", "12", "1.200", rows)
    builders.old_commune(
        province / "giang.xlsx", "giang", "Tỉnh Thử", "Giang", "08", "13", "1.300", rows
    )
    builders.new_commune(
        province / "em_giang.xlsx",
        "em_giang",
        "Tỉnh Thử",
        "Em Giang",
        "09",
        "25",
        "2.500",
        [("I", "Kinh tế"), ("1", "Thu nhập bình quân", "Triệu đồng", "50", "", "thu_nhap")],
        [("em", "Em"), ("giang", "Giang")],
    )
    return raw


@pytest.fixture(scope="module")
def sent(tmp_path_factory) -> qua_trang.Result:
    folder = tmp_path_factory.mktemp("qua_trang")
    return qua_trang.run(three_communes(folder / "raw"), folder / "work", parallel=2)


def test_a_province_sent_through_the_page_builds_what_bieu_annexes_builds(sent):
    assert sent.differences == []
    products = ["bao_cao_chi_tieu.docx", "bieu_chi_tieu.xlsx", "chi_tieu.csv", "kiem_tra.csv"]
    products += ["muc_tieu_2030.csv", "tong_hop.csv"]
    assert files(sent.reference) == {
        "ban_danh_dau/tinh_thu/chau.xlsx",  # its warning's marked copy
        "tong_hop_tinh/tinh_thu.xlsx",
        *(f"{new}/{name}" for new in ("dong_moi", "em_giang", "tan_an") for name in products),
    }
    assert sent.compared == 20
    built = sent.work / "trang" / "output"
    assert (built / "tan_an" / "bieu_chi_tieu.xlsx").read_bytes() == (
        sent.reference / "tan_an" / "bieu_chi_tieu.xlsx"
    ).read_bytes()
    # in three orders: its own first, its own between its old communes', its own last
    assert [(s.ma_xa, s.tep, s.first) for s in sent.sent] == [
        ("dong_moi", "tinh_thu/dong_moi.xlsx", qua_trang.WAITING),
        ("dong_moi", "tinh_thu/dong.xlsx", qua_trang.ACCEPTED),
        ("em_giang", "tinh_thu/em.xlsx", qua_trang.ACCEPTED),
        ("em_giang", "tinh_thu/em_giang.xlsx", qua_trang.WAITING),
        ("em_giang", "tinh_thu/giang.xlsx", qua_trang.ACCEPTED),
        ("tan_an", "tinh_thu/an.xlsx", qua_trang.ACCEPTED),
        ("tan_an", "tinh_thu/binh.xlsx", qua_trang.ACCEPTED),
        ("tan_an", "tinh_thu/chau.xlsx", qua_trang.ACCEPTED),
        ("tan_an", "tinh_thu/tan_an.xlsx", qua_trang.ACCEPTED),
    ]
    assert sorted(s.number for s in sent.sent) == list(range(1, 10))


def test_what_differs_is_named_raw_output_and_history(sent):
    """The checks of a run can fail: a file in raw/ that was not sent, an output byte changed,
    an upload whose bytes differ from what the history keeps."""
    raw, built = sent.work / "trang" / "raw", sent.work / "trang" / "output"
    (raw / "tinh_thu" / "la.xlsx").write_bytes(b"PK\x03\x04 not sent")
    annex = built / "em_giang" / "bieu_chi_tieu.xlsx"
    annex.write_bytes(annex.read_bytes() + b"\0")
    first = sent.sent[0]
    first.data += b"\0"
    try:
        assert qua_trang.verify(sent) == [
            f"history: upload {first.number} ({first.tep}) recorded as "
            f"('dong_moi', 'dong_moi.xlsx', {len(first.data) - 1}, "
            f"'{hashlib.sha256(first.data[:-1]).hexdigest()}')",
            "raw/: only after: tinh_thu/la.xlsx",
            "output: differs: em_giang/bieu_chi_tieu.xlsx",
        ]
    finally:
        first.data = first.data[:-1]

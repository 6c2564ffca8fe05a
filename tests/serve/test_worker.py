"""The worker's order of work: every upload waiting is answered before a build starts, and the
uploads accepted meanwhile are built by one build."""

from __future__ import annotations

import hashlib

from pipeline.serve import engine
from tests.serve.test_app import send


def test_an_upload_arriving_during_a_check_is_answered_before_the_build(site, monkeypatch):
    """75 communes sending at once reach the worker over a second or so: those that come in
    while the first is checked must not wait for the first one's build (seconds)."""
    raw = site.raw / "son_la"
    later = (raw / "muong_lam_cu.xlsx").read_bytes()
    worker = site.app.state.page.worker
    check, rebuild = engine.check, engine.rebuild
    arrived: list[int] = []
    seen_at_build: list[dict[int, str]] = []

    def checking(raw_, uploads, members):
        if not arrived:  # the second upload comes in while the first is checked
            digest = hashlib.sha256(later).hexdigest()
            number = site.store.add_upload(
                "muong_lam",
                "muong_lam",
                "muong_lam_cu.xlsx",
                later,
                digest,
                ".xlsx",
                "Đang kiểm tra",
            )
            arrived.append(number)
            worker.submit(number)
        return check(raw_, uploads, members)

    def building(raw_, output, ma_xa):
        seen_at_build.append({s.id: s.trang_thai for s in site.store.uploads("muong_lam")})
        return rebuild(raw_, output, ma_xa)

    monkeypatch.setattr(engine, "check", checking)
    monkeypatch.setattr(engine, "rebuild", building)
    answer = send(
        site.client("muong_lam"), "muong_lam", "dua_mon.xlsx", (raw / "dua_mon.xlsx").read_bytes()
    )
    first = int(answer.headers["location"].rsplit("/", 1)[1])
    site.settle()
    assert seen_at_build == [{first: "Đang dựng", arrived[0]: "Đang dựng"}]
    assert [site.store.upload(n).trang_thai for n in (first, *arrived)] == ["Đã nhận", "Đã nhận"]
    assert (site.output / "muong_lam" / "bieu_chi_tieu.xlsx").is_file()

"""Shared fixtures: a copy of the seed record, a way to break it, a way to run the CLI, the seed's
outputs built once, a made-up province and a small synthetic country; a workbook's printed
pages."""

from __future__ import annotations

import gc
import hashlib
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from pipeline.cli import main
from pipeline.paths import RAW
from pipeline.products import MARKED
from tests import builders
from tools import synth

# what `--quick` (make quick) leaves out: the markers pyproject.toml registers (docs/tests.md)
SLOW = ("country", "libreoffice", "processes", "faults", "cases", "rebuilds", "journeys", "browser")


def cases(params, ids=None) -> list:
    """The cases of a long table of end-to-end cases for `pytest.mark.parametrize`, all but the
    first marked `cases`: the quick loop runs the first (the code path still runs once), `make
    test` runs them all. `ids` names the cases as `parametrize` would."""
    marked = []
    for i, param in enumerate(params):
        if not isinstance(param, type(pytest.param(None))):
            param = pytest.param(*param) if isinstance(param, tuple) else pytest.param(param)
        marks = [*param.marks, *([pytest.mark.cases] if i else [])]
        marked.append(pytest.param(*param.values, marks=marks, id=ids[i] if ids else param.id))
    return marked


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--quick",
        action="store_true",
        help=f"leave out the tests marked {', '.join(SLOW)} (make quick)",
    )


def pytest_configure(config: pytest.Config) -> None:
    # a test process holds far more long-lived objects than a run (every test module, the
    # session's fixtures): with the default thresholds the garbage collector walks them ever
    # again, about a tenth of the suite's CPU; collected ten times less often, about 1 %
    gc.set_threshold(10_000, 20, 20)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--quick"):
        return
    registered = {line.split(":")[0] for line in config.getini("markers")}
    assert set(SLOW) <= registered, f"register {set(SLOW) - registered} in pyproject.toml"
    quick, slow = [], []
    for item in items:
        (slow if any(item.get_closest_marker(m) for m in SLOW) else quick).append(item)
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = quick


def printed_pages(source: Path, folder: Path, own_profile: bool = False) -> list[str]:
    """`source` printed to PDF by LibreOffice into `folder`, and the text of its pages as
    `pdftotext -layout` lays it out, blank pages left out. With `own_profile`, LibreOffice runs
    with a profile of its own under `folder`."""
    profile = [f"-env:UserInstallation={(folder / 'profile').as_uri()}"] if own_profile else []
    subprocess.run(
        ["soffice", *profile, "--headless", "--convert-to", "pdf", "--outdir", str(folder)]
        + [str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = folder / f"{source.stem}.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


def printed_row(page: str, name: str) -> str:
    """The printed line of the row whose name holds `name`, with the lines above and below it
    (a row's two-line cells print a line above and below its own)."""
    lines = page.splitlines()
    at = next(i for i, line in enumerate(lines) if name in line)
    return " ".join(lines[at - 1 : at + 2])


# the seed's one warning: Đứa Mòn's report prints a rating beside no result (its row 31)
SEED_WARNING = (
    "[cảnh báo] raw/son_la/dua_mon.xlsx › Chỉ tiêu › E31: chưa có kết quả thực hiện mà có đánh "
    'giá công bố "Vượt": phụ lục in "Vượt" bên ô kết quả trống, đánh giá tính lại là "Chưa có số '
    'liệu"; nếu bản in có kết quả thì ghi vào ô này, nếu bản in cũng để trống thì giữ trống'
)


def besides_the_seeds(lines: list[str]) -> list[str]:
    """The lines a run printed, but the seed's own warning."""
    return [line for line in lines if line != SEED_WARNING]


@pytest.fixture
def seed_raw_dir(tmp_path: Path) -> Path:
    """A copy of `raw/` that a test may break."""
    target = tmp_path / "raw"
    shutil.copytree(RAW, target)
    return target


@pytest.fixture
def output_dir(tmp_path: Path) -> Path:
    """An output folder holding an earlier good run's file, to prove a failing run leaves it,
    and a manifest of ours (the folder is an output folder; the file, which the manifest does
    not name, is never removed)."""
    out = tmp_path / "output"
    (out / "muong_lam").mkdir(parents=True)
    (out / "muong_lam" / "phu_luc.xlsx").write_bytes(b"earlier good output")
    (out / ".manifest.json").write_text('{"files": []}')
    return out


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def unmarked(files: dict[str, str]) -> dict[str, str]:
    """A snapshot of `output/` without the marked copies (a run with errors writes those) and
    the manifest (which then names them)."""
    return {
        name: h
        for name, h in files.items()
        if not name.startswith(f"{MARKED}/") and name != ".manifest.json"
    }


def marked_cell(output: Path, name: str, sheet: str, cell: str) -> tuple[str, str]:
    """The fill colour and the note of a cell in the marked copy of `raw/<name>`."""
    found = openpyxl.load_workbook(output / MARKED / name)[sheet][cell]
    note = found.comment.text if found.comment else ""
    return found.fill.fgColor.rgb[-6:] if found.fill.fill_type else "", note


def edit(path: Path, sheet: str, cell: str, value: object) -> None:
    """Type `value` into one cell, as an officer would in Excel."""
    book = openpyxl.load_workbook(path)
    book[sheet][cell] = value
    if isinstance(value, str):  # typed as text: openpyxl would take "=1+1" for a formula
        book[sheet][cell].data_type = "s"
    book.save(path)


def views_of(raw: Path):
    """The views every product of a raw record is made from, built in memory as the run builds
    them (read, prepare, validate, judge)."""
    from pipeline import view
    from pipeline.judge import judge
    from pipeline.load import load_record
    from pipeline.prepare import prepare
    from pipeline.validate import validate

    prepared = prepare(load_record(raw, 1))
    problems = validate(prepared)
    judgement = judge(prepared)
    return view.Views.build(view.slim(prepared), judgement, [*problems, *judgement.findings])


@pytest.fixture(scope="session")
def seed_output(tmp_path_factory) -> Path:
    """What `make annexes` builds from the seed, built once for the whole session: for tests
    that only read the outputs back. Never write into it; a test that changes the record or
    the outputs builds its own (`seed_raw_dir`, `run_cli`)."""
    out = tmp_path_factory.mktemp("seed_output") / "output"
    assert main(["annexes", "--raw", str(RAW), "--output", str(out)]) == 0
    return out


@pytest.fixture
def built_seed(seed_raw_dir, output_dir, seed_output) -> Path:
    """`output_dir` as a good run of the command on `seed_raw_dir` leaves it: the session's
    build of the seed copied over it (milliseconds, where a build takes a third of a second of
    CPU). For a test that changes the record after a good run; `tests/test_build.py` checks that
    the copy is what a run leaves."""
    shutil.copytree(seed_output, output_dir, dirs_exist_ok=True)
    return output_dir


@pytest.fixture(scope="session")
def seed_view():
    """The seed's new commune, as its products see it."""
    return views_of(RAW).commune("muong_lam")


@dataclass
class Run:
    status: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.err.splitlines()


@pytest.fixture
def run_cli(capsys, output_dir):
    def run(raw: Path) -> Run:
        status = main(["annexes", "--raw", str(raw), "--output", str(output_dir)])
        captured = capsys.readouterr()
        return Run(status, captured.out, captured.err)

    return run


C, T, Q = "Cao hơn là tốt", "Thấp hơn là tốt", "Định tính"
P, A, S, N = "Bình quân theo dân số", "Bình quân theo diện tích", "Cộng", "Không gộp"


@pytest.fixture
def made_up_province(tmp_path: Path) -> Path:
    """Three old communes (An, Bình, Châu) into Tân An; Đông kept as it is."""
    return made_up_record(tmp_path / "raw")


@pytest.fixture(scope="session")
def made_up_built(tmp_path_factory) -> Path:
    """The made-up province and what `bieu annexes` builds from it, under `raw/` and `out/`, once
    for the session. Never write into it: `built_made_up_province` copies it for a test."""
    root = tmp_path_factory.mktemp("made_up_built")
    raw = made_up_record(root / "raw")
    assert main(["annexes", "--raw", str(raw), "--output", str(root / "out")]) == 0
    return root


@pytest.fixture
def built_made_up_province(tmp_path: Path, made_up_built) -> Path:
    """`made_up_province` after a good run into `tmp_path / "out"`: both copied from the one
    built for the session (raw files and manifest agree, so the next run is incremental).
    `tests/test_build.py` checks that the copy is what a run leaves."""
    for name in ("raw", "out"):
        shutil.copytree(made_up_built / name, tmp_path / name)
    return tmp_path / "raw"


@pytest.fixture(scope="module")
def made_up_province_module(tmp_path_factory) -> Path:
    """The made-up province, once for a module's tests (which must not change it)."""
    return made_up_record(tmp_path_factory.mktemp("made_up") / "raw")


def made_up_record(raw: Path) -> Path:
    builders.catalogue(
        raw,
        [
            ("thu_nhap", "Thu nhập bình quân đầu người", C, P, "thu_nhap"),
            ("ho_ngheo", "Tỷ lệ hộ nghèo", T, P, "ho_ngheo"),
            ("che_phu", "Tỷ lệ che phủ rừng", C, A, "che_phu"),
            ("dan_bo", "Tổng đàn bò", C, S, "dan_bo"),
            ("ntm", "Xã đạt chuẩn nông thôn mới", Q, N, ""),
        ],
        [
            ("%", "Phần trăm", "Không", "", ""),
            ("Triệu đồng", "Số lượng", "Không", "", ""),
            ("Nghìn con", "Số lượng", "Không", "Con", "1000"),
            ("Con", "Số lượng", "Có", "", ""),
            ("Đạt", "Định tính", "Không", "", ""),
        ],
    )
    province = raw / "tinh_thu"
    rows = lambda *r: [("I", "Kinh tế"), *r]  # noqa: E731
    builders.old_commune(
        province / "an.xlsx",
        "an",
        "Tỉnh Thử",
        "An",
        "01",
        "10,5",
        "1.000",
        rows(
            ("1", "Thu nhập", "Triệu đồng", "30", "36", "Vượt", "thu_nhap"),
            ("2", "Đàn bò", "Nghìn con", "2", "1,5", "Đạt", "dan_bo"),
            ("3", "Hộ nghèo", "%", "dưới 10", "8", "Vượt", "ho_ngheo"),
            ("4", "Che phủ rừng", "%", "40", "40", "Đạt", "che_phu"),
        ),
    )
    builders.old_commune(
        province / "binh.xlsx",
        "binh",
        "Tỉnh Thử",
        "Bình",
        "02",
        "20",
        "3.000",
        rows(
            ("1", "Thu nhập", "Triệu đồng", "40", "40", "Đạt", "thu_nhap"),
            ("2", "Đàn bò", "Con", "500", "800", "Vượt", "dan_bo"),
            ("3", "Hộ nghèo", "%", "5-7", "9", "K đạt", "ho_ngheo"),
            ("4", "Che phủ rừng", "%", "50", "45", "K đạt", "che_phu"),
        ),
    )
    builders.old_commune(
        province / "chau.xlsx",
        "chau",
        "Tỉnh Thử",
        "Châu",
        "03",
        "30",
        "2.000",
        rows(
            ("1", "Thu nhập", "Triệu đồng", "25", "24", "K đạt", "thu_nhap"),
            ("2", "Đàn bò", "Con", "1.000", "1.200", "Vượt", "dan_bo"),
            ("3", "Hộ nghèo", "%", "6", "6", "Đạt", "ho_ngheo"),
            ("4", "Che phủ rừng", "%", "≥ 30", "30", "Đạt", "che_phu"),
            ("5", "Xã đạt chuẩn nông thôn mới", "Đạt", "Đạt", "", "Đạt", "ntm"),
        ),
    )
    builders.old_commune(
        province / "dong.xlsx",
        "dong",
        "Tỉnh Thử",
        "Đông",
        "05",
        "15",
        "1.500",
        rows(
            ("1", "Thu nhập", "Triệu đồng", "50", "55", "Vượt", "thu_nhap"),
            ("2", "Đàn bò", "Con", "300", "300", "Đạt", "dan_bo"),
            ("3", "Hộ nghèo", "%", "4", "3", "Vượt", "ho_ngheo"),
            ("4", "Che phủ rừng", "%", "60", "61", "Vượt", "che_phu"),
        ),
    )
    builders.new_commune(
        province / "tan_an.xlsx",
        "tan_an",
        "Tỉnh Thử",
        "Tân An",
        "04",
        "60,5",
        "6.000",
        [
            ("I", "Kinh tế"),
            ("1", "Thu nhập bình quân đầu người", "Triệu đồng", "45", "", "thu_nhap"),
            ("2", "Tổng đàn bò", "Con", "4.000", "", "dan_bo"),
            ("II", "Xã hội, môi trường"),
            ("1", "Tỷ lệ hộ nghèo", "%", "< 5", "", "ho_ngheo"),
            ("2", "Tỷ lệ che phủ rừng", "%", "35", "", "che_phu"),
        ],
        [("an", "An"), ("binh", "Bình"), ("chau", "Châu")],
    )
    builders.new_commune(
        province / "dong_moi.xlsx",
        "dong_moi",
        "Tỉnh Thử",
        "Đông",
        "06",
        "15",
        "1.500",
        [
            ("I", "Kinh tế"),
            ("1", "Thu nhập bình quân đầu người", "Triệu đồng", "70", "", "thu_nhap"),
            ("2", "Tổng đàn bò", "Con", "250", "", "dan_bo"),
        ],
        [("dong", "Đông")],
    )
    return raw


@pytest.fixture(scope="session")
def small_country(tmp_path_factory) -> Path:
    """Two made-up provinces: 12 old communes merged into 5 new ones."""
    raw = tmp_path_factory.mktemp("synth") / "raw"
    assert synth.write("thu", 7, raw) == 17
    return raw


@pytest.fixture(scope="session")
def tracked_raw(tmp_path_factory) -> Path:
    """The seed with Mường Lầm's made-up results year by year (tests/yearly.py)."""
    from tests import yearly

    raw = tmp_path_factory.mktemp("tracked") / "raw"
    shutil.copytree(RAW, raw)
    return yearly.with_results(raw)


@pytest.fixture(scope="session")
def tracked_output(tracked_raw, tmp_path_factory) -> Path:
    """What `make annexes` builds from `tracked_raw`."""
    out = tmp_path_factory.mktemp("tracked_out") / "output"
    assert main(["annexes", "--raw", str(tracked_raw), "--output", str(out)]) == 0
    return out

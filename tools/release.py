"""The package the province's IT sends to the communes: `make release`.

A dated folder and a zip of it under `build/release/`, holding the wheel, the guide as a PDF
rendered from HUONG_DAN.md with its pictures, the blank catalogue, the seed's record to try the
program on, an install script for Windows and one for Linux and macOS, and DOC_TRUOC.txt, which
says what each file is. The zip holds one folder, `bieu-chi-tieu`, so that Windows' "Extract
All" into `D:\\` gives the `D:\\bieu-chi-tieu` the guide names.

    python -m tools.release [--out build/release] [--ngay 2026-12-04]

Which files the package holds is said once, in `contents()`: the builder, DOC_TRUOC.txt and the
test that the guide names each file all read it (docs/release.md).
"""

from __future__ import annotations

import argparse
import datetime
import html
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from collections.abc import Callable
from pathlib import Path

from pipeline.paths import RAW, ROOT

OUT = ROOT / "build" / "release"
FOLDER = "bieu-chi-tieu"  # the folder the zip holds, as the guide names it (D:\bieu-chi-tieu)
GUIDE = ROOT / "HUONG_DAN.md"
PDF = "HUONG_DAN.pdf"
CATALOGUE = "danh_muc_chi_tieu.xlsx"
SAMPLE = "du_lieu_mau"  # the seed's record, as `du_lieu_mau/raw/`
README = "DOC_TRUOC.txt"
WINDOWS, UNIX = "cai_dat.bat", "cai_dat.sh"


def version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]


def wheel_name(number: str) -> str:
    return f"bieu_chi_tieu-{number}-py3-none-any.whl"


def contents(number: str) -> dict[str, str]:
    """Every file and folder the package holds at its top, with what it is, in the order
    DOC_TRUOC.txt lists them."""
    return {
        PDF: "hướng dẫn sử dụng (có hình); mục 1: cài đặt, mục 2: bắt đầu hồ sơ mới",
        WINDOWS: "cài trên Windows: bấm đúp vào tệp này",
        UNIX: "cài trên Linux, macOS: trong cửa sổ lệnh, gõ  sh cai_dat.sh",
        wheel_name(number): "chương trình (hai tệp cài đặt trên dùng tệp này)",
        CATALOGUE: "danh mục chỉ tiêu và đơn vị tính dùng chung, bản gốc đi kèm chương trình",
        f"{SAMPLE}/raw/": "dữ liệu mẫu của xã Mường Lầm (Sơn La), để chạy thử",
    }


def windows_commands(wheel: str) -> list[str]:
    """The commands of cai_dat.bat, as HUONG_DAN.md's section 1 gives them to type."""
    return [
        "py -m pip install --user pipx",
        "py -m pipx ensurepath",
        f"py -m pipx install --force {wheel}",
    ]


def windows_script(wheel: str) -> str:
    # cmd reads a batch file in the console's code page: switch to UTF-8 before any Vietnamese
    lines = [
        "@echo off",
        "chcp 65001 >nul",
        "rem Cài lệnh bieu cho riêng người dùng này, không cần quyền quản trị.",
        "rem Các lệnh dưới đây là các lệnh ở mục 1 của HUONG_DAN.pdf.",
        'cd /d "%~dp0"',
        *(f"{command} || goto loi" for command in windows_commands(wheel)),
        "echo.",
        "echo Đã cài xong. Đóng cửa sổ này, mở lại PowerShell rồi gõ: bieu --version",
        "pause",
        "exit /b 0",
        ":loi",
        "echo.",
        "echo Chưa cài được: xem các dòng báo lỗi ở trên và mục 1 của HUONG_DAN.pdf.",
        "pause",
        "exit /b 1",
    ]
    return "\r\n".join(lines) + "\r\n"


def unix_script(wheel: str) -> str:
    return f"""#!/bin/sh
# Cài lệnh bieu cho riêng người dùng này, không cần quyền quản trị (mục 1 của HUONG_DAN.pdf).
# Trong cửa sổ lệnh, ở thư mục này, gõ:  sh cai_dat.sh
# Chương trình vào ~/.local/share/bieu-chi-tieu, lệnh bieu vào ~/.local/bin.
set -eu
cd "$(dirname "$0")"
noi_cai="$HOME/.local/share/bieu-chi-tieu"
lenh="$HOME/.local/bin"
python=""
for ten in python3.14 python3.13 python3.12 python3.11 python3; do
  if command -v "$ten" >/dev/null 2>&1 \\
    && "$ten" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    python="$ten"
    break
  fi
done
if [ -z "$python" ]; then
  echo "Chưa cài được: cần Python 3.11 trở lên (mục 1 của HUONG_DAN.pdf)." >&2
  exit 1
fi
if ! "$python" -m venv --clear "$noi_cai"; then
  echo "Chưa cài được: Python thiếu phần venv (Debian, Ubuntu: gói python3-venv)." >&2
  echo "Xem cách cài khác ở mục 1 của HUONG_DAN.pdf." >&2
  exit 1
fi
"$noi_cai/bin/python" -m pip install --quiet --disable-pip-version-check {wheel}
mkdir -p "$lenh"
ln -sf "$noi_cai/bin/bieu" "$lenh/bieu"
# cửa sổ lệnh mở sau này tìm thấy lệnh bieu (như pipx ensurepath)
them() {{ grep -qs '.local/bin' "$1" || echo 'export PATH="$HOME/.local/bin:$PATH"' >> "$1"; }}
vo_lenh="${{SHELL:-}}"
case ":$PATH:" in
  *":$lenh:"*) ;;
  *)
    if [ -f "$HOME/.bashrc" ] || [ "${{vo_lenh##*/}}" = bash ]; then them "$HOME/.bashrc"; fi
    if [ -f "$HOME/.zshrc" ] || [ "${{vo_lenh##*/}}" = zsh ]; then them "$HOME/.zshrc"; fi
    ;;
esac
echo "Đã cài xong lệnh $lenh/bieu. Đóng cửa sổ lệnh, mở lại rồi gõ: bieu --version"
"""


def windows_path(name: str) -> str:
    return name.replace("/", "\\")


def read_first(number: str, day: datetime.date) -> str:
    """DOC_TRUOC.txt: what the folder holds and the three steps; CRLF and a BOM, for Notepad."""
    files = contents(number)
    width = max(len(name) for name in files) + 2
    lines = [
        "BIỂU CHỈ TIÊU ĐẠI HỘI: chương trình làm phụ lục chỉ tiêu của Báo cáo chính trị",
        f"Phiên bản {number}, đóng gói ngày {day:%d/%m/%Y}.",
        "",
        "Thư mục này có:",
        *(f"  {windows_path(name).ljust(width)}{what}" for name, what in files.items()),
        "",
        "Cài đặt (làm một lần; cần Python 3.11 trở lên, tải ở python.org, và mạng Internet):",
        f"  Windows: bấm đúp {WINDOWS}.  Linux, macOS: sh {UNIX}",
        "  Cài xong, đóng cửa sổ lệnh, mở lại rồi gõ:  bieu --version",
        "",
        "Rồi đọc mục 2 của HUONG_DAN.pdf: tạo hồ sơ mới và làm phụ lục đầu tiên.",
        "Không sửa, không đổi tên các tệp trong thư mục này.",
    ]
    return "\ufeff" + "\r\n".join(lines) + "\r\n"


STYLE = """
body { font-family: "Times New Roman", "Liberation Serif", serif; font-size: 12pt; }
h1 { font-size: 18pt; } h2 { font-size: 15pt; } h3 { font-size: 13pt; }
table { border-collapse: collapse; }
th, td { border: 1px solid #808080; padding: 2pt; font-size: 10pt; vertical-align: top; }
code, pre { font-family: "Liberation Mono", "Courier New", monospace; font-size: 9pt; }
pre { background: #f2f2f2; }
"""


def guide_html(markdown: str, pictures: Path, number: str, day: datetime.date) -> str:
    """HUONG_DAN.md as one HTML page for LibreOffice: its pictures by absolute path and as wide
    as the text, links to the maintainers' pages (which the package does not hold) as plain
    words, the version and date under the title."""
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark").enable("table").render(markdown)
    body = re.sub(
        r'<img src="docs/hinh/([^"]+)"',
        lambda m: f'<img width="100%" src="{(pictures / m[1]).as_uri()}"',
        body,
    )
    body = re.sub(r'<a href="(?!#|https?:)[^"]*">(.*?)</a>', r"\1", body)
    body = body.replace("<table>", '<table border="1" cellpadding="3" cellspacing="0">')
    stamp = f"<p><i>Bản in kèm phiên bản {number}, ngày {day:%d/%m/%Y}.</i></p>"
    body = body.replace("</h1>", "</h1>" + stamp, 1)
    title = html.escape(markdown.splitlines()[0].lstrip("# "))
    return (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{STYLE}</style></head>\n<body>\n{body}</body></html>\n"
    )


def render_pdf(page: str, target: Path) -> None:
    """An HTML page printed to PDF by LibreOffice Writer (A4), with a profile of its own:
    another LibreOffice may be running."""
    with tempfile.TemporaryDirectory() as name:
        temp = Path(name)
        source = temp / f"{target.stem}.html"
        source.write_text(page, encoding="utf-8")
        subprocess.run(
            ["soffice", f"-env:UserInstallation={(temp / 'profile').as_uri()}", "--headless"]
            + ["--convert-to", "pdf:writer_web_pdf_Export", "--outdir", str(temp), str(source)],
            check=True,
            capture_output=True,
            timeout=300,
        )
        shutil.move(temp / f"{target.stem}.pdf", target)


def build_wheel(folder: Path) -> Path:
    """The project's wheel, built as CI builds it, into `folder`."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check"]
        + ["--no-deps", "--wheel-dir", str(folder), str(ROOT)],
        check=True,
    )
    (wheel,) = folder.glob("*.whl")
    return wheel


def assemble(
    folder: Path,
    wheel: Path,
    pdf: Callable[[Path], None],
    day: datetime.date,
    number: str | None = None,
) -> None:
    """The package's files in `folder`: the wheel given, the PDF that `pdf` writes at the path
    it is given, and the rest from the repository."""
    number = number or version()
    if wheel.name != wheel_name(number):
        raise SystemExit(f"the wheel is {wheel.name}, not {wheel_name(number)}")
    folder.mkdir(parents=True)
    shutil.copy(wheel, folder / wheel.name)
    pdf(folder / PDF)
    shutil.copy(RAW / CATALOGUE, folder / CATALOGUE)
    shutil.copytree(RAW, folder / SAMPLE / "raw")
    (folder / WINDOWS).write_bytes(windows_script(wheel.name).encode("utf-8"))
    (folder / UNIX).write_bytes(unix_script(wheel.name).encode("utf-8"))
    (folder / UNIX).chmod(0o755)
    (folder / README).write_bytes(read_first(number, day).encode("utf-8"))


def zip_folder(folder: Path, target: Path, day: datetime.date) -> None:
    """`folder` zipped as `FOLDER/…`, each entry dated `day`, so a zip of the same day and
    files is the same zip."""
    stamp = (day.year, day.month, day.day, 0, 0, 0)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                entry = zipfile.ZipInfo(f"{FOLDER}/{path.relative_to(folder).as_posix()}", stamp)
                entry.external_attr = (path.stat().st_mode & 0o777) << 16
                entry.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(entry, path.read_bytes())


def release(out: Path, day: datetime.date, pdf: bool = True) -> Path:
    """The dated folder and its zip under `out`; returns the zip. Without `pdf`, the guide is
    left out (for CI's install check where LibreOffice is missing)."""
    number = version()
    name = f"{FOLDER}-{number}-{day:%Y-%m-%d}"
    folder, target = out / name, out / f"{name}.zip"
    shutil.rmtree(folder, ignore_errors=True)
    target.unlink(missing_ok=True)
    page = guide_html(GUIDE.read_text(encoding="utf-8"), ROOT / "docs" / "hinh", number, day)
    with tempfile.TemporaryDirectory() as temp:
        wheel = build_wheel(Path(temp))
        printed = (lambda path: render_pdf(page, path)) if pdf else (lambda path: None)
        assemble(folder, wheel, printed, day, number)
    zip_folder(folder, target, day)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--ngay", type=datetime.date.fromisoformat, default=None)
    parser.add_argument(
        "--khong-pdf",
        action="store_true",
        help="leave the PDF out (CI where LibreOffice could not be installed); not for sending",
    )
    args = parser.parse_args(argv)
    if shutil.which("soffice") is None and not args.khong_pdf:
        print("needs soffice (LibreOffice Writer) to print the guide to PDF", file=sys.stderr)
        return 1
    day = args.ngay or datetime.datetime.now(datetime.UTC).date()
    target = release(args.out, day, pdf=not args.khong_pdf)
    print(f"{target.with_suffix('')}/ and {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Synthetic raw records: a made-up province or a whole country, deterministic for a seed.

Old communes get plausible areas, populations and 2020–2025 results for the catalogue's
indicators, typed as officers type them (decimal commas, `>30`, ranges, leading zeros); about 5%
of the published ratings are wrong and 3% of the results missing, as in real reports. They are
merged 1 to 4 into new communes, some kept as they are; each new commune gets 2030 targets, and
most of them results year by year up to 2026 or 2027 (some ahead of their path, some behind,
some years missing, some typed oddly: 98,50, 05, 15/19, 8-9).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xlsxwriter

from pipeline.parse import format_vi
from pipeline.paths import RAW
from pipeline.text import slug
from schemas.catalogue import FILE_STEM

SIZES = {
    "thu": (2, 12, 5),
    "tinh": (1, 200, 75),
    "ca-nuoc": (34, 10035, 3321),
}  # provinces, old, new
WRONG_RATING, MISSING_RESULT = 0.05, 0.03

FIRST = [
    "Mường",
    "Chiềng",
    "Nà",
    "Phiêng",
    "Huổi",
    "Tân",
    "Bình",
    "Hòa",
    "Long",
    "Phú",
    "An",
    "Đông",
    "Tây",
    "Nam",
    "Bắc",
    "Thanh",
    "Yên",
    "Quang",
    "Minh",
    "Hưng",
    "Tà",
    "Co",
]
SECOND = [
    "Sơn",
    "Lạc",
    "Khánh",
    "Hà",
    "Thịnh",
    "Tiến",
    "Phong",
    "Lộc",
    "Xuân",
    "Hải",
    "Trung",
    "Nghĩa",
    "Thuận",
    "Lợi",
    "Định",
    "Châu",
    "Cường",
    "Mạ",
    "Púng",
    "Hẹ",
]

H, L, Q = "higher", "lower", "quality"
# item, code, name, unit, direction, low, high, decimals, target form
OLD_ROWS = [
    ("I", "Nhóm chỉ tiêu chủ yếu về kinh tế"),
    ("1", "thu_ngan_sach_5_nam", "Thu ngân sách trên địa bàn 5 năm", "Tỷ đồng", H, 0.8, 3, 3, "="),
    (
        "2",
        "doanh_nghiep_htx_moi",
        "Số doanh nghiệp và hợp tác xã mới thành lập",
        "HTX",
        H,
        1,
        4,
        0,
        "range",
    ),
    ("3", "thu_nhap_binh_quan", "Thu nhập bình quân đầu người/năm", "Tr. đồng", H, 12, 50, 1, "="),
    ("4", "dien_tich_cay_an_qua", "Diện tích cây ăn quả", "ha", H, 80, 900, 1, "="),
    ("", "dan_gia_suc", "Phát triển đàn gia súc", "Con", H, 1500, 20000, 0, "="),
    ("II", "Nhóm chỉ tiêu chủ yếu về xã hội"),
    (
        "5",
        "ty_le_lao_dong_nong_nghiep",
        "Tỷ lệ lao động nông nghiệp trong tổng lao động xã hội",
        "%",
        L,
        50,
        90,
        2,
        "=",
    ),
    ("6", "truong_chuan_duy_tri", "Duy trì trường chuẩn quốc gia", "Trường", H, 1, 4, 0, "="),
    (
        "7",
        "ty_le_tiem_chung",
        "Tỷ lệ trẻ em dưới một tuổi được tiêm chủng đầy đủ",
        "%",
        H,
        90,
        97,
        0,
        "≥",
    ),
    ("8", "ty_le_ho_ngheo", "Giảm tỷ lệ hộ nghèo", "%", L, 5, 20, 2, "dưới"),
    (
        "9",
        "ty_le_gia_dinh_van_hoa",
        "Tỷ lệ hộ gia đình đạt danh hiệu “Gia đình văn hóa”",
        "%",
        H,
        60,
        90,
        0,
        "=",
    ),
    ("10", "ty_le_bhyt", "Tỷ lệ dân số tham gia Bảo hiểm y tế", "%", H, 90, 98, 0, "="),
    ("11", "ty_le_internet", "Tỷ lệ người sử dụng internet", "%", H, 30, 80, 0, "="),
    (
        "12",
        "ty_le_co_quan_antt",
        "Tỷ lệ cơ quan, đơn vị đạt tiêu chuẩn “An toàn về an ninh, trật tự”",
        "%",
        H,
        90,
        100,
        0,
        "=",
    ),
    (
        "",
        "ty_le_ban_antt",
        "Bản đạt tiêu chuẩn “An toàn về an ninh, trật tự”",
        "%",
        H,
        60,
        95,
        0,
        "=",
    ),
    ("13", "xa_dat_chuan_ntm", "Xây dựng xã đạt chuẩn nông thôn mới", "Đạt", Q, 0, 0, 0, "quality"),
    ("", "san_pham_ocop", "Sản phẩm OCOP", "Sản phẩm", H, 1, 3, 0, "="),
    (
        "14",
        "ty_le_lao_dong_dao_tao_nghe",
        "Tỷ lệ lao động trong độ tuổi được đào tạo nghề",
        "%",
        H,
        10,
        60,
        0,
        "=",
    ),
    ("III", "Nhóm chỉ tiêu về môi trường"),
    (
        "15",
        "ty_le_nuoc_hop_ve_sinh",
        "Tỷ lệ dân số nông thôn được sử dụng nước hợp vệ sinh",
        "%",
        H,
        85,
        98,
        0,
        "=",
    ),
    (
        "16",
        "ty_le_thu_gom_chat_thai_ran",
        "Tỷ lệ chất thải rắn ở nông thôn được thu gom",
        "%",
        H,
        40,
        90,
        0,
        "=",
    ),
    ("17", "ty_le_che_phu_rung", "Tỷ lệ độ che phủ rừng ổn định", "%", H, 20, 60, 1, "="),
    ("IV", "Chỉ tiêu về xây dựng Đảng và hệ thống chính trị"),
    (
        "18",
        "to_chuc_htt_nhiem_vu",
        "Đảng ủy, Chính quyền, MTTQ và các tổ chức chính trị - xã hội được xếp loại Hoàn thành "
        "tốt nhiệm vụ",
        "%",
        H,
        80,
        95,
        0,
        "=",
    ),
    ("19", "ket_nap_dang_vien", "Chỉ tiêu kết nạp Đảng", "Đảng viên", H, 20, 120, 0, ">"),
    (
        "",
        "ty_le_chi_bo_dang_vien_htt",
        "Tỷ lệ chi bộ trực thuộc và đảng viên hoàn thành tốt nhiệm vụ",
        "%",
        H,
        80,
        95,
        0,
        "=",
    ),
    (
        "20",
        "boi_duong_can_bo_ban",
        "Bí thư chi bộ, Trưởng bản được bồi dưỡng chuyên môn, nghiệp vụ",
        "%",
        H,
        80,
        95,
        0,
        "=",
    ),
]
NEW_ROWS = [
    ("I", "Chỉ tiêu về kinh tế"),
    ("1", "thu_ngan_sach", "Thu ngân sách trên địa bàn", "Tỷ đồng", "1,99"),
    ("2", "dan_gia_suc", "Tổng đàn gia súc", "Con", "{cattle}"),
    ("3", "ty_le_lao_dong_nong_nghiep", "Tỷ lệ lao động nông nghiệp", "%", "65"),
    ("4", "ty_le_lao_dong_qua_dao_tao", "Tỷ lệ lao động qua đào tạo", "%", "50"),
    ("5", "ty_le_che_phu_rung", "Tỷ lệ che phủ rừng", "%", "{forest}"),
    ("6", "san_pham_ocop_3_sao", "Sản phẩm OCOP đạt 3 sao", "Sản phẩm", "03"),
    ("II", "Chỉ tiêu về xã hội, môi trường"),
    ("1", "thu_nhap_binh_quan", "Thu nhập bình quân đầu người", "Tr.đ/người/năm", "{income}"),
    ("2", "truong_chuan_quoc_gia", "Trường đạt chuẩn quốc gia", "Trường", "Duy trì {schools}"),
    ("3", "ty_le_ho_ngheo_can_ngheo", "Tỷ lệ hộ nghèo, cận nghèo (chuẩn đa chiều)", "%", "< 10"),
    ("4", "ty_le_bhyt", "Tỷ lệ dân tham gia BHYT", "%", "97"),
    ("5", "ntm_tieu_chi", "Xã đạt chuẩn nông thôn mới", "Tiêu chí", "≥ 17/19"),
    ("6", "ty_le_thu_gom_chat_thai_ran", "Tỷ lệ thu gom chất thải rắn sinh hoạt", "%", "80"),
    ("III", "Chỉ tiêu về xây dựng Đảng và hệ thống chính trị"),
    ("1", "ket_nap_dang_vien", "Kết nạp đảng viên mới", "Đảng viên", "≥ {members}"),
]
INFO = [
    "Mã xã",
    "Tỉnh",
    "Tên xã",
    "Loại",
    "Biểu số",
    "Nhiệm kỳ",
    "Tiêu đề biểu",
    "Diện tích tự nhiên (km²)",
    "Dân số (người)",
]
RESULTS = [
    "TT",
    "Chỉ tiêu",
    "Đơn vị tính",
    "Chỉ tiêu NQ Đại hội",
    "Kết quả thực hiện",
    "Đánh giá",
    "Mã chỉ tiêu",
]
TARGETS = ["TT", "Chỉ tiêu", "Đơn vị tính", "Mục tiêu đến 2030", "Ghi chú", "Mã chỉ tiêu"]
YEARS = ["2026", "2027", "2028", "2029", "2030"]
YEARLY = ["TT", "Chỉ tiêu", "Mã chỉ tiêu", *YEARS]
REPORTING, MISSING_YEAR, ODD = 0.8, 0.08, 0.1  # who typed results; a year left out; typed oddly
# a Biểu 03 indicator's results year by year, by code: where 2026's result lies (low, high),
# how far it moves a year (low, high: some faster than their path, some slower), its decimals,
# and how an officer may type it oddly ("trailing" zero, a leading "zero", a "fraction" of the
# criteria, a "range")
PACE = {
    "thu_ngan_sach": (1.2, 2.1, 0.0, 0.15, 2, "trailing"),
    "dan_gia_suc": (0.75, 1.1, 0.0, 0.06, 0, ""),  # as a share of the target
    "ty_le_lao_dong_nong_nghiep": (62, 82, -3.5, -0.5, 1, "trailing"),
    "ty_le_lao_dong_qua_dao_tao": (25, 50, 0.5, 4.0, 0, ""),
    "ty_le_che_phu_rung": (-6, 6, -0.2, 1.2, 1, "trailing"),  # around the target
    "san_pham_ocop_3_sao": (0, 2, 0, 1, 0, "zero"),
    "thu_nhap_binh_quan": (22, 42, 1.0, 4.5, 1, ""),
    "truong_chuan_quoc_gia": (2, 8, 0, 1, 0, "zero"),
    "ty_le_ho_ngheo_can_ngheo": (6, 16, -2.5, 0.3, 2, "range"),
    "ty_le_bhyt": (92, 99, -0.5, 0.6, 1, ""),
    "ntm_tieu_chi": (12, 17, 0, 1.5, 0, "fraction"),
    "ty_le_thu_gom_chat_thai_ran": (55, 82, 0.5, 4.0, 0, ""),
    "ket_nap_dang_vien": (0.1, 0.3, 0.12, 0.25, 0, ""),  # over the term, as a share of target
}


@dataclass(frozen=True)
class Book:
    path: Path
    sheets: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]


def _number(value: float, decimals: int, rng: np.random.Generator) -> str:
    text = format_vi(round(value, decimals), decimals)
    if decimals == 0 and value < 10 and rng.random() < 0.3:
        text = f"0{text}"  # "03", as officers type counts
    return text


def _old_table(rng: np.random.Generator) -> tuple[tuple[str, ...], ...]:
    """One old commune's Biểu: each row's outcome drawn first, then typed to match it."""
    rows = []
    for row in OLD_ROWS:
        if len(row) == 2:
            rows.append((*row, "", "", "", "", ""))
            continue
        tt, code, name, unit, direction, low, high, decimals, form = row
        outcome = rng.choice(["Vượt", "Đạt", "Không đạt"], p=[0.4, 0.45, 0.15])
        if direction == Q:
            target, result = "Đạt", "Đạt" if outcome != "Không đạt" else "Không đạt"
            outcome = "Đạt" if result == "Đạt" else "Không đạt"
        else:
            t = round(rng.uniform(low, high), decimals)
            better = 1 if direction == H else -1
            if form == "range":
                t_hi = t + 1
                target = f"{_number(t, 0, rng)}-{_number(t_hi, 0, rng)}"
                r = {"Vượt": t_hi + 1, "Đạt": t, "Không đạt": max(t - 1, 0)}[outcome]
            elif form in (">", "dưới"):
                outcome = (
                    "Vượt" if outcome == "Đạt" else outcome
                )  # a strict bound is passed or missed
                target = f"{form} {_number(t, decimals, rng)}" if form == "dưới" else f">{t:.0f}"
                step = 10.0**-decimals
                r = t + better * rng.uniform(step, max(t * 0.5, step)) if outcome == "Vượt" else t
            else:
                target = ("≥ " if form == "≥" else "") + _number(t, decimals, rng)
                shift = {
                    "Vượt": rng.uniform(0.05, 0.4),
                    "Đạt": 0,
                    "Không đạt": -rng.uniform(0.05, 0.4),
                }
                r = t * (1 + better * shift[outcome])
            if unit == "%":
                r = min(max(r, 0), 100)
                if (r >= t) != (direction == H) and outcome == "Vượt":
                    outcome = "Đạt" if r == t else outcome
            if unit == "%" and direction == H and t >= 100 and outcome == "Vượt":
                r, outcome = 100, "Đạt"
            result = _number(max(r, 0), decimals, rng)
        published = outcome
        if rng.random() < WRONG_RATING:
            published = rng.choice([x for x in ("Vượt", "Đạt", "K đạt") if x != outcome])
        if rng.random() < MISSING_RESULT:
            result = ""
        rows.append(
            (
                tt,
                name,
                unit,
                target,
                result,
                "K đạt" if published == "Không đạt" else published,
                code,
            )
        )
    return tuple(rows)


def _yearly(rng: np.random.Generator, targets: list[tuple[str, ...]]) -> tuple | None:
    """A new commune's results year by year, or None for one that typed none: up to 2026 or
    2027, some years left out, some figures typed oddly, rows by code or by TT under the group
    rows (as its Biểu 03 numbers them)."""
    if rng.random() >= REPORTING:
        return None
    years = 1 if rng.random() < 0.4 else 2
    by_code = rng.random() < 0.8
    rows = []
    for tt, name, _, target, _, code in targets:
        if code == "":
            rows.append((tt, name, "", *[""] * len(YEARS)))
            continue
        low, high, step_low, step_high, decimals, odd = PACE[code]
        aim = _target_number(target)
        start = rng.uniform(low, high)
        if code in ("dan_gia_suc", "ket_nap_dang_vien"):  # shares of the target
            start, step = start * aim, rng.uniform(step_low, step_high) * aim
        else:
            start += aim if code == "ty_le_che_phu_rung" else 0
            step = rng.uniform(step_low, step_high)
        typed = []
        for k in range(len(YEARS)):
            value = start + step * k
            if k >= years or rng.random() < MISSING_YEAR:
                typed.append("")
                continue
            value = min(max(value, 0), 100) if code.startswith("ty_le") else max(value, 0)
            text = format_vi(round(value, decimals), decimals)
            if rng.random() < ODD:
                text = {
                    "trailing": f"{text}0" if decimals else text,
                    "zero": f"0{text}" if len(text) == 1 else text,
                    "fraction": f"{text}/19",
                    "range": f"{format_vi(round(value, 0), 0)}-{format_vi(round(value, 0) + 1, 0)}",
                }.get(odd, text)
            typed.append(text)
        rows.append(("" if by_code else tt, name, code if by_code else "", *typed))
    return (tuple(YEARLY), *rows)


def _target_number(target: str) -> float:
    """The number a synthetic target states ("≥ 17/19" → 17, "Duy trì 05" → 5)."""
    digits = target.replace(".", "").replace(",", ".").split("/")[0]
    return float("".join(c for c in digits if c.isdigit() or c == ".") or 0)


def plan(size: str, seed: int) -> list[Book]:
    """Every workbook of a synthetic record, as data (written by `write`)."""
    provinces, n_old, n_new = SIZES[size]
    rng = np.random.default_rng(seed)
    results = np.random.default_rng([seed, 2030])  # its own draws: the rest stays as it was
    sizes = np.ones(n_new, dtype=int)
    for _ in range(n_old - n_new):  # spread the other old communes, at most 4 in a new one
        open_ = np.flatnonzero(sizes < 4)
        sizes[rng.choice(open_)] += 1
    province_of = np.sort(rng.integers(0, provinces, n_new))
    books: list[Book] = []
    old_id = 0
    for new_id, (count, p) in enumerate(zip(sizes, province_of, strict=True)):
        province = f"Tỉnh {FIRST[p % len(FIRST)]} {SECOND[(p * 7) % len(SECOND)]}"
        folder = slug(province)
        members = []
        for _ in range(count):
            name = f"{rng.choice(FIRST)} {rng.choice(SECOND)}"
            code = f"{folder}_x{old_id:05d}"
            area = round(float(rng.uniform(15, 200)), 2)
            people = int(rng.integers(1500, 16000))
            info = (
                code,
                province,
                name,
                "Trước sắp xếp",
                f"{len(members) + 1:02d}",
                "2020-2025",
                f"BIỂU CÁC CHỈ TIÊU ĐẠI HỘI XÃ {name.upper()}, NHIỆM KỲ 2020-2025",
                format_vi(area, 2),
                format_vi(people, 0),
            )
            books.append(
                Book(
                    Path(folder) / f"{code}.xlsx",
                    (
                        ("Thông tin", (tuple(INFO), info)),
                        ("Chỉ tiêu", (tuple(RESULTS), *_old_table(rng))),
                    ),
                )
            )
            members.append((code, name, area, people))
            old_id += 1
        name = members[0][1]
        code = f"{folder}_m{new_id:04d}"
        area = sum(m[2] for m in members)
        people = sum(m[3] for m in members)
        fill = {
            "cattle": format_vi(int(rng.integers(5, 40)) * 1000, 0),
            "forest": format_vi(round(float(rng.uniform(25, 55)), 1), 1),
            "income": str(int(rng.integers(35, 70))),
            "schools": f"{int(rng.integers(2, 9)):02d}",
            "members": str(int(rng.integers(40, 300))),
        }
        targets = [
            (*row, "", "", "", "")
            if len(row) == 2
            else (row[0], row[2], row[3], row[4].format(**fill), "", row[1])
            for row in NEW_ROWS
        ]
        info = (
            code,
            province,
            name,
            "Sau sắp xếp",
            f"{count + 1:02d}",
            "2025-2030",
            f"BIỂU CÁC CHỈ TIÊU ĐẠI HỘI ĐẢNG BỘ XÃ {name.upper()}, NHIỆM KỲ 2025-2030",
            format_vi(round(area, 2), 2),
            format_vi(people, 0),
        )
        yearly = _yearly(results, targets)
        books.append(
            Book(
                Path(folder) / f"{code}.xlsx",
                (
                    ("Thông tin", (tuple(INFO), info)),
                    ("Mục tiêu", (tuple(TARGETS), *map(tuple, targets))),
                    *((("Kết quả hằng năm", yearly),) if yearly else ()),
                    ("Xã hợp thành", (("Mã xã", "Tên xã"), *((m[0], m[1]) for m in members))),
                ),
            )
        )
    return books


def write_book(book: Book, out: Path) -> None:
    """Write one workbook under `out`, every cell as text (as an officer types it)."""
    path = out / book.path
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(
        str(path), {"constant_memory": True, "strings_to_formulas": False}
    )
    for name, rows in book.sheets:
        sheet = workbook.add_worksheet(name)
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                if value != "":
                    sheet.write_string(i, j, value)
    workbook.close()


def _write_many(args: tuple[list[Book], Path]) -> int:
    books, out = args
    for book in books:
        write_book(book, out)
    return len(books)


def write(size: str, seed: int, out: Path, workers: int = 1) -> int:
    """Write a synthetic record into `out` (emptied first); return the number of workbooks."""
    books = plan(size, seed)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copy(RAW / f"{FILE_STEM}.xlsx", out / f"{FILE_STEM}.xlsx")
    chunks = [books[i : i + 200] for i in range(0, len(books), 200)]
    if workers > 1 and len(chunks) > 1:
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
            return sum(pool.map(_write_many, [(c, out) for c in chunks]))
    return sum(_write_many((c, out)) for c in chunks)


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tools.synth", description="Tạo dữ liệu giả lập một tỉnh hoặc cả nước."
    )
    parser.add_argument("--size", choices=list(SIZES), default="tinh")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    count = write(args.size, args.seed, args.out, os.cpu_count() or 1)
    print(f"Đã tạo {count} tệp xã vào {args.out}.")


if __name__ == "__main__":
    main()

"""The words of the record and of the outputs, each defined once with what it means.

A new rating, direction, merge rule or reading is one row here; every stage takes its words,
ranks, file names and colours from this module and spells none of them itself.
"""

from __future__ import annotations

from dataclasses import dataclass

YES, NO = "Có", "Không"


# ---------------------------------------------------------------------------- ratings


@dataclass(frozen=True)
class Rating:
    """A rating: its word as printed in full, its rank (weakest first: an item takes its weakest
    sub-row), its name in CSV column names, its colours in the annexes (fill, ink), and how the
    report's prose states it of an item ("vượt Nghị quyết Đại hội")."""

    word: str
    rank: float
    slug: str
    fill: str
    ink: str
    phrase: str


EXCEEDED, MET, MISSED = "Vượt", "Đạt", "Không đạt"
NO_DATA, NOT_COMPARABLE = "Chưa có số liệu", "Không so được"

# a known miss outweighs a missing figure, then a figure that cannot be compared, and any of
# these outweighs a success
RATINGS = (
    Rating(EXCEEDED, 3, "vuot", "#C6EFCE", "#006100", "vượt Nghị quyết Đại hội"),
    Rating(MET, 2, "dat", "#DDEBF7", "#1F4E78", "đạt Nghị quyết Đại hội"),
    Rating(MISSED, 0, "khong_dat", "#FFC7CE", "#9C0006", "không đạt Nghị quyết Đại hội"),
    Rating(NO_DATA, 1, "chua_co_so_lieu", "#EDEDED", "#404040", "chưa có số liệu để đánh giá"),
    Rating(
        NOT_COMPARABLE,
        1.5,
        "khong_so_duoc",
        "#FFF2CC",
        "#7F6000",
        "chưa so được với Nghị quyết Đại hội",
    ),
)
RATING = {r.word: r for r in RATINGS}
RATING_WORDS = tuple(r.word for r in RATINGS)
RANK = {r.word: r.rank for r in RATINGS}
PUBLISHED = (EXCEEDED, MET, MISSED)  # what a table's "Đánh giá" column may print

# how a qualitative target or result is printed, by its matching form (lower case)
QUALITY_WORDS = {
    "đạt": MET,
    "không đạt": MISSED,
    "k đạt": MISSED,
    "k. đạt": MISSED,
    "chưa đạt": MISSED,
}
# how a published rating may be printed: the qualitative words, and "Vượt"
PUBLISHED_WORDS = {**QUALITY_WORDS, "vượt": EXCEEDED}


# ---------------------------------------------------------------------------- progress


@dataclass(frozen=True)
class Progress:
    """Where a year's result stands on the way to a 2030 target: its word, its rank (weakest
    first: a commune with two rows of one indicator counts at its weakest), its name in CSV
    column names, its colours in the tracking workbook (fill, ink) and its bar in charts."""

    word: str
    rank: float
    slug: str
    fill: str
    ink: str
    bar: str
    meaning: str  # what it says, for the legend under the tracking table


REACHED = "Đã đạt mục tiêu 2030"
AHEAD, ON_TRACK, BEHIND_PATH = "Vượt tiến độ", "Đúng tiến độ", "Chậm tiến độ"
NOT_YET = "Chưa đạt mục tiêu 2030"  # short of a target that has no path to be judged against
MISSED_YEAR = "Không đạt mục tiêu năm"  # short of a target to meet every year: that year is lost
UNTRACKABLE = "Không theo dõi được"
PROGRESS = (
    Progress(
        REACHED,
        5,
        "da_dat",
        "#C6EFCE",
        "#006100",
        "#00B050",
        "kết quả đã bằng hoặc tốt hơn mục tiêu 2030",
    ),
    Progress(
        AHEAD,
        4,
        "vuot_tien_do",
        "#E2EFDA",
        "#375623",
        "#A9D08E",
        "tốt hơn mức lộ trình của năm (từ hiện trạng 2025 đến mục tiêu 2030)",
    ),
    Progress(
        ON_TRACK,
        3,
        "dung_tien_do",
        "#DDEBF7",
        "#1F4E78",
        "#5B9BD5",
        "bằng mức lộ trình của năm, so như số in",
    ),
    Progress(
        BEHIND_PATH,
        0,
        "cham_tien_do",
        "#FFC7CE",
        "#9C0006",
        "#FF0000",
        "kém mức lộ trình của năm",
    ),
    Progress(
        MISSED_YEAR,
        -1,
        "khong_dat_nam",
        "#F8CBAD",
        "#833C0B",
        "#C00000",
        "kém mục tiêu phải đạt hằng năm: năm đó đã lỡ, năm sau đạt cũng không bù được (ô "
        "tình trạng giữ cả khi năm sau đã đạt)",
    ),
    Progress(
        NOT_YET,
        1,
        "chua_dat",
        "#FFEB9C",
        "#9C5700",
        "#FFC000",
        "chưa đạt mục tiêu 2030; không có lộ trình để biết nhanh hay chậm (không có hiện "
        "trạng 2025, hoặc hiện trạng là 0 với số lượng)",
    ),
    Progress(
        NO_DATA,
        2,
        "chua_co_so_lieu",
        "#EDEDED",
        "#404040",
        "#A6A6A6",
        "chưa có kết quả của năm",
    ),
    Progress(
        UNTRACKABLE,
        2.5,
        "khong_theo_doi",
        "#FFFFFF",
        "#7F7F7F",
        "#D9D9D9",
        "mục tiêu ghi bằng lời hoặc không có mục tiêu, không so được",
    ),
)
PROGRESS_OF = {p.word: p for p in PROGRESS}


# ---------------------------------------------------------------------------- problems

# how grave a problem is, one word each wherever a problem is shown (the terminal, Kiểm tra,
# kiem_tra.csv, the marked copies, the roll-up, the guide):
# - an error (lỗi) must be fixed: nothing is written for the new commune it touches;
# - a warning (cảnh báo) is printed, and the run goes on: please look, it may be right as typed
#   (a line of the run opens with its tag: "[cảnh báo] ");
# - a finding (phát hiện) is what the judgement sees in a clean record that a reader of the annex
#   should know: listed in Kiểm tra and kiem_tra.csv, counted by the run's last line.
ERROR, WARNING, FINDING = "lỗi", "cảnh báo", "phát hiện"
SEVERITIES = (ERROR, WARNING, FINDING)  # gravest first

# what became of a workbook a commune sent through the intake page (`bieu phuc-vu`): taken into
# raw/; kept as a draft with its errors; kept until the old communes it names are in raw/
ACCEPTED, ERRORS, WAITING = "Đã nhận", "Có lỗi, chưa nhận", "Chờ các xã hợp thành"
UPLOAD_STATES = (ACCEPTED, ERRORS, WAITING)


# ---------------------------------------------------------------------------- directions


@dataclass(frozen=True)
class Direction:
    """Which way an indicator is better: `sign` +1 higher, -1 lower, 0 not a number; `better`
    the adjective of the good side ("cao hơn là tốt")."""

    word: str
    sign: int
    better: str
    worse: str


HIGHER, LOWER, QUALITATIVE = "Cao hơn là tốt", "Thấp hơn là tốt", "Định tính"
DIRECTION = {
    d.word: d
    for d in (
        Direction(HIGHER, 1, "cao", "thấp"),
        Direction(LOWER, -1, "thấp", "cao"),
        Direction(QUALITATIVE, 0, "", ""),
    )
}
DIRECTIONS = tuple(DIRECTION)


# ---------------------------------------------------------------------------- merge rules


@dataclass(frozen=True)
class MergeRule:
    """How old communes' results merge into the new commune's 2025 baseline: `merges` False
    for a figure that cannot be merged at all (a growth rate); `weight` the commune fact a mean
    is weighted by (None: a sum)."""

    word: str
    merges: bool
    weight: str | None


SUM, POP_MEAN, AREA_MEAN, NO_MERGE = (
    "Cộng",
    "Bình quân theo dân số",
    "Bình quân theo diện tích",
    "Không gộp",
)
MERGE_RULE = {
    m.word: m
    for m in (
        MergeRule(SUM, True, None),
        MergeRule(POP_MEAN, True, "dan_so"),
        MergeRule(AREA_MEAN, True, "dien_tich"),
        MergeRule(NO_MERGE, False, None),
    )
}
MERGE_RULES = tuple(MERGE_RULE)
# each commune fact a mean is weighted by (sheet "Thông tin"), in words
WEIGHT_NAME = {"dan_so": "dân số", "dien_tich": "diện tích"}
MEAN_RULES = tuple(m.word for m in MERGE_RULE.values() if m.weight)


# ---------------------------------------------------------------------------- kinds of target

# What a target means over the term (the catalogue's column "Loại mục tiêu"; a row whose indicator
# the catalogue leaves blank has its kind read from its own words, with a warning). What each kind
# means for the path, the change still needed, a miss and the achievement ratio: docs/rules.md.
LEVEL = "Mức"  # a level reached by the end of the term (thu nhập 42 triệu đồng năm 2030)
TERM_TOTAL = "Tổng nhiệm kỳ"  # a total over the term (kết nạp ≥ 145 đảng viên trong nhiệm kỳ)
EVERY_YEAR = "Hằng năm"  # the target itself, each year (≥ 95 % tổ chức hoàn thành tốt hằng năm)
RATE = "Tốc độ"  # a rate of change (giảm bình quân 3 %/năm; thu ngân sách tăng 10 %)
TARGET_KINDS = (LEVEL, TERM_TOTAL, EVERY_YEAR, RATE)
# How a row's own words (its name, its target as printed, Biểu 03's note) say its kind where the
# catalogue leaves it blank: regular expressions on the words in lower case, tried kind by kind in
# this order, phrase by phrase; the first found decides, and none found reads as a level. A rate
# comes before every year ("giảm bình quân hằng năm" is a rate, "Thu nhập bình quân đầu
# người/năm" none of these: a level), and "duy trì" (keeping a level) before a term total's
# "trồng mới" ("Duy trì 758 ha, trồng mới 50 ha/năm" is a level).
KIND_PHRASES = (
    (
        RATE,
        (
            r"bình quân (?:hằng|hàng|mỗi) năm",
            r"(?:tăng|giảm) bình quân",
            r"\d+ năm tăng",
            r"so với nhiệm kỳ trước",
            r"tốc độ tăng",
            r"tăng trưởng",
            r"mức (?:tăng|giảm)",
        ),
    ),
    (
        EVERY_YEAR,
        (r"hằng năm", r"hàng năm", r"mỗi năm", r"hoàn thành tốt nhiệm vụ", r"\bhttnv\b"),
    ),
    (LEVEL, (r"duy trì",)),
    (
        TERM_TOTAL,
        (
            r"trong nhiệm kỳ",
            r"cả nhiệm kỳ",
            r"kết nạp",
            r"mới thành lập",
            r"thành lập mới",
            r"xây dựng mới",
            r"trồng mới",
            r"tăng thêm",
            r"\b\d+ năm\b",
        ),
    ),
)


# ---------------------------------------------------------------------------- the catalogue

UNBOUNDED = "Không giới hạn"  # an indicator whose percentage may be negative or pass 100
PERCENT, AMOUNT, QUALITY = "Phần trăm", "Số lượng", "Định tính"
UNIT_KINDS = (PERCENT, AMOUNT, QUALITY)

# How officers shorten the words of a unit, in a number cell ("24,8 tr", "1,2 tỉ") as in the
# "Đơn vị tính" column ("Tr. đồng", "Tr.đ/người/năm"). A unit is compared with the catalogue's
# units word by word with these spelled out (a word's final dot dropped: "tr." is "tr"), so
# "tr.đ" finds "Triệu đồng". Keys in lower case; a key of two words is matched as a phrase.
# The conversions themselves are the catalogue's (sheet "Đơn vị": "Quy đổi về", "Hệ số").
UNIT_SPELLINGS = {
    "tr": "triệu",
    "trđ": "triệu đồng",
    "đ": "đồng",
    "vnđ": "đồng",
    "vnd": "đồng",
    "ngàn": "nghìn",
    "tỉ": "tỷ",
    "hecta": "ha",
    "héc-ta": "ha",
    "héc ta": "ha",
    "phần trăm": "%",
    "sp": "sản phẩm",
}


# ---------------------------------------------------------------------------- the communes

OLD, NEW = "Trước sắp xếp", "Sau sắp xếp"
KINDS = (OLD, NEW)
KEPT = "Giữ nguyên"  # a commune kept as it is: one workbook holding both its Biểu, OLD and NEW
FORM_KINDS = (*KINDS, KEPT)  # the communes a ready-to-fill workbook is made for
TERMS = {OLD: "2020-2025", NEW: "2025-2030"}  # the term of each kind's table

# a table row: a group (I, II), an item (1, 2), or a sub-row of the item above
GROUP, ITEM, SUBROW = "nhóm", "chỉ tiêu", "dòng con"


# the folders of output/ that are not a new commune's: a new commune's code names its folder,
# so it may be none of these
ROLLUP_FOLDER, MARKED_FOLDER = "tong_hop_tinh", "ban_danh_dau"
OUTPUT_FOLDERS = (ROLLUP_FOLDER, MARKED_FOLDER)


# ---------------------------------------------------------------------------- readings

# How a cell's number is read. Vietnamese notation is the default: 1.234,5.
COMMA_DECIMAL = "Dấu phẩy thập phân"  # 1.234,5 (Vietnamese)
DOT_DECIMAL = "Dấu chấm thập phân"  # 1,234.5 (typed on an English keyboard)
READING_LOCALE = {COMMA_DECIMAL: "vi", DOT_DECIMAL: "en"}
READINGS = tuple(READING_LOCALE)


# ---------------------------------------------------------------------------- abbreviations

# How reports shorten the words of an indicator's name. A printed name is compared with the
# catalogue's names with these spelled out, so that "Tỷ lệ dân tham gia BHYT" finds "Tỷ lệ dân số
# tham gia Bảo hiểm y tế". Keys in lower case, as a word of the name is matched.
ABBREVIATIONS = {
    "antt": "an ninh trật tự",
    "bhxh": "bảo hiểm xã hội",
    "bhyt": "bảo hiểm y tế",
    "cbcc": "cán bộ công chức",
    "cn": "công nghệ",
    "ctxh": "chính trị xã hội",
    "cđs": "chuyển đổi số",
    "dn": "doanh nghiệp",
    "dvc": "dịch vụ công",
    "dvctt": "dịch vụ công trực tuyến",
    "gd": "giáo dục",
    "htx": "hợp tác xã",
    "httnv": "hoàn thành tốt nhiệm vụ",
    "kdc": "khu dân cư",
    "kh": "khoa học",
    "kh&cn": "khoa học công nghệ",
    "khcn": "khoa học công nghệ",
    "mttq": "mặt trận tổ quốc",
    "ntm": "nông thôn mới",
    "tccsđ": "tổ chức cơ sở đảng",
    "tthc": "thủ tục hành chính",
    "ubnd": "ủy ban nhân dân",
}

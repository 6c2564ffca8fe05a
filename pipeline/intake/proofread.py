"""The proofreader (`bieu soat-bao-cao`): a committee's own Word report checked against the record
in `raw/` and against arithmetic.

`remarks` is pure: the prose read (`prose.read_prose`) and the judged record of one new commune
in, one `Remark` per figure, ratio, rating or count that disagrees out, each with where it is
printed. Checked, in part two (each old commune's section, found by the Biểu it names): each
figure against the table's target or result (as the checks of prose against tables compare
them: 1,990 = 1,99; figures in words found among the table's, in order), each ratio "đạt x %"
against the figures printed beside it (or the table's, where none are), rounded to the
decimals it is printed with, each rating word against the table's published rating (an item's
own rating against its rows' weakest), and the tally "07 chỉ tiêu vượt, …" against the
published ratings counted; in part three, each target against Biểu 03.

`proofread` is the shell: it reads the record as `bieu annexes` does (refusing one with errors),
the report, and writes a copy of it with a Word comment on each remark (`commented`) and the
same list as a CSV, into a folder of their own beside `output/`; the original is never written.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd

from pipeline.intake import same_bieu
from pipeline.intake.prose import (
    PART_THREE,
    PART_TWO,
    Clause,
    Figure,
    Piece,
    Prose,
    Row,
    Section,
    matched,
)
from pipeline.parse import (
    FIGURE_TOKEN,
    NUMBER,
    RANGE,
    TEXT,
    figures_in,
    format_vi,
    parse_expr,
)
from pipeline.text import clean, key
from schemas.stages import (
    GOAL,
    RESULT,
    TARGET,
    InfoRead,
    Items,
    Located,
    MembersRead,
    OfCommune,
    ResultRows,
    ResultRowsRead,
    ScoredRows,
)
from schemas.vocabulary import EXCEEDED, LOWER, MET, MISSED

PARTS = {PART_TWO: "phần hai", PART_THREE: "phần ba"}
FIGURE, RATIO, RATING, COUNT = "số liệu", "tỷ lệ", "đánh giá", "tổng hợp"


@dataclass
class Remark:
    """A disagreement: the part and section it is in, the item and row, what is printed, what
    is wrong (the comment's words), where it is printed, and what kind it is."""

    part: str
    section: str
    item: str
    row: str
    printed: str
    text: str
    piece: Piece
    kind: str = FIGURE

    def line(self, report: str) -> str:
        where = f"{PARTS[self.part]}, {self.section}" + (
            f", mục ({self.item})" if self.item else ""
        )
        name = f" › {self.row}" if self.row else ""
        return f"{report} › {where}{name}: {self.text}"


@dataclass
class Commune:
    """What the proofreader needs of the record for one new commune's report: each old commune's
    name, Biểu and rows (in table order), its items' and tally's published ratings; the new
    commune's Biểu 03 rows."""

    name: str
    old: dict[str, tuple[str, pd.DataFrame]] = field(default_factory=dict)  # Biểu → (name, rows)
    items: pd.DataFrame | None = None  # st.Items of the old communes
    tallies: dict[str, dict[str, int]] = field(default_factory=dict)  # Biểu → rating → count
    targets: pd.DataFrame | None = None  # st.Baselines rows of the new commune


def remarks(prose: Prose, commune: Commune) -> list[Remark]:
    """Every disagreement of the report's part two and part three with the record, in the order
    they are printed."""
    found: list[Remark] = []
    for section in prose.of(PART_TWO):
        bieu = next((b for b in commune.old if same_bieu(b, section.bieu)), None)
        if bieu is not None:
            found += _part_two(section, *commune.old[bieu], commune, commune.tallies[bieu])
    if commune.targets is not None:
        shape = _target_rows(commune.targets)
        for section in prose.of(PART_THREE):
            found += _part_three(section, shape, commune.targets)
    return sorted(found, key=lambda r: r.piece.at)


# ---------------------------------------------------------------------------- part two


def _result_rows(rows: pd.DataFrame) -> list[Row]:
    groups = {g: i + 1 for i, g in enumerate(dict.fromkeys(rows[ResultRows.nhom]))}
    return [
        Row(i, int(m) if str(m).isdigit() else 0, groups[g], name, unit)
        for i, (m, g, name, unit) in enumerate(
            zip(
                rows[ResultRows.muc],
                rows[ResultRows.nhom],
                rows[ResultRowsRead.chi_tieu],
                rows[ResultRowsRead.don_vi],
                strict=True,
            )
        )
    ]


def _part_two(
    section: Section, name: str, rows: pd.DataFrame, commune: Commune, tally: dict[str, int]
) -> list[Remark]:
    where = f"xã {name} (biểu {section.bieu})"
    out: list[Remark] = []
    records = rows.to_dict("records")
    tied = {id(m.clause): m for m in matched(section, _result_rows(rows))}
    for item in section.items:
        for clause in item.clauses:
            match = tied.get(id(clause))
            row = records[match.row.index] if match else None
            said = row[ResultRowsRead.chi_tieu] if row else ""
            out += [
                Remark(PART_TWO, where, str(item.number), said, piece.text, text, piece, kind)
                for text, piece, kind in _said_of(clause, row)
            ]
        if item.rating and commune.items is not None:
            published = _item_rating(commune.items, rows, item.number)
            if published and item.rated != published:
                text = _rating(item.rated, published, "", True)
                piece = item.rating
                out.append(
                    Remark(PART_TWO, where, str(item.number), "", piece.text, text, piece, RATING)
                )
    return out + _tally(section, where, tally)


def _said_of(clause: Clause, row: dict | None) -> list[tuple[str, Piece, str]]:
    """What is wrong in a clause of part two: its figures against its row, its rating against
    the row's published rating, its ratio against arithmetic."""
    out = []
    if row is not None:
        for figure, parsed, what in (
            (clause.target, TARGET, "chỉ tiêu NQ"),
            (clause.result, RESULT, "kết quả"),
        ):
            if figure and _differs(figure, row, parsed) is not None:
                text = f'văn bản ghi {what} "{figure.text}", bảng ghi "{row[parsed.text]}"'
                out.append((text, figure.piece, FIGURE))
        published = row[ResultRowsRead.danh_gia]
        if clause.rating and published and clause.rated != published:
            text = _rating(clause.rated, published, row.get(ScoredRows.danh_gia_tinh, ""))
            out.append((text, clause.rating, RATING))
    if clause.ratio and (wrong := _ratio(clause, row)):
        out.append((wrong, clause.ratio, RATIO))
    return out


def _differs(figure: Figure, row: dict, parsed) -> str | None:
    """Why a figure the prose prints differs from the table's ("" where the reason is the
    figures themselves), or None where they agree or cannot be compared."""
    said = parse_expr(figure.text)
    kind = row[parsed.kind]
    if said.kind in (NUMBER, RANGE) and kind in (NUMBER, RANGE):
        scale = 10.0 ** max(said.decimals or 0, int(row[parsed.decimals] or 0))
        lo, hi = row[parsed.lo], row[parsed.hi]
        same = round((said.lo - lo) * scale) == 0 and round((said.hi - hi) * scale) == 0
        return None if same else ""
    if said.kind in (NUMBER, RANGE, TEXT) and kind == TEXT:
        return None if figures_in(figure.text, row[parsed.text]) is None else ""
    return None


def _rating(said: str, table: str, computed: str, item: bool = False) -> str:
    whose = "các dòng của mục này trong bảng" if item else "bảng"
    text = f'văn bản ghi "{said.lower()} Nghị quyết", {whose} ghi đánh giá "{table}"'
    if computed and computed != table and computed != said:
        text += f" (tính lại từ chỉ tiêu và kết quả: {computed})"
    elif computed and computed == said:
        text += f" (tính lại từ chỉ tiêu và kết quả: {computed}, như văn bản)"
    return text


def _item_rating(items: pd.DataFrame, rows: pd.DataFrame, number: int) -> str:
    """The published rating of an item: its rows' weakest (`score.items`)."""
    code = rows[OfCommune.ma_xa].iloc[0] if len(rows) else ""
    line = items[(items[OfCommune.ma_xa] == code) & (items[Items.muc] == str(number))]
    return str(line[Items.danh_gia_cong_bo].iloc[0]) if len(line) else ""


def _ratio(clause: Clause, row: dict | None) -> str:
    """What is wrong with a printed ratio "đạt x %": not the figures beside it divided (the
    target by the result where lower is better), rounded to the decimals it is printed with;
    where no pair is printed, not the table's. "" where it is right or cannot be checked."""
    printed = parse_expr(clause.ratio.text)
    if printed.kind != NUMBER:
        return ""
    lower = row is not None and row.get(ScoredRows.chieu) == LOWER
    pair = f"{clause.result.text}/{clause.target.text}" if clause.pair else ""
    if clause.pair:
        a, b = parse_expr(clause.result.text), parse_expr(clause.target.text)
        if a.kind != NUMBER or b.kind != NUMBER:
            return ""
        value = _divided(a.lo, b.lo, lower)
    elif row is not None and row[RESULT.kind] == NUMBER and row[TARGET.kind] == NUMBER:
        value = _divided(row[RESULT.lo], row[TARGET.lo], lower)
    else:
        return ""
    if value is None:
        return ""
    decimals = printed.decimals or 0
    if _rounded(value, decimals) == printed.lo:
        return ""
    shown = format_vi(_rounded(value, max(decimals, 1)))
    text = f"văn bản ghi {pair + ' ' if pair else ''}đạt {clause.ratio.text} %: "
    table = ""
    if row is not None and row[RESULT.kind] == NUMBER and row[TARGET.kind] == NUMBER:
        table = f"{row[RESULT.text]}/{row[TARGET.text]}"
    if not pair or _same_pair(clause, row):
        return text + (f"bảng ghi {table}, " if table else "") + f"tỷ lệ đúng là {shown} %"
    text += f"tỷ lệ đúng của {pair} là {shown} %"
    by_table = _divided(row[RESULT.lo], row[TARGET.lo], lower) if table else None
    if by_table is not None:
        text += f"; bảng ghi {table}, tỷ lệ {format_vi(_rounded(by_table, 1))} %"
    return text


def _rounded(value: float, decimals: int) -> float:
    """Rounded half up, as a person rounds (212,45 → 212,5)."""
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP))


def _same_pair(clause: Clause, row: dict | None) -> bool:
    """The pair printed is the table's result and target."""
    if row is None:
        return False
    return all(
        _differs(figure, row, parsed) is None
        for figure, parsed in ((clause.result, RESULT), (clause.target, TARGET))
    )


def _divided(result: float, target: float, lower: bool) -> float | None:
    top, bottom = (target, result) if lower else (result, target)
    if not bottom or math.isnan(bottom) or math.isnan(top):
        return None
    return top / bottom * 100


def _tally(section: Section, where: str, published: dict[str, int]) -> list[Remark]:
    """The tally part two prints against the published ratings counted."""
    if not published:
        return []
    out = []
    words = {InfoRead.vuot_bc: EXCEEDED, InfoRead.dat_bc: MET, InfoRead.khong_dat_bc: MISSED}
    for column, piece in section.counts.items():
        if column == InfoRead.so_chi_tieu_bc:
            counted, what = sum(published.values()), "chỉ tiêu"
        else:
            counted, what = published.get(words[column], 0), f"chỉ tiêu {words[column].lower()}"
        if int(piece.text) != counted:
            out.append(
                Remark(
                    PART_TWO,
                    where,
                    "",
                    "",
                    piece.text,
                    f"văn bản ghi {piece.text} {what}, cột Đánh giá của biểu cộng lại là "
                    f"{counted:02d}",
                    piece,
                    COUNT,
                )
            )
    return out


# ---------------------------------------------------------------------------- part three


def _target_rows(targets: pd.DataFrame) -> list[Row]:
    groups = {g: i + 1 for i, g in enumerate(dict.fromkeys(targets[ResultRows.nhom]))}
    return [
        Row(i, int(m) if str(m).isdigit() else 0, groups[g], name, unit, goal)
        for i, (m, g, name, unit, goal) in enumerate(
            zip(
                targets[ResultRows.muc],
                targets[ResultRows.nhom],
                targets[ResultRowsRead.chi_tieu],
                targets[ResultRowsRead.don_vi],
                targets[GOAL.text],
                strict=True,
            )
        )
    ]


def _part_three(section: Section, shape: list[Row], targets: pd.DataFrame) -> list[Remark]:
    records = targets.to_dict("records")
    out = []
    where = section.heading or f"nhóm {section.group}"
    for match in matched(section, shape):
        row, clause = records[match.row.index], match.clause
        figure = clause.target
        if figure is None or _differs(figure, row, GOAL) is None:
            continue
        piece = figure.piece
        if match.whole:
            piece = _missing_piece(clause, row[GOAL.text]) or piece
        out.append(
            Remark(
                PART_THREE,
                where,
                str(match.item.number),
                row[ResultRowsRead.chi_tieu],
                piece.text,
                f'văn bản ghi mục tiêu "{figure.text}", bảng ghi "{row[GOAL.text]}"',
                piece,
            )
        )
    return out


def _missing_piece(clause: Clause, printed: str) -> Piece | None:
    """Of a row worded in words, the first figure the prose prints that the table's words do not
    hold: the one a comment marks."""
    tokens = [
        Piece(m[0], part.at + m.start(), part.at + m.end())
        for part in clause.parts
        for m in FIGURE_TOKEN.finditer(part.text)
    ]
    joined = " ".join(t.text for t in tokens)
    missing = figures_in(joined, printed)
    if missing is None:
        return None
    return tokens[missing]


# ---------------------------------------------------------------------------- the shell

FOLDER = "soat_bao_cao"  # where the copy goes, beside output/
SUFFIX = "_da_soat"  # the copy's name: the report's, with this after it
# the list's columns: where (part and section, paragraph, item), the row, the kind of remark,
# the text printed and what is wrong with it
COLUMNS = [
    "phan",
    "doan",
    ResultRows.muc,
    ResultRowsRead.chi_tieu,
    "loai_lech",
    "van_ban_ghi",
    "noi_dung",
]


@dataclass
class Proofread:
    """What a run of the proofreader did: the remarks, and where the copy and the list went."""

    remarks: list[Remark]
    copy: Path
    listed: Path
    commune: str
    passages: int  # items read in part two and part three


def proofread(raw: Path, report: Path, folder: Path, code: str = "") -> Proofread:
    """Check `report` against the record in `raw` for the new commune `code` (the only one in
    `raw` where not given); write the commented copy and the CSV into `folder`."""
    from pipeline import products, view
    from pipeline.intake import IntakeError, _open_word
    from pipeline.intake.commented import Mark, commented
    from pipeline.intake.prose import read_prose

    document = _open_word(report)
    prose = read_prose(document)
    passages = sum(len(s.items) for s in prose.sections)
    if not passages:
        raise IntakeError(
            f'{report.name}: không tìm thấy đoạn chỉ tiêu nào (phần thứ hai: "Đối với xã … (có '
            'biểu số 01 kèm theo)" và các mục (1), (2) …; phần thứ ba: "Các chỉ tiêu chủ yếu", '
            '"3.1." và các mục (1), (2) …)'
        )
    commune = record(raw, code)
    found = remarks(prose, commune)
    marks = []
    for remark in found:
        paragraph, start = prose.where(remark.piece.at)
        _, end = prose.where(remark.piece.end)
        marks.append(Mark(paragraph, start, end, remark.text))
    target = folder / f"{report.stem}{SUFFIX}.docx"
    listed = folder / f"{report.stem}{SUFFIX}.csv"
    if target.resolve() == report.resolve():
        raise IntakeError(
            f"{report.name}: bản sao không được ghi đè lên tệp gốc; chọn thư mục khác"
        )
    table = view.Table(
        COLUMNS,
        [
            (
                PARTS[r.part] + f", {r.section}",
                prose.where(r.piece.at)[0] + 1,
                r.item,
                r.row,
                r.kind,
                r.printed,
                r.text,
            )
            for r in found
        ],
    )
    folder.mkdir(parents=True, exist_ok=True)
    _replace(target, commented(report.read_bytes(), marks))
    _replace(listed, products.csv_bytes(table))
    return Proofread(found, target, listed, commune.name, passages)


def _replace(path: Path, data: bytes) -> None:
    """Write a file whole: beside it first, then renamed over it."""
    import os

    staged = path.with_name(f".{path.name}.{os.getpid()}.moi")
    try:
        with staged.open("wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(staged, path)
    finally:
        staged.unlink(missing_ok=True)


def record(raw: Path, code: str = "") -> Commune:
    """The record of `raw` as the proofreader needs it for one new commune: read, checked (an
    error refuses, with every error's line) and judged as `bieu annexes` judges it."""
    from pipeline.intake import IntakeError
    from pipeline.judge import judge
    from pipeline.load import load_record
    from pipeline.prepare import prepare
    from pipeline.problems import ERROR
    from pipeline.validate import validate
    from schemas.vocabulary import NEW, OLD

    if not raw.is_dir():
        raise IntakeError(f"{raw}: không tìm thấy thư mục dữ liệu gốc")
    prepared = prepare(load_record(raw))
    errors = [p for p in validate(prepared) if p.muc_do == ERROR]
    if errors:
        raise IntakeError(
            "\n".join(
                [
                    *(p.line() for p in errors),
                    f"{raw.name}/ có {len(errors)} {ERROR}: sửa rồi soát lại (soát báo cáo dựa "
                    "trên các bảng trong raw/)",
                ]
            )
        )
    info = prepared.info
    new = info[info[InfoRead.loai] == NEW]
    codes = list(dict.fromkeys(new[OfCommune.ma_xa]))
    if code:
        chosen = [c for c in codes if key(c) == key(code)]
        if not chosen:
            raise IntakeError(
                f'không có xã sau sắp xếp nào mang mã "{clean(code)}" trong {raw.name}/ (có: '
                f"{', '.join(codes) or 'không có xã nào'})"
            )
        code = chosen[0]
    elif len(codes) == 1:
        code = codes[0]
    else:
        raise IntakeError(
            f"{raw.name}/ có {len(codes)} xã sau sắp xếp ({', '.join(codes)}); chọn xã của báo "
            "cáo bằng --ma-xa …"
            if codes
            else f"{raw.name}/ chưa có xã sau sắp xếp nào: báo cáo được soát theo biểu của xã mới "
            "và các xã hợp thành"
        )
    judgement = judge(prepared.keeping({code}))
    members = prepared.members
    olds = set(members.loc[members[OfCommune.ma_xa] == code, MembersRead.ma_xa_cu]) | {code}
    old_info = info[(info[InfoRead.loai] == OLD) & info[OfCommune.ma_xa].isin(olds)]
    scored = judgement.scored.sort_values([OfCommune.ma_xa, Located.dong])
    items = judgement.items
    commune = Commune(str(new.loc[new[OfCommune.ma_xa] == code, InfoRead.ten_xa].iloc[0]))
    for old_code, bieu, name in zip(
        old_info[OfCommune.ma_xa],
        old_info[InfoRead.bieu_so],
        old_info[InfoRead.ten_xa],
        strict=True,
    ):
        rows = scored[scored[OfCommune.ma_xa] == old_code].reset_index(drop=True)
        commune.old[str(bieu)] = (str(name), rows)
        mine = items[items[OfCommune.ma_xa] == old_code]
        commune.tallies[str(bieu)] = mine[Items.danh_gia_cong_bo].value_counts().to_dict()
    commune.items = items
    targets = judgement.baselines
    commune.targets = (
        targets[targets[OfCommune.ma_xa] == code].sort_values(Located.dong).reset_index(drop=True)
    )
    return commune

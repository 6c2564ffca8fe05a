"""Ways into `raw/`: a ready-to-fill workbook for a commune (`bieu mau`, `make mau`), and a draft
of one imported from the annex tables of its congress report in Word (`bieu nhap-word`).

A shell like `build`: it reads the catalogue and the communes already in `raw/`, checks what it
is asked, and writes one new workbook where the pipeline expects it
(`raw/<tỉnh>/<mã xã>.xlsx`), never over a file. Anything it cannot do is an `IntakeError`
whose message is the one Vietnamese line the command prints; then nothing is written.
`form.py` makes the workbook (laid out in `pipeline.layout.form`), `word.py` reads the Word
tables, `pipeline.suggest` suggests each row's code.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from pipeline.catalogue import Catalogue
from pipeline.formats import XLSX, workbooks
from pipeline.layout.form import Commune, Table
from pipeline.load import (
    assemble,
    find_catalogue,
    find_sheet,
    header_key,
    is_catalogue,
    read_cells,
    read_part,
    tidy_sheet,
)
from pipeline.parse import parse_expr
from pipeline.paths import PACKAGE_DATA, display_path, start_command
from pipeline.prepare import prepare_indicators, prepare_units
from pipeline.problems import ERROR
from pipeline.suggest import SHOWN, Suggester, sure, unit_hint
from pipeline.text import clean, key, slug
from pipeline.workbook import Refused, check_package
from schemas import stages as st
from schemas.catalogue import FILE_STEM
from schemas.commune import INFO_SHEET, MEMBER_SHEET
from schemas.stages import (
    GOAL_PROSE,
    RESULT_PROSE,
    TARGET_PROSE,
    InfoRead,
    MembersRead,
    OfCommune,
    ResultRowsRead,
    TargetRowsRead,
    UnitsRead,
)
from schemas.tables import RESULT_SHEET, TARGET_SHEET
from schemas.vocabulary import FORM_KINDS, KEPT, NEW, OLD, PUBLISHED

from .form import workbook

__all__ = [
    "KEPT",
    "FORM_KINDS",
    "IntakeError",
    "Started",
    "Written",
    "make_form",
    "import_word",
    "start_record",
]


# how a person asks the import to replace a commune's draft
REPLACE_FLAG = "GHI_DE=1 (make) hoặc --ghi-de (bieu nhap-word)"


class IntakeError(Exception):
    """What a person is told when a command cannot do what it was asked (one line)."""


@dataclass
class Written:
    """A workbook written: where, and for a draft how many rows it holds and how many a person
    must decide."""

    path: Path
    shown: str  # the path as messages name it (raw/tinh/ma.xlsx)
    rows: int = 0  # data rows written, as the loader reads them back
    decide: int = 0
    seen: int = 0  # data rows seen in the document's tables
    sources: str = ""  # which: "Biểu 01, bảng thứ 1, 2"
    notes: tuple[str, ...] = ()  # tables skipped, each why
    replaced: bool = False  # an earlier workbook of the commune replaced (--ghi-de)


@dataclass
class Started:
    """A record started (`bieu khoi-tao`): the catalogue's path as messages name it, whether the
    folder was made and the catalogue copied (False: the record already had one, kept)."""

    shown: str
    made_folder: bool
    copied: bool


# ---------------------------------------------------------------------------- the commands


def shipped_catalogue() -> Path:
    """The catalogue shipped inside the package: the seed's, ready to be copied into a record."""
    return PACKAGE_DATA / f"{FILE_STEM}{XLSX.suffix}"


def start_record(raw: Path) -> Started:
    """Make `raw` (where it is not there) and copy the shipped catalogue into it, never over a
    catalogue already there (of any format) and never a commune's workbook."""
    made = not raw.exists()
    if raw.exists() and not raw.is_dir():
        raise IntakeError(f"{raw}: đã có một tệp trùng tên, không tạo được thư mục dữ liệu gốc")
    if not made:
        path, _ = find_catalogue(workbooks(raw), raw)
        if path is not None:
            return Started(display_path(path, raw), made_folder=False, copied=False)
    raw.mkdir(parents=True, exist_ok=True)
    target = raw / shipped_catalogue().name
    data = shipped_catalogue().read_bytes()
    _write(raw, target, data)
    return Started(display_path(target, raw), made_folder=made, copied=True)


def make_form(
    raw: Path,
    code: str,
    name: str,
    province: str,
    kind: str,
    members: str = "",
    bieu: str = "",
) -> Written:
    """Write a blank workbook for a commune into `raw`."""
    commune, target = _commune(raw, code, name, province, kind, members, bieu)
    return _write(raw, target, workbook(commune, load_catalogue(raw)))


def import_word(
    raw: Path,
    report: Path,
    code: str,
    name: str,
    province: str,
    members: str = "",
    chosen: tuple[str, ...] = (),
    replace: bool = False,
) -> Written:
    """Write a draft workbook for a commune into `raw` from the annex table(s) of its report:
    the one table the document holds, or the Biểu `chosen` (a results table, a targets table,
    or one of each for a commune kept as it is); with `replace`, over the commune's own earlier
    workbook. The rows written are read back and counted: fewer than the document's tables
    hold is refused, never a shorter draft."""
    from pipeline.intake.word import read_document

    document = _open_word(report)
    reading = read_document(document)
    notes = tuple(f"{report.name}: {note}" for note in reading.notes)
    if not reading.tables:
        raise IntakeError(
            "\n".join(
                [
                    *notes,
                    f"{report.name}: không tìm thấy bảng chỉ tiêu nào (bảng có dòng tiêu đề với "
                    'các cột "TT", "Chỉ tiêu", "Đơn vị tính", …)',
                ]
            )
        )
    picked = _pick(report, reading.tables, chosen)
    kinds = {t.kind for t in picked}
    kind = KEPT if kinds == {OLD, NEW} else kinds.pop()
    commune, target = _commune(raw, code, name, province, kind, members, "", replace)
    catalogue = load_catalogue(raw)
    suggester = Suggester.of(catalogue)
    printed = with_prose(document, picked)
    drafts = [draft(t, suggester, catalogue) for t in picked]
    for table, counts in zip(drafts, printed, strict=True):
        table.printed = counts
    data = workbook(commune, catalogue, drafts)
    counted = _counted(data, picked)
    for table, rows in zip(picked, counted, strict=True):
        if rows != table.seen:
            raise IntakeError(_shorter(report, table, rows))
    replaced = replace and target.exists()
    written = _write(raw, target, data, replace)
    written.rows, written.seen = sum(counted), sum(t.seen for t in picked)
    written.sources = "; ".join(f"{t.label}, {_parts(t.parts)}" for t in picked)
    written.decide = sum(bool(d) for t in drafts for d in t.decide)
    written.notes, written.replaced = notes, replaced
    return written


def with_prose(document, tables: list) -> list[dict[str, str]]:
    """Fill each table's prose columns from what the report's prose says of its rows (part two's
    section naming the table's Biểu for a results table, part three for a targets table), and
    give the tally part two prints for each results table (Thông tin's columns → counts)."""
    from pipeline.intake.prose import PART_THREE, PART_TWO, matched, outline, read_prose

    prose = read_prose(document)
    printed = []
    for table in tables:
        rows = table.rows
        if table.kind == NEW:
            sections = prose.of(PART_THREE)
            goal = TargetRowsRead.muc_tieu
        else:
            sections = [s for s in prose.of(PART_TWO) if same_bieu(s.bieu, table.bieu)][:1]
            goal = ""
        shape = outline(
            rows, ResultRowsRead.tt, ResultRowsRead.chi_tieu, ResultRowsRead.don_vi, goal
        )
        for section in sections:
            for match in matched(section, shape):
                row, clause = rows[match.row.index], match.clause
                if table.kind == NEW:
                    row[GOAL_PROSE.name] = clause.target.text if clause.target else ""
                else:
                    row[TARGET_PROSE.name] = clause.target.text if clause.target else ""
                    row[RESULT_PROSE.name] = clause.result.text if clause.result else ""
        printed.append(
            {
                column: piece.text
                for s in sections
                if s.part == PART_TWO
                for column, piece in s.counts.items()
            }
        )
    return printed


def same_bieu(a: str, b: str) -> bool:
    """Two Biểu numbers as printed name the same Biểu ("01" and "1")."""
    return bool(a) and (a.lstrip("0") or "0") == (b.lstrip("0") or "0")


def _counted(data: bytes, tables: list) -> list[int]:
    """The data rows of each table's sheet in a draft, as the loader reads them back."""
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    counts = []
    for table in tables:
        layout = RESULT_SHEET if table.kind == OLD else TARGET_SHEET
        grid = book.get_sheet_by_name(layout.name).to_python(skip_empty_area=False)
        tidy = tidy_sheet(grid, layout, "", layout.name, {})
        fields = list(layout.columns)
        printed = [
            fields.index(f)
            for f in (ResultRowsRead.tt, ResultRowsRead.chi_tieu, ResultRowsRead.don_vi)
        ]
        counts.append(sum(any(row[i] != "" for i in printed) for row in tidy.rows or []))
    return counts


def _parts(numbers: list[int]) -> str:
    return "bảng thứ " + ", ".join(map(str, numbers))


def _shorter(report: Path, table, rows: int) -> str:
    """Why a draft would hold fewer rows than the document: a table right after it that could
    not be joined, or rows that could not be read."""
    line = (
        f"{report.name}: {table.label} có {table.seen} dòng trong tài liệu "
        f"({_parts(table.parts + table.unjoined)}) nhưng chỉ đọc được {rows} dòng"
    )
    if table.unjoined:
        return (
            f"{line}: {_parts(table.unjoined)} nằm ngay sau mà không nối tiếp được bảng trước "
            "(khác số cột, độ rộng cột, hoặc số thứ tự không liền); sửa trong Word cho cùng cột, "
            "số thứ tự liền mạch rồi nhập lại"
        )
    return f"{line}: có dòng không đọc được; xem lại bảng trong Word rồi nhập lại"


# ---------------------------------------------------------------------------- a draft's rows


def draft(found, suggester: Suggester, catalogue: Catalogue) -> Table:
    """A table read from Word, each row with its suggested code, how sure, the runner-up, and
    what a person must decide."""
    from pipeline.prepare import ROMAN

    table = Table(found.kind, found.bieu, found.title, found.subtitle, found.term, found.header, [])
    target = found.kind == NEW
    for row in found.rows:
        row = dict(row)
        if re.fullmatch(ROMAN, row[ResultRowsRead.tt]):
            table.rows.append(row)
            table.scores.append("")
            table.runners_up.append("")
            table.decide.append("")
            continue
        matches = suggester.indicators(
            row[ResultRowsRead.chi_tieu], row[ResultRowsRead.don_vi], target
        )
        best = matches[0] if matches and matches[0].score >= SHOWN else None
        row[ResultRowsRead.ma_chi_tieu] = best.code if best else ""
        table.rows.append(row)
        table.scores.append(str(best.score) if best else "")
        runner = matches[1] if len(matches) > 1 else None
        table.runners_up.append(f"{runner.name} ({runner.score}%)" if runner else "")
        table.decide.append("; ".join(_reasons(row, matches, suggester, catalogue, target)))
    return table


def _reasons(row, matches, suggester: Suggester, catalogue: Catalogue, target: bool) -> list:
    """Why a person must decide an imported row (none where the row can be taken as it is)."""
    reasons = []
    if not matches or matches[0].score < SHOWN:
        reasons.append("không có chỉ tiêu nào trong danh mục gần với tên này: chọn trong danh sách")
    elif not sure(matches):
        second = f', "{matches[1].name}" {matches[1].score}%' if len(matches) > 1 else ""
        reasons.append(
            f'chỉ tiêu gợi ý chưa chắc ("{matches[0].name}" {matches[0].score}%{second})'
        )
    unit = key(row[ResultRowsRead.don_vi])
    if row[ResultRowsRead.don_vi] and unit not in catalogue.unit.index:
        reasons.append(
            f'đơn vị "{row["don_vi"]}" không có trong danh mục'
            + unit_hint(suggester.units_near(row[ResultRowsRead.don_vi]))
        )
    if (
        not target
        and row[ResultRowsRead.danh_gia]
        and row[ResultRowsRead.danh_gia] not in PUBLISHED
    ):
        reasons.append(f'đánh giá "{row["danh_gia"]}" không phải {", ".join(PUBLISHED)}')
    whole = bool(catalogue.unit[UnitsRead.so_nguyen].get(unit, False))
    for column in (
        (TargetRowsRead.muc_tieu,)
        if target
        else (ResultRowsRead.chi_tieu_nq, ResultRowsRead.ket_qua)
    ):
        ambiguity = parse_expr(row[column], None, whole).ambiguity
        if ambiguity:
            reasons.append(ambiguity.split("; đang đọc")[0] + ": ghi Cách đọc số")
    return reasons


def _pick(report: Path, tables: list, chosen: tuple[str, ...]) -> list:
    """The tables to import: the only one, or those named by their Biểu số."""
    listed = ", ".join(t.label for t in tables)
    if not chosen:
        if len(tables) > 1:
            raise IntakeError(
                f"{report.name}: tài liệu có {len(tables)} bảng chỉ tiêu ({listed}); chọn bảng "
                "của xã này bằng BIEU=… (make) hoặc --bieu … (bieu nhap-word)"
            )
        return tables
    picked = []
    for wanted in chosen:
        table = next((t for t in tables if key(t.bieu) == key(wanted).removeprefix("biểu ")), None)
        if table is None:
            raise IntakeError(
                f'{report.name}: không có "Biểu {clean(wanted)}" trong tài liệu (có: {listed})'
            )
        picked.append(table)
    kinds = [t.kind for t in picked]
    if len(picked) > 2 or len(set(kinds)) != len(kinds):
        raise IntakeError(
            f"{report.name}: một xã nhận một biểu kết quả 2020-2025, một biểu mục tiêu "
            "2025-2030, hoặc một biểu mỗi loại nếu xã giữ nguyên"
        )
    return picked


def _open_word(report: Path):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not report.is_file():
        raise IntakeError(f"{report}: không tìm thấy tệp")
    if report.suffix.lower() != ".docx":
        raise IntakeError(
            f"{report.name}: không phải tệp Word .docx; mở tệp trong Word và lưu lại dạng .docx"
        )
    not_word = f"{report.name}: không đọc được tệp Word: tệp hỏng hoặc không phải .docx"
    try:
        check_package(report, "Word")  # sizes, password, unsafe or broken XML: before expanding
    except Refused as refused:
        raise IntakeError(f"{report.name}: không đọc tệp Word: {refused.reason}") from None
    except zipfile.BadZipFile:
        raise IntakeError(not_word) from None
    try:
        return docx.Document(str(report))
    except (PackageNotFoundError, KeyError, ValueError):  # no Word document in the zip
        raise IntakeError(not_word) from None


# ---------------------------------------------------------------------------- the commune


def _commune(
    raw: Path,
    code: str,
    name: str,
    province: str,
    kind: str,
    members: str,
    bieu: str,
    replace: bool | None = None,
) -> tuple[Commune, Path]:
    """The commune asked for, checked against `raw`, and the file it goes to. `replace`: None
    where the command never replaces a file (`bieu mau`); True where it may replace the
    commune's own file (`bieu nhap-word --ghi-de`), the one a code names in its province."""
    if not raw.is_dir():
        raise IntakeError(
            f"{raw}: không tìm thấy thư mục dữ liệu gốc; bắt đầu hồ sơ mới ở đây bằng "
            f"`{start_command(raw)}`, hoặc chuyển vào thư mục làm việc đã có {raw.name}/"
        )
    code, name, province, bieu = clean(code), clean(name), clean(province), clean(bieu)
    for value, what in ((code, "mã xã"), (name, "tên xã"), (province, "tỉnh")):
        if not value:
            raise IntakeError(f"chưa ghi {what}")
    check_names(code, province)
    kind = parse_kind(kind)
    forms = read_forms(raw)
    known = forms.communes
    target = raw / slug(province) / f"{slug(code)}.xlsx"
    shown = display_path(target, raw)
    flag = (
        f", hoặc thêm {REPLACE_FLAG} để thay tệp đó bằng bản nhập mới"
        if replace is not None
        else ""
    )
    if key(code) in known and not (replace and known[key(code)][2] == shown):
        where = known[key(code)][2]
        raise IntakeError(
            f'mã xã "{code}" đã dùng ở {where}; chọn mã khác' + (flag if where == shown else "")
        )
    listed: tuple[tuple[str, str], ...] = ()
    if kind == NEW:
        listed = parse_members(members, known)
    elif members.strip():
        raise IntakeError("chỉ xã sau sắp xếp mới ghi xã hợp thành")
    bieu = bieu or next_number(forms, code, province, kind, listed)
    if target.exists() and not replace:
        raise IntakeError(
            f"{shown}: tệp đã có, không ghi đè; "
            + (
                "đổi tên hoặc xoá tệp cũ nếu muốn làm lại"
                if replace is None
                else f"thêm {REPLACE_FLAG} để thay tệp đó bằng bản nhập mới (hoặc đổi tên, xoá "
                "tệp cũ)"
            )
        )
    return Commune(code, name, province, kind, listed, bieu), target


# what a commune's code may hold: it names its workbook, raw/<tỉnh>/<mã xã>.xlsx, and a new
# commune's folder of outputs, on Windows as on Linux
CODE = re.compile(r"[\w-]+")


def check_names(code: str, province: str) -> None:
    """Refuse a code, or a province, that does not make a visible file or folder name that every
    system takes (`???` would be the hidden file `.xlsx`, `con` no file at all on Windows)."""
    from pipeline.validate.cells import LONGEST_CODE, WINDOWS_NAMES
    from schemas.vocabulary import OUTPUT_FOLDERS

    reserved = WINDOWS_NAMES | set(OUTPUT_FOLDERS)
    if (
        not CODE.fullmatch(code)
        or len(code) > LONGEST_CODE
        or {code.casefold(), slug(code)} & reserved
    ):
        raise IntakeError(
            f'mã xã "{code}" không dùng làm tên tệp được: mã xã chỉ gồm chữ cái, chữ số, dấu '
            f"gạch dưới (_) hoặc gạch ngang (-), không quá {LONGEST_CODE} ký tự, không trùng tên "
            f"Windows giữ riêng (con, nul, aux, com1, …) hay tên thư mục của chương trình "
            f"({', '.join(OUTPUT_FOLDERS)}); ví dụ tan_an"
        )
    if not slug(province) or slug(province) in reserved or len(slug(province)) > LONGEST_CODE:
        raise IntakeError(
            f'tên tỉnh "{province}" không dùng làm tên thư mục raw/<tỉnh>/ được: ghi tên tỉnh '
            f"bằng chữ, không quá {LONGEST_CODE} ký tự, ví dụ Điện Biên"
        )


def parse_kind(text: str) -> str:
    """A kind as typed: the word, with or without accents (`Trước sắp xếp`, `truoc_sap_xep`), or
    its first word (`truoc`, `sau`, `giu`)."""
    wanted = slug(text)
    for kind in FORM_KINDS:
        if wanted in (slug(kind), slug(kind).split("_")[0]):
            return kind
    allowed = ", ".join(FORM_KINDS)
    raise IntakeError(f'"{clean(text)}" không phải là loại xã hợp lệ ({allowed})')


def parse_members(text: str, known: dict) -> tuple[tuple[str, str], ...]:
    """A new commune's old communes, as typed: `ma=Tên, ma=Tên`, or codes alone for communes
    already in raw/ (their names are taken from their workbooks)."""
    members = []
    for item in (i.strip() for i in re.split(r"[,;]", text)):
        if not item:
            continue
        code, _, name = (clean(p) for p in item.partition("="))
        if not name:
            if key(code) not in known:
                raise IntakeError(
                    f'không có xã nào mang mã "{code}" trong raw/; ghi kèm tên: {code}=Tên xã'
                )
            name = known[key(code)][1]
        members.append((code, name))
    if not members:
        raise IntakeError(
            "xã sau sắp xếp cần danh sách xã hợp thành: XA_HOP_THANH='ma1, ma2' (make) hoặc "
            "--xa-hop-thanh 'ma1=Tên 1, ma2=Tên 2'"
        )
    return tuple(members)


def known_communes(raw: Path) -> dict[str, tuple[str, str, str]]:
    """Every commune already in `raw`, by its code's matching form: (code, name, file)."""
    return read_forms(raw).communes


@dataclass
class Forms:
    """What the workbooks already in `raw` say of each other: every commune by its code's
    matching form (code, name, file); each row of Thông tin (code key, province key, kind,
    Biểu số); each new commune's old communes (code keys, in their sheet's order)."""

    communes: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)
    members: dict[str, list[str]] = field(default_factory=dict)

    def number(self, code: str, kind: str) -> str:
        """The Biểu số a commune's row of that kind gives ("" where none does)."""
        return next((b for c, _, k, b in self.rows if c == code and k == kind), "")


def read_forms(raw: Path) -> Forms:
    """Thông tin and Xã hợp thành of every commune's workbook in `raw` (a file the pipeline
    cannot read is left to the pipeline to report)."""
    forms = Forms()
    at = {name: i for i, name in enumerate(INFO_SHEET.columns)}
    kinds = {key(kind): kind for kind in FORM_KINDS}
    for path in workbooks(raw):
        if is_catalogue(path):
            continue
        shown = display_path(path, raw)
        try:
            grids = read_cells(path, {header_key(INFO_SHEET.name), header_key(MEMBER_SHEET.name)})
        except (Refused, CalamineError, OSError):  # the pipeline reports this file itself
            continue
        new = ""
        for row in _rows(grids, INFO_SHEET, shown):
            code, kind = row[at[OfCommune.ma_xa]], kinds.get(key(row[at[InfoRead.loai]]), "")
            forms.communes.setdefault(key(code), (code, row[at[InfoRead.ten_xa]], shown))
            province, bieu = key(row[at[InfoRead.tinh]]), clean(row[at[InfoRead.bieu_so]])
            forms.rows.append((key(code), province, kind, bieu))
            new = new or (key(code) if kind == NEW else "")
        if new:
            old = list(MEMBER_SHEET.columns).index(MembersRead.ma_xa_cu)
            listed = [key(row[old]) for row in _rows(grids, MEMBER_SHEET, shown) if row[old]]
            forms.members.setdefault(new, listed)
    return forms


def names_in(path: Path, raw: Path) -> dict[str, str]:
    """The communes one workbook of `raw` names in its Thông tin, by code's matching form: their
    names (none where it cannot be read: the pipeline reports that file itself)."""
    at = {name: i for i, name in enumerate(INFO_SHEET.columns)}
    try:
        grids = read_cells(path, {header_key(INFO_SHEET.name)})
    except (Refused, CalamineError, OSError):
        return {}
    found: dict[str, str] = {}
    for row in _rows(grids, INFO_SHEET, display_path(path, raw)):
        found.setdefault(key(row[at[OfCommune.ma_xa]]), row[at[InfoRead.ten_xa]])
    return found


def _rows(grids: dict, layout, shown: str) -> list[list[str]]:
    """A sheet's rows as the pipeline reads them; none where the workbook has no such sheet."""
    sheet = find_sheet(grids, layout.name)
    if sheet is None or isinstance(grids[sheet], Refused):
        return []
    grid, flaws, _ = grids[sheet]
    return tidy_sheet(grid, layout, shown, sheet, flaws).rows or []


def _numeral(text: str) -> int:
    """A Biểu số as a number (0 where it is not one: "03a")."""
    return int(text) if text.isdigit() else 0


def _bieu(number: int) -> str:
    return f"{number:02d}"


def next_number(
    forms: Forms, code: str, province: str, kind: str, members: tuple[tuple[str, str], ...]
) -> str:
    """The Biểu số a form fills in by itself, never one another commune of the same report has:
    a new commune's after its old communes' (the highest of theirs, or as many as it lists); an
    old commune a new commune already lists, its place in that list where free, else the first
    free number of that report; an old commune in no report yet, the first number free among
    the old communes of its province that no new commune lists; a commune kept as it is, 01
    (its own report: 01 for its results, 02 for its targets)."""
    if kind == NEW:
        taken = [_numeral(forms.number(key(c), OLD)) for c, _ in members]
        return _bieu(max([len(members), *taken]) + 1)
    if kind != OLD:
        return _bieu(1)
    reports = [new for new, listed in forms.members.items() if key(code) in listed]
    if reports:
        listed = forms.members[reports[0]]
        taken = {_numeral(forms.number(m, OLD)) for m in listed if m != key(code)}
        taken.add(_numeral(forms.number(reports[0], NEW)))
        wanted = listed.index(key(code)) + 1
    else:
        listed_anywhere = {m for listed in forms.members.values() for m in listed}
        taken = {
            _numeral(bieu)
            for c, p, k, bieu in forms.rows
            if k == OLD and p == key(province) and c not in listed_anywhere
        }
        wanted = 1
    if wanted in taken:
        wanted = next(n for n in range(1, len(taken) + 2) if n not in taken)
    return _bieu(wanted)


def load_catalogue(raw: Path) -> Catalogue:
    """The catalogue of `raw`, prepared as the pipeline prepares it."""
    path, problems = find_catalogue(workbooks(raw), raw)
    errors = [p for p in problems if p.muc_do == ERROR]
    if path is None or errors:
        raise IntakeError(errors[0].line())
    part = read_part(path, raw, True)
    errors = [p for p in part.problems if p.muc_do == ERROR]  # a warning lets the command go on
    if errors:
        raise IntakeError(errors[0].line())
    record = assemble([part], [], [])
    return Catalogue.build(
        st.conform(st.IndicatorsRead, record.indicators).pipe(prepare_indicators),
        st.conform(st.UnitsRead, record.units).pipe(prepare_units),
    )


def _write(raw: Path, target: Path, data: bytes, replace: bool = False) -> Written:
    """Write a new file, never over one (the check and the creation are one step); with
    `replace`, the file whole in its place (written beside it, then renamed over it)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if replace:
        staged = target.with_name(f".{target.name}.{os.getpid()}.moi")
        try:
            with staged.open("xb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(staged, target)
        finally:
            staged.unlink(missing_ok=True)
        return Written(target, display_path(target, raw))
    try:
        with target.open("xb") as out:
            out.write(data)
    except FileExistsError:
        raise IntakeError(f"{display_path(target, raw)}: tệp đã có, không ghi đè") from None
    return Written(target, display_path(target, raw))

"""Every kind of message the program can print is in the guide's table of messages
(HUONG_DAN.md §8: errors, warnings, findings, the run's own lines), so that an officer who
reads a line the guide does not explain is a failing test, not a phone call.

The messages are gathered from the code, not from runs: every call that makes a message
(`SITES`: a `Problem`, a warning at a cell, a refusal, a pandera check, a line to the terminal)
in pipeline/ and schemas/, its text read as a template ("…" where a value goes in), following
a name to what it was assigned, a call to a function of the module to what it returns. A text
the scan cannot read (a message passed on from elsewhere) must be declared in `PASSED_ON`,
with the site that makes it, which the scan reads too: a new way of passing a message on
fails here until it is declared. A finding's message goes to Kiểm tra, where the guide
explains its kind (`loai`): findings are checked by kind. The lines a run ends with on the
standard output (`Đã đọc …`, `Xong: …`, `Đã tạo …`) are §3's and the commands', not checked here.

A template is in the table when its first clause (up to ": " or "; ", the part that says what
is wrong, before how to fix it), its first four words with "…" for a value, is found in a
message cell of a table of §8, where the guide's own "…" may stand for any of it.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

from pipeline.paths import ROOT
from pipeline.problems import FINDING_KINDS, TRACK_KINDS

GUIDE = (ROOT / "HUONG_DAN.md").read_text(encoding="utf-8")
GAP = "…"

# call name: (position, keyword) of the message argument
SITES = {
    "Problem": (3, "noi_dung"),
    "at_cell": (2, None),
    "IntakeError": (0, None),
    "Refused": (0, None),  # workbook.py: why a file is not read
    "Check": (None, "error"),  # pandera, schemas/checks.py
    "Expr": (None, "error"),  # parse.py: why a value cannot be read
    "Kind": (None, "unmarked"),  # formats.py: the warning at a file no copy can be made of
    "_err": (0, None),
    "ValueError": (0, None),  # parse.py: why a number cannot be read
    "Flawed": (0, "message"),  # workbook.py: a cell that cannot be read as Excel shows it
    "note": (1, None),  # paths.py: a file or folder of raw/ not read, and why
}
# in validation, a message is a column's value: `message.mask(where, "…")`, `flag(m, where, f)`,
# or a rule of yearly.py's (condition, message) pairs
VALIDATION_SITES = {"mask": 1, "where": 1, "flag": 2, "_flagged": 1}
FINDINGS = "pipeline/judge/findings.py"  # its messages are findings: the guide explains kinds

# message arguments the scan cannot read, and the site whose texts they carry (scanned too)
PASSED_ON = {
    "pipeline/cli.py: problem.line()": "a Problem's message (Problem)",
    "pipeline/cli.py: line": "_err's own argument (_err)",
    "pipeline/cli.py: reason": "paths.too_long (a return of paths.py)",
    "pipeline/cli.py: err": "IntakeError",
    "pipeline/cli.py: tagged(note, WARNING)": "the notes of word.py's reading (IntakeError)",
    "pipeline/intake/__init__.py: errors[0].line()": "a Problem's message (Problem)",
    "pipeline/load.py: flaw.message": "workbook.Flawed: a cell Excel shows otherwise",
    "pipeline/load.py: why": "formats.walk's notes (Kind unmarked, returns of formats.py)",
    "pipeline/load.py: opened.reason": "Refused",
    "pipeline/load.py: kind.unmarked": "Kind(unmarked=…)",
    "pipeline/problems.py: text": "at_cell's own argument (at_cell)",
    "pipeline/serve/cli.py: busy": "port_taken's returns, read there ('' where the port is free)",
    "pipeline/serve/cli.py: problem": "serve/app.py declare's returns (the province's list)",
    "pipeline/validate/__init__.py: row[said]": "a message column (mask, where, flag)",
    "pipeline/validate/__init__.py: str(case.check).replace('{gia_tri}', shown)": "Check",
    "pipeline/validate/cells.py: lambda hit: frame[parsed.error][hit]": "Expr(error=…)",
    "pipeline/validate/cells.py: sub[ResultRowsRead.chi_tieu]": "not a message: a name looked up",
    "pipeline/validate/yearly.py: words": "a rule given to _flagged (_flagged)",
    "pipeline/validate/yearly.py: rules": "cells.unreadable's returns, read in cells.py",
    "pipeline/paths.py: said.format(suffix)": "formats.NOT_READ (TEXTS_OF)",
    "pipeline/parse.py: str(err)": "ValueError, as parse.py raises it",
    "pipeline/xlsb.py: UNSAFE": "Refused, in workbook.py",
    "pipeline/xlsb.py: broken('Excel')": "Refused, in workbook.py",
    "pipeline/intake/__init__.py: '\\n'.join([*notes": "word.py's notes (IntakeError)",
    "pipeline/intake/proofread.py: '\\n'.join([*(p.line()": "a Problem's message (Problem)",
    "pipeline/intake/submit.py: said": "_open_word's refusal of a Word upload (IntakeError)",
}
# texts at a site that no officer reads: a bug's, a developer's measure
NOT_FOR_OFFICERS = {
    "unknown paragraph style …",  # layout/document.py: a bug
    "thời gian …: … s, …",  # cli.py: each stage's time, with BIEU_TIMING set (make bench)
}
# modules whose returned strings are messages passed on (`PASSED_ON`)
RETURNING = ("pipeline/paths.py", "pipeline/formats.py", "pipeline/workbook.py")
# names at a module's top whose texts are messages passed on
TEXTS_OF = {"pipeline/formats.py": ("NOT_READ", "SAVE_AS_XLSX", "CANNOT_MARK")}


def _name(func: ast.AST) -> str:
    return getattr(func, "id", "") or getattr(func, "attr", "")


class Module:
    """One module's functions and names, to read a message's template through them."""

    def __init__(self, path: Path) -> None:
        self.path = path.relative_to(ROOT).as_posix()
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.functions = {n.name: n for n in ast.walk(self.tree) if isinstance(n, ast.FunctionDef)}
        self.top = self.bound(self.tree.body)

    @staticmethod
    def bound(body) -> dict[str, list[ast.AST]]:
        """What each name is given in these statements: assigned, added to, appended to."""
        names: dict[str, list[ast.AST]] = {}
        for node in (n for statement in body for n in ast.walk(statement)):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        names.setdefault(target.id, []).append(node.value)
            elif (
                isinstance(node, ast.Call)
                and _name(node.func) == "append"
                and isinstance(node.func.value, ast.Name)
            ):
                names.setdefault(node.func.value.id, []).extend(node.args)
            elif isinstance(node, ast.For) and isinstance(node.target, ast.Tuple):
                # `for holds, words in rules`: each name, the tuples' element at its place
                rows = [
                    row
                    for value in names.get(getattr(node.iter, "id", ""), [])
                    if isinstance(value, ast.List)
                    for row in value.elts
                    if isinstance(row, ast.Tuple) and len(row.elts) == len(node.target.elts)
                ]
                for place, target in enumerate(node.target.elts):
                    if isinstance(target, ast.Name) and rows:
                        names.setdefault(target.id, []).extend(r.elts[place] for r in rows)
        return names

    def templates(self, node: ast.AST, names: dict, depth: int = 0, seen=()) -> list[str]:
        """The texts `node` can be, literal text with … for each value put in (`seen`: the
        names being read, so that `head = head.where(…)` adds only its new words)."""
        if depth > 8:
            return [GAP]
        more = lambda n: self.templates(n, names, depth + 1, seen)  # noqa: E731
        if isinstance(node, ast.Constant):
            return [node.value] if isinstance(node.value, str) else [GAP]
        if isinstance(node, ast.JoinedStr):
            found = [""]
            for part in node.values:
                pieces = [part.value] if isinstance(part, ast.Constant) else more(part.value)
                found = [f + p for f in found for p in pieces][:16]
            return found
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return [a + b for a in more(node.left) for b in more(node.right)][:16]
        if isinstance(node, ast.IfExp):
            return more(node.body) + more(node.orelse)
        if isinstance(node, ast.Lambda):
            return more(node.body)
        if isinstance(node, (ast.List, ast.Tuple)):  # lines joined, or appended to
            return [t for element in node.elts for t in more(element)]
        if isinstance(node, ast.Name) and node.id in seen:
            return []
        if isinstance(node, ast.Name) and node.id in names:
            return [
                t
                for value in names[node.id]
                for t in self.templates(value, names, depth + 1, (*seen, node.id))
            ]
        if isinstance(node, ast.Name) and node.id in self.functions:
            return self.returned(self.functions[node.id], depth)
        if isinstance(node, ast.Starred):
            return more(node.value)
        if isinstance(node, ast.Call) and _name(node.func) == "join" and node.args:
            return more(node.args[0])  # lines joined
        if isinstance(node, ast.Call) and _name(node.func) in ("where", "mask"):
            return more(node.func.value) + more(node.args[-1])  # a message, or another
        if isinstance(node, ast.Call) and _name(node.func) in self.functions:
            return self.returned(self.functions[_name(node.func)], depth)
        return [GAP]

    def returned(self, function: ast.FunctionDef, depth: int) -> list[str]:
        names = {**self.top, **self.bound(function.body)}
        returns = [n.value for n in ast.walk(function) if isinstance(n, ast.Return) and n.value]
        return [t for r in returns for t in self.templates(r, names, depth + 1)] or [GAP]

    def messages(self) -> list[tuple[str, str]]:
        """(where, template) of every message made here; where is `module: argument` for an
        argument the scan cannot read."""
        found = []
        validation = self.path.startswith("pipeline/validate/")
        # each call read with the names of the outermost function holding it (or the module's)
        outer = [n for n in ast.walk(self.tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
        inside = {id(c) for f in outer for c in ast.walk(f)}
        nested = {id(c) for f in outer for c in ast.walk(f) if c is not f}  # once, not per scope
        scopes = [(n, {**self.top, **self.bound(n.body)}) for n in outer if id(n) not in nested]
        calls = [(c, self.top) for c in ast.walk(self.tree) if id(c) not in inside]
        calls += [(c, names) for scope, names in scopes for c in ast.walk(scope)]
        for call, names in calls:
            if not isinstance(call, ast.Call):
                continue
            argument = self.argument(call, validation)
            if argument is None:
                continue
            where = f"{self.path}: {ast.unparse(argument)}"
            templates = self.templates(argument, names)
            found += [(where, t if re.search(r"[^\W\d_]", t) else "") for t in templates]
            if not templates:
                found.append((where, ""))
        if self.path in RETURNING:
            for function in self.functions.values():
                found += [(self.path, t) for t in self.returned(function, 0) if t != GAP]
        for name in TEXTS_OF.get(self.path, ()):
            for value in self.top[name]:
                texts = value.values if isinstance(value, ast.Dict) else [value]
                found += [(self.path, t) for v in texts for t in self.templates(v, self.top)]
        return found

    @staticmethod
    def argument(call: ast.Call, validation: bool) -> ast.AST | None:
        name = _name(call.func)
        if name in SITES:
            position, keyword = SITES[name]
            given = {k.arg: k.value for k in call.keywords}
            if keyword in given:
                return given[keyword]
            if position is not None and len(call.args) > position:
                return call.args[position]
            return None
        if name == "print" and any(k.arg == "file" for k in call.keywords) and call.args:
            return call.args[0]
        if validation and name in VALIDATION_SITES and len(call.args) > VALIDATION_SITES[name]:
            return call.args[VALIDATION_SITES[name]]
        return None


def product_modules() -> list[Module]:
    paths = sorted([*(ROOT / "pipeline").rglob("*.py"), *(ROOT / "schemas").glob("*.py")])
    return [Module(p) for p in paths]


@functools.cache
def gathered() -> tuple[frozenset[str], frozenset[str]]:
    """Every message template of the product (findings' left out), and the arguments the scan
    could not read. The code is scanned once per test process (2 s of CPU), for both tests."""
    templates, unread = set(), set()
    for module in product_modules():
        if module.path == FINDINGS:
            continue
        for where, template in module.messages():
            if template:
                templates.add(template)
            else:
                unread.add(where)
    return frozenset(templates - NOT_FOR_OFFICERS), frozenset(unread)


def key(template: str) -> re.Pattern | None:
    """What a template says is wrong, as the guide may quote it: its first clause of two
    words or more, its first four words, each "…" any text; None for a text of no words."""
    template = quoted(re.sub(r"\{\w*\}", GAP, template))
    for clause in re.split(r": |; |\n", template):
        words = [w for w in clause.split() if re.search(r"[^\W\d_]", w.replace(GAP, ""))]
        if len(words) < 2:
            continue
        tokens = clause.split()[:4]
        tokens[0], tokens[-1] = tokens[0].lstrip("(`'") or GAP, tokens[-1].rstrip(".,)`'") or GAP
        return re.compile(
            r"\s+".join(re.escape(t).replace(re.escape(GAP), ".*?") for t in tokens),
            re.IGNORECASE,
        )
    return None


def quoted(text: str) -> str:
    """A text with every quoted value as "…": the guide quotes a message with its values
    (`"mười" không phải là số`), or with "…" for them."""
    return re.sub(r'"[^"]*"', '"…"', text)


def message_cells() -> list[str]:
    """The first cell of each row of the tables of the guide's §8, the messages it explains."""
    part = GUIDE[GUIDE.index("\n## 8.") :]
    part = part[: part.index("\n## ", 1)] if "\n## " in part[1:] else part
    cells = []
    for line in part.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            cells.append(quoted(line.split("|")[1].strip()))
    return cells


def explained(template: str, cells: list[str]) -> bool:
    pattern = key(template)
    return pattern is None or any(pattern.search(cell) for cell in cells)


def test_every_message_the_code_makes_is_in_the_guides_table_of_messages():
    templates, _ = gathered()
    cells = message_cells()
    missing = sorted(t for t in templates if not explained(t, cells))
    assert not missing, "\n".join(missing)


def test_every_kind_of_finding_is_in_the_guides_table():
    kinds = {cell.strip("`") for cell in message_cells()}
    assert [k for k in (*FINDING_KINDS, *TRACK_KINDS) if k not in kinds] == []


def test_every_message_the_scan_cannot_read_is_declared_with_where_it_comes_from():
    _, unread = gathered()
    assert sorted(u for u in unread if not any(u.startswith(k) for k in PASSED_ON)) == []
    # a declaration no longer needed goes
    assert sorted(k for k in PASSED_ON if not any(u.startswith(k) for u in unread)) == []


def test_the_scan_reads_a_message_through_names_and_functions(tmp_path):
    source = (
        "def said(value):\n"
        "    return f'\"{value}\" không phải là số'\n"
        "def check(row):\n"
        "    text = 'thiếu cột ' + row\n"
        "    lines = []\n"
        "    lines.append(f'năm {row} nằm ngoài nhiệm kỳ')\n"
        "    return [Problem('t', 's', 'A1', said(row)), Problem('t', 's', 'A1', text),\n"
        "            IntakeError(lines), Problem('t', noi_dung=row.message)]\n"
    )
    module = Module.__new__(Module)
    module.path = "pipeline/m.py"
    module.tree = ast.parse(source)
    module.functions = {n.name: n for n in ast.walk(module.tree) if isinstance(n, ast.FunctionDef)}
    module.top = Module.bound(module.tree.body)
    assert sorted(set(module.messages())) == [
        ("pipeline/m.py: lines", "năm … nằm ngoài nhiệm kỳ"),
        ("pipeline/m.py: row.message", ""),
        ("pipeline/m.py: said(row)", '"…" không phải là số'),
        ("pipeline/m.py: text", "thiếu cột …"),
    ]


def test_a_template_is_found_where_the_guide_quotes_it_with_its_values():
    cells = ['`"mười" không phải là số`', '`cột "Kết quả thực hiện" có ở 2 ô tiêu đề: E1`']
    assert explained('"…" không phải là số', cells)
    assert explained('cột "…" có ở … ô tiêu đề: …: không rõ cột nào', cells)
    assert not explained('"…" phải là số nguyên', cells)
    assert explained("…: …", cells)  # no words of its own: what it carries is checked

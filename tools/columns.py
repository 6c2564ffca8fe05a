"""Name the stages' columns through their models: replace string literals used as column names
in pipeline/ by the attribute of the model that declares them (`"ma_xa"` → `OfCommune.ma_xa`,
`"ket_qua__lo"` → `RESULT.lo`), and import those names from schemas.stages.

Run from the project's root with its venv's python (re-runnable, idempotent: a second run changes
nothing):

    python -m tools.columns [--check] [--skip FILE ...] [FILE ...]

Without FILEs, every module of pipeline/. `--check` rewrites nothing and says what it would do.
Afterwards it runs ruff (import sorting, format) on the files it changed.

Behaviour cannot change: pandera's `Model.column` is the string "column" (its alias where the
field has one: `Located.tep` is "_tep"), and `Parsed("ket_qua").lo` is "ket_qua__lo".

The rule for which name a column takes:
- a parsed part `<value>__<part>` of a value column that schemas.stages names (`TARGET`,
  `RESULT`, `GOAL`, `PATH` …): that `Parsed` constant's attribute (`RESULT.lo`);
- any other column: the first model in MODEL_ORDER that declares it (the earliest stage first:
  where a row was read, the tables as read, the commune's sheets, the catalogue, then the
  prepared and judged models in the order of schemas/stages.py); a module listed in PREFERRED
  (the catalogue's) looks first in its own models.

A literal is replaced where it is used as a column name:
- the index of a subscript (`row["ma_xa"]`, `frame.loc[hit, "ket_qua"]`, `frame[["a", "b"]]`);
- the first argument of `.get`, `.pop`, `.groupby`, `.sort_values`, `.set_index`, `.drop`,
  `.drop_duplicates`, `.duplicated`, `.reindex`, `.rename`, `.astype`, `.fillna`, `.explode`,
  `.nlargest`, `.nsmallest` (a literal, a list/tuple of them, or a dict's keys);
- the value of a keyword `columns=`, `on=`, `left_on=`, `right_on=`, `by=`, `subset=`,
  `index=`, `values=`, `id_vars=`, `value_vars=`, `usecols=` (the same shapes; a `rename`
  mapping's keys and values);
- the keys of `.assign(**{"col": …})`, `.agg({…})`;
- the left side of `in` / `not in` (`"ma_xa" in row`);
- the column of a named aggregation, `.agg(total=("gia_tri", "sum"))`;
- the literals of a list, tuple or set whose every literal element names a column (other
  elements may be expressions: `[*fields, "_tep", TARGET.text]`), and the keys naming columns
  of a dict whose keys are all strings, two or more of them naming columns (a mapping from
  column to header or width).
Left alone, and listed with why: docstrings, anything inside an f-string (messages: their
pieces, and the columns their expressions read, kept short to read), `assign(name=…)` keywords
(they are identifiers, not literals), any other literal equal to a column name (a message, an
argument of another function, a comparison); and whole modules that do not import pandas nor
schemas.stages (light modules the command line loads before pandas: importing the models there
would load pandas), or that bind one of the names to import to something else.
"""

from __future__ import annotations

import argparse
import ast
import functools
import subprocess
import sys
from pathlib import Path

from schemas import stages

ROOT = Path(__file__).resolve().parent.parent

MODEL_ORDER = (
    "Located",
    "OfCommune",
    "ResultRowsRead",
    "TargetRowsRead",
    "YearlyRead",
    "InfoRead",
    "MembersRead",
    "IndicatorsRead",
    "UnitsRead",
    "ResultRows",
    "TargetRows",
    "YearlyResults",
    "Info",
    "Members",
    "ScoredRows",
    "Items",
    "Baselines",
    "Tracking",
)
METHODS = {
    "get", "pop", "groupby", "sort_values", "set_index", "drop", "drop_duplicates", "duplicated",
    "reindex", "rename", "astype", "fillna", "explode", "nlargest", "nsmallest",
}  # fmt: skip
KEYWORDS = {
    "columns", "on", "left_on", "right_on", "by", "subset", "index", "values", "id_vars",
    "value_vars", "usecols",
}  # fmt: skip
DICT_METHODS = {"assign", "agg", "astype", "rename", "fillna"}


# modules whose frames are of one family first: the catalogue's frames are its sheets as read
PREFERRED = {"pipeline/catalogue.py": ("IndicatorsRead", "UnitsRead")}


@functools.cache
def column_names(order: tuple[str, ...] = MODEL_ORDER) -> dict[str, tuple[str, str]]:
    """Each column's name → (the name to import, the expression that names it)."""
    names: dict[str, tuple[str, str]] = {}
    parsed = {v.name: k for k, v in vars(stages).items() if isinstance(v, stages.Parsed)}
    for model_name in order:
        model = getattr(stages, model_name)
        for column, (_, field) in model.__fields__.items():
            value, _, part = column.partition("__")
            if part in stages.PARTS and value in parsed:
                names.setdefault(column, (parsed[value], f"{parsed[value]}.{part}"))
            else:
                names.setdefault(column, (model_name, f"{model_name}.{field.original_name}"))
            assert eval(names[column][1], vars(stages)) == column, column  # noqa: S307
    return names


COLUMNS = column_names()


def is_column(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in COLUMNS


def literals(node: ast.AST | None, keys_and_values: bool = False) -> list[ast.Constant]:
    """The column literals of a column place: a literal, a list/tuple/set of them, a dict's
    keys (and values, for a rename mapping)."""
    if node is None:
        return []
    if is_column(node):
        return [node]
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return [e for e in node.elts if is_column(e)]
    if isinstance(node, ast.Dict):
        found = [k for k in node.keys if k is not None and is_column(k)]
        if keys_and_values:
            found += [v for v in node.values if is_column(v)]
        return found
    return []


def column_places(tree: ast.Module) -> set[int]:
    """The ids of the literals used as column names."""
    found: list[ast.Constant] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript):
            index = node.slice
            if isinstance(index, ast.Tuple):  # .loc[rows, column]
                for element in index.elts:
                    found += literals(element)
            else:
                found += literals(index)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method = node.func.attr
            if method in METHODS and node.args:
                found += literals(node.args[0], keys_and_values=method == "rename")
            if method in DICT_METHODS:
                for k in node.keywords:
                    if k.arg is None and isinstance(k.value, ast.Dict):  # **{"col": …}
                        found += literals(k.value)
                if method in ("agg",) and node.args and isinstance(node.args[0], ast.Dict):
                    found += literals(node.args[0])
            if method == "agg":  # named aggregation: name=("column", "function")
                for k in node.keywords:
                    if isinstance(k.value, ast.Tuple) and len(k.value.elts) == 2:
                        found += literals(k.value.elts[0])
            for k in node.keywords:
                if k.arg in KEYWORDS:
                    found += literals(k.value, keys_and_values=method == "rename")
        elif isinstance(node, ast.Call):
            for k in node.keywords:
                if k.arg in KEYWORDS:
                    found += literals(k.value)
        elif isinstance(node, ast.Compare) and is_column(node.left):
            if isinstance(node.ops[0], (ast.In, ast.NotIn)) and not isinstance(
                node.comparators[0], (ast.List, ast.Tuple, ast.Set, ast.Constant)
            ):
                found.append(node.left)
        elif isinstance(node, (ast.List, ast.Tuple, ast.Set)) and node.elts:
            if all(is_column(e) or not isinstance(e, ast.Constant) for e in node.elts):
                found += [e for e in node.elts if is_column(e)]
        elif isinstance(node, ast.Dict):
            keys = [k for k in node.keys if k is not None]
            strings = all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in keys)
            if strings and sum(map(is_column, keys)) >= 2:
                found += [k for k in keys if is_column(k)]
    return {id(n) for n in found}


def docstring_ids(tree: ast.AST) -> set[int]:
    """The ids of the docstring nodes of a module, its classes and functions."""
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def imports_frames(tree: ast.Module) -> bool:
    """Whether the module imports pandas or schemas.stages at its top level."""
    for node in tree.body:
        if isinstance(node, ast.Import) and any(
            a.name.split(".")[0] == "pandas" for a in node.names
        ):
            return True
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] == "pandas" or node.module == "schemas.stages":
                return True
            if node.module == "schemas" and any(a.name == "stages" for a in node.names):
                return True
    return False


def bound_elsewhere(tree: ast.Module) -> set[str]:
    """Names the module binds other than by importing them from schemas.stages."""
    bound = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            if isinstance(node, ast.ImportFrom) and node.module == "schemas.stages":
                continue
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
    return bound


def offsets(source: bytes) -> list[int]:
    """The byte offset of each line's start (ast's columns are UTF-8 byte offsets)."""
    starts, at = [0, 0], 0
    for line in source.splitlines(keepends=True):
        at += len(line)
        starts.append(at)
    return starts


def with_imports(source: bytes, tree: ast.Module, names: set[str]) -> bytes:
    """The source with `names` imported from schemas.stages: added to its top-level import
    from there, or as a new import after the last top-level import."""
    starts = offsets(source)
    existing = next(
        (n for n in tree.body if isinstance(n, ast.ImportFrom) and n.module == "schemas.stages"),
        None,
    )
    if existing is not None:
        have = {a.name if a.asname is None else f"{a.name} as {a.asname}" for a in existing.names}
        line = f"from schemas.stages import {', '.join(sorted(have | names))}\n".encode()
        a, b = starts[existing.lineno], starts[existing.end_lineno + 1]
        return source[:a] + line + source[b:]
    last = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))][-1]
    at = starts[last.end_lineno + 1]
    line = f"from schemas.stages import {', '.join(sorted(names))}\n".encode()
    return source[:at] + line + source[at:]


def rewrite(path: Path, report: dict) -> bytes | None:
    """The module rewritten, or None where nothing changes; what was left alone goes to
    `report` as (file, why, literal)."""
    source = path.read_bytes()
    tree = ast.parse(source)
    shown = path.relative_to(ROOT).as_posix()
    parents = {id(c): p for p in ast.walk(tree) for c in ast.iter_child_nodes(p)}
    places = column_places(tree)
    docs = docstring_ids(tree)
    hits, left = [], []
    for node in ast.walk(tree):
        if not is_column(node):
            continue
        parent, above = parents.get(id(node)), parents.get(id(node))
        while above is not None and not isinstance(above, ast.JoinedStr):
            above = parents.get(id(above))
        if id(node) in docs:
            left.append((node, "docstring"))
        elif above is not None:
            left.append((node, "in an f-string (a message)"))
        elif id(node) in places:
            hits.append(node)
        else:
            left.append((node, f"not a column place ({type(parent).__name__})"))
    if hits and not imports_frames(tree):
        left += [(n, "light module: imports neither pandas nor schemas.stages") for n in hits]
        hits = []
    order = (*PREFERRED.get(shown, ()), *MODEL_ORDER)
    columns = column_names(tuple(dict.fromkeys(order)))
    names = {columns[n.value][0] for n in hits}
    clash = names & bound_elsewhere(tree)
    if clash:
        left += [(n, f"the module binds {sorted(clash)} itself") for n in hits]
        hits, names = [], set()
    for node, why in left:
        report.setdefault((shown, why, node.value), []).append(node.lineno)
    if not hits:
        return None
    starts = offsets(source)
    out = source
    for node in sorted(hits, key=lambda n: (n.lineno, n.col_offset), reverse=True):
        a = starts[node.lineno] + node.col_offset
        b = starts[node.end_lineno] + node.end_col_offset
        out = out[:a] + columns[node.value][1].encode() + out[b:]
    out = with_imports(out, ast.parse(out), names)
    report[(shown, "replaced", "")] = [len(hits)]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--check", action="store_true", help="say what would change, write none")
    parser.add_argument("--skip", nargs="*", default=[], help="files or folders to leave alone")
    args = parser.parse_args(argv)
    files = [f.resolve() for f in args.files] or sorted((ROOT / "pipeline").rglob("*.py"))
    skip = [(ROOT / s).resolve() for s in args.skip]
    files = [f for f in files if not any(f == s or s in f.parents for s in skip)]
    report: dict[tuple[str, str, str], list[int]] = {}
    changed = []
    for path in files:
        new = rewrite(path, report)
        if new is not None and new != path.read_bytes():
            changed.append(path)
            if not args.check:
                path.write_bytes(new)
    for (shown, _, _), (n,) in sorted(i for i in report.items() if i[0][1] == "replaced"):
        print(f"{shown}: replaced {n}")
    for (shown, why, value), lines in sorted(report.items()):
        if why != "replaced":
            print(f"{shown}:{','.join(map(str, lines))}: left {value!r}: {why}")
    if changed and not args.check:
        names = [str(p) for p in changed]
        ruff = [sys.executable, "-m", "ruff"]
        subprocess.run([*ruff, "check", "--quiet", "--select", "I", "--fix", *names], check=False)
        subprocess.run([*ruff, "format", "--quiet", *names], check=False)
    print(f"{len(changed)} files {'would change' if args.check else 'changed'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

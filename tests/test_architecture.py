"""The layout of the code: each stage imports only what comes before it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from pipeline.paths import ROOT


def test_no_commune_of_the_seed_is_named_in_the_code():
    code = [p for folder in ("pipeline", "schemas") for p in (ROOT / folder).rglob("*.py")]
    named = [
        p.name
        for p in code
        for word in ("mường lầm", "muong_lam", "đứa mòn", "dua_mon", "sơn la")
        if word in p.read_text(encoding="utf-8").lower()
    ]
    assert named == []


def imports(path: Path) -> set[str]:
    """The modules a file imports at run time (imports under `if TYPE_CHECKING:` left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def module(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def code(folder: str) -> list[Path]:
    """The modules of a package, its own `__init__.py` left out."""
    return sorted(
        p
        for p in (ROOT / folder).rglob("*.py")
        if p.parent != ROOT / folder or p.stem != "__init__"
    )


# every module of pipeline/ by its stage, in the order data flows; a module may import only
# modules of its own or an earlier stage (shared helpers are stage 0)
STAGES = {
    0: ["paths", "text", "cells", "problems", "columns", "parse", "manifest", "write", "processes"],
    1: ["workbook", "xlsb", "formats", "load"],
    2: ["catalogue", "prepare", "suggest"],
    3: ["validate", "judge"],
    4: ["view"],
    5: ["layout"],
    6: ["render"],
    7: ["products"],
    8: ["build", "intake"],
    9: ["console", "cli", "__main__"],
}
STAGE_OF = {name: stage for stage, names in STAGES.items() for name in names}


def stage(name: str) -> int:
    return STAGE_OF[name.split(".")[1]]


def test_every_module_has_a_stage():
    modules = {module(p).split(".")[1] for p in code("pipeline")}
    assert modules <= set(STAGE_OF), modules - set(STAGE_OF)


def test_each_stage_imports_only_earlier_stages():
    backwards = [
        (module(p), name)
        for p in code("pipeline")
        for name in imports(p)
        if name.startswith("pipeline.") and name.split(".")[1] in STAGE_OF
        if stage(name) > stage(module(p))
    ]
    assert backwards == []


def test_writing_and_laying_out_import_no_judgement_or_validation():
    later = [
        p
        for p in code("pipeline")
        if module(p).split(".")[1] in ("view", "layout", "render", "products", "write")
    ]
    reached = [
        (module(p), name)
        for p in later
        for name in imports(p)
        if name.startswith(("pipeline.judge", "pipeline.validate", "pipeline.prepare"))
    ]
    assert reached == []


def test_the_schemas_import_nothing_of_the_pipeline():
    assert [
        (module(p), name)
        for p in code("schemas")
        for name in imports(p)
        if name.startswith(("pipeline", "tools"))
    ] == []


def test_the_product_imports_no_developer_tool():
    assert [
        (module(p), name)
        for folder in ("pipeline", "schemas")
        for p in code(folder)
        for name in imports(p)
        if name.startswith("tools")
    ] == []


def test_the_product_names_the_encoding_of_every_text_file_it_opens():
    """Windows reads and writes text in its ANSI code page unless told otherwise. Looked for:
    `open(path, …)` and `Path.read_text`, `Path.write_text` (a method named `open` may be a zip
    file's, always binary)."""

    def unnamed(call: ast.Call) -> bool:
        if isinstance(call.func, ast.Attribute):
            name = call.func.attr if call.func.attr in ("read_text", "write_text") else ""
        else:
            name = getattr(call.func, "id", "")
        if name not in ("open", "read_text", "write_text"):
            return False
        mode = next((a.value for a in call.args[1:2] if isinstance(a, ast.Constant)), "r")
        mode = next(
            (
                k.value.value
                for k in call.keywords
                if k.arg == "mode" and isinstance(k.value, ast.Constant)
            ),
            mode,
        )
        return "b" not in str(mode) and not any(k.arg == "encoding" for k in call.keywords)

    found = [
        f"{module(p)}:{node.lineno}"
        for folder in ("pipeline", "schemas")
        for p in code(folder)
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and unnamed(node)
    ]
    assert found == []


def test_only_the_registry_of_formats_spells_an_input_suffix():
    """`pipeline/formats.py` declares every input format once; the modules that find, read and
    mark raw workbooks ask it. Looked for: every string in their code (docstrings left out, the
    literal pieces of f-strings in) holding a suffix the registry declares or names as not read
    (`.xlsx`, `.xlsb`, `.csv`, …), whatever its case."""
    from pipeline import formats

    suffixes = sorted({*formats.READ, *formats.NOT_READ}, key=len, reverse=True)
    spelled = re.compile(
        r"(?<![\w/])(" + "|".join(re.escape(s) for s in suffixes) + r")(?!\w)", re.I
    )

    def docstrings(tree: ast.AST) -> set[int]:
        return {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }

    found = []
    for name in ("paths", "load", "render/marked", "cells"):
        path = ROOT / "pipeline" / f"{name}.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = docstrings(tree)
        found += [
            f"{name}:{node.lineno}: {match[0]}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            if id(node) not in skip
            for match in spelled.finditer(node.value)
        ]
    assert found == []

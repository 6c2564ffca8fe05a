"""The layout of the code: each stage imports only what comes before it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from pipeline.paths import ROOT
from tools.columns import docstring_ids as docstrings


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
    1: ["workbook", "xlsb", "formats", "headers", "load"],
    2: ["catalogue", "kinds", "prepare", "suggest"],
    3: ["validate", "judge"],
    4: ["view"],
    5: ["layout"],
    6: ["render"],
    7: ["products"],
    8: ["workers", "build", "intake", "serve"],
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


READER = ("pipeline.workbook", "pipeline.load")


def test_a_renderer_imports_no_other_renderer_nor_the_reader():
    """A renderer draws the layouts in `pipeline/layout/` with its own library: the look comes
    from `pipeline/layout/style.py`, not from another renderer, and nothing is read again."""
    found = [
        (module(p), name)
        for p in code("pipeline/render")
        for name in imports(p)
        if (name.startswith("pipeline.render.") and name.split(".")[2] != p.stem)
        or name.startswith(READER)
    ]
    assert found == []


HEX_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}\b|^[0-9A-Fa-f]{6}$")
FONTS = ("Times New Roman", "Arial", "Calibri", "Cambria", "Tahoma")


# ---------------------------------------------------------------------------- words

# hits of the scan below in files other branches of this refactor are rewriting now: removed by
# the form/formats branches (intake/form.py, load.py); the list is emptied when they are merged
WORDS_ALLOWED: set[str] = set()  # "file: word" a module may spell, with the reason beside it


def vocabulary_words() -> tuple[set[str], re.Pattern, re.Pattern, re.Pattern]:
    """The words to look for: every rating, progress, severity, yes/no and commune-kind word;
    the capitalised ones that may be found inside a longer string (a severity capitalised as a
    label, "Cảnh báo"); the severity tag; a severity where a label or a count puts it."""
    from schemas import vocabulary as v

    words = {
        *v.RATING_WORDS,
        *(p.word for p in v.PROGRESS),
        *v.SEVERITIES,
        v.YES,
        v.NO,
        *v.FORM_KINDS,
        *v.UPLOAD_STATES,
    }
    # "Có" and "Không" open ordinary sentences: only a whole literal counts for them
    inside = sorted((w for w in words if w[0].isupper() and w not in (v.YES, v.NO)), key=len)
    inside += [w.capitalize() for w in v.SEVERITIES]
    token = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, reversed(inside))) + r")(?!\w)")
    severities = "|".join(map(re.escape, v.SEVERITIES))
    tag = re.compile(r"\[(" + severities + r")\]")
    # lower case, a severity is also prose ("sửa các lỗi nêu trên"): a label only after a
    # count (an f-string's piece opening " lỗi, " after its number) or in a list or legend
    # ("đỏ: lỗi, cam: cảnh báo")
    label = re.compile(r"(?:^ |[:,] )(" + severities + r")(?!\w)")
    return {w.lower() for w in words}, token, tag, label


def spelled(tree: ast.AST) -> list[int]:
    """The lines where code spells a colour (hex, or by its numbers) or a font's name."""
    skipped = docstrings(tree)
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skipped
        and (HEX_COLOUR.search(node.value) or any(font in node.value for font in FONTS))
        or isinstance(node, ast.Call)
        and getattr(node.func, "id", "") == "RGBColor"
    ]


def test_no_renderer_spells_a_colour_or_a_font():
    """Colours and fonts are `pipeline/layout/style.py`'s: a renderer translates them, so that
    a new renderer (a web page's) draws the same look without copying it."""
    found = [
        f"{module(p)}:{line}"
        for p in code("pipeline/render")
        for line in spelled(ast.parse(p.read_text(encoding="utf-8")))
    ]
    assert found == []


def test_the_scan_for_colours_and_fonts_finds_them():
    code = 'FILL = "#FFC000"\nINK = RGBColor(0, 0, 0)\nfont = {"name": "Times New Roman"}\n'
    assert spelled(ast.parse(code)) == [1, 2, 3]
    assert spelled(ast.parse('"""Times New Roman, #000000"""\nformat = "#,##0.00"\n')) == []


def vocabulary_spelled(path: Path) -> list[str]:
    """`file:line: word` for each word of the vocabulary the file spells itself."""
    whole, token, tag, label = vocabulary_words()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = docstrings(tree)
    found = []
    for node in ast.walk(tree):  # an f-string's literal pieces are Constant nodes too
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
            continue
        if id(node) in skipped:
            continue
        text = node.value
        words = {text} if text.lower() in whole else set()
        words |= set(token.findall(text)) | {f"[{w}]" for w in tag.findall(text)}
        words |= set(label.findall(text))
        where = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
        found += [f"{where}:{node.lineno}: {w}" for w in sorted(words)]
    return found


def test_the_words_of_the_vocabulary_are_spelled_only_there():
    """Every word shown to users that the pipeline compares or decides on comes from
    `schemas/vocabulary.py`. Scanned: every string constant and every literal piece of an
    f-string in pipeline/ and schemas/ (vocabulary.py and docstrings left out), for the
    vocabulary's ratings, progress words, severities, Có/Không and kinds of commune. A hit is:
    - a literal equal to one of these words, in any case ("Lỗi", "không đạt");
    - a capitalised word among them as a whole token inside a longer string ("như in: Vượt,
      Đạt", 'xã "Sau sắp xếp"'), since a term is capitalised where prose is not ("không đạt
      mục tiêu" is prose); Có and Không only as whole literals, since they open sentences;
    - a severity inside brackets ("[cảnh báo] "), the tag of a line;
    - a severity as a label: capitalised anywhere ("Cảnh báo: …"), in lower case after a count
      (f"{n} lỗi") or in a list or a legend ("đỏ: lỗi, cam: cảnh báo").
    Build such strings from the vocabulary's constants (f"{EXCEEDED}, {MET}")."""
    found = [
        hit
        for folder in ("pipeline", "schemas")
        for p in code(folder)
        if p.name != "vocabulary.py"
        for hit in vocabulary_spelled(p)
    ]
    spelled = [hit for hit in found if re.sub(r":\d+:", ":", hit) not in WORDS_ALLOWED]
    assert not spelled, "\n".join(spelled)


def test_the_scan_for_words_finds_a_severity_spelled_as_a_label(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        'A = f"{n} lỗi, {m} cảnh báo."\n'
        'B = "(đỏ: lỗi, cam: cảnh báo)"\n'
        'C = "Phát hiện: kết quả lùi"\n'
        'D = "[phát hiện] "\n'
        'E = "sửa các lỗi nêu trên; không có cảnh báo nào"\n',
        encoding="utf-8",
    )
    assert sorted(vocabulary_spelled(module)) == [
        "m.py:1: cảnh báo",
        "m.py:1: lỗi",
        "m.py:2: cảnh báo",
        "m.py:2: lỗi",
        "m.py:3: Phát hiện",
        "m.py:4: [phát hiện]",
    ]


# ---------------------------------------------------------------------------- columns

# literals equal to a stage model's column that stay spelled, by file, and why: exactly these
# counts, so that a new one fails and a removed one tightens the list
COLUMN_LITERALS_ALLOWED = {
    # modules that hold no frame and import no pandas (a warm run stays light): their rows are
    # dicts and sheet layouts keyed by a sheet's column names (schemas/tables.py, commune.py)
    "pipeline/build.py": 24,
    "pipeline/intake/word.py": 28,
    "pipeline/layout/form.py": 75,
    "pipeline/layout/form_guide.py": 1,
    "pipeline/problems.py": 10,
    "pipeline/suggest.py": 13,
    # a sheet's column named to locate a message's cell (`cell(file, sheet, "ma_xa", row)`), a
    # CSV's column order, a table's columns beside other expressions
    "pipeline/catalogue.py": 2,
    "pipeline/judge/findings.py": 4,
    "pipeline/judge/merge.py": 2,
    "pipeline/judge/score.py": 6,
    "pipeline/layout/annex.py": 4,
    "pipeline/layout/marks.py": 1,
    "pipeline/layout/track.py": 1,
    "pipeline/prepare.py": 2,
    "pipeline/validate/__init__.py": 2,
    "pipeline/validate/cells.py": 7,
    "pipeline/validate/communes.py": 5,
    "pipeline/validate/yearly.py": 1,
    "pipeline/view.py": 9,
    "pipeline/layout/style.py": 2,  # the style names "bieu_so" and "tt", not columns
    # the intake page's database: its own columns (lan_gui.ma_xa), rows as dicts, no frame
    "pipeline/serve/app.py": 6,
    "pipeline/serve/store.py": 10,
    "pipeline/serve/worker.py": 1,
}


def model_columns() -> set[str]:
    """Every column a stage model of schemas/stages.py declares, by its name in the frame."""
    import pandera.pandas as pa

    from schemas import stages

    return {
        column
        for model in vars(stages).values()
        if isinstance(model, type) and issubclass(model, pa.DataFrameModel)
        for column in model.__fields__
    }


def column_literals(path: Path, columns: set[str]) -> int:
    """How many string literals of a module equal a model's column (docstrings and f-strings,
    the messages, left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            skipped |= {id(inner) for inner in ast.walk(node)}
    return sum(
        isinstance(node, ast.Constant) and node.value in columns and id(node) not in skipped
        for node in ast.walk(tree)
    )


def test_the_stages_name_their_columns_through_the_models():
    """A column a stage model declares is named through it (`OfCommune.ma_xa`,
    `RESULT.lo` for `ket_qua__lo`, `Located.tep` for `_tep`), not spelled: a module of
    pipeline/ holds exactly as many string literals equal to a model's column (outside
    docstrings and f-strings) as COLUMN_LITERALS_ALLOWED gives it: no more, and no fewer (the
    list stays true). Which model names a column: the first that declares it, the earliest
    stage first (docs/names.md)."""
    columns = model_columns()
    spelled = {
        p.relative_to(ROOT).as_posix(): n
        for p in code("pipeline")
        if (n := column_literals(p, columns))
    }
    assert spelled == COLUMN_LITERALS_ALLOWED


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

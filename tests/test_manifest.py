"""The manifest: what the last good run built from what, and what a change rebuilds."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import manifest


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch) -> Path:
    """A project tree with the product's code, a developer tool and the project file."""
    for name, text in {
        "pipeline/stage.py": "x = 1\n",
        "schemas/model.py": "y = 2\n",
        "tools/bench.py": "z = 3\n",
        "pyproject.toml": "[project]\n",
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    monkeypatch.setattr(manifest, "ROOT", tmp_path)
    return tmp_path


@pytest.mark.parametrize("path", ["pipeline/stage.py", "schemas/model.py", "pyproject.toml"])
def test_a_change_to_the_product_changes_the_code_digest(checkout, path):
    before = manifest.code_digest()
    (checkout / path).write_text("changed\n")
    assert manifest.code_digest() != before


def test_editing_a_developer_tool_rebuilds_nothing(checkout):
    before = manifest.code_digest()
    (checkout / "tools" / "bench.py").write_text("z = 4\n")
    (checkout / "tools" / "synth.py").write_text("new tool\n")
    assert manifest.code_digest() == before


def test_a_commune_is_stale_when_what_its_view_holds_changed(tmp_path):
    hashes = {"raw/a.xlsx": "1", "raw/b.xlsx": "2", "raw/cat.xlsx": "3"}
    digests = {"a": "view of a", "b": "view of b"}
    files = {"a": ["x.csv"], "b": ["x.csv"]}
    old = manifest.build("code", hashes, digests, ["a/x.csv", "b/x.csv"])
    for code in files:
        (tmp_path / code).mkdir()
        (tmp_path / code / "x.csv").write_text("")
    new = manifest.build("code", hashes, {**digests, "b": "b's view changed"}, [])
    assert manifest.stale(old, new, tmp_path, files) == {"b"}
    assert manifest.stale(old, {**new, "code": "other"}, tmp_path, files) == {"a", "b"}

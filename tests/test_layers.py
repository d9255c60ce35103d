"""The import layers of docs/architecture.md ("Layers"), counting the imports inside functions
too: those hid a circle (people.models ↔ people.access) and territory's reach into people."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "caunoi"
TERRITORY_DATA = ("models", "selectors", "rollup", "converters", "importers", "jobs", "maps",
                  "names", "services")  # fmt: skip


def _module(path: Path) -> str:
    return ".".join(path.relative_to(SRC.parent).with_suffix("").parts).removesuffix(".__init__")


def imports(path: Path) -> set[str]:
    """Every module `path` imports, at the top or inside a function, relative imports resolved."""
    package = _module(path) if path.name == "__init__.py" else _module(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            name = ".".join(p for p in (base, node.module or "") if p)
            found.add(name)
            found |= {f"{name}.{alias.name}" for alias in node.names}
    return found


def sources(*parts: str):
    for path in sorted(SRC.joinpath(*parts).rglob("*.py")):
        if "tests" not in path.parts and "migrations" not in path.parts:
            yield path


def offending(paths, forbidden: tuple[str, ...]) -> list[tuple[str, str]]:
    found = set()
    for path in paths:
        for name in imports(path):
            if name.startswith(forbidden):
                found.add((_module(path), name))
    return sorted(found)


def test_people_models_import_no_layer_above_them():
    assert offending([SRC / "people" / "models.py"], ("caunoi.people.access",)) == []


@pytest.mark.parametrize("part", TERRITORY_DATA)
def test_territory_data_knows_no_mandate(part):
    single = SRC / "territory" / f"{part}.py"
    paths = [single] if single.exists() else list(sources("territory", part))
    assert paths, part
    assert offending(paths, ("caunoi.people", "caunoi.accounts")) == []


def test_core_imports_no_app_of_ours():
    apps = sorted(p.parent.name for p in SRC.glob("*/apps.py") if p.parent.name != "core")
    assert "people" in apps and "territory" in apps
    assert offending(sources("core"), tuple(f"caunoi.{app}" for app in apps)) == []

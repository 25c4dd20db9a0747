"""The package's shape: layers whose imports point one way, no module-level state passing data
around, registries that stay complete. Reads the source with `ast`, so it checks every module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pilotguide.content import schemas
from pilotguide.content.editions import FIELD_LABELS
from pilotguide.courses.formats import FORMATS, SCOPES, switches
from pilotguide.site.plugin import PilotguideConfig

PACKAGE = Path(__file__).resolve().parent.parent / "generator" / "pilotguide"

# Each layer may import the layers listed (and itself, and the shared leaves `errors` and `parallel`).
LAYERS = {
    "content": set(),
    "pages": {"content"},
    "courses": {"pages", "content"},
    "intake": {"pages", "content"},
    "site": {"courses", "pages", "content"},
}
SHARED = {"errors", "parallel", "__init__"}  # importable from every layer

# Pure functions memoised for the life of the process, each keyed by its arguments alone: the
# shipped schema files, compiled validators for a vocabulary, path arithmetic, pinyin, fonts on
# this machine. Nothing a build or a preview should own. Anything else needs an owner object.
PURE_MEMOS = {
    ("content/schemas.py", "raw_schemas"), ("content/schemas.py", "kinds"), ("content/schemas.py", "registry"),
    ("content/validate.py", "_validator_class"), ("content/quickcheck.py", "_compiled"),
    ("pages/paths.py", "_relpath"), ("pages/taxonomy.py", "_pinyin"), ("courses/fonts.py", "cjk_font"),
    ("pages/charts.py", "_chart"),  # an SVG from its title and rows: a preview's save redraws none
    ("content/regions.py", "divisions"),  # China's divisions from an installed package: fixed while it runs
}


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if ".venv" not in p.parts)


def layer_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else path.stem


def imported_layers(source: str, here: tuple[str, ...]) -> set[str]:
    """The first-level parts of the package that the relative or absolute pilotguide imports of
    `source` name; `here` is the package folders holding the module (("content",) or ())."""
    tree = ast.parse(source)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(here[: len(here) - (node.level - 1)]) if node.level > 1 else list(here)
                target = base + (node.module.split(".") if node.module else [])
                names = [target] if node.module else [target + [a.name] for a in node.names]
            elif node.module == "pilotguide":
                names = [[a.name] for a in node.names]
            elif node.module and node.module.split(".")[0] == "pilotguide":
                names = [node.module.split(".")[1:]]
            else:
                continue
            found |= {n[0] for n in names if n}
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("pilotguide.")}
    return found


@pytest.mark.parametrize("path", [p for p in modules() if layer_of(p) in LAYERS],
                         ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_imports_point_one_way(path):
    layer = layer_of(path)
    allowed = LAYERS[layer] | {layer} | SHARED
    source = path.read_text(encoding="utf-8")
    wrong = imported_layers(source, path.relative_to(PACKAGE).parts[:-1]) - allowed
    assert not wrong, f"{path.relative_to(PACKAGE)} ({layer}) imports {sorted(wrong)}; allowed: {sorted(allowed)}"


def test_the_layer_check_sees_wrong_imports():
    """The checker itself, on imports a content module must not have."""
    assert imported_layers("from ..site import plugin\n", ("content",)) == {"site"}
    assert imported_layers("from ..pages.render import render_pages\n", ("content",)) == {"pages"}
    assert imported_layers("from pilotguide.courses import pack\n", ("content",)) == {"courses"}
    assert imported_layers("from .. import errors\n", ("content",)) == {"errors"}
    assert imported_layers("from .model import Record\n", ("content",)) == {"content"}
    assert imported_layers("from pilotguide import site\n", ("content",)) == {"site"}
    assert imported_layers("import pilotguide.pages.render\n", ("content",)) == {"pages"}


@pytest.mark.parametrize("name", ["errors.py", "parallel.py"])
def test_shared_modules_are_leaves(name):
    """errors.py and parallel.py are shared by every layer, so they import none of them."""
    source = (PACKAGE / name).read_text(encoding="utf-8")
    assert imported_layers(source, ()) == set()


def test_top_level_is_the_documented_layout():
    entries = {p.name for p in PACKAGE.iterdir() if not p.name.startswith(("_", "."))} - {"__pycache__"}
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert {"content", "pages", "courses", "site"} <= packages
    loose = {e for e in entries if e.endswith(".py")}
    # cli_text.py: click in Chinese, used by cli.py only (the command line's own presentation);
    # parallel.py: forked work (`--jobs`), shared like errors.py by loading, rendering and course files
    allowed = {"cli.py", "cli_text.py", "errors.py", "parallel.py", "__main__.py"}
    assert loose <= allowed, f"modules outside a layer: {loose}"


def _module_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets = node.targets
        else:
            targets = [node.target] if isinstance(node, ast.AnnAssign) else []
        names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


MUTATORS = {"append", "extend", "update", "clear", "pop", "popitem", "setdefault", "add", "discard", "remove",
            "insert"}


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_module_level_state(path):
    """No `global`, no function that changes a module-level name's contents, no value stashed in
    an object's __dict__, no memo decorator outside the documented pure functions."""
    rel = path.relative_to(PACKAGE).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module_names = _module_names(tree)
    problems = []
    for func in [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]:
        for node in ast.walk(func):
            if isinstance(node, ast.Global):
                problems.append(f"line {node.lineno}: global {', '.join(node.names)}")
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS
                    and isinstance(node.func.value, ast.Name) and node.func.value.id in module_names):
                problems.append(f"line {node.lineno}: {node.func.value.id}.{node.func.attr}() changes module state")
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
                targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
                for t in targets:
                    if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) and t.value.id in module_names:
                        problems.append(f"line {node.lineno}: {t.value.id}[...] changes module state")
                    stash = isinstance(t, ast.Subscript) and isinstance(t.value, ast.Attribute)
                    if stash and t.value.attr == "__dict__":
                        problems.append(f"line {node.lineno}: stores into __dict__")
        for deco in func.decorator_list:
            name = deco.func if isinstance(deco, ast.Call) else deco
            name = name.attr if isinstance(name, ast.Attribute) else getattr(name, "id", "")
            if name in ("cache", "lru_cache") and (rel, func.name) not in PURE_MEMOS:
                problems.append(f"line {func.lineno}: @{name} on {func.name} (give the cache an owner, or list it "
                                "as a pure memo in this test with a reason)")
    assert not problems, f"{rel}:\n" + "\n".join(problems)


def test_every_schema_field_has_a_chinese_label():
    """The 更新记录 page names changed fields in Chinese: every field of every kind needs a label."""
    missing = {(kind.name, name) for kind in schemas.kinds().values()
               for name in schemas.properties(kind.schema) if name not in FIELD_LABELS and name != "id"}
    assert not missing


def test_kinds_come_from_the_schemas():
    kinds = schemas.kinds()
    assert list(kinds) == ["policy", "step", "case-study", "glossary", "course"]
    assert {k.folder for k in kinds.values()} == {"policies", "steps", "case-studies", "glossary", "courses"}
    assert all(k.label and k.schema["x-kind"] == k.name for k in kinds.values())


def test_every_format_has_a_plugin_switch_and_a_builder():
    options = dict(PilotguideConfig._schema)
    for fmt in FORMATS.values():  # rows may share a switch (`book`: guide.pdf and guide.docx)
        assert fmt.option in options and options[fmt.option].default == switches()[fmt.option].default
        assert callable(fmt.build) and fmt.suffix.startswith((".", "-")) and fmt.label
        assert fmt.scope in SCOPES

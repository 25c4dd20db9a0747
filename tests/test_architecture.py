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

# Each layer may import the layers listed (and itself, and the shared leaf `errors`).
LAYERS = {
    "content": set(),
    "pages": {"content"},
    "courses": {"pages", "content"},
    "intake": {"pages", "content"},
    "site": {"courses", "pages", "content"},
}
SHARED = {"errors", "__init__"}  # importable from every layer

# Pure functions memoised for the life of the process, each keyed by its arguments alone: the
# shipped schema files, compiled validators for a vocabulary, path arithmetic, pinyin, fonts on
# this machine. Nothing a build or a preview should own. Anything else needs an owner object.
PURE_MEMOS = {
    ("content/schemas.py", "raw_schemas"), ("content/schemas.py", "kinds"), ("content/schemas.py", "registry"),
    ("content/validate.py", "_validator_class"), ("content/quickcheck.py", "_compiled"),
    ("pages/paths.py", "_relpath"), ("pages/taxonomy.py", "_pinyin"),
    ("content/references.py", "pinyin_order"), ("courses/fonts.py", "cjk_font"),
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


@pytest.mark.parametrize("name", ["errors.py"])
def test_shared_modules_are_leaves(name):
    """errors.py is shared by every layer, so it imports none of them."""
    source = (PACKAGE / name).read_text(encoding="utf-8")
    assert imported_layers(source, ()) == set()


def test_top_level_is_the_documented_layout():
    entries = {p.name for p in PACKAGE.iterdir() if not p.name.startswith(("_", "."))} - {"__pycache__"}
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert {"content", "pages", "courses", "site"} <= packages
    loose = {e for e in entries if e.endswith(".py")}
    # cli_text.py: click in Chinese, used by cli.py only (the command line's own presentation);
    allowed = {"cli.py", "cli_text.py", "errors.py", "__main__.py"}
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


# -- the engine seam: undocumented MkDocs, Material and jieba names only in site/engine.py ----------

SEAM = "site/engine.py"
# The engine's public plugin API (what MkDocs documents for plugins), usable anywhere in site/.
PUBLIC_ENGINE_API = {
    "mkdocs.exceptions": None,  # any name
    "mkdocs.plugins": {"BasePlugin", "event_priority"},
    "mkdocs.config": {"config_options"},
    "mkdocs.config.base": {"Config", "ValidationError"},
    "mkdocs.config.defaults": {"MkDocsConfig"},
    "mkdocs.structure.files": {"File", "Files", "InclusionLevel"},
    "mkdocs.utils": {"get_relative_url"},
}
ENGINES = ("mkdocs", "properdocs", "material", "jieba")
# Private names of other libraries that are not the engine: python-docx's XML elements, os._exit,
# and our own Fields' (content/model.py) attributes read by the template error messages.
OTHER_PRIVATE = {"_p", "_tr", "_r", "_body", "_element", "_exit", "_allowed", "_what"}
ENGINE_ATTRIBUTES = {"search_index", "add_entry_from_context", "FREQ", "dt", "_title_from_render"}
ENGINE_ASSIGNED = {"render", "get_env", "jieba", "search_index", "add_entry_from_context"}
ENGINE_HTML = ("md-content__inner", "md-header", "javascripts/workers")


def engine_internals(source: str) -> list[str]:
    """Uses of undocumented engine names in `source`: imports beyond the public plugin API,
    private attributes of objects not our own, the engine's attributes, its HTML edited as text."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in ENGINES and not node.level:
            allowed = PUBLIC_ENGINE_API.get(node.module, set())
            for alias in node.names:
                if allowed is not None and alias.name not in allowed:
                    found.append(f"line {node.lineno}: from {node.module} import {alias.name}")
        elif isinstance(node, ast.Import):
            found += [f"line {node.lineno}: import {a.name}" for a in node.names if a.name.split(".")[0] in ENGINES]
        elif isinstance(node, ast.Attribute):
            private = node.attr.startswith("_") and not node.attr.startswith("__")
            own = isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")
            if (private and not own and node.attr not in OTHER_PRIVATE) or node.attr in ENGINE_ATTRIBUTES:
                found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found += [f"line {node.lineno}: assigns .{t.attr}" for t in targets
                      if isinstance(t, ast.Attribute) and t.attr in ENGINE_ASSIGNED]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found += [f"line {node.lineno}: text {word!r}" for word in ENGINE_HTML if word in node.value]
    return found


@pytest.mark.parametrize("path", [p for p in modules() if p.relative_to(PACKAGE).as_posix() != SEAM],
                         ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_undocumented_engine_names_only_in_the_seam(path):
    found = engine_internals(path.read_text(encoding="utf-8"))
    assert not found, (f"{path.relative_to(PACKAGE)} uses engine internals outside {SEAM} "
                       f"(move them there, with a canary in tests/test_engine_seam.py): {found}")


@pytest.mark.parametrize("wrong", [
    "from mkdocs.commands.build import _build_page",
    "from material.plugins.search import plugin",
    "import jieba",
    "page._title_from_render = 'x'",
    "plugin.search_index.entries.append(1)",
    "theme.get_env = lambda: None",
    "html.replace('<article class=\"md-content__inner', '')",
    "from mkdocs.livereload import LiveReloadServer",
])
def test_the_seam_check_finds_internals(wrong):
    assert engine_internals(wrong)


def test_the_seam_check_lets_the_public_api_pass():
    assert not engine_internals("from mkdocs.plugins import BasePlugin\nfrom mkdocs.structure.files import File\n"
                                "self._x = 1\nfrom mkdocs.exceptions import PluginError\n")

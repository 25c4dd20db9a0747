"""Canaries for every undocumented engine name site/engine.py uses (fast lane).

Each test checks one internal of MkDocs (or ProperDocs), Material or jieba that the seam relies on
and, when it changed, fails with a message naming the installed versions: the fix then goes into
site/engine.py, and nowhere else. The architecture test (test_architecture.py) checks that no
other module uses such names.
"""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
from importlib import import_module, metadata, resources
from pathlib import Path
from types import SimpleNamespace

import pytest

from pilotguide.site import engine

ENGINE = engine.engine_name()


def versions() -> str:
    parts = [engine.engine_version()]
    for name in ("mkdocs-material", "jieba"):
        try:
            parts.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name} (not installed)")
    return ", ".join(parts)


def canary(ok: bool, what: str) -> None:
    assert ok, f"engine internal changed under {versions()}: {what}. Adapt site/engine.py."


def test_engine_is_chosen_in_one_place(monkeypatch):
    monkeypatch.setenv(engine.ENGINE_VARIABLE, "mkdocs")
    assert engine.wanted_engine() == "mkdocs"
    monkeypatch.setenv(engine.ENGINE_VARIABLE, "properdocs")
    assert engine.wanted_engine() == "properdocs"
    monkeypatch.delenv(engine.ENGINE_VARIABLE)
    installed = import_module("importlib.util").find_spec("properdocs") is not None
    assert engine.wanted_engine() == ("properdocs" if installed else "mkdocs")
    import mkdocs

    assert (mkdocs.__name__ == "properdocs") == (ENGINE == "properdocs")  # the alias is in place


@pytest.mark.parametrize("wanted", ["mkdocs", "properdocs"])
def test_a_fresh_process_builds_with_the_engine_asked_for(wanted):
    """`PILOTGUIDE_ENGINE` chooses the engine of a process; its loggers then speak Chinese."""
    if wanted == "properdocs" and import_module("importlib.util").find_spec("properdocs") is None:
        pytest.skip("ProperDocs is not installed")
    code = ("import pilotguide.site, mkdocs.plugins; from pilotguide.site import engine; "
            "print(engine.engine_name(), mkdocs.plugins.__name__)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, engine.ENGINE_VARIABLE: wanted}, check=True)
    assert done.stdout.split() == [wanted, f"{wanted}.plugins"]


def test_one_page_build_functions():
    build = import_module(f"{ENGINE}.commands.build")
    for name, params in (("_populate_page", ["page", "config", "files"]),
                         ("_build_page", ["page", "config", "doc_files", "nav", "env"])):
        function = getattr(build, name, None)
        canary(function is not None, f"{ENGINE}.commands.build.{name} is gone")
        got = list(inspect.signature(function).parameters)[:len(params)]
        canary(got == params, f"{ENGINE}.commands.build.{name} takes {got}, not {params}")


def test_live_reload_server_members(tmp_path):
    livereload = import_module(f"{ENGINE}.livereload")
    canary(callable(getattr(livereload, "_serve_url", None)), f"{ENGINE}.livereload._serve_url is gone")
    canary(engine.serve_url("127.0.0.1", 8000, "/guide/") == "http://127.0.0.1:8000/guide/",
           "_serve_url gives another address")
    server = livereload.LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        for name in ("_watched_paths", "_watch_refs", "_rebuild_cond", "_want_rebuild", "_epoch_cond",
                     "_visible_epoch", "_wanted_epoch", "serve_thread", "observer", "mount_path"):
            canary(hasattr(server, name), f"LiveReloadServer has no attribute {name}")
        for name in ("_serve_request", "_guess_type", "_build_loop", "server_bind", "server_activate", "watch",
                     "unwatch", "shutdown"):
            canary(callable(getattr(server, name, None)), f"LiveReloadServer has no method {name}")
        canary(list(inspect.signature(server._serve_request).parameters) == ["environ", "start_response"],
               "LiveReloadServer._serve_request takes other arguments")
    finally:
        server.server_close()


def test_page_render_and_title(tmp_path):
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page
    from mkdocs.structure.toc import get_toc

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("# 标题\n\n正文\n", encoding="utf-8")
    config = engine.load_config(_config(tmp_path))
    file = File("a.md", str(docs), str(tmp_path / "site"), use_directory_urls=False)
    page = Page(None, file, config)
    page.read_source(config)
    page.render(config, None)
    canary(getattr(page, "_title_from_render", None) == "标题", "Page._title_from_render is not the first heading")
    canary(page.title == "标题", "Page.title does not come from _title_from_render")
    record = engine.page_record(page)
    canary(record["title"] == "标题" and "正文" in record["content"], "page_record reads other fields")
    other = Page(None, file, config)
    other.read_source(config)  # as the build does before rendering
    engine.replay_page(other, record)
    other.render(config, None)
    canary(other.title == "标题" and other.content == page.content, "a replayed page differs")
    canary(callable(get_toc), "mkdocs.structure.toc.get_toc is gone")


def _config(root: Path) -> Path:
    (root / "docs").mkdir(exist_ok=True)
    path = root / "mkdocs.yml"
    path.write_text("site_name: 测试\ntheme:\n  name: material\n  language: zh\nplugins:\n  - search\n",
                    encoding="utf-8")
    return path


def test_theme_environment_can_be_wrapped(tmp_path):
    import jinja2

    config = engine.load_config(_config(tmp_path))
    canary(callable(getattr(config.theme, "get_env", None)), "Theme.get_env is gone")
    cache = jinja2.BytecodeCache()
    engine.share_bytecode(config.theme, cache)
    canary(config.theme.get_env().bytecode_cache is cache, "a wrapped Theme.get_env is not used")


def test_theme_template_folders_can_take_the_packages_after_custom_dir(tmp_path):
    """add_theme_templates: Theme.dirs is the template search path, custom_dir first."""
    custom = tmp_path / "overrides"
    custom.mkdir()
    config_file = _config(tmp_path)
    config_file.write_text(config_file.read_text(encoding="utf-8").replace(
        "  name: material\n", "  name: material\n  custom_dir: overrides\n"), encoding="utf-8")
    theme = engine.load_config(config_file).theme
    canary(isinstance(getattr(theme, "dirs", None), list) and theme.dirs[0] == str(custom),
           "Theme.dirs is not a list with custom_dir first")
    engine.add_theme_templates(theme, "/ours")
    engine.add_theme_templates(theme, "/ours")  # once, however many builds
    canary(theme.dirs[:2] == [str(custom), "/ours"] and theme.dirs.count("/ours") == 1,
           "a folder added to Theme.dirs does not sit after custom_dir")
    canary(any(d.replace(os.sep, "/").endswith("material/templates") for d in theme.dirs[2:]),
           "Material's templates are not on Theme.dirs")


def test_material_search_index_internals(tmp_path):
    config = engine.load_config(_config(tmp_path))
    config.plugins.on_config(config)
    index = engine.material_index(config)
    canary(index is not None, "Material's search plugin holds no `search_index` with `entries` after on_config")
    canary(isinstance(engine.entries_of(index), list), "SearchIndex.entries is not a list")
    canary(set(engine.index_config(index)) == {"lang", "separator", "pipeline", "fields"},
           "SearchIndex.config lacks lang, separator, pipeline or fields")
    canary(callable(getattr(index, "add_entry_from_context", None)), "SearchIndex.add_entry_from_context is gone")
    cls, settings = engine.index_class_and_config(index)
    from mkdocs.structure.toc import get_toc

    snapshot = SimpleNamespace(content='<h1 id="t">标题</h1>\n<p>正文内容</p>', url="a.html", meta={}, title="标题",
                               toc=get_toc([{"level": 1, "id": "t", "name": "标题", "children": []}]))
    entries = engine.parse_page(cls, settings, snapshot)
    canary(any("正文内容" in e.get("text", "").replace("\u200b", "") and e.get("location", "").startswith("a.html")
               for e in entries),
           "SearchIndex(**config).add_entry_from_context(page) no longer makes entries of a page snapshot")


def test_material_search_keeps_a_previous_index_that_a_build_can_forget(tmp_path):
    config = engine.load_config(_config(tmp_path))
    plugin = next((p for p in config.plugins.values() if type(p).__module__.startswith("material.plugins.search")),
                  None)
    canary(plugin is not None and hasattr(plugin, "search_index_prev"),
           "Material's search plugin has no `search_index_prev` (the index a dirty build keeps)")
    plugin.search_index_prev = object()
    engine.forget_previous_index(config)
    canary(plugin.search_index_prev is None, "forget_previous_index left Material's kept index")


def test_material_search_module_has_a_jieba_global():
    module = import_module("material.plugins.search.plugin")
    canary("jieba" in vars(module), "material.plugins.search.plugin has no module global `jieba`")


@pytest.fixture(scope="module")
def built_page(tmp_path_factory) -> str:
    """A one-page Material site built by the engine: the HTML the seam edits as text."""
    root = tmp_path_factory.mktemp("material")
    config_file = _config(root)
    (root / "docs" / "index.md").write_text("# 首页\n\n正文\n", encoding="utf-8")
    engine.build(engine.load_config(config_file))
    return (root / "site" / "index.html").read_text(encoding="utf-8")


def test_material_page_html_hooks(built_page):
    out, worker = engine.point_search_worker(built_page, "assets/pilotguide/search-worker.js")
    canary(worker is not None and re.fullmatch(r"search\.[0-9a-f]+\.min\.js", worker) is not None,
           "the __config worker path is not where engine.MATERIAL_WORKER looks")
    canary('"assets/pilotguide/search-worker.js"' in out, "the worker path was not replaced")
    canary(engine.material_worker_from("assets/pilotguide/search-worker.js", worker)
           == f"../javascripts/workers/{worker}", "Material's workers are no longer in assets/javascripts/workers")
    canary('<article class="md-content__inner' in built_page, "Material's article has no class md-content__inner")
    canary('<header class="md-header' in built_page, "Material's header has no class md-header")
    marked = engine.pagefind_mark(built_page, '<div id="box"></div>')
    canary("data-pagefind-body" in marked and '<div id="box"></div></nav>' in marked,
           "Pagefind's marks found no article or header navigation")
    styled = engine.add_head_style(built_page, "@media print { }")
    canary(styled.count("<style>@media print { }</style>") == 1
           and styled.index("<style>@media print") < styled.index("<body"),
           "Material's page has no </head> before its body for the paper stamp")


def test_material_worker_message_numbers():
    """assets/search/worker.js talks to Material's worker with its message types (SETUP 0, READY 1,
    QUERY 2, RESULT 3); Material's compiled worker must still use those numbers."""
    workers = resources.files("material") / "templates" / "assets" / "javascripts" / "workers"
    (worker,) = [p for p in workers.iterdir() if re.fullmatch(r"search\.[0-9a-f]+\.min\.js", p.name)]
    code = worker.read_text(encoding="utf-8")
    match = re.search(r"switch\(\w+\.type\)\{case (\d):.*?\{type:(\d)\};case (\d):.*?\{type:(\d),data:", code)
    canary(match is not None, "Material's worker handler (switch on message type) has another shape")
    ours = (resources.files("pilotguide") / "assets" / "search" / "worker.js").read_text(encoding="utf-8")
    mine = re.search(r"var SETUP = (\d), QUERY = (\d), RESULT = (\d);", ours)
    assert mine, "assets/search/worker.js no longer declares SETUP, QUERY and RESULT"
    setup, ready, query, result = match.groups()
    canary((setup, query, result) == mine.groups() and ready == "1",
           f"Material's message types are SETUP {setup}, READY {ready}, QUERY {query}, RESULT {result}")


def test_material_search_page_side():
    """assets/search-note.js and the result order of assets/search/worker.js rely on Material's page
    side: head scripts from `extra.polyfills` before the bundle, the bundle creating the search worker
    with `new Worker`, result messages filtered by type (3), result items carrying `terms`."""
    templates = resources.files("material") / "templates"
    base = (templates / "base.html").read_text(encoding="utf-8")
    canary("config.extra.polyfills" in base and base.index("config.extra.polyfills") < base.index("bundle."),
           "Material's base template no longer writes extra.polyfills before its bundle")
    (bundle,) = [p for p in (templates / "assets" / "javascripts").iterdir()
                 if re.fullmatch(r"bundle\.[0-9a-f]+\.min\.js", p.name)]
    code = bundle.read_text(encoding="utf-8")
    canary("new Worker(" in code, "Material's bundle no longer creates its search worker with new Worker")
    canary(re.search(r"\.type===3\}", code) is not None, "Material's page side no longer picks results by type 3")
    workers = templates / "assets" / "javascripts" / "workers"
    (worker,) = [p for p in workers.iterdir() if re.fullmatch(r"search\.[0-9a-f]+\.min\.js", p.name)]
    canary(re.search(r"terms:\w+\}", worker.read_text(encoding="utf-8")) is not None,
           "Material's search results no longer carry `terms`")


def test_jieba_dictionary_internals():
    jieba = engine.jieba_ready()
    for name in ("FREQ", "total", "initialized", "check_initialized"):
        canary(hasattr(jieba.dt, name), f"jieba.dt has no {name}")
    canary(isinstance(engine.frequencies(), dict) and engine.dictionary_total() > 0,
           "jieba's FREQ / total have another type")
    tk = engine.tokenizer(["刑满释放人员"])
    canary("刑满释放人员" in tk.lcut("关爱刑满释放人员"), "a tokenizer sharing the dictionary ignores user words")
    canary(engine.known_word(tk, "社区") and not engine.known_word(tk, "社区组织刑满"),
           "Tokenizer.FREQ no longer holds the dictionary's words")
    canary("刑满释放人员" not in jieba.lcut("关爱刑满释放人员"), "a build's user words leaked into jieba's global")
    canary(tk.total == engine.dictionary_total(), "Tokenizer.total is no longer the one its cut reads")
    text = "邻里纠纷调解室"  # holds no user word: its cut must not move with another word's frequency
    more = engine.tokenizer(["刑满释放人员", *(f"社区组织{i}" for i in range(200))])
    canary(tk.lcut(text) == more.lcut(text) == engine.tokenizer([]).lcut(text),
           "a tokenizer's cut of a text depends on user words not in it (add_word / suggest_freq changed)")


def test_mkdocs_config_schema():
    from mkdocs.config import config_options as c
    from mkdocs.config.defaults import MkDocsConfig

    names = [name for name, _ in engine.config_schema(MkDocsConfig)]
    canary({"site_name", "nav", "theme", "plugins", "use_directory_urls"} <= set(names),
           "MkDocsConfig._schema lacks site_name, nav, theme, plugins or use_directory_urls")
    canary(engine.option_type(c.Type(int, default=1)) is int, "config_options.Type keeps its type elsewhere than _type")


@pytest.mark.parametrize("name", ["_populate_page", "_build_page", "theme.dirs"])
def test_the_seam_names_what_it_uses(name):
    """Every internal is listed in engine.py's docstring, with why."""
    assert name in (engine.__doc__ or "")

"""Chunked search for big guides: Pagefind instead of Material's one-file search index.

Material's search downloads the whole index (search_index.json) before the first result: fine
for a small guide and the only search that works from file://, but tens of megabytes for a guide
of thousands of case studies, a burden on a phone on a slow link. Pagefind splits the index into
small chunks fetched per query (its `extended` build segments Chinese). It needs a web server
(it fetches WebAssembly and chunks), so it never replaces Material's search by default:
`search_backend: pagefind` (or `auto` above `pagefind_threshold` pages) in mkdocs.yml opts in.

This module holds the pieces: choosing the backend, marking each page for Pagefind, and running
the Pagefind binary (shipped inside the `pagefind[extended]` pip package) after the build.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import subprocess
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

from .. import engine

log = logging.getLogger("mkdocs.plugins.pilotguide")

BUNDLE = "pagefind"  # folder of the site that holds Pagefind's index and scripts
CONTAINER_ID = "pilotguide-search"
TRANSLATIONS = {  # Pagefind UI's words, in the guide's language
    "placeholder": "搜索", "clear_search": "清除", "load_more": "显示更多结果", "search_label": "搜索本站",
    "filters_label": "筛选", "zero_results": "没有找到与 [SEARCH_TERM] 相关的内容",
    "many_results": "找到 [COUNT] 条与 [SEARCH_TERM] 相关的结果", "one_result": "找到 1 条与 [SEARCH_TERM] 相关的结果",
    "alt_search": "没有找到与 [SEARCH_TERM] 相关的内容，下面是 [DIFFERENT_TERM] 的结果",
    "search_suggestion": "没有找到与 [SEARCH_TERM] 相关的内容，请换个词试试", "searching": "正在搜索 [SEARCH_TERM]……",
}
STYLE = f"""<style>
#{CONTAINER_ID}{{position:relative;flex-shrink:1;width:min(24rem,45vw);margin:0 .4rem;
  --pagefind-ui-scale:.7;--pagefind-ui-font:inherit}}
#{CONTAINER_ID} .pagefind-ui__drawer{{position:absolute;right:0;width:min(40rem,92vw);max-height:75vh;
  overflow:auto;background:#fff;color:#000;padding:0 1rem;box-shadow:0 4px 16px rgba(0,0,0,.25)}}
#{CONTAINER_ID} .pagefind-ui__drawer:empty{{display:none}}
</style>"""


def pagefind_installed() -> bool:
    return importlib.util.find_spec("pagefind") is not None


def choose(backend: str, pages: int, threshold: int) -> str:
    """'material' or 'pagefind' for a guide of `pages` pages."""
    if backend == "auto":
        if pages < threshold:
            return "material"
        if not pagefind_installed():
            log.warning("试点案例较多（%d 页），建议使用分块搜索：pip install 'pilotguide[pagefind]'。"
                        "暂时仍使用默认搜索。", pages)
            return "material"
        return "pagefind"
    if backend == "pagefind" and not pagefind_installed():
        raise PluginError("search_backend: pagefind 需要 Pagefind：请运行 pip install 'pilotguide[pagefind]'。")
    return backend


def disable_material_search(config) -> None:
    """Material's own search plugin stays listed but is switched off (no index, no search box)."""
    for name in ("material/search", "search"):
        plugin = config.plugins.get(name)
        if plugin is not None and hasattr(plugin.config, "enabled"):
            plugin.config.enabled = False


def mark_page(html: str, page_url: str) -> str:
    """Index only the article (not menus), and put Pagefind's search box into the header."""
    base = get_relative_url(".", page_url).rstrip("/") + "/"  # "./" or "../"
    options = {"element": f"#{CONTAINER_ID}", "showImages": False, "showSubResults": True,
               "translations": TRANSLATIONS}
    # Pagefind wants absolute paths for its bundle and its result links; the site may live under
    # any folder of an intranet server, so they are worked out in the browser from this page's URL.
    start = ("(function(){var root=new URL(%s,location.href).pathname;var o=%s;"
             "o.bundlePath=root+%s;o.baseUrl=root;new PagefindUI(o);})();"
             % (json.dumps(base), json.dumps(options, ensure_ascii=False), json.dumps(BUNDLE + "/")))
    box = (f'<div id="{CONTAINER_ID}" role="search"></div>'
           f'<link rel="stylesheet" href="{base}{BUNDLE}/pagefind-ui.css">{STYLE}'
           f'<script src="{base}{BUNDLE}/pagefind-ui.js"></script><script>{start}</script>')
    return engine.pagefind_mark(html, box)  # a theme without Material's header: only the article marked


def index_site(site_dir: str) -> None:
    """Run Pagefind over the built site; its bundle lands in site/pagefind/."""
    command = [sys.executable, "-m", "pagefind", "--site", site_dir, "--output-subdir", BUNDLE, "--silent"]
    result = subprocess.run(command, capture_output=True, encoding="utf-8", errors="replace")  # any locale
    if result.returncode != 0 or not (Path(site_dir) / BUNDLE / "pagefind.js").is_file():
        raise PluginError(f"Pagefind 建立搜索索引失败：{(result.stderr or result.stdout).strip()}")

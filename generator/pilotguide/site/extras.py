"""What the MkDocs site adds around the generated pages: the scripts and styles shipped in this
package (case filter, checklist printing, badges), glossary tooltips and the edition stamp.

`configure_mkdocs` is the one function that changes MkDocs' config (plugin.py only forwards
events). Assets are copied from the package into the site: no CDN, so the guide works on a sealed
intranet and from file://.
"""

from __future__ import annotations

import copy
from importlib import resources

from mkdocs.structure.files import File

from ..courses.pack import SITE_CSS
from ..pages.render import MARKDOWN_EXTENSIONS
from .glossary_links import GlossaryTermsExtension, glossary_terms
from .engine import add_head_script, add_theme_templates
from .search.offline import offline_polyfills
from .search.pagefind import disable_material_search

ASSET_DIR = "assets/pilotguide"
THEME_DIR = "theme"  # templates that override Material's (assets/theme/)
STYLES = ["pilotguide.css"]
SCRIPTS = ["every-page.js", "filter.js", "checklist.js", "search-input.js", "phone.js", "keyboard.js"]
# In the page's head (Material's polyfills), before Material's bundle starts its search worker.
HEAD_SCRIPTS = ["search-note.js"]
EXTENSIONS = ["md_in_html"]  # the case table is raw HTML whose link cells are Markdown
FEATURES = ["content.tooltips"]  # Material shows a glossary link's title as a tooltip


DEFAULT_NAV = [{"首页": "index.md"}, {"政策": "policies/index.md"}, {"培育步骤": "steps/index.md"},
               {"试点案例": "case-studies/index.md"}, {"找案例": "topics/index.md"}, {"统计": "statistics.md"},
               {"培训课程": "courses/index.md"}, {"术语表": "glossary.md"}, {"更新记录": "changes.md"}]


def configure_mkdocs(config, guide) -> GlossaryTermsExtension | None:
    """Every change the guide makes to a loaded MkDocs config, in one place.

    `guide` is the GuideBuild (guide.py) whose pages and downloads are ready. Returns the glossary
    extension, which needs to know each page as it is converted. A preview paused on errors
    (`guide.problems`) only empties the nav: no entries for the generated pages it does not have."""
    _theme(config)
    if guide.problems:
        config.nav = []
        return None
    for ext in MARKDOWN_EXTENSIONS:  # added when mkdocs.yml does not list them
        _append(config.markdown_extensions, ext)
    if config.nav is None:
        config.nav = copy.deepcopy(DEFAULT_NAV)  # MkDocs may change the nav it is given
    for name in STYLES:
        _append(config.extra_css, f"{ASSET_DIR}/{name}")
    for name in SCRIPTS:
        _append(config.extra_javascript, f"{ASSET_DIR}/{name}")
    for ext in EXTENSIONS:
        _append(config.markdown_extensions, ext)
    features = config.theme.get("features")
    if isinstance(features, list):
        for feature in FEATURES:
            _append(features, feature)
    content = guide.content
    guide.copyright = config.copyright  # mkdocs.yml's own, for a preview's quick saves to stamp again
    config.copyright = stamped(config.copyright, content)
    terms = GlossaryTermsExtension(glossary_terms(content))
    config.markdown_extensions.append(terms)
    if SITE_CSS in guide.downloads:
        _append(config.extra_css, SITE_CSS)
    guide.search.prepare(content)
    config.extra["polyfills"] = offline_polyfills(config.extra.get("polyfills", []))
    for name in HEAD_SCRIPTS:  # after the iframe-worker shim: they wrap the Worker it defines
        add_head_script(config, f"{ASSET_DIR}/{name}")
    guide.mode.theme(config)
    if guide.backend == "pagefind":
        disable_material_search(config)
    return terms


def _theme(config) -> None:
    """No notice linking to Material's website on every page (a sealed intranet cannot reach it;
    Material's documented `extra.generator`, unless mkdocs.yml sets it), and the package's theme
    templates (a Chinese 404 page) ahead of Material's."""
    if "generator" not in config.extra:
        config.extra["generator"] = False
    add_theme_templates(config.theme, str(resources.files("pilotguide") / "assets" / THEME_DIR))


def stamped(copyright: str | None, content) -> str | None:
    """mkdocs.yml's copyright line with the edition stamp (date and content fingerprint) after it."""
    if content.edition is None:
        return copyright
    stamp = content.edition.stamp
    return f"{copyright} · {stamp}" if copyright else stamp


def _append(items: list, item) -> None:
    if item not in [str(i) for i in items]:
        items.append(item)


def asset_files(config) -> list[File]:
    """The packaged scripts and styles as site files."""
    base = resources.files("pilotguide") / "assets"
    return [File.generated(config, f"{ASSET_DIR}/{name}", content=(base / name).read_bytes())
            for name in STYLES + SCRIPTS + HEAD_SCRIPTS]

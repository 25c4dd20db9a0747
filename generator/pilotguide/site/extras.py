"""What the MkDocs site adds around the generated pages: the scripts and styles shipped in this
package (case filter, checklist printing, badges), glossary tooltips and the edition stamp.

Kept apart from plugin.py, which only forwards MkDocs events here. Assets are copied from the
package into the site: no CDN, so the guide works on a sealed intranet and from file://.
"""

from __future__ import annotations

from importlib import resources

from mkdocs.structure.files import File

from .glossary_links import GlossaryTermsExtension, glossary_terms

ASSET_DIR = "assets/pilotguide"
STYLES = ["pilotguide.css"]
SCRIPTS = ["filter.js", "checklist.js", "search-input.js", "phone.js"]
EXTENSIONS = ["md_in_html"]  # the case table is raw HTML whose link cells are Markdown
FEATURES = ["content.tooltips"]  # Material shows a glossary link's title as a tooltip


def configure(config, content) -> GlossaryTermsExtension:
    """Add assets, extensions and the edition stamp to a loaded MkDocs config."""
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
    if content.edition is not None:
        stamp = f"本版 {content.edition.date} · 内容指纹 {content.edition.hash}"
        config.copyright = f"{config.copyright} · {stamp}" if config.copyright else stamp
    terms = GlossaryTermsExtension(glossary_terms(content))
    config.markdown_extensions.append(terms)
    return terms


def _append(items: list, item) -> None:
    if item not in [str(i) for i in items]:
        items.append(item)


def asset_files(config) -> list[File]:
    """The packaged scripts and styles as site files."""
    base = resources.files("pilotguide") / "assets"
    return [File.generated(config, f"{ASSET_DIR}/{name}", content=(base / name).read_bytes())
            for name in STYLES + SCRIPTS]

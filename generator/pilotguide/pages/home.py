"""The home page made from the guide's own settings (guide.yaml), for a guide without docs/index.md.

Everything it says about the guide (name, office, region, intro) comes from guide.yaml, or from
mkdocs.yml's `site_name` when there is no guide.yaml: never from another guide's files. It links
only to the sections that have something in them. A project overrides it like any template
(`templates/home.md.j2`).
"""

from __future__ import annotations

from ..content.model import Content
from ..content.schemas import kinds
from .paths import PAGES
from .templates import Templates

HOME_PAGE = "index.md"
TEMPLATE = "home.md.j2"
SECTION_TITLES = {"glossary": "术语表"}  # a kind's section title where it is not the kind's label
FINDING = (("topics/index.md", "找案例", "按地区、城乡类型、活动类型等分类查找案例"),
           ("statistics.md", "统计", "案例的分类统计图"))
BOOK = (("book-pdf", "guide.pdf", "整本指南 PDF"), ("book-docx", "guide.docx", "整本指南 Word"))


def home_page(content: Content, templates: Templates, pages: dict, downloads: tuple = (), site_name: str = "") -> str:
    """The Markdown of the settings-made home page. `pages`: the generated pages (only sections
    that exist are linked); `downloads`: the formats this build makes (the book's links)."""
    settings = content.settings
    sections = []
    for kind in kinds().values():
        count = len(content.all(kind.name))
        index = PAGES[kind.name][0]
        if count and index in pages:
            sections.append((SECTION_TITLES.get(kind.name, kind.label), index, f"共 {count} 条"))
    if content.all("case-study"):
        sections += [(title, page, note) for page, title, note in FINDING if page in pages]
    if "changes.md" in pages:
        sections.append(("更新记录", "changes.md", "本版与上一版相比新增、删除和修改的内容"))
    names = {f.name for f in downloads}
    book = [(label, path) for name, path, label in BOOK if name in names]
    return templates.render(TEMPLATE, page=HOME_PAGE, content=content, sections=sections, book=book,
                            title=settings.name if settings is not None else (site_name or "指南"),
                            office=settings.office if settings is not None else None,
                            region=settings.region if settings is not None else None,
                            intro=settings.intro if settings is not None else None)

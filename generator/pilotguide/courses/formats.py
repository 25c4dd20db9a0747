"""The download formats: one row each. The single list that the plugin's switches, the course
pages' download links, `pilotguide generate` and the CLI help read.

Adding a format is one module with a `build(handout) -> bytes` function and one row in FORMATS;
nothing else changes (see ARCHITECTURE.md, "Where a change goes"). A row's `scope` says what one file is made
from: each handout page (`handout`: the participants' and the trainer's version of each course),
each course (`course`: its slides) or the whole guide (`guide`: the book). Rows may share one
plugin switch (`switch`): `book: false` turns off both `guide.pdf` and `guide.docx`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from importlib import import_module
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

if TYPE_CHECKING:
    from ..content.model import Content, Record
    from ..pages.paths import SiteAddress
    from .engines import PdfEngine
    from .fonts import CJKFont

SCOPES = ("handout", "course", "guide")


@dataclass(frozen=True)
class Handout:
    """One source document, ready for a format's builder: a handout page (the participants' or the
    trainer's), a course (scope `course`: the trainer's page) or the whole guide (the book)."""

    path: str  # site path without suffix: courses/<id>-handout, courses/<id>, guide
    source: str  # the page's Markdown: the single source of every format
    tree: Element | None  # its cleaned HTML tree (<html lang="zh-CN">, pack.handout_tree); made only for a builder
    title: str
    record: Record | None  # the course (None for the whole guide)
    content: Content  # the whole guide: content.today dates the files
    font: CJKFont | None = None  # the embedded Chinese font, for formats that set type themselves
    trainer: bool = False  # the trainer's version (answers, teaching notes)
    site: SiteAddress | None = None  # where the guide is published: QR codes, the closing slide
    engine: PdfEngine | None = None  # what sets PDFs in type (None: WeasyPrint)

    def paper(self) -> list[str]:
        """What every printed page of it says about itself: guide name, edition and, with a
        `site_url`, the address of its web page (the site's, for the whole guide)."""
        from ..pages.paper import paper_lines

        site = self.site
        address = None
        if site is not None and site.url:
            address = site.page(self.path + ".md") if self.record is not None else site.url
        return paper_lines(site, self.content.edition, address)


@dataclass(frozen=True)
class Format:
    name: str  # the registry key and the plugin switch in mkdocs.yml (`pdf: false`)
    label: str  # shown in download links: "PDF", "Word"
    suffix: str  # appended to the scope's base path: ".pdf" beside a handout, "-slides.pptx", ...
    builder: str  # "module:function" under pilotguide.courses, imported when a file is made (lazy:
    # WeasyPrint, python-docx and python-pptx cost most of a second to import; --help and check need none)
    needs_font: bool = False  # find the free CJK font before any work (a clear error if missing)
    default: bool = True  # whether the plugin switch is on when mkdocs.yml does not say
    description: str = ""  # what the plugin switch does, in Chinese, for docs and help
    scope: str = "handout"  # one of SCOPES: what one file is made from
    switch: str = ""  # the plugin switch that turns it on and off; empty: `name`
    settings: tuple = ()  # (keyword, value) the builder is called with, from plugin options: part of a file's key
    kind: str = ""  # the file kind's switch that must be on too (`pdf` for guide.pdf); empty: none

    @property
    def needs_pdf(self) -> bool:
        """Whether a PDF engine makes this file (engines.py)."""
        return self.suffix.endswith(".pdf")

    @property
    def option(self) -> str:
        return self.switch or self.name

    def build(self, handout: Handout) -> bytes:
        module, _, function = self.builder.partition(":")
        return getattr(import_module(f"{__package__}.{module}"), function)(handout, **dict(self.settings))


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("pdf", "PDF", ".pdf", "pdf:build", needs_font=True,
           description="课程讲义的 PDF（A4，可直接打印；需要 WeasyPrint 和中文字体）"),
    Format("docx", "Word", ".docx", "word:build", description="课程讲义的 Word 文件（可在 Word、WPS 中编辑）"),
    Format("slides", "幻灯片", "-slides.pptx", "slides:build", scope="course",
           description="每门课程的幻灯片（PPTX，可在 PowerPoint、WPS 演示中修改、套用本单位模板）"),
    # Off unless mkdocs.yml says `book: true` (the shipped guide does): a big guide's book costs
    # build time, and docs/ pages that link guide.pdf must exist only where it is made.
    Format("book-pdf", "PDF", ".pdf", "book:build_pdf", needs_font=True, scope="guide", switch="book", default=False,
           kind="pdf", description="整本指南的读本：站点根目录下的 guide.pdf 和 guide.docx（含目录和页码）；"
           "关掉 pdf 开关时只生成 guide.docx"),
    Format("book-docx", "Word", ".docx", "book:build_docx", scope="guide", switch="book", default=False,
           kind="docx"),
)}


def switches() -> dict[str, Format]:
    """One plugin switch per option name (the first row that uses it describes it)."""
    out: dict[str, Format] = {}
    for f in FORMATS.values():
        out.setdefault(f.option, f)
    return out


def selected(names) -> tuple[Format, ...]:
    """The formats whose switch (or name) is in `names`, in registry order."""
    wanted = set(names)
    return tuple(f for f in FORMATS.values() if f.option in wanted or f.name in wanted)


# Plugin options that set how a format is made (not whether): option -> (format, builder keyword,
# default). `slides_aspect: "4:3"` makes 4:3 slides for an old projector; 16:9 otherwise.
SETTINGS = {"slides_aspect": ("slides", "aspect", "16:9")}
ASPECTS = ("16:9", "4:3")


def configured(formats, options) -> tuple[Format, ...]:
    """`formats` with the builder settings the plugin `options` ask for (others as they are)."""
    out = []
    for f in formats:
        for option, (name, keyword, default) in SETTINGS.items():
            value = options.get(option, default) or default
            if f.name == name and value != default:
                f = replace(f, settings=((keyword, value),))
        out.append(f)
    return tuple(out)


def of_scope(formats, scope: str) -> tuple[Format, ...]:
    return tuple(f for f in formats if f.scope == scope)

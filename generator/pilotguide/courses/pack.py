"""Course downloads: each course's handout and trainer's version as PDF and DOCX.

The handout pages that render.py makes (`courses/<id>-handout.md`, `-trainer.md`) are the single
source: their Markdown becomes one cleaned HTML tree, which pdf.py sets in type and word.py turns
into a Word document. So the web page, the PDF and the DOCX always say the same thing.

`course_files` is pure apart from reading fonts: it returns {site path: bytes}; the MkDocs plugin
adds them to the site as generated files (so links to them are checked like any page), and
`pilotguide generate` writes them to disk.
"""

from __future__ import annotations

import base64
import re
from dataclasses import replace
import xml.etree.ElementTree as ET
from importlib.resources import files

import markdown
import tinyhtml5

from ..content.model import Content
from ..pages import qr
from ..pages.paths import SiteAddress, handout_paths
from ..pages.render import MARKDOWN_EXTENSIONS
from ..pages.templates import Templates
from .engines import PdfEngine
from .fonts import cjk_font
from .cache import DownloadCache, download_key, font_identity
from .formats import FORMATS, Format, Handout, of_scope

SITE_CSS = "assets/pilotguide/course-print.css"  # print rules for handout pages in the browser
# Elements that could fetch something, run something or restyle the page: never in a handout file.
UNSAFE = {"script", "style", "link", "meta", "img", "iframe", "object", "embed", "svg", "video",
          "audio", "source", "form", "button", "textarea", "select", "base", "template", "math"}
URL = re.compile(r"https?://\S+")
# The book prints each case in full up to this many cases; beyond, one register row per case (the
# plugin's `book_full_cases`): at 1,000 cases the full book was 1,326 pages and minutes of layout.
BOOK_FULL_CASES = 50
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


def course_files(content: Content, pages: dict[str, str], formats: tuple[Format, ...] = tuple(FORMATS.values()),
                 cache: DownloadCache | None = None, templates: Templates | None = None,
                 site: SiteAddress | None = None,
                 book_full_cases: int = BOOK_FULL_CASES, engine: PdfEngine | None = None) -> dict[str, bytes]:
    """{site path: bytes} of every download in `formats`, plus the handouts' print CSS: per handout
    page (PDF, DOCX), per course (slides) and for the whole guide (the book, from `book.md.j2`
    rendered with `templates`). `site` (where the guide is published) puts QR codes on paper.

    Each file is looked up in `cache` under the key of what it is made from (cache.py) and made
    only when missing.
    Raises PackError (what to install) when a PDF cannot be made with a Chinese font, ContentError
    for a broken book template."""
    out = _print_css(content)
    font = cjk_font() if any(f.needs_font for f in formats) else None  # fail before any work
    cache = cache if cache is not None else DownloadCache()
    wanted = [(handout.path + fmt.suffix, fmt, handout, _key(cache.tool, fmt, handout))
              for scope, handout in _sources(content, pages, formats, templates, font, site, book_full_cases, engine)
              for fmt in of_scope(formats, scope)]
    found = {path: cache.get(key) for path, _, _, key in wanted}
    missing = [item for item in wanted if found[item[0]] is None]
    for path, key, data in _make_all(missing):
        cache.put(key, data)
        found[path] = data
    out.update(found)
    return out


class LazyDownloads:
    """A preview's downloads: every path at once (so MkDocs checks links to them), each file made
    only when a browser asks for it (the preview serves it from memory), never on a save's path."""

    def __init__(self, content: Content, pages: dict[str, str], formats: tuple[Format, ...], cache: DownloadCache,
                 templates: Templates | None = None, site: SiteAddress | None = None,
                 book_full_cases: int = BOOK_FULL_CASES, engine: PdfEngine | None = None) -> None:
        self.content, self.pages, self.formats, self.cache = content, pages, formats, cache
        self.engine = engine
        self.templates, self.site, self.full_cases = templates, site, book_full_cases
        self.css = _print_css(content)
        self.paths = [*self.css, *download_paths(content, formats)]

    def get(self, path: str) -> bytes | None:
        """The file at `path` (made now if the cache does not hold it), or None for any other path."""
        if path in self.css:
            return self.css[path]
        if path not in self.paths:
            return None
        font = cjk_font() if any(f.needs_font for f in self.formats) else None
        for scope, handout in _sources(self.content, self.pages, self.formats, self.templates, font, self.site,
                                       self.full_cases, self.engine, book=path.startswith("guide.")):
            for fmt in of_scope(self.formats, scope):
                if handout.path + fmt.suffix == path:
                    key = _key(self.cache.tool, fmt, handout)
                    return self.cache.get_or_make(key, lambda: _make_all([(path, fmt, handout, key)])[0][2])
        return None


def download_paths(content: Content, formats: tuple[Format, ...]) -> list[str]:
    """The site paths of the downloads `formats` make for `content`, without making any."""
    out = []
    for record in content.all("course"):
        for role, base in handout_paths(record).items():
            out += [base + f.suffix for f in of_scope(formats, "handout")]
            if role == "trainer":
                out += [f"courses/{record.id}" + f.suffix for f in of_scope(formats, "course")]
    return out + ["guide" + f.suffix for f in of_scope(formats, "guide")]


def _print_css(content: Content) -> dict[str, bytes]:
    if not content.all("course"):
        return {}
    return {SITE_CSS: (files("pilotguide") / "assets" / "course-print.css").read_bytes()}


def _sources(content, pages, formats, templates, font, site, full_cases: int = BOOK_FULL_CASES,
             engine: PdfEngine | None = None, book: bool = True):
    """(scope, Handout) of every document the downloads in `formats` are made from; `engine` sets
    their PDFs in type (engines.plan; None: WeasyPrint)."""
    courses = content.all("course")
    if courses and (of_scope(formats, "handout") or of_scope(formats, "course")):
        for scope, handout in _course_sources(courses, content, pages, font, site):
            yield scope, replace(handout, engine=engine)
    if book and of_scope(formats, "guide"):
        scope, handout = _book_source(content, templates, font, site, full_cases)
        yield scope, replace(handout, engine=engine)


def _key(tool: str, fmt: Format, handout: Handout) -> str:
    font = font_identity(handout.font) if fmt.needs_font else ""
    engine = f"{handout.engine.name}" if fmt.needs_pdf and handout.engine is not None else ""
    return download_key(tool, f"{fmt.name}{fmt.settings!r}{engine}", handout.source, font, handout.content.today,
                        handout.site)


def _make_all(missing) -> list[tuple[str, str, bytes]]:
    """Make each missing file; a source's HTML tree is made once, and only when a file needs it."""
    trees: dict[str, Handout] = {}
    out = []
    for path, fmt, handout, key in missing:
        ready = trees.get(handout.source)
        if ready is None:
            tree = handout_tree(handout.source)
            ready = trees[handout.source] = replace(handout, tree=tree, title=_title(tree) or handout.title)
        out.append((path, key, fmt.build(replace(ready, path=handout.path, trainer=handout.trainer))))
    return out


def _course_sources(courses: list, content: Content, pages: dict[str, str], font, site):
    """(scope, Handout) of each course's handout pages, and of the course itself (its slides).
    Their trees are made only for a file that is not in the cache (_make_all)."""
    for record in courses:
        for role, base in handout_paths(record).items():
            handout = Handout(base, pages[base + ".md"], None, record.title, record, content, font,
                              trainer=role == "trainer", site=site)
            yield "handout", handout
            if role == "trainer":  # the slides come from the trainer's page: notes and answers included
                yield "course", replace(handout, path=f"courses/{record.id}")


def _book_source(content: Content, templates: Templates | None, font, site,
                 full_cases: int = BOOK_FULL_CASES) -> tuple[str, Handout]:
    source = (templates or Templates()).render("book.md.j2", page="guide.md", content=content,
                                               lookup=lambda kind, ids: [content.get(kind, i) for i in ids],
                                               site=site, full_cases=full_cases, case_page=_case_page(site))
    return "guide", Handout("guide", source, None, "", None, content, font, site=site)


def _case_page(site: SiteAddress | None):
    """The book's register: a case's web page as its file name under `case-studies/`."""
    directory_urls = site is not None and site.directory_urls
    return lambda record: f"{record.id}/" if directory_urls else f"{record.id}.html"


def handout_tree(source: str) -> ET.Element:
    """The cleaned HTML tree (<html lang="zh-CN">) of a handout page's Markdown."""
    text = FRONT_MATTER.sub("", source, count=1)
    body = markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")
    page = f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>{body}</body></html>'
    root = tinyhtml5.parse(page, namespace_html_elements=False)
    _clean(root)
    _qr_images(root)
    _unbroken_urls(root)
    head = root.find("head")
    title = ET.SubElement(head, "title")
    title.text = _title(root)
    return root


def _clean(element: ET.Element) -> None:
    """Drop unsafe elements, unlink links to other pages (a PDF or DOCX cannot follow the site's
    relative links) and turn checklist boxes into a printable □."""
    for child in list(element):
        if child.tag in UNSAFE or not isinstance(child.tag, str):
            _remove(element, child)
            continue
        if child.tag == "a":
            # Links to the site cannot be followed from paper; links inside the document (the
            # book's cross-references, `#step-<id>`) become page references and internal links.
            keep = {k: v for k, v in child.attrib.items() if k == "class" or (k == "href" and v.startswith("#"))}
            child.attrib.clear()
            if "href" in keep:
                child.attrib.update(keep)
        elif child.tag == "input":
            tail = child.tail
            child.clear()
            child.tag, child.text, child.tail = "span", "□", tail
            child.set("class", "checkbox")
        _clean(child)


def _qr_images(root: ET.Element) -> None:
    """Put the QR code image back into each `p.pg-qr` (templates print one beside each session
    when the guide has a site_url): a PNG made here from the address printed in the paragraph,
    inside the file, so the PDF and the DOCX need nothing from outside."""
    for paragraph in root.iter("p"):
        if "pg-qr" not in paragraph.get("class", "").split():
            continue
        found = URL.search("".join(paragraph.itertext()))
        if found:
            data = base64.b64encode(qr.png(found.group(0))).decode("ascii")
            image = ET.Element("img", {"class": "pg-qr-code", "alt": "二维码", "src": f"data:image/png;base64,{data}"})
            text = ET.Element("span")  # one flex item beside the image (handout-pdf.css), however it wraps
            text.text, paragraph.text = paragraph.text, None
            text.extend(list(paragraph))
            for child in list(paragraph):
                paragraph.remove(child)
            paragraph.extend([image, text])


def _unbroken_urls(root: ET.Element) -> None:
    """Wrap each printed web address in `span.pg-url`, one unbreakable `span` per part after a
    `/`: a line may break only after a slash, never at a hyphen (pdftotext would then drop the
    hyphen and give a wrong address); handout-pdf.css keeps each part on one line."""
    for element in list(root.iter()):
        if element.tag in ("head", "title", "style", "script") or not isinstance(element.tag, str):
            continue
        if element.text and URL.search(element.text):
            nodes, element.text = _url_nodes(element.text)
            for i, node in enumerate(nodes):
                element.insert(i, node)
        for child in list(element):
            if child.tail and URL.search(child.tail) and child.get("class") != "pg-url":
                nodes, child.tail = _url_nodes(child.tail)
                index = list(element).index(child) + 1
                for i, node in enumerate(nodes):
                    element.insert(index + i, node)


def _url_nodes(text: str) -> tuple[list[ET.Element], str]:
    """(spans, leading text) for `text`: each address in it as a span.pg-url, the text between
    them as the spans' tails."""
    parts = URL.split(text)
    urls = URL.findall(text)
    nodes = []
    for url, after in zip(urls, parts[1:]):
        span = ET.Element("span", {"class": "pg-url"})
        for n, piece in enumerate(p for p in re.split(r"(?<=/)(?!/)", url) if p):
            if n:
                ET.SubElement(span, "wbr")  # the one place a line may break: after a slash
            ET.SubElement(span, "span").text = piece
        span.tail = after
        nodes.append(span)
    return nodes, parts[0]


def _remove(parent: ET.Element, child: ET.Element) -> None:
    """Remove `child` but keep the text that follows it."""
    if child.tail:
        index = list(parent).index(child)
        if index:
            previous = parent[index - 1]
            previous.tail = (previous.tail or "") + child.tail
        else:
            parent.text = (parent.text or "") + child.tail
    parent.remove(child)


def _title(root: ET.Element) -> str:
    """A document's title: the book's cover title (the guide's name), else its first heading."""
    cover = next((p for p in root.iter("p") if "pg-book-title" in p.get("class", "").split()), None)
    h1 = cover if cover is not None else root.find(".//h1")
    return "".join(h1.itertext()).strip() if h1 is not None else ""

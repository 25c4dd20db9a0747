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
import hashlib
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
from ..parallel import fork_map
from .fonts import cjk_font
from .formats import FORMATS, Format, Handout, of_scope

SITE_CSS = "assets/pilotguide/course-print.css"  # print rules for handout pages in the browser
# Elements that could fetch something, run something or restyle the page: never in a handout file.
UNSAFE = {"script", "style", "link", "meta", "img", "iframe", "object", "embed", "svg", "video",
          "audio", "source", "form", "button", "textarea", "select", "base", "template", "math"}
URL = re.compile(r"https?://\S+")
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


class DownloadCache:
    """Made files keyed by a hash of everything they are made from (format, page Markdown, font,
    date). Owned by whoever rebuilds often (the MkDocs plugin under `pilotguide serve`), so a save
    that leaves a course alone does not set its PDFs again."""

    def __init__(self, limit: int = 64) -> None:
        self.limit = limit
        self._files: dict[str, bytes] = {}

    def get_or_make(self, key: tuple, make) -> bytes:
        digest = hashlib.sha256(repr(key).encode("utf-8")).hexdigest()
        if digest not in self._files:
            if len(self._files) >= self.limit:
                self._files.clear()
            self._files[digest] = make()
        return self._files[digest]


def course_files(content: Content, pages: dict[str, str], formats: tuple[Format, ...] = tuple(FORMATS.values()),
                 cache: DownloadCache | None = None, templates: Templates | None = None,
                 site: SiteAddress | None = None, jobs: int = 1) -> dict[str, bytes]:
    """{site path: bytes} of every download in `formats`, plus the handouts' print CSS: per handout
    page (PDF, DOCX), per course (slides) and for the whole guide (the book, from `book.md.j2`
    rendered with `templates`). `site` (where the guide is published) puts QR codes on paper.

    `jobs` > 1 makes the documents of different courses in that many processes (parallel.py;
    files made there do not go into `cache`, which a preview, always one process, keeps).
    Raises PackError (what to install) when a PDF cannot be made with a Chinese font, ContentError
    for a broken book template."""
    courses = content.all("course")
    out = {SITE_CSS: (files("pilotguide") / "assets" / "course-print.css").read_bytes()} if courses else {}
    font = cjk_font() if any(f.needs_font for f in formats) else None  # fail before any work
    if courses and (of_scope(formats, "handout") or of_scope(formats, "course")):
        jobs = max(1, min(jobs, len(courses)))
        chunks = [courses[i::jobs] for i in range(jobs)]
        make = lambda chunk: _documents(_course_sources(chunk, content, pages, font, site), formats, cache)  # noqa: E731
        for done in fork_map(make, chunks):
            out.update(done)
    if of_scope(formats, "guide"):
        out.update(_documents([_book_source(content, templates, font, site)], formats, cache))
    return out


def _documents(sources, formats: tuple[Format, ...], cache: DownloadCache | None) -> dict[str, bytes]:
    """The files of `formats` made from each (scope, Handout) in `sources` that is of their scope."""
    out: dict[str, bytes] = {}
    for scope, handout in sources:
        for fmt in of_scope(formats, scope):
            key = (fmt.name, fmt.settings, handout.source, repr(handout.font) if fmt.needs_font else None,
                   handout.content.today, handout.site)
            out[handout.path + fmt.suffix] = _make(cache, key, lambda fmt=fmt, h=handout: fmt.build(h))
    return out


def _course_sources(courses: list, content: Content, pages: dict[str, str], font, site):
    """(scope, Handout) of each course's handout pages, and of the course itself (its slides)."""
    for record in courses:
        for role, base in handout_paths(record).items():
            source = pages[base + ".md"]
            tree = handout_tree(source)
            handout = Handout(base, source, tree, _title(tree) or record.title, record, content, font,
                              trainer=role == "trainer", site=site)
            yield "handout", handout
            if role == "trainer":  # the slides come from the trainer's page: notes and answers included
                yield "course", replace(handout, path=f"courses/{record.id}")


def _book_source(content: Content, templates: Templates | None, font, site) -> tuple[str, Handout]:
    source = (templates or Templates()).render("book.md.j2", page="guide.md", content=content,
                                               lookup=lambda kind, ids: [content.get(kind, i) for i in ids],
                                               site=site)
    tree = handout_tree(source)
    return "guide", Handout("guide", source, tree, _title(tree), None, content, font, site=site)


def _make(cache: DownloadCache | None, key: tuple, make) -> bytes:
    return make() if cache is None else cache.get_or_make(key, make)


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

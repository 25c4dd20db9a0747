"""Course downloads: each course's handout and trainer's version as PDF and DOCX.

The handout pages that render.py makes (`courses/<id>-handout.md`, `-trainer.md`) are the single
source: their Markdown becomes one cleaned HTML tree, which pdf.py sets in type and word.py turns
into a Word document. So the web page, the PDF and the DOCX always say the same thing.

`course_files` is pure apart from reading fonts: it returns {site path: bytes}; the MkDocs plugin
adds them to the site as generated files (so links to them are checked like any page), and
`pilotguide generate` writes them to disk.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from importlib.resources import files

import markdown
import tinyhtml5

from ..content.model import Content
from ..pages.parallel import fork_map
from ..pages.paths import handout_paths
from ..pages.render import MARKDOWN_EXTENSIONS
from .fonts import cjk_font
from .formats import FORMATS, Format, Handout

SITE_CSS = "assets/pilotguide/course-print.css"  # print rules for handout pages in the browser
# Elements that could fetch something, run something or restyle the page: never in a handout file.
UNSAFE = {"script", "style", "link", "meta", "img", "iframe", "object", "embed", "svg", "video",
          "audio", "source", "form", "button", "textarea", "select", "base", "template", "math"}
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
                 cache: DownloadCache | None = None, jobs: int = 1) -> dict[str, bytes]:
    """{site path: bytes} of every course download in `formats`, plus the handouts' print CSS.

    `jobs` > 1 makes the documents of different courses in that many processes (pages/parallel.py;
    files made there do not go into `cache`, which a preview, always one process, keeps).
    Raises PackError (what to install) when a PDF cannot be made with a Chinese font."""
    courses = content.all("course")
    if not courses:
        return {}
    out = {SITE_CSS: (files("pilotguide") / "assets" / "course-print.css").read_bytes()}
    font = cjk_font() if any(f.needs_font for f in formats) else None  # fail before any work
    jobs = max(1, min(jobs, len(courses)))
    chunks = [courses[i::jobs] for i in range(jobs)]
    for done in fork_map(lambda chunk: _documents(chunk, content, pages, formats, font, cache), chunks):
        out.update(done)
    return out


def _documents(courses: list, content: Content, pages: dict[str, str], formats: tuple[Format, ...], font,
               cache: DownloadCache | None) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for record in courses:
        for role, base in handout_paths(record).items():
            source = pages[base + ".md"]
            tree = handout_tree(source)
            handout = Handout(base, source, tree, _title(tree) or record.title, record, content, font,
                              trainer=role == "trainer")
            for fmt in formats:
                key = (fmt.name, source, repr(font) if fmt.needs_font else None, content.today)
                out[base + fmt.suffix] = _make(cache, key, lambda fmt=fmt: fmt.build(handout))
    return out


def _make(cache: DownloadCache | None, key: tuple, make) -> bytes:
    return make() if cache is None else cache.get_or_make(key, make)


def handout_tree(source: str) -> ET.Element:
    """The cleaned HTML tree (<html lang="zh-CN">) of a handout page's Markdown."""
    text = FRONT_MATTER.sub("", source, count=1)
    body = markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")
    page = f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>{body}</body></html>'
    root = tinyhtml5.parse(page, namespace_html_elements=False)
    _clean(root)
    head = root.find("head")
    title = ET.SubElement(head, "title")
    title.text = _title(root)
    return root


def _clean(element: ET.Element) -> None:
    """Drop unsafe elements, unlink links (a PDF or DOCX cannot follow the site's relative
    links) and turn checklist boxes into a printable □."""
    for child in list(element):
        if child.tag in UNSAFE or not isinstance(child.tag, str):
            _remove(element, child)
            continue
        if child.tag == "a":
            child.attrib.clear()
        elif child.tag == "input":
            tail = child.tail
            child.clear()
            child.tag, child.text, child.tail = "span", "□", tail
            child.set("class", "checkbox")
        _clean(child)


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
    h1 = root.find(".//h1")
    return "".join(h1.itertext()).strip() if h1 is not None else ""

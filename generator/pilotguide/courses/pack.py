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
from ..pages.render import DOWNLOAD_FORMATS, handout_paths
from .fonts import cjk_font
from .pdf import pdf_bytes
from .word import docx_bytes

SITE_CSS = "assets/pilotguide/course-print.css"  # print rules for handout pages in the browser
# What the handout Markdown uses (the MkDocs plugin makes sure the site has the same extensions).
MARKDOWN_EXTENSIONS = ["tables", "attr_list", "admonition", "pymdownx.tasklist"]
# Elements that could fetch something, run something or restyle the page: never in a handout file.
UNSAFE = {"script", "style", "link", "meta", "img", "iframe", "object", "embed", "svg", "video",
          "audio", "source", "form", "button", "textarea", "select", "base", "template", "math"}
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)

_cache: dict[str, bytes] = {}  # sha256 of the inputs -> file; `mkdocs serve` rebuilds often


def course_files(content: Content, pages: dict[str, str],
                 formats: tuple[str, ...] = DOWNLOAD_FORMATS, jobs: int = 1) -> dict[str, bytes]:
    """{site path: bytes} of every course download, plus the handouts' print CSS.

    `jobs` > 1 makes the documents of different courses in that many processes (pages/parallel.py).
    Raises PackError (what to install) when a PDF cannot be made with a Chinese font."""
    courses = content.all("course")
    if not courses:
        return {}
    out = {SITE_CSS: (files("pilotguide") / "assets" / "course-print.css").read_bytes()}
    font = cjk_font() if "pdf" in formats else None  # fail before any work when fonts are missing
    jobs = max(1, min(jobs, len(courses)))
    for done in fork_map(lambda chunk: _documents(chunk, pages, formats, font), [courses[i::jobs] for i in range(jobs)]):
        out.update(done)
    return out


def _documents(courses: list, pages: dict[str, str], formats: tuple[str, ...], font) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for record in courses:
        for base in handout_paths(record).values():
            source = pages[base + ".md"]
            tree = handout_tree(source)
            title = _title(tree) or record.title
            if "pdf" in formats:
                out[base + ".pdf"] = _cached(("pdf", source, repr(font)),
                                             lambda: pdf_bytes(ET.tostring(tree, "unicode", method="html"), font))
            if "docx" in formats:
                out[base + ".docx"] = _cached(("docx", source), lambda: docx_bytes(tree, title))
    return out


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


def _cached(key: tuple, make) -> bytes:
    digest = hashlib.sha256(repr(key).encode("utf-8")).hexdigest()
    if digest not in _cache:
        if len(_cache) > 64:
            _cache.clear()
        _cache[digest] = make()
    return _cache[digest]

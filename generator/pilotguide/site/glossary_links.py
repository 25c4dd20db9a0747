"""Glossary tooltips: the first time a glossary term (or an alias) appears on a page, it becomes a
link to its glossary entry whose title is the definition.

Readers see the definition on hover (Material's `content.tooltips` shows the title as a tooltip)
and reach the entry with a tap. Python-Markdown's `abbr` extension is not used: it only matches
whole words (`\\b`), and Chinese has no spaces, so 社区社会组织 inside 培育城乡社区社会组织 would
never match. Only the first occurrence is linked, so running text stays readable.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from ..pages.paths import relative

GLOSSARY_PAGE = "glossary.md"
SKIP_TAGS = {"a", "abbr", "code", "pre", "kbd", "script", "style", "h1", "h2", "h3", "h4", "h5", "h6"}
SKIP_CLASSES = {"pg-provenance"}  # a record's 出处 line names a guide: its words are no glossary terms
TITLE_LIMIT = 140


@dataclass(frozen=True)
class Term:
    text: str  # the words as they appear in running text
    id: str  # glossary entry (anchor on the glossary page)
    title: str  # what the tooltip shows


def plain(markdown_text: str) -> str:
    """Definition text without Markdown markup, on one line, short enough for a tooltip."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", str(markdown_text))
    text = re.sub(r"[*_`>#]", "", text)
    text = " ".join(text.split())
    return text if len(text) <= TITLE_LIMIT else text[:TITLE_LIMIT] + "…"


def glossary_terms(content) -> list[Term]:
    """Every glossary term and alias (two characters or more: single ones match everywhere)."""
    terms = []
    for record in content.all("glossary"):
        title = f"{record.data['term']}：{plain(record.data['definition'])}"
        for text in [record.data["term"], *(record.data.get("aliases") or [])]:
            if len(str(text)) >= 2:
                terms.append(Term(str(text), record.id, title))
    return terms


class TermLinker(Treeprocessor):
    def __init__(self, md: Markdown, extension: GlossaryTermsExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        page = self.extension.page
        if page is None or page == GLOSSARY_PAGE or not self.extension.by_text:
            return
        self.href = lambda id_: relative(f"{GLOSSARY_PAGE}#{id_}", page)
        self.done: set[str] = set()
        self._walk(root)

    def _pieces(self, text: str) -> list:
        """Text split into strings and <a> elements for terms not linked yet on this page."""
        pieces: list = []
        start = 0
        for match in self.extension.pattern.finditer(text):
            term = self.extension.by_text[match.group(0)]
            if term.id in self.done:
                continue
            self.done.add(term.id)
            pieces.append(text[start:match.start()])
            link = etree.Element("a", {"class": "pg-term", "href": self.href(term.id), "title": term.title})
            link.text = AtomicString(match.group(0))
            pieces.append(link)
            start = match.end()
        pieces.append(text[start:])
        return pieces

    def _insert(self, parent: etree.Element, index: int, pieces: list) -> int:
        """Put the <a> pieces into `parent` from `index`, each followed by its text as tail."""
        for i in range(1, len(pieces), 2):
            link = pieces[i]
            link.tail = pieces[i + 1]
            parent.insert(index, link)
            index += 1
        return index

    def _walk(self, element: etree.Element) -> None:
        if element.text and not isinstance(element.text, AtomicString):
            pieces = self._pieces(element.text)
            element.text = pieces[0]
            self._insert(element, 0, pieces)
        index = 0
        while index < len(element):
            child = element[index]
            index += 1
            if isinstance(child.tag, str) and child.tag not in SKIP_TAGS \
                    and not SKIP_CLASSES & set((child.get("class") or "").split()):
                self._walk(child)
            if child.tail and not isinstance(child.tail, AtomicString):
                pieces = self._pieces(child.tail)
                child.tail = pieces[0]
                index = self._insert(element, index, pieces)


class GlossaryTermsExtension(Extension):
    """Registered by the MkDocs plugin, which sets `page` before each page is converted."""

    def __init__(self, terms: list[Term]):
        super().__init__()
        self.page: str | None = None
        self.by_text = {t.text: t for t in terms}
        words = sorted(self.by_text, key=len, reverse=True)  # longest first: 城乡社区社会组织 before 社区社会组织
        self.pattern = re.compile("|".join(re.escape(w) for w in words)) if words else re.compile(r"(?!x)x")

    def extendMarkdown(self, md: Markdown) -> None:
        # After inline patterns (so links and code exist) and before MkDocs' link rewriting (0),
        # which then turns glossary.md#id into the right URL and checks it.
        md.treeprocessors.register(TermLinker(md, self), "pilotguide-glossary-terms", 6)

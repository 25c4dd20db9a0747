"""Where each generated page lives, and links between pages (site-relative `.md` paths)."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import lru_cache

import jinja2

from ..content.model import Record
from .filters import cell

# kind -> (index page, record page pattern); a `#` pattern shows records on the index page itself
PAGES = {
    "policy": ("policies/index.md", "policies/{id}.md"),
    "step": ("steps/index.md", "steps/{id}.md"),
    "case-study": ("case-studies/index.md", "case-studies/{id}.md"),
    "glossary": ("glossary.md", "glossary.md#{id}"),
    "course": ("courses/index.md", "courses/{id}.md"),
}

PROGRESS_PAGE = "steps/progress.md"  # 我的进度: the ticks of every step's checklist (checklist.js)


@dataclass(frozen=True)
class SiteAddress:
    """Where the built guide is published: MkDocs' `site_name`, `site_url` (None when unset) and
    `use_directory_urls`. Paper (QR codes, the slides' closing slide) points readers back here."""

    name: str = ""
    url: str | None = None
    directory_urls: bool = False

    def page(self, md_path: str, anchor: str = "") -> str | None:
        """The full URL of a generated page (`steps/x.md`), or None without a `site_url`."""
        if not self.url:
            return None
        path = md_path[:-3] if md_path.endswith(".md") else md_path
        if self.directory_urls:
            path = "" if path == "index" else (path[:-len("index")] if path.endswith("/index") else path + "/")
        else:
            path += ".html"
        return self.url.rstrip("/") + "/" + path + (f"#{anchor}" if anchor else "")

    def file(self, path: str) -> str | None:
        """The full URL of a site file that is not a page (`guide.pdf`), or None."""
        return self.url.rstrip("/") + "/" + path if self.url else None


def handout_paths(record: Record) -> dict[str, str]:
    """Site paths of a course's handouts without extension: {"handout": ..., "trainer": ...}.

    `.md` is the page; `.pdf` and `.docx` the downloads made from it, with readable names."""
    return {"handout": f"courses/{record.id}-handout", "trainer": f"courses/{record.id}-trainer"}


def page_of(record: Record) -> str:
    """Where a record is shown: its own page, or an anchor on its kind's page."""
    return PAGES[record.kind][1].format(id=record.id)


def relative(target: str, page: str) -> str:
    """Link from `page` to `target` (both site-relative .md paths, target may carry #anchor)."""
    path, _, anchor = target.partition("#")
    rel = "" if path == page else _relpath(path, posixpath.dirname(page))
    return rel + (f"#{anchor}" if anchor else "")


@lru_cache(maxsize=65536)
def _relpath(path: str, start: str) -> str:
    # posixpath.relpath asks the OS for the working directory on every call; a guide makes tens of
    # thousands of links between a handful of folders, so the answers are worth keeping.
    return posixpath.relpath(path, start or ".")


@jinja2.pass_context
def link(context, record: Record, text: str | None = None) -> str:
    """A Markdown link to a record from the page being rendered."""
    href = relative(page_of(record), context["page"])
    label = cell(text if text is not None else record.title).replace("[", "\\[").replace("]", "\\]")
    return f"[{label}]({href})"


@jinja2.pass_context
def url(context, target: str) -> str:
    return relative(target, context["page"])

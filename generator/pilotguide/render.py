"""Render content to Markdown pages: a pure function from Content to {path: markdown}.

Templates are Jinja2 with StrictUndefined. A project overrides any packaged template by putting a
file of the same name in its own `templates/` folder. Content text is passed to templates as data
and never compiled as a template, so `{{ }}` written in a YAML field appears literally. The text
filters (`inline`, `block`, `cell`, `autolink`) also make it inert (sanitize.py): raw HTML cleaned,
unsafe links neutralised, so the Markdown is safe in any engine.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

import jinja2

from . import finding
from .errors import ContentError, Problem
from .model import Content, Record
from .sanitize import inert_markdown

TEMPLATES_DIR = "templates"

# kind -> (index page, record page pattern, template of a record page)
PAGES = {
    "policy": ("policies/index.md", "policies/{id}.md"),
    "step": ("steps/index.md", "steps/{id}.md"),
    "case-study": ("case-studies/index.md", "case-studies/{id}.md"),
    "glossary": ("glossary.md", "glossary.md#{id}"),
    "course": ("courses/index.md", "courses/{id}.md"),
}

# kind -> further pages of each record: (template, page pattern, extra context). A course has a
# print-ready handout and a trainer's version with answers (course.schema.json keeps course ids
# from ending in -handout or -trainer, so these never clash with another course's page).
RECORD_EXTRAS = {
    "course": (("course-handout.md.j2", "courses/{id}-handout.md", {"trainer": False}),
               ("course-handout.md.j2", "courses/{id}-trainer.md", {"trainer": True})),
}
DOWNLOAD_FORMATS = ("pdf", "docx")  # files made from each handout page (coursepack.py)
FORMAT_NAMES = {"pdf": "PDF", "docx": "Word"}


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
    if path == page:
        rel = ""
    else:
        rel = posixpath.relpath(path, posixpath.dirname(page) or ".")
    return rel + (f"#{anchor}" if anchor else "")


def cell(value: Any) -> str:
    """Text safe inside a Markdown table cell: no pipes or newlines break the row."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "、".join(str(v) for v in value)
    return " ".join(inert_markdown(str(value)).split()).replace("|", "\\|")


def inline(value: Any) -> str:
    """One line of text, for list items and headings."""
    return " ".join(inert_markdown(str(value)).split()) if value is not None else ""


def block(value: Any, indent: int = 0) -> str:
    """Multi-line Markdown, indented to sit inside a list item or admonition."""
    text = inert_markdown(str(value)).strip("\n") if value is not None else ""
    pad = " " * indent
    return "\n".join((pad + line) if line.strip() else "" for line in text.splitlines())


_NOT_IN_AUTOLINK = re.compile(r"[\x00-\x20<>\"'{}|\\^`\x7f]")


def autolink(value: Any) -> str:
    """A web address for an autolink `<...>`: characters that could end it are percent-encoded."""
    return _NOT_IN_AUTOLINK.sub(lambda m: f"%{ord(m.group(0)):02X}", str(value))


def place(location: dict | None) -> str:
    """A location from province down to village, as one Chinese place name."""
    if not location:
        return ""
    parts = ("province", "city", "district", "street", "community")
    return "".join(str(location[p]) for p in parts if location.get(p))


def squeeze(markdown: str) -> str:
    """Collapse the blank lines that optional sections leave behind (never inside code fences)."""
    out: list[str] = []
    fenced = False
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if not fenced and not line.strip() and (not out or not out[-1].strip()):
            continue
        out.append(line)
    return "\n".join(out).rstrip() + "\n"


def environment(project_templates: Path | None = None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if project_templates is not None and project_templates.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(project_templates)))
    loaders.append(jinja2.PackageLoader("pilotguide", TEMPLATES_DIR))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is Markdown; HTML is sanitised after Markdown renders
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(cell=cell, inline=inline, block=block, autolink=autolink, h=finding.h)
    return env


@jinja2.pass_context
def _link(context, record: Record, text: str | None = None) -> str:
    """A Markdown link to a record from the page being rendered."""
    href = relative(page_of(record), context["page"])
    label = cell(text if text is not None else record.title).replace("[", "\\[").replace("]", "\\]")
    return f"[{label}]({href})"


@jinja2.pass_context
def _url(context, target: str) -> str:
    return relative(target, context["page"])


def render_pages(content: Content, project_templates: Path | None = None,
                 downloads: tuple[str, ...] = DOWNLOAD_FORMATS) -> dict[str, str]:
    """Every generated page of the guide, as {site-relative path: Markdown}.

    `downloads`: the formats of course handouts the build also writes, which pages link to."""
    env = environment(project_templates)
    env.globals.update(link=_link, url=_url, content=content, place=place,
                       lookup=lambda kind, ids: [content.get(kind, i) for i in ids],
                       downloads=tuple(downloads), format_names=FORMAT_NAMES, handout_paths=handout_paths)
    env.globals.update(finding.template_globals(content))
    pages: dict[str, str] = {}

    def render(template: str, page: str, **context: Any) -> None:
        _check_page_path(page, context.get("record"))
        pages[page] = squeeze(env.get_template(template).render(page=page, **context))

    for kind, (index, pattern) in PAGES.items():
        records = content.all(kind)
        render(f"{kind}-index.md.j2", index.partition("#")[0], records=records)
        if "#" in pattern:
            continue  # records shown on the index page itself
        for i, record in enumerate(records):
            previous = records[i - 1] if i > 0 else None
            following = records[i + 1] if i + 1 < len(records) else None
            render(f"{kind}.md.j2", page_of(record), record=record, previous=previous, next=following)
            for template, pattern, extra in RECORD_EXTRAS.get(kind, ()):
                render(template, pattern.format(id=record.id), record=record, **extra)
    finding.render_finding_pages(content, render, pages)  # topics, statistics (with SVG files), changes
    return pages


def _check_page_path(page: str, record: Record | None) -> None:
    """A page path stays inside the output folder, whatever a (custom) id or template does.

    Ids are slugs by schema, so this never fires for valid content; it is the last line of defence
    before anything is written (by MkDocs or by `generate`)."""
    normal = posixpath.normpath(page)
    if normal == page and not page.startswith(("/", "../")) and page != ".." and "\\" not in page and ":" not in page:
        return
    where = (record.path, *record.doc.where(("id",))) if record is not None else ("(pilotguide)", 0, 0)
    raise ContentError([Problem(*where, f"页面路径 `{page}` 会写到输出目录之外，已拒绝。")])

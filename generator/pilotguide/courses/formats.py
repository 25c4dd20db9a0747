"""The download formats: one row each. The single list that the plugin's switches, the course
pages' download links, `pilotguide generate` and the CLI help read.

Adding a format is one module with a `build(handout) -> bytes` function and one row in FORMATS;
nothing else changes (see the README, "How it works").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable
from xml.etree.ElementTree import Element

from . import pdf, word

if TYPE_CHECKING:
    from ..content.model import Content, Record
    from .fonts import CJKFont


@dataclass(frozen=True)
class Handout:
    """One handout page (the participants' or the trainer's), ready for a format's builder."""

    path: str  # site path without suffix: courses/<id>-handout
    source: str  # the page's Markdown: the single source of every format
    tree: Element  # its cleaned HTML tree (<html lang="zh-CN">), see pack.handout_tree
    title: str
    record: Record  # the course
    content: Content  # the whole guide: content.today dates the files
    font: CJKFont | None = None  # the embedded Chinese font, for formats that set type themselves
    trainer: bool = False  # the trainer's version (answers, teaching notes)


@dataclass(frozen=True)
class Format:
    name: str  # the registry key and the plugin switch in mkdocs.yml (`pdf: false`)
    label: str  # shown in download links: "PDF", "Word"
    suffix: str  # of the file beside the handout page: ".pdf"
    build: Callable[[Handout], bytes]
    needs_font: bool = False  # find the free CJK font before any work (a clear error if missing)
    default: bool = True  # whether the plugin switch is on when mkdocs.yml does not say
    description: str = ""  # what the plugin switch does, in Chinese, for docs and help


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("pdf", "PDF", ".pdf", pdf.build, needs_font=True,
           description="课程讲义的 PDF（A4，可直接打印；需要 WeasyPrint 和中文字体）"),
    Format("docx", "Word", ".docx", word.build, description="课程讲义的 Word 文件（可在 Word、WPS 中编辑）"),
)}


def selected(names) -> tuple[Format, ...]:
    """The formats named in `names`, in registry order."""
    wanted = set(names)
    return tuple(f for f in FORMATS.values() if f.name in wanted)

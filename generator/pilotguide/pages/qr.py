"""QR codes that lead from paper back to the guide (segno: pure Python, no image library).

Made at build time, only for a guide with a `site_url`: a code is the page's full URL. Step pages
and handout pages show theirs in print only (pilotguide.css); the PDF and DOCX handouts, the
slides' closing slide and the book carry them as images.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import segno

from .paths import SiteAddress, handout_paths, page_of, relative


def svg(url: str, title: str = "本页二维码") -> str:
    """A standalone SVG of `url`'s QR code (black modules on white, 4-module quiet zone); text,
    like every other generated page and chart."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="svg", scale=4, border=4, title=title,
                                                  xmldecl=False, svgns=True, nl=True, encoding="utf-8")
    return out.getvalue().decode("utf-8")


def png(url: str, scale: int = 4) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def session_anchor(number: int) -> str:
    """The id of a handout's session heading (course-handout.md.j2 sets it)."""
    return f"session-{number}"


def code_paths(content, site: SiteAddress | None) -> dict[str, str]:
    """{site path of a QR SVG: the URL it holds} for every page that prints one."""
    if site is None or not site.url:
        return {}
    out = {}
    for step in content.all("step"):
        out[image_path(page_of(step))] = site.page(page_of(step))
    for course in content.all("course"):
        for base in handout_paths(course).values():
            for n in range(1, len(course.sessions) + 1):
                out[image_path(base + ".md", n)] = site.page(base + ".md", session_anchor(n))
    return out


def image_path(page: str, number: int | None = None) -> str:
    """Where the QR SVG of `page` (or of its session `number`) lives: beside the page."""
    base = page[:-3] if page.endswith(".md") else page
    return f"{base}-qr{'' if number is None else f'-{number}'}.svg"


def files(content, site: SiteAddress | None) -> dict[str, str]:
    return {path: svg(url) for path, url in code_paths(content, site).items()}


@dataclass(frozen=True)
class Code:
    image: str  # the SVG, relative to the page that shows it
    url: str  # what it holds: the page's full address


def code_for(site: SiteAddress | None):
    """The templates' `qr(page, number=None)`: the QR code of `page` (or of its session `number`),
    or None when the guide has no `site_url` (then pages print no code and no address)."""
    def qr(page: str, number: int | None = None) -> Code | None:
        url = site.page(page, session_anchor(number) if number else "") if site is not None else None
        if url is None:
            return None
        return Code(relative(image_path(page, number), page), url)
    return qr

"""The whole-guide book (guide.pdf, guide.docx) of one project, timed by phase, in a fresh process;
prints one JSON line. Run by benchmarks/__main__ (`--book-n`), or by hand:

    python -m benchmarks.book PROJECT [FULL_CASES]

FULL_CASES is the plugin's `book_full_cases` (default 50): above it, cases are a register.

Phases: load the content, render book.md.j2 to Markdown, Markdown to the cleaned HTML tree
(Python-Markdown + tinyhtml5), WeasyPrint's layout (`render`: boxes, pages, target-counter) and
its PDF writing (fonts subset and embedded), and the DOCX (python-docx).
"""

from __future__ import annotations

import json
import logging
import resource
import sys
import time
import xml.etree.ElementTree as ET
from importlib.resources import files
from pathlib import Path

from pilotguide.courses.pack import BOOK_FULL_CASES


def measure(root: Path, full_cases: int = BOOK_FULL_CASES) -> dict:
    from pilotguide.content.gather import load_content
    from pilotguide.courses import pdf, word
    from pilotguide.courses.fonts import cjk_font
    from pilotguide.courses.pack import _book_source, handout_tree
    from pilotguide.pages.paths import SiteAddress
    from pilotguide.pages.templates import Templates

    phases: dict[str, float] = {}  # wall seconds
    cpu: dict[str, float] = {}  # CPU seconds of this process (the machine may be shared)
    t, c = time.perf_counter(), time.process_time()

    def lap(name: str) -> None:
        nonlocal t, c
        now, now_cpu = time.perf_counter(), time.process_time()
        phases[name], cpu[name] = now - t, now_cpu - c
        t, c = now, now_cpu

    content = load_content(root)
    lap("load")
    site = SiteAddress("基准测试指南", None)
    source = _book_source(content, Templates(), None, site, full_cases)[1].source
    lap("template")
    tree = handout_tree(source)
    html = ET.tostring(tree, "unicode", method="html")
    lap("html_tree")
    weasyprint = pdf._weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    font, fonts = cjk_font(), FontConfiguration()
    extra = (files("pilotguide") / "assets" / "book-pdf.css").read_text(encoding="utf-8")
    css = weasyprint.CSS(string=pdf.stylesheet(font, extra), font_config=fonts)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    document = weasyprint.HTML(string=html, media_type="print").render(stylesheets=[css], font_config=fonts)
    lap("weasyprint_layout")
    data = document.write_pdf()
    lap("weasyprint_write")
    docx_data = word.docx_bytes(tree, "guide", content.today, internal_links=True)
    lap("docx")
    return {"cases": len(content.all("case-study")), "full_cases": full_cases,
            "pages": len(document.pages), "pdf_bytes": len(data),
            "docx_bytes": len(docx_data), "markdown_chars": len(source), "phases": phases, "cpu": cpu,
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else BOOK_FULL_CASES)))

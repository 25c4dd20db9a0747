"""What paper says about itself (pages/paper.py): the lines, and the print CSS that carries them."""

from __future__ import annotations

import re

from pilotguide.content.editions import Edition
from pilotguide.pages.paper import paper_lines, pdf_css, print_css
from pilotguide.pages.paths import SiteAddress
from pilotguide.site.engine import add_head_style

EDITION = Edition("2026-11-26", "28e1cf1c")


def test_lines_name_the_guide_the_edition_and_the_address_when_known():
    site = SiteAddress("培育指南", "http://intranet.example/guide/")
    assert paper_lines(site, EDITION, site.file("steps/a.html")) == [
        "培育指南 · 本版 2026-11-26 · 内容指纹 28e1cf1c", "http://intranet.example/guide/steps/a.html"]
    assert paper_lines(SiteAddress("培育指南"), EDITION, None) == ["培育指南 · 本版 2026-11-26 · 内容指纹 28e1cf1c"]
    assert paper_lines(None, None, None) == [] and print_css([]) == "" and pdf_css([]) == ""


def test_a_hostile_site_name_stays_inside_its_css_string():
    name = '指南"; } body { display: none } </style><script>alert(1)</script>'
    css = print_css(paper_lines(SiteAddress(name), EDITION))
    assert "</style>" not in css and "<script>" not in css and '"; }' not in css
    strings = re.findall(r'"((?:[^"\\]|\\.)*)"', css)
    decoded = re.sub(r"\\([0-9a-f]+) ", lambda m: chr(int(m.group(1), 16)), strings[0])
    assert decoded == f"{name} · 本版 2026-11-26 · 内容指纹 28e1cf1c"


def test_the_print_style_goes_at_the_end_of_the_head():
    html = "<html><head><title>x</title></head><body>正文</body></html>"
    out = add_head_style(html, "@media print { }")
    assert out.index("<style>@media print { }</style>") < out.index("</head>") < out.index("正文")
    assert add_head_style("<p>无头</p>", "a{}") == "<p>无头</p>" and add_head_style(html, "") == html

"""The take-aways inside a built site: links to the slides and the book, and QR codes that only
appear on paper (Chromium prints the page; zxing-cpp decodes the code from a poppler render)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from conftest import build_project, copy_shipped
from PIL import Image

COURSE = "guanchadian-fuzhi-tuiguang"
SITE_URL = "http://intranet.example/guide/"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site_with_url(tmp_path_factory) -> Path:
    root = copy_shipped(tmp_path_factory.mktemp("site-url"))
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "# site_url: http://server/guide/" in text
    config.write_text(text.replace("# site_url: http://server/guide/", f"site_url: {SITE_URL}"), encoding="utf-8")
    return build_project(root)


def codes_in(pdf: Path, folder: Path) -> list[str]:
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(folder / "p")], check=True, timeout=300)
    found = [r.text for png in sorted(folder.glob("p-*.png")) for r in zxingcpp.read_barcodes(Image.open(png))]
    for png in folder.glob("p-*.png"):
        png.unlink()
    return found


def test_the_site_links_the_book_and_the_slides(shipped_site):
    assert (shipped_site / "guide.pdf").read_bytes().startswith(b"%PDF")
    assert (shipped_site / "guide.docx").read_bytes().startswith(b"PK")
    for page in ("index.html", "publishing.html"):
        html = (shipped_site / page).read_text(encoding="utf-8")
        assert 'href="guide.pdf"' in html and 'href="guide.docx"' in html, page
    course = (shipped_site / "courses" / f"{COURSE}.html").read_text(encoding="utf-8")
    assert f'href="{COURSE}-slides.pptx"' in course
    assert (shipped_site / "courses" / f"{COURSE}-slides.pptx").read_bytes().startswith(b"PK")
    # No site_url in the shipped mkdocs.yml: no code and no address on any page.
    assert not list(shipped_site.rglob("*-qr*.svg"))
    assert "pg-qr" not in (shipped_site / "steps" / "zhengce-xianxing.html").read_text(encoding="utf-8")


@pytest.mark.browser
def test_a_step_page_shows_its_qr_code_on_paper_only(site_with_url, static_server, page, tmp_path):
    server = static_server(site_with_url)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(server.url + "steps/zhengce-xianxing.html")
    code = page.locator("p.pg-qr")
    assert code.count() == 1 and code.is_hidden()  # not on screen
    assert page.locator("p.pg-qr img").get_attribute("src") == "zhengce-xianxing-qr.svg"
    page.emulate_media(media="print")
    assert code.is_visible()
    pdf = tmp_path / "step.pdf"
    page.pdf(path=str(pdf), format="A4")
    url = SITE_URL + "steps/zhengce-xianxing.html"
    assert codes_in(pdf, tmp_path) == [url]
    # "打印检查清单" prints the title, the checklist and the code
    page.evaluate("document.body.classList.add('pg-print-checklist')")
    page.pdf(path=str(pdf), format="A4")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "检查清单" in text and "常见误区" not in text and len(text.split("\f")) == 2  # one page
    assert codes_in(pdf, tmp_path) == [url]
    outside = [r for r in requests if not r.startswith(server.url)]
    assert requests and not outside, outside


@pytest.mark.browser
def test_a_printed_handout_carries_a_code_per_session(site_with_url, static_server, page, tmp_path):
    server = static_server(site_with_url)
    page.goto(server.url + f"courses/{COURSE}-handout.html")
    page.emulate_media(media="print")
    pdf = tmp_path / "handout.pdf"
    page.pdf(path=str(pdf), format="A4")
    found = codes_in(pdf, tmp_path)
    sessions = len(re.findall(r'class="pg-session"', (site_with_url / "courses" / f"{COURSE}-handout.html")
                              .read_text(encoding="utf-8")))
    assert sessions >= 2
    assert found == [f"{SITE_URL}courses/{COURSE}-handout.html#session-{n}" for n in range(1, sessions + 1)]

"""The shipped guide built where WeasyPrint cannot load (Windows without Pango): everything but the
PDFs is made as usual, one Chinese warning says what and why, PDFs come from the browser when there
is one, no page links to a file that was not made, and `--strict` fails."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_shipped

pytestmark = pytest.mark.slow

NO_PANGO = Path(__file__).parent / "tools" / "no_pango"  # its sitecustomize makes `import weasyprint` fail
HAN = re.compile(r"[\u4e00-\u9fff]")


def build(root: Path, *args: str, browser: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(NO_PANGO)}
    if browser is not None:
        env["PILOTGUIDE_BROWSER"] = browser
    return subprocess.run([sys.executable, "-m", "pilotguide", "build", "--config", str(root / "mkdocs.yml"), *args],
                          capture_output=True, text=True, env=env, timeout=600, check=False)


def warnings(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if "警告" in line]


def course_files(site: Path, suffix: str) -> list[Path]:
    return sorted((site / "courses").glob(f"*{suffix}"))


def links_to_missing_files(site: Path) -> list[str]:
    """Links (href) of every page to a .pdf/.docx/.pptx that is not in the site."""
    missing = []
    for page in site.rglob("*.html"):
        for href in re.findall(r'href="([^"#?]+\.(?:pdf|docx|pptx))"', page.read_text(encoding="utf-8")):
            if "://" not in href and not (page.parent / href).resolve().is_file():
                missing.append(f"{page.relative_to(site)} -> {href}")
    return missing


def test_the_weasyprint_blocker_works():
    result = subprocess.run([sys.executable, "-c", "import weasyprint"], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(NO_PANGO)}, check=False)
    assert result.returncode == 1 and "OSError" in result.stderr


def test_without_pango_or_a_browser_everything_else_is_made(tmp_path):
    root = copy_shipped(tmp_path)
    result = build(root, browser="none")
    assert result.returncode == 0, result.stderr
    [warning] = warnings(result)
    assert warning.startswith("警告：没有生成课程讲义 PDF、整本指南 guide.pdf") and "Edge" in warning
    assert len(HAN.findall(warning)) > 100 and "Traceback" not in result.stderr
    site = root / "site"
    assert (site / "guide.docx").stat().st_size > 10_000 and not (site / "guide.pdf").exists()
    assert course_files(site, ".docx") and course_files(site, "-slides.pptx") and not course_files(site, ".pdf")
    assert links_to_missing_files(site) == []
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "整本指南 PDF（本版未生成）" in home and 'href="guide.docx"' in home

    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    strict = build(root, "--strict", browser="none")
    assert strict.returncode == 1 and len(warnings(strict)) >= 1 and "Traceback" not in strict.stderr
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before  # the site is left as it was

    # `pdf: false` (the warning's advice): no warning at all, guide.docx still made, --strict passes
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("book: true", "book: true\n      pdf: false"),
                      encoding="utf-8")
    quiet = build(root, "--strict", browser="none")
    assert quiet.returncode == 0, quiet.stderr
    assert warnings(quiet) == [] and (site / "guide.docx").is_file() and not (site / "guide.pdf").exists()


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's Chromium is not installed")
def test_without_pango_the_browser_makes_the_pdfs(tmp_path):
    root = copy_shipped(tmp_path)
    result = build(root)
    assert result.returncode == 0, result.stderr
    [warning] = warnings(result)
    assert "改用浏览器" in warning and "chromium" in warning and "见第 N 页" in warning
    site = root / "site"
    assert (site / "guide.docx").is_file() and course_files(site, ".docx") and course_files(site, "-slides.pptx")
    pdfs = [site / "guide.pdf", *course_files(site, ".pdf")]
    assert len(pdfs) >= 3 and links_to_missing_files(site) == []
    for pdf in pdfs:
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        assert pages >= 5 and "(A4)" in info, pdf
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        rows = fonts.splitlines()[2:]
        # Chromium embeds the CJK font's glyphs (as Type 3 fonts); every font is embedded, with a
        # Unicode map, so the Chinese text is printed with the font and can be searched and copied.
        assert rows and all(row.split()[-5] == "yes" and row.split()[-3] == "yes" for row in rows), fonts
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert len(HAN.findall(text)) > 500 and f"共{pages}页" in re.sub(r"\s", "", text)  # the page footer
    book = subprocess.run(["pdftotext", str(site / "guide.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "城乡社区社会组织培育指南" in book and "见第" not in book  # a plain reference, no page number

    assert build(root, "--strict").returncode == 1

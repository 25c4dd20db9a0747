"""PDF engines: what sets the PDF downloads in type on this machine.

1. WeasyPrint, when it loads (it needs the system's Pango library): the reference output, with
   page numbers in the book's contents, "见第 N 页" cross-references and running headers.
2. Otherwise a Chromium-family browser in headless print mode: Microsoft Edge (on every Windows
   10/11 PC), Chrome or Chromium. It prints the same HTML with the same print CSS, minus what
   Chromium's print engine lacks (BROWSER_CSS says it once more):
   - `target-counter()` and `leader()`: the book's contents list no page numbers, and a
     cross-reference ("见第 N 页") is a plain reference: the title without a page number;
   - `string-set` / `string()`: no running header with the handout's title or the book's part.
   The page numbers at the foot of each page ("第 N 页 / 共 M 页") and the A4 margins are kept.
3. Neither: PDFs are not made; the build says so once (`plan`) and makes everything else.

`PILOTGUIDE_BROWSER` names the browser to use (a path), or turns the fallback off (`none`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import PackError

BROWSER_ENV = "PILOTGUIDE_BROWSER"
# Names on PATH, best first (Edge first: it is the one a Windows office PC has).
BROWSER_NAMES = ("msedge", "microsoft-edge", "microsoft-edge-stable", "chromium", "chromium-browser",
                 "google-chrome", "google-chrome-stable", "chrome")
# Where Edge and Chrome install themselves on Windows (below these environment folders).
WINDOWS_PLACES = (
    ("ProgramFiles(x86)", r"Microsoft\Edge\Application\msedge.exe"),
    ("ProgramFiles", r"Microsoft\Edge\Application\msedge.exe"),
    ("ProgramFiles", r"Google\Chrome\Application\chrome.exe"),
    ("ProgramFiles(x86)", r"Google\Chrome\Application\chrome.exe"),
    ("LOCALAPPDATA", r"Google\Chrome\Application\chrome.exe"),
)
# What the browser's print engine cannot do, turned off explicitly rather than left to chance.
BROWSER_CSS = """
/* Chromium print: no target-counter()/leader() (contents without page numbers, cross-references
   without "见第 N 页"), no string() running headers. Backgrounds (table headings) printed. */
@page { @top-right { content: none; } }
#toc + ul a::after, a.pg-ref::after { content: none; }
html { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
"""
BROWSER_TIMEOUT = 300  # seconds for one document (the book of a big guide takes longest)

LOST_IN_BROWSER = "目录不带页码，文中“见第 N 页”只写标题，页眉不印讲义或章节名"
GET_PDF = ("要生成 PDF，可任选一种办法：安装 Microsoft Edge（Windows 10/11 一般已自带）或 Chrome 浏览器后重新生成；"
           "或者在 Debian/Ubuntu 电脑上生成（apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
           "libharfbuzz-subset0 fonts-noto-cjk）。不需要 PDF 时，在 mkdocs.yml 的 pilotguide 插件下写 "
           "`pdf: false`，就不再提示。")


@dataclass(frozen=True)
class PdfEngine:
    name: str  # "weasyprint" or "browser"
    browser: Path | None = None  # the browser's program, for "browser"

    @property
    def label(self) -> str:
        return "WeasyPrint" if self.browser is None else self.browser.stem


def weasyprint_problem() -> str | None:
    """Why WeasyPrint cannot be used here (its import error), or None when it loads."""
    try:
        import weasyprint  # noqa: F401
    except (OSError, ImportError) as error:  # OSError: cffi could not load libpango/libgobject
        return str(error) or type(error).__name__
    return None


def find_browser(env=None) -> Path | None:
    """A Chromium-family browser: PILOTGUIDE_BROWSER, else one on PATH, else Edge or Chrome where
    Windows installs them. None when there is none (or PILOTGUIDE_BROWSER is `none` or empty)."""
    env = os.environ if env is None else env
    if BROWSER_ENV in env:
        given = env[BROWSER_ENV].strip()
        if given.lower() in ("", "none", "0", "false"):
            return None
        found = shutil.which(given, path=env.get("PATH")) or (given if Path(given).is_file() else None)
        return Path(found) if found else None
    for name in BROWSER_NAMES:
        found = shutil.which(name, path=env.get("PATH"))
        if found:
            return Path(found)
    for folder, rest in WINDOWS_PLACES:
        base = env.get(folder)
        if base and (path := Path(base).joinpath(*rest.split("\\"))).is_file():
            return path
    return None


def pick(env=None) -> tuple[PdfEngine | None, str | None]:
    """The PDF engine of this machine and why WeasyPrint is not it (None when it is)."""
    problem = weasyprint_problem()
    if problem is None:
        return PdfEngine("weasyprint"), None
    browser = find_browser(env)
    return (PdfEngine("browser", browser) if browser else None), problem


def plan(formats, env=None) -> tuple[tuple, PdfEngine | None, str | None]:
    """(formats that will be made, the PDF engine, the one warning to show or None).

    Without a PDF engine the PDF rows are dropped, so no page links to a file that is not made."""
    pdf_rows = [f for f in formats if f.needs_pdf]
    if not pdf_rows:
        return tuple(formats), None, None
    engine, problem = pick(env)
    what = "、".join(_what(f) for f in pdf_rows)
    why = f"本机无法加载 WeasyPrint（它需要 Pango 组件，Windows 上通常没有；原因：{problem}）"
    if engine is not None and engine.name == "browser":
        return tuple(formats), engine, (
            f"{why}，{what} 改用浏览器 {engine.browser} 生成，与正式排版的差别：{LOST_IN_BROWSER}。"
            "要得到正式排版，请在装有 Pango 的 Debian/Ubuntu 电脑上生成（apt-get install libpango-1.0-0 "
            "libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk）；不需要 PDF 时，在 mkdocs.yml 的 "
            "pilotguide 插件下写 `pdf: false`，就不再提示。")
    if engine is not None:
        return tuple(formats), engine, None
    kept = tuple(f for f in formats if not f.needs_pdf)
    return kept, None, (f"没有生成{what}：{why}，也没有找到 Edge、Chrome 或 Chromium 浏览器。"
                        f"网页、Word 文件和幻灯片已照常生成，页面上不放指向这些 PDF 的链接。{GET_PDF}")


def _what(fmt) -> str:
    return "整本指南 guide.pdf" if fmt.scope == "guide" else "课程讲义 PDF"


def browser_pdf(browser: Path, html: str) -> bytes:
    """Print a complete HTML document (styles inside) to PDF with a headless Chromium-family browser.

    The page is a file in a private temporary folder with its own browser profile; it loads nothing
    from outside (pack.py removed every external reference) and the browser's own background
    traffic is turned off."""
    with tempfile.TemporaryDirectory(prefix="pilotguide-pdf-") as tmp:
        folder = Path(tmp)
        page, out = folder / "page.html", folder / "page.pdf"
        page.write_text(html, encoding="utf-8")
        command = [str(browser), "--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   "--disable-extensions", f"--user-data-dir={folder / 'profile'}",
                   "--allow-file-access-from-files",  # the embedded font file beside a file:// page
                   "--no-pdf-header-footer", "--print-to-pdf-no-header",  # the second: browsers before 2023
                   "--generate-pdf-document-outline", f"--print-to-pdf={out}",
                   page.as_uri()]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.insert(1, "--no-sandbox")  # Chromium refuses to start as root with its sandbox
        try:
            result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, timeout=BROWSER_TIMEOUT,
                                    check=False)
            code = result.returncode
        except (OSError, subprocess.SubprocessError) as error:
            code = error
        if not out.is_file() or out.stat().st_size == 0:
            raise PackError(f"浏览器 {browser} 没能生成 PDF（{code}）。请确认它能正常打开，或在 mkdocs.yml 的 "
                            "pilotguide 插件下写 `pdf: false`，不生成 PDF。")
        return out.read_bytes()

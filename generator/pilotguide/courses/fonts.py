"""Finding a free Chinese font to embed in course PDFs.

A PDF of Chinese text is only readable if a CJK font is embedded; without one WeasyPrint quietly
draws empty boxes. So we look for a font we know is free to embed and refuse to go on without it:
1. fontconfig (`fc-list`), for a font of FREE_FAMILIES: on Debian `apt-get install fonts-noto-cjk`;
2. a pip-installed copy: the `fonts` extra (`pip install 'pilotguide[fonts]'`), Noto Sans SC;
3. otherwise PackError, saying what to install.
Only families under a free licence are used (OFL, or GPL with the font exception): a PDF that
embeds a font must be free to hand out, and the font never becomes part of the project.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from importlib import util
from importlib.resources import files
from pathlib import Path

from ..errors import PackError

# Families we know to be free to embed, best first (Noto CJK and Source Han are the same design).
FREE_FAMILIES = (
    "Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC",
    "Noto Serif CJK SC", "Source Han Serif SC", "Noto Serif SC",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
)
# The pip fallback: Noto Sans SC 2.004 (OFL 1.1), one face, Simplified Chinese only.
PIP_PACKAGE = "pylopdf-fonts-zh-cn"
PIP_MODULE = "pylopdf_fonts_zh_cn"
PIP_FILE = "NotoSansSC-Regular.otf"
EMBEDDED_FAMILY = "PilotguideCJK"  # the @font-face name given to a font loaded from a file

INSTALL_HINT = (
    "找不到可嵌入 PDF 的免费中文字体，无法生成课程讲义 PDF（没有中文字体的 PDF 只会显示空白方框）。\n"
    "请任选一种方式安装：\n"
    "  - Debian/Ubuntu：apt-get install fonts-noto-cjk fontconfig\n"
    "  - 在 pilotguide 所在的 Python 环境中：pip install 'pilotguide[fonts]'（即 pip install "
    f"{PIP_PACKAGE}）\n"
    "或在 mkdocs.yml 的 pilotguide 插件下设置 `pdf: false`，不生成 PDF。"
)


@dataclass(frozen=True)
class CJKFont:
    """The font to set Chinese in: a fontconfig family, or a file loaded with @font-face."""

    family: str
    origin: str  # "fontconfig" or "pip"
    path: Path | None = None  # the font file, when it is loaded with @font-face

    def css(self) -> str:
        """CSS that makes `family` usable (an @font-face rule for a file; nothing for fontconfig)."""
        if self.path is None:
            return ""
        return f'@font-face {{ font-family: "{self.family}"; src: url("{self.path.as_uri()}"); }}\n'


def fontconfig_families() -> set[str]:
    """Family names of the Chinese fonts fontconfig knows (empty without `fc-list`)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return set()
    try:
        result = subprocess.run([fc_list, ":lang=zh-cn", "family"], capture_output=True,
                                encoding="utf-8", errors="replace",  # whatever the locale
                                timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return set()
    # One line per face; a face with several names lists them comma-separated.
    return {name.strip() for line in result.stdout.splitlines() for name in line.split(",") if name.strip()}


def pip_font() -> Path | None:
    """The font file of the pip fallback package, when it is installed."""
    if util.find_spec(PIP_MODULE) is None:
        return None
    path = Path(str(files(PIP_MODULE) / PIP_FILE))
    return path if path.is_file() else None


def find_cjk_font(families: set[str] | None = None, fallback: Path | None | bool = True) -> CJKFont:
    """The best free Chinese font available; PackError (with what to install) if there is none.

    `families` and `fallback` replace what fontconfig and pip report (for tests)."""
    known = fontconfig_families() if families is None else families
    for family in FREE_FAMILIES:
        if family in known:
            return CJKFont(family, "fontconfig")
    path = pip_font() if fallback is True else (fallback or None)
    if path is not None:
        return CJKFont(EMBEDDED_FAMILY, "pip", Path(path))
    raise PackError(INSTALL_HINT)


@cache
def cjk_font() -> CJKFont:
    """find_cjk_font(), looked up once per process (fonts do not change during a build)."""
    return find_cjk_font()


def main() -> int:
    """`python -m pilotguide.fonts`: print the font PDFs will use; exit 1 (with the hint) if none."""
    try:
        font = find_cjk_font()
    except PackError as error:
        print(error)
        return 1
    print(f"{font.family}（{font.origin}{'：' + str(font.path) if font.path else ''}）")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

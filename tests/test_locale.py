"""`python -m pilotguide` as a separate process, under locales that are not UTF-8: the C locale
(servers, cron) and a GBK locale (what Chinese Windows uses). Files stay UTF-8 whatever the
locale; messages reach the terminal in its own encoding."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

LOCALE_SOURCE = Path("/usr/share/i18n/locales/zh_CN")
pytestmark = pytest.mark.slow  # separate processes: about half a minute in all


def pilotguide(cwd: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pilotguide", *args], cwd=cwd, env=env,
                          capture_output=True, timeout=300)


def base_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LC_", "PYTHONIOENCODING", "PYTHONUTF8")) and k not in ("LANG", "LANGUAGE")}
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def gbk_locale(tmp_path_factory) -> dict[str, str]:
    """A zh_CN.GBK locale compiled into a private folder (LOCPATH), without root."""
    localedef = shutil.which("localedef")
    if localedef is None or not LOCALE_SOURCE.is_file():
        pytest.skip("no localedef or zh_CN locale source (Debian package `locales`) to make a GBK locale")
    folder = tmp_path_factory.mktemp("locales")
    made = subprocess.run([localedef, "-i", "zh_CN", "-f", "GBK", str(folder / "zh_CN.GBK")],
                          capture_output=True, timeout=120)
    if not (folder / "zh_CN.GBK").exists():
        pytest.skip(f"localedef could not make zh_CN.GBK: {made.stderr.decode(errors='replace')}")
    env = base_env(LOCPATH=str(folder), LANG="zh_CN.GBK", LC_ALL="zh_CN.GBK")
    probe = subprocess.run([sys.executable, "-c", "import sys; print(sys.stdout.encoding)"], env=env,
                           capture_output=True, text=True)
    if probe.stdout.strip().lower() != "gbk":
        pytest.skip(f"Python does not see the GBK locale (stdout encoding {probe.stdout.strip()})")
    return env


def break_a_reference(root: Path) -> str:
    case = root / "case-studies" / "c1.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("steps: [s2]", "steps: [s9]"), encoding="utf-8")
    return "case-studies/c1.yaml:9:9: 字段 `steps[0]` 引用了不存在的培育步骤 `s9`"


@pytest.mark.parametrize("locale", ["C", "GBK"])
def test_cli_under_a_non_utf8_locale(minimal, locale, request):
    env = base_env(LANG="C", LC_ALL="C") if locale == "C" else request.getfixturevalue("gbk_locale")
    encoding = "utf-8" if locale == "C" else "gbk"  # Python turns the C locale into UTF-8 output (PEP 538)
    ok = pilotguide(minimal, "check", env=env)
    assert ok.returncode == 0, ok.stderr.decode(encoding, "replace")
    assert "内容检查通过" in ok.stdout.decode(encoding)

    made = pilotguide(minimal / "steps", "new", "case-study", "xin-anli", env=env)
    assert made.returncode == 0, made.stderr.decode(encoding, "replace")
    text = (minimal / "case-studies" / "xin-anli.yaml").read_bytes().decode("utf-8")  # UTF-8, not the locale's
    assert "【待填写】" in text and "可选：城市社区、农村社区" in text
    # the hint names the command that works here: this program was started as `python -m pilotguide`
    assert "-m pilotguide check" in made.stdout.decode(encoding)
    (minimal / "case-studies" / "xin-anli.yaml").unlink()

    expected = break_a_reference(minimal)
    bad = pilotguide(minimal, "check", env=env)
    assert bad.returncode == 1
    err = bad.stderr.decode(encoding)
    assert expected in err and "Traceback" not in err

    usage = pilotguide(minimal, "nope", env=env)
    assert usage.returncode == 2 and "错误：没有命令 `nope`" in usage.stderr.decode(encoding)

    (minimal / "case-studies" / "c1.yaml").write_text(
        (minimal / "case-studies" / "c1.yaml").read_text(encoding="utf-8").replace("s9", "s2"), encoding="utf-8")
    built = pilotguide(minimal, "build", env=env)  # MkDocs reads and writes UTF-8 under this locale too
    assert built.returncode == 0, built.stderr.decode(encoding, "replace")
    assert "高潮村" in (minimal / "site" / "case-studies" / "c1" / "index.html").read_bytes().decode("utf-8")


def test_help_of_python_m_pilotguide_and_every_subcommand_is_chinese(minimal):
    env = base_env(LANG="C.UTF-8")
    names = ("check", "build", "serve", "generate", "new", "schema", "workbook", "import")
    for command in ([], *([name] for name in names)):
        result = pilotguide(minimal, *command, "--help", env=env)
        out = result.stdout.decode("utf-8")
        assert result.returncode == 0 and out.startswith("用法：") and "-m pilotguide" in out, out
        for english in ("Usage", "Options", "Show this message", "[default", "Commands"):
            assert english not in out, (command, out)

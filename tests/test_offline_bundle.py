"""The offline install bundle (scripts/bundle.py, `make bundle`): made once per test run, with the
downloads kept in .pilotguide-cache/bundle/ so a second run fetches nothing; installed with
install.sh into a fresh folder with the network refused; every requirement resolves for Windows
x64 and Linux from its wheels alone, for each Python version it is made for."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
NO_NETWORK = Path(__file__).parent / "tools" / "no_network"  # its sitecustomize refuses connections


def bundle_module():
    spec = importlib.util.spec_from_file_location("bundle", REPO / "scripts" / "bundle.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def offline(command: list[str]) -> list[str]:
    """`command` in a network namespace of its own when this machine allows it (no network at all)."""
    if shutil.which("unshare") and subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0:
        return ["unshare", "-n", *command]
    return command


def offline_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(NO_NETWORK), **extra}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    """The whole bundle, as `make bundle` makes it, unpacked."""
    out = tmp_path_factory.mktemp("bundle") / "pilotguide-offline.zip"
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "bundle.py"), "--out", str(out)],
                            capture_output=True, text=True, timeout=1800, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"{out}，" in result.stdout and " MB，" in result.stdout  # the size is printed
    unpacked = out.parent / "unpacked"
    with zipfile.ZipFile(out) as zf:
        zf.extractall(unpacked)
    return unpacked


# ---- the templates (fast) ----

def filled_install_sh(tmp_path: Path) -> Path:
    script = tmp_path / "install.sh"
    script.write_text(bundle_module().fill_template("install.sh", ("3.10", "3.11", "3.12", "3.13", "3.14")),
                      encoding="utf-8")
    return script


def test_install_sh_is_valid_and_says_what_is_wrong_in_chinese(tmp_path):
    script = filled_install_sh(tmp_path)
    assert subprocess.run(["sh", "-n", str(script)], check=False).returncode == 0
    usage = subprocess.run(["sh", str(script)], capture_output=True, text=True, check=False)
    assert usage.returncode == 1 and usage.stderr.startswith("用法：sh install.sh 安装文件夹")
    no_python = subprocess.run(["sh", str(script), str(tmp_path / "x")], capture_output=True, text=True,
                               env={**os.environ, "PYTHON": "no-such-python3"}, check=False)
    assert no_python.returncode == 1 and "安装说明.txt" in no_python.stderr and not (tmp_path / "x").exists()
    full = tmp_path / "full"
    (full / "mine.txt").parent.mkdir()
    (full / "mine.txt").write_text("keep", encoding="utf-8")
    taken = subprocess.run(["sh", str(script), str(full)], capture_output=True, text=True,
                           env={**os.environ, "PYTHON": sys.executable}, check=False)
    assert taken.returncode == 1 and "不是空的" in taken.stderr and os.listdir(full) == ["mine.txt"]


def test_an_unbundled_python_version_is_refused_with_the_versions_there_are(tmp_path):
    script = tmp_path / "install.sh"
    script.write_text(bundle_module().fill_template("install.sh", ("3.99",)), encoding="utf-8")
    result = subprocess.run(["sh", str(script), str(tmp_path / "x")], capture_output=True, text=True,
                            env={**os.environ, "PYTHON": sys.executable}, check=False)
    assert result.returncode == 1 and "3.99" in result.stderr and "安装说明.txt" in result.stderr
    assert not (tmp_path / "x").exists()


def test_the_instructions_cover_python_install_and_a_first_guide():
    text = bundle_module().fill_template("安装说明.txt", bundle_module().PYTHONS)
    for needed in ("Add python.exe to PATH", "py --version", "install.bat", "sh install.sh", "python3-venv",
                   "pilotguide init 本县指南 --base model", "pilotguide build", "3.10–3.14", "启动 pilotguide.bat"):
        assert needed in text, needed
    assert "@" not in text  # every placeholder filled


# ---- the bundle itself (slow: downloads once, then builds a site) ----

@pytest.mark.slow
def test_the_bundle_has_the_scripts_wheels_and_model_guide_at_its_top(bundle):
    assert {p.name for p in bundle.iterdir()} == {"install.sh", "install.bat", "install.ps1", "安装说明.txt",
                                                  "wheels", "范例指南"}
    assert (bundle / "install.ps1").read_bytes().startswith(b"\xef\xbb\xbf")  # PowerShell 5.1 reads it as UTF-8
    assert b"\r\n" in (bundle / "install.bat").read_bytes() and (bundle / "install.bat").read_bytes().isascii()
    names = [p.name for p in (bundle / "wheels").iterdir()]
    assert all(name.endswith(".whl") for name in names)
    assert any(n.endswith("win_amd64.whl") for n in names) and any("manylinux" in n for n in names)
    assert (bundle / "范例指南" / "mkdocs.yml").is_file() and list((bundle / "范例指南" / "steps").glob("*.yaml"))


@pytest.mark.slow
@pytest.mark.parametrize("platform", ["win_amd64", "manylinux_2_28_x86_64"])
def test_every_requirement_resolves_from_the_bundles_wheels_alone(bundle, platform, tmp_path):
    pythons = bundle_module().PYTHONS
    extra = ["--platform", "manylinux2014_x86_64"] if platform.startswith("manylinux") else []
    for python in pythons:
        report = tmp_path / f"{python}.json"
        result = subprocess.run(
            [sys.executable, "-m", "pip", "--isolated", "install", "--dry-run", "--ignore-installed", "--quiet",
             "--report", str(report), "--platform", platform, *extra, "--python-version", python,
             "--implementation", "cp", "--only-binary=:all:", "--no-index", "--find-links", str(bundle / "wheels"),
             "pilotguide[fonts]"],
            capture_output=True, text=True, env=offline_env(PIP_CONFIG_FILE=os.devnull), check=False)
        assert result.returncode == 0, f"{platform} / Python {python}: {result.stderr[-2000:]}"
        installed = {item["metadata"]["name"].lower() for item in json.loads(report.read_text())["install"]}
        assert {"pilotguide", "mkdocs-material", "weasyprint", "jieba", "pylopdf-fonts-zh-cn"} <= installed


@pytest.mark.slow
def test_install_sh_installs_offline_and_its_pilotguide_builds_a_guide_on_the_model(bundle, tmp_path):
    target = tmp_path / "装在这里 pilotguide"
    result = subprocess.run(offline(["sh", str(bundle / "install.sh"), str(target)]), capture_output=True,
                            text=True, env=offline_env(PYTHON=sys.executable), timeout=900, check=False)
    assert result.returncode == 0, result.stderr
    assert "安装完成：pilotguide " in result.stderr and "Traceback" not in result.stderr
    pilotguide = target / "venv" / "bin" / "pilotguide"
    assert pilotguide.is_file() and (target / "范例指南" / "mkdocs.yml").is_file()

    # The start script: a shell in the install folder, with pilotguide on its PATH.
    start = target / "启动.sh"
    assert os.access(start, os.X_OK)
    shell = subprocess.run(["sh", str(start)], input="pilotguide --version\nexit\n", capture_output=True,
                           text=True, env={**offline_env(), "SHELL": "/bin/sh", "PATH": "/usr/bin:/bin"},
                           timeout=120, check=False)
    assert "pilotguide 已就绪" in shell.stdout and shell.stdout.count("pilotguide 0.") >= 2, shell.stdout

    # A guide on the model, with the installed pilotguide, offline.
    has_init = subprocess.run([str(pilotguide), "init", "--help"], capture_output=True, check=False).returncode == 0
    if has_init:
        made = subprocess.run(offline([str(pilotguide), "init", str(tmp_path / "本县 指南"), "--base", "model",
                                       "--name", "本县社区社会组织培育指南", "--yes"]),
                              capture_output=True, text=True, env=offline_env(), timeout=300, check=False)
        assert made.returncode == 0, made.stderr
        guide = tmp_path / "本县 指南"
    else:  # until `init` is on main: the model guide the bundle installed
        guide = target / "范例指南"
    built = subprocess.run(offline([str(pilotguide), "build", "--config", str(guide / "mkdocs.yml")]),
                           capture_output=True, text=True, env=offline_env(), timeout=900, check=False)
    assert built.returncode == 0, built.stderr
    assert "站点已生成" in built.stdout and (guide / "site" / "index.html").is_file()
    assert list((guide / "site" / "steps").glob("*.html"))


@pytest.mark.slow
def test_making_it_again_needs_no_network(bundle, tmp_path):
    """The `bundle` fixture filled .pilotguide-cache/bundle/: the next run, with no network at all,
    builds the pilotguide wheel and resolves every requirement from it (CI fetches once)."""
    if not shutil.which("unshare") or subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode:
        pytest.skip("unshare -n does not work here")
    python = "%d.%d" % sys.version_info[:2]
    out = tmp_path / "again.zip"
    command = [sys.executable, str(REPO / "scripts" / "bundle.py"), "--platform", "linux", "--python", python,
               "--out", str(out)]
    result = subprocess.run(["unshare", "-n", *command], capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
    assert "install.sh" in names and "install.bat" not in names  # Linux only, as asked
    assert any(n.startswith("wheels/pilotguide-") for n in names)

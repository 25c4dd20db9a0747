"""Make the offline install bundle: dist/pilotguide-offline.zip (`make bundle`).

The zip installs pilotguide and the model guide on a PC with no network. At its top level:
install.sh (Linux), install.bat + install.ps1 (Windows), 安装说明.txt (what to do about Python on a
bare PC, how to install, how to start a guide), wheels/ (pilotguide and every dependency, as wheels
for Windows x64 and Linux x86_64 and each Python version in PYTHONS) and 范例指南/ (the shipped guide).

Making it may use the package registry; installing from it never does (`pip install --no-index`).
Downloaded wheels are kept in .pilotguide-cache/bundle/ (git-ignored): a second run that needs
nothing new resolves from that folder alone, without the network. The pilotguide wheel itself is
built afresh each time. Dependencies published only as source (jieba) are built into pure wheels.

    python scripts/bundle.py [--out dist/pilotguide-offline.zip] [--platform linux] [--python 3.12]
                             [--measure]

`--measure` installs the Linux bundle with install.sh into a temporary folder (network refused with
`unshare -n` where it works) and prints the install time.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "offline"
CACHE = ROOT / ".pilotguide-cache" / "bundle"
OUT = ROOT / "dist" / "pilotguide-offline.zip"
# Python versions with wheels of every dependency on both platforms (checked with pip download
# --only-binary=:all:; 3.15 lacks some on Windows). requires-python is >=3.10.
PYTHONS = ("3.10", "3.11", "3.12", "3.13", "3.14")
# pip does not widen a --platform to older manylinux tags: each is listed. 2_28 covers current
# distributions (UOS, Kylin, Debian 11+, Ubuntu 20.04+ have glibc 2.28 or newer).
LINUX_TAGS = ("manylinux_2_28_x86_64", *(f"manylinux_2_{n}_x86_64" for n in range(27, 16, -1)),
              "manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64")
PLATFORMS = {"windows": ("win_amd64",), "linux": LINUX_TAGS}
SOURCE_ONLY = ("jieba",)  # dependencies on the registry as source only: built into pure wheels here
EXTRAS = "fonts"  # the free Chinese font for PDFs: a bare PC has none that may be embedded
MODEL_DIR = "范例指南"
MODEL_FILES = ("mkdocs.yml", "guide.yaml", "vocabularies.yaml", "synonyms.yaml", "editions.json", "base-edition.json")
MODEL_FOLDERS = ("docs", "policies", "steps", "case-studies", "glossary", "courses", "templates")
QUIET_PIP = {"PIP_DISABLE_PIP_VERSION_CHECK": "1"}


class BundleError(Exception):
    pass


def pip(*args: str, offline: bool = False) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pip", *args]
    if offline:  # nothing but the folders named: no index, no configured find-links or constraints
        command = [sys.executable, "-m", "pip", "--isolated", *args]
    env = {**os.environ, **QUIET_PIP, **({"PIP_CONFIG_FILE": os.devnull} if offline else {})}
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False)


def requirements() -> list[str]:
    try:
        import tomllib
    except ImportError:  # Python 3.10: the installed pilotguide's own list (`make bundle` installs it first)
        from importlib.metadata import requires
        return [r for r in requires("pilotguide") or [] if "extra ==" not in r]
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]


def build_pilotguide(into: Path, local: Path) -> Path:
    """The pilotguide wheel, built from a clean copy of the sources (setuptools reuses an old build/
    folder, which could carry modules removed since into the wheel). Its build backend comes from
    the cache (`local`), fetched once."""
    source = into.parent / "source"
    shutil.copytree(ROOT / "generator", source / "generator",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc"))
    # setup.py copies the model guide (the content at the root) into the wheel: it comes along too
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "LICENSE", *MODEL_FILES):
        if (ROOT / name).is_file():
            shutil.copy(ROOT / name, source / name)
    for folder in MODEL_FOLDERS:
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__", ".*"))
    build = ("wheel", "--no-deps", "--quiet", "--no-index", "--find-links", str(local), "-w", str(into), str(source))
    result = pip(*build, offline=True)
    if result.returncode != 0:  # the build backend is not in the cache yet
        fetched = pip("download", "--quiet", "--only-binary=:all:", "-d", str(local), *build_requirements())
        result = pip(*build, offline=True) if fetched.returncode == 0 else fetched
    wheels = list(into.glob("pilotguide-*.whl"))
    if result.returncode != 0 or len(wheels) != 1:
        raise BundleError(f"pilotguide 的 wheel 没能生成：\n{result.stderr[-2000:]}")
    return wheels[0]


def build_requirements() -> list[str]:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    found = re.search(r"^requires\s*=\s*\[([^\]]*)\]", text, re.M)
    return re.findall(r'"([^"]+)"', found.group(1)) if found else ["setuptools"]


def build_source_only(local: Path) -> None:
    """Pure wheels of the dependencies published as source only, kept in the cache."""
    local.mkdir(parents=True, exist_ok=True)
    for name in SOURCE_ONLY:
        spec = next(r for r in requirements() if re.match(rf"{name}\b", r))
        offline = pip("wheel", "--no-deps", "--quiet", "--no-index", "--find-links", str(local), "-w", str(local),
                      spec, offline=True)
        if offline.returncode == 0:
            continue
        result = pip("wheel", "--no-deps", "--quiet", "-w", str(local), spec)
        if result.returncode != 0:
            raise BundleError(f"{spec} 的 wheel 没能生成：\n{result.stderr[-2000:]}")


def resolve(target_platform: str, python: str, own: Path, local: Path, wheels: Path, into: Path) -> None:
    """The wheels pilotguide needs on one platform and Python version, copied into `into`: from
    the cache alone when it has them, else downloaded into the cache first."""
    tags = [arg for tag in PLATFORMS[target_platform] for arg in ("--platform", tag)]
    common = ["download", "--quiet", "--only-binary=:all:", *tags, "--python-version", python,
              "--implementation", "cp", "--find-links", str(own.parent), "--find-links", str(local)]
    wanted = f"pilotguide[{EXTRAS}]=={_version(own)}"
    if pip(*common, "--no-index", "--find-links", str(wheels), "-d", str(into), wanted, offline=True).returncode == 0:
        return
    fetched = pip(*common, "--find-links", str(wheels), "-d", str(wheels), wanted)
    for stale in wheels.glob("pilotguide-*.whl"):  # only ever the fresh build, from `own`
        stale.unlink()
    if fetched.returncode != 0:
        raise BundleError(f"{target_platform} / Python {python} 的依赖没能下载：\n{fetched.stderr[-3000:]}")
    again = pip(*common, "--no-index", "--find-links", str(wheels), "-d", str(into), wanted, offline=True)
    if again.returncode != 0:
        raise BundleError(f"{target_platform} / Python {python}：下载后仍无法只用本地文件解析依赖：\n"
                          f"{again.stderr[-3000:]}")


def _version(wheel: Path) -> str:
    return wheel.name.split("-")[1]


def fill_template(name: str, pythons: tuple[str, ...]) -> str:
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    shown = f"{pythons[0]}–{pythons[-1]}" if len(pythons) > 1 else pythons[0]
    return (text.replace("@VERSIONS@", " ".join(pythons))
            .replace("@VERSIONS_PS@", ", ".join(f'"{p}"' for p in pythons))
            .replace("@VERSIONS_SHOWN@", shown)
            .replace("@NEWEST@", pythons[-1])
            .replace("@RECOMMENDED@", pythons[-2] if len(pythons) > 1 else pythons[0]))


def write_zip(out: Path, wheels: list[Path], pythons: tuple[str, ...], platforms: tuple[str, ...]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".zip.part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        def text(name: str, data: str, mode: int = 0o644) -> None:
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)

        if "linux" in platforms:
            text("install.sh", fill_template("install.sh", pythons), 0o755)
        if "windows" in platforms:
            text("install.bat", fill_template("install.bat", pythons).replace("\r\n", "\n").replace("\n", "\r\n"))
            # Windows PowerShell 5.1 reads a script without a BOM in the ANSI code page.
            text("install.ps1", "\ufeff" + fill_template("install.ps1", pythons).replace("\n", "\r\n"))
        text("安装说明.txt", "\ufeff" + fill_template("安装说明.txt", pythons).replace("\n", "\r\n"))
        for wheel in sorted(wheels, key=lambda p: p.name):
            zf.write(wheel, f"wheels/{wheel.name}", compress_type=zipfile.ZIP_STORED)  # already compressed
        for name in MODEL_FILES:
            if (ROOT / name).is_file():
                zf.write(ROOT / name, f"{MODEL_DIR}/{name}")
        for folder in MODEL_FOLDERS:
            for path in sorted((ROOT / folder).rglob("*")) if (ROOT / folder).is_dir() else ():
                if path.is_file() and "__pycache__" not in path.parts:
                    zf.write(path, f"{MODEL_DIR}/{path.relative_to(ROOT).as_posix()}")
    partial.replace(out)


def make_bundle(out: Path = OUT, platforms: tuple[str, ...] = tuple(PLATFORMS), pythons: tuple[str, ...] = PYTHONS,
                cache: Path = CACHE) -> dict:
    """Make the zip; return what it holds (for the printout and the tests)."""
    wheels, local = cache / "wheels", cache / "local"
    wheels.mkdir(parents=True, exist_ok=True)
    build_source_only(local)
    chosen: dict[str, Path] = {}
    with tempfile.TemporaryDirectory(prefix="pilotguide-bundle-") as tmp:
        own = build_pilotguide(Path(tmp) / "own", local)
        for target in platforms:
            for python in pythons:
                into = Path(tmp) / f"{target}-{python}"
                resolve(target, python, own, local, wheels, into)
                for wheel in into.glob("*.whl"):
                    chosen.setdefault(wheel.name, wheel)
        write_zip(out, list(chosen.values()), pythons, platforms)
    return {"zip": out, "bytes": out.stat().st_size, "wheels": len(chosen), "platforms": platforms, "pythons": pythons}


def measure_install(bundle: Path) -> float:
    """Seconds install.sh takes to install the bundle into a fresh folder, offline where possible."""
    with tempfile.TemporaryDirectory(prefix="pilotguide-install-") as tmp:
        with zipfile.ZipFile(bundle) as zf:
            zf.extractall(Path(tmp) / "zip")
        command = ["sh", str(Path(tmp) / "zip" / "install.sh"), str(Path(tmp) / "installed")]
        if shutil.which("unshare") and subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0:
            command = ["unshare", "-n", *command]
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
        if result.returncode != 0:
            raise BundleError(f"安装测试失败：\n{result.stderr}")
        return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="制作离线安装包（dist/pilotguide-offline.zip）。")
    parser.add_argument("--out", type=Path, default=OUT, help="压缩包的路径")
    parser.add_argument("--platform", action="append", choices=sorted(PLATFORMS), help="只做某个平台（可重复）")
    parser.add_argument("--python", action="append", choices=PYTHONS, help="只做某个 Python 版本（可重复）")
    parser.add_argument("--cache", type=Path, default=CACHE, help="下载的 wheel 存放处（再次制作时沿用）")
    parser.add_argument("--measure", action="store_true", help="另外用 install.sh 离线安装一次，报告安装时间")
    args = parser.parse_args(argv)
    platforms = tuple(p for p in PLATFORMS if p in (args.platform or PLATFORMS))
    pythons = tuple(p for p in PYTHONS if p in (args.python or PYTHONS))
    start = time.perf_counter()
    try:
        made = make_bundle(args.out, platforms, pythons, args.cache)
    except BundleError as error:
        print(f"离线安装包没能生成：{error}", file=sys.stderr)
        return 1
    print(f"离线安装包：{made['zip']}，{made['bytes'] / 1e6:.1f} MB，{made['wheels']} 个 wheel"
          f"（{'、'.join(platforms)}；Python {'、'.join(pythons)}），用时 {time.perf_counter() - start:.1f} 秒。")
    if args.measure:
        if "linux" not in platforms:
            print("没有 Linux 的文件，无法在本机测量安装时间。", file=sys.stderr)
            return 1
        print(f"用 install.sh 离线安装：{measure_install(made['zip']):.1f} 秒。")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The 发布指南 page (docs/publishing.md) is complete on its own and gives the README's staff commands;
followed step by step, it takes a copy of the repository to a site that nginx serves under a
subpath other than /guide/."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, copy_shipped
from test_publish import NGINX, Nginx, NoRedirect, free_port

PAGE = REPO / "docs" / "publishing.md"
SHELLS = ("sh", "bash", "powershell", "bat")


def blocks(text: str, languages: tuple[str, ...]) -> list[str]:
    return [body for lang, body in re.findall(r"^```(\w+)\n(.*?)^```", text, re.S | re.M) if lang in languages]


def commands(text: str) -> set[str]:
    """Command lines of the shell blocks (sh, PowerShell, cmd), without trailing comments."""
    lines = (line.split("  #")[0].strip() for body in blocks(text, SHELLS) for line in body.splitlines())
    return {line for line in lines if line and not line.startswith("#")}


def test_readme_commands_for_staff_are_on_the_page():
    """The README's Chinese part gives staff the first commands; the page (their one copy of the
    steps) gives the same ones, with nothing the README says missing."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    staff = readme[:readme.index("## For developers")]
    page = PAGE.read_text(encoding="utf-8")
    assert commands(staff) and commands(staff) <= commands(page)
    wanted = {"py -m venv .venv", ".venv\\Scripts\\python -m pip install -e \".[fonts]\"",
              ".venv\\Scripts\\Activate.ps1",
              ".venv\\Scripts\\activate.bat", "python -m pilotguide check", "python -m pilotguide build --zip"}
    assert wanted <= commands(page)


def test_page_needs_nothing_but_itself():
    page = PAGE.read_text(encoding="utf-8")
    for outside in ("make ", "make\n", ".venv/bin/pilotguide", "README", "pytest"):
        assert outside not in page, outside
    for needed in ("site_url", "pdf: false", "--zip", "/zhinan", "nginx -t", "Pango", "PowerShell", "cmd"):
        assert needed in page, needed


def run_page_command(line: str, cwd: Path) -> subprocess.CompletedProcess:
    """A `python -m pilotguide ...` line of the page, run with this interpreter (the activated
    environment of the page's setup step)."""
    assert line.startswith("python -m pilotguide ")
    return subprocess.run([sys.executable, *line.split()[1:]], cwd=cwd, capture_output=True, timeout=600)


@pytest.mark.slow
def test_following_the_page_serves_the_guide_under_another_subpath(tmp_path):
    if not Path(NGINX).exists():
        pytest.skip("Debian's nginx is not installed (apt-get install nginx)")
    page = PAGE.read_text(encoding="utf-8")
    project = copy_shipped(tmp_path)
    port = free_port()
    base = f"http://127.0.0.1:{port}/zhinan/"
    # 设置站点地址: the page's yaml line, with this server's address and the other subpath
    (site_url,) = [b for b in blocks(page, ("yaml",)) if b.startswith("site_url:")]
    assert site_url.strip() == "site_url: http://内网服务器/guide/"
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + f"site_url: {base}\n", encoding="utf-8")
    shell = commands(page)
    for line in ("python -m pilotguide check", "python -m pilotguide build --zip"):
        assert line in shell
        done = run_page_command(line, project)
        assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
        assert b"site_url" not in done.stderr  # set, so no warning
    (archive,) = project.glob("guide-site-*.zip")
    www = tmp_path / "www"
    with zipfile.ZipFile(archive) as zf:  # unzip guide-site-....zip -d /srv/www/
        zf.extractall(www)
    # the page's server block, changed as it says for /zhinan: four places, the alias line kept
    (block,) = blocks(page, ("nginx",))
    block = re.sub(r"(?<!www)/guide(?=[/; ])", "/zhinan", block)
    assert "alias /srv/www/guide/;" in block and block.count("/zhinan") == 4
    work = tmp_path / "nginx"
    work.mkdir()
    server = Nginx(www, work, block=block, port=port)
    try:
        with pytest.raises(urllib.error.HTTPError) as redirect:
            urllib.request.build_opener(NoRedirect).open(urllib.request.Request(base.rstrip("/"), method="HEAD"))
        assert redirect.value.code == 301 and redirect.value.headers["Location"].endswith("/zhinan/")
        with urllib.request.urlopen(base) as response:
            assert "城乡社区社会组织培育指南" in response.read().decode("utf-8")
        with urllib.request.urlopen(base + "steps/index.html") as response:
            assert response.status == 200
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(base + "steps/no-such-step.html")
        assert missing.value.code == 404
        not_found = missing.value.read().decode("utf-8")
        styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', not_found)
        assert styles and all(href.startswith("/zhinan/") for href in styles), styles
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{styles[0]}") as response:
            assert response.headers["Content-Type"].startswith("text/css")
    finally:
        server.stop()


def local_guide_section(text: str) -> str:
    return text.split("\n## 开一份本地指南\n", 1)[1].split("\n## ", 1)[0]


def test_local_guide_section_covers_init_base_overrides_hiding_and_accepting():
    section = local_guide_section(PAGE.read_text(encoding="utf-8"))
    for needed in ("### 一、新建指南", "base: model", "hide:", "本地修改", "沿用《", "accept-base",
                   "base-edition.json", "--force", "docs/index.md", "use_directory_urls: false"):
        assert needed in section, needed
    yaml_blocks = blocks(section, ("yaml",))
    assert any(b.startswith("hide:\n  - case-studies/") for b in yaml_blocks)
    # the ids it names are the model guide's own
    for folder, name in re.findall(r"(case-studies|steps)/([a-z0-9-]+)(?:\.yaml)?", section):
        assert (REPO / folder / f"{name}.yaml").is_file(), (folder, name)


def test_local_guide_section_init_line_makes_a_guide_check_accepts(tmp_path):
    """The worked county example: its init line, run as written, then its cd and check lines."""
    section = local_guide_section(PAGE.read_text(encoding="utf-8"))
    lines = [line for line in commands(section) if line.startswith("python -m pilotguide init ")]
    assert len(lines) == 1
    words = shlex.split(lines[0])
    done = subprocess.run([sys.executable, *words[1:]], cwd=tmp_path, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    (cd,) = [line for line in commands(section) if line.startswith("cd ")]
    folder = tmp_path / shlex.split(cd)[1]
    assert (folder / "guide.yaml").is_file()
    assert "python -m pilotguide check" in commands(section)
    checked = run_page_command("python -m pilotguide check", folder)
    assert checked.returncode == 0, checked.stderr.decode("utf-8", "replace")

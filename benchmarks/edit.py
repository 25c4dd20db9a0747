"""Save-to-updated-page time under `pilotguide serve`: edit a case file, poll the served page.

Starts `pilotguide serve` on a free loopback port, waits for the first build, then changes the
title of one case study a few times; each time it polls that case's page (and the case table,
which lists the title: its data file in a big guide) until both show the new title. The server
is stopped at the end, always.
"""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

POLL = 0.05  # seconds between two requests
TIMEOUT = 300.0  # for one save to show
FIRST_BUILD = 3600.0  # the preview's first build: minutes at 10,000 cases on a busy machine


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(urls: list[str], text: str, deadline: float) -> float:
    while time.perf_counter() < deadline:
        if all(text in fetch(url) for url in urls):
            return time.perf_counter()
        time.sleep(POLL)
    raise TimeoutError(f"page never showed {text!r}")


def edited(original: str, field: str, marker: str) -> str:
    """The case file with `marker` put into its title, or as a new last paragraph of its body."""
    if field == "title":
        return original.replace("\ntitle: ", f"\ntitle: {marker}", 1)
    return original.replace("\nsources:\n", f"\n\n  {marker}\nsources:\n", 1)


def measure(root: Path, case_id: str, edits: int = 3, full_rebuild: bool = False,
            fields: tuple[str, ...] = ("title",)) -> dict:
    """Seconds from saving the file to the pages showing the change, `edits` times per field,
    in one preview session: {"first_build": s, field: {"edits": [s, ...], "median": s}}.

    A title shows on the case page and in the case table (its data file in a big guide; the step,
    policy and topic pages listing the case change too); a body edit shows on the case page only."""
    port = free_port()
    command = [str(Path(sys.executable).with_name("pilotguide")), "serve", "-a", f"127.0.0.1:{port}"]
    if full_rebuild:
        command.append("--full-rebuild")
    server = subprocess.Popen(command, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    page = base + f"case-studies/{case_id}.html"
    path = root / "case-studies" / f"{case_id}.yaml"
    original = path.read_text(encoding="utf-8")
    out: dict = {}
    try:
        start = time.perf_counter()
        wait_for([page], "<h1", start + FIRST_BUILD)
        out["first_build"] = time.perf_counter() - start
        table = base + "case-studies/case-table.js"  # the table lists every title: in its data file if it has one
        table = table if fetch(table) else base + "case-studies/index.html"
        for field in fields:
            urls = [page, table] if field == "title" else [page]
            times = []
            for i in range(edits):
                marker = f"修改第{i + 1}次{int(time.time() * 1000) % 100000}"
                time.sleep(1.0)  # let the watcher settle, so each edit is seen as one change
                path.write_text(edited(original, field, marker), encoding="utf-8")
                saved = time.perf_counter()
                times.append(wait_for(urls, marker, saved + TIMEOUT) - saved)
            out[field] = {"edits": times, "median": statistics.median(times)}
    finally:
        path.write_text(original, encoding="utf-8")
        stop(server)
    return out


def stop(server: subprocess.Popen) -> None:
    """Ctrl+C first, so MkDocs removes its temporary site folder; harder only if it will not stop."""
    for sig, wait in ((signal.SIGINT, 15), (signal.SIGTERM, 10), (signal.SIGKILL, None)):
        os.killpg(server.pid, sig)  # the server's own process group, started by measure()
        try:
            server.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


if __name__ == "__main__":
    print(measure(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "case-00005", edits=5,
                  fields=("title", "body")))

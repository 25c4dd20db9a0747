"""The preview's temporary folders, marked with the process that owns them.

`pilotguide serve` keeps its site and its page stage in the system's temporary folder and removes
them when it stops (server.py turns every stop signal into Ctrl+C for that). A process killed
outright (SIGKILL, the task manager's "end task", a power cut) cannot: its folders stay behind,
some megabytes each time. So each folder carries its owner's process id, in its name and in a
marker file inside, and the next preview removes the folders whose owner no longer runs, and
nothing else: not another user's, not a running preview's, not a folder without our marker.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

PREFIX = "pilotguide-"
KINDS = ("site", "pages")  # MkDocs' output while serving; the plugin's generated pages (session.py)
MARKER = ".pilotguide-preview"  # inside each folder: the owner's process id
NAME = re.compile(rf"{PREFIX}({'|'.join(KINDS)})-(\d+)-[\w.-]+")


def make(kind: str) -> Path:
    """A new temporary folder for `kind` ("site" or "pages"), owned by this process."""
    pid = os.getpid()
    folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{kind}-{pid}-"))
    (folder / MARKER).write_text(str(pid), encoding="ascii")
    return folder


def remove_stale(parent: Path | None = None) -> list[Path]:
    """Remove the preview folders in `parent` (the temporary folder) whose owner has died; return them."""
    parent = Path(parent or tempfile.gettempdir())
    removed = []
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return removed
    for entry in entries:
        match = NAME.fullmatch(entry.name)
        if match is None or not _ours(entry, int(match.group(2))):
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        if not os.path.exists(entry.path):
            removed.append(Path(entry.path))
    return removed


def _ours(entry: os.DirEntry, pid: int) -> bool:
    """A folder of a dead preview: a real folder (not a link), ours by marker, its owner gone."""
    try:
        if not entry.is_dir(follow_symlinks=False):
            return False
        if hasattr(os, "getuid") and entry.stat(follow_symlinks=False).st_uid != os.getuid():
            return False
        owner = Path(entry.path, MARKER).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return False
    return owner == str(pid) and pid != os.getpid() and not alive(pid)


def alive(pid: int) -> bool:
    """Whether a process with this id runs (a reused id counts as running: its folder is kept)."""
    if os.name == "nt":
        return _alive_windows(pid)
    try:
        os.kill(pid, 0)  # signal 0: no signal, only the check
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    except OSError:
        return True
    return True


def _alive_windows(pid: int) -> bool:
    # os.kill(pid, 0) on Windows would send Ctrl+C to the process: ask the kernel instead
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.GetLastError() == 5  # access denied: it exists
    try:
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)

#!/usr/bin/env python3
"""Refresh the third-party browser assets shipped in generator/pilotguide/assets/vendor/.

Developers run this by hand (never at build time: a build needs no network). For each package in
vendor.json it fetches the recorded version with `npm pack` (the ordinary npm client and its
configured registry), copies the listed files out of the tarball and records their version,
licence, integrity and sha256 in vendor.json. Review the diff, then run the tests.

    python3 scripts/refresh-browser-assets.py            # re-fetch the recorded versions
    python3 scripts/refresh-browser-assets.py --latest   # move to each package's latest version
    python3 scripts/refresh-browser-assets.py --check    # offline: do the files match vendor.json?
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VENDOR = Path(__file__).resolve().parent.parent / "generator" / "pilotguide" / "assets" / "vendor"
MANIFEST = VENDOR / "vendor.json"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def npm(*args: str) -> str:
    return subprocess.run(["npm", *args], check=True, capture_output=True, text=True).stdout


def refresh(name: str, entry: dict, latest: bool) -> None:
    version = npm("view", name, "version").strip() if latest else entry["version"]
    with tempfile.TemporaryDirectory() as tmp:
        packed = json.loads(npm("pack", f"{name}@{version}", "--json", "--pack-destination", tmp))[0]
        with tarfile.open(Path(tmp) / packed["filename"]) as tar:
            def read(member: str) -> bytes:  # read members by name: nothing is extracted to disk
                handle = tar.extractfile(f"package/{member}")
                if handle is None:
                    raise SystemExit(f"{name}@{version}: no file {member}")
                return handle.read()

            meta = json.loads(read("package.json"))
            for target, spec in entry["files"].items():
                data = read(spec["from"])
                (VENDOR / target).parent.mkdir(parents=True, exist_ok=True)
                (VENDOR / target).write_bytes(data)
                spec["sha256"] = sha256(data)
    entry.update(version=version, license=meta.get("license", "unknown"), integrity=packed["integrity"])
    print(f"{name}: {version} ({entry['license']})")


def check(manifest: dict) -> list[str]:
    """Files that are missing or differ from the sha256 recorded in vendor.json."""
    problems = []
    for name, entry in manifest.items():
        for target, spec in entry["files"].items():
            path = VENDOR / target
            if not path.is_file() or sha256(path.read_bytes()) != spec["sha256"]:
                problems.append(f"{name}: {target} is missing or differs from vendor.json")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latest", action="store_true", help="move to each package's latest version")
    parser.add_argument("--check", action="store_true", help="only compare the files with vendor.json")
    args = parser.parse_args()
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    if not args.check:
        for name, entry in manifest.items():
            refresh(name, entry, args.latest)
        MANIFEST.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    problems = check(manifest)
    print("\n".join(problems) or "vendor.json matches the shipped files.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

"""Import time of a filled collection workbook: `python -m benchmarks.intake [N ...]` (also part of `make bench`).

For each N it writes a synthetic guide of N case studies (corpus.py), exports them into the
collection workbook, removes the case files, and times `import` of that workbook, which reads,
validates and writes all N records again (a dry run is timed too). Nothing is asserted.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from . import corpus


def measure(work: Path, n: int, seed: int = 7) -> dict:
    from pilotguide.content.gather import load_content
    from pilotguide.intake.importer import import_workbook
    from pilotguide.intake.workbook import write_workbook

    project = corpus.generate(work / f"intake-{n}", n, seed=seed)
    workbook = work / f"intake-{n}.xlsx"
    started = time.perf_counter()
    write_workbook(workbook, ["case-study"], load_content(project), filled=True)
    exported = time.perf_counter() - started
    shutil.rmtree(project / "case-studies")
    started = time.perf_counter()
    import_workbook(project, workbook, dry_run=True)
    dry = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    report = import_workbook(project, workbook)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert report.count("create") == n, report.summary()
    shutil.rmtree(project)
    return {"n": n, "export": exported, "dry_run": dry, "import": wall, "import_cpu": cpu,
            "bytes": workbook.stat().st_size}


def line(row: dict) -> str:
    n = row["n"]
    return (f"import of a {n:,}-row workbook: {row['import']:.1f} s ({row['import'] / n * 1000:.2f} ms/row; "
            f"CPU {row['import_cpu']:.1f} s, {row['import_cpu'] / n * 1000:.2f} ms/row); "
            f"dry run {row['dry_run']:.1f} s ({row['dry_run'] / n * 1000:.2f} ms/row); "
            f"export {row['export']:.1f} s; workbook {row['bytes'] / 1e6:.1f} MB")


def main(sizes: list[int]) -> list[dict]:
    work = Path(tempfile.mkdtemp(prefix="pilotguide-intake-bench-"))
    try:
        rows = []
        for n in sizes:
            rows.append(measure(work, n))
            print("   " + line(rows[-1]), flush=True)
        return rows
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000])

"""Keep only what pays: parallel.fork_map (forked children, results back through pipes) against
concurrent.futures (a ProcessPoolExecutor on the fork start method) and against one process, for
the two parallel phases of a build: loading and validating the records, rendering the pages.

    python -m benchmarks.pools [--sizes 1000,10000] [--jobs 2] [--repeat 3]

Each strategy runs in this process on the same synthetic guide (benchmarks/corpus.py), best of
`--repeat` wall times. Prints a table; nothing is asserted.
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from . import corpus

_JOB: tuple = ()  # the function and chunks of the current futures_map call (children inherit it by fork)


def _run(index: int):
    func, chunks = _JOB
    return func(chunks[index])


def futures_map(func, chunks):
    """fork_map's contract with concurrent.futures: the first chunk here, the others in a pool."""
    global _JOB
    if len(chunks) < 2:
        return [func(c) for c in chunks]
    _JOB = (func, chunks)
    with ProcessPoolExecutor(max_workers=len(chunks) - 1, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = [pool.submit(_run, i) for i in range(1, len(chunks))]
        first = func(chunks[0])
        return [first] + [f.result() for f in futures]


def serial_map(func, chunks):
    return [func(c) for c in chunks]


def _use(mapper) -> None:
    from pilotguide import parallel
    from pilotguide.courses import pack

    parallel.fork_map = mapper
    pack.fork_map = mapper


def measure(root: Path, jobs: int, repeat: int) -> dict[str, dict[str, float]]:
    from pilotguide import parallel
    from pilotguide.content.gather import load_content
    from pilotguide.pages.render import render_pages
    from pilotguide.pages.templates import Templates

    strategies = {"one process": (parallel.fork_map, 1), "fork_map": (parallel.fork_map, jobs),
                  "concurrent.futures": (futures_map, jobs)}
    out = {}
    for name, (mapper, n) in strategies.items():
        _use(mapper)
        load, render = [], []
        for _ in range(repeat):
            started = time.perf_counter()
            content = load_content(root, jobs=n)
            load.append(time.perf_counter() - started)
            started = time.perf_counter()
            render_pages(content, Templates(root / "templates"), jobs=n)
            render.append(time.perf_counter() - started)
        out[name] = {"load": min(load), "render": min(render)}
    _use(strategies["one process"][0])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pools", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pilotguide-pools-"))
    try:
        print("| cases | strategy | load + validate, s | render, s | sum ÷ fork_map |")
        print("|---|---|---|---|---|")
        for n in (int(s) for s in args.sizes.split(",")):
            root = corpus.generate(work / f"guide-{n}", n, seed=args.seed)
            figures = measure(root, args.jobs, args.repeat)
            base = sum(figures["fork_map"].values())
            for name, f in figures.items():
                print(f"| {n:,} | {name} ({1 if name == 'one process' else args.jobs} jobs) | {f['load']:.2f} | "
                      f"{f['render']:.2f} | {(f['load'] + f['render']) / base:.2f} |", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

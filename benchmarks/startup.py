"""How long `pilotguide --help` takes to start, against `python -c pass` (the interpreter alone):
the commands that make no download must not pay for the PDF, Word and slide libraries."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 7


def _median(args: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run([sys.executable, *args], capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure() -> dict:
    bare = _median(["-c", "pass"])
    help_ = _median(["-m", "pilotguide", "--help"])
    return {"python": bare, "help": help_, "ratio": help_ / bare}


def line(m: dict) -> str:
    return (f"`pilotguide --help` {m['help']:.2f} s against `python -c pass` {m['python']:.2f} s "
            f"({m['ratio']:.1f}×, median of {RUNS})")


if __name__ == "__main__":
    print(line(measure()))

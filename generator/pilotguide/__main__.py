"""`python -m pilotguide ...`: the same command where the `pilotguide` script is not on PATH
(Windows without an activated environment, `py -m pilotguide`)."""

from .cli import run

run()

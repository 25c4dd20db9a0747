"""pilotguide: YAML policies, steps, cases and courses -> a searchable, printable MkDocs guide."""

__version__ = "0.1.0"

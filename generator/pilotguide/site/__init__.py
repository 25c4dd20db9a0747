"""The site edge: the MkDocs plugin, builds, previews, search. The engine (MkDocs or ProperDocs)
is chosen here, before any module of this package imports it (engine.activate)."""

from .engine import activate

activate()

"""`pilotguide serve`: the preview server (server.py), what a session keeps between saves
(session.py), the quick path that rebuilds only the pages a save changed (quick.py), and the
search index served from memory (index.py)."""

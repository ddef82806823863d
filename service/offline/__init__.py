"""The offline engine: deterministic rules over the Arabic toolkit, the embedded default (DESIGN §5).

`offline_digest(request)` reads one article with no LLM and no network and returns a Digest labelled
`engine: offline`. One concept per module: `document` (words, sentences, clauses), `entities` (gazetteer
mentions read in context), `titles` (people named after a title), `patterns` (organisations and places
named after a head noun), `places`, `attribution`, `metrics` / `periods` / `figures`, `triggers` /
`timing` / `events`, `quoting`, `summary` (with `english`), wired together in `engine`.
"""

from __future__ import annotations

from service.offline.engine import offline_digest

__all__ = ["offline_digest"]

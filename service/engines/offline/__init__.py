"""Offline engine: deterministic rules over the Arabic toolkit, the embedded default (docs/DESIGN.md §5).

`offline_digest(request)` reads one article with no LLM and no network and returns a Digest labelled
`engine: offline`. One concept per module: `entities` (gazetteer mentions read in context), `titles`
(people named after a title), `patterns` (organisations and places named after a head noun), `places`,
`attribution`, `metrics` / `periods` / `figures`, `triggers` / `events`, `quoting`, `summary` (with
`english`), wired together in `engine`. They read the article through `service.arabic.document`
(words, sentences, clauses) and `service.arabic.lexicon` (word lists), and dates through
`service.arabic.dates`, which the LLM path shares.
"""

from __future__ import annotations

from service.engines.offline.engine import offline_digest

__all__ = ["offline_digest"]

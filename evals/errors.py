"""The one error the eval commands report to their user; the message says what to do."""

from __future__ import annotations


class EvalError(Exception):
    """An eval command cannot go on (no gold set, no LLM endpoint, an unreadable run ...)."""

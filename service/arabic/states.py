"""States of the region and the powers, their Arabic names and nisba adjectives (`data/states.yaml`).

A state is an actor of kind `government` that reads as a place after a locative word; the gazetteer
takes every state as one of its entries (`service.arabic.gazetteer`). Its nisba adjectives, with their
derived plurals, say whose an institution or an official is: `nationality_of("اليمنية")` is Yemen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from service.arabic.lexicon import DATA_DIR, YAML_LOADER, lookup, table
from service.arabic.normalize import normalize_str

DEFAULT_PATH = DATA_DIR / "states.yaml"
SOURCES = frozenset({"un", "press"})


@dataclass(frozen=True, slots=True)
class State:
    name_en: str
    adjective_en: str
    forms: tuple[str, ...]
    nisba: tuple[str, ...]
    source: str


def nisba_forms(nisba: str) -> tuple[str, ...]:
    """The adjective and its plurals: "يمني" → يمنيون، يمنيين؛ "يمنية" → يمنيات."""
    if nisba.endswith("ة"):
        return (nisba, f"{nisba[:-1]}ات")
    return (nisba, f"{nisba}ون", f"{nisba}ين")


def _state_from_yaml(raw: dict[str, Any]) -> State:
    source = str(raw["source"])
    if source not in SOURCES:
        raise ValueError(f"state {raw.get('name_en')!r} has an unknown source {source!r}")
    return State(
        name_en=str(raw["name_en"]),
        adjective_en=str(raw["adjective_en"]),
        forms=tuple(str(form) for form in raw["forms"]),
        nisba=tuple(str(word) for word in raw.get("nisba") or ()),
        source=source,
    )


def read_states(path: Path = DEFAULT_PATH) -> tuple[State, ...]:
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    return tuple(_state_from_yaml(item) for item in raw["states"])


@cache
def default_states() -> tuple[State, ...]:
    return read_states(DEFAULT_PATH)


@cache
def _by_nisba(states: Sequence[State]) -> dict[str, str]:
    return table(
        {form: state.name_en for state in states for word in state.nisba for form in nisba_forms(word)}
    )


def nationality_of(word: str, states: Sequence[State] | None = None) -> State | None:
    """The state whose nisba the word is, with or without the article and proclitics."""
    known = default_states() if states is None else tuple(states)
    name = lookup(normalize_str(word), _by_nisba(known))
    return next((state for state in known if state.name_en == name), None)

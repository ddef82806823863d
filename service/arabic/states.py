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
def _nisba_tables(states: tuple[State, ...]) -> tuple[dict[str, str], dict[str, State]]:
    """Nisba form → state name, and each name's first state."""
    forms = table(
        {form: state.name_en for state in states for word in state.nisba for form in nisba_forms(word)}
    )
    first: dict[str, State] = {}
    for state in states:
        first.setdefault(state.name_en, state)
    return forms, first


@cache
def _default_nisba_tables() -> tuple[dict[str, str], dict[str, State]]:
    """The tables of the default states, found without hashing the states on every word."""
    return _nisba_tables(default_states())


def nationality_of(word: str, states: Sequence[State] | None = None) -> State | None:
    """The state whose nisba the word is, with or without the article and proclitics."""
    forms, first = _default_nisba_tables() if states is None else _nisba_tables(tuple(states))
    name = lookup(normalize_str(word), forms)
    return first.get(name) if name is not None else None

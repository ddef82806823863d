"""Plain-English words for the digest's enums and numbers, as the pages show them."""

from __future__ import annotations

from enum import Enum

from schemas.digest import Figure, Qualifier

_SPECIAL = {
    "llm": "LLM",
    "ngo": "NGO",
    "international_org": "International organisation",
    "state_force": "State force",
    "besieged_population": "Besieged population",
    "facilities_hit": "Facilities hit",
    "ceasefire_or_talks": "Ceasefire or talks",
    "attack_on_facility": "Attack on a facility",
    "llm_failed_offline_fallback": "LLM failed: offline digest instead",
}

_QUALIFIER_WORDS = {
    Qualifier.exact: "",
    Qualifier.at_least: "at least ",
    Qualifier.more_than: "more than ",
    Qualifier.about: "about ",
    Qualifier.up_to: "up to ",
    Qualifier.vague: "vaguely ",
}


def label(value: Enum | str | None) -> str:
    """`air_strike` → `Air strike`; an enum by its value."""
    if value is None:
        return ""
    raw = str(value.value if isinstance(value, Enum) else value)
    return _SPECIAL.get(raw, raw.replace("_", " ").capitalize())


def number(value: int | float | None) -> str:
    """12500 → `12,500`."""
    if value is None:
        return ""
    return f"{value:,.0f}" if isinstance(value, float) else f"{value:,}"


def claim(figure: Figure) -> str:
    """The figure as its source put it: `more than 400`, `about 80`, `at least 10 (vague)`."""
    if figure.qualifier is Qualifier.vague:
        return f"at least {number(figure.value)} (vague)"
    text = f"{_QUALIFIER_WORDS[figure.qualifier]}{number(figure.value)}"
    if figure.low is not None and figure.high is not None and figure.low != figure.high:
        text += f" (between {number(figure.low)} and {number(figure.high)})"
    return text


def short_hash(value: str | None, length: int = 12) -> str:
    return value[:length] if value else "none"

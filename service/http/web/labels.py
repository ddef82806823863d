"""Plain-English words for the digest's enums and numbers, as the pages show them."""

from __future__ import annotations

import datetime as dt
from enum import Enum

from schemas.digest import DatePrecision, Figure
from service.digest.claims import amount

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


def english_date(date: dt.date, precision: DatePrecision) -> str:
    """`23 February 2018`, `February 2018` or `2018`, as precise as the article was."""
    if precision is DatePrecision.year:
        return str(date.year)
    if precision is DatePrecision.month:
        return f"{date:%B} {date.year}"
    return f"{date.day} {date:%B} {date.year}"


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
    """The figure as the article states it: `more than 400`, `about 80`, `dozens`, `between 10 and 20`."""
    return amount(figure.value, figure.qualifier, figure.low, figure.high)


def short_hash(value: str | None, length: int = 12) -> str:
    return value[:length] if value else "none"

"""English phrasing for the offline engine: quantities, actor names, event kinds and lists.

Quantities are claims as written (`service.digest.claims`): "more than 2,500 civilians", "dozens of
people"; a count of one as "a"/"an", a qualified one in words ("at least one person", with "was").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from schemas.digest import EventType, Metric, Qualifier
from schemas.metrics import METRIC_FACTS
from service.digest.claims import amount, counted

_SINGULAR = {"people": "person", "children": "child", "women": "woman", "men": "man"}  # irregular plurals
EVENT_PHRASES = {
    EventType.air_strike: "air strikes",
    EventType.shelling: "shelling",
    EventType.bombing: "a bombing",
    EventType.ground_clash: "clashes",
    EventType.attack_on_facility: "an attack on a medical or civilian facility",
    EventType.chemical_attack: "a chemical attack",
    EventType.arrest_or_abduction: "arrests or abductions",
    EventType.execution: "an execution",
    EventType.protest: "a protest",
    EventType.displacement: "displacement of civilians",
    EventType.ceasefire_or_talks: "ceasefire diplomacy",
    EventType.statement: "a statement",
    EventType.humanitarian: "humanitarian aid",
    EventType.other: "an incident",
}
EVENT_TITLES = {
    EventType.air_strike: "Air strikes",
    EventType.shelling: "Shelling",
    EventType.bombing: "Bombing",
    EventType.ground_clash: "Clashes",
    EventType.attack_on_facility: "Attack on a medical or civilian facility",
    EventType.chemical_attack: "Chemical attack",
    EventType.arrest_or_abduction: "Arrests or abductions",
    EventType.execution: "Execution",
    EventType.protest: "Protest",
    EventType.displacement: "Displacement of civilians",
    EventType.ceasefire_or_talks: "Ceasefire diplomacy and talks",
    EventType.statement: "Statement",
    EventType.humanitarian: "Humanitarian aid",
    EventType.other: "Incident",
}
_DEFINITE_FIRST_WORDS = frozenset(
    {
        "Syrian", "Russian", "Turkish", "UN", "United", "Union", "International", "World", "European", "Arab",
        "Free", "US-led", "Islamic", "Organisation", "Associated", "Daily", "Hmeimim",
    }
)  # fmt: skip
_VOWELS = "aeiouAEIOU"


def metric_passive(metric: Metric) -> str:
    """ "killed": how a count of people of `metric` is told (every casualty metric has one: a test)."""
    passive = METRIC_FACTS[metric].passive_en
    if passive is None:
        raise ValueError(f"metric {metric} counts things, not people: it has no passive in English")
    return passive


class Claim(Protocol):
    """A figure as the English reads it (a `Figure` or the engine's draft of one)."""

    @property
    def value(self) -> int: ...
    @property
    def low(self) -> int | None: ...
    @property
    def high(self) -> int | None: ...
    @property
    def qualifier(self) -> Qualifier: ...
    @property
    def subject_en(self) -> str | None: ...


def quantity(claim: Claim, noun: str | None = None) -> str:
    """ "more than 170 civilians"، "hundreds of people"، "a civilian"، "between 25 and 30 people": the claim
    with `noun` (default its subject, else "people")."""
    noun = noun or claim.subject_en or "people"
    singular = _singular(noun)
    if _exactly_one(claim) and singular is not None:
        return f"{'an' if singular[:1] in _VOWELS else 'a'} {singular}"
    if takes_singular(claim) and singular is not None:
        return f"{_amount(claim).removesuffix('1')}one {singular}"  # "at least one person"
    return counted(claim.value, claim.qualifier, noun, claim.low, claim.high)


def _singular(noun: str) -> str | None:
    """ "people" → "person" (the table), "Palestinians" → "Palestinian", "casualties" → "casualty",
    "family members" → "family member" (the last word); None for a noun with no regular plural ending."""
    head, _, last = noun.rpartition(" ")
    if last in _SINGULAR:
        singular = _SINGULAR[last]
    elif not last.endswith("s") or last.endswith("ss"):
        return None
    else:
        singular = last[:-3] + "y" if last.endswith("ies") else last[:-1]
    return f"{head} {singular}" if head else singular


def _exactly_one(claim: Claim) -> bool:
    """Exactly one, with no qualifier: "a civilian" (the verb after any claim of one: `takes_singular`)."""
    return claim.value == 1 and claim.qualifier is Qualifier.exact and claim.high in (None, 1)


def takes_singular(claim: Claim) -> bool:
    """A claim of one, qualified or not ("at least one person was killed", "a civilian was killed")."""
    return claim.value == 1 and _amount(claim).endswith("1")


def _amount(claim: Claim) -> str:
    return amount(claim.value, claim.qualifier, claim.low, claim.high)


def actor_name(name_en: str) -> str:
    """The English name with "the" where English wants it ("the Syrian Observatory ...", "France")."""
    first_word = name_en.split()[0] if name_en.split() else ""
    return f"the {name_en}" if first_word in _DEFINITE_FIRST_WORDS else name_en


def join(items: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    unique = list(dict.fromkeys(item for item in items if item))
    if len(unique) <= 1:
        return "".join(unique)
    return f"{', '.join(unique[:-1])} and {unique[-1]}"


def sentence(text: str) -> str:
    """Capitalise the first letter and end with a full stop."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."

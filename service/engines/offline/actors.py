"""Actors: every mention that is not a place, grouped by its gazetteer entry, in order of first mention."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from schemas.digest import Actor
from service.arabic.document import Document
from service.engines.offline.entities import EntityMention


@dataclass(frozen=True, slots=True)
class ActorIndex:
    actors: list[Actor]
    ids: dict[tuple[str, str], str]

    def id_of(self, mention: EntityMention | None) -> str | None:
        return None if mention is None else self.ids.get(mention.key)


def build_actors(document: Document, mentions: Sequence[EntityMention]) -> ActorIndex:
    groups: dict[tuple[str, str], list[EntityMention]] = {}
    for mention in mentions:
        if not mention.is_place:
            groups.setdefault(mention.key, []).append(mention)
    actors: list[Actor] = []
    ids: dict[tuple[str, str], str] = {}
    for number, (key, group) in enumerate(groups.items(), start=1):
        entry = group[0].entry
        ids[key] = f"a{number}"
        actors.append(
            Actor(
                id=ids[key],
                name_ar=group[0].text,
                name_en=entry.name_en,
                name_en_source=entry.name_en_source,
                kind=entry.actor_kind or "other",
                title_en=entry.title_en,
                affiliation=entry.affiliation,
                mentions=[document.span(m.start, m.end) for m in group],
            )
        )
    return ActorIndex(actors, ids)

"""Named mentions of actors and places: gazetteer matches and title patterns, each read in context.

Two readings depend on the words around a mention:
- a state ("سوريا") after a locative word ("في"، "إلى"، "أنحاء" or the proclitic ب) is a place, not an
  actor: "قصف في سوريا" names where, "فرنسا تدعو" names who; after a title ("مندوب سوريا") it only
  says whose official someone is, and is not an actor either;
- a capital that stands for its state ("موسكو") is that state's actor when it is the subject of a
  verb of speech or stance ("اعتبرت موسكو"), and a place otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from schemas.digest import ActorKind
from service.arabic.clitics import clitic_variants
from service.arabic.document import Document
from service.arabic.gazetteer import Gazetteer, GazetteerEntry, GazetteerMatch
from service.arabic.lexicon import word_set, words
from service.arabic.states import nationality_of

_LOCATIVE_WORDS = word_set("places", "locative_words")
_LOCATIVE_PROCLITIC = "ب"
_TITLES = word_set("titles", "state_titles")
_CAPITAL_WORDS = words("العاصمة")
_CAPITAL_QUALIFIERS = word_set("places", "capital_qualifiers")
STANCE_VERBS = word_set(
    "reported_speech",
    "saying",
    "declaring",
    "saying_forms",
    "expressing",
    "calling",
    "committing",
    "responding",
    "accusing",
)


_GROUP_NOUNS = words(
    "تنظيم", "جماعة", "حركة", "ميليشيا", "ميليشيات", "مليشيا", "مليشيات", "جبهة", "فصيل",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class EntityMention:
    """One mention of an actor or a place: where it is and which entry it reads as."""

    start: int
    end: int
    text: str
    first_token: int
    last_token: int
    entry: GazetteerEntry
    is_place: bool

    @property
    def key(self) -> tuple[str, str]:
        return (self.entry.kind, self.entry.name_en)


def read_mentions(document: Document, gazetteer: Gazetteer) -> list[EntityMention]:
    """Every gazetteer match of the document, as an actor or a place; a group named with the noun that
    says what it is takes that noun into its mention ("تنظيم داعش"، "جماعة بوكو حرام"); an epithet
    ("النظام"، "المتمردين") names its entry only where the article names the entry's country."""
    matches = gazetteer.find(document.mtext)
    named = _named_states(document, matches)
    kept = [m for m in matches if not m.by_epithet or m.entry.country in named]
    kept = sorted(kept + _bare_capitals(document, kept), key=lambda match: match.start)
    mentions = [_read(document, gazetteer, match) for match in kept]
    taken = {token for m in mentions for token in range(m.first_token, m.last_token + 1)}
    return [_with_group_noun(document, mention, taken) for mention in mentions]


def _bare_capitals(document: Document, matches: Sequence[GazetteerMatch]) -> list[GazetteerMatch]:
    """ "وقع في العاصمة": where the article names one capital ("العاصمة الأفغانية كابل"), the bare word
    is that capital again; before a nationality ("العاصمة السورية") or a qualifier ("العاصمة المؤقتة")
    it names another one."""
    capitals = {m.entry.name_en: m.entry for m in matches if m.entry.is_capital}
    if len(capitals) != 1:
        return []
    (capital,) = capitals.values()
    taken = {token for m in matches for token in range(m.first_token, m.last_token + 1)}
    found = []
    for index in range(len(document.tokens)):
        if index in taken or not document.has(index, _CAPITAL_WORDS):
            continue
        if _another_capital(document, index + 1):
            continue
        token = document.tokens[index]  # the span leaves out proclitics as the gazetteer's matcher does
        skipped = next((offset for stem, offset in clitic_variants(token.text) if stem in _CAPITAL_WORDS), 0)
        start, end = document.mtext.to_original(token.mstart + skipped, token.mend)
        found.append(GazetteerMatch(capital, start, end, document.text[start:end], index, index))
    return found


def _another_capital(document: Document, following: int) -> bool:
    """ "العاصمة السورية"، "العاصمة المؤقتة": the word after "العاصمة" says it is another capital."""
    qualified = document.has(following, _CAPITAL_QUALIFIERS)
    return qualified or nationality_of(document.word(following)) is not None  # word() is "" past the end


def _named_states(document: Document, matches: Sequence[GazetteerMatch]) -> set[str]:
    """The states the article names, by name ("سوريا") or by a nisba ("السوري")."""
    named = {m.entry.name_en for m in matches if m.entry.also_place}
    for index in range(len(document.tokens)):
        state = nationality_of(document.word(index))
        if state is not None:
            named.add(state.name_en)
    return named


def _with_group_noun(document: Document, mention: EntityMention, taken: set[int]) -> EntityMention:
    before = mention.first_token - 1
    if (
        mention.is_place
        or mention.entry.kind != ActorKind.armed_group.value
        or before in taken
        or not document.has(before, _GROUP_NOUNS)
        or document.gap_before(mention.first_token).strip()
    ):
        return mention
    start = document.start_without_proclitics(before, _GROUP_NOUNS)
    text = document.text[start : mention.end]
    return replace(mention, start=start, text=text, first_token=before)


def _read(document: Document, gazetteer: Gazetteer, match: GazetteerMatch) -> EntityMention:
    entry, is_place = match.entry, match.entry.is_place
    if entry.also_place and (_after_locative(document, match) or _qualifies_a_title(document, match)):
        is_place = True
    elif entry.stands_for is not None and _subject_of_stance_verb(document, match):
        state = gazetteer.entry(entry.stands_for, place=False)
        if state is not None:
            entry, is_place = state, False
    return EntityMention(
        match.start, match.end, match.text, match.first_token, match.last_token, entry, is_place
    )


def _after_locative(document: Document, match: GazetteerMatch) -> bool:
    proclitics = document.text[document.tokens[match.first_token].start : match.start]
    if _LOCATIVE_PROCLITIC in proclitics:
        return True
    return document.has(match.first_token - 1, _LOCATIVE_WORDS)


def _qualifies_a_title(document: Document, match: GazetteerMatch) -> bool:
    """ "مندوب سوريا لدى الأمم المتحدة"، "سفير فرنسا": the state names whose official it is."""
    return document.has(match.first_token - 1, _TITLES)


def _subject_of_stance_verb(document: Document, match: GazetteerMatch) -> bool:
    return document.has(match.first_token - 1, STANCE_VERBS)

"""Quotes: speakers resolved to actors, and English that is a gist in its own field, never a translation."""

from __future__ import annotations

from helpers_offline import actor_name, digest_of


def test_speaker_phrase_resolves_to_the_person_it_names() -> None:
    text = "وقال مدير المرصد السوري رامي عبد الرحمن إن 20 مدنيا قتلوا في مدينة دوما."
    digest = digest_of(text)
    [quote] = digest.quotes
    assert actor_name(digest, quote.speaker_actor_id) == "Rami Abdel Rahman"
    assert quote.gist_en == "Rami Abdel Rahman mentioned 20 civilians killed in Douma."
    assert quote.text_en is None  # the offline engine does not translate


def test_a_pronoun_speaker_is_carried_from_the_previous_sentence() -> None:
    text = "أجرى ستيفان دي ميستورا مباحثات في موسكو. وقال عقب لقائه وزير الخارجية إن المحادثات إيجابية."
    digest = digest_of(text)
    [quote] = digest.quotes
    assert actor_name(digest, quote.speaker_actor_id) == "Staffan de Mistura"


def test_an_anonymous_speaker_has_no_actor() -> None:
    digest = digest_of("وقالت سيدة من سكان البلدة: «نحن نختبئ في الأقبية منذ أيام».")
    [quote] = digest.quotes
    assert quote.speaker_actor_id is None
    assert quote.gist_en is not None and quote.gist_en.startswith("A woman")


def test_a_quote_with_nothing_extracted_has_a_gist_that_claims_nothing() -> None:
    digest = digest_of("وقال السفير الفرنسي لدى الأمم المتحدة فرنسوا دولاتر: لا تعليق.")
    [quote] = digest.quotes
    assert quote.gist_en == "François Delattre made a statement."
    assert quote.text_en is None


def test_a_figure_inside_a_quote_is_the_speaker_claim() -> None:
    digest = digest_of("وقال الدفاع المدني: «قتل 8 أشخاص في القصف على سقبا».")
    assert actor_name(digest, digest.figures[0].source_actor_id) == "Syrian Civil Defence"


def test_each_quote_of_a_sentence_without_a_full_stop_speaks_of_its_own_events() -> None:
    digest = digest_of(
        "قال مصدر عسكري: «القصف مستمر على الأحياء الشرقية» ثم قال مسؤول محلي: "
        "«الاشتباكات عنيفة في محيط المطار» و«القصف لم يتوقف»"
    )
    assert [quote.gist_en for quote in digest.quotes] == [
        "A source spoke of shelling.",
        "An official spoke of clashes.",
        "An official spoke of shelling.",
    ]

"""Numbered answers: the model names sentences and candidates by number; the Arabic is written back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemas.digest import Metric, QuoteMode
from schemas.llm_output import LLMEvent, NumberedEvent, NumberedFigure, NumberedQuote
from schemas.request import DigestRequest
from service.engines.llm.client import LLMClient
from service.engines.llm.numbered import NumberedArticle, numbered_text
from service.engines.llm.prompt import PromptFileError, load_prompt
from service.runtime.digester import Digester, EngineChoice
from service.settings import DEFAULT_PROMPT
from tests.llm_replay import ReplayLLM, completion, task_of

NUMBERED_PROMPT = DEFAULT_PROMPT.with_name("digest-v3-numbered.yaml")
TEXT = (
    "قصف الطيران بلدة الوادي فجر السبت.\n"
    "وقال الدفاع المدني إن 14 شخصا قتلوا، بينهم 5 أطفال.\n"
    'وأضاف المتحدث: "الفرق ما زالت تبحث تحت الأنقاض".'
)
EVENT = {
    "ref": "e1",
    "type": "air_strike",
    "sentences": ["S1", 2],
    "location_ar": "بلدة الوادي",
    "location_en": "al-Wadi",
    "when_ar": "فجر السبت",
}


def figure(n: int | str, **fields: object) -> NumberedFigure:
    answer = {"n": n, "metric": "killed", "subject_en": "people", "source_ref": None, "event_ref": None}
    return NumberedFigure.model_validate({"part_of": None, "scope": None, **answer, **fields})


def test_the_article_is_shown_one_numbered_sentence_a_line():
    assert numbered_text(TEXT).splitlines() == [
        "[S1] قصف الطيران بلدة الوادي فجر السبت.",
        "[S2] وقال الدفاع المدني إن 14 شخصا قتلوا، بينهم 5 أطفال.",
        '[S3] وأضاف المتحدث: "الفرق ما زالت تبحث تحت الأنقاض".',
    ]


def test_an_event_s_evidence_is_its_sentences_verbatim_however_the_model_writes_their_numbers():
    event = NumberedArticle.of(TEXT).event(NumberedEvent.model_validate(EVENT))
    assert isinstance(event, LLMEvent)
    assert event.evidence_ar == [
        "قصف الطيران بلدة الوادي فجر السبت.",
        "وقال الدفاع المدني إن 14 شخصا قتلوا، بينهم 5 أطفال.",
    ]
    assert all(sentence in TEXT for sentence in event.evidence_ar)


def test_a_figure_is_its_listed_phrase_and_value_with_its_total_and_its_event_s_place():
    article = NumberedArticle.of(TEXT)
    assert article.figure_hints().splitlines() == ["[N1] 14 شخصا", "[N2] 5 أطفال"]
    event = article.event(NumberedEvent.model_validate(EVENT))
    assert isinstance(event, LLMEvent)
    subset = article.figure(figure("N2", subject_en="children", part_of=1, event_ref="e1"), {"e1": event})
    assert not isinstance(subset, str)
    assert (subset.phrase_ar, subset.value, subset.part_of_ref) == ("5 أطفال", 5, "N1")
    assert (subset.location_ar, subset.location_en) == ("بلدة الوادي", "al-Wadi")


def test_a_quote_is_the_finder_s_words_and_mode_with_the_model_s_translation():
    article = NumberedArticle.of(TEXT)
    direct = next(n for n, m in enumerate(article.quotes, 1) if m.mode is QuoteMode.direct)
    quote = article.quote(
        NumberedQuote(q=direct, text_en="Teams are still searching under the rubble.", speaker_ref=None)
    )
    assert not isinstance(quote, str)
    assert (quote.text_ar, quote.mode) == ("الفرق ما زالت تبحث تحت الأنقاض", QuoteMode.direct)


def test_a_number_outside_its_list_is_a_reason_to_re_ask_that_names_the_list():
    article = NumberedArticle.of(TEXT)
    assert article.figure(figure(9), {}) == "figure N9: N9 is not listed: use [N1] to [N2]"
    assert article.event(NumberedEvent.model_validate({**EVENT, "sentences": [7]})) == (
        "event e1: S7 is not listed: use [S1] to [S3]"
    )
    assert "no [Q] item" in str(
        NumberedArticle.of("التقى الوزير نظيره.").quote(NumberedQuote(q=1, text_en="x", speaker_ref=None))
    )


def test_a_numbered_prompt_cannot_show_a_verbatim_worked_example(tmp_path: Path):
    shown = tmp_path / "numbered-with-example.yaml"
    shown.write_text(f"base: {DEFAULT_PROMPT}\nname: numbered-example\nanswers: numbered\n", encoding="utf-8")
    with pytest.raises(PromptFileError, match="numbered answers cannot show a worked example"):
        load_prompt(shown)


async def test_a_digest_from_numbered_answers_grounds_every_item_in_the_article(llm_settings):
    settings = llm_settings.model_copy(update={"prompt_file": NUMBERED_PROMPT, "llm_mode": "text"})
    answers = {
        "actors_events": {
            "actors": [
                {"ref": "a1", "name_ar": "الدفاع المدني", "name_en": "Civil Defence", "kind": "other"}
            ],
            "events": [EVENT],
        },
        "figures": {
            "figures": [
                {"n": 1, "metric": "killed", "subject_en": "people", "source_ref": "a1", "event_ref": "e1"},
                {"n": 2, "metric": "killed", "subject_en": "children", "event_ref": "e1", "part_of": 1},
            ]
        },
        "quotes": {"quotes": [{"q": 2, "text_en": "Teams are still searching under the rubble."}]},
        "summary": {
            "headline_en": "Air strike on al-Wadi kills 14, among them 5 children",
            "summary_en": "An air strike on the town of al-Wadi killed 14 people, among them 5 children, "
            "Civil Defence said.",
            "key_points_en": ["14 people killed, among them 5 children"],
            "summary_ar": "قتل 14 شخصا في قصف على بلدة الوادي.",
        },
    }
    replay = ReplayLLM([lambda request: completion(answers[task_of(request)])])
    digester = Digester(settings, LLMClient(settings, http_client=replay.http_client()))
    digest = await digester.digest(DigestRequest(text=TEXT), EngineChoice.llm)

    article_message = json.loads(replay.requests[0].content)["messages"][1]["content"]
    assert "[S2] وقال الدفاع المدني" in article_message
    assert [(f.value, f.metric, f.part_of) for f in digest.figures] == [
        (14, Metric.killed, None),
        (5, Metric.killed, digest.figures[0].id),
    ]
    assert [span.text for span in digest.events[0].evidence] == [
        "قصف الطيران بلدة الوادي فجر السبت.",
        "وقال الدفاع المدني إن 14 شخصا قتلوا، بينهم 5 أطفال.",
    ]
    assert digest.quotes[0].span.text == "الفرق ما زالت تبحث تحت الأنقاض"
    assert digest.quotes[0].text_en == "Teams are still searching under the rubble."
    assert not [w for w in digest.warnings if "dropped" in w.code.value or "template" in w.code.value]

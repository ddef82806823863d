"""Drafted answers: the offline reader drafts, the model keeps, corrects, leaves out and adds by number."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from schemas.digest import Metric
from schemas.llm_output import DraftedActor, DraftedEvent, DraftedFigure, DraftedQuote
from schemas.request import DigestRequest
from service.engines.llm.client import LLMClient
from service.engines.llm.drafted import DraftedArticle
from service.engines.llm.engine import LLMEngine
from service.engines.llm.prompt import PromptFileError, load_prompt
from service.engines.offline.engine import offline_draft
from service.runtime.digester import Digester, EngineChoice
from service.settings import DEFAULT_PROMPT
from tests.llm_replay import ReplayLLM, completion, task_of

DRAFTED_PROMPT = DEFAULT_PROMPT.with_name("digest-v4-drafted.yaml")
REVIEWED_PROMPT = DEFAULT_PROMPT.with_name("digest-v4-reviewed.yaml")
TEXT = (
    "قصفت الطائرات الحربية بلدة كفرنبل في ريف إدلب صباح الأحد.\n"
    "وقال الدفاع المدني إن 9 مدنيين قتلوا، بينهم 4 أطفال، وأصيب 20 آخرون.\n"
    'وقال مدير المشفى: "نحتاج إلى الأدوية بشكل عاجل".\n'
    "وكانت البلدة قد تعرضت لقصف مماثل في عام 2019."
)


@pytest.fixture(scope="module")
def article() -> DraftedArticle:
    return DraftedArticle.of(TEXT, offline_draft(DigestRequest(text=TEXT)))


def actor_number(article: DraftedArticle, name_ar: str) -> int:
    return next(n for n, actor in enumerate(article.draft.actors, 1) if actor.name_ar == name_ar)


def figure_number(article: DraftedArticle, phrase: str) -> int:
    return next(n for n, figure in enumerate(article.draft.figures, 1) if figure.span.text == phrase)


def test_the_draft_is_shown_numbered_with_its_reading_of_every_figure(article: DraftedArticle):
    shown = article.actors_events_hints()
    assert f"[A{actor_number(article, 'الدفاع المدني')}] «الدفاع المدني» = " in shown
    assert "[E1] Air strike in Kafr Nabl, «صباح الأحد» (S1" in shown
    lines = article.figure_hints().splitlines()
    killed = figure_number(article, "9 مدنيين")
    assert lines[killed - 1] == f"[N{killed}] «9 مدنيين»: killed, civilians, incident"
    assert lines[figure_number(article, "4 أطفال") - 1].endswith(f"among N{killed}")
    assert not [line for line in lines if "2019" in line]  # a year is no figure of the draft
    assert article.quote_hints().splitlines() == [
        "[Q1] indirect, Syrian Civil Defence: «9 مدنيين قتلوا، بينهم 4 أطفال، وأصيب 20 آخرون»",
        "[Q2] direct: «نحتاج إلى الأدوية بشكل عاجل»",  # the hospital director is no drafted actor
    ]


def test_what_the_model_does_not_name_wrong_is_kept_as_drafted(article: DraftedArticle):
    civil_defence = actor_number(article, "الدفاع المدني")
    wrong_actors = [DraftedActor(a=n) for n in range(1, len(article.draft.actors) + 1) if n != civil_defence]
    found = article.kept_actors_events({"wrong_actors": wrong_actors, "wrong_events": []})
    drafted = article.draft.actors[civil_defence - 1]
    assert [(a.ref, a.name_ar, a.name_en, a.kind) for a in found["actors"]] == [
        (drafted.id, drafted.name_ar, drafted.name_en, drafted.kind)
    ]
    assert [event.evidence_ar for event in found["events"]] == [
        [span.text for span in event.evidence] for event in article.draft.events
    ]
    injured = figure_number(article, "20 آخرون")
    figures = article.kept_figures({"wrong_figures": [DraftedFigure(n=injured)]})["figures"]
    assert [(f.phrase_ar, f.value, f.metric) for f in figures] == [
        ("9 مدنيين", 9, Metric.killed),
        ("4 أطفال", 4, Metric.killed),
    ]
    assert figures[1].part_of_ref == figures[0].ref


def test_a_translation_is_of_the_drafted_quote_and_a_number_outside_its_list_is_a_reason(
    article: DraftedArticle,
):
    quote = article.quote(DraftedQuote(q=2, text_en="We urgently need medicines."))
    assert not isinstance(quote, str)
    assert (quote.text_ar, quote.text_en) == ("نحتاج إلى الأدوية بشكل عاجل", "We urgently need medicines.")
    assert article.quote(DraftedQuote(q=3, text_en="x")) == "quote Q3: Q3 is not listed: use [Q1] to [Q2]"
    events = len(article.draft.events)
    assert article.listed_item(DraftedEvent(e=9)) == f"E9 is not listed: use [E1] to [E{events}]"
    assert article.listed_item(DraftedFigure(n=1)) == DraftedFigure(n=1)


async def test_a_digest_from_a_reviewed_draft_keeps_what_the_model_did_not_name_wrong(llm_settings):
    settings = llm_settings.model_copy(update={"prompt_file": REVIEWED_PROMPT, "llm_mode": "text"})
    article = DraftedArticle.of(TEXT, offline_draft(DigestRequest(text=TEXT)))
    answers = {
        "actors_events": {"wrong_events": [], "wrong_actors": []},
        "figures": {"wrong_figures": [{"n": figure_number(article, "20 آخرون")}]},  # the injured: wrong
        "quotes": {"quotes": [{"q": 2, "text_en": "We urgently need medicines."}]},
        "summary": {
            "headline_en": "Air strike on Kafr Nabl kills 9 civilians",
            "summary_en": "An air strike on Kafr Nabl killed 9 civilians, the Civil Defence said.",
            "key_points_en": ["9 civilians killed"],
            "summary_ar": "قتل 9 مدنيين في قصف على كفرنبل.",
        },
    }
    replay = ReplayLLM([lambda request: completion(answers[task_of(request)], completion_tokens=40)])
    digester = Digester(settings, LLMClient(settings, http_client=replay.http_client()))
    digest = await digester.digest(DigestRequest(text=TEXT), EngineChoice.llm)

    assert [(f.value, f.metric, f.span.text) for f in digest.figures] == [
        (9, Metric.killed, "9 مدنيين"),
        (4, Metric.killed, "4 أطفال"),
    ]
    assert digest.figures[1].part_of == digest.figures[0].id
    assert [actor.name_ar for actor in digest.actors] == ["الدفاع المدني"]
    assert digest.figures[0].source_actor_id == digest.actors[0].id
    assert [q.text_en for q in digest.quotes] == [None, "We urgently need medicines."]
    assert digest.summary.headline_en == "Air strike on Kafr Nabl kills 9 civilians"
    assert not [
        w
        for w in digest.warnings
        if w.code.value in ("dangling_reference_removed", "summary_replaced_by_template")
    ]
    figures_call = next(
        body["messages"][2]["content"]
        for body in (json.loads(request.content) for request in replay.requests)
        if body["messages"][2]["content"].startswith("Task figures")
    )
    assert "«9 مدنيين»: killed" in figures_call


async def test_a_draft_not_reviewed_is_kept_and_the_model_translates_and_rewrites_the_summary(llm_settings):
    settings = llm_settings.model_copy(update={"prompt_file": DRAFTED_PROMPT, "llm_mode": "text"})
    answers = {
        "quotes": {"quotes": [{"q": 2, "text_en": "We urgently need medicines."}]},
        "summary": {
            "headline_en": "Air strike on Kafr Nabl kills 9 civilians, 4 of them children",
            "summary_en": "An air strike on Kafr Nabl killed 9 civilians, among them 4 children.",
            "key_points_en": ["9 civilians killed, among them 4 children", "20 injured"],
            "summary_ar": "قتل 9 مدنيين في قصف على كفرنبل.",
        },
    }
    replay = ReplayLLM([lambda request: completion(answers[task_of(request)], completion_tokens=40)])
    digester = Digester(settings, LLMClient(settings, http_client=replay.http_client()))
    digest = await digester.digest(DigestRequest(text=TEXT), EngineChoice.llm)

    drafted = offline_draft(DigestRequest(text=TEXT))
    assert [(f.value, f.metric) for f in digest.figures] == [(f.value, f.metric) for f in drafted.figures]
    assert [a.name_ar for a in digest.actors] == [a.name_ar for a in drafted.actors]
    untranslated, translated = digest.quotes
    assert (translated.text_en, translated.gist_en) == ("We urgently need medicines.", None)
    assert untranslated.text_en is None, "the model translated only Q2: Q1 keeps the draft's gist"
    assert untranslated.gist_en == drafted.quotes[0].gist_en
    assert untranslated.speaker_actor_id == digest.actors[0].id
    assert [q.id for q in digest.quotes] == ["q1", "q2"]
    assert digest.summary.headline_en.startswith("Air strike on Kafr Nabl kills 9 civilians")
    assert digest.provenance.drafted_tasks == ["actors_events", "figures"]
    assert [call.task for call in digest.provenance.calls] == ["quotes", "summary"]
    sent = [json.loads(request.content)["messages"] for request in replay.requests]
    assert all("كفرنبل" not in message["content"] for message in sent[1])  # the summary reads no Arabic
    assert "[Q2] direct: «نحتاج إلى الأدوية بشكل عاجل»" in sent[0][-1]["content"]
    assert "headline_en: " in sent[1][-1]["content"]  # the template summary, to rewrite


def test_only_a_drafted_prompt_leaves_tasks_unasked_and_only_with_none_asked_hides_the_article(tmp_path):
    unasked = tmp_path / "unasked.yaml"
    unasked.write_text(
        f"base: {DEFAULT_PROMPT.with_name('digest-v3-numbered.yaml')}\nname: x\n"
        "tasks: {figures: {ask: false}}\n",
        encoding="utf-8",
    )
    with pytest.raises(PromptFileError, match="only a prompt of drafted answers"):
        load_prompt(unasked)
    hidden = tmp_path / "hidden.yaml"
    hidden.write_text(f"base: {REVIEWED_PROMPT}\nname: y\nshow_article: false\n", encoding="utf-8")
    with pytest.raises(PromptFileError, match="show_article: false needs"):
        load_prompt(hidden)


def test_a_drafted_prompt_needs_a_drafter(llm_settings):
    settings = llm_settings.model_copy(update={"prompt_file": DRAFTED_PROMPT})
    with pytest.raises(ValueError, match="give the engine a drafter"):
        LLMEngine(LLMClient(settings), load_prompt(DRAFTED_PROMPT), settings)


@pytest.mark.parametrize("written", [3, "3", "N3", "[N3]", {"n": 3}, {"n": "N3"}, {"N3": 3}, {"N3": True}])
def test_a_drafted_figure_is_read_by_its_number_as_a_small_model_writes_it(written: object):
    assert DraftedFigure.model_validate(written) == DraftedFigure(n=3)


@pytest.mark.parametrize(
    "written", [{"N3": "the battle in the north"}, {"n": 0}, {"figure": 3, "why": "x"}, "third"]
)
def test_a_drafted_figure_named_by_no_number_is_invalid(written: object):
    with pytest.raises(ValidationError):
        DraftedFigure.model_validate(written)

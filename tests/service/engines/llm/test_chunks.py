"""Long articles: parts of whole sentences with overlap, merged answers, refs that never collide."""

from __future__ import annotations

import itertools

from schemas.llm_output import LLMActor, LLMDigest, LLMEvent, LLMEventActor, LLMFigure
from schemas.request import DigestRequest
from service.arabic.sentences import sentence_pieces
from service.engines.llm.chunks import merge_parts, split_article
from service.engines.llm.client import LLMClient
from service.runtime.digester import Digester, EngineChoice
from tests.llm_replay import ReplayLLM, answers

TEXT = "قال المرصد إن 5 مدنيين قتلوا. وأضاف أن القصف استمر. وذكرت الوكالة أن 3 جرحى نقلوا.\nوانتهى الأمر."


def test_sentences_join_back_to_the_text():
    pieces = sentence_pieces(TEXT)
    assert "".join(pieces) == TEXT
    assert len(pieces) == 4


def test_parts_are_whole_sentences_within_the_budget_and_overlap_by_one():
    parts = split_article(TEXT, 60)
    assert len(parts) > 1
    assert all(len(part) <= 60 or len(sentence_pieces(part)) == 1 for part in parts)
    for previous, following in itertools.pairwise(parts):
        assert sentence_pieces(previous)[-1] == sentence_pieces(following)[0]
    assert split_article(TEXT, 10_000) == [TEXT]


def _answer(actor_ref: str, figure_ref: str) -> LLMDigest:
    actor = LLMActor(ref=actor_ref, name_ar="المرصد", name_en="the Observatory", kind="ngo", title_en=None)
    event = LLMEvent(
        ref="e1", type="shelling", description_en="Shelling.", location_ar=None, location_en=None,
        when_ar=None, actors=[LLMEventActor(ref=actor_ref, role="reporter")], evidence_ar=["القصف استمر"],
    )  # fmt: skip
    figure = LLMFigure(
        ref=figure_ref, phrase_ar="5 مدنيين", value=5, metric="killed",
        subject_en="civilians", period_ar=None, location_ar=None, location_en=None, source_ref=actor_ref,
        event_ref="e1", part_of_ref=None, scope="incident",
    )  # fmt: skip
    return LLMDigest(
        headline_en="", summary_en="", key_points_en=[], summary_ar="",
        actors=[actor], events=[event], figures=[figure], quotes=[],
    )  # fmt: skip


def test_the_overlap_s_repeated_items_are_kept_once_and_references_follow_the_kept_item():
    merged = merge_parts([_answer("a1", "f1"), _answer("a1", "f1")])
    assert [actor.ref for actor in merged.actors] == ["p1a1"]
    assert [figure.ref for figure in merged.figures] == ["p1f1"]
    assert merged.figures[0].source_ref == "p1a1" and merged.figures[0].event_ref == "p1e1"
    assert merged.events[0].actors[0].ref == "p1a1"


def test_different_items_of_two_parts_keep_distinct_refs():
    second = _answer("a1", "f1")
    second.figures[0].phrase_ar = "3 جرحى"
    merged = merge_parts([_answer("a1", "f1"), second])
    assert [figure.ref for figure in merged.figures] == ["p1f1", "p2f1"]
    assert merged.figures[1].source_ref == "p1a1", "the second part's actor is the first part's"


async def test_an_article_longer_than_the_context_is_asked_in_parts_and_merged(llm_settings, example):
    article, output = example
    long_article = "\n".join([article] * 8)
    settings = llm_settings.model_copy(update={"llm_context_tokens": 2048, "llm_max_output_tokens": 256})
    replay = ReplayLLM([answers(output)])
    digester = Digester(settings, LLMClient(settings, http_client=replay.http_client()))

    digest = await digester.digest(DigestRequest(text=long_article), EngineChoice.llm)

    parts = sorted({call.chunk for call in digest.provenance.calls})
    assert len(parts) > 1
    assert [figure.value for figure in digest.figures] == [12, 3, 30], "repeats across parts are one item"
    assert [actor.name_ar for actor in digest.actors] == [actor.name_ar for actor in output.actors]

"""Streamed answers (DIGEST_LLM_STREAM): a call ends at the first item that repeats an earlier one."""

from __future__ import annotations

import json

import pytest

from schemas.digest import CallOutcome
from schemas.llm_output import LLMDigest, LLMFigure
from schemas.request import DigestRequest
from service.engines.llm.answers import repeat_cut
from service.engines.llm.asking import identity
from service.engines.llm.client import LLMClient
from service.runtime.digester import Digester, EngineChoice
from service.settings import Settings
from tests.llm_replay import ReplayLLM, StreamedReply, answers, pieces_of, task_answer

LOOPS = 12  # copies of the last figure a looping model would write until the token cap


@pytest.fixture
def stream_settings(llm_settings: Settings) -> Settings:
    return llm_settings.model_copy(update={"llm_stream": True})


def looping_figures(output: LLMDigest) -> str:
    """The figures answer with its last figure repeated, only its source changing (a 1.5B model did)."""
    figures = task_answer(output, "figures")["figures"]
    copies = [{**figures[-1], "ref": f"f{9 + n}", "source_ref": None} for n in range(LOOPS)]
    return json.dumps({"figures": [*figures, *copies]}, ensure_ascii=False)


def streamed_answers(output: LLMDigest, figures: StreamedReply) -> ReplayLLM:
    lists = {
        task: StreamedReply(pieces_of(json.dumps(task_answer(output, task), ensure_ascii=False)))
        for task in ("actors_events", "quotes")
    }
    return ReplayLLM([answers(output, figures=figures, **lists)])


async def test_a_looping_answer_is_stopped_at_the_first_repeat_and_keeps_its_items(stream_settings, example):
    article, output = example
    figures = StreamedReply(pieces_of(looping_figures(output)))
    replay = streamed_answers(output, figures)
    digester = Digester(stream_settings, LLMClient(stream_settings, http_client=replay.http_client()))

    digest = await digester.digest(DigestRequest(text=article), EngineChoice.llm)

    assert [figure.span.text for figure in digest.figures] == [f.phrase_ar for f in output.figures]
    assert figures.sent < len(figures.pieces) / 2, "the stream was closed at the repeat, not read to its end"
    call = next(call for call in digest.provenance.calls if call.task == "figures")
    assert call.outcome is CallOutcome.answered
    assert call.usage.completion_tokens <= figures.sent, "streamed pieces stand for the output tokens"
    assert call.usage.prompt_tokens > 0, "llama.cpp streams no usage: the prompt is estimated"


async def test_a_streamed_tool_call_is_read_like_a_plain_one(stream_settings, example):
    article, output = example
    settings = stream_settings.model_copy(update={"llm_mode": "tools"})
    text = json.dumps(task_answer(output, "figures"), ensure_ascii=False)
    figures = StreamedReply(pieces_of(text), tool="FiguresAnswer")
    replay = streamed_answers(output, figures)
    digester = Digester(settings, LLMClient(settings, http_client=replay.http_client()))

    digest = await digester.digest(DigestRequest(text=article), EngineChoice.llm)

    assert len(digest.figures) == len(output.figures)
    assert figures.sent == len(figures.pieces), "an answer without repeats is read to its end"
    assert all(json.loads(request.content).get("stream") for request in replay.requests[:3])


def test_repeat_cut_ends_before_the_first_repeated_item_and_leaves_out_lists_not_reached(example):
    _, output = example
    actors = [actor.model_dump() for actor in output.actors]
    partial = json.dumps({"actors": [*actors, actors[0]]}, ensure_ascii=False)[:-2] + ', {"ref": "e'
    lists = {"actors": type(output.actors[0]), "events": type(output.events[0])}

    cut = repeat_cut(partial, lists, identity)

    assert cut is not None and json.loads(cut) == {"actors": actors}
    whole = json.dumps({"actors": actors}, ensure_ascii=False)
    assert repeat_cut(whole, lists, identity) is None
    assert repeat_cut(json.dumps(task_answer(output, "figures")), {"figures": LLMFigure}, identity) is None

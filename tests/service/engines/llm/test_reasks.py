"""The defects met against a real llama.cpp server, replayed at the transport: truncation in tools
mode, re-ask prompts that outgrew the context, a good first answer lost to a failing re-ask, a
digest served with nothing grounded, a summary with a number the article does not state."""

from __future__ import annotations

import json

import pytest

from schemas.digest import WarningCode
from schemas.llm_output import LLMDigest
from schemas.request import DigestRequest
from service.engines.llm.asking import messages_tokens
from service.engines.llm.client import LLMClient
from service.errors import UpstreamError
from service.runtime.digester import Digester, EngineChoice
from service.settings import Settings
from tests.llm_replay import (
    ReplayLLM,
    answers,
    completion,
    error_response,
    task_answer,
    task_of,
    tool_completion,
)


def tools_settings(settings: Settings, **overrides: object) -> Settings:
    return settings.model_copy(update={"llm_mode": "tools", **overrides})


async def digest_with(settings: Settings, replay: ReplayLLM, article: str):  # type: ignore[no-untyped-def]
    digester = Digester(settings, LLMClient(settings, http_client=replay.http_client()))
    return await digester.digest(DigestRequest(text=article), EngineChoice.llm)


def figures_json(output: LLMDigest) -> str:
    return json.dumps(task_answer(output, "figures"), ensure_ascii=False)


async def test_a_cut_off_tool_call_is_detected_and_its_complete_items_kept(llm_settings, example):
    """llama.cpp says finish_reason "tool_calls" even when the answer ran into max_tokens."""
    article, output = example
    settings = tools_settings(llm_settings)
    whole = figures_json(output)
    cut_after_two = whole[: whole.index('"ref": "f3"') + 20]
    cut = tool_completion(cut_after_two, "FiguresAnswer", completion_tokens=1200)
    rest = tool_completion(
        json.dumps({"figures": [task_answer(output, "figures")["figures"][2]]}), "FiguresAnswer"
    )
    replies = iter([cut, rest])
    replay = ReplayLLM([answers(output, figures=lambda _: next(replies))])

    digest = await digest_with(settings, replay, article)

    figure_calls = [r for r in replay.requests if task_of(r) == "figures"]
    assert len(figure_calls) == 2, "the cut-off answer was re-asked for the items it had not reached"
    note = json.loads(figure_calls[1].content)["messages"][-1]["content"]
    assert "cut off" in note and "12 شخصا قتلوا" in note, "the re-ask names what is already kept"
    assert [figure.value for figure in digest.figures] == [12, 3, 30]
    assert WarningCode.llm_answer_truncated in [warning.code for warning in digest.warnings]
    assert [call.outcome.value for call in digest.provenance.calls if call.task == "figures"] == [
        "truncated",
        "answered",
    ]


async def test_the_reask_prompt_stays_within_the_context_and_never_repeats_the_answer(llm_settings, example):
    article, output = example
    settings = llm_settings.model_copy(update={"llm_context_tokens": 4096})
    invented = [
        {**task_answer(output, "quotes")["quotes"][0], "text_ar": f"كلام لم يقله أحد رقم {index} " * 8}
        for index in range(200)
    ]
    replay = ReplayLLM([answers(output, quotes=completion({"quotes": invented}))])

    await digest_with(settings, replay, article)

    for request in replay.requests:
        body = json.loads(request.content)
        assert messages_tokens(body["messages"]) + body["max_tokens"] <= settings.llm_context_tokens
    quote_calls = [json.loads(r.content) for r in replay.requests if task_of(r) == "quotes"]
    reask = next(body for body in quote_calls if len(body["messages"]) > 3)
    assert json.dumps(invented, ensure_ascii=False) not in json.dumps(reask, ensure_ascii=False)


async def test_a_usable_first_answer_survives_a_failing_reask(llm_settings, example):
    article, output = example
    with_invented = task_answer(output, "figures")
    with_invented["figures"].append(
        {**with_invented["figures"][0], "ref": "f9", "phrase_ar": "مقتل 300 مقاتل", "value": 300}
    )
    replies = iter([completion(with_invented), error_response(400)])
    replay = ReplayLLM([answers(output, figures=lambda _: next(replies))])

    digest = await digest_with(llm_settings, replay, article)

    assert [figure.value for figure in digest.figures] == [12, 3, 30]
    assert digest.provenance.reasks == 1
    assert [call.outcome.value for call in digest.provenance.calls if call.task == "figures"] == [
        "answered",
        "failed",
    ]
    assert WarningCode.ungrounded_figure_dropped in [warning.code for warning in digest.warnings]


async def test_nothing_grounded_is_a_502_not_a_digest_and_is_not_cached(llm_settings, example):
    article, output = example
    invented = output.model_copy(deep=True)
    for actor in invented.actors:
        actor.name_ar = "جهة لا ذكر لها"
    for event in invented.events:
        event.evidence_ar = ["جملة لا وجود لها في المقال"]
    invented.figures, invented.quotes = [], []
    replay = ReplayLLM([answers(invented)])
    digester = Digester(llm_settings, LLMClient(llm_settings, http_client=replay.http_client()))

    with pytest.raises(UpstreamError, match="nothing that could be grounded"):
        await digester.digest(DigestRequest(text=article), EngineChoice.llm)
    assert "summary" not in [task_of(request) for request in replay.requests], "no summary of nothing"
    fallback = await digester.digest(DigestRequest(text=article), EngineChoice.auto)
    assert fallback.provenance.engine.value == "offline"
    assert fallback.warnings[0].code is WarningCode.llm_failed_offline_fallback


async def test_a_summary_number_that_is_no_grounded_figure_is_reasked_then_replaced(llm_settings, example):
    article, output = example
    wrong = task_answer(output, "summary") | {"summary_en": "Shelling in Taiz killed 25 people on Sunday."}
    replay = ReplayLLM([answers(output, summary=completion(wrong))])

    digest = await digest_with(llm_settings, replay, article)

    summary_calls = [r for r in replay.requests if task_of(r) == "summary"]
    assert len(summary_calls) == 2, "re-asked once"
    assert "25" in json.loads(summary_calls[1].content)["messages"][-1]["content"]
    assert "25" not in digest.summary.summary_en
    assert "12" in digest.summary.summary_en, "the template is written from the grounded figures"
    replaced = [w for w in digest.warnings if w.code is WarningCode.summary_replaced_by_template]
    assert replaced and "the numbers 25 are not among" in replaced[0].message, "the model's own reason"


async def test_without_reasks_a_failing_summary_is_asked_once_then_replaced(llm_settings, example):
    article, output = example
    wrong = task_answer(output, "summary") | {"summary_en": "Shelling in Taiz killed 25 people on Sunday."}
    settings = llm_settings.model_copy(update={"llm_reasks": 0})
    replay = ReplayLLM([answers(output, summary=completion(wrong))])

    digest = await digest_with(settings, replay, article)

    assert [task_of(r) for r in replay.requests].count("summary") == 1
    assert digest.provenance.failed_tasks == [] and "12" in digest.summary.summary_en
    assert any(w.code is WarningCode.summary_replaced_by_template for w in digest.warnings)


async def test_a_summary_naming_someone_the_facts_lack_is_replaced(llm_settings, example):
    article, output = example
    wrong = task_answer(output, "summary") | {"summary_en": "The shelling was ordered by General Haftar."}
    replay = ReplayLLM([answers(output, summary=completion(wrong))])
    digest = await digest_with(llm_settings, replay, article)
    assert "Haftar" not in digest.summary.summary_en
    assert WarningCode.summary_replaced_by_template in [warning.code for warning in digest.warnings]
    assert "Jens Laerke said: “More than 30 wounded" in digest.summary.summary_en, "the template quotes"


async def test_a_json_schema_refusal_names_the_tools_mode(llm_settings, example):
    article, _ = example
    refused = error_response(500)
    replay = ReplayLLM([refused])
    with pytest.raises(UpstreamError, match="DIGEST_LLM_MODE=tools"):
        await digest_with(llm_settings, replay, article)


async def test_figures_and_quotes_are_told_the_actors_refs(llm_settings, example):
    article, output = example
    replay = ReplayLLM([answers(output)])
    await digest_with(llm_settings, replay, article)
    figures_call = next(r for r in replay.requests if task_of(r) == "figures")
    task_message = json.loads(figures_call.content)["messages"][2]["content"]
    assert "a2 = ينس لاركيه" in task_message and "e1 = shelling تعز" in task_message

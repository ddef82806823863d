"""Reading one answer item by item: what a left-out key says, and what it cannot."""

from __future__ import annotations

import json

from schemas.llm_output import LLMActor, LLMFigure
from schemas.request import DigestRequest
from service.engines.llm.answers import read_lists
from service.engines.llm.client import LLMClient
from service.runtime.digester import Digester, EngineChoice
from tests.llm_replay import ReplayLLM, answers, completion, task_answer


def test_a_left_out_nullable_key_is_read_as_null():
    actor = {"ref": "a1", "name_ar": "وزارة الخارجية", "name_en": "Foreign Ministry", "kind": "government"}
    answer = json.dumps({"actors": [actor]}, ensure_ascii=False)
    read = read_lists(answer, {"actors": LLMActor}, truncated=False)
    assert read.errors == []
    [actor] = read.items["actors"]
    assert isinstance(actor, LLMActor) and actor.title_en is None


def test_a_left_out_key_that_cannot_be_null_is_still_an_error():
    answer = json.dumps({"figures": [{"ref": "f1", "phrase_ar": "5 مدنيين", "value": 5}]}, ensure_ascii=False)
    read = read_lists(answer, {"figures": LLMFigure}, truncated=False)
    assert read.items["figures"] == []
    assert "metric: Field required" in read.errors[0]
    assert "period_ar" not in read.errors[0] and "scope" not in read.errors[0]  # null: read from the period


async def test_figures_written_without_their_null_keys_are_grounded_as_whole_ones(llm_settings, example):
    article, output = example
    figures = [
        {key: value for key, value in figure.items() if value is not None}
        for figure in task_answer(output, "figures")["figures"]
    ]
    replay = ReplayLLM([answers(output, figures=completion({"figures": figures}))])
    digester = Digester(llm_settings, LLMClient(llm_settings, http_client=replay.http_client()))
    digest = await digester.digest(DigestRequest(text=article), EngineChoice.llm)
    assert digest.provenance.reasks == 0 and digest.warnings == []
    assert [(figure.value, figure.part_of, figure.period_ar) for figure in digest.figures] == [
        (12, None, None), (3, "f1", None), (30, None, None),
    ]  # fmt: skip

"""The readers' candidates a prompt may give the model: verbatim, short, and only in prompts that ask."""

from __future__ import annotations

import json

from schemas.request import DigestRequest
from service.engines.llm.client import LLMClient
from service.engines.llm.hints import NO_HINTS, figure_hints, quote_hints
from service.runtime.digester import Digester, EngineChoice
from service.settings import DEFAULT_PROMPT
from tests.llm_replay import ReplayLLM, answers, task_of

HINTS_PROMPT = DEFAULT_PROMPT.with_name("digest-v2-hints.yaml")


def test_each_number_phrase_comes_with_what_it_counts_once_and_never_across_a_line_or_a_year():
    text = "قتل خمسة وعشرون مدنيا في قصف على البلدة، بينهم 7 أطفال.\nوأصيب أكثر من 40 شخصا\nعام 2019"
    assert figure_hints(text).splitlines() == [
        "- خمسة وعشرون مدنيا",
        "- 7 أطفال",
        "- أكثر من 40 شخصا",
    ]


def test_each_quote_comes_with_its_mode_and_the_speaker_as_written():
    text = (
        'وقال وزير الصحة إن "المستشفيات تعمل فوق طاقتها منذ أسبوع". '
        "وأكد المتحدث أن الفرق ما زالت تبحث عن مفقودين."
    )
    hints = quote_hints(text)
    assert "«المستشفيات تعمل فوق طاقتها منذ أسبوع»" in hints
    assert "(speaker: وزير الصحة)" in hints
    assert "indirect: «الفرق ما زالت تبحث عن مفقودين»" in hints


def test_an_article_without_candidates_says_so():
    assert figure_hints("التقى الوزير نظيره في العاصمة.") == NO_HINTS
    assert quote_hints("التقى الوزير نظيره في العاصمة.") == NO_HINTS


async def test_a_prompt_that_names_hints_gets_the_readers_candidates_and_one_that_does_not_none(
    llm_settings, example
):
    article, output = example
    for prompt_file, expected in ((HINTS_PROMPT, True), (DEFAULT_PROMPT, False)):
        settings = llm_settings.model_copy(update={"prompt_file": prompt_file})
        replay = ReplayLLM([answers(output)])
        digest = await Digester(settings, LLMClient(settings, http_client=replay.http_client())).digest(
            DigestRequest(text=article), EngineChoice.llm
        )
        tasks = {task_of(r): json.loads(r.content)["messages"][2]["content"] for r in replay.requests}
        assert ("- 12 شخصا" in tasks["figures"]) is expected
        assert ("«أكثر من 30 جريحا نقلوا إلى مستشفيات المدينة»" in tasks["quotes"]) is expected
        assert [figure.value for figure in digest.figures] == [12, 3, 30], "grounded as any answer"

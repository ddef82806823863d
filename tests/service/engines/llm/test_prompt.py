"""The prompt file is checked at load: a mistake in it is a start-up error, not a 500 per request."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from service.digest.grounding import ground, grounding_problems
from service.engines.llm.client import LLMClient
from service.engines.llm.prompt import PromptFileError, load_prompt
from service.runtime.digester import Digester
from service.settings import DEFAULT_PROMPT, Settings
from tests.paths import REPO

GOLD_ARTICLES = [path.read_text(encoding="utf-8") for path in (REPO / "seeds").glob("*.txt")]


def edited_prompt(tmp_path: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(DEFAULT_PROMPT.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "prompt.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_example_grounds_with_no_warnings(example):
    article, output = example
    assert grounding_problems(output, article) == []
    items = ground(output, article)
    assert items.warnings == []
    assert len(items.figures) == len(output.figures) and len(items.quotes) == len(output.quotes)
    assert len(items.actors) == len(output.actors) and len(items.events) == len(output.events)


def test_the_worked_example_is_in_no_gold_article(example):
    article, _ = example
    first_sentence = article.split(".")[0]
    assert not any(first_sentence in text for text in GOLD_ARTICLES)
    gold_texts = [
        path.read_text(encoding="utf-8") for path in (REPO / "evals" / "gold" / "src").glob("*.yaml")
    ]
    assert not any(first_sentence in text for text in gold_texts)


def test_a_prompt_without_a_worked_example_sends_its_rules_alone(tmp_path):
    prompt = load_prompt(edited_prompt(tmp_path, lambda data: data.pop("example")))
    assert prompt.static == prompt.file.system.rstrip()
    assert prompt.version != load_prompt(DEFAULT_PROMPT).version


def test_a_variant_states_only_what_it_changes_and_has_its_own_version(tmp_path):
    base = edited_prompt(tmp_path, lambda data: None)
    variant = tmp_path / "small.yaml"
    variant.write_text("base: prompt.yaml\nname: small\nexample: null\n", encoding="utf-8")

    small, full = load_prompt(variant), load_prompt(base)
    assert small.name == "small" and small.file.example is None
    assert small.file.tasks == full.file.tasks and small.version != full.version
    base.write_text(
        base.read_text(encoding="utf-8").replace("Task figures", "Task  figures"), encoding="utf-8"
    )
    load_prompt.cache_clear()
    assert load_prompt(variant).version != small.version, (
        "an edit of the base is a new version of the variant"
    )


def test_a_variant_changes_one_task_instruction_and_keeps_the_rest(tmp_path):
    base = edited_prompt(tmp_path, lambda data: None)
    variant = tmp_path / "hinted.yaml"
    variant.write_text(
        "base: prompt.yaml\nname: hinted\ntasks:\n  quotes:\n    instruction: 'Task quotes: $hints'\n",
        encoding="utf-8",
    )
    hinted, full = load_prompt(variant), load_prompt(base)
    assert hinted.file.tasks.quotes.instruction == "Task quotes: $hints"
    assert hinted.file.tasks.quotes.max_output_tokens == full.file.tasks.quotes.max_output_tokens
    assert hinted.file.tasks.figures == full.file.tasks.figures and hinted.file.example == full.file.example


def test_the_shipped_hints_prompt_is_the_small_one_with_candidates_in_figures_and_quotes():
    hints = load_prompt(DEFAULT_PROMPT.with_name("digest-v2-hints.yaml"))
    small = load_prompt(DEFAULT_PROMPT.with_name("digest-v2-small.yaml"))
    assert hints.file.example is None and hints.file.tasks.actors_events == small.file.tasks.actors_events
    assert all("$hints" in task.instruction for task in (hints.file.tasks.figures, hints.file.tasks.quotes))


def test_the_shipped_small_model_prompt_loads_without_an_example():
    small = load_prompt(DEFAULT_PROMPT.with_name("digest-v2-small.yaml"))
    assert small.file.example is None and small.file.tasks == load_prompt(DEFAULT_PROMPT).file.tasks


def test_a_prompt_whose_bases_lead_back_to_itself_is_a_load_error(tmp_path):
    (tmp_path / "a.yaml").write_text("base: b.yaml\nname: a\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("base: a.yaml\nname: b\n", encoding="utf-8")
    with pytest.raises(PromptFileError, match="lead back to itself"):
        load_prompt(tmp_path / "a.yaml")


def test_an_unknown_placeholder_is_a_load_error(tmp_path):
    path = edited_prompt(tmp_path, lambda data: data.update(article_template="Title: $titel\n$article"))
    with pytest.raises(PromptFileError, match=r"unknown placeholder.*titel.*allowed: \$article"):
        load_prompt(path)


def test_a_placeholder_in_a_task_that_gets_none_is_a_load_error(tmp_path):
    def edit(data):  # type: ignore[no-untyped-def]
        data["tasks"]["actors_events"]["instruction"] += " $known"

    with pytest.raises(PromptFileError, match=r"tasks.actors_events uses unknown placeholder"):
        load_prompt(edited_prompt(tmp_path, edit))


def test_an_unknown_key_is_a_load_error(tmp_path):
    path = edited_prompt(tmp_path, lambda data: data.update(sytem="typo of system"))
    with pytest.raises(PromptFileError, match="sytem"):
        load_prompt(path)


def test_an_example_that_does_not_ground_is_a_load_error(tmp_path):
    def edit(data):  # type: ignore[no-untyped-def]
        data["example"]["output"]["quotes"][0]["text_ar"] = "كلام لم يرد في المقال"

    with pytest.raises(PromptFileError, match="not verbatim"):
        load_prompt(edited_prompt(tmp_path, edit))


def test_an_example_summary_with_a_number_it_does_not_state_is_a_load_error(tmp_path):
    def edit(data):  # type: ignore[no-untyped-def]
        data["example"]["output"]["summary_en"] = "Shelling killed 40 people in Taiz."

    with pytest.raises(PromptFileError, match="example summary: the numbers 40"):
        load_prompt(edited_prompt(tmp_path, edit))


def test_a_bad_prompt_file_stops_the_service_at_start_up(llm_settings, tmp_path):
    path = edited_prompt(tmp_path, lambda data: data.update(article_template="$titel $article"))
    settings: Settings = llm_settings.model_copy(update={"prompt_file": path})
    with pytest.raises(PromptFileError):
        Digester(settings, LLMClient(settings))

"""The request body: compact answer schemas that keep everything a grammar or a model reads."""

import json
from typing import Any

import pytest
from pydantic import BaseModel, Field

from schemas.llm_output import ActorsEventsAnswer, FiguresAnswer, QuotesAnswer, SummaryAnswer
from service.engines.llm.request import Sampling, answer_schema, answer_shape, chat_request


class Headline(BaseModel):
    title: str = Field(description="A field that happens to be called title")
    words: list[str]


def _keys(schema: Any, inside_names: bool = False) -> set[str]:
    if isinstance(schema, list):
        return set().union(*(_keys(item) for item in schema)) if schema else set()
    if not isinstance(schema, dict):
        return set()
    found = set() if inside_names else set(schema)
    for key, value in schema.items():
        if key in ("properties", "$defs"):
            found |= set().union(*(_keys(sub) for sub in value.values()))
        else:
            found |= _keys(value)
    return found


def test_answer_schemas_drop_titles_but_keep_fields_enums_and_descriptions() -> None:
    for model in (FiguresAnswer, QuotesAnswer, ActorsEventsAnswer, SummaryAnswer):
        compact, full = json.loads(answer_schema(model)), model.model_json_schema()
        assert "title" not in _keys(compact)
        assert compact["required"] == full["required"]
        assert set(compact.get("$defs", {})) == set(full.get("$defs", {}))
    figure = json.loads(answer_schema(FiguresAnswer))["$defs"]
    assert figure["Metric"]["enum"] == FiguresAnswer.model_json_schema()["$defs"]["Metric"]["enum"]
    assert "description" in figure["LLMFigure"]["properties"]["phrase_ar"]
    assert "description" not in figure["Scope"]  # an enum's docstring; the field says it


def test_a_field_named_title_survives() -> None:
    schema = json.loads(answer_schema(Headline))
    assert set(schema["properties"]) == {"title", "words"}
    assert schema["properties"]["title"] == {
        "description": "A field that happens to be called title",
        "type": "string",
    }


def test_tools_mode_sends_every_answer_model_and_forces_the_calls_own() -> None:
    tools = (FiguresAnswer, QuotesAnswer)
    body = chat_request(
        Sampling("m", "tools", 0.0), [{"role": "user", "content": "x"}], QuotesAnswer, 99, tools
    )
    assert [tool["function"]["name"] for tool in body["tools"]] == ["FiguresAnswer", "QuotesAnswer"]
    assert body["tool_choice"] == {"type": "function", "function": {"name": "QuotesAnswer"}}
    assert body["tools"][1]["function"]["parameters"] == json.loads(answer_schema(QuotesAnswer))
    assert body["max_tokens"] == 99


def test_json_and_text_modes_put_the_schema_in_the_task_and_only_json_constrains_the_server() -> None:
    messages = [{"role": "system", "content": "rules"}, {"role": "user", "content": "Task figures"}]
    json_body = chat_request(Sampling("m", "json", 0.0), messages, FiguresAnswer, 99)
    text_body = chat_request(Sampling("m", "text", 0.0), messages, FiguresAnswer, 99)

    assert json_body["response_format"] == {"type": "json_object"}
    assert "response_format" not in text_body and "tools" not in text_body
    for body in (json_body, text_body):
        assert body["messages"][0] == messages[0], "the static prefix stays byte-identical"
        assert body["messages"][-1]["content"].endswith(answer_shape(FiguresAnswer))


@pytest.mark.parametrize("model", [ActorsEventsAnswer, FiguresAnswer, QuotesAnswer, SummaryAnswer])
def test_the_answer_shape_names_every_key_enum_value_and_description_in_fewer_characters(model) -> None:
    shape, schema = answer_shape(model), json.loads(answer_schema(model))
    definitions = [schema, *schema.get("$defs", {}).values()]
    for definition in definitions:
        for key, field in definition.get("properties", {}).items():
            assert f'"{key}":' in shape
            if "description" in field:
                assert field["description"] in shape, key
        for value in definition.get("enum", []):
            assert f'"{value}"' in shape
    assert len(shape) < len(answer_schema(model))


def test_the_answer_shape_says_which_fields_may_be_null_and_which_are_lists() -> None:
    skeleton = answer_shape(FiguresAnswer).splitlines()[1]
    assert skeleton.startswith('{"figures":[{"ref":string,"phrase_ar":string,"value":integer,')
    assert '"period_ar":string|null' in skeleton and skeleton.endswith(",...]}")
    assert '"scope":"incident"|"period"|"cumulative"' in skeleton

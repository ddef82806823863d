"""Reading one answer: its JSON text in every mode, truncation, and the items that are whole.

A small model often writes most of a list correctly and then breaks one item, or runs into the
token cap halfway through the last one. The answer is read item by item: every complete, valid
item is kept, every broken one becomes a reason for the re-ask, and a cut-off tail is noticed.
"""

from __future__ import annotations

import functools
import json
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from service.engines.llm.client import usage_of

_DECODER = json.JSONDecoder()


@dataclass
class ReadAnswer:
    """The usable part of one answer: valid items per list, what was wrong, whether it was cut off."""

    items: dict[str, list[BaseModel]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    truncated: bool = False
    parsed: bool = False


def answer_text(completion: Any) -> str:
    """The JSON the model wrote: a forced tool call's arguments, else the message content."""
    message = completion.choices[0].message
    for call in getattr(message, "tool_calls", None) or []:
        return str(call.function.arguments)
    content = (message.content or "").strip()
    if content.startswith("```"):
        content = content.strip("`").removeprefix("json").strip()
    return content


def is_truncated(completion: Any, max_tokens: int) -> bool:
    """Cut off at the cap: llama.cpp's tools mode always says "tool_calls", so count the tokens too."""
    finish = getattr(completion.choices[0], "finish_reason", None)
    return finish == "length" or usage_of(completion).completion_tokens >= max_tokens


def read_lists(text: str, lists: dict[str, type[BaseModel]], truncated: bool) -> ReadAnswer:
    """The valid items of each list of `lists` (key → item model) in the answer `text`."""
    read = ReadAnswer(truncated=truncated)
    whole = _whole_object(text)
    if whole is not None:
        read.parsed = True
        unknown = sorted(set(whole) - set(lists))
        if unknown:
            read.errors.append(f"unknown keys {unknown}: answer with only {sorted(lists)}")
    for key, model in lists.items():
        raw_items, problem = _list_of(whole, key) if whole is not None else _complete_items(text, key)
        if problem:
            read.errors.append(problem)
        read.items[key] = _valid_items(raw_items, model, key, read.errors)
        read.parsed = read.parsed or bool(raw_items)
    if not read.parsed and not read.errors:
        read.errors.append("the answer is not a JSON object: answer with JSON only")
    return read


def repeat_cut(
    text: str, lists: dict[str, type[BaseModel]], identity: Callable[[BaseModel], str]
) -> str | None:
    """The answer so far, ended before its first item that repeats an earlier one, as whole JSON;
    None while no item repeats. At temperature 0 a small model, once it repeats an item, repeats it
    until the token cap: a streamed answer is stopped here instead. Lists not reached are left out,
    so reading the cut answer says they are missing."""
    seen: set[str] = set()
    reached: dict[str, list[Any]] = {}
    for key in sorted(lists, key=lambda name: _position(text, name)):
        if _position(text, key) == len(text):
            break
        raw_items, _ = _complete_items(text, key)
        reached[key] = []
        for raw in raw_items:
            try:
                same = identity(lists[key].model_validate(raw))
            except ValidationError:
                same = json.dumps(raw, sort_keys=True, ensure_ascii=False)
            if same in seen:
                return json.dumps(reached, ensure_ascii=False)
            seen.add(same)
            reached[key].append(raw)
    return None


def _position(text: str, key: str) -> int:
    found = text.find(f'"{key}"')
    return found if found >= 0 else len(text)


def read_object(text: str, model: type[BaseModel]) -> tuple[BaseModel | None, str | None]:
    """A whole answer model (the summary), or why it is not one."""
    try:
        return model.model_validate_json(text), None
    except ValidationError as error:
        return None, _first_errors(error)


def _whole_object(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def _list_of(whole: dict[str, Any], key: str) -> tuple[list[Any], str | None]:
    value = whole.get(key)
    if value is None:
        return [], f'"{key}" is missing: give it, [] when the article has none'
    if not isinstance(value, list):
        return [], f'"{key}" must be a list of objects'
    return value, None


def _complete_items(text: str, key: str) -> tuple[list[Any], str | None]:
    """The items of `"key": [...]` that are complete JSON values, in an answer that does not parse."""
    start = text.find(f'"{key}"')
    bracket = text.find("[", start) if start >= 0 else -1
    if bracket < 0:
        return [], None
    items: list[Any] = []
    position = bracket + 1
    while True:
        position = _skip(text, position, " \t\r\n,")
        if position >= len(text) or text[position] == "]":
            return items, None
        try:
            item, position = _DECODER.raw_decode(text, position)
        except json.JSONDecodeError:
            return items, None
        items.append(item)


def _skip(text: str, position: int, characters: str) -> int:
    while position < len(text) and text[position] in characters:
        position += 1
    return position


def _valid_items(
    raw_items: list[Any], model: type[BaseModel], key: str, errors: list[str]
) -> list[BaseModel]:
    valid = []
    for index, raw in enumerate(raw_items):
        try:
            valid.append(model.model_validate(_with_nulls(raw, model)))
        except ValidationError as error:
            errors.append(
                f"{key}[{index}] {json.dumps(raw, ensure_ascii=False)[:160]}: {_first_errors(error)}"
            )
    return valid


def _with_nulls(raw: Any, model: type[BaseModel]) -> Any:
    """The item with its left-out nullable fields as null, which is what leaving them out says (a
    small model leaves most of them out: "title_en", "period_ar" ...); a missing field that cannot
    be null is still an error."""
    if not isinstance(raw, dict):
        return raw
    return {**{name: None for name in _nullable_fields(model) if name not in raw}, **raw}


@functools.cache
def _nullable_fields(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(
        name for name, field in model.model_fields.items() if type(None) in typing.get_args(field.annotation)
    )


def _first_errors(error: ValidationError, limit: int = 2) -> str:
    parts = [
        f"{'.'.join(str(part) for part in item['loc']) or 'answer'}: {item['msg']}"
        for item in error.errors()[:limit]
    ]
    more = error.error_count() - limit
    return "; ".join(parts) + (f" (+{more} more)" if more > 0 else "")

"""The LLM prompt: a YAML file in prompts/, versioned by its content hash."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from string import Template
from typing import Any

import yaml

from schemas.llm_output import LLMDigest
from schemas.request import DigestRequest

UNKNOWN = "(not given)"


@dataclass(frozen=True)
class PromptExample:
    article: str
    output: LLMDigest


@dataclass(frozen=True)
class Prompt:
    name: str
    version: str
    system: str
    user_template: str
    examples: tuple[PromptExample, ...]

    def messages(self, request: DigestRequest) -> list[dict[str, str]]:
        """System prompt, worked examples as earlier turns, then the article."""
        messages = [{"role": "system", "content": self.system}]
        for example in self.examples:
            messages.append(
                {"role": "user", "content": self._user_message(DigestRequest(text=example.article))}
            )
            messages.append({"role": "assistant", "content": example.output.model_dump_json()})
        messages.append({"role": "user", "content": self._user_message(request)})
        return messages

    def _user_message(self, request: DigestRequest) -> str:
        # string.Template substitutes values verbatim: braces in the article stay as they are.
        return Template(self.user_template).substitute(
            title=request.title or UNKNOWN,
            source=request.source or UNKNOWN,
            published_at=request.published_at.isoformat() if request.published_at else UNKNOWN,
            article=request.text,
        )


class PromptFileError(ValueError):
    """The prompt file is missing a part or its examples do not match the output schema."""


def prompt_version(raw: bytes) -> str:
    return "sha256:" + hashlib.sha256(raw).hexdigest()[:16]


@lru_cache(maxsize=8)
def load_prompt(path: Path) -> Prompt:
    raw = path.read_bytes()
    data: Any = yaml.safe_load(raw)
    try:
        examples = tuple(
            PromptExample(article=item["article"], output=LLMDigest.model_validate(item["output"]))
            for item in data.get("examples", [])
        )
        return Prompt(
            name=str(data["name"]),
            version=prompt_version(raw),
            system=str(data["system"]),
            user_template=str(data["user_template"]),
            examples=examples,
        )
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise PromptFileError(f"prompt file {path} is not valid: {error}") from error

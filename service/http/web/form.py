"""The article form: what the editor typed, kept as typed, and the request it becomes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from schemas.request import DigestRequest
from service.runtime.digester import EngineChoice


@dataclass(frozen=True)
class FormValues:
    """Every field exactly as the editor typed it (re-shown as is when something is wrong)."""

    text: str = ""
    title: str = ""
    source: str = ""
    published_at: str = ""
    engine: str = EngineChoice.auto.value

    @classmethod
    def from_form(cls, form: Mapping[str, object]) -> FormValues:
        def field(name: str, default: str = "") -> str:
            value = form.get(name)
            return value if isinstance(value, str) else default

        return cls(
            # Browsers send a textarea's line breaks as CRLF; the editor pasted (and sees) LF.
            text=field("text").replace("\r\n", "\n"),
            title=field("title"),
            source=field("source"),
            published_at=field("published_at"),
            engine=field("engine", EngineChoice.auto.value),
        )

    def engine_choice(self) -> EngineChoice | None:
        try:
            return EngineChoice(self.engine)
        except ValueError:
            return None

    def to_request(self) -> DigestRequest:
        """The API request; raises pydantic's ValidationError when a field is not acceptable."""
        return DigestRequest.model_validate(
            {
                "text": self.text,
                "title": _optional(self.title),
                "source": _optional(self.source),
                "published_at": _optional(self.published_at),
            }
        )


def _optional(value: str) -> str | None:
    return value.strip() or None

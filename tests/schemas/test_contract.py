"""The contract: exported JSON Schemas are current, models are strict, spans are consistent."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from schemas.digest import SCHEMA_VERSION, Digest, Quote, QuoteMode, Span
from schemas.export import EXPORTS, SCHEMA_DIR, rendered
from schemas.request import DigestRequest


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_exported_json_schema_is_current(name):
    on_disk = (SCHEMA_DIR / name).read_text(encoding="utf-8")
    assert on_disk == rendered(EXPORTS[name]), f"schemas/{name} is stale: run `make schemas`"


def test_models_forbid_unknown_fields():
    with pytest.raises(ValidationError, match="Extra inputs"):
        DigestRequest.model_validate({"text": "نص", "txet": "typo"})
    schema = Digest.model_json_schema()
    assert schema["additionalProperties"] is False
    assert all(d.get("additionalProperties") is False for d in schema["$defs"].values() if "properties" in d)


def test_span_text_must_match_its_offsets():
    with pytest.raises(ValidationError, match="length"):
        Span(start=0, end=5, text="abc")
    with pytest.raises(ValidationError, match="before its start"):
        Span(start=5, end=2, text="")


@pytest.mark.parametrize("text", ["", " ", "\n\t  \u00a0", "abc\x00def"])
def test_request_rejects_empty_whitespace_and_nul_text(text):
    with pytest.raises(ValidationError):
        DigestRequest(text=text)


def test_schema_version_is_in_every_digest():
    assert Digest.model_json_schema()["properties"]["schema_version"]["const"] == SCHEMA_VERSION


def test_a_quote_carries_a_translation_or_a_gist_and_says_which():
    span = Span(start=0, end=3, text="نعم")
    translated = Quote(id="q1", text_ar="نعم", text_en="Yes", mode=QuoteMode.direct, span=span)
    gist = Quote(id="q1", text_ar="نعم", gist_en="The speaker agreed.", mode=QuoteMode.direct, span=span)
    assert (translated.english, translated.gist_en) == ("Yes", None)
    assert (gist.english, gist.text_en) == ("The speaker agreed.", None)
    with pytest.raises(ValidationError, match="text_en \\(a translation\\) or gist_en \\(a gist\\)"):
        Quote(id="q1", text_ar="نعم", mode=QuoteMode.direct, span=span)

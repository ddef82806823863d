"""The facts a summary is written from: only what it may repeat."""

from __future__ import annotations

from service.digest.grounding import ground
from service.engines.llm.summary import facts_text


def test_a_quote_whose_translation_has_a_number_no_figure_states_is_left_out_of_the_facts(example):
    article, output = example
    items = ground(output, article)
    stray = items.quotes[0].model_copy(update={"text_en": "Some 55 wounded were taken to hospital."})
    stated = items.quotes[0]
    items.quotes = [stray, stated]

    facts = facts_text(items)

    assert "55" not in facts, "a summary may use no number the figures do not state"
    assert stated.text_en is not None and stated.text_en in facts, "its 30 is figure f3's"

"""The facts a summary is written from: only what it may repeat."""

from __future__ import annotations

from schemas.digest import WarningCode
from schemas.llm_output import SummaryAnswer
from service.digest.grounding import ground
from service.engines.llm.summary import (
    facts_text,
    miscased_headline_words,
    replace_unfounded_descriptions,
    summary_problems,
    template_summary,
    unknown_names,
)

FACTS = """- f1: 12 people killed [source UN humanitarian office; Taiz]
- actor: Jens Laerke, Spokesman of the UN humanitarian office
- event: shelling in Taiz: Artillery shelling hit a popular market in Taiz."""


def test_a_quote_whose_translation_has_a_number_no_figure_states_is_left_out_of_the_facts(example):
    article, output = example
    items = ground(output, article)
    stray = items.quotes[0].model_copy(update={"text_en": "Some 55 wounded were taken to hospital."})
    stated = items.quotes[0]
    items.quotes = [stray, stated]

    facts = facts_text(items)

    assert "55" not in facts, "a summary may use no number the figures do not state"
    assert stated.text_en is not None and stated.text_en in facts, "its 30 is figure f3's"


def test_a_headline_in_sentence_case_passes_with_its_names_acronyms_and_days():
    for headline in (
        "Shelling of a market in Taiz kills 12, UN office says",
        "Taiz market shelling kills 12 on Sunday, says Jens Laerke",
        "Artillery shelling in Taiz: Laerke says 12 killed",
    ):
        assert miscased_headline_words(headline, FACTS) == [], headline


def test_a_headline_in_title_case_is_refused_naming_the_words():
    assert miscased_headline_words("Shelling Of A Market In Taiz Kills 12 People", FACTS) == [
        "Of", "A", "Market", "In", "Kills", "People",
    ]  # fmt: skip
    assert miscased_headline_words("Twelve killed in Market Shelling", FACTS) == ["Market", "Shelling"]
    assert miscased_headline_words("Hezbollah shelling kills 12", FACTS) == [], "a name: the names check's"


def test_a_summary_with_a_title_case_headline_fails_its_check_with_what_to_change(example):
    article, output = example
    items = ground(output, article)
    summary = SummaryAnswer(
        headline_en="Artillery Shelling Of A Taiz Market Kills 12",
        summary_en=output.summary_en,
        key_points_en=output.key_points_en,
        summary_ar=output.summary_ar,
    )
    [problem] = [p for p in summary_problems(summary, items) if p.startswith("write the headline")]
    assert problem.endswith("sentence case, a capital only for its first word and for names: "
                            "Shelling, Of, A, Market, Kills")  # fmt: skip
    assert summary_problems(summary.model_copy(update={"headline_en": output.headline_en}), items) == []


def test_the_template_of_a_digest_with_only_quotes_has_a_headline_of_them(example):
    article, output = example
    items = ground(output, article)
    items.figures, items.events, items.actors = [], [], []
    items.quotes = [items.quotes[0].model_copy(update={"text_en": "The wounded were taken to hospitals."})]
    summary = template_summary(items)
    assert summary.headline_en == "Statements quoted in the report"
    assert summary.summary_en == "A speaker said: “The wounded were taken to hospitals.”"


def test_an_event_description_naming_what_no_grounded_item_names_is_replaced_before_it_becomes_a_fact(
    example,
):
    article, output = example
    items = ground(output, article)
    told = items.events[0].description_en
    invented = items.events[0].model_copy(
        update={"id": "e2", "description_en": "Government forces shelled a market in Syria, killing 40."}
    )
    items.events.append(invented)

    replace_unfounded_descriptions(items)

    assert items.events[0].description_en == told, "Taiz is the grounded place's English name"
    assert invented.description_en == "Shelling in Taiz."
    assert "Syria" not in facts_text(items)
    [warning] = items.warnings
    assert (warning.code, warning.item_id) == (WarningCode.description_replaced, "e2")
    assert "Syria, 40" in warning.message


def test_an_event_description_written_in_arabic_is_replaced_and_a_quote_translated_into_arabic_dropped(
    example,
):
    article, output = example
    arabic = "قصف مدفعي استهدف سوقا شعبيا"
    output = output.model_copy(
        update={
            "events": [output.events[0].model_copy(update={"description_en": arabic})],
            "quotes": [output.quotes[0].model_copy(update={"text_en": arabic})],
        }
    )
    items = ground(output, article)

    replace_unfounded_descriptions(items)

    assert items.events[0].description_en == "Shelling in Taiz."
    assert items.quotes == []
    assert {warning.code for warning in items.warnings} == {
        WarningCode.description_replaced,
        WarningCode.ungrounded_quote_dropped,
    }


def test_a_hyphenated_name_is_known_by_its_words_and_a_name_the_facts_lack_is_not():
    facts = "- actor: Organisation al-Ighatha al-Midania\n- event: shelling in Tal al-Rihan"
    written = ["The Al-Ighatha organisation reported shelling in Tal Al-Rihan, near Syria's border."]
    assert unknown_names(written, facts) == ["Syria's"]
    assert unknown_names(["Shelling hit Hlubokáhrad, Al-Midania said."], facts) == ["Hlubok"]

"""Grounding of LLM strings in the article: spans computed here, unfounded items dropped with warnings."""

from __future__ import annotations

from schemas.digest import MatchKind, WarningCode
from schemas.llm_output import LLMActor, LLMDigest, LLMFigure, LLMQuote
from service.digest.grounding import figure_span, ground, grounding_problems

ARTICLE = "وقال مدير المرصد رامي عبد الرحمن إن قصفاً أدى إلى مقتل مدني وإصابة ثلاثة آخرين في إدلب."


def figure(phrase: str, value: int, **changes: object) -> LLMFigure:
    fields: dict[str, object] = {
        "ref": "f1",
        "phrase_ar": phrase,
        "value": value,
        "metric": "killed",
        "subject_en": None,
        "period_ar": None,
        "location_ar": None,
        "location_en": None,
        "source_ref": None,
        "event_ref": None,
        "part_of_ref": None,
        "scope": "incident",
    }
    return LLMFigure.model_validate({**fields, **changes})


def digest(**items: object) -> LLMDigest:
    empty: dict[str, object] = {
        "headline_en": "h",
        "summary_en": "s",
        "key_points_en": [],
        "summary_ar": "",
        "actors": [],
        "events": [],
        "figures": [],
        "quotes": [],
    }
    return LLMDigest.model_validate({**empty, **items})


def test_number_words_and_singular_nouns_ground_figures():
    assert figure_span(ARTICLE, figure("إصابة ثلاثة آخرين", 3, metric="injured")) is not None
    assert figure_span(ARTICLE, figure("مقتل مدني", 1)) is not None, "a singular noun counts one"
    assert figure_span(ARTICLE, figure("مقتل مدني", 2)) is None, "no number in the phrase can be 2"


def test_quotes_must_be_verbatim_up_to_normalisation():
    verbatim = LLMQuote(text_ar="قصفا أدى إلى مقتل مدني", text_en="x", speaker_ref=None, mode="indirect")
    invented = LLMQuote(text_ar="سنواصل القصف", text_en="x", speaker_ref=None, mode="direct")
    output = digest(quotes=[verbatim, invented])
    problems = grounding_problems(output, ARTICLE)
    assert len(problems) == 1 and "سنواصل القصف" in problems[0]
    items = ground(output, ARTICLE)
    assert [q.span.match for q in items.quotes] == [MatchKind.normalized]
    assert items.quotes[0].text_ar == "قصفاً أدى إلى مقتل مدني"
    assert [w.code for w in items.warnings] == [WarningCode.ungrounded_quote_dropped]


def test_a_quote_whose_translation_writes_a_number_its_arabic_does_not_is_dropped():
    article = "وقال المتحدث إن ثلاثمئة قذيفة سقطت على البلدة منذ عام 2015 في الساعة الثالثة فجرا."
    wrong = LLMQuote(
        text_ar="ثلاثمئة قذيفة سقطت على البلدة",
        text_en="Three thousand armoured vehicles entered the town",
        speaker_ref=None,
        mode="indirect",
    )
    right = LLMQuote(
        text_ar="سقطت على البلدة منذ عام 2015 في الساعة الثالثة فجرا",
        text_en="fell on the town since 2015, at three in the morning",
        speaker_ref=None,
        mode="indirect",
    )
    items = ground(digest(quotes=[wrong, right]), article)
    assert [q.text_en for q in items.quotes] == [right.text_en]
    assert [w.code for w in items.warnings] == [WarningCode.ungrounded_quote_dropped]
    assert "Three thousand" in items.warnings[0].message


def test_unknown_actors_are_dropped_and_references_to_them_removed():
    real = LLMActor(
        ref="a1", name_ar="رامي عبد الرحمن", name_en="Rami Abdel Rahman", kind="person", title_en=None
    )
    ghost = LLMActor(ref="a2", name_ar="الجيش الأحمر", name_en="Red Army", kind="state_force", title_en=None)
    output = digest(actors=[real, ghost], figures=[figure("مقتل مدني", 1, source_ref="a2")])
    items = ground(output, ARTICLE)
    assert [a.name_en for a in items.actors] == ["Rami Abdel Rahman"]
    assert items.figures[0].source_actor_id is None
    codes = [w.code for w in items.warnings]
    assert codes == [WarningCode.ungrounded_item_dropped, WarningCode.dangling_reference_removed]
    for span in [*items.actors[0].mentions, items.figures[0].span]:
        assert ARTICLE[span.start : span.end] == span.text


def test_event_times_resolve_only_against_a_publication_date():
    import datetime as dt

    from schemas.llm_output import LLMEvent

    article = "قصفت الطائرات بلدة سقبا أمس الخميس."
    event = LLMEvent(
        ref="e1",
        type="air_strike",
        description_en="Strike on Saqba",
        location_ar="سقبا",
        location_en="Saqba",
        when_ar="أمس الخميس",
        actors=[],
        evidence_ar=[article],
    )
    undated = ground(digest(events=[event]), article).events[0].when
    assert undated is not None and undated.text_ar == "أمس الخميس" and undated.date is None
    dated = ground(digest(events=[event]), article, dt.date(2018, 2, 23)).events[0].when
    assert dated is not None and dated.date == dt.date(2018, 2, 22)


def test_a_phrase_with_one_number_is_read_as_written_whatever_value_the_model_gave():
    article = "قتل خمسة وعشرون مدنيا في الغارات."
    for misread in (25, 50, 5):
        (killed,) = ground(digest(figures=[figure("خمسة وعشرون مدنيا", misread)]), article).figures
        assert killed.value == 25


def test_a_value_no_number_of_a_several_number_phrase_states_is_rejected_with_the_reason():
    article = "أسفرت الغارات عن مقتل 12 شخصا وإصابة 30 آخرين."
    wrong = figure("مقتل 12 شخصا وإصابة 30 آخرين", 42)
    assert figure_span(article, wrong) is None
    assert "does not state 42" in grounding_problems(digest(figures=[wrong]), article)[0]
    changed = figure("مقتل 13 شخصا", 13)
    assert figure_span(article, changed) is None, "a number changed in a fuzzily found phrase is not read"
    invented = figure("مقتل 40 طفلا في حلب", 40)
    assert "is not in the article" in grounding_problems(digest(figures=[invented]), article)[0]


def test_bounds_and_qualifier_are_read_from_the_phrase_not_taken_from_the_model():
    article = "قتل أكثر من 170 مدنيا في الغارات، بينهم نحو 40 طفلا، وأصيب طفل."
    output = digest(
        figures=[
            figure("أكثر من 170 مدنيا", 170),
            figure("نحو 40 طفلا", 40, ref="f2", part_of_ref="f1"),
            figure("وأصيب طفل", 1, ref="f3", metric="injured"),
        ]
    )
    read = [(f.value, f.low, f.high, f.qualifier) for f in ground(output, article).figures]
    assert read == [(170, 171, None, "more_than"), (40, None, None, "about"), (1, 1, 1, "exact")]


def test_the_value_picks_which_number_of_a_phrase_is_meant():
    article = "أسفرت الغارات عن مقتل 12 شخصا وإصابة 30 آخرين."
    output = digest(figures=[figure("مقتل 12 شخصا وإصابة 30 آخرين", 30, metric="injured")])
    (injured,) = ground(output, article).figures
    assert (injured.value, injured.low, injured.high) == (30, 30, 30)


def test_answers_the_digest_cannot_hold_are_reasked_then_repaired_or_dropped():
    actor = LLMActor(
        ref="a1", name_ar="رامي عبد الرحمن", name_en="Rami Abdel Rahman", kind="person", title_en=None
    )
    nameless = LLMActor(ref="a2", name_ar="المرصد", name_en=" ", kind="ngo", title_en=None)
    twin = LLMActor(ref="a1", name_ar="إدلب", name_en="Idlib", kind="other", title_en=None)
    output = digest(actors=[actor, nameless, twin])

    problems = grounding_problems(output, ARTICLE)
    assert any("ref a1 is used by more than one item" in p for p in problems)
    assert any("name_en of actor a2 is empty" in p for p in problems)

    items = ground(output, ARTICLE)
    assert [a.name_en for a in items.actors] == ["Rami Abdel Rahman"]
    assert len({a.id for a in items.actors}) == len(items.actors)


def test_a_figure_without_a_scope_takes_the_scope_its_period_says():
    article = "وقتل 40 شخصا خلال ثلاثة أيام في إدلب، وقتل خمسة أمس في حلب."
    over_days = figure("40 شخصا", 40, ref="f1", period_ar="خلال ثلاثة أيام", scope=None)
    yesterday = figure("خمسة", 5, ref="f2", scope=None)
    items = ground(digest(figures=[over_days, yesterday]), article)
    assert [(f.value, f.scope.value) for f in items.figures] == [(40, "period"), (5, "incident")]


def test_two_figures_of_one_phrase_are_its_occurrences_in_order():
    article = "قتل 4 مدنيين في قصف على المدينة. وفي حي آخر قتل 4 مدنيين أيضا، وأصيب 4 مدنيين."
    twice = [figure("4 مدنيين", 4, ref="f1"), figure("4 مدنيين", 4, ref="f2")]
    starts = [f.span.start for f in ground(digest(figures=twice), article).figures]
    assert starts == [article.index("4 مدنيين"), article.index("4 مدنيين", article.index("4 مدنيين") + 1)]
    thrice = [*twice, figure("4 مدنيين", 4, ref="f3", metric="injured"), figure("4 مدنيين", 4, ref="f4")]
    fourth = ground(digest(figures=thrice), article).figures[3]
    assert fourth.span.start == article.index("4 مدنيين"), "no fourth occurrence: the first one again"
    inside = "قتل 207 مدنيا في الأسبوع، وقتل مدنيا آخر اليوم."
    one = ground(digest(figures=[figure("207 مدنيا", 207), figure("مدنيا", 1, ref="f2")]), inside).figures[1]
    assert one.span.start == inside.rindex("مدنيا"), "not the civilian inside the earlier figure's phrase"

"""Quotes and their attribution in Arabic news text (docs/DESIGN.md §4).

`find_quotes` returns every quote of an article with its mode, reporting verb and speaker phrase.
Words are matched on the normalised text (`service.arabic.normalize`); offsets are into the original.

What makes a quote
- A cue opens it: a complementizer (إن/أن/بأن, also with a pronoun: "أنها") after a reporting verb
  of `_SAY_VERBS` or a participle of `_PARTICIPLES` at most `_MAX_GAP_WORDS` words before it in the
  same sentence; a colon after such a verb; or a participle of saying ("مضيفا"، "قائلة"، "متابعا")
  followed directly by the words said. A complementizer after a blocking word ("بعد أن"، "يجب أن"،
  "كما أن") is no cue. A participle owns a cue only right after it ("مشيرا إلى أن"). When a قول
  word ("قوله"، "القول") stands just before the cue, the verb is the nearest verb of quoting (نقل).
- A colon with no reporting verb before it opens a quote only when marked text of at least
  `_MIN_MARKED_WORDS` words follows it (a headline 'الأسد: "..."'), never in "المصدر: البيان".
- What follows the cue is the quote. When quote marks open right after the cue and the sentence
  ends right after they close, the quote is direct and is the text inside the marks. Otherwise
  after a complementizer it is indirect, after a colon or a participle of saying it is direct, and
  it runs to the end of the sentence or, when another reporting clause starts in the sentence, to
  the last comma before that clause (or to the clause itself when there is no comma).
- Text in quote marks («», “”, "") that no cue opens is a direct quote when an attribution follows
  it ("، وفقا لعبد الرحمن"، "بحسب"، "حسب") or when it has at least `_MIN_MARKED_WORDS` words and a
  reporting verb stands before it in the same sentence. Otherwise it is a name or title («الديلي
  ميل»، "سانا"، «الخوذ البيضاء»): short and not introduced as speech. Marks between a verb and its
  cue belong to the speaker phrase ("وكالة الانباء السورية الرسمية "سانا" ان ...").
- Straight marks are told apart as opening or closing by the characters around them, then paired
  by nesting. Marked text may run across sentences; it never runs across a line break. A quote
  inside another quote is part of it and is not reported again; of two overlapping quotes the
  earlier is kept.
- Not read (known limits): direct speech with neither marks nor a colon after a verb and its
  speaker ("علق دبلوماسي ... الأمر رهيب"), and an addressee phrase between a participle and the
  words said ("قائلة لراديو فرانس ... نحن قلقون"), which stays inside the quote.

Speakers
- The words between the verb and the cue when they do not begin with a preposition or a time word
  ("قال مدير المرصد رامي عبد الرحمن ان"), cut before an aside: an appositive or adverbial after a
  comma (", وهو تحالف ..."، ", في بيان أصدره"), a time word ("امس الجمعة"), a time preposition
  ("خلال مؤتمر")، or "في" before a statement noun ("في بيان"، "في تصريح").
- Otherwise, for a verb without a conjunction, the subject before it in its clause ("التلفزيون
  الرسمي افاد"، "وكان الدفاع المدني ... قد ذكر"، "أما X، فأكد").
- "نقلت وكالة X عن Y قوله إن ..." → Y; "جاء في بيان X:" → "بيان X"; "وفقا لـ X" after marks → X.
- A participle or a verb with "و" and no speaker of its own ("وأضافت في شكوى أن"، "مضيفا") takes
  the speaker of the previous quote of the same sentence; any other quote without a speaker phrase
  has None: resolving pronouns across sentences is left to the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from schemas.digest import QuoteMode
from service.arabic.align import extend_over_marks, normalized_article
from service.arabic.clitics import CONJUNCTIONS, LIKE, PROCLITIC_LETTERS
from service.arabic.lexicon import word_set
from service.arabic.normalize import NormalizedText, normalize_str
from service.arabic.sentences import FULL_STOPS, sentence_breaks
from service.arabic.tokens import tokenize


@dataclass(frozen=True, slots=True)
class QuoteMention:
    """One quote; offsets are into the original text, `text` excludes the quote marks."""

    start: int
    end: int
    text: str
    mode: QuoteMode
    speaker_start: int | None
    speaker_end: int | None
    speaker_text: str | None
    verb: str


_SPEECH = "reported_speech"
_SAY_VERBS = word_set(_SPEECH, "saying", "declaring", "saying_forms", "appearing", "expressing", "relaying")
_SAYING_PARTICIPLES = word_set(_SPEECH, "saying_participles")
_PARTICIPLES = _SAYING_PARTICIPLES | word_set(_SPEECH, "participles")
_REPORTING_WORDS = _SAY_VERBS | _PARTICIPLES
_QUOTING_VERBS = word_set(_SPEECH, "relaying")  # "نقلت X عن Y قوله": the speaker is Y
_QAWL = word_set(_SPEECH, "saying_nouns")
_FROM = normalize_str("عن")
_SOURCE_VERBS = word_set(_SPEECH, "appearing")  # "جاء في بيان X:": the speaker is the statement
_IN = normalize_str("في")
_OBJECT_VERBS = word_set(_SPEECH, "expressing")  # "أبدى اعتقاده أن": no speaker after the verb
_COMPLEMENTIZERS = word_set(_SPEECH, "complementizers", "complementizers_with_pronoun")
_BLOCKERS = word_set(_SPEECH, "cue_blockers")
_ATTRIBUTIONS = word_set(_SPEECH, "according_to", "quoting")
_WHAT = normalize_str("لما")
_TO_OR_FROM = word_set(_SPEECH, "to_or_from")
_TIME_WORDS = word_set("time_words", "today", "yesterday", "weekdays", "day_parts", "past")
_ADVERBIAL_STARTS = _TIME_WORDS | word_set(_SPEECH, "adverbial_starts", "also")
_TIME_PREPOSITIONS = word_set(_SPEECH, "time_prepositions")
_STATEMENT_NOUNS = word_set(_SPEECH, "statement_nouns")
_APPOSITIVES = word_set(_SPEECH, "appositives")
_TRAILING_PARTICLES = word_set(_SPEECH, "trailing_particles") | _QAWL
_LEADING_PARTICLES = word_set(_SPEECH, "leading_particles")
_CONTRASTIVE_PREFIXES = tuple(normalize_str(word) for word in ("لكن", "ولكن"))
_CLAUSE_CONJUNCTIONS = word_set(_SPEECH, "clause_conjunctions")
_CLITICS_BEFORE_MARK = PROCLITIC_LETTERS - {LIKE}  # و"…" ف"…" ب"…" ل"…" open a quote; ك"…" is not read so
_SENTENCE_ENDS = FULL_STOPS  # not ؛ (a clause break, with the commas) nor …: a quote goes on across them
_COMMAS = frozenset("،,؛;")
_TRAILING_PUNCTUATION = ".،,؛;:!?؟ \t\n«“„‹"  # an opening mark never ends a quote
_MARK = '"'  # every quote mark normalises to this
_OPENING_MARKS = frozenset("«“„‹")
_CLOSING_MARKS = frozenset("»”›")
_MARK_FAMILIES = {"«": "«", "»": "«", "‹": "«", "›": "«", "“": "“", "”": "“", "„": "“", "‟": "“"}
_MAX_GAP_WORDS = 16
_MAX_SUBJECT_WORDS = 10
_MIN_MARKED_WORDS = 3


@dataclass(frozen=True, slots=True)
class _Cue:
    """Where a quote starts: `index` is the cue token, `verb` the reporting verb token (or None)."""

    index: int
    verb: int | None
    kind: Literal["complementizer", "colon", "participle"]


@dataclass(frozen=True, slots=True)
class _Found:
    mention: QuoteMention
    sentence: int
    pronoun_subject: bool


class _Article:
    """The tokens, quote-mark pairs and sentences of one text."""

    def __init__(self, original: str) -> None:
        self.normalized: NormalizedText = normalized_article(original)
        self.original = original
        text = self.normalized.text
        self.tokens = tokenize(text)
        self.breaks = [self.line_break_before(index) for index in range(len(self.tokens))]
        self.pairs = self.pair_marks()
        self.closing = {close: open_ for open_, close in self.pairs.items()}
        self.enclosing = self.enclosing_pairs()
        self.sentence = self.sentences()

    # layout ------------------------------------------------------------------------------------------
    def line_break_before(self, index: int) -> bool:
        if index == 0:
            return False
        start = self.normalized.ends[self.tokens[index - 1].end - 1]
        end = self.normalized.starts[self.tokens[index].start]
        return "\n" in self.original[start:end]

    def char(self, position: int) -> str:
        text = self.normalized.text
        return text[position] if 0 <= position < len(text) else " "

    def original_char(self, index: int) -> str:
        return self.original[self.normalized.starts[self.tokens[index].start]]

    def word(self, index: int) -> str:
        if 0 <= index < len(self.tokens) and not self.tokens[index].is_mark:
            return self.tokens[index].text
        return ""

    def is_mark(self, index: int) -> bool:
        return 0 <= index < len(self.tokens) and self.tokens[index].text == _MARK

    def punct(self, index: int) -> str:
        if 0 <= index < len(self.tokens) and self.tokens[index].is_mark:
            return self.tokens[index].text
        return ""

    def opens(self, index: int, stack: Sequence[int]) -> bool:
        """Whether the quote mark at `index` opens a quote, judged by the characters around it."""
        token = self.tokens[index]
        before, after = self.char(token.start - 1), self.char(token.end)
        clitic_before = before in _CLITICS_BEFORE_MARK and self.char(token.start - 2) == " "
        may_open = not after.isspace() and (before.isspace() or before in "(:[،,-" or clitic_before)
        may_close = not before.isspace() and (after.isspace() or not after.isalnum())
        if may_open != may_close:
            return may_open
        raw = self.original_char(index)
        if raw in _OPENING_MARKS or raw in _CLOSING_MARKS:
            return raw in _OPENING_MARKS
        family = _MARK_FAMILIES.get(raw, raw)
        return not any(_MARK_FAMILIES.get(self.original_char(open_), "") == family for open_ in stack)

    def pair_marks(self) -> dict[int, int]:
        """Opening mark index → closing mark index, nested pairs included; pairs never cross a line."""
        pairs: dict[int, int] = {}
        stack: list[int] = []
        for index, token in enumerate(self.tokens):
            if self.breaks[index]:
                stack.clear()
            if token.text != _MARK:
                continue
            if self.opens(index, stack):
                stack.append(index)
                continue
            family = _MARK_FAMILIES.get(self.original_char(index), self.original_char(index))
            for depth in range(len(stack) - 1, -1, -1):
                opener = self.original_char(stack[depth])
                if _MARK_FAMILIES.get(opener, opener) == family:
                    pairs[stack[depth]] = index
                    del stack[depth:]
                    break
        return pairs

    def enclosing_pairs(self) -> list[int]:
        """For each token, the opening mark of the outermost pair strictly around it, or -1."""
        enclosing = [-1] * len(self.tokens)
        for open_, close in sorted(self.pairs.items()):
            if enclosing[open_] != -1:
                continue
            for index in range(open_ + 1, close):
                enclosing[index] = open_
        return enclosing

    def sentences(self) -> list[int]:
        """The sentence number of each token; marks keep what they enclose in one sentence."""
        ends = self.sentence_ends()
        numbers: list[int] = []
        current = 0
        for index in range(len(self.tokens)):
            if index and (self.breaks[index] or index - 1 in ends):
                current += 1
            numbers.append(current)
        return numbers

    def sentence_ends(self) -> set[int]:
        """The stop tokens that end a sentence (`service.arabic.sentences`) outside quote marks."""
        token_at = {token.start: index for index, token in enumerate(self.tokens)}
        ends = set()
        for match in sentence_breaks(self.normalized.text, _SENTENCE_ENDS):
            index = token_at.get(match.start())
            if index is not None and self.tokens[index].is_mark and self.enclosing[index] == -1:
                ends.add(index)
        return ends

    def inside(self, index: int) -> bool:
        return self.enclosing[index] != -1

    # word classes -----------------------------------------------------------------------------------
    def verb_stem(self, index: int) -> str:
        """The reporting verb or participle at `index` without its conjunction, or ""."""
        word = self.word(index)
        for stem in (word, word[1:] if word[:1] in CONJUNCTIONS else ""):
            if stem in _SAY_VERBS or stem in _PARTICIPLES:
                return stem
        return ""

    def has_conjunction(self, index: int) -> bool:
        word = self.word(index)
        return word[:1] in CONJUNCTIONS and word[1:] in _REPORTING_WORDS

    def is_complementizer(self, index: int) -> bool:
        return self.word(index) in _COMPLEMENTIZERS and self.word(index - 1) not in _BLOCKERS

    # cues --------------------------------------------------------------------------------------------
    def cues(self) -> list[_Cue]:
        cues: list[_Cue] = []
        for index in range(len(self.tokens)):
            if self.inside(index):
                continue
            if self.is_complementizer(index) or self.punct(index) == ":":
                kind: Literal["complementizer", "colon"] = (
                    "colon" if self.punct(index) == ":" else "complementizer"
                )
                verb = self.owning_verb(index)
                if verb is not None or (kind == "colon" and self.long_marks_after(index)):
                    cues.append(_Cue(index, verb, kind))
            elif self.word(index) in _SAYING_PARTICIPLES and self.says_directly(index):
                cues.append(_Cue(index, index, "participle"))
        return cues

    def owning_verb(self, cue: int) -> int | None:
        """The reporting verb that a complementizer or colon at `cue` belongs to, or None.

        "نقلت X عن Y قوله إن": a قول word just before the cue belongs to a verb of quoting. A
        participle owns a cue only right after it ("مشيرا إلى أن"): it has no subject of its own.
        """
        qawl = next((index for index in range(cue - 1, cue - 5, -1) if self.word(index) in _QAWL), None)
        if qawl is not None:
            quoting = self.verb_before(qawl, _MAX_GAP_WORDS, _QUOTING_VERBS)
            if quoting is not None:
                return quoting
        verb = self.verb_before(cue, _MAX_GAP_WORDS)
        if verb is not None and self.verb_stem(verb) in _PARTICIPLES and self.words_between(verb, cue) > 1:
            return None
        return verb

    def words_between(self, first: int, last: int) -> int:
        return sum((not self.tokens[index].is_mark) for index in range(first + 1, last))

    def verb_before(self, index: int, max_words: int, stems: frozenset[str] = frozenset()) -> int | None:
        """The nearest reporting verb before `index` in its sentence (one of `stems` if given),
        skipping marked names. Punctuation counts towards a limit of its own, so that a run of marks
        ("::::") is not rescanned from every cue in it."""
        words, marks, position = 0, 0, index - 1
        while position >= 0 and self.sentence[position] == self.sentence[index] and words <= max_words:
            if position in self.closing:
                position = self.closing[position] - 1
                words += 1
                continue
            stem = self.verb_stem(position)
            if stem and (not stems or stem in stems) and not self.inside(position):
                return position
            if not self.tokens[position].is_mark:
                words += 1
            elif (marks := marks + 1) > max_words:
                return None
            position -= 1
        return None

    def long_marks_after(self, index: int) -> bool:
        return index + 1 in self.pairs and self.marked_words(index + 1) >= _MIN_MARKED_WORDS

    def marked_words(self, open_: int) -> int:
        return sum((not self.tokens[index].is_mark) for index in range(open_ + 1, self.pairs[open_]))

    def says_directly(self, index: int) -> bool:
        """A participle of saying followed by the words said, not by a cue of its own."""
        following = index + 1
        if self.word(following) in _TO_OR_FROM:
            following += 1
        return bool(self.word(index + 1)) and not self.is_complementizer(following)

    # quote extent ------------------------------------------------------------------------------------
    def marks_enclose_clause(self, open_: int) -> bool:
        """True when the sentence (or clause) ends right after the marks that open at `open_`."""
        after = self.pairs[open_] + 1
        return (
            after >= len(self.tokens)
            or self.sentence[after] != self.sentence[open_]
            or self.punct(after) in _SENTENCE_ENDS | _COMMAS
        )

    def clause_end(self, first: int, cue_verbs: frozenset[int]) -> int:
        """Index after the last token of an unmarked quote that starts at token `first`."""
        sentence = self.sentence[first]
        last_comma: int | None = None
        index = first
        while index < len(self.tokens) and self.sentence[index] == sentence:
            if index in self.pairs:
                index = self.pairs[index] + 1
                continue
            if index > first and (index in cue_verbs or self.word(index) in _PARTICIPLES):
                return last_comma if last_comma is not None else index
            if self.punct(index) in _COMMAS:
                last_comma = index
            index += 1
        return index

    # speakers ----------------------------------------------------------------------------------------
    def speaker(self, verb: int, cue: int) -> tuple[int, int] | None:
        """Token range [first, last) of the speaker phrase of `verb`, whose quote cue is at `cue`."""
        stem = self.verb_stem(verb)
        if stem in _PARTICIPLES:
            return None
        if stem in _QUOTING_VERBS:
            quoted = self.quoted_source(verb, cue)
            if quoted is not None:
                return quoted
        gap = self.trimmed(verb + 1, cue)
        if stem in _SOURCE_VERBS and gap is not None and self.word(gap[0]) == _IN:
            return self.trimmed(gap[0] + 1, gap[1])
        if gap is not None and stem not in _OBJECT_VERBS and self.word(gap[0]) not in _ADVERBIAL_STARTS:
            return self.cut_asides(*gap)
        if self.has_conjunction(verb) and not self.after_topic(verb):
            return None
        return self.subject_before(verb)

    def quoted_source(self, verb: int, cue: int) -> tuple[int, int] | None:
        """Y in "نقلت X عن Y قوله إن": the words after the last "عن" before the قول word."""
        source = next((index for index in range(cue - 1, verb, -1) if self.word(index) == _FROM), None)
        if source is None or not any(self.word(index) in _QAWL for index in range(source, cue)):
            return None
        found = self.trimmed(source + 1, cue)
        return self.cut_asides(*found) if found is not None else None

    def trimmed(self, first: int, last: int) -> tuple[int, int] | None:
        """[first, last) without surrounding punctuation, particles, time words and قول words."""
        while first < last and (self.punct(first) in _COMMAS or self.punct(first) == "-"):
            first += 1
        while last > first and (
            (self.punct(last - 1) and not self.is_mark(last - 1))
            or self.word(last - 1) in _TRAILING_PARTICLES | _TIME_WORDS
        ):
            last -= 1
        return (first, last) if last > first else None

    def cut_asides(self, first: int, last: int) -> tuple[int, int] | None:
        """The speaker phrase up to an aside: an appositive or adverbial after a comma ("، وهو ..."،
        "، في بيان أصدره"), a time word, a time preposition, or "في" before a statement noun."""
        for index in range(first + 1, last):
            following = self.word(index + 1)
            if self.punct(index) in _COMMAS and (following in _APPOSITIVES or following in _ADVERBIAL_STARTS):
                return self.trimmed(first, index)
            word = self.word(index)
            statement = word == _IN and self.word(index + 1) in _STATEMENT_NOUNS
            if word in _TIME_WORDS or word in _TIME_PREPOSITIONS or statement:
                return self.trimmed(first, index)
        return self.trimmed(first, last)

    def continues(self, verb: int) -> bool:
        """A participle or a verb with "و": it continues the reporting clause before it."""
        return self.verb_stem(verb) in _PARTICIPLES or self.word(verb).startswith("و")

    def after_topic(self, verb: int) -> bool:
        """ "أما X، فأكد": the conjunction ف after a fronted topic."""
        return self.word(verb).startswith("ف") and self.punct(verb - 1) in _COMMAS

    def subject_before(self, verb: int) -> tuple[int, int] | None:
        """The subject before the verb in its clause ("التلفزيون الرسمي افاد")."""
        first = verb
        while first > 0 and self.sentence[first - 1] == self.sentence[verb]:
            previous = first - 1
            if previous in self.closing:
                first = self.closing[previous]
                continue
            if self.word(previous) in _CLAUSE_CONJUNCTIONS or self.verb_stem(previous):
                break
            if self.punct(previous) in _COMMAS and not self.after_topic(verb):
                break
            first = previous
        while first < verb and (
            self.word(first) in _LEADING_PARTICLES or self.word(first).startswith(_CONTRASTIVE_PREFIXES)
        ):
            first += 1
        found = self.trimmed(first, verb)
        if found is None:
            return None
        words = [index for index in range(*found) if (not self.tokens[index].is_mark)]
        if len(words) > _MAX_SUBJECT_WORDS or self.word(found[0]) in _ADVERBIAL_STARTS:
            return None
        return found

    # offsets -----------------------------------------------------------------------------------------
    def original_range(self, first: int, last: int) -> tuple[int, int]:
        """Original offsets of tokens [first, last), trimmed and with the last letter's marks."""
        start, end = self.normalized.to_original(self.tokens[first].start, self.tokens[last - 1].end)
        end = extend_over_marks(self.original, end)
        return start, end

    def marked_range(self, open_: int) -> tuple[int, int]:
        start = self.normalized.starts[self.tokens[open_].start] + 1
        end = self.normalized.starts[self.tokens[self.pairs[open_]].start]
        return _strip(self.original, start, end, " \t\n")

    def verb_text(self, verb: int | None) -> str:
        if verb is None:
            return ""
        start, end = self.original_range(verb, verb + 1)
        return self.original[start:end]


def _strip(text: str, start: int, end: int, chars: str) -> tuple[int, int]:
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def _mention(
    article: _Article,
    text_range: tuple[int, int],
    mode: QuoteMode,
    speaker: tuple[int, int] | None,
    verb: str,
) -> QuoteMention:
    start, end = text_range
    speaker_start = speaker_end = None
    speaker_text = None
    if speaker is not None:
        speaker_start, speaker_end = article.original_range(*speaker)
        speaker_text = article.original[speaker_start:speaker_end]
    return QuoteMention(
        start=start,
        end=end,
        text=article.original[start:end],
        mode=mode,
        speaker_start=speaker_start,
        speaker_end=speaker_end,
        speaker_text=speaker_text,
        verb=verb,
    )


def _quote_at_cue(
    article: _Article, cue: _Cue, cue_verbs: frozenset[int], claimed: set[int]
) -> _Found | None:
    first = cue.index + 1
    if first >= len(article.tokens) or article.sentence[first] != article.sentence[cue.index]:
        return None
    speaker = article.speaker(cue.verb, cue.index) if cue.verb is not None else None
    verb = article.verb_text(cue.verb)
    pronoun = cue.verb is not None and speaker is None and article.continues(cue.verb)
    if first in article.pairs and (cue.kind != "complementizer" or article.marks_enclose_clause(first)):
        claimed.add(first)
        quote_range = article.marked_range(first)
        mode = QuoteMode.direct
    else:
        last = article.clause_end(first, cue_verbs)
        if last <= first:
            return None
        start, end = article.original_range(first, last)
        quote_range = _strip(article.original, start, end, _TRAILING_PUNCTUATION)
        mode = QuoteMode.indirect if cue.kind == "complementizer" else QuoteMode.direct
    if quote_range[1] <= quote_range[0]:
        return None
    mention = _mention(article, quote_range, mode, speaker, verb)
    return _Found(mention, article.sentence[cue.index], pronoun)


def _attribution_after(article: _Article, close: int) -> tuple[int, tuple[int, int] | None] | None:
    """(attribution word, speaker range) of "، وفقا لـ X" right after closing marks."""
    index = close + 1
    if article.punct(index) in _COMMAS:
        index += 1
    if article.word(index) not in _ATTRIBUTIONS:
        return None
    first = index + 1
    if article.word(first) == _WHAT and article.verb_stem(first + 1):
        first += 2
    last = first
    sentence = article.sentence[close]
    while (
        last < len(article.tokens)
        and article.sentence[last] == sentence
        and article.punct(last) not in _COMMAS
    ):
        last += 1
    speaker = article.trimmed(first, last)
    return index, speaker


def _marked_quote(article: _Article, open_: int) -> _Found | None:
    """A quote in marks that no cue opened: attributed after the marks, or long after a reporting verb."""
    attribution = _attribution_after(article, article.pairs[open_])
    if attribution is not None:
        word, speaker = attribution
        mention = _mention(
            article, article.marked_range(open_), QuoteMode.direct, None, article.verb_text(word)
        )
        if speaker is not None:
            mention = _with_word_speaker(article, mention, speaker)
        return _Found(mention, article.sentence[open_], False)
    if article.marked_words(open_) < _MIN_MARKED_WORDS:
        return None
    verb = article.verb_before(open_, _MAX_GAP_WORDS)
    if verb is None:
        return None
    speaker = article.speaker(verb, open_)
    mention = _mention(
        article, article.marked_range(open_), QuoteMode.direct, speaker, article.verb_text(verb)
    )
    return _Found(mention, article.sentence[open_], speaker is None and article.continues(verb))


def _with_word_speaker(article: _Article, mention: QuoteMention, speaker: tuple[int, int]) -> QuoteMention:
    """The speaker after "وفقا", without the preposition ل glued to its first word."""
    start, end = article.original_range(*speaker)
    first = article.word(speaker[0])
    if first.startswith("ل") and len(first) > 2:
        start = article.normalized.starts[article.tokens[speaker[0]].start + 1]
    return replace(mention, speaker_start=start, speaker_end=end, speaker_text=article.original[start:end])


def _speaker_gaps(article: _Article, cues: Sequence[_Cue]) -> set[int]:
    """Opening marks that sit between a verb and its cue: names inside speaker phrases."""
    inside: set[int] = set()
    for cue in cues:
        if cue.verb is not None:
            inside.update(index for index in range(cue.verb + 1, cue.index) if index in article.pairs)
    return inside


def _inherit_speakers(found: Sequence[_Found]) -> list[QuoteMention]:
    """A pronoun-subject quote takes the speaker of the previous quote of the same sentence."""
    mentions: list[QuoteMention] = []
    for index, item in enumerate(found):
        mention = item.mention
        previous = found[index - 1] if index else None
        if item.pronoun_subject and previous is not None and previous.sentence == item.sentence:
            speaker = mentions[-1]
            mention = replace(
                mention,
                speaker_start=speaker.speaker_start,
                speaker_end=speaker.speaker_end,
                speaker_text=speaker.speaker_text,
            )
        mentions.append(mention)
    return mentions


def _without_nested(found: list[_Found]) -> list[_Found]:
    """In text order, dropping any quote that overlaps an earlier (or enclosing) one."""
    kept: list[_Found] = []
    for item in sorted(found, key=lambda item: (item.mention.start, -item.mention.end)):
        if kept and item.mention.start < kept[-1].mention.end:
            continue
        kept.append(item)
    return kept


def find_quotes(text: str) -> list[QuoteMention]:
    """Every quote of `text`, direct and indirect, in order (see the module docstring)."""
    article = _Article(text)
    cues = article.cues()
    cue_verbs = frozenset(cue.verb for cue in cues if cue.verb is not None)
    claimed: set[int] = set()
    found = [quote for cue in cues if (quote := _quote_at_cue(article, cue, cue_verbs, claimed)) is not None]
    skipped = claimed | _speaker_gaps(article, cues)
    for open_ in sorted(article.pairs):
        if open_ in skipped or article.inside(open_):
            continue
        quote = _marked_quote(article, open_)
        if quote is not None:
            found.append(quote)
    return _inherit_speakers(_without_nested(found))

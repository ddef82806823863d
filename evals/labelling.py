"""Compile the human-authored gold labels (`evals/gold/src/<id>.yaml`) into `evals/gold/<id>.json`.

The YAML is written by a person following `evals/GUIDE.md`; this tool only does the mechanical parts:

* every span is written as the text it covers, `{text: "...", occurrence: N}` (N-th occurrence of that
  exact text in the article, counted from 1, occurrences may sit inside longer words) or a bare string
  (occurrence 1), and is turned into `{start, end, text, match: "exact"}`;
* `low` / `high` of a figure follow from its qualifier (docs/DESIGN.md §3); written values are checked;
  a stated range ("بين 25 و30") is written: exact, value = low = the first number, high the second;
* places are written once under `places:` and referred to by key;
* a figure's `scope` (incident, period or cumulative) is the labeller's, written in the YAML (default
  incident), never guessed from its period;
* the casualties are derived from the figures by the team's one reconciliation rule,
  `service.digest.reconcile.reconcile`, one per toll (metric, scope, event or place), and the
  hand-written `casualties:` entries of the YAML are checked against the derived ones;
* an event's `figure_ids` default to the figures whose `event_id` is that event;
* every id reference is checked.

Any error names the article, the item and the text involved, and nothing is written.

    python -m evals.labelling              compile every YAML into its JSON
    python -m evals.labelling --check      exit 1 if a JSON is missing, stale or has no YAML
    python -m evals.labelling --find ID TEXT   list the occurrences of TEXT in article ID
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from evals.gold import GOLD_DIR, REPO_ROOT, GoldArticle
from schemas.digest import Casualty, Location, Qualifier, Scope
from service.digest.reconcile import period_key, place_key, reconcile

SRC_DIR = GOLD_DIR / "src"

_TOP_KEYS = frozenset(
    {"id", "article_file", "synthetic", "kind", "title", "source", "outlet", "licence", "notes", "places"}
    | {"actors", "figures", "quotes", "events", "casualties"}
)
_ACTOR_KEYS = frozenset({"id", "name_ar", "name_en", "kind", "title_en", "affiliation", "mentions"})
_FIGURE_KEYS = frozenset(
    {"id", "span", "value", "low", "high", "qualifier", "metric", "subject_en", "period_ar"}
    | {"location", "source_actor_id", "event_id", "part_of", "scope"}
)
_QUOTE_KEYS = frozenset({"id", "span", "text_ar", "text_en", "speaker_actor_id", "mode"})
_EVENT_KEYS = frozenset(
    {"id", "type", "description_en", "location", "when", "actors", "figure_ids", "evidence"}
)
_CASUALTY_KEYS = frozenset(
    {"metric", "scope", "event", "place", "period", "low", "best", "high", "conflicting", "figure_ids"}
)
_ID_PREFIX = {"actors": "a", "figures": "f", "quotes": "q", "events": "e"}


class LabelError(Exception):
    """A gold YAML that cannot be compiled; the message says which article, item and text."""


@dataclass(frozen=True)
class Compiled:
    gold: GoldArticle
    json_text: str
    json_path: Path


# --------------------------------------------------------------------------- spans


def occurrences(article: str, text: str) -> list[int]:
    """Start offsets of every occurrence of `text` (overlapping ones included), in order."""
    starts: list[int] = []
    position = article.find(text)
    while position != -1:
        starts.append(position)
        position = article.find(text, position + 1)
    return starts


def locate(article: str, spec: object, *, where: str) -> dict[str, Any]:
    """Turn `"text"` or `{text, occurrence}` into a Span dict, or fail naming `where`."""
    if isinstance(spec, str):
        text, occurrence = spec, 1
    elif isinstance(spec, Mapping) and set(spec) <= {"text", "occurrence"} and "text" in spec:
        text, occurrence = spec["text"], spec.get("occurrence", 1)
    else:
        raise LabelError(f"{where}: a span is a string or {{text, occurrence}}, got {spec!r}")
    if not isinstance(text, str) or not text:
        raise LabelError(f"{where}: span text must be a non-empty string, got {text!r}")
    if not isinstance(occurrence, int) or isinstance(occurrence, bool) or occurrence < 1:
        raise LabelError(f"{where}: occurrence must be an integer >= 1, got {occurrence!r} for {text!r}")
    starts = occurrences(article, text)
    if not starts:
        raise LabelError(f"{where}: text not found in the article: {text!r}")
    if occurrence > len(starts):
        raise LabelError(
            f"{where}: occurrence {occurrence} of {text!r} requested, the article has only {len(starts)}"
        )
    start = starts[occurrence - 1]
    return {"start": start, "end": start + len(text), "text": text, "match": "exact"}


# --------------------------------------------------------------------------- figures


def bounds_for(qualifier: Qualifier, value: int) -> tuple[int | None, int | None]:
    """(low, high) of a figure from its qualifier (docs/DESIGN.md §3; `vague` may be overridden, e.g. بضع)."""
    if qualifier is Qualifier.exact:
        return value, value
    if qualifier in (Qualifier.at_least, Qualifier.vague):
        return value, None
    if qualifier is Qualifier.more_than:
        return value + 1, None
    if qualifier is Qualifier.up_to:
        return None, value
    return None, None  # about


def _is_written_range(item: Mapping[str, Any], qualifier: Qualifier, value: int) -> bool:
    """ "بين 25 و30": an exact figure written with low = value and a larger high."""
    high = item.get("high")
    return (
        qualifier is Qualifier.exact and item.get("low") == value and isinstance(high, int) and high > value
    )


# --------------------------------------------------------------------------- casualties


# --------------------------------------------------------------------------- compiling one article


def _mapping(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise LabelError(f"{where}: expected a mapping, got {type(value).__name__}")
    return value


def _items(raw: Mapping[str, Any], key: str, where: str) -> list[Mapping[str, Any]]:
    value = raw.get(key) or []
    if not isinstance(value, list):
        raise LabelError(f"{where}: `{key}` must be a list")
    return [_mapping(item, f"{where} {key}[{index}]") for index, item in enumerate(value)]


def _check_keys(item: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(set(item) - allowed)
    if unknown:
        raise LabelError(f"{where}: unknown key(s) {unknown}; allowed: {sorted(allowed)}")


class _ArticleCompiler:
    def __init__(self, raw: Mapping[str, Any], source: Path) -> None:
        self.raw = raw
        self.article_id = str(raw.get("id", source.stem))
        if self.article_id != source.stem:
            raise LabelError(f"{source}: id {self.article_id!r} must equal the file name stem")
        _check_keys(raw, _TOP_KEYS, self.article_id)
        article_file = raw.get("article_file")
        if not isinstance(article_file, str):
            raise LabelError(f"{self.article_id}: `article_file` (path from the repository root) is required")
        path = REPO_ROOT / article_file
        if not path.is_file():
            raise LabelError(f"{self.article_id}: article file not found: {article_file}")
        self.article = path.read_text(encoding="utf-8")
        self.places = {
            str(key): dict(_mapping(value, f"{self.article_id} places.{key}"))
            for key, value in _mapping(raw.get("places") or {}, f"{self.article_id} places").items()
        }
        self.figures_of_event: dict[str, list[str]] = {}

    def where(self, kind: str, item: Mapping[str, Any]) -> str:
        return f"{self.article_id} {kind} {item.get('id', '?')}"

    def span(self, spec: object, where: str) -> dict[str, Any]:
        return locate(self.article, spec, where=where)

    def location(self, value: object, where: str) -> object:
        if isinstance(value, str):
            if value not in self.places:
                raise LabelError(f"{where}: unknown place key {value!r}; known: {sorted(self.places)}")
            return self.places[value]
        return value

    def actor(self, item: Mapping[str, Any]) -> dict[str, Any]:
        where = self.where("actor", item)
        _check_keys(item, _ACTOR_KEYS, where)
        mentions = item.get("mentions") or []
        if not isinstance(mentions, list) or not mentions:
            raise LabelError(f"{where}: at least one mention is required")
        spans = [self.span(spec, f"{where} mention") for spec in mentions]
        spans.sort(key=lambda s: s["start"])
        for before, after in itertools.pairwise(spans):
            if after["start"] < before["end"]:
                raise LabelError(f"{where}: mentions {before['text']!r} and {after['text']!r} overlap")
        return {**item, "mentions": spans}

    def figure(self, item: Mapping[str, Any]) -> dict[str, Any]:
        where = self.where("figure", item)
        _check_keys(item, _FIGURE_KEYS, where)
        out = dict(item)
        if "scope" in item and item["scope"] not in {scope.value for scope in Scope}:
            scopes = ", ".join(scope.value for scope in Scope)
            raise LabelError(f"{where}: scope must be one of {scopes}, got {item['scope']!r}")
        out["span"] = self.span(item.get("span"), where)
        if "location" in item and item["location"] is not None:
            out["location"] = self.location(item["location"], where)
        try:
            qualifier = Qualifier(item["qualifier"])
            value = int(item["value"])
        except (KeyError, ValueError, TypeError) as error:
            raise LabelError(f"{where}: needs an int `value` and a valid `qualifier` ({error})") from error
        low, high = bounds_for(qualifier, value)
        if _is_written_range(item, qualifier, value):
            high = item["high"]
        for key, expected in (("low", low), ("high", high)):
            if key in item and item[key] != expected and qualifier is not Qualifier.vague:
                raise LabelError(
                    f"{where}: {key}={item[key]!r} contradicts qualifier {qualifier.value} "
                    f"(expected {expected!r}) for {out['span']['text']!r}"
                )
            out.setdefault(key, expected)
        return out

    def quote(self, item: Mapping[str, Any]) -> dict[str, Any]:
        where = self.where("quote", item)
        _check_keys(item, _QUOTE_KEYS, where)
        span = self.span(item.get("span", item.get("text_ar")), where)
        text_ar = item.get("text_ar", span["text"])
        if text_ar != span["text"]:
            raise LabelError(f"{where}: text_ar {text_ar!r} differs from its span text {span['text']!r}")
        return {**item, "span": span, "text_ar": text_ar}

    def event(self, item: Mapping[str, Any]) -> dict[str, Any]:
        where = self.where("event", item)
        _check_keys(item, _EVENT_KEYS, where)
        out = dict(item)
        evidence = item.get("evidence") or []
        if not isinstance(evidence, list) or not evidence:
            raise LabelError(f"{where}: at least one evidence span is required")
        out["evidence"] = [self.span(spec, f"{where} evidence") for spec in evidence]
        if item.get("location") is not None:
            out["location"] = self.location(item["location"], where)
        when = item.get("when")
        if isinstance(when, str):
            if when not in self.article:
                raise LabelError(f"{where}: `when` text is not in the article: {when!r}")
            out["when"] = {"text_ar": when, "date": None, "precision": "unresolved"}
        if "figure_ids" not in item:
            out["figure_ids"] = self.figures_of_event.get(str(item.get("id")), [])
        actors = item.get("actors") or {}
        if isinstance(actors, Mapping):
            out["actors"] = [{"actor_id": key, "role": role} for key, role in actors.items()]
        return out

    def compile(self) -> GoldArticle:
        raw, aid = self.raw, self.article_id
        data: dict[str, Any] = {
            key: raw[key]
            for key in (
                "id",
                "article_file",
                "synthetic",
                "kind",
                "title",
                "source",
                "outlet",
                "licence",
                "notes",
            )
            if key in raw
        }
        data["id"] = aid
        data["actors"] = [self.actor(item) for item in _items(raw, "actors", aid)]
        data["figures"] = _subsets_take_their_totals_scope(
            [self.figure(item) for item in _items(raw, "figures", aid)]
        )
        for figure in data["figures"]:
            if figure.get("event_id") is not None:
                self.figures_of_event.setdefault(str(figure["event_id"]), []).append(str(figure["id"]))
        data["quotes"] = [self.quote(item) for item in _items(raw, "quotes", aid)]
        data["events"] = [self.event(item) for item in _items(raw, "events", aid)]
        try:
            gold = GoldArticle.model_validate(data)
        except ValidationError as error:
            raise LabelError(f"{aid}: does not validate as a GoldArticle:\n{error}") from error
        check_references(gold)
        gold.casualties = reconcile(gold.figures)
        self.check_casualties(gold)
        return gold

    def check_casualties(self, gold: GoldArticle) -> None:
        """The hand-written `casualties:` must say what the rule derives from the figures."""
        aid = self.article_id
        if "casualties" not in self.raw:
            raise LabelError(f"{aid}: `casualties:` is required (an empty list when there are none)")
        written = _items(self.raw, "casualties", aid)
        derived = {_written_key(c): c for c in gold.casualties}
        seen: set[tuple[str, str, str, frozenset[str]]] = set()
        for entry in written:
            _check_keys(entry, _CASUALTY_KEYS, f"{aid} casualty")
            place = entry.get("place")
            location = None if place is None else Location.model_validate(self.location(place, aid))
            scope = str(entry.get("scope", Scope.incident.value))
            event = entry.get("event")
            incident = f"event {event}" if event is not None else f"place {place_key(location)}"
            period = entry.get("period") if scope == Scope.period.value else None
            key = (str(entry.get("metric")), scope, incident, period_key(period))
            where = f"{aid} casualty {entry.get('metric')} ({scope}) of {incident}"
            if key not in derived:
                known = "; ".join(" ".join(map(str, k[:3])) for k in derived)
                raise LabelError(f"{where}: the figures give no such toll (they give: {known})")
            if key in seen:
                raise LabelError(f"{where}: written twice")
            seen.add(key)
            casualty = derived[key]
            got: dict[str, object] = {
                "low": casualty.low.value,
                "best": casualty.best.value,
                "high": casualty.high.value,
                "conflicting": casualty.conflicting,
                "figure_ids": casualty.figure_ids,
            }
            for name, value in got.items():
                if name in entry and entry[name] != value:
                    raise LabelError(f"{where}: written {name}={entry[name]!r}, derived {value!r}")
        missing = [" ".join(map(str, key[:3])) for key in derived if key not in seen]
        if missing:
            raise LabelError(f"{aid}: casualty groups derived but not written in the YAML: {missing}")


def _subsets_take_their_totals_scope(figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A subset (`part_of`) written without a scope has its total's."""
    scopes = {figure.get("id"): figure.get("scope") for figure in figures}
    for figure in figures:
        total_scope = scopes.get(figure.get("part_of"))
        if "scope" not in figure and total_scope is not None:
            figure["scope"] = total_scope
    return figures


def _written_key(casualty: Casualty) -> tuple[str, str, str, frozenset[str]]:
    """How a YAML `casualties:` entry names a toll: metric, scope, its event (else its place), and for
    scope period the period's words (`period_key`)."""
    if casualty.event_id is not None:
        incident = f"event {casualty.event_id}"
    else:
        incident = f"place {place_key(casualty.location)}"
    return casualty.metric.value, casualty.scope.value, incident, period_key(casualty.period_ar)


def check_references(gold: GoldArticle) -> None:
    """Unique, well-prefixed ids, and every id that an item refers to exists in the article."""
    aid = gold.id
    ids: dict[str, set[str]] = {}
    for kind, prefix in _ID_PREFIX.items():
        items: list[Any] = getattr(gold, kind)
        names = [item.id for item in items]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise LabelError(f"{aid}: duplicate {kind} ids {duplicates}")
        wrong = [name for name in names if not name.startswith(prefix) or not name[len(prefix) :].isdigit()]
        if wrong:
            raise LabelError(f"{aid}: {kind} ids must look like {prefix}1, {prefix}2...: {wrong}")
        ids[kind] = set(names)

    def need(kind: str, ref: str | None, where: str) -> None:
        if ref is not None and ref not in ids[kind]:
            raise LabelError(f"{aid} {where}: refers to unknown {kind[:-1]} {ref!r}")

    for figure in gold.figures:
        need("actors", figure.source_actor_id, f"figure {figure.id} source_actor_id")
        need("events", figure.event_id, f"figure {figure.id} event_id")
        need("figures", figure.part_of, f"figure {figure.id} part_of")
        if figure.part_of == figure.id:
            raise LabelError(f"{aid} figure {figure.id}: part_of refers to itself")
    for quote in gold.quotes:
        need("actors", quote.speaker_actor_id, f"quote {quote.id} speaker_actor_id")
    for event in gold.events:
        for actor in event.actors:
            need("actors", actor.actor_id, f"event {event.id} actors")
        for figure_id in event.figure_ids:
            need("figures", figure_id, f"event {event.id} figure_ids")
    events_of = {f.id: f.event_id for f in gold.figures}
    for event in gold.events:
        for figure_id in event.figure_ids:
            if events_of[figure_id] != event.id:
                owner = events_of[figure_id]
                raise LabelError(
                    f"{aid} event {event.id}: lists figure {figure_id} whose event_id is {owner!r}"
                )
    for figure in gold.figures:
        if figure.event_id is not None:
            event = next(e for e in gold.events if e.id == figure.event_id)
            if figure.id not in event.figure_ids:
                raise LabelError(f"{aid} figure {figure.id}: event {event.id} does not list it in figure_ids")


# --------------------------------------------------------------------------- files


def json_text(gold: GoldArticle) -> str:
    return json.dumps(gold.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def compile_file(source: Path, out_dir: Path = GOLD_DIR) -> Compiled:
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise LabelError(f"{source}: not valid YAML: {error}") from error
    gold = _ArticleCompiler(_mapping(raw, str(source)), source).compile()
    return Compiled(gold=gold, json_text=json_text(gold), json_path=out_dir / f"{gold.id}.json")


def compile_all(src_dir: Path = SRC_DIR, out_dir: Path = GOLD_DIR) -> list[Compiled]:
    return [compile_file(path, out_dir) for path in sorted(src_dir.glob("*.yaml"))]


def stale(compiled: Sequence[Compiled], out_dir: Path = GOLD_DIR) -> list[str]:
    """Problems that make the JSON on disk differ from what the YAML compiles to."""
    problems: list[str] = []
    for item in compiled:
        if not item.json_path.is_file():
            problems.append(f"missing: {item.json_path.name}")
        elif item.json_path.read_text(encoding="utf-8") != item.json_text:
            problems.append(f"stale: {item.json_path.name}")
    expected = {item.json_path.name for item in compiled}
    problems.extend(
        f"no YAML source: {path.name}" for path in sorted(out_dir.glob("*.json")) if path.name not in expected
    )
    return problems


def find(article_id: str, text: str, src_dir: Path = SRC_DIR) -> list[str]:
    """Each occurrence of `text` in the article with a little context, for writing `occurrence: N`."""
    raw = _mapping(yaml.safe_load((src_dir / f"{article_id}.yaml").read_text(encoding="utf-8")), article_id)
    article = (REPO_ROOT / str(raw["article_file"])).read_text(encoding="utf-8")
    lines = []
    for n, start in enumerate(occurrences(article, text), start=1):
        end = start + len(text)
        context = f"…{article[max(0, start - 30) : start]}[{text}]{article[end : end + 30]}…"
        lines.append(f"{n}: @{start} " + context.replace("\n", "⏎"))
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.labelling", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if any gold JSON is stale or missing")
    parser.add_argument("--find", nargs=2, metavar=("ARTICLE_ID", "TEXT"), help="list occurrences of TEXT")
    args = parser.parse_args(argv)
    if args.find:
        print("\n".join(find(*args.find)) or "not found")
        return 0
    try:
        compiled = compile_all()
    except LabelError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.check:
        problems = stale(compiled)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print("run `python -m evals.labelling` to recompile the gold set", file=sys.stderr)
            return 1
        print(f"{len(compiled)} gold files up to date")
        return 0
    GOLD_DIR.mkdir(parents=True, exist_ok=True)
    for item in compiled:
        if not item.json_path.is_file() or item.json_path.read_text(encoding="utf-8") != item.json_text:
            item.json_path.write_text(item.json_text, encoding="utf-8")
            print(f"wrote {item.json_path.relative_to(REPO_ROOT)}")
    print(f"{len(compiled)} gold files compiled")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

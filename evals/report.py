"""The Markdown report of a run: configuration, scores, then per article what was missed and spurious."""

from __future__ import annotations

from evals.records import FIELDS, ArticleResult, FieldMatches, ItemRef, RunRecord, SetMetrics
from evals.tables import by_kind_table, markdown_table, score


def render_markdown(record: RunRecord) -> str:
    sections = [
        _header(record),
        "## Scores (micro-averaged over the gold set)",
        _field_table(record.metrics),
        _other_metrics(record.metrics),
        *_by_kind_section(record),
        _failed_articles(record),
        "## Per article",
        _article_table(record),
        _llm_calls_table(record),
        *(_article_section(article) for article in record.articles),
    ]
    return "\n\n".join(section for section in sections if section).rstrip() + "\n"


def _header(record: RunRecord) -> str:
    config = record.config
    lines = [
        f"# Eval run: {config.engine} engine",
        "",
        f"- started {config.started_at:%Y-%m-%d %H:%M:%S} UTC, took {config.duration_s:.2f} s",
        f"- engine `{config.engine}`, model `{config.model or '—'}`, "
        f"prompt `{config.prompt_file or '—'}` ({config.prompt_version or '—'})",
        f"- schema {config.schema_version}, git commit `{config.git_commit or 'unknown'}`"
        + (", cache bypassed (--refresh)" if config.refresh else ""),
        f"- gold set `{config.gold_dir}`: {len(config.gold_articles)} articles",
    ]
    return "\n".join(lines)


def _field_table(metrics: SetMetrics) -> str:
    rows = [
        [
            name.value,
            score(metrics.fields[name].precision),
            score(metrics.fields[name].recall),
            score(metrics.fields[name].f1),
            str(metrics.fields[name].true_positives),
            str(metrics.fields[name].predicted),
            str(metrics.fields[name].gold),
            score(metrics.macro_f1[name]),
        ]
        for name in FIELDS
    ]
    return markdown_table(["field", "P", "R", "F1", "matched", "predicted", "gold", "macro F1"], rows)


def _by_kind_section(record: RunRecord) -> list[str]:
    """Seeds (the engine's rules were written on them), synthetic challenges and real articles apart."""
    if not record.metrics_by_kind:
        return []
    return ["## Scores by kind of article", markdown_table(*by_kind_table(record.metrics_by_kind))]


def _other_metrics(metrics: SetMetrics) -> str:
    latency = f"{metrics.latency_ms_mean:.1f} ms mean" if metrics.latency_ms_mean is not None else "—"
    tokens = (
        f"{metrics.tokens_mean:.0f} mean, {metrics.tokens_total} in all"
        if metrics.tokens_mean is not None
        else "—"
    )
    rows = [
        ["grounding rate", score(metrics.grounding_rate)],
        ["schema-validity rate", score(metrics.schema_validity_rate)],
        ["casualty accuracy (low/best/high)", score(metrics.casualty_accuracy)],
        ["failed articles", f"{metrics.failed_articles} of {metrics.articles}"],
        ["latency per article", latency],
        ["tokens per article", tokens],
    ]
    return markdown_table(["metric", "value"], rows)


def _failed_articles(record: RunRecord) -> str:
    """The articles the engine gave no digest for (scored as all missed), each with its problem."""
    failed = [article for article in record.articles if article.error]
    if not failed:
        return ""
    lines = ["## Failed articles (scored as all missed)", ""]
    lines += [f"- `{article.id}`: {article.error}" for article in failed]
    return "\n".join(lines)


def _article_table(record: RunRecord) -> str:
    rows = [
        [
            article.id + (f" ({article.kind})" if article.kind else ""),
            *(score(article.metrics.fields[name].f1) for name in FIELDS),
            score(article.metrics.grounding_rate),
            score(article.metrics.casualty_accuracy),
            "failed" if article.error else f"{article.metrics.latency_ms or 0:.0f} ms",
        ]
        for article in record.articles
    ]
    headers = ["article", *(f"{name.value} F1" for name in FIELDS), "grounded", "casualties", "latency"]
    return markdown_table(headers, rows)


def _llm_calls_table(record: RunRecord) -> str:
    """LLM runs: what each digest cost and whether an editor could use it (a digest, a grounded item
    in every field the gold has for the article, a summary the model wrote that passed its check)."""
    if record.config.engine != "llm":
        return ""
    rows = [_llm_calls_row(article) for article in record.articles]
    headers = [
        "article",
        "usable",
        "time",
        "calls",
        "re-asks",
        "prompt tok",
        "output tok",
        "items (a f q e)",
        "failed tasks",
        "warnings",
    ]
    return "### LLM calls\n\n" + markdown_table(headers, rows)


def _llm_calls_row(article: ArticleResult) -> list[str]:
    if article.error or article.digest is None:
        error = _clip(article.error or "", 80)
        return [article.id, "no (failed)", "—", "—", "—", "—", "—", "—", "all", error]
    provenance = article.digest["provenance"]
    usage = provenance.get("usage") or {}
    warnings = sorted({warning["code"] for warning in article.digest.get("warnings", [])})
    lacking = [
        name.value
        for name in FIELDS
        if article.matches[name].pairs or article.matches[name].missed
        if not (article.matches[name].pairs or article.matches[name].spurious)
    ]
    failed_tasks = provenance.get("failed_tasks", [])
    template = "summary_replaced_by_template" in warnings or "summary" in failed_tasks
    usable = (
        "yes"
        if not lacking and not template
        else "no: "
        + ", ".join([*(f"no {name}" for name in lacking), *(["template summary"] if template else [])])
    )
    items = " ".join(
        f"{name.value[0]}{len(article.matches[name].pairs) + len(article.matches[name].spurious)}"
        for name in FIELDS
    )
    return [
        article.id,
        usable,
        f"{provenance.get('latency_ms', 0) / 1000:.0f} s",
        str(len(provenance.get("calls", []))),
        str(provenance.get("reasks", 0)),
        str(usage.get("prompt_tokens", 0)),
        str(usage.get("completion_tokens", 0)),
        items,
        ", ".join(failed_tasks) or "—",
        ", ".join(warnings) or "—",
    ]


def _article_section(article: ArticleResult) -> str:
    parts = [f"### {article.id}" + (f" — {article.title}" if article.title else "")]
    if article.error:
        parts.append(f"**The engine failed:** {article.error}")
    parts += [_field_section(name.value, article.matches[name]) for name in FIELDS]
    if article.casualties:
        parts.append(_casualty_lines(article))
    return "\n\n".join(part for part in parts if part)


def _field_section(name: str, matches: FieldMatches) -> str:
    if not matches.missed and not matches.spurious:
        return f"**{name}**: all {len(matches.pairs)} matched"
    counts = f"{len(matches.pairs)} matched, {len(matches.missed)} missed, {len(matches.spurious)} spurious"
    lines = [f"**{name}**: {counts}"]
    lines += [f"- missed {_item_line(item)}" for item in matches.missed]
    lines += [f"- spurious {_item_line(item)}" for item in matches.spurious]
    return "\n".join(lines)


def _item_line(item: ItemRef) -> str:
    return f"`{item.id}` {item.label} — «{_clip(item.text_ar)}»"


def _casualty_lines(article: ArticleResult) -> str:
    lines = ["**casualties** (low / best / high)"]
    for check in article.casualties:
        predicted = " / ".join(map(str, check.predicted)) if check.predicted else "nothing"
        place = f" in {check.place}" if check.place else ""
        lines.append(
            f"- {check.metric}{place}: gold {' / '.join(map(str, check.gold))}, "
            f"predicted {predicted} ({check.values_equal} of 3 equal)"
        )
    return "\n".join(lines)


def _clip(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

"""`digest eval feedback export`: the editors' feedback on digests, as gold drafts for a person to review.

Each digest with feedback becomes `draft-<key>.json` (a gold article) and `draft-<key>.txt` (its
text) in the output folder. Items marked wrong are left out, items marked correct or not reviewed
are kept, and the notes say which were which and what the editors said was missing: the draft is a
starting point for labelling by `evals/GUIDE.md`, never gold by itself. Casualty rows are left for
the labeller to reconcile.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from evals.gold import GoldArticle, GoldKind
from evals.paths import display_path
from schemas.digest import Digest
from schemas.request import DigestRequest
from service.runtime.digester import Digester
from service.runtime.feedback import DigestFeedback, Verdict

DRAFTS_DIR = Path("evals") / "drafts"


@dataclass(frozen=True)
class Draft:
    gold: GoldArticle
    text: str


def drafts(digester: Digester, out: Path) -> Iterator[Draft]:
    """A draft for every digest in the recent list that has feedback, its article file under `out`."""
    for listing in digester.recent():
        feedback = digester.feedback(listing.key)
        found = digester.lookup(listing.key) if feedback.entries else None
        if found is not None:
            request, digest = found
            yield draft_of(listing.key, request, digest, feedback, out)


def draft_of(key: str, request: DigestRequest, digest: Digest, feedback: DigestFeedback, out: Path) -> Draft:
    draft_id = f"draft-{key[:12]}"
    wrong = {e.item_id for e in feedback.entries if e.verdict is Verdict.wrong}
    correct = {e.item_id for e in feedback.entries if e.verdict is Verdict.correct}
    item_ids = [
        item.id for items in (digest.actors, digest.figures, digest.quotes, digest.events) for item in items
    ]
    gold = GoldArticle(
        id=draft_id,
        article_file=display_path(out / f"{draft_id}.txt"),  # from the repository root, as gold files name it
        synthetic=False,
        kind=GoldKind.real,
        title=request.title,
        source=request.source,
        notes=_notes(key, digest, feedback, [i for i in item_ids if i not in wrong | correct]),
        actors=[a for a in digest.actors if a.id not in wrong],
        figures=[f for f in digest.figures if f.id not in wrong],
        quotes=[q for q in digest.quotes if q.id not in wrong],
        events=[e for e in digest.events if e.id not in wrong],
    )
    return Draft(gold, request.text)


def _notes(key: str, digest: Digest, feedback: DigestFeedback, unreviewed: list[str]) -> str:
    def said(entry_note: str) -> str:
        return f" ({entry_note})" if entry_note else ""

    lines = [
        f"Draft from the editors' feedback on /d/{key} ({digest.provenance.engine.value} engine): review "
        "every item and reconcile the casualties by evals/GUIDE.md before it joins the gold set.",
        "Correct: "
        + (
            ", ".join(f"{e.item_id}{said(e.note)}" for e in feedback.entries if e.verdict is Verdict.correct)
            or "none"
        ),
        "Left out as wrong: "
        + (
            ", ".join(f"{e.item_id}{said(e.note)}" for e in feedback.entries if e.verdict is Verdict.wrong)
            or "none"
        ),
        "Kept, not reviewed: " + (", ".join(unreviewed) or "none"),
        "Missing, to label: " + ("; ".join(e.note for e in feedback.missing) or "none"),
    ]
    return "\n".join(lines)


def write_drafts(found: Iterator[Draft], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for draft in found:
        (out / f"{draft.gold.id}.txt").write_text(draft.text, encoding="utf-8")
        path = out / f"{draft.gold.id}.json"
        path.write_text(draft.gold.model_dump_json(indent=1, exclude_none=True) + "\n", encoding="utf-8")
        written.append(path)
    return written

"""Feedback on a digest's items: saved with the digest, shown on the page, exported as gold drafts."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from evals.cli import main as eval_main
from evals.feedback import draft_of
from evals.gold import GoldArticle
from service.http.app import create_app
from service.runtime.digester import Digester
from service.settings import Settings
from tests.paths import REPO, SEED_FILES
from tests.service.http.web.test_web_pages import digest_path

Client = TestClient[Any]


def feedback(client: Client, path: str, **form: str) -> Any:
    return client.post(f"{path}/feedback", data=form, follow_redirects=False)


def digest_json(client: Client, path: str) -> dict[str, Any]:
    loaded: dict[str, Any] = client.get(f"{path}.json").json()
    return loaded


def test_marks_and_a_missing_note_are_kept_with_the_digest_and_shown(offline_settings: Settings) -> None:
    with TestClient(app=create_app(offline_settings, Digester(offline_settings))) as client:
        path = digest_path(client, text=SEED_FILES[0].read_text(encoding="utf-8"))
        first, second = digest_json(client, path)["figures"][:2]
        marked = feedback(client, path, item=first["id"], verdict="wrong", note="the toll is the injured")
        assert marked.status_code == 303 and marked.headers["location"] == f"{path}#item-figure-{first['id']}"
        assert feedback(client, path, item=second["id"], verdict="correct").status_code == 303
        assert (
            feedback(client, path, verdict="missing", note="the 3 women killed in Aleppo").status_code == 303
        )
    with TestClient(app=create_app(offline_settings, Digester(offline_settings))) as restarted:
        page = restarted.get(path).text
        assert "Feedback: marked wrong" in page and 'value="the toll is the injured"' in page
        assert "Feedback: marked correct" in page
        assert "the 3 women killed in Aleppo" in page


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"item": "f1"}, "choose Correct or Wrong"),
        ({"item": "zz9", "verdict": "correct"}, "mark an item of this digest"),
        ({"verdict": "correct"}, "mark an item of this digest"),
        ({"item": "f1", "verdict": "wrong", "note": "x" * 1001}, "longer than 1,000 characters"),
    ],
)
def test_bad_feedback_is_a_400_that_says_what_to_fix(
    offline_settings: Settings, form: dict[str, str], message: str
) -> None:
    with TestClient(app=create_app(offline_settings, Digester(offline_settings))) as client:
        path = digest_path(client, text=SEED_FILES[0].read_text(encoding="utf-8"))
        response = feedback(client, path, **form)
        assert response.status_code == 400 and message in response.text


def test_feedback_on_an_unknown_digest_is_a_404(offline_settings: Settings) -> None:
    with TestClient(app=create_app(offline_settings, Digester(offline_settings))) as client:
        assert feedback(client, "/d/" + "0" * 64, item="f1", verdict="correct").status_code == 404


def test_the_export_writes_a_gold_draft_without_the_wrong_items(
    offline_settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with TestClient(app=create_app(offline_settings, Digester(offline_settings))) as client:
        path = digest_path(client, text=SEED_FILES[0].read_text(encoding="utf-8"), title="حلب")
        digest_path(client, text=SEED_FILES[1].read_text(encoding="utf-8"))  # no feedback: no draft
        digest = digest_json(client, path)
        wrong, right = digest["figures"][0]["id"], digest["quotes"][0]["id"]
        feedback(client, path, item=wrong, verdict="wrong", note="not a toll")
        feedback(client, path, item=right, verdict="correct")
        feedback(client, path, verdict="missing", note="the hospital hit in Aleppo")
    monkeypatch.setenv("DIGEST_CACHE_DIR", str(offline_settings.cache_dir))
    out = tmp_path / "drafts"
    assert eval_main(["feedback", "export", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    [draft_file] = out.glob("*.json")
    assert (
        f"wrote 1 gold draft(s) to {out}:\n  {draft_file} (its article: {draft_file.with_suffix('.txt')})"
        in printed
    )
    assert f"digest eval run --engine offline --gold {out}" in printed
    draft = GoldArticle.model_validate(json.loads(draft_file.read_text(encoding="utf-8")))
    assert draft.article_file == str(draft_file.with_suffix(".txt"))  # outside the repository: absolute
    assert draft.title == "حلب" and draft.article_text() == SEED_FILES[0].read_text(encoding="utf-8")
    assert wrong not in {f.id for f in draft.figures} and len(draft.figures) == len(digest["figures"]) - 1
    assert right in {q.id for q in draft.quotes}
    assert draft.notes is not None
    assert f"Left out as wrong: {wrong} (not a toll)" in draft.notes
    assert f"Correct: {right}" in draft.notes
    assert "Missing, to label: the hospital hit in Aleppo" in draft.notes
    assert re.search(r"Kept, not reviewed: .*\ba1\b", draft.notes)


def test_a_draft_under_the_repository_names_its_article_from_the_root_as_gold_files_do(
    offline_settings: Settings, tmp_path: Path
) -> None:
    with TestClient(app=create_app(offline_settings, Digester(offline_settings))) as client:
        path = digest_path(client, text=SEED_FILES[0].read_text(encoding="utf-8"))
        feedback(client, path, verdict="missing", note="the second day's toll")
        key = path.removeprefix("/d/")
        request, digest = client.app.state.digester.lookup(key)
        draft = draft_of(
            key, request, digest, client.app.state.digester.feedback(key), REPO / "evals" / "drafts"
        )
    assert draft.gold.article_file == f"evals/drafts/draft-{key[:12]}.txt"

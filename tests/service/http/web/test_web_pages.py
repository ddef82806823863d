"""The editor's pages over HTTP: form, errors with the input kept, the digest page, JSON, 404."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from schemas.digest import Digest
from schemas.request import DigestRequest
from service.engines.llm.client import LLMClient
from service.errors import UpstreamUnavailable
from service.http.app import create_app
from service.runtime.digester import Digester, EngineChoice
from service.settings import Settings
from tests.llm_replay import ReplayLLM, error_response
from tests.paths import SEEDS_DIR
from tests.service.http.web.marks import read_marks, span_texts
from tests.service.http.web.sample import ARTICLE, sample_digest

SEED = SEEDS_DIR / "ghouta-80-killed-40000-leave.txt"
ARTICLE_DIV = re.compile(r'<div id="article-text"[^>]*>(.*?)</div>', re.DOTALL)
Client = TestClient[Any]


@pytest.fixture
def digester(offline_settings: Settings) -> Digester:
    return Digester(offline_settings)


@pytest.fixture
def client(offline_settings: Settings, digester: Digester) -> Iterator[Client]:
    with TestClient(app=create_app(offline_settings, digester)) as test_client:
        yield test_client


def submit(client: Client, **fields: str) -> Any:
    form = {"text": "", "title": "", "source": "", "published_at": "", "engine": "offline", **fields}
    return client.post("/digests", data=form, follow_redirects=False)


def digest_path(client: Client, **fields: str) -> str:
    response = submit(client, **fields)
    assert response.status_code == 303, response.text
    location: str = response.headers["location"]
    assert re.fullmatch(r"/d/[0-9a-f]{64}", location)
    return location


def serve_sample(monkeypatch: pytest.MonkeyPatch, digester: Digester) -> None:
    async def fake(request: DigestRequest, engine: EngineChoice, **_: object) -> Digest:
        digest = sample_digest()
        digest.provenance.cache_key = "ab" * 32
        return digest

    monkeypatch.setattr(digester, "digest", fake)


def test_form_has_labelled_fields_and_says_why_the_llm_is_unavailable(client: Client) -> None:
    page = client.get("/").text
    for name in ("text", "title", "source", "published_at"):
        assert f'<label for="field-{name}"' in page and f'id="field-{name}"' in page
    assert re.search(r'<textarea id="field-text" name="text"[^>]*dir="rtl" lang="ar"', page)
    assert re.search(r'id="engine-llm"[^>]*disabled', page)
    assert "no LLM endpoint is configured" in page


def test_submission_redirects_to_a_stable_page_and_a_json_download(client: Client) -> None:
    text = SEED.read_text(encoding="utf-8")
    path = digest_path(client, text=text, title="عنوان", source="البيان", published_at="2018-02-25")
    page = client.get(path)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    download = client.get(f"{path}.json")
    assert download.status_code == 200
    assert download.headers["content-disposition"].startswith("attachment;")
    digest = Digest.model_validate_json(download.content)
    assert digest.provenance.cache_key == path.removeprefix("/d/")
    assert digest.article.published_at is not None and digest.article.published_at.isoformat() == "2018-02-25"
    assert _escaped(digest.summary.headline_en) in page.text
    shown, marks = read_marks(ARTICLE_DIV.search(page.text).group(1))  # type: ignore[union-attr]
    assert shown == text
    assert all(text[start:end] == joined for (_, _, start, end), joined in span_texts(marks).items())


def test_the_link_survives_a_restart_through_the_cache(offline_settings: Settings) -> None:
    with TestClient(app=create_app(offline_settings)) as first:
        path = digest_path(first, text=SEED.read_text(encoding="utf-8"))
    with TestClient(app=create_app(offline_settings)) as second:
        assert second.get(path).status_code == 200
        assert json.loads(second.get(f"{path}.json").text)["provenance"]["cached"] is True


def test_the_page_works_with_the_cache_disabled(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, cache_dir=tmp_path / "c", cache_enabled=False)  # type: ignore[call-arg]
    with TestClient(app=create_app(settings)) as client:
        path = digest_path(client, text=SEED.read_text(encoding="utf-8"))
        assert client.get(path).status_code == 200


def test_browser_line_breaks_are_read_as_the_editor_pasted_them(client: Client) -> None:
    lf = digest_path(client, text="قتل 80 مدنيا.\nوقال المرصد")
    crlf = digest_path(client, text="قتل 80 مدنيا.\r\nوقال المرصد")
    assert lf == crlf


def test_empty_text_shows_the_error_and_keeps_every_other_field(client: Client) -> None:
    response = submit(client, text="  \n ", title="عنوان <b>", source="Al Jazeera", published_at="2018-02-25")
    assert response.status_code == 422
    page = response.text
    assert "The article text is empty" in page and 'role="alert"' in page
    assert 'value="عنوان &lt;b&gt;"' in page and 'value="Al Jazeera"' in page and 'value="2018-02-25"' in page
    assert re.search(r'id="field-text"[^>]*aria-invalid="true"', page)
    assert re.search(r'id="engine-offline"[^>]*checked', page)


def test_an_invalid_date_is_explained_and_the_article_kept(client: Client) -> None:
    text = "قتل 80 مدنيا <script>x</script>"
    response = submit(client, text=text, published_at="25/02/2018")
    assert response.status_code == 422
    assert "“25/02/2018” is not a date" in response.text
    assert "\nقتل 80 مدنيا &lt;script&gt;x&lt;/script&gt;</textarea>" in response.text
    assert 'value="25/02/2018"' in response.text


def test_an_unknown_engine_is_explained(client: Client) -> None:
    response = submit(client, text="نص", engine="gpt")
    assert response.status_code == 422 and "is not an engine" in response.text


def test_asking_for_the_llm_without_an_endpoint_says_what_to_do(client: Client) -> None:
    response = submit(client, text="نص المقال", engine="llm", title="t")
    assert response.status_code == 503
    assert "DIGEST_LLM_BASE_URL" in response.text and 'value="t"' in response.text


def test_an_upstream_failure_is_shown_in_plain_words_with_the_input_kept(
    client: Client, digester: Digester, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def failing(*_: object, **__: object) -> Digest:
        raise UpstreamUnavailable("the LLM provider answered 503 three times", retry_after=30)

    monkeypatch.setattr(digester, "digest", failing)
    response = submit(client, text="نص المقال", source="وكالة", engine="auto")
    assert response.status_code == 503
    assert "The LLM provider is unavailable" in response.text and "choose the offline engine" in response.text
    assert ">\nنص المقال</textarea>" in response.text and 'value="وكالة"' in response.text


def test_an_unexpected_failure_keeps_the_input(
    client: Client, digester: Digester, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_: object, **__: object) -> Digest:
        raise RuntimeError("bug")

    monkeypatch.setattr(digester, "digest", broken)
    response = submit(client, text="نص المقال")
    assert response.status_code == 500
    assert "failed unexpectedly" in response.text and ">\nنص المقال</textarea>" in response.text


def test_the_digest_page_shows_every_part_escaped(
    client: Client, digester: Digester, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve_sample(monkeypatch, digester)
    page = client.get(digest_path(client, text=ARTICLE)).text
    assert "80 civilians killed in Eastern Ghouta &lt;script&gt;" in page
    assert "<script>alert" not in page
    assert "Made by the offline engine, not the LLM" in page  # the fallback notice
    assert "Ungrounded quote dropped" in page
    assert "Sources disagree" in page
    for text in (
        "Syrian Observatory for Human Rights",
        "Civil Defence",
        "80 civilians were killed in Ghouta",
    ):
        assert text in page
    assert 'lang="ar" dir="rtl"' in page
    for item in ("figure-f1", "figure-f2", "quote-q1", "quote-q2", "event-e1", "actor-a1"):
        assert f'id="item-{item}"' in page
    for name in ("Engine", "Model", "Prompt version", "Cached", "Latency", "Schema version"):
        assert f"<dt>{name}</dt>" in page
    shown, marks = read_marks(ARTICLE_DIV.search(page).group(1))  # type: ignore[union-attr]
    assert shown == ARTICLE
    assert all(ARTICLE[start:end] == joined for (_, _, start, end), joined in span_texts(marks).items())


def test_unknown_and_malformed_keys_are_plain_404_pages(client: Client) -> None:
    for path in ("/d/" + "0" * 64, "/d/" + "0" * 64 + ".json", "/d/not-a-key", "/d/%3Cscript%3E"):
        response = client.get(path)
        assert response.status_code == 404
        assert "No digest at this link" in response.text and "<script>" not in response.text


def test_pages_carry_a_strict_content_security_policy(client: Client) -> None:
    policy = client.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_static_files_are_served(client: Client) -> None:
    page = client.get("/").text
    for asset in re.findall(r'(?:href|src)="(/static/[^"]+)"', page):
        assert client.get(asset).status_code == 200


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")


def test_a_too_large_article_is_a_plain_413_page(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, cache_dir=tmp_path / "c", max_body_bytes=2048)  # type: ignore[call-arg]
    with TestClient(app=create_app(settings)) as client:
        response = submit(client, text="ن" * 5000)
    assert response.status_code == 413
    assert "text/html" in response.headers["content-type"] and "too large" in response.text


def test_with_api_keys_the_pages_ask_for_the_key(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, cache_dir=tmp_path / "c", api_keys=["s3cret"])  # type: ignore[call-arg]
    with TestClient(app=create_app(settings)) as client:
        refused = client.get("/")
        assert refused.status_code == 401 and "text/html" in refused.headers["content-type"]
        assert "Basic" in refused.headers["www-authenticate"]
        assert client.get("/", auth=("editor", "s3cret")).status_code == 200


def test_with_an_llm_configured_the_llm_engine_can_be_chosen(tmp_path: Path) -> None:
    # by alias: the settings read these two fields only under their environment names
    endpoint = {"DIGEST_LLM_BASE_URL": "http://llm.invalid/v1", "DIGEST_LLM_API_KEY": "k"}
    settings = Settings(_env_file=None, cache_dir=tmp_path / "c", **endpoint)  # type: ignore[call-arg, arg-type]
    assert settings.llm_configured
    with TestClient(app=create_app(settings)) as client:
        page = client.get("/").text
    assert not re.search(r'id="engine-llm"[^>]*disabled', page)
    assert "no LLM endpoint is configured" not in page


def test_an_llm_failure_falls_back_to_offline_with_a_prominent_notice(llm_settings: Settings) -> None:
    replay = ReplayLLM([error_response(503)])
    digester = Digester(llm_settings, LLMClient(llm_settings, http_client=replay.http_client()))
    with TestClient(app=create_app(llm_settings, digester)) as client:
        path = digest_path(client, text=SEED.read_text(encoding="utf-8"), engine="auto")
        page = client.get(path).text
        download = client.get(f"{path}.json").json()
    assert replay.calls >= 1
    assert download["provenance"]["engine"] == "offline"
    assert download["warnings"][0]["code"] == "llm_failed_offline_fallback"
    assert 'class="notice notice-fallback"' in page and "Made by the offline engine, not the LLM" in page


def test_a_form_sent_from_another_site_is_refused_and_keeps_the_input(offline_settings):
    from service.http.app import create_app
    from service.runtime.digester import Digester

    with TestClient(app=create_app(offline_settings, Digester(offline_settings))) as client:
        form = {"text": "قال المرصد إن 4 مدنيين قتلوا", "title": "عنوان", "engine": "offline"}
        refused = client.post("/digests", data=form, headers={"origin": "https://evil.example"})
        assert refused.status_code == 403
        assert "this site" in refused.text and "عنوان" in refused.text
        same_site = client.post("/digests", data=form, headers={"origin": "http://testserver.local"})
        assert same_site.status_code in (200, 303)

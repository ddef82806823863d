"""The cache-hit path: a hit is the JSON stored when the digest was made, checked by checksum only, kept in
memory once read or made, and found without parsing when the same body came before."""

from __future__ import annotations

import json
from pathlib import Path

import diskcache

from schemas.digest import Digest, Engine
from schemas.request import DigestRequest
from service.runtime.cache import RecentBodies
from service.runtime.digester import Digester, EngineChoice
from service.runtime.known_requests import KnownRequests
from service.settings import Settings

REQUEST = DigestRequest(text="قتل خمسة أشخاص في قصف على حلب، بحسب المرصد السوري.")


def digester_in(cache_dir: Path) -> Digester:
    return Digester(Settings(_env_file=None, cache_dir=cache_dir))  # type: ignore[call-arg]


async def test_a_hit_is_the_stored_json_of_the_digest_marked_cached(tmp_path: Path) -> None:
    digester = digester_in(tmp_path / "cache")
    miss = await digester.serve(REQUEST, EngineChoice.offline)
    hit = await digester.serve(REQUEST, EngineChoice.offline)
    again = await digester.serve(REQUEST, EngineChoice.offline)
    await digester.close()
    assert (miss.cached, hit.cached) == (False, True)
    assert hit.body == again.body
    made, served = json.loads(miss.body), json.loads(hit.body)
    assert served["provenance"].pop("cached") is True and made["provenance"].pop("cached") is False
    assert served == made
    Digest.model_validate_json(hit.body)


async def test_an_entry_failing_its_checksum_is_a_miss_and_is_made_again(tmp_path: Path) -> None:
    digester = digester_in(tmp_path / "cache")
    miss = await digester.serve(REQUEST, EngineChoice.offline)
    await digester.close()
    key = json.loads(miss.body)["provenance"]["cache_key"]
    store = diskcache.Cache(str(tmp_path / "cache"))
    stored = bytearray(store[key])
    stored[-2] ^= 1  # one bit of the body flipped
    store[key] = bytes(stored)
    store.close()

    digester = digester_in(tmp_path / "cache")
    remade = await digester.serve(REQUEST, EngineChoice.offline)
    hit = await digester.serve(REQUEST, EngineChoice.offline)
    await digester.close()
    assert (remade.cached, hit.cached) == (False, True)
    assert json.loads(hit.body)["figures"] == json.loads(miss.body)["figures"]


async def test_a_remembered_body_is_served_from_the_cache_without_parsing(tmp_path: Path) -> None:
    digester = digester_in(tmp_path / "cache")
    body, query = REQUEST.model_dump_json().encode(), b"engine=offline"
    assert digester.serve_known(body, query) is None
    await digester.serve(REQUEST, EngineChoice.offline)
    digester.remember(body, query, REQUEST, EngineChoice.offline)
    served = await digester.serve(REQUEST, EngineChoice.offline)
    known = digester.serve_known(body, query)
    await digester.close()
    assert known == served
    assert digester.serve_known(body, b"engine=offline&x=1") is None
    assert digester.serve_known(body + b" ", query) is None


async def test_a_remade_digest_replaces_the_one_kept_in_memory(tmp_path: Path) -> None:
    digester = digester_in(tmp_path / "cache")
    await digester.serve(REQUEST, EngineChoice.offline)
    first = await digester.serve(REQUEST, EngineChoice.offline)
    await digester.serve(REQUEST, EngineChoice.offline, refresh=True)
    again = await digester.serve(REQUEST, EngineChoice.offline)
    await digester.close()
    made_at = [json.loads(hit.body)["provenance"]["created_at"] for hit in (first, again)]
    assert made_at[0] < made_at[1]
    reopened = digester_in(tmp_path / "cache")
    assert (await reopened.serve(REQUEST, EngineChoice.offline)).body == again.body
    await reopened.close()


def test_recent_bodies_keep_the_last_used_within_their_byte_limit() -> None:
    recent = RecentBodies(limit=10)
    recent.put("a", b"1234")
    recent.put("b", b"5678")
    assert recent.get("a") == b"1234"  # now the most recently used
    recent.put("c", b"90ab")
    assert (recent.get("a"), recent.get("b"), recent.get("c")) == (b"1234", None, b"90ab")
    recent.put("d", b"x" * 11)  # larger than the whole limit: not kept
    assert recent.get("d") is None and recent.get("a") == b"1234"


def test_known_requests_forget_the_least_recently_used_beyond_their_byte_limit() -> None:
    known = KnownRequests(limit=15)  # two of these seven-byte entries
    known.add(b"body-1", b"q", "k1", Engine.offline)
    known.add(b"body-2", b"q", "k2", Engine.llm)
    assert known.get(b"body-1", b"q") == ("k1", Engine.offline)
    known.add(b"body-3", b"q", "k3", Engine.offline)
    assert known.get(b"body-2", b"q") is None
    assert known.get(b"body-1", b"q") == ("k1", Engine.offline)
    assert known.get(b"body-3", b"q") == ("k3", Engine.offline)

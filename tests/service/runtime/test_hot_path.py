"""The cache-hit path: a hit is the JSON stored when the digest was made, checked by checksum only."""

from __future__ import annotations

import json
from pathlib import Path

import diskcache

from schemas.digest import Digest
from schemas.request import DigestRequest
from service.runtime.digester import Digester, EngineChoice
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

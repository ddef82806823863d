"""The embedded job store: a result and its counts are stored in one atomic step."""

from __future__ import annotations

from pathlib import Path

from service.runtime.jobs import DiskKeyValue


async def test_a_result_is_added_once_with_its_counters(tmp_path: Path) -> None:
    kv = DiskKeyValue(tmp_path / "jobs")
    try:
        assert (
            await kv.add_counted("job:j:result:0", b"line", ["job:j:count:failed", "job:j:count:done"]) == 1
        )
        assert await kv.add_counted("job:j:result:0", b"again", ["job:j:count:done"]) is None
        assert await kv.add_counted("job:j:result:1", b"line", ["job:j:count:done"]) == 2
        assert await kv.get("job:j:result:0") == b"line"
        assert (await kv.count("job:j:count:done"), await kv.count("job:j:count:failed")) == (2, 1)
    finally:
        kv.close()

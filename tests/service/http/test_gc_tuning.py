"""The server's garbage-collector tuning (its effect is measured by bench/load.py, not here)."""

from __future__ import annotations

import gc

from service.http.gc_tuning import tune_garbage_collector


def test_tuning_sets_the_youngest_threshold_and_freezes_start_up_objects():
    before = gc.get_threshold()
    try:
        tune_garbage_collector(50_000)
        assert gc.get_threshold() == (50_000, before[1], before[2])
        assert gc.get_freeze_count() > 0
        tune_garbage_collector(0)
        assert gc.get_threshold()[0] == 50_000, "0 keeps the current threshold"
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)

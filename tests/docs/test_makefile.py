"""`make help` lists every target of the Makefile with its description, in one aligned column."""

from __future__ import annotations

import re
import subprocess

from tests.paths import REPO

MAKEFILE = (REPO / "Makefile").read_text(encoding="utf-8")


def test_make_help_lists_every_target_with_its_description_aligned():
    phony = re.search(r"^\.PHONY:(.*)$", MAKEFILE, flags=re.MULTILINE)
    assert phony is not None
    targets = phony.group(1).split()
    shown = subprocess.run(
        ["make", "-s", "help"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    rows = [re.match(r"  make (\S+)( +)(\S.*)$", line) for line in shown.splitlines()]
    assert all(rows), shown
    listed = [row.group(1) for row in rows if row]
    assert sorted(listed) == sorted(targets), "every .PHONY target once, and no other"
    description_columns = {row.start(3) for row in rows if row}
    assert len(description_columns) == 1, f"the descriptions start in one column:\n{shown}"

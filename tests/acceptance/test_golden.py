"""Both bundled samples compile to the master and JSON recorded in `tests/fixtures/golden`:
cell for cell (values, formats, conditional rules, merges, print settings), status for
status. A change that means to alter the master regenerates them with
`python -m tests.golden` and shows the difference in its commit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.golden import GOLDEN, ROOT, SAMPLES, compile_sample, normalise


def _differences(expected: Any, actual: Any, where: str = "") -> list[str]:
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = []
        for key in sorted(set(expected) | set(actual), key=str):
            if key not in actual:
                found.append(f"{where}/{key}: missing")
            elif key not in expected:
                found.append(f"{where}/{key}: unexpected {actual[key]!r:.80}")
            else:
                found += _differences(expected[key], actual[key], f"{where}/{key}")
        return found
    if expected != actual:
        return [f"{where}: {expected!r:.80} became {actual!r:.80}"]
    return []


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_compiles_as_recorded(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    status, workbook, payload = compile_sample(name, tmp_path)
    expected = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    actual = normalise({"exit_status": status, "workbook": workbook, "json": payload})
    differences = _differences(expected, actual)
    assert not differences, "\n".join(differences[:40])

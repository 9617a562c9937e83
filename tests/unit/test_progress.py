"""The reading progress bar: on a terminal, for more than a few returns, never quiet."""

from __future__ import annotations

import io
import sys

import pytest

from scorecard.cli import ReadingProgress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(monkeypatch: pytest.MonkeyPatch, stderr: io.StringIO, total: int, **kw) -> str:
    monkeypatch.setattr(sys, "stderr", stderr)
    with ReadingProgress(**kw) as progress:
        for done in range(1, total + 1):
            progress(done, total)
    return stderr.getvalue()


def test_shown_on_a_terminal_when_there_are_many_returns(monkeypatch):
    out = run(monkeypatch, Terminal(), 40)
    assert "Reading returns" in out and "40/40" in out


def test_silent_for_a_few_returns(monkeypatch):
    assert run(monkeypatch, Terminal(), ReadingProgress.MIN_FILES - 1) == ""


def test_silent_when_stderr_is_not_a_terminal(monkeypatch):
    assert run(monkeypatch, io.StringIO(), 40) == ""


def test_silent_with_quiet(monkeypatch):
    assert run(monkeypatch, Terminal(), 40, enabled=False) == ""

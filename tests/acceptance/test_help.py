"""Every command explains itself: as sqlite-utils' tests insist, no command or option
without its help text, and every command (found by walking the click group, so a new
one cannot be forgotten) has its line in the README."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from scorecard.cli import main

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def walk(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, click.Command]]:
    """Each command of the group and of its sub-groups, by its full name."""
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        yield " ".join(path), command
        if isinstance(command, click.Group):
            yield from walk(command, path)


COMMANDS = dict(walk(main))


def test_the_walk_finds_the_commands() -> None:
    assert {"compile", "pack", "validate", "history", "packs", "lock"} <= set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_and_option_is_explained(name: str) -> None:
    command = COMMANDS[name]
    assert command.help, f"scorecard {name} has no help text"
    unexplained = [p.name for p in command.params if isinstance(p, click.Option) and not p.help]
    assert not unexplained, f"scorecard {name}: options without help: {unexplained}"
    assert f"`scorecard {name} " in README or f"`scorecard {name}`" in README, (
        f"scorecard {name} has no line in README.md"
    )

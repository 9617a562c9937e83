"""Every problem code scorecard raises is registered once, in `scorecard.codes`: the
return reader's, the catalogue's and the ledger's. Found in the source as a code-like
string given as the first argument of a call that makes a problem (`Problem`,
`make_problem`, a record's or a checker's `add`, a cell judge's `reject` or `note`), or
set as a `code`/`CODE`."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from scorecard.codes import PROBLEM_CODES, level_of
from scorecard.errors import Level

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "scorecard"
# A code as the source spells it: words joined by hyphens ("not-a-number"). The few
# one-word codes ("encrypted", "revised") are registered too, but a one-word string is
# too common to take for a code in the source.
CODE = re.compile(r"^[a-z]+(-[a-z0-9]+)+$")
REGISTERED = re.compile(r"^[a-z]+(-[a-z0-9]+)*$")
MAKERS = {"Problem", "make_problem", "add", "reject", "reject_row", "note"}


def raised_codes() -> dict[str, str]:
    """code -> the first place it is raised, over every module of the package."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            value: ast.expr | None = None
            if isinstance(node, ast.Call) and node.args:
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name in MAKERS:
                    value = node.args[0]
            elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if getattr(target, "id", "") in ("code", "CODE"):
                    value = node.value
            constant = value.value if isinstance(value, ast.Constant) else None
            if isinstance(constant, str) and CODE.match(constant):
                found.setdefault(constant, f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return found


def test_every_code_raised_is_registered() -> None:
    raised = raised_codes()
    # the search finds the reader's, the catalogue's and the ledger's codes
    for code in ("not-a-number", "catalogue-yaml", "status-contrast", "ledger-damaged"):
        assert code in raised, code
    missing = {code: where for code, where in raised.items() if code not in PROBLEM_CODES}
    assert missing == {}


def test_every_registered_code_has_a_level_and_words() -> None:
    for code, (level, meaning) in PROBLEM_CODES.items():
        assert REGISTERED.match(code), code
        assert isinstance(level, Level) and level_of(code) is level
        assert meaning and meaning == meaning.strip(), code
    assert level_of("catalogue-yaml") is Level.ERROR
    assert level_of("status-contrast") is Level.WARNING

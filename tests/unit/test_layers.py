"""The package's layers, written once as data, and every import of `src/` held to them.

Data flows one way: catalogue -> returns -> derive -> assess -> result -> writers. A
module may import the layers below its own, and its own package, never a layer above
nor a neighbour in its own layer. A new module fails here until it is given a layer.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "scorecard"

# Bottom to top. Each entry is a module or package directly under src/scorecard.
LAYERS: tuple[tuple[str, ...], ...] = (
    # the ground floor, shared by all: imports nothing of scorecard's above it
    ("__init__", "errors"),
    (
        "periods",
        "form",
        "output",
        "display",
        "gcpause",
        "csvsafe",
        "destinations",
        "textfit",
        "scratch",
        "colour",
        "codes",  # every problem code, registered once
    ),
    ("model", "yamlsafe"),
    ("rules",),
    ("catalogue",),
    ("spc",),  # XmR charts beside the RAG status: the series, the rules, the icons (pure)
    ("result",),  # the run's result: what the writers read
    ("board",),  # the board summary: the result's RED/AMBER rows, moves and SPC marks (pure)
    ("ledger",),  # the record of every return and pack: plain records, no pipeline
    ("xlsx", "workers", "cache"),
    ("returns", "templates"),  # the reader of the form, and its writer: neither imports the other
    ("derive",),
    ("assess",),
    ("compile",),  # the pipeline
    ("revisions",),  # the pipeline with the ledger: what it records, a past pack rebuilt
    ("workbook", "jsonout"),  # the writers of the result
    ("pack", "site"),  # the board pack (the workbook, printed) and the board view on the web
    ("starter",),  # a team's own working folder: a catalogue to edit, and its templates
    ("api",),  # the library's entry point: compile a month, deliver it, record it
    ("cli",),
)

# Writers import the run's result, never the stages that made it.
PIPELINE = frozenset(
    {"returns", "derive", "assess", "compile", "revisions", "xlsx", "workers", "cache"}
)
WRITERS = frozenset({"workbook", "jsonout", "pack", "site"})
# Pure stages: plain data in, plain data out.
PURE = frozenset(
    {
        "periods",
        "display",
        "textfit",
        "model",
        "rules",
        "derive",
        "assess",
        "spc",
        "board",
        "colour",
        "codes",  # every problem code, registered once
    }
)
IO_LIBRARIES = frozenset(
    {
        "click",
        "xlsxwriter",
        "openpyxl",
        "python_calamine",
        "pandas",
        "sqlite3",
        "subprocess",
        "zipfile",
        "io",
        "os",
        "pathlib",
        "shutil",
        "tempfile",
        "multiprocessing",
        "socket",
    }
)
ONLY_IN_CLI = frozenset({"click"})

LEVEL = {name: level for level, names in enumerate(LAYERS) for name in names}


def _unit(path: Path) -> str:
    """The layer entry a source file belongs to: its top module or package."""
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _imports(path: Path) -> list[tuple[int, str, bool]]:
    """(line, what, internal) for every import in the file, nested ones included.

    `what` is the scorecard unit for an import of the package, else the top-level name
    of the outside module.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    depth = len(path.relative_to(PACKAGE).parts) - 1  # folders below src/scorecard
    found: list[tuple[int, str, bool]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "scorecard" and len(parts) > 1:
                    found.append((node.lineno, parts[1], True))
                else:
                    found.append((node.lineno, parts[0], parts[0] == "scorecard"))
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 0:
                parts = module.split(".")
                if parts[0] != "scorecard":
                    found.append((node.lineno, parts[0], False))
                    continue
                rest = parts[1:]
            elif node.level - 1 < depth:
                continue  # within its own package
            else:
                rest = [p for p in module.split(".") if p]
            if rest:
                found.append((node.lineno, rest[0], True))
            else:  # from . import rules, __version__
                for alias in node.names:
                    is_module = (PACKAGE / alias.name).is_dir() or (
                        PACKAGE / f"{alias.name}.py"
                    ).is_file()
                    found.append((node.lineno, alias.name if is_module else "__init__", True))
    return found


SOURCES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer() -> None:
    units = {_unit(path) for path in SOURCES}
    missing = sorted(units - set(LEVEL))
    assert not missing, f"give these a layer in LAYERS: {missing}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_follow_the_flow(path: Path) -> None:
    unit = _unit(path)
    level = LEVEL.get(unit)
    if level is None:
        pytest.fail(f"{unit} has no layer in LAYERS")
    wrong = []
    for line, name, internal in _imports(path):
        where = f"{path.relative_to(PACKAGE)}:{line}"
        if internal:
            if name == unit:
                continue
            other = LEVEL.get(name)
            if other is None:
                wrong.append(f"{where}: imports {name}, which has no layer")
            elif other >= level:
                wrong.append(f"{where}: {unit} (layer {level}) imports {name} (layer {other})")
            if unit in WRITERS and name in PIPELINE:
                wrong.append(f"{where}: the writer {unit} imports the pipeline's {name}")
        else:
            if name in ONLY_IN_CLI and unit != "cli":
                wrong.append(f"{where}: only the CLI imports {name}")
            if unit in PURE and name in IO_LIBRARIES:
                wrong.append(f"{where}: the pure {unit} imports {name}")
    assert not wrong, "\n".join(wrong)


def test_the_rule_catches_a_reverse_edge(tmp_path: Path) -> None:
    """The check itself: an import against the flow is found."""
    folder = tmp_path / "scorecard"
    folder.mkdir()
    (folder / "derive.py").write_text("from .compile import compile_report\nimport click\n")
    global PACKAGE
    saved, PACKAGE = PACKAGE, folder
    try:
        assert _imports(folder / "derive.py") == [(1, "compile", True), (2, "click", False)]
        with pytest.raises(AssertionError) as failure:
            test_imports_follow_the_flow(folder / "derive.py")
        message = str(failure.value)
        assert f"derive (layer {LEVEL['derive']}) imports compile" in message
        assert "only the CLI imports click" in message
        assert "the pure derive imports click" in message
    finally:
        PACKAGE = saved

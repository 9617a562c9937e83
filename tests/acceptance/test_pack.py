"""`scorecard pack`: the board pack as PDF through LibreOffice, read back as a board member
reads it: the text of each page (`pdftotext -bbox`) and its pixels (`pdftoppm`).

Skipped, saying why, where LibreOffice or poppler is missing; CI installs both and sets
SCORECARD_REQUIRE_RENDER=1, which makes a missing tool a failure.
"""

from __future__ import annotations

import itertools
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tests.acceptance.test_render import (
    DPI,
    Word,
    _need_tools,
    phrases,
    read_png,
    rgb,
    share_near,
    words,
)

from scorecard.cli import main

ROOT = Path(__file__).resolve().parents[2]
MAX_TABLE_PAGES = 8  # the July 2008 report's 56 rows take 8 table pages
CHARTS = "Statistical process control"  # the heading of each page of charts
SIZE_ROUNDING = 0.05  # LibreOffice writes 8 pt as 7.99
FOOTER_TOP = 48.0  # points from the page's foot: the footer is below
PRINTABLE_BOTTOM = 595.3 - 0.6 * 72  # the bottom margin's edge, from the top
OBJECTIVES = (
    "Make our services more accessible",
    "Make our neighbourhoods safer",
    "Enhance our counter terrorism",
    "Plan for, and effectively",
    "Reduce serious violence",
    "Disrupt criminal networks",
)


Pack = tuple[Path, list[Word], dict[int, object]]


def pack(
    tmp_path: Path,
    *extra: str,
    config: str = "config/indicators.yaml",
    returns: str = "samples/returns",
) -> Pack:
    _need_tools()
    out = tmp_path / "pack.pdf"
    args = ["pack", "--config", str(ROOT / config), "--returns", str(ROOT / returns)]
    result = CliRunner().invoke(main, [*args, "--out", str(out), "--no-cache", *extra])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(DPI), str(out), str(tmp_path / "page")],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pages = sorted(tmp_path.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    found, _width = words(out)
    return out, found, {n: read_png(p) for n, p in enumerate(pages, 1)}


def char_sizes(pdf: Path) -> dict[int, list[tuple[float, float]]]:
    """Each page's printed characters as (size in points, height above the page's foot)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar

    def chars(element: Any) -> Any:
        if isinstance(element, LTChar):
            yield element
        elif hasattr(element, "__iter__"):
            for child in element:
                yield from chars(child)

    return {
        number: [(c.size, c.y0) for c in chars(page) if c.get_text().strip()]
        for number, page in enumerate(extract_pages(str(pdf)), 1)
    }


def pdf_catalog(pdf: Path) -> dict[str, Any]:
    """The PDF's document catalogue, its references resolved one level down."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    with pdf.open("rb") as file:
        document = PDFDocument(PDFParser(file))
        catalog = {key: resolve1(value) for key, value in document.catalog.items()}
        root = catalog.get("StructTreeRoot") or {}
        catalog["StructTreeRoot"] = {key: resolve1(value) for key, value in root.items()}
    return catalog


@pytest.fixture(scope="module")
def july(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Word], dict[int, object]]:
    return pack(tmp_path_factory.mktemp("pack"))


def page_words(found: list[Word], page: int) -> list[Word]:
    return [w for w in found if w.page == page]


def chart_pages(found: list[Word]) -> set[int]:
    """The pages of XmR charts after the objectives (issue 15), each under its heading."""
    return {p.page for p in phrases(found, CHARTS)}


def board_pages(found: list[Word]) -> set[int]:
    """The board summary's pages, before the tables: "Board summary" under their title."""
    return {
        a.page
        for a, b in itertools.pairwise(found)
        if a.text == "Board" and b.text.startswith("summary") and a.page == b.page
    }


def table_pages(found: list[Word], images: dict[int, object]) -> list[int]:
    return sorted(set(images) - chart_pages(found) - board_pages(found))


def test_the_board_summary_then_the_tables_then_the_charts(july) -> None:
    _pdf, found, images = july
    board, tables, charts = board_pages(found), table_pages(found, images), chart_pages(found)
    print(f"July 2008 pack: {len(board)} board, {len(tables)} table, {len(charts)} chart pages")
    assert board == {1} or board == {1, 2}
    assert tables and min(tables) == max(board) + 1 and len(tables) <= MAX_TABLE_PAGES
    assert tables == list(range(min(tables), max(tables) + 1))
    assert charts and min(charts) == max(tables) + 1
    assert sorted(charts) == list(range(min(charts), max(images) + 1))  # the last pages
    # The objectives in report order, each heading on the tables' pages.
    firsts = [min(p.page for p in phrases(found, o) if p.page in tables) for o in OBJECTIVES]
    assert firsts == sorted(firsts)
    # Data and Issues only when asked.
    assert not phrases(found, "Sources") and not phrases(found, "Problems found")


def test_objectives_share_pages_and_a_continued_one_says_so(july) -> None:
    _pdf, found, images = july
    tables = table_pages(found, images)
    starts = {o: [p for p in phrases(found, o) if p.page in tables] for o in OBJECTIVES}
    per_page = {
        page: {o for o, at in starts.items() if any(p.page == page for p in at)} for page in tables
    }
    assert any(len(names) > 1 for names in per_page.values()), per_page
    assert [w for w in found if w.text == "(continued)" and w.page in tables]
    for page in tables:
        [heading] = [p for p in phrases(found, "Indicator ID") if p.page == page]
        # The first line under the column headings is an objective's heading: a new one,
        # or the one running on, marked "(continued)".
        top = min(w.y0 for w in page_words(found, page) if w.y0 > heading.y1 + 2)
        assert any(abs(p.y0 - top) < 2 for at in starts.values() for p in at if p.page == page), (
            page
        )


def test_every_table_page_has_the_legend_and_footnotes_on_top_and_a_row(july) -> None:
    _pdf, found, images = july
    for page in sorted(set(images) - chart_pages(found)):
        legend = [p for p in phrases(found, "Well below target") if p.page == page]
        assert legend, f"no legend on page {page}"
    for page in table_pages(found, images):
        on_page = page_words(found, page)
        legend = [p for p in phrases(found, "Well below target") if p.page == page]
        notes = [p for p in phrases(found, "Population based data reflects") if p.page == page]
        [heading] = [p for p in phrases(found, "Indicator ID") if p.page == page]
        assert legend[0].y0 < heading.y0 and notes and notes[0].y0 < heading.y0
        ids = [w for w in on_page if w.y0 > heading.y1 and w.x0 < heading.x1 and w.text in
               ("PP", "CPA", "SPI", "CPA &")]  # fmt: skip
        assert ids, f"page {page} holds no indicator row"


def test_blue_is_a_green_light_on_blue_and_neutral_rows_are_blank(july) -> None:
    _pdf, found, images = july
    blue, green = rgb("#0070C0"), rgb("#66FF66")
    tables = table_pages(found, images)
    lights = [w for w in found if w.text == "●" and w.page in tables]
    assert len(lights) >= 5  # five BLUE rows
    for light in lights:
        image = images[light.page]
        assert share_near(image, light, blue, pad=4) > 0.2, light
        assert share_near(image, light, green, pad=0) > 0.05, light
    assert not [w for w in found if w.text == "BLUE" and w.page in tables]
    for page in tables:
        [heading] = [p for p in phrases(found, "Indicator ID") if p.page == page]
        status = min(
            (w for w in page_words(found, page) if w.text == "Assessment"),
            key=lambda w: abs(w.y0 - heading.y0),
        )
        inside = [
            w.text for w in page_words(found, page)
            if w.y0 > status.y1 + 2 and status.x0 - 5 <= (w.x0 + w.x1) / 2 <= status.x1 + 5
        ]  # fmt: skip
        assert not {"No", "target", "Baseline", "available"} & set(inside), (page, inside)


def test_the_table_pages_print_at_a_readable_size_and_are_filled(july) -> None:
    pdf, found, images = july
    tables = table_pages(found, images)
    sizes = char_sizes(pdf)
    for page in tables:
        body = [size for size, y in sizes[page] if y > FOOTER_TOP]
        body.sort()
        median = body[len(body) // 2]
        print(f"page {page}: median {median:.1f} pt, smallest {body[0]:.1f} pt")
        assert median >= 8.0 - SIZE_ROUNDING, page
        assert body[0] >= 7.0 - SIZE_ROUNDING, page
    for page in tables[:-1]:
        [heading] = [p for p in phrases(found, "Indicator ID") if p.page == page]
        lowest = max(w.y1 for w in page_words(found, page) if w.y1 < PRINTABLE_BOTTOM)
        fill = (lowest - heading.y1) / (PRINTABLE_BOTTOM - heading.y1)
        print(f"page {page}: {fill:.0%} full")
        assert fill >= 0.5, (page, fill)


def test_page_one_names_every_red_row_and_no_hash_or_path_comes_before_the_tables(july) -> None:
    _pdf, found, images = july
    from scorecard.catalogue import load_catalogue
    from scorecard.compile import compile_report

    run = compile_report(load_catalogue(ROOT / "config/indicators.yaml"), ROOT / "samples/returns")
    red = [r for r in run.results if r.status.value == "RED"]
    assert red
    first = " ".join(w.text for w in page_words(found, 1))
    for result in red:
        opening = " ".join(result.indicator.title.split()[:5])
        assert opening in first, opening
    before = " ".join(w.text for w in found if w.page < min(table_pages(found, images)))
    assert not re.search(r"\b[0-9a-f]{16,}\b", before), "a hash before the tables"
    assert "SHA-256" not in before and ".xlsx" not in before and "returns/" not in before
    assert "signed off" not in before.lower()


def test_the_pdf_is_tagged_with_a_title_and_a_language(july) -> None:
    pdf, _found, _images = july
    info = subprocess.run(
        ["pdfinfo", str(pdf)], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    assert "Tagged:          yes" in info
    assert "Title:           Metropolitan Police Service: Performance Assessment, July 2008" in info
    catalog = pdf_catalog(pdf)
    assert catalog["Lang"] == b"en-GB"
    assert catalog["MarkInfo"]["Marked"] is True
    assert catalog["ViewerPreferences"]["DisplayDocTitle"] is True  # the title, not the file
    assert catalog["StructTreeRoot"]["K"], "no structure elements"


def test_the_text_is_set_in_calibri_or_its_metric_twin(july) -> None:
    pdf, _found, _images = july
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    names = [line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]]
    assert any(n.startswith(("Carlito", "Calibri")) for n in names), names
    # Nothing printed in a substitute that is wider than what the layout measured.
    assert not [n for n in names if n.startswith(("LiberationSerif", "Cantarell", "OpenSans"))]


def test_data_and_issues_when_asked(tmp_path: Path) -> None:
    _pdf, found, _images = pack(tmp_path, "--with-data", "--with-issues")
    assert phrases(found, "Sources"), "no Data sheet in the pack"
    assert phrases(found, "No problems found"), "no Issues sheet in the pack"


def test_the_council_pack_shows_its_own_statuses(tmp_path: Path) -> None:
    _pdf, found, images = pack(
        tmp_path, config="samples/council/indicators.yaml", returns="samples/council/returns"
    )
    assert not [w for w in found if w.text.upper() == "BLUE"]
    objective_pages = {w.page for w in found if w.text == "Trend"}
    assert objective_pages and min(objective_pages) > 1  # after the board summary
    # Every page, the board summary's too, starts with the legend.
    for page in sorted(images):
        assert [p for p in phrases(found, "On or within 10%") if p.page == page], page
    assert phrases(found, "On track") and phrases(found, "Off track")


def test_without_libreoffice_nothing_is_written(tmp_path: Path, monkeypatch) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    out = tmp_path / "pack.pdf"
    args = ["pack", "--config", str(ROOT / "config" / "indicators.yaml")]
    args += ["--returns", str(ROOT / "samples" / "returns"), "--out", str(out), "--no-cache"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "LibreOffice" in lines[0] and "apt-get install" in lines[0]
    assert not out.exists() and not list(tmp_path.glob(".pack.pdf*"))


COPY_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1"
 script:language="StarBasic">
Sub CopySheet(src As String, sheetName As String, outPath As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  oSrc = StarDesktop.loadComponentFromURL(ConvertToURL(src), &quot;_blank&quot;, 0, args())
  calc = &quot;private:factory/scalc&quot;
  oNew = StarDesktop.loadComponentFromURL(calc, &quot;_blank&quot;, 0, args())
  oNew.Sheets.importSheet(oSrc, sheetName, 0)
  Do While oNew.Sheets.Count &gt; 1
    oNew.Sheets.removeByName(oNew.Sheets.getByIndex(1).Name)
  Loop
  Dim pdf(0) As New com.sun.star.beans.PropertyValue
  pdf(0).Name = &quot;FilterName&quot;
  pdf(0).Value = &quot;calc_pdf_Export&quot;
  oNew.storeToURL(ConvertToURL(outPath), pdf())
  oNew.close(True)
  oSrc.close(True)
End Sub
</script:module>
"""


@pytest.mark.xfail(
    strict=True,
    reason="LibreOffice 7 gives a sheet copied into another document (importSheet, as "
    "'Move or Copy Sheet' does) that document's default page style: the sheet's own "
    "landscape, fit-to-width setup is in the file but not carried across",
)
def test_an_objective_sheet_copied_alone_prints_the_same(tmp_path: Path) -> None:
    """The sheet copied alone into a new workbook by LibreOffice, rendered: landscape, and
    the pages the sheet takes in the pack (two), not eight portrait ones."""
    import subprocess

    _need_tools()
    from scorecard.catalogue import load_catalogue
    from scorecard.compile import compile_report
    from scorecard.workbook import write_workbook

    run = compile_report(load_catalogue(ROOT / "config/indicators.yaml"), ROOT / "samples/returns")
    master = write_workbook(run, tmp_path / "master.xlsx")
    profile = tmp_path / "profile"
    office = ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless"]
    subprocess.run(  # a first start makes the profile and its Standard Basic library
        [*office, "--convert-to", "csv", "--outdir", str(tmp_path / "init"), str(master)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    (profile / "user/basic/Standard/Module1.xba").write_text(COPY_MACRO, encoding="utf-8")
    copied = tmp_path / "copied.pdf"
    call = f'macro:///Standard.Module1.CopySheet("{master}","2 Safer neighbourhoods","{copied}")'
    subprocess.run([*office, call], check=True, capture_output=True, timeout=300)
    info = subprocess.run(
        ["pdfinfo", str(copied)], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))
    width, height = (float(v) for v in info.split("Page size:")[1].split("pts")[0].split(" x "))
    assert width > height, "the copied sheet prints portrait"
    assert pages <= 3, f"the copied sheet takes {pages} pages"

"""`scorecard pack`: the board pack as PDF through LibreOffice, read back as a board member
reads it: the text of each page (`pdftotext -bbox`) and its pixels (`pdftoppm`).

Skipped, saying why, where LibreOffice or poppler is missing; CI installs both and sets
SCORECARD_REQUIRE_RENDER=1, which makes a missing tool a failure.
"""

from __future__ import annotations

from pathlib import Path

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
MAX_PAGES = 12  # the July 2008 pack: Summary and six objectives (8 pages when written)
CHARTS = "Statistical process control"  # the heading of each page of charts
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
    import subprocess

    subprocess.run(
        ["pdftoppm", "-png", "-r", str(DPI), str(out), str(tmp_path / "page")],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pages = sorted(tmp_path.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    found, _width = words(out)
    return out, found, {n: read_png(p) for n, p in enumerate(pages, 1)}


@pytest.fixture(scope="module")
def july(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Word], dict[int, object]]:
    return pack(tmp_path_factory.mktemp("pack"))


def page_words(found: list[Word], page: int) -> list[Word]:
    return [w for w in found if w.page == page]


def chart_pages(found: list[Word]) -> set[int]:
    """The pages of XmR charts after the objectives (issue 15), each under its heading."""
    return {p.page for p in phrases(found, CHARTS)}


def test_the_pack_is_the_summary_then_each_objective_from_a_new_page(july) -> None:
    _pdf, found, images = july
    charts = chart_pages(found)
    assert charts and min(charts) > 1 + len(OBJECTIVES)
    assert sorted(charts) == list(range(min(charts), max(images) + 1))  # the last pages
    pages = sorted(set(images) - charts)
    print(f"July 2008 pack: {len(pages)} pages and {len(charts)} of charts")
    assert len(OBJECTIVES) + 1 <= len(pages) <= MAX_PAGES
    assert phrases(found, "Assessments by objective")[0].page == 1
    # Every page after the Summary carries exactly one objective's name near its top, and
    # the objectives come in report order, each from a page of its own.
    order = []
    for page in pages[1:]:
        tops = [
            o for o in OBJECTIVES
            if any(p.page == page and p.y0 < 80 for p in phrases(found, o))
        ]  # fmt: skip
        assert len(tops) == 1, (page, tops)
        order.append(tops[0])
    assert list(dict.fromkeys(order)) == list(OBJECTIVES)
    # Data and Issues only when asked.
    assert not phrases(found, "Sources") and not phrases(found, "Problems found")


def test_every_page_has_the_legend_and_footnotes_on_top_and_a_row(july) -> None:
    _pdf, found, images = july
    for page in sorted(set(images) - chart_pages(found)):
        on_page = page_words(found, page)
        legend = [p for p in phrases(found, "Well below target") if p.page == page]
        assert legend, f"no legend on page {page}"
        if page == 1:
            continue
        notes = [p for p in phrases(found, "Population based data reflects") if p.page == page]
        [heading] = [p for p in phrases(found, "Indicator ID") if p.page == page]
        assert legend[0].y0 < heading.y0 and notes and notes[0].y0 < heading.y0
        ids = [w for w in on_page if w.y0 > heading.y1 and w.x0 < heading.x1 and w.text in
               ("PP", "CPA", "SPI", "CPA &")]  # fmt: skip
        assert ids, f"page {page} holds no indicator row"


def test_blue_is_a_green_light_on_blue_and_neutral_rows_are_blank(july) -> None:
    _pdf, found, images = july
    blue, green = rgb("#0070C0"), rgb("#00E050")
    lights = [w for w in found if w.text == "●" and w.page > 1]
    assert len(lights) >= 5  # five BLUE rows, and the legend's light on each page
    for light in lights:
        image = images[light.page]
        assert share_near(image, light, blue, pad=4) > 0.2, light
        assert share_near(image, light, green, pad=0) > 0.05, light
    assert not [w for w in found if w.text == "BLUE" and w.page > 1]
    for page in sorted(set(images) - chart_pages(found))[1:]:
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


def test_data_and_issues_when_asked(tmp_path: Path) -> None:
    _pdf, found, _images = pack(tmp_path, "--with-data", "--with-issues")
    assert phrases(found, "Sources"), "no Data sheet in the pack"
    assert [w for w in found if w.text == "Issues"], "no Issues sheet in the pack"


def test_the_council_pack_shows_its_own_statuses(tmp_path: Path) -> None:
    _pdf, found, images = pack(
        tmp_path, config="samples/council/indicators.yaml", returns="samples/council/returns"
    )
    assert not [w for w in found if w.text.upper() == "BLUE"]
    objective_pages = {w.page for w in found if w.text == "Trend"}
    assert len(objective_pages) >= 4
    # Every page, the Summary's own page of inputs too, starts with the legend.
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

"""`scorecard site` on the bundled sample, opened in Debian's headless Chromium.

Playwright drives `/usr/bin/chromium` (no browser download); axe-core (the copy that
axe-playwright-python bundles) checks the index, an objective page and an indicator
page against the WCAG 2.2 A and AA rules. Every request the browser makes is recorded:
none may leave `file://`. A return's commentary holding a script, an `<img onerror>`, a
`javascript:` link and a right-to-left override shows as text and runs nothing.

Skipped, with the reason, where Chromium or playwright is missing; CI sets
SCORECARD_REQUIRE_RENDER=1 to make that a failure instead. Screenshots of the pages are
kept in the test's temporary folder (`pytest --basetemp DIR` to keep them somewhere).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scorecard.catalogue import load_catalogue
from scorecard.cli import main
from scorecard.compile import compile_report
from scorecard.model import Commentary, Source, Status
from scorecard.result import RunResult
from scorecard.site import write_site

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("SCORECARD_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGE_LIMIT = 300 * 1024
HOSTILE = (
    "<script>alert(1)</script> Then <img src=x onerror=alert(2)> and "
    '<a href="javascript:alert(3)">a link</a>; reversed: \u202eabc'
)
SOURCE_CELL = re.compile(r"\b[A-Za-z][\w ]*![A-Z]{1,3}\d+\b")  # Return!AH8


def _need_browser() -> Any:
    """playwright's sync API, or a skip (a failure in CI) saying what is missing."""
    reason = ""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "the site's browser tests need playwright (pip install -e '.[test]')"
    else:
        if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
            reason = (
                f"the site's browser tests need Chromium at {CHROMIUM} "
                "(Debian: apt-get install chromium)"
            )
    if reason:
        if os.environ.get("SCORECARD_REQUIRE_RENDER"):
            pytest.fail(reason + "; SCORECARD_REQUIRE_RENDER is set")
        pytest.skip(reason)
    return sync_playwright


@pytest.fixture(scope="module")
def sample() -> RunResult:
    return compile_report(load_catalogue(ROOT / "config/indicators.yaml"), ROOT / "samples/returns")


def first_red(run: RunResult) -> str:
    return next(r.indicator.key for r in run.results if r.status is Status.RED)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's site, written by the command."""
    out = tmp_path_factory.mktemp("site") / "july"
    result = CliRunner().invoke(main, [*sample_options(), "--out", str(out)])
    assert result.exit_code in (0, 1), result.output
    return out


def sample_options() -> list[str]:
    return [
        "site",
        "--config",
        str(ROOT / "config/indicators.yaml"),
        "--returns",
        str(ROOT / "samples/returns"),
        "--no-cache",
        "--no-ledger",
        "--quiet",
    ]


@pytest.fixture(scope="module")
def hostile(sample: RunResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site whose first RED row's commentary is hostile text."""
    key = first_red(sample)
    results = []
    for result in sample.results:
        if result.indicator.key == key:
            words = Commentary(
                HOSTILE, sample.month, result.indicator.owner, Source("x.xlsx", "Commentary", "G9")
            )
            result = replace(result, commentary=words)
        results.append(result)
    return write_site(replace(sample, results=results), tmp_path_factory.mktemp("hostile") / "s")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_playwright = _need_browser()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


class Visit:
    """A page opened in a fresh browser context, with what it asked for and did."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.context = browser.new_context(viewport={"width": 1100, "height": 900})
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page = self.context.new_page()
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(path.as_uri())

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def axe_violations(self) -> list[str]:
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(self.page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        return [
            f"{v['id']}: {v['help']} ({len(v['nodes'])}: {v['nodes'][0]['target']})"
            for v in results.response["violations"]
        ]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Any) -> Iterator[Any]:
    opened: list[Visit] = []

    def open_page(path: Path) -> Visit:
        opened.append(Visit(browser, path))
        return opened[-1]

    yield open_page
    for item in opened:
        item.close()


def test_the_command_writes_the_folder(site: Path, sample: RunResult) -> None:
    assert (site / "index.html").is_file() and (site / "scorecard.csv").is_file()
    for objective in sample.catalogue.objectives:
        assert (site / "objectives" / f"{objective.key}.html").is_file()
    for result in sample.results:
        assert (site / "indicators" / f"{result.indicator.key}.html").is_file()


def test_no_page_is_over_300_kb(site: Path) -> None:
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*.*")}
    assert max(sizes.values()) <= PAGE_LIMIT, max(sizes.items(), key=lambda item: item[1])


def test_the_same_inputs_give_the_same_files(site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    result = CliRunner().invoke(main, [*sample_options(), "--out", str(again)])
    assert result.exit_code in (0, 1), result.output
    names = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(again).as_posix() for p in again.rglob("*") if p.is_file())
    for name in names:
        assert (site / name).read_bytes() == (again / name).read_bytes(), name


def test_a_folder_of_the_user_s_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep")
    result = CliRunner().invoke(main, [*sample_options(), "--out", str(mine)])
    assert result.exit_code == 2
    assert "not a site scorecard wrote" in result.output
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["mine"]  # no temporary left behind


@pytest.mark.parametrize(
    "page", ["index.html", "objectives/violence-young-people.html", "indicators/"]
)
def test_axe_finds_no_wcag_2_2_violation(
    visit: Any, site: Path, sample: RunResult, page: str
) -> None:
    if page == "indicators/":  # a RED row: commentary, SPC chart and limits, sources
        page += f"{first_red_charted(sample)}.html"
    opened = visit(site / page)
    opened.page.screenshot(
        path=str(site.parent / (page.replace("/", "-") + ".png")), full_page=True
    )
    assert opened.axe_violations() == []


def first_red_charted(run: RunResult) -> str:
    return next(
        r.indicator.key
        for r in run.results
        if r.status is Status.RED and r.spc is not None and r.spc.points and r.commentary
    )


def test_the_index_names_every_red_row(visit: Any, site: Path, sample: RunResult) -> None:
    text = visit(site / "index.html").page.inner_text("main")
    red = [r for r in sample.results if r.status is Status.RED]
    assert red
    flat = " ".join(text.split())
    for result in red:
        assert f"{result.indicator.label} {' '.join(result.indicator.title.split())}" in flat


def test_one_click_from_the_index_reaches_a_figure_s_source_cell(
    visit: Any, site: Path, sample: RunResult
) -> None:
    """Each RED and AMBER row's link on the index opens its page, which names the cell of
    every figure behind the value (a row with no figure has none to name)."""
    sources = {r.indicator.key: r.reading.sources for r in sample.results}
    opened = visit(site / "index.html")
    links = opened.page.locator("#attention-caption ~ tbody a")
    named = 0
    for number in range(links.count()):
        opened.page.goto((site / "index.html").as_uri())
        links.nth(number).click()
        opened.page.wait_for_load_state()
        key = opened.page.url.rsplit("/", 1)[-1].removesuffix(".html")
        text = opened.page.inner_text("section[aria-labelledby=sources]")
        for source in sources[key]:
            assert f"{source.sheet}!{source.cell}" in text and source.file in text, key
            named += 1
    assert named and SOURCE_CELL.search(text)


def test_no_request_leaves_file_urls(visit: Any, site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    for path in [*pages[:: max(1, len(pages) // 12)], site / "index.html"]:
        opened = visit(path)
        assert opened.requests, path
        assert all(url.startswith("file://") for url in opened.requests), opened.requests
        assert not opened.errors


def test_hostile_commentary_shows_as_text_and_runs_nothing(
    visit: Any, hostile: Path, sample: RunResult
) -> None:
    opened = visit(hostile / "indicators" / f"{first_red(sample)}.html")
    words = opened.page.inner_text("blockquote.commentary")
    assert "<script>alert(1)</script>" in words
    assert "<img src=x onerror=alert(2)>" in words
    assert "[U+202E]abc" in words and "\u202e" not in words
    page = opened.page
    assert page.locator("main script, main img").count() == 0
    assert page.locator('a[href^="javascript:"]').count() == 0
    page.wait_for_timeout(200)
    assert opened.dialogs == [] and opened.errors == []
    index = visit(hostile / "index.html")
    assert "<script>alert(1)</script>" in index.page.inner_text("#attention-caption ~ tbody")
    assert index.dialogs == []


def test_the_skip_link_comes_first_and_leads_to_the_content(visit: Any, site: Path) -> None:
    page = visit(site / "index.html").page
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to the content"
    assert page.locator(".skip").bounding_box()["y"] >= 0  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_every_status_is_said_in_words(visit: Any, site: Path) -> None:
    page = visit(site / "objectives/violence-young-people.html").page
    statuses = page.locator("td .status").all_inner_texts()
    assert statuses and all(text.strip() for text in statuses)


def test_print_hides_the_navigation(visit: Any, site: Path) -> None:
    page = visit(site / "index.html").page
    assert page.locator("header.site nav").is_visible()
    page.emulate_media(media="print")
    assert not page.locator("header.site nav").is_visible()
    assert page.locator("main h1").is_visible()


def test_pages_reflow_at_320_pixels(browser: Any, site: Path, sample: RunResult) -> None:
    """WCAG 1.4.10: no page wider than a 320-pixel screen (a table scrolls in its own
    region, which the keyboard can reach)."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        charted = f"indicators/{first_red_charted(sample)}.html"
        for name in ("index.html", "objectives/violence-young-people.html", charted):
            page.goto((site / name).as_uri())
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, f"{name} is {width} pixels wide"
    finally:
        context.close()

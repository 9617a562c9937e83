"""Words fit to show: controls and direction overrides neutralised, cuts counted in
UTF-16 units on a character boundary."""

from __future__ import annotations

import pytest

from scorecard.textfit import (
    cut_to_fit,
    cut_to_units,
    direction_controls,
    plain_text,
    utf16_units,
)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain words", "plain words"),
        ("a\r\nb\rc\nd", "a\nb\nc\nd"),
        ("tab\there", "tab here"),
        ("bell\x07 null\x00 esc\x1b del\x7f", "bell null esc del"),
        ("report\u202egnp.exe\u202c", "reportgnp.exe"),
        ("\u2066isolated\u2069 \u202aembedded\u202c", "isolated embedded"),
        ("عربي and English", "عربي and English"),  # right-to-left text needs no override
    ],
)
def test_plain_text(raw: str, shown: str) -> None:
    assert plain_text(raw) == shown


def test_direction_controls_are_named_once_each() -> None:
    assert direction_controls("a\u202eb\u202ec\u2066d") == ["U+202E", "U+2066"]
    assert direction_controls("none here") == []


def test_utf16_units_count_as_excel_does() -> None:
    assert utf16_units("abc") == 3
    assert utf16_units("é€") == 2  # within the basic plane: one each
    assert utf16_units("\U0001f600\U00020000") == 4  # beyond it: two each


def test_a_cut_is_on_a_character_boundary_within_the_limit() -> None:
    text = "ab" + "\U0001f600" * 10
    for limit in range(5, 22):
        cut = cut_to_units(text, limit, "~")
        assert utf16_units(cut) <= limit and cut.endswith("~")
        assert text.startswith(cut[:-1])
    assert cut_to_units(text, 22, "~") == text


def test_wide_glyphs_take_a_full_em_on_the_packs_page() -> None:
    from scorecard.pack.measure import text_width, wrapped_lines

    assert text_width("犯罪は減少", 10) >= 5 * 10  # five glyphs, each at least an em wide
    # 60 wide glyphs in a column 200 points wide: at least three lines, as printed
    assert wrapped_lines("犯" * 60, 200, 10) >= 3


def test_cut_to_fit_keeps_the_longest_beginning_that_fits_with_its_mark() -> None:
    def fits(text: str) -> bool:
        return len(text) <= 20

    assert cut_to_fit("short enough", fits, " […]") == "short enough"
    cut = cut_to_fit("the quick brown fox jumps over the lazy dog", fits, " […]")
    assert cut == "the quick brown […]" and fits(cut)  # cut on the space, mark kept
    assert cut_to_fit("x" * 40, fits, "…") == "x" * 19 + "…"  # no space: cut anywhere

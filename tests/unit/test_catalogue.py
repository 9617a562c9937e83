"""Loading the catalogue: the shipped one validates; each kind of break gives its message."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from scorecard.catalogue import load_catalogue, parse_catalogue
from scorecard.cli import main
from scorecard.errors import CatalogueError

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "config" / "indicators.yaml"

VALID = textwrap.dedent(
    """\
    organisation:
      name: Test Force
      populations:
        resident: {value: 1000000, source: "Census"}
      scheme:
        kind: ratio_bands
        bands:
          - {status: BLUE, min_ratio: 1.10}
          - {status: GREEN, min_ratio: 1.00}
          - {status: AMBER, min_ratio: 0.90}
    owners:
      - {key: tp, name: Territorial Policing}
    objectives:
      - {key: safer, title: Safer neighbourhoods}
    indicators:
      - key: burglary
        label: SPI 5.2
        objective: safer
        owner: tp
        title: Burglary
        unit: count
        polarity: lower_is_better
        measures:
          - {name: offences, label: Burglaries}
        derive: {method: change, measure: offences, population: resident}
        targets:
          "2008/09": {kind: reduction, percent: 4, text: "4% reduction"}
      - key: satisfaction
        label: SPI 1.1
        objective: safer
        owner: tp
        title: Victim satisfaction
        unit: percent
        measures:
          - {name: satisfied, label: "% satisfied", unit: percent}
        derive: {method: as_given, measure: satisfied}
        targets:
          "2008/09": {kind: level, value: 78.9}
    """
)


def errors_of(text: str) -> list:
    with pytest.raises(CatalogueError) as info:
        parse_catalogue(text, "cat.yaml")
    return info.value.problems


def line_of(text: str, needle: str, nth: int = 1) -> int:
    lines = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return lines[nth - 1]


def test_valid_catalogue_loads():
    cat = parse_catalogue(VALID)
    assert cat.summary() == "1 objectives, 2 indicators, 1 owners"
    assert (
        cat.indicator("burglary")
        .target_for(cat.financial_year(__import__("scorecard.model").model.Month(2008, 7)))
        .kind
        == "reduction"
    )


def test_shipped_catalogue_is_the_whole_july_2008_report():
    cat = load_catalogue(SHIPPED)
    assert len(cat.objectives) == 6
    assert len(cat.indicators) == 56
    labels = [i.label for i in cat.indicators]
    assert all("С" not in label and "Р" not in label for label in labels)  # no Cyrillic
    assert labels[0] == "CPA & SPI 1.1" and labels.count("PP") >= 10
    assert {i.owner for i in cat.indicators} == {o.key for o in cat.owners}
    assert cat.organisation.populations["london"].value == 7_512_400
    assert cat.organisation.financial_year_start == 4


def test_unknown_field_is_named_with_its_line_and_key():
    text = VALID.replace("    title: Burglary\n", "    title: Burglary\n    colour: red\n")
    [problem] = errors_of(text)
    assert problem.line == line_of(text, "colour: red")
    assert problem.key == "burglary"
    assert "unknown field 'colour'" in problem.message
    assert problem.format().startswith(f"cat.yaml:{problem.line}: [catalogue-schema]")


def test_duplicate_indicator_key():
    text = VALID.replace("key: satisfaction", "key: burglary")
    problems = errors_of(text)
    assert any(
        "duplicate indicator key 'burglary'" in p.message
        and p.line == line_of(text, "key: burglary", 2)
        for p in problems
    )


def test_missing_objective_and_owner_are_reported_together():
    text = VALID.replace(
        "objective: safer\n    owner: tp\n    title: Victim",
        "objective: nowhere\n    owner: nobody\n    title: Victim",
    )
    problems = errors_of(text)
    codes = {p.code: p for p in problems}
    assert codes["catalogue-unknown-objective"].line == line_of(text, "objective: nowhere")
    assert codes["catalogue-unknown-owner"].line == line_of(text, "owner: nobody")
    assert codes["catalogue-unknown-owner"].key == "satisfaction"


def test_reduction_target_on_a_higher_is_better_level():
    text = VALID.replace(
        '"2008/09": {kind: level, value: 78.9}', '"2008/09": {kind: reduction, percent: 3}'
    )
    problems = errors_of(text)
    messages = " | ".join(p.message for p in problems)
    assert "reduction target needs polarity lower_is_better" in messages
    assert "needs a 'change' derivation" in messages
    assert all(p.key == "satisfaction" for p in problems)


def test_percentage_target_over_100():
    text = VALID.replace("value: 78.9", "value: 789")
    [problem] = errors_of(text)
    assert "0-100" in problem.message and problem.key == "satisfaction"


def test_bands_out_of_order():
    text = VALID.replace("min_ratio: 0.90", "min_ratio: 1.05")
    [problem] = errors_of(text)
    assert "bands out of order" in problem.message
    assert problem.line == line_of(text, "bands:")


def test_unknown_measure_and_population():
    text = VALID.replace(
        "measure: offences, population: resident", "measure: crimes, population: everyone"
    )
    codes = {p.code for p in errors_of(text)}
    assert codes == {"catalogue-unknown-measure", "catalogue-unknown-population"}


def test_unknown_derivation_method_names_the_choices():
    text = VALID.replace("method: as_given", "method: guess")
    [problem] = errors_of(text)
    assert "unknown method 'guess'" in problem.message and "as_given" in problem.message


def test_duplicate_yaml_key_is_refused():
    text = VALID.replace("    title: Burglary\n", "    title: Burglary\n    title: Again\n")
    [problem] = errors_of(text)
    assert problem.code == "catalogue-yaml"
    assert "duplicate key 'title'" in problem.message
    assert problem.line == line_of(text, "title: Again")


def test_python_tags_are_refused_not_run():
    text = VALID.replace("title: Burglary", "title: !!python/object/apply:os.system ['true']")
    [problem] = errors_of(text)
    assert "unsupported YAML tag" in problem.message


def test_alias_bomb_is_refused():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for name, prev in zip("bcdefgh", "abcdefg", strict=True):
        bomb += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
    [problem] = errors_of(bomb)
    assert "alias bomb" in problem.message


def test_tabs_and_bom():
    [problem] = errors_of(VALID.replace("  name: Test Force", "\tname: Test Force"))
    assert "tabs" in problem.message and problem.line == 2
    assert parse_catalogue("\ufeff" + VALID).organisation.name == "Test Force"


def test_targets_are_keyed_by_financial_year():
    problems = errors_of(VALID.replace('"2008/09": {kind: level', '"2008-09": {kind: level'))
    assert "not a financial year" in problems[0].message


def test_every_error_at_once():
    text = VALID.replace("value: 78.9", "value: 789").replace(
        "owner: tp\n    title: Burg", "owner: xx\n    title: Burg"
    )
    assert len(errors_of(text)) >= 2


# --- the validate command --------------------------------------------------------------


def test_validate_shipped_catalogue_reports_its_size():
    result = CliRunner().invoke(main, ["validate", "--config", str(SHIPPED)])
    assert result.exit_code == 0, result.output
    assert "6 objectives, 56 indicators" in result.output


def test_validate_broken_copy_exits_2_with_file_line_messages(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        VALID.replace("value: 78.9", "value: 789").replace(
            "title: Burglary", "title: Burglary\n    colour: red"
        )
    )
    result = CliRunner().invoke(main, ["validate", "--config", str(broken)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.startswith(str(broken))]
    assert len(lines) == 2
    assert all(line.split(":")[1].isdigit() for line in lines)
    assert "Traceback" not in result.output


def test_validate_missing_catalogue_is_one_line(tmp_path):
    result = CliRunner().invoke(main, ["validate", "--config", str(tmp_path / "none.yaml")])
    assert result.exit_code == 2
    assert "cannot read catalogue" in result.output


# --- schemes ------------------------------------------------------------------------------


def test_forecast_rule_on_an_indicator_that_collects_no_forecast():
    text = VALID.replace(
        '      "2008/09": {kind: level, value: 78.9}',
        '      "2008/09": {kind: level, value: 78.9}\n    scheme: {kind: forecast}',
    )
    [problem] = errors_of(text)
    assert problem.code == "catalogue-scheme"
    assert "forecast rule needs the indicator to collect a forecast" in problem.message
    assert problem.key == "satisfaction"
    assert problem.line == line_of(text, "scheme: {kind: forecast}")


def test_forecast_measure_must_exist():
    text = VALID.replace(
        '      "2008/09": {kind: level, value: 78.9}',
        '      "2008/09": {kind: level, value: 78.9}\n    scheme: {kind: forecast}\n'
        "    forecast: {measure: year_end}",
    )
    [problem] = errors_of(text)
    assert "forecast measure 'year_end' is not listed" in problem.message


def test_tolerance_rule_needs_a_tolerance():
    # The org scheme is now a tolerance rule with no default: each targeted indicator
    # without its own tolerance is an error, named by key.
    text = (
        VALID.split("  scheme:")[0]
        + "  scheme: {kind: tolerance}\n"
        + ("owners:" + VALID.split("owners:")[1])
    )
    problems = errors_of(text)
    assert {p.key for p in problems} == {"burglary", "satisfaction"}
    assert all("needs a tolerance" in p.message for p in problems)
    fixed = text.replace(
        "  scheme: {kind: tolerance}", "  scheme: {kind: tolerance, default: {percent: 5}}"
    )
    assert parse_catalogue(fixed).organisation.scheme.default.percent == 5


def test_unknown_scheme_kind():
    text = (
        VALID.split("  scheme:")[0]
        + "  scheme: {kind: vibes}\n"
        + ("owners:" + VALID.split("owners:")[1])
    )
    [problem] = errors_of(text)
    assert "unknown kind 'vibes'" in problem.message and "distance_direction" in problem.message


def test_profile_target_on_a_percentage_over_100():
    text = VALID.replace(
        "{kind: level, value: 78.9}", "{kind: profile, quarters: [25, 50, 75, 101]}"
    )
    [problem] = errors_of(text)
    assert "percentage profile must be 0-100" in problem.message


def test_duplicate_owner_key():
    text = VALID.replace(
        "  - {key: tp, name: Territorial Policing}",
        "  - {key: tp, name: Territorial Policing}\n  - {key: tp, name: Again}",
    )
    [problem] = errors_of(text)
    assert problem.message == "duplicate owner key 'tp'"
    assert problem.line == line_of(text, "name: Again")


def test_an_alias_that_contains_itself_is_refused_with_its_line():
    text = VALID.replace("  name: Test Force", "  name: Test Force\n  short_name: &loop [*loop]")
    [problem] = errors_of(text)
    assert problem.code == "catalogue-yaml"
    assert "loop" in problem.message
    assert problem.line == line_of(text, "short_name: &loop")


def test_a_zero_target_under_the_tolerance_rule_needs_no_tolerance():
    """Zero tolerance is the target itself: at zero GREEN, above it RED (issue 14, item 10)."""
    ratio_bands = VALID[VALID.index("  scheme:") : VALID.index("owners:")]
    text = VALID.replace(ratio_bands, "  scheme: {kind: tolerance}\n")
    assert "kind: tolerance" in text
    zero = text.replace(
        '"2008/09": {kind: reduction, percent: 4, text: "4% reduction"}',
        '"2008/09": {kind: zero}',
    ).replace('"2008/09": {kind: level, value: 78.9}', '"2008/09": {kind: none}')
    catalogue = parse_catalogue(zero)
    assert catalogue.indicator("burglary").targets["2008/09"].kind == "zero"
    # A level target under the same rule still needs one, and says so.
    level = text.replace('"2008/09": {kind: level, value: 78.9}', '"2008/09": {kind: none}')
    problems = errors_of(level)
    assert [p.key for p in problems] == ["burglary"]
    assert "the tolerance rule needs a tolerance" in problems[0].message

"""The very hidden _meta sheet: owner, year, template version, catalogue fingerprint."""

from __future__ import annotations

from typing import Any

from ..catalogue import Catalogue, Owner
from ..form import META_FIELDS, META_MARKER, META_SHEET, TEMPLATE_VERSION
from ..periods import FinancialYear, Month


def write_meta(
    wb: Any, catalogue: Catalogue, year: FinancialYear, owner: Owner, months: list[Month]
) -> None:
    ws = wb.add_worksheet(META_SHEET)
    values = {
        "kind": META_MARKER,
        "owner": owner.key,
        "owner_name": owner.name,
        "financial_year": str(year),
        "template_version": TEMPLATE_VERSION,
        "catalogue_fingerprint": catalogue.return_fingerprint(owner.key),
        "first_month": str(months[0]) if months else "",
        "last_month": str(months[-1]) if months else "",
    }
    for row, name in enumerate(META_FIELDS):
        ws.write_string(row, 0, name)
        ws.write_string(row, 1, values[name])
    ws.protect("", {})
    ws.very_hidden()

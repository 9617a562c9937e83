"""Times as people type and read them, against the ledger's stored times.

The ledger stores UTC to the microsecond (``2008-08-05T10:00:03.412000Z``) and prints
to the second (``2008-08-05 10:00:03 UTC``). A time typed to the second covers the
whole second, so the printed time names the pack compiled within it; where two packs
share a second, each is printed with its fraction, so that every printed time names one
pack.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

# A date, then a time to the minute, second or fraction, then a zone: "UTC", "Z",
# "+01:00", or none (local time).
_TIME = re.compile(
    r"\s*(?P<date>\d{4}-\d{2}-\d{2})[T ](?P<clock>\d{2}:\d{2}(?::\d{2}(?P<fraction>\.\d{1,6})?)?)"
    r"\s*(?P<zone>UTC|GMT|Z|[+-]\d{2}:?\d{2})?\s*",
    re.IGNORECASE,
)


def parse_time(text: str) -> datetime:
    """The moment `text` names, as an aware datetime: ``2008-08-05 10:00:03 UTC`` (as
    `scorecard packs` prints it) is up to 10:00:03.999999 UTC, ``2008-08-05T10:00`` is
    10:00 local time (a time without a zone is local); ``ValueError`` for anything else."""
    found = _TIME.fullmatch(text)
    if found is None:
        raise ValueError(f"{text!r} is not a time")
    zone = (found["zone"] or "").upper()
    zone = "+00:00" if zone in ("UTC", "GMT", "Z") else zone
    if zone and ":" not in zone:
        zone = zone[:3] + ":" + zone[3:]
    when = datetime.fromisoformat(f"{found['date']}T{found['clock']}{zone}")
    if when.tzinfo is None:
        when = when.astimezone()  # local time
    return when.astimezone(UTC) + _rest_of_unit(found["clock"], found["fraction"])


def _rest_of_unit(clock: str, fraction: str | None) -> timedelta:
    """How much later the last moment of the typed second (or fraction) is: the stored
    fraction that printing to the second left off. A time to the minute is as typed."""
    if fraction is not None:
        return timedelta(microseconds=10 ** (7 - len(fraction)) - 1)
    if clock.count(":") == 2:
        return timedelta(microseconds=999_999)
    return timedelta(0)


def shown_times(stored: Iterable[str]) -> dict[str, str]:
    """Each stored time as printed: to the second, or to the microsecond where another
    time shares its second (so each printed time, typed back, names one)."""
    times = list(stored)
    seconds = Counter(t[:19] for t in times)
    out = {}
    for text in times:
        second = text[:19].replace("T", " ")
        out[text] = f"{second}{text[19:26] if seconds[text[:19]] > 1 else ''} UTC"
    return out

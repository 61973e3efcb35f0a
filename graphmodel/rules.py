"""Rules of the domain that more than one floor needs: defined here once, imported everywhere.

The questions (queries/) and the sample generator's independent ground truth (loaders/) both
follow these; keeping them on the ground floor lets the truth stay apart from the audit code.
"""

from __future__ import annotations

import datetime as dt

from .schema import RatingResult

__all__ = ["current_between", "CROSS_APPOINTMENT_LABELS", "MANY_POSTS_DEFAULT", "VENUE_AREA_TARGET_M2", "MANY_CASES_DEFAULT",
           "RECENT_CASE_DAYS", "CASE_MONTH_DAYS", "POOR_RATINGS", "is_open_venue", "one_year_before"]

def current_between(start: dt.date | None, end: dt.date | None, as_of: dt.date) -> bool:
    """The as-of rule, for every contract, post and committee term: current when
    ``start <= as_of <= end``, an empty bound being open. Its Cypher twin is the ``CURRENT(…)``
    macro of ``queries/cypher/fragments/current.cypher``.

    >>> day = dt.date(2026, 6, 30)
    >>> current_between(None, day, day), current_between(day, None, day), current_between(None, dt.date(2026, 6, 29), day)
    (True, True, False)
    """
    return (start is None or start <= as_of) and (end is None or end >= as_of)


#: Labels whose posts count as organisation kinds for X1 (Grid, Building and Street posts do not).
CROSS_APPOINTMENT_LABELS = ("PartyOrg", "OwnerCommittee", "PropertyCompany", "Community", "ResidentUnit")
#: X5 lists people holding more than this many current posts unless told otherwise.
MANY_POSTS_DEFAULT = 3
#: C14 counts a community whose venues total at least this many m² (阳泉: 500平米以上的活动场所).
VENUE_AREA_TARGET_M2 = 500
#: B16 lists compounds with at least this many recent cases unless told otherwise.
MANY_CASES_DEFAULT = 5
#: B16's window: cases received in the last this many days up to the as-of date, both ends included
#: (as_of - 89 … as_of): a case received exactly 90 days before the as-of date is no longer recent.
RECENT_CASE_DAYS = 90
#: B16 also counts each listed compound's cases per month of the window: 30-day months ending on the
#: as-of date (莒南 counts monthly: "每月不到10件"), RECENT_CASE_DAYS // CASE_MONTH_DAYS of them.
CASE_MONTH_DAYS = 30
#: B17: a company whose latest rating is one of these (黑榜, 1星, 2星) is black-listed.
POOR_RATINGS = frozenset({RatingResult.BLACK_LIST.value, RatingResult.STARS_1.value, RatingResult.STARS_2.value})


def is_open_venue(is_open: bool | None) -> bool:
    """A venue counts in a question (C13, C14, B12, S1) unless its 是否开放 says 否: a room the
    ledger marks closed serves nobody, and an empty column is taken at its word of being a venue."""
    return is_open is not False


def one_year_before(day: dt.date) -> dt.date:
    """The same day a year earlier (29 February: the 28th), as Cypher's ``date - duration({years: 1})``:
    where O1–O3's window starts unless ``--since`` says otherwise.

    >>> one_year_before(dt.date(2026, 6, 30)), one_year_before(dt.date(2024, 2, 29))
    (datetime.date(2025, 6, 30), datetime.date(2023, 2, 28))
    """
    return day.replace(year=day.year - 1, day=28 if (day.month, day.day) == (2, 29) else day.day)

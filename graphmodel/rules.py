"""Rules of the domain that more than one floor needs: defined here once, imported everywhere.

The questions (queries/) and the sample generator's independent ground truth (loaders/) both
follow these; keeping them on the ground floor lets the truth stay apart from the audit code.
"""

from __future__ import annotations

__all__ = ["CROSS_APPOINTMENT_LABELS", "MANY_POSTS_DEFAULT", "VENUE_AREA_TARGET_M2"]

#: Labels whose posts count as organisation kinds for X1 (Grid, Building and Street posts do not).
CROSS_APPOINTMENT_LABELS = ("PartyOrg", "OwnerCommittee", "PropertyCompany", "Community", "ResidentUnit")
#: X5 lists people holding more than this many current posts unless told otherwise.
MANY_POSTS_DEFAULT = 3
#: C14 counts a community whose venues total at least this many m² (阳泉: 500平米以上的活动场所).
VENUE_AREA_TARGET_M2 = 500

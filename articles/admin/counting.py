"""Counting a long list without reading all of it.

Django's change list counts its rows exactly: at 100,000 stories a COUNT(*) reads every row that
matches (a search for a common word, a state held by most stories), however few of them the page
shows. Here the count stops at EXACT_LIMIT rows; past that the list says "about" and gives
PostgreSQL's own estimate of the rows the query returns, which is what anyone paging through a
list that long needs.
"""

import json
from functools import cached_property

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator

# Twenty pages of fifty: exact up to there, cheap beyond (a search for a common word matches
# tens of thousands of stories, and each counted match is a row read).
EXACT_LIMIT = 1_000


def planner_estimate(queryset) -> int:
    """The number of rows PostgreSQL expects `queryset` to return (EXPLAIN, nothing is read)."""
    plan = json.loads(queryset.explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


def rounded(number: int) -> int:
    """Two significant digits: 40,189 → 40,000; an estimate is no more exact than that."""
    digits = len(str(number)) - 2
    return round(number, -digits) if digits > 0 else number


class BoundedCountPaginator(Paginator):
    """A paginator whose count reads at most EXACT_LIMIT + 1 rows; above that it is an estimate.

    `estimated` says which: templates write "about" before an estimated count. Pages past an
    estimated end are not refused: they are just empty.
    """

    estimated = False

    @cached_property
    def count(self) -> int:
        # Only the keys: the count needs no columns, ordering or computed ranks.
        keys = self.object_list.order_by().values("pk")
        exact = keys[: EXACT_LIMIT + 1].count()
        if exact <= EXACT_LIMIT:
            return exact
        self.estimated = True
        return max(rounded(planner_estimate(keys)), EXACT_LIMIT + 1)

    def validate_number(self, number):
        self.count  # noqa: B018 — counting is what tells whether the end is estimated
        if not self.estimated:
            return super().validate_number(number)
        # An estimated end is no limit: any page from the first is answered, past the end empty.
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

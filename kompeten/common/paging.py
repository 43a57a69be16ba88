"""One page of a programme's batches, found by level, number or starting month.

The later stages' overviews (assessment, certificates, monev waves) list a programme's
batches; at national scale that is thousands of rows, so each shows one page of them and
counts only that page's rows. Every batch stays findable: by its number, its level or the
month it starts. A leaf module: it takes a queryset of batches and imports no app.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

BATCHES_PER_PAGE = 50


@dataclass(frozen=True)
class BatchFilter:
    level: str = ""  # a level's pk
    number: str = ""  # a batch number
    month: str = ""  # YYYY-MM of the start date

    @classmethod
    def from_request(cls, request) -> "BatchFilter":
        level = request.GET.get("jenjang", "").strip()
        number = request.GET.get("nomor", "").strip()
        month = request.GET.get("bulan", "").strip()
        return cls(level=level if level.isdigit() else "",
                   number=number if number.isdigit() and len(number) <= 6 else "",
                   month=month if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month) else "")

    @property
    def active(self) -> bool:
        return bool(self.level or self.number or self.month)

    def apply(self, batches: QuerySet) -> QuerySet:
        if self.level:
            batches = batches.filter(level_id=int(self.level))
        if self.number:
            batches = batches.filter(number=int(self.number))
        if self.month:
            year, month = (int(part) for part in self.month.split("-"))
            first = dt.date(year, month, 1)
            after = dt.date(year + month // 12, month % 12 + 1, 1)
            batches = batches.filter(start_date__gte=first, start_date__lt=after)
        return batches


def batch_page(request, batches: QuerySet, *, per_page: int = BATCHES_PER_PAGE
               ) -> tuple[Page, BatchFilter]:
    """The requested page (``?halaman=``) of ``batches`` after the request's filter."""
    found = BatchFilter.from_request(request)
    paginator = Paginator(found.apply(batches).order_by("number"), per_page)
    return paginator.get_page(request.GET.get("halaman")), found

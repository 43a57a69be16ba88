"""A programme's batches as a paged list with a filter (issue 13).

A national programme has thousands of batches: the staff pages that list every batch (class
documents, classroom sessions, e-learning progress) show one page of ``PER_PAGE`` batches and
a filter by batch number, level and start date, so every batch stays reachable without
loading or rendering all of them. The filter is read from the query string
(``angkatan``, ``jenjang``, ``sejak``, ``halaman``); ``tahun`` is kept in the links.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from kompeten.programs.models import Batch, Level

PER_PAGE = 50


@dataclass(frozen=True)
class BatchFilter:
    number: int | None = None
    level: str = ""  # Level.code
    since: dt.date | None = None

    @classmethod
    def from_request(cls, request: HttpRequest) -> BatchFilter:
        raw_number = request.GET.get("angkatan", "").strip()
        raw_since = request.GET.get("sejak", "").strip()
        try:
            since = dt.date.fromisoformat(raw_since) if raw_since else None
        except ValueError:
            since = None
        return cls(number=int(raw_number) if raw_number.isdigit() and len(raw_number) < 6
                   else None,
                   level=request.GET.get("jenjang", "").strip()[:40], since=since)

    @property
    def active(self) -> bool:
        return self.number is not None or bool(self.level) or self.since is not None

    def apply(self, batches: QuerySet[Batch]) -> QuerySet[Batch]:
        if self.number is not None:
            batches = batches.filter(number=self.number)
        if self.level:
            batches = batches.filter(level__code=self.level)
        if self.since is not None:
            batches = batches.filter(start_date__gte=self.since)
        return batches

    def params(self) -> dict[str, str]:
        values = {"angkatan": "" if self.number is None else str(self.number),
                  "jenjang": self.level,
                  "sejak": self.since.isoformat() if self.since else ""}
        return {key: value for key, value in values.items() if value}


@dataclass
class BatchPage:
    """One page of batches: ``batches`` (the page's rows), the pager and the filter form."""

    page: Page
    filter: BatchFilter
    levels: list[Level]
    keep: dict[str, str] = field(default_factory=dict)  # e.g. {"tahun": "2019"}

    @property
    def batches(self) -> list[Batch]:
        return list(self.page.object_list)

    @property
    def ids(self) -> list[int]:
        return [batch.pk for batch in self.page.object_list]

    @property
    def pages(self):
        return self.page.paginator.get_elided_page_range(self.page.number, on_each_side=2)

    @property
    def query(self) -> str:
        """The query string of this filter without the page number (for the pager links)."""
        return urlencode({**self.keep, **self.filter.params()})

    @property
    def keep_query(self) -> str:
        """The query string without the filter (the "all batches" link)."""
        return urlencode(self.keep)


def batch_page(request: HttpRequest, batches: QuerySet[Batch], *, per_page: int = PER_PAGE,
               keep: dict[str, str] | None = None) -> BatchPage:
    """The requested page of ``batches`` (already ordered) after the request's filter: two
    queries (the count and the page), plus one for the levels of the filter form."""
    batch_filter = BatchFilter.from_request(request)
    paginator = Paginator(batch_filter.apply(batches), per_page)
    page = paginator.get_page(request.GET.get("halaman"))
    page.object_list = list(page.object_list)
    return BatchPage(page=page, filter=batch_filter,
                     levels=list(Level.objects.order_by("order", "name")), keep=keep or {})


_SENTINEL = 987654321


def batch_url(name: str, *rest) -> Callable[..., str]:
    """``url(pk)`` for a route whose first argument is a batch id, reversed once per page
    instead of once per row (a page of 50 batches with four document links each made 200
    ``{% url %}`` calls). Extra ``rest`` arguments are placeholders replaced by ``url(pk,
    *values)`` (as strings), e.g. the day of an attendance sheet."""
    sentinels = [f"{_SENTINEL + i + 1}" for i in range(len(rest))]
    template = reverse(name, args=[_SENTINEL, *rest])
    for placeholder, sentinel in zip(rest, sentinels, strict=True):
        template = template.replace(str(placeholder), sentinel, 1)

    def url(pk: int, *values: str) -> str:
        text = template.replace(str(_SENTINEL), str(pk), 1)
        for sentinel, value in zip(sentinels, values, strict=True):
            text = text.replace(sentinel, value, 1)
        return text

    return url

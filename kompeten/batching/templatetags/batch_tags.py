"""The batch overview's rows, written here: a page of 50 batches through template lookups,
``{% url %}``, two ``|date`` and ``{% widthratio %}`` per row cost more than the rest of the
page."""

from django import template
from django.template.defaultfilters import date
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

ROW = ('\n      <tr id="batch-{number}"><td data-label="{l_batch}"><a href="{url}">{l_batch} '
       '{number}</a></td><td data-label="{l_level}">{level}</td><td data-label="{l_dates}" '
       'class="text-nowrap">{start} – {end}</td><td data-label="{l_fill}"><div class="d-flex '
       'align-items-center gap-2"><span class="text-nowrap{over}">{filled}/{capacity}</span>'
       '<div class="progress flex-grow-1" style="height: .5rem; min-width: 4rem" '
       'role="progressbar" aria-label="{l_progress} {number}" aria-valuenow="{filled}" '
       'aria-valuemin="0" aria-valuemax="{capacity}"><div class="progress-bar{bar}" '
       'style="width: {width}%"></div></div></div></td></tr>\n    ')
DATE = "D, j M Y"


def _width(filled, capacity) -> str:
    """``{% widthratio filled capacity 100 %}``."""
    try:
        return str(round(float(filled) / float(capacity) * 100))
    except ZeroDivisionError:
        return "0"
    except (ValueError, TypeError, OverflowError):
        return ""


@register.simple_tag
def batch_rows(page, l_batch, l_level, l_dates, l_fill, l_progress) -> SafeString:
    """The rows of one page of batches (labels: the table's translated headers): number
    (to the batch's page), level, dates and how full it is, with a progress bar."""
    rows = []
    for batch in page:
        over = batch.filled > batch.capacity
        rows.append(format_html(
            ROW, number=batch.number, url=reverse("batching:batch_detail", args=[batch.pk]),
            level=batch.level.name, start=date(batch.start_date, DATE),
            end=date(batch.end_date, DATE), filled=batch.filled, capacity=batch.capacity,
            over=" text-danger fw-bold" if over else "",
            bar=" bg-danger" if over else (" bg-success" if batch.filled == batch.capacity
                                           else ""),
            width=_width(batch.filled, batch.capacity), l_batch=l_batch, l_level=l_level,
            l_dates=l_dates, l_fill=l_fill, l_progress=l_progress))
    return mark_safe("".join(rows))  # noqa: S308 -- format_html above

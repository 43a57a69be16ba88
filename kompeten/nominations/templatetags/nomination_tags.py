"""The nomination list's rows, written here: a page of 50 rows through template variable
lookups, ``{% url %}`` and ``{% lacks %}`` cost more than the rest of the page."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kompeten.registration.checklist import missing
from kompeten.registration.models import Status

register = template.Library()

# get_status_display() builds this dict on every call.
STATUS_LABELS = dict(Status.choices)

ROW = ('<tr>{}\n  <td data-label="{}"><a href="{}">{}</a></td>\n  <td data-label="{}">{}</td>'
       '\n  <td data-label="{}">{}</td>\n  <td data-label="{}">{}</td>'
       '\n  <td data-label="{}">{}{}</td>\n  <td data-label="{}">{}</td>\n</tr>')


def _complete() -> SafeString:
    return format_html('<span class="badge text-bg-success">{}</span>', _("Lengkap"))


def _lacking(record, complete: SafeString) -> SafeString:
    """What the registration still lacks, as a list (or the badge "complete")."""
    items = missing(record)
    if not items:
        return complete
    return format_html('<ul class="small mb-0 ps-3">{}</ul>', format_html_join(
        "", "<li>{}</li>", ((item.label,) for item in items)))


@register.simple_tag
def nomination_rows(table) -> SafeString:
    """``<tbody>`` of NominationTable's current page: name (to the detail page), NIP,
    agency, level, status with the invitation e-mail's trouble, and what is still lacking."""
    select, name, nip, agency = _("Pilih"), _("Nama"), _("NIP"), _("Instansi")
    level, status, lacks = _("Jenjang"), _("Status"), _("Yang belum lengkap")
    mail_badges = {
        "failed": format_html(' <span class="badge text-bg-danger">{}</span>',
                              _("E-mail undangan gagal")),
        "queued": format_html(' <span class="badge text-bg-light border">{}</span>',
                              _("E-mail dalam antrean"))}
    complete = _complete()
    rows = []
    for row in table.paginated_rows:
        record = row.record
        checkbox = (format_html('\n  <td data-label=""><input type="checkbox" name="pk" '
                                'value="{}" aria-label="{}"></td>', record.pk, select)
                    if table.selectable else "")
        lacking = _lacking(record, complete)
        rows.append(format_html(
            ROW, checkbox, name, reverse("nominations:nomination_detail", args=[record.pk]),
            record.full_name, nip, record.nip, agency, record.agency.name, level,
            record.level.name, status, STATUS_LABELS.get(record.status, record.status),
            mail_badges.get(getattr(record, "invitation_mail", None), ""), lacks, lacking))
    if not rows:
        rows.append(format_html('\n<tr><td colspan="{}">{}</td></tr>\n', len(table.columns),
                                table.empty_text or "—"))
    return mark_safe("\n<tbody>\n" + "".join(rows) + "\n</tbody>\n")  # noqa: S308 -- format_html


@register.simple_tag
def home_nominee_rows(nominees) -> SafeString:
    """The rows of the operator's home page list: name (to the detail page), level, status
    and what is still lacking."""
    complete = _complete()
    return format_html_join("", '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td>'
                                '<td>{}\n</td></tr>', (
        (reverse("nominations:nomination_detail", args=[record.pk]), record.full_name,
         record.level.name, STATUS_LABELS.get(record.status, record.status),
         _lacking(record, complete)) for record in nominees))

"""Announcement of the class lists: the public page per programme and the e-mails."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kompeten.accounts.models import Role, User
from kompeten.batching.models import Placement
from kompeten.classroom.models import Publication
from kompeten.classroom.selectors import officials_by_agency
from kompeten.common import pagecache
from kompeten.common.mail import queue_email
from kompeten.programs.models import Program
from kompeten.rumpun.selectors import topic_of


@dataclass(frozen=True)
class PublishResult:
    announced: int
    emails: int
    first: bool  # the first publication (False: newcomers announced afterwards)


def public_url(program: Program) -> str:
    return settings.SITE_URL + reverse("classroom:announcement", args=[program.code])


@transaction.atomic
def publish(*, program: Program, by: User) -> PublishResult:
    """Publish the class lists of the programme, or announce the participants placed since.

    Every placed participant not yet announced is marked ``is_announced`` (placement reruns
    then leave them where they are), gets an e-mail with batch, dates, venue and group, and
    the operators of their agency get the list of their officials. Everybody placed must have
    a group first (run ``propose_groups``)."""
    # Lock the rows first: a second organiser publishing at the same moment waits here and
    # then finds nothing left to announce.
    pending = list(Placement.objects.select_for_update(of=("self",))
                   .filter(registration__program=program, batch__isnull=False,
                           is_announced=False)
                   .select_related("registration__agency", "registration__level",
                                   "batch__level", "membership__topic")
                   .order_by("batch__number", "registration__plain_name"))
    publication = Publication.objects.filter(program=program).first()
    if not pending:
        if publication is None:
            raise ValidationError(_("Belum ada peserta yang ditempatkan di angkatan; belum ada "
                                    "yang dapat diumumkan."))
        raise ValidationError(_("Semua peserta yang ditempatkan sudah diumumkan."))
    without_topic = sum(1 for p in pending if topic_of(p) is None)
    if without_topic:
        raise ValidationError(
            _("%(count)s peserta belum mempunyai rumpun. Jalankan “Usulkan rumpun” lebih "
              "dulu.") % {"count": without_topic})
    first = publication is None
    if first:
        Publication.objects.create(program=program, published_at=timezone.now(),
                                   published_by=by)
    Placement.objects.filter(pk__in=[p.pk for p in pending]).update(
        is_announced=True, updated_at=timezone.now())
    pagecache.bump(pagecache.ANNOUNCEMENT)
    emails = _queue_emails(program=program, placements=pending)
    return PublishResult(announced=len(pending), emails=emails, first=first)


@transaction.atomic
def unpublish(*, program: Program, by: User) -> None:
    """Take the class lists off the public page. The participants stay ``is_announced``:
    they have been told their batch, so a placement rerun must still not move them."""
    deleted, _rows = Publication.objects.filter(program=program).delete()
    if not deleted:
        raise ValidationError(_("Daftar kelas belum diumumkan."))
    pagecache.bump(pagecache.ANNOUNCEMENT)


def _queue_emails(*, program: Program, placements: list[Placement]) -> int:
    url = public_url(program)
    sent = 0
    for placement in placements:
        registration = placement.registration
        if not registration.email:
            continue
        body = render_to_string("classroom/publication/email_participant.txt", {
            "program": program, "placement": placement, "registration": registration,
            "batch": placement.batch, "url": url})
        queue_email(subject=_("Pengumuman angkatan %(program)s") % {"program": program},
                    body=body, to=[registration.email])
        sent += 1
    by_agency = officials_by_agency(placements)
    operators: dict[int, list[str]] = {}
    for agency_id, email in (User.objects.filter(role=Role.OPERATOR, is_active=True,
                                                 agency_id__in=by_agency)
                             .exclude(email="").values_list("agency_id", "email")
                             .order_by("agency_id", "email")):
        operators.setdefault(agency_id, []).append(email)
    for agency_id, officials in by_agency.items():
        agency = officials[0].registration.agency
        to = operators.get(agency_id) or ([agency.email] if agency.email else [])
        if not to:
            continue
        context = {"program": program, "agency": agency, "placements": officials, "url": url}
        queue_email(subject=_("Pengumuman angkatan %(program)s: %(agency)s")
                    % {"program": program, "agency": agency.name},
                    body=render_to_string("classroom/publication/email_operator.txt", context),
                    html=render_to_string("classroom/publication/email_operator.html", context),
                    to=to)
        sent += 1
    return sent

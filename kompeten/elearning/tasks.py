"""Background jobs of e-learning: the forum digest and reminders (one mail per person)."""

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from kompeten.accounts.models import Role, User
from kompeten.common.mail import queue_email
from kompeten.elearning import selectors
from kompeten.elearning.models import DigestCursor, Post
from kompeten.programs.models import Batch
from kompeten.registration.models import Registration

DIGEST_MAX_POSTS = 20


def _link(name: str, *args) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse(name, args=args)}"


@shared_task
def send_forum_digests() -> int:
    """The daily run (Celery beat, kompeten/celery.py; or cron: `manage.py send_forum_digests`)."""
    from kompeten.elearning.services import queue_digests  # services imports this module

    return queue_digests()


@shared_task(acks_late=True)
def send_batch_digest(*, batch_id: int) -> int:
    """One mail per participant and facilitator of the batch with the posts they have not
    had in a digest yet (their own excluded); returns how many mails were queued."""
    batch = Batch.objects.select_related("program").get(pk=batch_id)
    participants = list(User.objects.filter(registrations__placement__batch=batch))
    facilitators = list(User.objects.filter(role=Role.FACILITATOR, is_active=True))
    readers = participants + [u for u in facilitators
                              if selectors.facilitator_batches(u).filter(pk=batch.pk).exists()]
    sent = 0
    with transaction.atomic():
        cursors = {c.user_id: c for c in DigestCursor.objects.select_for_update().filter(
            batch=batch, user__in=readers)}
        newest = (Post.objects.filter(thread__batch=batch).order_by("-pk")
                  .values_list("pk", flat=True).first() or 0)
        start = min((cursors[u.pk].last_post_id if u.pk in cursors else 0 for u in readers),
                    default=newest)
        posts = list(Post.objects.filter(thread__batch=batch, pk__gt=start,
                                         hidden_at__isnull=True)
                     .select_related("thread__module", "author").order_by("pk"))
        for user in readers:
            cursor = cursors.get(user.pk) or DigestCursor(user=user, batch=batch)
            mine = [p for p in posts if p.pk > cursor.last_post_id and p.author_id != user.pk]
            if mine and user.email:
                lines = [f"- [{p.thread.module.title}] {p.thread.title} — "
                         f"{p.author.get_full_name() or p.author.username}: "
                         f"{p.body[:200]}" for p in mine[:DIGEST_MAX_POSTS]]
                if len(mine) > DIGEST_MAX_POSTS:
                    lines.append(_("… dan %(n)s tulisan lainnya.")
                                 % {"n": len(mine) - DIGEST_MAX_POSTS})
                queue_email(
                    subject=_("Forum e-learning angkatan %(n)s: %(count)s tulisan baru")
                    % {"n": batch.number, "count": len(mine)},
                    body="\n".join([_("Tulisan baru di forum diskusi angkatan Anda:"), "",
                                    *lines, "", _link("elearning:forum_batch", batch.pk)]),
                    to=[user.email])
                sent += 1
            cursor.last_post_id = newest
            cursor.save()
    return sent


@shared_task(acks_late=True)
def send_reminders(*, batch_id: int, registration_ids: list[int],
                   reminder_id: int | None = None) -> int:
    """One mail per participant behind; each keyed by the reminder, so a repeated run of
    the job queues no second copy (kompeten/common/jobs.py rule 3)."""
    batch = Batch.objects.get(pk=batch_id)
    registrations = Registration.objects.filter(pk__in=registration_ids, placement__batch=batch)
    sent = 0
    for registration in registrations:
        queue_email(
            subject=_("Pengingat e-learning angkatan %(n)s") % {"n": batch.number},
            body=_("Yth. %(name)s,\n\nE-learning Anda belum selesai. Pelatihan klasikal "
                   "angkatan %(n)s dimulai %(date)s. Mohon pelajari materi setiap modul dan "
                   "unggah resumenya.\n\n%(link)s")
            % {"name": registration.full_name, "n": batch.number,
               "date": batch.start_date.strftime("%d-%m-%Y"),
               "link": _link("elearning:mine")},
            to=[registration.email],
            key=f"elearning-reminder:{reminder_id}:{registration.pk}" if reminder_id else None)
        sent += 1
    return sent

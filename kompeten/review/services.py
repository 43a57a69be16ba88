"""Review decisions on a participant's submitted file (CV and action plan)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.accounts.models import User
from kompeten.common.mail import queue_email
from kompeten.programs import selectors as program_selectors
from kompeten.registration import lifecycle
from kompeten.registration.models import Registration, Status
from kompeten.review.models import Decision, ReviewDecision, Submission

# The sections of a file a reviewer can comment on, in the order they are shown.
SECTIONS: dict[str, str] = {
    "profile": gettext_lazy("Profil dan mentor/atasan langsung"),
    "work_history": gettext_lazy("Riwayat pekerjaan"),
    "action_plan": gettext_lazy("Rencana tindak lanjut"),
    "documents": gettext_lazy("Dokumen persyaratan"),
}

# The lifecycle step each decision takes (see kompeten/registration/lifecycle.py).
TRANSITION = {
    Decision.ACCEPT: "accept",
    Decision.REVISE: "send_back",
    Decision.REJECT: "reject",
}


def _already_decided(decision: ReviewDecision) -> ValidationError:
    reviewer = decision.reviewer.get_full_name() or decision.reviewer.username
    return ValidationError(
        _("Versi %(number)s sudah diputuskan oleh %(reviewer)s (%(decision)s, %(at)s).")
        % {"number": decision.submission.number, "reviewer": reviewer,
           "decision": decision.get_decision_display(),
           "at": formats.date_format(timezone.localtime(decision.decided_at),
                                     "DATETIME_FORMAT")},
        code="already_decided")


def _clean_comments(comments: dict[str, str]) -> dict[str, str]:
    unknown = set(comments) - set(SECTIONS)
    if unknown:
        raise ValueError(f"unknown review sections: {sorted(unknown)}")
    return {key: (comments.get(key) or "").strip() for key in SECTIONS}


@transaction.atomic
def decide(*, registration: Registration, reviewer: User, decision: str,
           comments: dict[str, str], reason: str = "", version: int | None = None
           ) -> ReviewDecision:
    """Accept, send back for revision or reject the latest submitted version of a file.

    The registration row is locked, so two reviewers deciding at once queue up and
    the second learns who decided first. ``version`` (the version the reviewer read)
    guards against deciding on a newer version than the one on screen.
    """
    if decision not in Decision.values:
        raise ValidationError({"decision": [_("Pilih keputusan: diterima, dikembalikan "
                                              "untuk perbaikan, atau ditolak.")]})
    comments = _clean_comments(comments)
    reason = reason.strip()
    registration = (Registration.objects.select_for_update(of=("self",))
                    .select_related("program", "level", "agency").get(pk=registration.pk))
    submission = (Submission.objects.filter(registration=registration)
                  .order_by("-number").first())
    if submission is None:
        raise ValidationError(_("Peserta ini belum mengirim berkas untuk direview."),
                              code="not_submitted")
    earlier = (ReviewDecision.objects.select_related("reviewer", "submission")
               .filter(submission=submission).first())
    if earlier is not None:
        raise _already_decided(earlier)
    if version is not None and version != submission.number:
        raise ValidationError(
            _("Berkas sudah diperbarui ke versi %(number)s sejak halaman ini dibuka. "
              "Bacalah versi terbaru sebelum memutuskan.") % {"number": submission.number},
            code="stale_version")
    if registration.status != Status.SUBMITTED:
        raise ValidationError(
            _("Hanya berkas berstatus “%(submitted)s” yang dapat diputuskan (status sekarang: "
              "%(status)s).") % {"submitted": Status.SUBMITTED.label,
                                 "status": registration.get_status_display()},
            code="not_submitted")
    if decision == Decision.REVISE and not any(comments.values()):
        raise ValidationError({"decision": [_(
            "Untuk mengembalikan berkas, tulis catatan perbaikan pada minimal satu bagian.")]})
    if decision == Decision.REJECT and not reason:
        raise ValidationError({"reason": [_("Penolakan wajib disertai alasan.")]})

    try:
        with transaction.atomic():
            result = ReviewDecision.objects.create(
                registration=registration, submission=submission, reviewer=reviewer,
                decision=decision, reason=reason if decision == Decision.REJECT else "",
                **{f"comment_{key}": text for key, text in comments.items()})
    except IntegrityError as exc:
        # Only reachable without row locks (SQLite under concurrency): the constraint holds.
        earlier = (ReviewDecision.objects.select_related("reviewer", "submission")
                   .filter(submission=submission).first())
        if earlier is None:
            raise
        raise _already_decided(earlier) from exc
    changes = {}
    if decision == Decision.ACCEPT:
        changes["qualification"] = program_selectors.qualification_for(
            program=registration.program, level=registration.level, agency=registration.agency)
    note = reason if decision == Decision.REJECT else "\n".join(
        f"{SECTIONS[key]}: {text}" for key, text in comments.items() if text)
    lifecycle.transition(registration=registration, name=TRANSITION[decision], by=reviewer,
                         reason=_("Versi %(number)s. %(note)s")
                         % {"number": submission.number, "note": note},
                         changes=changes)
    _notify(registration=registration, decision=result, comments=comments)
    return result


def _notify(*, registration: Registration, decision: ReviewDecision,
            comments: dict[str, str]) -> None:
    link = settings.SITE_URL + reverse("participants:my_registration")
    sections = [(SECTIONS[key], text) for key, text in comments.items() if text]
    context = {"registration": registration, "decision": decision, "sections": sections,
               "link": link, "program": registration.program}
    template, subject = {
        Decision.ACCEPT: ("review/email/accepted.txt",
                          _("Berkas Anda diterima — %(program)s")),
        Decision.REVISE: ("review/email/revision.txt",
                          _("Berkas Anda perlu perbaikan — %(program)s")),
        Decision.REJECT: ("review/email/rejected.txt",
                          _("Hasil review berkas Anda — %(program)s")),
    }[decision.decision]
    queue_email(subject=subject % {"program": registration.program},
                body=render_to_string(template, context), to=[registration.email])

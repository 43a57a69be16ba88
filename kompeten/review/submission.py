"""Submitting a complete file: the frozen snapshot each review decides on."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kompeten.accounts.models import User
from kompeten.registration import lifecycle
from kompeten.registration.checklist import missing
from kompeten.registration.models import Registration
from kompeten.review.models import Submission


def snapshot(registration: Registration) -> dict:
    """The file as it stands, as plain data (stored with each submission)."""
    profile_fields = ["full_name", "nip", "position", "work_unit", "email", "phone",
                      "mentor_name", "mentor_nip", "mentor_position", "mentor_email"]
    data = {"profile": {name: getattr(registration, name) for name in profile_fields}}
    data["work_history"] = [
        {"position": e.position, "unit": e.unit, "start_date": e.start_date.isoformat(),
         "end_date": e.end_date.isoformat() if e.end_date else None, "duties": e.duties}
        for e in registration.work_history.order_by("-start_date")]
    data["documents"] = [
        {"kind": d.kind, "stored_file": d.stored_id, "name": d.stored.original_name}
        for d in registration.documents.filter(is_current=True).select_related("stored")]
    plan = getattr(registration, "action_plan", None)
    data["action_plan"] = None if plan is None else {
        "title": plan.title, "background": plan.background, "problem": plan.problem,
        "goals": plan.goals, "benefits": plan.benefits,
        "milestones": [
            {"horizon": m.horizon, "activity": m.activity, "duration_value": m.duration_value,
             "duration_unit": m.duration_unit, "start_week": m.start_week,
             "end_week": m.end_week, "output": m.output}
            for m in plan.milestones.order_by("order")]}
    return data


@transaction.atomic
def submit_registration(*, registration: Registration, by: User | None = None,
                        now: dt.datetime | None = None) -> Registration:
    """Mark the file complete; refused while anything on the checklist is missing (this
    app's precondition of the lifecycle's "submit" step)."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not lifecycle.file_editable(registration):
        raise ValidationError(_("Pendaftaran ini sudah dikirim atau tidak dapat dikirim lagi."))
    lacking = missing(registration)
    if lacking:
        raise ValidationError(_("Belum lengkap: %(items)s.")
                              % {"items": "; ".join(str(item.label) for item in lacking)})
    now = now or timezone.now()
    number = registration.submissions.count() + 1
    Submission.objects.create(registration=registration, number=number, submitted_at=now,
                              snapshot=snapshot(registration))
    return lifecycle.transition(registration=registration, name="submit", by=by, now=now,
                                reason=_("Versi %(number)s.") % {"number": number},
                                changes={"submitted_at": now})

"""Monev objects for tests: a participant placed in a batch with an action plan, a wave open
today, the programme's default questionnaires and both invitations (with their tokens)."""

import datetime as dt

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from kompeten.batching.models import Placement
from kompeten.common.models import StoredFile
from kompeten.monev import tokens
from kompeten.monev.models import Audience, Invitation, MilestoneAnswer, Response, Wave
from kompeten.monev.questionnaires import ensure_defaults
from kompeten.monev.waves import ensure_invitations
from tests.factories import complete
from tests.upload_samples import pdf_bytes


def token_of(invitation: Invitation) -> str:
    invitation.refresh_from_db()
    return tokens.token_for(invitation_id=invitation.pk, salt=invitation.token_salt)


def open_wave(*, program, batch, today: dt.date | None = None, offset: int = 3) -> Wave:
    today = today or timezone.localdate()
    return Wave.objects.create(program=program, batch=batch, offset_months=offset,
                               opens_on=today - dt.timedelta(days=5),
                               closes_on=today + dt.timedelta(days=25))


def monev_setup(*, program, registration, batch, seat: int = 2) -> dict:
    """``registration`` (with a complete file: mentor and a plan with milestones) placed in
    ``batch``, an open wave and the two invitations."""
    complete(registration)
    if not Placement.objects.filter(registration=registration).exists():
        Placement.objects.create(registration=registration, batch=batch, seat=seat)
    ensure_defaults(program=program)
    wave = open_wave(program=program, batch=batch)
    ensure_invitations(wave=wave)
    mine = Invitation.objects.get(wave=wave, registration=registration,
                                  audience=Audience.PARTICIPANT)
    boss = Invitation.objects.get(wave=wave, registration=registration,
                                  audience=Audience.SUPERVISOR)
    return {"wave": wave, "participant": mine, "supervisor": boss,
            "participant_token": token_of(mine), "supervisor_token": token_of(boss),
            "milestones": list(registration.action_plan.milestones.order_by("order"))}


def matrix_monev(ctx: dict) -> dict:
    """Once per test: the participant (agency A) in batch 4 with an open wave."""
    if "monev" not in ctx:
        ctx["monev"] = monev_setup(program=ctx["program"], registration=ctx["registration"],
                                   batch=ctx["program"].batches.get(number=4))
    return ctx["monev"]


def evidence_row(ctx: dict) -> MilestoneAnswer:
    data = matrix_monev(ctx)
    if "monev_evidence" not in ctx:
        name = default_storage.save("uploads/bukti.pdf", ContentFile(pdf_bytes()))
        stored = StoredFile.objects.create(file=name, original_name="bukti.pdf",
                                           content_type="application/pdf", size=10, sha256="0")
        response, _c = Response.objects.get_or_create(invitation=data["participant"])
        ctx["monev_evidence"] = MilestoneAnswer.objects.create(
            response=response, milestone=data["milestones"][0], status="in_progress",
            percent=40, evidence=stored)
    return ctx["monev_evidence"]

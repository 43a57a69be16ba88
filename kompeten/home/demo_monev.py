"""Demo monev on the past programme (kompeten/home/demo_history.py): its policy (offsets
3/6/12, 60 days to answer), the default questionnaires, the waves that have opened with
their invitations and reminders recorded as sent on their dates, and answers from
participants and supervisors (some submitted, some half done). The ``alumni`` login has an
open 3-month wave, partly answered. Idempotent."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from kompeten.actionplans.models import Milestone
from kompeten.home.demo_history import ALUMNI_NIP, past_program
from kompeten.monev.models import (
    Answer,
    Audience,
    Invitation,
    Item,
    ItemKind,
    MilestoneAnswer,
    MonevPolicy,
    Response,
    SendKind,
    SentMail,
    Wave,
)
from kompeten.monev.questionnaires import ensure_defaults
from kompeten.monev.waves import ensure_invitations, plan_waves

SEED = 2026
SUGGESTIONS = [
    "Materi manajemen kinerja perlu contoh kasus dari instansi daerah.",
    "Waktu pelatihan klasikal dua hari terlalu singkat; mohon ditambah satu hari.",
    "Mohon disediakan forum alumni untuk berbagi praktik baik.",
    "Pendampingan penerapan RTL oleh fasilitator sangat membantu.",
    "E-learning sebaiknya dapat diakses dari ponsel dengan lebih mudah.",
    "Perlu pelatihan lanjutan tentang SIASN dan manajemen talenta.",
    "Atasan perlu dilibatkan sejak penyusunan rencana tindak lanjut.",
    "Uji kompetensi sebaiknya memakai studi kasus dari unit kerja peserta.",
]
SUPPORT = ["Memberi waktu dan anggaran untuk kegiatan RTL.",
           "Menugaskan staf untuk membantu pelaksanaan RTL.",
           "Membahas kemajuan RTL dalam rapat bulanan."]
# (submitted, partial) shares per audience
SHARES = {Audience.PARTICIPANT: (0.6, 0.2), Audience.SUPERVISOR: (0.45, 0.15)}
# milestone status weights per (horizon, months): not started, in progress, done, dropped
PROGRESS = {
    ("short", 3): (1, 3, 6, 0), ("medium", 3): (5, 5, 0, 0), ("long", 3): (8, 2, 0, 0),
    ("short", 6): (0, 1, 9, 0), ("medium", 6): (1, 4, 4, 1), ("long", 6): (3, 7, 0, 0),
    ("short", 12): (0, 0, 9, 1), ("medium", 12): (0, 1, 8, 1), ("long", 12): (1, 3, 6, 0),
}
STATUSES = ("not_started", "in_progress", "done", "dropped")


def _at(day: dt.date, hour: int = 8) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _value(item: Item, rnd: random.Random) -> tuple[int | None, str]:
    if item.kind == ItemKind.LIKERT:
        return rnd.choices([2, 3, 4, 5], weights=[1, 3, 6, 3])[0], ""
    if item.kind == ItemKind.FREQUENCY:
        return rnd.choices([1, 2, 3, 4], weights=[1, 3, 5, 2])[0], ""
    if item.kind == ItemKind.CHOICE:
        return None, rnd.choice(item.option_list)
    if item.kind == ItemKind.NUMBER:
        return rnd.randint(item.min_value or 0, min(item.max_value or 5, 5)), ""
    if item.theme == "suggestion":
        return None, rnd.choice(SUGGESTIONS)
    if item.theme == "support":
        return None, rnd.choice(SUPPORT)
    return None, rnd.choice(["Kepala Subbagian Kepegawaian", "Kepala Bidang Mutasi",
                             "Kepala Seksi Pengembangan"])


@transaction.atomic
def load_demo_monev(*, today: dt.date | None = None) -> dict[str, int]:
    program = past_program()
    if Wave.objects.filter(program=program).exists():
        return {"waves": 0}
    today = today or timezone.localdate()
    rnd = random.Random(SEED)
    MonevPolicy.objects.get_or_create(program=program, defaults={
        "offsets": "3,6,12", "closing_days": 60, "max_reminders": 2, "reminder_gap_days": 7})
    ensure_defaults(program=program)
    plan_waves(program=program)
    started = list(Wave.objects.filter(program=program, opens_on__lte=today,
                                      batch__placements__isnull=False).distinct())
    for wave in started:
        ensure_invitations(wave=wave)
    items = {audience: [i for i in Item.objects.filter(
        section__questionnaire__program=program, section__questionnaire__audience=audience)
        .order_by("section__order", "order") if i.kind not in ("milestones", "supervisor")]
        for audience in Audience.values}
    by_registration: dict[int, list[Milestone]] = {}
    for m in (Milestone.objects.filter(plan__registration__program=program)
              .select_related("plan").order_by("plan_id", "order")):
        by_registration.setdefault(m.plan.registration_id, []).append(m)

    invitations = list(Invitation.objects.filter(wave__in=started).select_related(
        "wave", "registration"))
    sent, responses, opened = [], [], []
    answered: list[tuple[Response, Invitation, bool]] = []
    for invitation in invitations:
        wave = invitation.wave
        last_day = min(today, wave.closes_on)
        sent.append(SentMail(invitation=invitation, kind=SendKind.INVITATION, number=0,
                             sent_at=_at(wave.opens_on, 7)))
        is_alumni = invitation.registration.nip == ALUMNI_NIP
        done_share, partial_share = SHARES[invitation.audience]
        roll = rnd.random()
        if is_alumni:  # the alumni login answers itself; their supervisor has not yet
            state = "partial" if invitation.audience == Audience.PARTICIPANT else "none"
        else:
            state = ("submitted" if roll < done_share
                     else "partial" if roll < done_share + partial_share else "none")
        if state != "submitted":
            for number, days in enumerate((7, 14), start=1):
                if wave.opens_on + dt.timedelta(days=days) <= last_day:
                    sent.append(SentMail(invitation=invitation, kind=SendKind.REMINDER,
                                         number=number,
                                         sent_at=_at(wave.opens_on + dt.timedelta(days=days),
                                                     7)))
        if state == "none":
            continue
        span = max((last_day - wave.opens_on).days, 0)
        invitation.opened_at = _at(wave.opens_on + dt.timedelta(days=rnd.randint(0, span)), 9)
        opened.append(invitation)
        submitted = (_at(wave.opens_on + dt.timedelta(days=rnd.randint(0, span)), 10)
                     if state == "submitted" else None)
        invitation.answered_at = submitted  # the copy the waves overview counts
        response = Response(invitation=invitation, submitted_at=submitted)
        responses.append(response)
        answered.append((response, invitation, state == "submitted"))
    SentMail.objects.bulk_create(sent, batch_size=1000)
    Invitation.objects.bulk_update(opened, ["opened_at", "answered_at"], batch_size=500)
    Response.objects.bulk_create(responses, batch_size=1000)
    answers, progress = [], []
    for response, invitation, complete in answered:
        own = items[invitation.audience]
        chosen = own if complete else own[: max(1, len(own) // 2)]
        for item in chosen:
            if not complete and not item.required and rnd.random() < 0.5:
                continue
            number, text = _value(item, rnd)
            answers.append(Answer(response=response, item=item, number=number, text=text))
        if invitation.audience == Audience.PARTICIPANT:
            months = invitation.wave.offset_months
            for m in by_registration.get(invitation.registration_id, []):
                weights = PROGRESS.get((m.horizon, months), (1, 1, 1, 0))
                status = rnd.choices(STATUSES, weights=weights)[0]
                percent = {"not_started": 0, "done": 100}.get(status, rnd.choice(
                    [20, 30, 40, 50, 60, 70, 80]))
                progress.append(MilestoneAnswer(response=response, milestone=m, status=status,
                                                percent=percent, note=""))
    Answer.objects.bulk_create(answers, batch_size=1000)
    MilestoneAnswer.objects.bulk_create(progress, batch_size=1000)
    return {"waves": len(started), "invitations": len(invitations),
            "responses": len(responses), "answers": len(answers)}

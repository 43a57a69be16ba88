"""Sessions of the classroom days: the programme template (from the seed: day 1 9 JP, day 2
3 JP and the 6 JP test), sessions generated for every batch, facilitators assigned without
clashes."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kompeten.access.models import BatchStaff
from kompeten.accounts.models import Role
from kompeten.classroom.session_models import (
    ClassSession,
    Facilitator,
    SessionAssignment,
    SessionKind,
    SessionTemplate,
)
from kompeten.programs.models import Batch, Program, ProgramModule

# (day, start, end, JP); one JP is 45 minutes, breaks in between.
LESSON_SLOTS = [
    (1, dt.time(8, 0), dt.time(10, 15), 3),
    (1, dt.time(10, 30), dt.time(12, 45), 3),
    (1, dt.time(13, 30), dt.time(15, 45), 3),
    (2, dt.time(8, 0), dt.time(10, 15), 3),
]
TEST_SLOT = (2, dt.time(10, 30), dt.time(15, 30), 6)


@transaction.atomic
def create_default_templates(*, program: Program) -> int:
    """The seed's timetable for every level of the programme's curriculum: four 3 JP module
    sessions (9 JP on day 1, 3 JP on day 2), then the 6 JP competency test. Returns the rows
    created (none when the programme already has a template)."""
    if SessionTemplate.objects.filter(program=program).exists():
        return 0
    modules: dict[int, list[ProgramModule]] = {}
    for module in ProgramModule.objects.filter(program=program).select_related("level"):
        modules.setdefault(module.level_id, []).append(module)
    rows = []
    for level_id, level_modules in modules.items():
        for index, (day, start, end, jp) in enumerate(LESSON_SLOTS):
            module = level_modules[index % len(level_modules)]
            rows.append(SessionTemplate(program=program, level_id=level_id, day=day,
                                        start=start, end=end, module=module,
                                        title=module.title, jp=jp))
        day, start, end, jp = TEST_SLOT
        rows.append(SessionTemplate(
            program=program, level_id=level_id, day=day, start=start, end=end,
            kind=SessionKind.TEST, jp=jp,
            title=_("Evaluasi/Uji Kompetensi Teknis Manajemen ASN")))
    SessionTemplate.objects.bulk_create(rows)
    return len(rows)


def _moment(date: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(date, time))


@transaction.atomic
def generate_sessions(*, program: Program) -> int:
    """Sessions for every batch of the programme that has none yet, from the template (the
    default one when the programme has no template). Returns the sessions created."""
    create_default_templates(program=program)
    templates = list(SessionTemplate.objects.filter(program=program))
    created = 0
    batches = Batch.objects.filter(program=program).exclude(
        pk__in=ClassSession.objects.values("batch_id")).select_for_update()
    for batch in batches:
        rows = [ClassSession(batch=batch, day=t.day,
                             starts_at=_moment(batch.start_date + dt.timedelta(days=t.day - 1),
                                               t.start),
                             ends_at=_moment(batch.start_date + dt.timedelta(days=t.day - 1),
                                             t.end),
                             kind=t.kind, module=t.module, title=t.title, jp=t.jp,
                             room=batch.venue[:100])
                for t in templates
                if (t.level_id is None or t.level_id == batch.level_id) and t.day <= batch.days]
        ClassSession.objects.bulk_create(rows)
        created += len(rows)
    return created


def describe(session: ClassSession) -> str:
    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    return _("“%(title)s”, angkatan %(batch)s, %(date)s %(start)s–%(end)s") % {
        "title": session.title, "batch": session.batch.number,
        "date": date_format(start, "j F Y"), "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}


def _clash(*, facilitator: Facilitator, starts_at, ends_at,
           exclude_session: int | None = None) -> SessionAssignment | None:
    clashes = SessionAssignment.objects.filter(
        facilitator=facilitator, starts_at__lt=ends_at, ends_at__gt=starts_at)
    if exclude_session is not None:
        clashes = clashes.exclude(session_id=exclude_session)
    return clashes.select_related("session__batch").first()


@transaction.atomic
def assign(*, session: ClassSession, facilitator: Facilitator) -> SessionAssignment:
    """Assign a facilitator to a session; refused when they teach elsewhere at that time."""
    # The facilitator's row lock serialises two organisers assigning the same person.
    facilitator = Facilitator.objects.select_for_update().get(pk=facilitator.pk)
    if not facilitator.is_active:
        raise ValidationError(_("Fasilitator ini tidak aktif."))
    if SessionAssignment.objects.filter(session=session, facilitator=facilitator).exists():
        raise ValidationError(_("%(name)s sudah ditugaskan di sesi ini.")
                              % {"name": facilitator.name})
    clash = _clash(facilitator=facilitator, starts_at=session.starts_at,
                   ends_at=session.ends_at)
    if clash is not None:
        raise ValidationError(_("%(name)s sudah mengajar pada waktu yang sama: %(session)s.")
                              % {"name": facilitator.name, "session": describe(clash.session)})
    assignment = SessionAssignment.objects.create(session=session, facilitator=facilitator,
                                                  starts_at=session.starts_at,
                                                  ends_at=session.ends_at)
    if facilitator.user is not None and facilitator.user.role == Role.FACILITATOR:
        # Teaching a session makes the user staff of the batch (one source for access).
        BatchStaff.objects.get_or_create(batch=session.batch, user=facilitator.user,
                                         defaults={"role": facilitator.user.role})
    return assignment


@transaction.atomic
def unassign(*, session: ClassSession, facilitator_id: int) -> None:
    SessionAssignment.objects.filter(session=session, facilitator_id=facilitator_id).delete()


@dataclass(frozen=True)
class SessionChange:
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    jp: int
    room: str = ""


@transaction.atomic
def update_session(*, session: ClassSession, change: SessionChange) -> ClassSession:
    """Adjust one batch's session; its facilitators must still be free at the new time."""
    if change.ends_at <= change.starts_at:
        raise ValidationError(_("Jam selesai harus setelah jam mulai."))
    if change.jp < 1:
        raise ValidationError(_("JP harus lebih dari 0."))
    assignments = list(SessionAssignment.objects.filter(session=session)
                       .select_related("facilitator"))
    for assignment in assignments:
        facilitator = Facilitator.objects.select_for_update().get(pk=assignment.facilitator_id)
        clash = _clash(facilitator=facilitator, starts_at=change.starts_at,
                       ends_at=change.ends_at, exclude_session=session.pk)
        if clash is not None:
            raise ValidationError(
                _("%(name)s sudah mengajar pada waktu yang sama: %(session)s.")
                % {"name": facilitator.name, "session": describe(clash.session)})
    session.title, session.jp, session.room = change.title, change.jp, change.room
    session.starts_at, session.ends_at = change.starts_at, change.ends_at
    session.full_clean(exclude=["batch", "module"])
    session.save()
    SessionAssignment.objects.filter(session=session).update(
        starts_at=change.starts_at, ends_at=change.ends_at)
    return session


@transaction.atomic
def create_facilitator(*, name: str, kind: str, expertise: str = "",
                       user=None) -> Facilitator:
    facilitator = Facilitator(name=name.strip(), kind=kind, expertise=expertise.strip(),
                              user=user)
    facilitator.full_clean()
    facilitator.save()
    return facilitator

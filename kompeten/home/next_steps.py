"""The "next step" on each role's home page: what this user can do now, given the stage
of the programme that is open today (for a participant: on their own level's timeline).

Reads every stage, so it lives in the top app (home)."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.urls import reverse
from django.utils.translation import gettext as _

from kompeten.access.rules import scope_to_agency
from kompeten.accounts.models import Role, User
from kompeten.batching.models import Placement
from kompeten.classroom.selectors import is_published
from kompeten.dormitory.models import RoomAssignment
from kompeten.programs import selectors as program_selectors
from kompeten.programs.models import Program, StageKind
from kompeten.programs.selectors import StageOnTimeline
from kompeten.registration import lifecycle
from kompeten.registration import selectors as registration_selectors
from kompeten.registration.models import EDITABLE_STATUSES, Registration, Status


@dataclass(frozen=True)
class NextStep:
    text: str
    stage: StageOnTimeline | None = None  # the stage this step belongs to (open or next)
    url: str = ""
    link: str = ""
    is_open: bool = False  # the stage is open today: the step can be done now


@dataclass(frozen=True)
class ParticipantPlace:
    """What the participant sees once the class lists are published."""

    placement: Placement
    topic: str
    room: str


def participant_place(*, registration: Registration | None) -> ParticipantPlace | None:
    """Batch, dates, group and room of a placed participant, once announced."""
    if registration is None or not is_published(registration.program):
        return None
    placement = (Placement.objects.select_related("batch", "membership__topic")
                 .filter(registration=registration, batch__isnull=False,
                         is_announced=True).first())
    if placement is None:
        return None
    rooms = sorted({str(a.room) for a in RoomAssignment.objects.select_related("room")
                    .filter(placement=placement)})
    membership = getattr(placement, "membership", None)
    topic = membership.topic.name if membership is not None and membership.topic else ""
    return ParticipantPlace(placement, topic, ", ".join(rooms))


def _organiser(program: Program, kind: str, totals: Callable[[], dict[str, int]]
               ) -> tuple[str, str, str] | None:
    if kind == StageKind.ANNOUNCEMENT:
        return (_("Kirim surat pemberitahuan ke instansi."), reverse("letters:overview"),
                _("Surat pemberitahuan"))
    if kind == StageKind.NOMINATION:
        count = sum(totals().values())
        return (_("Masa usulan berjalan: %(count)s peserta telah diusulkan.") % {"count": count},
                reverse("nominations:nomination_list"), _("Lihat usulan"))
    if kind == StageKind.INVITATION:
        count = totals().get(Status.NOMINATED, 0)
        return (_("Undang peserta yang diusulkan: %(count)s belum diundang.") % {"count": count},
                reverse("nominations:nomination_list") + "?status=nominated",
                _("Kirim undangan"))
    if kind == StageKind.REVIEW:
        count = totals().get(Status.SUBMITTED, 0)
        return (_("Review berkas peserta: %(count)s berkas menunggu keputusan.")
                % {"count": count}, reverse("review:queue"), _("Buka antrean review"))
    if kind == StageKind.REGISTRATION:
        count = sum(totals().get(status, 0) for status in [Status.INVITED, *EDITABLE_STATUSES])
        return (_("Masa pendaftaran: %(count)s peserta belum mengirim berkas.")
                % {"count": count}, reverse("nominations:nomination_list"),
                _("Lihat usulan"))
    if kind in (StageKind.ELEARNING, StageKind.CLASSROOM):
        return (_("Tempatkan peserta di angkatan, bentuk rumpun dan umumkan daftar kelas."),
                reverse("batching:batch_overview") + f"?tahun={program.code}",
                _("Penempatan angkatan"))
    return None


def _operator(program: Program, kind: str, user: User) -> tuple[str, str, str] | None:
    registrations = scope_to_agency(Registration.objects.filter(program=program), user)
    if kind == StageKind.NOMINATION:
        return (_("Usulkan peserta instansi Anda sebelum masa usulan ditutup."),
                reverse("nominations:nominate"), _("Usulkan peserta"))
    if kind in (StageKind.INVITATION, StageKind.REGISTRATION, StageKind.REVIEW):
        count = registrations.filter(
            status__in=[Status.NOMINATED, Status.INVITED, *EDITABLE_STATUSES]).count()
        return (_("Ingatkan peserta instansi Anda: %(count)s belum mengirim berkas lengkap.")
                % {"count": count}, reverse("nominations:nomination_list"),
                _("Lihat peserta"))
    if kind in (StageKind.ELEARNING, StageKind.CLASSROOM) and is_published(program):
        return (_("Daftar kelas sudah diumumkan; sampaikan ke peserta instansi Anda."),
                reverse("classroom:announcement", args=[program.code]), _("Pengumuman"))
    return None


def _participant(program: Program, kind: str, registration: Registration | None
                 ) -> tuple[str, str, str] | None:
    if registration is None:
        return None
    mine = reverse("participants:my_registration")
    if lifecycle.file_editable(registration) and kind in (
            StageKind.REGISTRATION, StageKind.REVIEW, StageKind.INVITATION):
        text = (_("Perbaiki berkas sesuai catatan reviewer, lalu kirim kembali.")
                if registration.status == Status.REVISION else
                _("Lengkapi riwayat pekerjaan, rencana tindak lanjut dan dokumen, lalu kirim "
                  "pendaftaran Anda."))
        return text, mine, _("Buka pendaftaran saya")
    if lifecycle.is_waiting_for_review(registration):
        return (_("Berkas Anda sedang direview."), mine, _("Buka pendaftaran saya"))
    if kind == StageKind.ELEARNING and lifecycle.is_accepted(registration):
        return (_("Ikuti e-learning: unduh materi modul, belajar mandiri dan unggah resume."),
                "", "")
    if kind == StageKind.CLASSROOM and lifecycle.is_accepted(registration):
        return (_("Hadiri pelatihan klasikal sesuai angkatan Anda."), "", "")
    return None


def _staff(program: Program, today: dt.date, user: User) -> tuple[str, str, str] | None:
    batch = program_selectors.upcoming_batches(program=program, today=today, limit=1, user=user)
    if not batch:
        return None
    batch = batch[0]
    return (_("Angkatan %(number)s (%(level)s), %(start)s–%(end)s di %(venue)s.")
            % {"number": batch.number, "level": batch.level.name,
               "start": batch.start_date.strftime("%d-%m-%Y"),
               "end": batch.end_date.strftime("%d-%m-%Y"), "venue": batch.venue or "-"},
            reverse("programs:calendar") + f"?tahun={program.code}", _("Lihat kalender"))


def next_step(*, user: User, program: Program, today: dt.date,
              registration: Registration | None = None,
              rows: list[StageOnTimeline] | None = None,
              totals: Callable[[], dict[str, int]] | None = None) -> NextStep | None:
    """The step for this user now: the first open stage with something for their role,
    else the next stage to open (None when the timeline is over). ``rows``: the timeline
    of the registration's level (or the programme's), when the caller has it already;
    ``totals``: the programme's registrations per status, called when the organiser's step
    counts them (registration's status_totals() when not given)."""
    if totals is None:
        totals = partial(registration_selectors.status_totals, program=program)
    if rows is None:
        level = registration.level if registration is not None else None
        rows = program_selectors.timeline(program=program, level=level)
    open_rows = [row for row in rows if row.is_open(today)]
    if user.is_authenticated and user.role in (Role.FACILITATOR, Role.ASSESSOR):
        step = _staff(program, today, user)
        if step is not None:
            return NextStep(step[0], None, step[1], step[2], is_open=True)
    for row in reversed(open_rows):  # the latest opened stage is the most specific one
        step = None
        if user.is_authenticated and user.role == Role.ORGANISER:
            step = _organiser(program, row.kind, totals)
        elif user.is_authenticated and user.role == Role.OPERATOR:
            step = _operator(program, row.kind, user)
        elif user.is_authenticated and user.role == Role.PARTICIPANT:
            step = _participant(program, row.kind, registration)
        if step is not None:
            return NextStep(step[0], row, step[1], step[2], is_open=True)
    if open_rows:
        row = open_rows[-1]
        return NextStep(row.stage.activity, row, is_open=True)
    upcoming = next((row for row in rows if row.start > today), None)
    if upcoming is None:
        return None
    return NextStep(upcoming.stage.activity, upcoming)

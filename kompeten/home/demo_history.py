"""A completed programme in the past (shared by the monev and reports demos): a copy of the
2019 programme dated so that its batches ended four to eight months before today, with a
few batches of accepted, placed officials, each with an action plan of three milestones
and a supervisor. Its code is the year and "-I" (e.g. 2026-I). Idempotent.

The demo login ``alumni`` is one of its participants (placed in the last batch, whose
3-month monev wave is open now)."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone
from faker import Faker

from kompeten.accounts.models import User
from kompeten.actionplans.models import ActionPlan, Milestone
from kompeten.batching.models import Placement
from kompeten.programs.models import Agency, Batch, Level, Program
from kompeten.programs.services import copy_program
from kompeten.registration import lifecycle
from kompeten.registration.models import Registration, Status

PAST_SUFFIX = "-I"
# The last batch ended about this many weeks before today.
LAST_BATCH_WEEKS_AGO = 18
# The first and the last batches of each of these levels are placed.
PLACED_LEVELS = ("jpt-pratama", "pengawas", "administrator")
BATCHES_PER_END = 2
PER_BATCH = 12
ALUMNI_USERNAME = "alumni"
ALUMNI_NIP = "197905052005012003"
SEED = 2026

PLANS = [
    ("Digitalisasi arsip kepegawaian", [
        ("short", "Inventarisasi arsip kepegawaian", "Daftar arsip per jenis"),
        ("medium", "Pemindaian dan pengunggahan arsip", "Arsip digital di SIASN"),
        ("long", "Evaluasi layanan arsip digital", "Laporan evaluasi"),
    ]),
    ("Percepatan layanan kenaikan pangkat", [
        ("short", "Pemetaan alur layanan kenaikan pangkat", "Peta proses bisnis"),
        ("medium", "Penyusunan SOP layanan daring", "SOP yang ditetapkan"),
        ("long", "Monitoring waktu layanan", "Laporan waktu layanan"),
    ]),
    ("Penyusunan analisis kebutuhan pengembangan kompetensi", [
        ("short", "Penyusunan instrumen analisis kebutuhan", "Instrumen AKP"),
        ("medium", "Pengumpulan data kesenjangan kompetensi", "Data kesenjangan per jabatan"),
        ("long", "Rencana pengembangan kompetensi tahunan", "Dokumen rencana"),
    ]),
    ("Penerapan manajemen kinerja berbasis SKP elektronik", [
        ("short", "Sosialisasi SKP elektronik", "Pegawai memahami e-SKP"),
        ("medium", "Pendampingan penyusunan SKP", "SKP seluruh pegawai unit"),
        ("long", "Evaluasi capaian kinerja unit", "Laporan capaian kinerja"),
    ]),
]
WEEKS = {"short": (1, 4), "medium": (5, 20), "long": (21, 48)}


def past_code(today: dt.date) -> str:
    return f"{_shift_and_year(today)[1]}{PAST_SUFFIX}"


def _source() -> Program:
    return Program.objects.get(code="2019")


def _shift_and_year(today: dt.date) -> tuple[dt.timedelta, int]:
    source = _source()
    last_end = max(source.batches.values_list("end_date", flat=True))
    target = today - dt.timedelta(weeks=LAST_BATCH_WEEKS_AGO)
    shift = dt.timedelta(weeks=(target - last_end).days // 7)
    first = min(source.batches.values_list("start_date", flat=True))
    return shift, (first + shift).year


def find_past_program() -> Program | None:
    return (Program.objects.filter(code__regex=r"^[0-9]{4}" + PAST_SUFFIX + "$")
            .order_by("-year").first())


@transaction.atomic
def past_program(*, today: dt.date | None = None) -> Program:
    """The past programme with its placed officials, created once."""
    found = find_past_program()
    if found is not None:
        return found
    today = today or timezone.localdate()
    shift, year = _shift_and_year(today)
    program = copy_program(source=_source(), year=year, code=f"{year}{PAST_SUFFIX}",
                           shift=shift)
    _populate(program)
    return program


def placed_batches(program: Program) -> list[Batch]:
    chosen = []
    for code in PLACED_LEVELS:
        batches = list(program.batches.filter(level__code=code).order_by("end_date", "number"))
        chosen += batches[:BATCHES_PER_END] + batches[-BATCHES_PER_END:]
    return sorted(set(chosen), key=lambda b: (b.end_date, b.number))


def _populate(program: Program) -> None:
    from kompeten.home.demo_placement import _official

    fake = Faker("id_ID")
    fake.seed_instance(SEED)
    rnd = random.Random(SEED)
    agencies = list(Agency.objects.filter(is_demo=True).order_by("code"))
    nips = {ALUMNI_NIP}
    submitted = timezone.make_aware(dt.datetime(program.year, 3, 1, 9, 0))
    batches = placed_batches(program)
    levels = {level.pk: level for level in Level.objects.all()}
    used: dict[int, int] = {}  # level -> next agency index
    rows, targets = [], []
    for batch in batches:
        level = levels[batch.level_id]
        for _n in range(min(PER_BATCH, batch.capacity)):
            index = used.get(level.pk, 0)
            used[level.pk] = index + 1
            registration = _official(fake, rnd, program=program, agency=agencies[index],
                                     level=level, seat=1, nips=nips, submitted=submitted)
            boss = fake.name()
            registration.mentor_name = boss
            registration.mentor_position = f"Kepala {rnd.choice(['Badan', 'Biro', 'Dinas'])}"
            registration.mentor_email = f"atasan.{registration.nip}@demo.kompeten.example"
            rows.append(registration)
            targets.append(batch)
    # The alumni login: one more official in the last batch.
    last = batches[-1]
    alumni = User.objects.filter(username=ALUMNI_USERNAME).first()
    rows.append(Registration(
        program=program, agency=agencies[used.get(last.level_id, 0)], level=levels[last.level_id],
        seat=1, status=Status.ACCEPTED, nip=ALUMNI_NIP, birth_date=dt.date(1979, 5, 5),
        gender="P", full_name="Dra. Sri Mulyani, M.Si.", plain_name="Sri Mulyani",
        position="Kepala Subbagian Kepegawaian", work_unit="Sekretariat Daerah",
        email="alumni@demo.kompeten.example", mentor_name="Ir. Bambang Wijaya, M.T.",
        mentor_nip="196903121994031004", mentor_position="Sekretaris Daerah",
        mentor_email="bambang.wijaya@demo.kompeten.example", user=alumni,
        registered_at=submitted, submitted_at=submitted))
    targets.append(last)
    created = Registration.objects.bulk_create(rows, batch_size=500)
    lifecycle.log_created(created, reason="demo")
    seats: dict[int, int] = {}
    placements, plans = [], []
    for registration, batch in zip(created, targets, strict=True):
        seats[batch.pk] = seats.get(batch.pk, 0) + 1
        placements.append(Placement(registration=registration, batch=batch,
                                    seat=seats[batch.pk], is_announced=True))
        title, _steps = PLANS[registration.pk % len(PLANS)]
        plans.append(ActionPlan(registration=registration, title=title,
                                background="Kebutuhan organisasi", problem="Layanan lambat",
                                goals="Layanan lebih cepat", benefits="Kinerja unit meningkat"))
    Placement.objects.bulk_create(placements, batch_size=500)
    plans = ActionPlan.objects.bulk_create(plans, batch_size=500)
    milestones = []
    for plan in plans:
        _title, steps = PLANS[plan.registration_id % len(PLANS)]
        for order, (horizon, activity, output) in enumerate(steps, start=1):
            start, end = WEEKS[horizon]
            milestones.append(Milestone(plan=plan, horizon=horizon, order=order,
                                        activity=activity, duration_value=end - start + 1,
                                        duration_unit="week", start_week=start, end_week=end,
                                        output=output))
    Milestone.objects.bulk_create(milestones, batch_size=1000)

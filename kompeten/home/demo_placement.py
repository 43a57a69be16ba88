"""Demo population for batch placement: accepted officials of the demo agencies.

For every level of the programme, each demo agency (``Agency.is_demo``) gets accepted
officials on its free quota seats (1..ProgramQuota.seats_per_agency, seats already taken
by other nominations are skipped) until the level's batch seats are filled. With the
2019 quota of one seat per agency and 319 demo agencies that is 319 Pengawas (450
seats), 319 Administrator (960 seats) and 90 JPT Pratama (90 seats), minus the seats of
officials already accepted. Names come from Faker (id_ID, fixed seed), NIPs are valid
(birth date, CPNS appointment at 23-32, gender digit, serial) and unique in the
programme. About one demo agency in eight gets a date preference. Idempotent: a second
call finds the quota seats taken and creates nothing.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from faker import Faker

from kompeten.batching.models import AgencyDatePreference
from kompeten.programs.models import Agency, Level, Program, ProgramQuota
from kompeten.registration import lifecycle
from kompeten.registration.identity import plain_name
from kompeten.registration.models import Registration, Status

DEMO_SEED = 2019
PREFERENCE_EVERY = 8

POSITIONS = {
    "pengawas": ["Kepala Subbagian Kepegawaian", "Kepala Subbidang Pengembangan Kompetensi",
                 "Kepala Seksi Mutasi Pegawai", "Kepala Subbidang Formasi dan Pengadaan",
                 "Kepala Seksi Kinerja dan Disiplin Pegawai"],
    "administrator": ["Kepala Bagian Kepegawaian", "Kepala Bidang Pengembangan Aparatur",
                      "Kepala Bidang Mutasi dan Promosi", "Kepala Bidang Informasi Kepegawaian"],
    "jpt-pratama": ["Kepala Badan Kepegawaian dan Pengembangan SDM",
                    "Kepala Biro Sumber Daya Manusia", "Sekretaris Daerah"],
}
PREFIXES = ["", "", "", "Drs. ", "Dr. ", "Ir. ", "H. "]
SUFFIXES = [", S.E.", ", S.Sos.", ", S.H.", ", M.Si.", ", M.M.", ", S.Kom.", ", M.AP.",
            ", S.IP.", ""]


def _windows(program: Program) -> list[tuple[dt.date, dt.date]]:
    """Two overlapping windows: up to the batch two thirds through the schedule, and
    from the batch one third through it (for 2019: 6 May-6 Aug and 5 Jul-16 Aug)."""
    dates = sorted(program.batches.values_list("start_date", "end_date"))
    if not dates:
        return []
    third = len(dates) // 3
    return [(dates[0][0], dates[-third - 1][1]), (dates[third][0], max(e for _s, e in dates))]


@transaction.atomic
def load_demo_population(*, program: Program) -> dict[str, int]:
    """Create the accepted demo officials and preferences; return what was created."""
    fake = Faker("id_ID")
    fake.seed_instance(DEMO_SEED)
    rnd = random.Random(DEMO_SEED)
    agencies = list(Agency.objects.filter(is_demo=True).order_by("code"))
    quotas = dict(ProgramQuota.objects.filter(program=program)
                  .values_list("level_id", "seats_per_agency"))
    taken = set(Registration.objects.filter(program=program).exclude(status=Status.DECLINED)
                .values_list("agency_id", "level_id", "seat"))
    nips = set(Registration.objects.filter(program=program).values_list("nip", flat=True))
    submitted = timezone.make_aware(dt.datetime(program.year, 4, 1, 9, 0))
    created: dict[str, int] = {}
    rows = []
    for level in Level.objects.order_by("order"):
        seats = program.batches.filter(level=level).aggregate(n=Sum("capacity"))["n"] or 0
        accepted = Registration.objects.filter(program=program, level=level,
                                               status=Status.ACCEPTED).count()
        wanted = max(0, seats - accepted)
        made = 0
        for agency in agencies:
            for seat in range(1, quotas.get(level.pk, 0) + 1):
                if made >= wanted:
                    break
                if (agency.pk, level.pk, seat) in taken:
                    continue
                rows.append(_official(fake, rnd, program=program, agency=agency, level=level,
                                      seat=seat, nips=nips,
                                      submitted=submitted + dt.timedelta(minutes=len(rows))))
                made += 1
        created[level.code] = made
    lifecycle.log_created(Registration.objects.bulk_create(rows, batch_size=1000),
                          reason="demo")

    windows = _windows(program)
    with_preference = {a for a in AgencyDatePreference.objects.filter(program=program)
                       .values_list("agency_id", flat=True)}
    preferences = [
        AgencyDatePreference(program=program, agency=agency, earliest=windows[i % 2][0],
                             latest=windows[i % 2][1])
        for i, agency in enumerate(agencies[::PREFERENCE_EVERY])
        if windows and agency.pk not in with_preference]
    AgencyDatePreference.objects.bulk_create(preferences)
    created["preferences"] = len(preferences)
    return created


def _official(fake: Faker, rnd: random.Random, *, program: Program, agency: Agency,
              level: Level, seat: int, nips: set[str], submitted: dt.datetime) -> Registration:
    female = rnd.random() < 0.45
    while True:
        birth = dt.date(rnd.randint(1963, 1990), rnd.randint(1, 12), rnd.randint(1, 28))
        appointed = (birth.year + rnd.randint(23, 32), rnd.randint(1, 12))
        nip = (f"{birth:%Y%m%d}{appointed[0]:04d}{appointed[1]:02d}{2 if female else 1}"
               f"{rnd.randint(1, 999):03d}")
        if nip not in nips and appointed[0] <= program.year:
            nips.add(nip)
            break
    first = fake.first_name_female() if female else fake.first_name_male()
    prefix = rnd.choice(PREFIXES)
    if female:
        prefix = {"Drs. ": "Dra. ", "H. ": "Hj. "}.get(prefix, prefix)
    name = f"{prefix}{first} {fake.last_name()}{rnd.choice(SUFFIXES)}"
    return Registration(
        program=program, agency=agency, level=level, seat=seat, status=Status.ACCEPTED,
        nip=nip, birth_date=birth, gender="P" if female else "L", full_name=name,
        plain_name=plain_name(name), position=rnd.choice(POSITIONS.get(level.code, ["Kepala"])),
        work_unit=agency.name, email=f"{nip}@demo.kompeten.example",
        registered_at=submitted, submitted_at=submitted)

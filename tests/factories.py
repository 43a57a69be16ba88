"""Factories for the tests: programmes, batches, accepted and submitted officials, placements.

Plain functions that write straight to the database, skipping the pages and services that
the tests of those pages and services exercise.
"""

import datetime as dt
import itertools

from django.utils import timezone

from kompeten.actionplans.models import ActionPlan, Milestone
from kompeten.batching.models import Placement
from kompeten.common.models import StoredFile
from kompeten.participants.models import Document, WorkHistoryEntry
from kompeten.programs.models import Agency, AgencyKind, Batch, Level, Program
from kompeten.programs.services import load_reference_data
from kompeten.registration.models import Registration
from kompeten.review.models import Submission

# -- batch placement ------------------------------------------------------------------
D = dt.date
_seq = itertools.count(1)


def levels() -> tuple[Level, Level]:
    load_reference_data()
    return Level.objects.get(code="pengawas"), Level.objects.get(code="administrator")


def new_program() -> Program:
    n = next(_seq)
    return Program.objects.create(code=f"uji-{2100 + n}", year=2100 + n,
                                  name=f"Uji Penempatan {n}",
                                  signatory_name="Dr. Uji", signatory_nip="196102121985091001",
                                  signatory_title="Kepala Pusat")


def batch(program: Program, level: Level, number: int, start: dt.date, *, capacity: int = 30,
          days: int = 1) -> Batch:
    return Batch.objects.create(program=program, level=level, number=number, start_date=start,
                                end_date=start + dt.timedelta(days=days), capacity=capacity)


def agency(name: str | None = None) -> Agency:
    n = next(_seq)
    return Agency.objects.create(code=f"T-{n}", name=name or f"Instansi Uji {n}",
                                 kind=AgencyKind.KL_PUSAT)


def accepted(program: Program, level: Level, agency: Agency, count: int = 1, *,
             status: str = "accepted") -> list[Registration]:
    """Officials of the agency, their files completed one second apart (in this order)."""
    rows = []
    base = timezone.now()
    for _ in range(count):
        n = next(_seq)
        birth = D(1970, 1, 1) + dt.timedelta(days=n)
        rows.append(Registration(
            program=program, agency=agency, level=level, seat=10000 + n % 20000, status=status,
            nip=f"{birth:%Y%m%d}199801{1 + n % 2}{n % 1000:03d}", birth_date=birth,
            gender="L" if n % 2 == 0 else "P", full_name=f"Pejabat Uji {n}, S.E.",
            plain_name=f"Pejabat Uji {n}", position="Kepala Seksi",
            email=f"uji{n}@instansi.test", submitted_at=base + dt.timedelta(seconds=n)))
    return Registration.objects.bulk_create(rows)


def seats(program: Program) -> dict[int, tuple[int | None, int | None]]:
    """registration id -> (batch number or None, seat)."""
    return {rid: (number, seat) for rid, number, seat in
            Placement.objects.filter(registration__program=program)
            .values_list("registration_id", "batch__number", "seat")}


# -- review: submitted files -----------------------------------------------------------
PLAN = {
    "title": "Penerapan Sistem Merit dalam Pengembangan Kompetensi",
    "background": "Pengembangan kompetensi belum terencana\nData kebutuhan belum lengkap",
    "problem": "Belum ada analisis kebutuhan pengembangan kompetensi.",
    "goals": "Menyusun analisis kebutuhan\nMenyusun rencana pengembangan",
    "benefits": "Pengembangan tepat sasaran",
    "milestones": [
        {"horizon": "short", "activity": "Identifikasi kebutuhan", "duration_value": 4,
         "duration_unit": "week", "start_week": 1, "end_week": 4, "output": "Daftar kebutuhan"},
        {"horizon": "medium", "activity": "Menyusun rencana", "duration_value": 2,
         "duration_unit": "month", "start_week": 5, "end_week": 13, "output": "Dokumen rencana"},
        {"horizon": "long", "activity": "Melaksanakan dan evaluasi", "duration_value": 6,
         "duration_unit": "month", "start_week": 14, "end_week": 40, "output": "Laporan"},
    ],
}


def snapshot_for(full_name: str, nip: str, **changes) -> dict:
    data = {
        "profile": {"full_name": full_name, "nip": nip, "position": "Kepala Biro SDM",
                    "work_unit": "Biro SDM", "email": "peserta@example.test",
                    "phone": "+6281310713132", "mentor_name": "Ir. Budi Santoso",
                    "mentor_nip": "", "mentor_position": "Sekretaris Daerah",
                    "mentor_email": "budi@example.test"},
        "work_history": [{"position": "Kepala Biro SDM", "unit": "Sekretariat Daerah",
                          "start_date": "2016-01-04", "end_date": None,
                          "duties": "Mengelola kepegawaian"}],
        "documents": [{"kind": "sp", "stored_file": 999999, "name": "surat-perintah.pdf"}],
        "action_plan": PLAN,
    }
    data.update(changes)
    return data


def nip_for(index: int, gender: str = "2") -> str:
    """A valid-looking, distinct 18-digit NIP."""
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=index * 7 % 9000)
    return f"{birth:%Y%m%d}200001{gender}{index % 1000:03d}"


def submitted_file(*, program, agency, level_code: str = "jpt-pratama", seat: int = 1,
                   nip: str = "198207142008012001", full_name: str = "Dr. Rina Wulandari, S.E.",
                   submitted_at: dt.datetime | None = None, snapshot: dict | None = None,
                   **fields) -> Registration:
    """A registration in status submitted with its Submission v1."""
    submitted_at = submitted_at or timezone.now()
    registration = Registration.objects.create(
        program=program, agency=agency, level=Level.objects.get(code=level_code), seat=seat,
        status="submitted", nip=nip, birth_date=dt.date(1982, 7, 14), gender="P",
        full_name=full_name, plain_name=full_name.replace("Dr. ", "").split(",")[0],
        position="Kepala Biro SDM", email=f"{nip}@example.test", submitted_at=submitted_at,
        **fields)
    Submission.objects.create(registration=registration, number=1, submitted_at=submitted_at,
                              snapshot=snapshot or snapshot_for(full_name, nip))
    return registration


def complete(registration: Registration, *, user_id=None) -> Registration:
    """Give a registered file everything the checklist asks for, so it can be submitted."""
    registration.phone = "+6281310713132"
    registration.mentor_name = "Ir. Budi Santoso"
    registration.mentor_email = "budi@example.test"
    registration.save()
    if not registration.work_history.exists():
        WorkHistoryEntry.objects.create(registration=registration, position="Kepala Subbidang",
                                        unit="BKD", start_date=dt.date(2015, 1, 5))
    ActionPlan.objects.filter(registration=registration).delete()
    plan = ActionPlan.objects.create(
        registration=registration, **{k: v for k, v in PLAN.items() if k != "milestones"})
    for order, m in enumerate(PLAN["milestones"], start=1):
        Milestone.objects.create(plan=plan, order=order, **m)
    present = set(registration.documents.filter(is_current=True).values_list("kind", flat=True))
    for kind in {"sp", "bpjs", "photo", "portfolio"} - present:
        stored = StoredFile.objects.create(file=f"uploads/{kind}.pdf",
                                           original_name=f"{kind}.pdf",
                                           content_type="application/pdf", size=10, sha256="0")
        Document.objects.create(registration=registration, kind=kind, stored=stored)
    return registration


# -- topic groups: accepted participants with plans, placed by hand ----------------------
# One synthetic plan per topic code (title; problem; goals).
PLANS = {
    "perencanaan": ("Penyusunan formasi dan analisis kebutuhan pegawai",
                    "Formasi tidak sesuai peta jabatan", "Formasi sesuai kebutuhan"),
    "pengadaan": ("Optimalisasi seleksi CPNS dan PPPK berbasis CAT",
                  "Seleksi calon pegawai lambat", "Rekrutmen transparan"),
    "pengembangan-kompetensi": ("Implementasi coaching dan mentoring",
                                "Anggaran pelatihan terbatas",
                                "Pengembangan kompetensi pengelola kepegawaian"),
    "kinerja": ("Penilaian SKP pegawai", "Target kinerja tidak terukur",
                "Capaian kinerja dinilai tepat waktu"),
    "disiplin": ("Penegakan disiplin dan hukuman disiplin PNS",
                 "Pelanggaran disiplin tidak ditindak", "Sanksi dijatuhkan sesuai aturan"),
    "karier": ("Percepatan kenaikan pangkat dan pola karier jabatan fungsional",
               "Kenaikan pangkat terlambat", "Jalur karier jelas"),
    "sistem-informasi": ("Pemutakhiran data kepegawaian melalui aplikasi SIASN",
                         "Data kepegawaian tidak mutakhir", "Data terintegrasi dalam aplikasi"),
}

# Quota seats and NIPs far from those of the `world` fixture.
_serial = itertools.count(1000)


def ministry(code: str = "TOPIK") -> Agency:
    """One ministry per code (the same one on every call)."""
    return Agency.objects.get_or_create(
        code=code, defaults={"name": f"Kementerian {code.title()}", "kind": AgencyKind.KL_PUSAT,
                             "email": f"{code.lower()}@kementerian.example"})[0]


def participant(*, program, level, agency, plan: tuple[str, str, str] | None,
                full_name: str | None = None, gender: str = "L",
                phone: str = "0812-0000-0000") -> Registration:
    serial = next(_serial)
    nip = f"1980010120{serial:08d}"
    name = full_name or f"Peserta Uji {serial}"
    registration = Registration.objects.create(
        program=program, agency=agency, level=level, seat=serial, status="accepted", nip=nip,
        birth_date=dt.date(1980, 1, 1), gender=gender, full_name=f"Drs. {name}, M.Si.",
        plain_name=name, position="Kepala Subbidang Kepegawaian", phone=phone,
        email=f"peserta{serial}@instansi.example")
    if plan is not None:
        title, problem, goals = plan
        ActionPlan.objects.create(registration=registration, title=title, background="-",
                                  problem=problem, goals=goals, benefits="-")
    return registration


def place(registration: Registration, batch, seat: int) -> Placement:
    return Placement.objects.create(registration=registration, batch=batch, seat=seat)


def fill_batch(*, batch, agency, plans: list[tuple[str, str, str] | None],
               first_seat: int = 1) -> list[Placement]:
    return [place(participant(program=batch.program, level=batch.level, agency=agency,
                              plan=plan), batch, seat)
            for seat, plan in enumerate(plans, first_seat)]


def announce_batches(world: dict) -> dict:
    """One official of agency A in each of batches 1..12 of the world's programme, grouped and
    announced (the public class lists); the world with "people" (batch number -> placement)
    and "organiser"."""
    from django.core.cache import cache

    from kompeten.accounts.models import Role
    from kompeten.batching.models import Placement
    from kompeten.classroom import publication
    from kompeten.rumpun import topics

    cache.clear()
    program = world["program"]
    Placement.objects.all().delete()
    people = {number: fill_batch(batch=program.batches.get(number=number),
                                 agency=world["agency_a"], plans=[PLANS["kinerja"]])[0]
              for number in range(1, 13)}
    topics.propose_groups(program=program)
    publication.publish(program=program, by=world["users"][Role.ORGANISER])
    return {**world, "people": people, "organiser": world["users"][Role.ORGANISER]}

"""Accepted participants with action plans, placed straight into batches (no batching code)."""

import datetime as dt
import itertools

from kompeten.actionplans.models import ActionPlan
from kompeten.batching.models import Placement
from kompeten.programs.models import Agency, AgencyKind
from kompeten.registration.models import Registration

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


def agency(code: str = "TOPIK") -> Agency:
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

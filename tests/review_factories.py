"""Small factories for review tests: submitted files without going through every upload."""

import datetime as dt

from django.utils import timezone

from kompeten.actionplans.models import ActionPlan, Milestone
from kompeten.common.models import StoredFile
from kompeten.participants.models import Document, WorkHistoryEntry
from kompeten.programs.models import Level
from kompeten.registration.models import Registration
from kompeten.review.models import Submission

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

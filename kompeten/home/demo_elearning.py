"""E-learning in the demo: the demo participant ("peserta", Pengawas) accepted and placed in
the first Pengawas batch of the current programme with nine generated colleagues, a PDF
material per module, some progress, resumes and a forum thread. Idempotent."""

import datetime as dt
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from faker import Faker
from PIL import Image, ImageDraw
from reportlab.lib.styles import ParagraphStyle

from kompeten import pdfkit
from kompeten.access.models import BatchStaff
from kompeten.access.services import assign_staff
from kompeten.accounts.models import Role, User
from kompeten.batching.models import Placement
from kompeten.elearning import services
from kompeten.elearning.models import Material, MaterialDownload, Resume, ResumeStatus, StudyMark
from kompeten.home.demo_registrations import PENGAWAS
from kompeten.participants.document_services import replace_document
from kompeten.participants.models import REQUIRED_DOCUMENTS, DocumentKind
from kompeten.participants.work_history_services import Position, add_work_history_entry
from kompeten.programs.models import Level, Program, ProgramModule, StageDate, StageKind
from kompeten.programs.selectors import qualification_for
from kompeten.registration import lifecycle
from kompeten.registration.identity import plain_name
from kompeten.registration.models import Registration, Status

COLLEAGUES = 9
DEMO_SEED = 2019
VIDEO_URL = "https://www.youtube.com/@BKNgoidofficial"
RESUME = ("Modul ini menjelaskan manajemen ASN berbasis sistem merit: kebijakan dan manajemen "
          "berdasarkan kualifikasi, kompetensi dan kinerja secara adil dan wajar tanpa "
          "membedakan latar belakang politik, ras, warna kulit, agama, asal usul, jenis kelamin, "
          "status pernikahan, umur atau kondisi kecacatan. Di instansi saya, langkah pertama "
          "adalah memetakan jabatan dan kompetensi pegawai serta menyusun talent pool.")


def module_pdf(*, program: Program, module: ProgramModule) -> bytes:
    s = pdfkit.styles(size=11)
    body = ParagraphStyle("demo-body", parent=s["justify"], spaceAfter=6)
    return pdfkit.build([
        pdfkit.para(f"Modul {module.order}", s["subtitle"]),
        pdfkit.para(module.title, s["title"]),
        pdfkit.para(f"{program.name} {program.year}", s["subtitle"]),
        pdfkit.para("Bahan bacaan e-learning (contoh demo)", s["section"]),
        pdfkit.para("Pelajari bahan ini secara mandiri sebelum pelatihan klasikal, ikuti forum "
                    "diskusi angkatan Anda, lalu unggah resume modul ini (diketik atau berkas "
                    "PDF/DOCX).", body),
        pdfkit.para("Tujuan pembelajaran: peserta mampu menjelaskan konsep utama modul dan "
                    "menerapkannya dalam rencana tindak lanjut di instansi masing-masing.",
                    body),
    ], title=module.title, subject="E-learning")


def _open_elearning_today(*, program: Program, level: Level, today: dt.date) -> None:
    """The demo opens the level's e-learning stage today, so the page can be seen now (in a
    real programme it opens the week before the level's first batch)."""
    stage = program.stages.filter(kind=StageKind.ELEARNING).order_by("number").first()
    if stage is None:
        return
    own = StageDate.objects.filter(stage=stage, level=level).first()
    start, end = (own.date, own.end_date) if own else (stage.date, stage.end_date)
    StageDate.objects.update_or_create(stage=stage, level=level, defaults={
        "date": min(start, today), "end_date": max(end, today)})


def _demo_photo() -> bytes:
    """A 3x4 portrait on a red background, as the letter asks."""
    image = Image.new("RGB", (300, 400), (200, 16, 46))
    ImageDraw.Draw(image).ellipse((90, 70, 210, 210), fill=(236, 200, 170))
    ImageDraw.Draw(image).rectangle((60, 230, 240, 400), fill=(30, 50, 90))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _complete_file(registration: Registration) -> None:
    """The demo participant's work history and the four required documents, entered through
    the services as the participant would (so the checklist is complete before acceptance)."""
    user = registration.user
    if not registration.work_history.exists():
        add_work_history_entry(registration=registration, by=user, entry=Position(
            position=registration.position or "Kepala Subbidang",
            unit=registration.work_unit or registration.agency.name,
            start_date=dt.date(2015, 1, 5)))
    present = set(registration.documents.filter(is_current=True).values_list("kind", flat=True))
    s = pdfkit.styles(size=11)
    for kind in REQUIRED_DOCUMENTS:
        if kind in present:
            continue
        if kind == DocumentKind.PHOTO:
            upload = SimpleUploadedFile("pas-foto.png", _demo_photo(), "image/png")
        else:
            label = str(DocumentKind(kind).label)
            data = pdfkit.build([pdfkit.para(label, s["title"]),
                                 pdfkit.para(f"{registration.full_name} — dokumen contoh demo",
                                             s["subtitle"])], title=label)
            upload = SimpleUploadedFile(f"{kind}.pdf", data, "application/pdf")
        replace_document(registration=registration, kind=kind, upload=upload, by=user)


@transaction.atomic
def load_demo_elearning(*, program: Program) -> bool:
    """Returns whether anything was created."""
    registration = Registration.objects.filter(program=program, nip=PENGAWAS.nip).first()
    if registration is None or registration.user is None:
        return False
    if Placement.objects.filter(registration=registration).exists():
        return False
    level = registration.level
    batch = program.batches.filter(level=level).order_by("start_date", "number").first()
    if batch is None:
        return False
    today = timezone.localdate()
    _open_elearning_today(program=program, level=level, today=today)
    organiser = User.objects.filter(role=Role.ORGANISER).order_by("pk").first()
    _complete_file(registration)
    lifecycle.transition(registration=registration, name="submit", by=registration.user,
                         reason="demo")
    lifecycle.transition(registration=registration, name="accept", by=organiser,
                         reason="demo", changes={"qualification": qualification_for(
                             program=program, level=level, agency=registration.agency)})
    Placement.objects.create(registration=registration, batch=batch, seat=1)
    colleagues = _colleagues(program=program, registration=registration, batch=batch)

    organiser = User.objects.filter(role=Role.ORGANISER).order_by("pk").first()
    facilitator = User.objects.filter(username="fasilitator").first()
    if facilitator is not None and not BatchStaff.objects.filter(batch=batch,
                                                                 user=facilitator).exists():
        assign_staff(batch=batch, user=facilitator)  # the demo facilitator serves this batch
    modules = list(ProgramModule.objects.filter(program=program, level=level))
    materials = []
    for module in modules:
        if Material.objects.filter(module=module).exists():
            materials.append(Material.objects.filter(module=module).first())
            continue
        upload = SimpleUploadedFile(f"modul-{module.order}.pdf",
                                    module_pdf(program=program, module=module))
        materials.append(services.add_material(module=module, title=f"Bahan bacaan modul "
                                               f"{module.order}", kind="file", by=organiser,
                                               upload=upload))
    if modules:
        services.add_material(module=modules[0], title="Video pengantar", kind="link",
                              by=organiser, url=VIDEO_URL)

    user = registration.user
    for material in materials[:2]:
        version = material.versions.order_by("-number").first()
        services.record_download(version=version, registration=registration)
        services.mark_studied(material=material, by=user)
    if modules:
        first = services.submit_resume(module=modules[0], by=user, text=RESUME)
        if facilitator is not None:
            services.review_resume(resume=first, by=facilitator, accept=True,
                                   comment="Resume baik; contoh dari instansi jelas.")
    if len(modules) > 1:
        services.submit_resume(module=modules[1], by=user, text=RESUME)

    rnd = random.Random(DEMO_SEED)
    for colleague in colleagues:
        done = rnd.randint(0, len(modules))
        for material in Material.objects.filter(module__in=modules[:done]):
            version = material.versions.order_by("-number").first()
            MaterialDownload.objects.create(version=version, registration=colleague)
            StudyMark.objects.create(registration=colleague, material=material, version=version)
        for module in modules[:done]:
            Resume.objects.create(registration=colleague, module=module, text=RESUME,
                                  status=ResumeStatus.ACCEPTED if rnd.random() < 0.5
                                  else ResumeStatus.SUBMITTED)

    if modules:
        thread = services.start_thread(
            batch=batch, module=modules[0], title="Sistem merit di instansi daerah",
            body="Bagaimana menerapkan sistem merit bila jabatan di instansi kami belum "
                 "dipetakan kompetensinya?", by=user)
        if facilitator is not None:
            services.reply(thread=thread, by=facilitator, quote=thread.posts.first(),
                           body="Mulailah dari peta jabatan dan standar kompetensi jabatan; "
                                "modul 1 halaman 2 memberi langkah-langkahnya. Kita bahas "
                                "contohnya di kelas.")
        services.reply(thread=thread, by=user, body="Terima kasih, akan saya siapkan datanya.")
    return True


def _colleagues(*, program: Program, registration: Registration, batch) -> list[Registration]:
    fake = Faker("id_ID")
    fake.seed_instance(DEMO_SEED + batch.number)
    rows = []
    taken = set(Registration.objects.filter(program=program).values_list("nip", flat=True))
    for n in range(COLLEAGUES):
        nip = f"198501{n + 1:02d}2010011{n + 1:03d}"  # born 1985-01-0n, appointed 2010-01
        if nip in taken:
            continue
        name = f"{fake.first_name()} {fake.last_name()}, S.Sos."
        rows.append(Registration(
            program=program, agency=registration.agency, level=registration.level,
            seat=200 + n, status=Status.ACCEPTED, nip=nip, birth_date=dt.date(1985, 1, n + 1),
            gender="L", full_name=name, plain_name=plain_name(name),
            position="Kepala Subbagian Kepegawaian", work_unit=registration.agency.name,
            email=f"{nip}@demo.kompeten.example"))
    created = Registration.objects.bulk_create(rows)
    for seat, colleague in enumerate(created, start=2):
        Placement.objects.create(registration=colleague, batch=batch, seat=seat)
    return created

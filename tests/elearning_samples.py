"""E-learning objects for tests: a placed participant, a material, a thread, a resume, and
small real DOCX/PPTX files."""

import io
import zipfile

from kompeten.accounts.models import Role
from kompeten.batching.models import Placement
from kompeten.programs.models import ProgramModule
from tests.upload_samples import pdf_bytes, upload

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
PPTX_MAIN = ("application/vnd.openxmlformats-officedocument.presentationml.presentation.main"
             "+xml")


def ooxml_bytes(main_type: str = DOCX_MAIN, part: str = "word/document.xml",
                extra: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="xml" ContentType="application'
            f'/xml"/><Override PartName="/{part}" ContentType="{main_type}"/></Types>'))
        archive.writestr(part, "<document>Resume modul</document>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def docx_bytes() -> bytes:
    return ooxml_bytes()


def pptx_bytes() -> bytes:
    return ooxml_bytes(PPTX_MAIN, "ppt/presentation.xml")


RESUME_TEXT = ("Modul ini membahas manajemen ASN berbasis sistem merit: perencanaan kebutuhan, "
               "pengadaan, pengembangan kompetensi, penilaian kinerja dan promosi yang adil. ") * 3


def place(registration, batch, seat: int = 1) -> Placement:
    return Placement.objects.create(registration=registration, batch=batch, seat=seat)


def matrix_elearning(ctx: dict) -> dict:
    """ctx["registration"] placed in batch 4 (Pengawas) with a material, a thread and a PDF
    resume on the first module; created once per test (access matrix)."""
    if "elearning" not in ctx:
        from kompeten.elearning import services

        users = ctx["users"]
        batch = ctx["program"].batches.get(number=4)
        # another route's sample may have placed the participant already (the crawl of
        # bench/pages.py makes every route's samples in one world)
        if not Placement.objects.filter(registration=ctx["registration"]).exists():
            place(ctx["registration"], batch, seat=1)
        module = ProgramModule.objects.filter(program=ctx["program"], level=batch.level).first()
        material = services.add_material(module=module, title="Bahan tayang", kind="file",
                                         by=users[Role.ORGANISER],
                                         upload=upload("bahan.pdf", pdf_bytes()))
        thread = services.start_thread(batch=batch, module=module, title="Pertanyaan",
                                       body="Apa itu sistem merit?",
                                       by=users[Role.PARTICIPANT])
        resume = services.submit_resume(module=module, by=users[Role.PARTICIPANT],
                                         upload=upload("resume.pdf", pdf_bytes("Resume")))
        ctx["elearning"] = {"batch": batch, "module": module, "material": material,
                            "version": material.versions.get(), "thread": thread,
                            "resume": resume, "post": thread.posts.get()}
    return ctx["elearning"]

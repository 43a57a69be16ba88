"""Small real files, generated in memory, for the upload tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def pdf_bytes(text: str = "Surat perintah") -> bytes:
    """A minimal, well-formed one-page PDF."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
    ]
    stream = f"BT /F1 12 Tf 72 770 Td ({text}) Tj ET".encode()
    objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (300, 400),
                color: tuple[int, int, int] = (200, 20, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt)
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"
           ) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def matrix_document(ctx: dict):
    """The participant's SP on ctx["registration"], created once per test (access matrix)."""
    if "document" not in ctx:
        from kompeten.accounts.models import Role
        from kompeten.participants.document_services import replace_document

        ctx["document"] = replace_document(
            registration=ctx["registration"], kind="sp", upload=upload("sp.pdf", pdf_bytes()),
            by=ctx["users"][Role.PARTICIPANT])
    return ctx["document"]


def matrix_work_history_entry(ctx: dict):
    """One position on ctx["registration"], created once per test (access matrix)."""
    if "work_history_entry" not in ctx:
        import datetime as dt

        from kompeten.accounts.models import Role
        from kompeten.participants.work_history_services import Position, add_work_history_entry

        ctx["work_history_entry"] = add_work_history_entry(
            registration=ctx["registration"], by=ctx["users"][Role.PARTICIPANT],
            entry=Position(position="Kepala Subbidang", unit="BKD Provinsi Aceh",
                           start_date=dt.date(2015, 1, 1)))
    return ctx["work_history_entry"]

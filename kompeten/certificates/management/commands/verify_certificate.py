"""Check a certificate PDF: its signature (against the configured trust roots) and the
status of the certificate it belongs to (found by the id in its metadata)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kompeten.certificates import integration
from kompeten.certificates.models import Certificate
from kompeten.certificates.render import KEYWORD


def certificate_in(data: bytes) -> Certificate | None:
    from io import BytesIO

    from pypdf import PdfReader

    try:
        info = PdfReader(BytesIO(data)).metadata or {}
    except Exception:  # noqa: BLE001 - an unreadable file has no certificate
        return None
    keywords, subject = str(info.get("/Keywords", "")), str(info.get("/Subject", ""))
    if keywords.startswith(KEYWORD):
        found = Certificate.objects.filter(public_id=keywords[len(KEYWORD):]).first()
        if found:
            return found
    return Certificate.objects.filter(number=subject).order_by("-version").first() if (
        subject) else None


class Command(BaseCommand):
    help = "Periksa tanda tangan PDF sertifikat dan status sertifikatnya."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Berkas {file} tidak ada.")
        data = path.read_bytes()
        check = integration.check(data)
        self.stdout.write(f"Tanda tangan: {check.summary}")
        certificate = certificate_in(data)
        if certificate is None:
            self.stdout.write("Sertifikat: TIDAK DITEMUKAN")
            raise CommandError("Berkas ini bukan sertifikat yang tercatat.")
        self.stdout.write(f"Sertifikat: {certificate.number} · {certificate.full_name} · "
                          f"{certificate.get_kind_display()}")
        if certificate.revoked_at:
            self.stdout.write(f"Status: DICABUT {certificate.revoked_at:%Y-%m-%d} "
                              f"({certificate.revoke_reason})")
        else:
            self.stdout.write("Status: VALID")
        if check.signed and not check.intact:
            raise CommandError("Isi berkas berubah setelah ditandatangani.")

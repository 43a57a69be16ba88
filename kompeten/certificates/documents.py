"""From certificate records to PDFs: the facts each page shows, the participants' photos
(their current registration document), the stored and signed per-certificate PDF and the
print-ready batch PDF."""

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from kompeten.certificates import integration
from kompeten.certificates.eligibility import policy_for
from kompeten.certificates.models import Certificate, Kind
from kompeten.certificates.render import CertificateFacts, render, tanggal
from kompeten.common.storage import private_storage
from kompeten.participants.models import Document, DocumentKind
from kompeten.programs.selectors import total_jp

SIGN_REASON = "Sertifikat Pusbang ASN BKN"


def verify_url(public_id: str) -> str:
    return settings.SITE_URL + reverse("certificates:verify", args=[public_id])


def period(batch) -> str:
    if batch is None:
        return ""
    start, end = batch.start_date, batch.end_date
    if start == end:
        return tanggal(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{tanggal(end)}"
    return f"{tanggal(start)} – {tanggal(end)}"


def photos(registration_ids) -> dict[int, bytes]:
    """registration id → the bytes of the current photo (one query, then the files)."""
    found = {}
    for document in Document.objects.filter(
            registration_id__in=list(registration_ids), kind=DocumentKind.PHOTO,
            is_current=True).select_related("stored"):
        try:
            with private_storage().open(document.stored.file.name, "rb") as handle:
                found[document.registration_id] = handle.read()
        except OSError:
            continue
    return found


def facts(certificate: Certificate, *, photo: bytes | None, jp: int,
          english: bool, scheme: str) -> CertificateFacts:
    return CertificateFacts(
        kind=certificate.kind, number=certificate.number, public_id=certificate.public_id,
        full_name=certificate.full_name, nip=certificate.nip,
        qualification=certificate.qualification_name, level=certificate.level_name,
        issued_on=timezone.localdate(certificate.issued_at),
        verify_url=verify_url(certificate.public_id),
        signatory_name=certificate.signatory_name, signatory_title=certificate.signatory_title,
        signatory_nip=certificate.signatory_nip, place=certificate.place, scheme=scheme,
        english=english, units=tuple((u["code"], u["title"]) for u in certificate.units),
        units_k=certificate.units_k, units_total=certificate.units_total,
        period=period(certificate.batch), jp=jp if certificate.kind == Kind.TRAINING else 0,
        photo=photo)


def facts_for(certificates: list[Certificate]) -> list[CertificateFacts]:
    """Facts of several certificates of one programme (a fixed number of queries)."""
    if not certificates:
        return []
    program = certificates[0].program
    policy = policy_for(program)
    jp = total_jp(program=program)
    found = photos({c.registration_id for c in certificates})
    return [facts(c, photo=found.get(c.registration_id), jp=jp,
                  english=policy.english_lines, scheme=policy.scheme) for c in certificates]


def store_pdf(certificate: Certificate, data: bytes, *, signed: bool) -> None:
    """Store the certificate's own (signed) PDF."""
    name = private_storage().save(
        f"certificates/{certificate.program_id}/{certificate.public_id}.pdf",
        ContentFile(data))
    Certificate.objects.filter(pk=certificate.pk).update(
        pdf=name, pdf_sha256=hashlib.sha256(data).hexdigest(), is_signed=signed)
    certificate.pdf.name, certificate.is_signed = name, signed
    certificate.pdf_sha256 = hashlib.sha256(data).hexdigest()


def produce(certificates: list[Certificate], *, passphrase: str | None = None) -> None:
    """Render, sign (on both cores for many) and store the PDFs of certificates that have
    none yet."""
    missing = [c for c in certificates if not c.pdf]
    pdfs = [render([one]) for one in facts_for(missing)]
    for certificate, (data, signed) in zip(missing, integration.sign_all(
            pdfs, reason=SIGN_REASON, passphrase=passphrase), strict=True):
        store_pdf(certificate, data, signed=signed)


def read_pdf(certificate: Certificate) -> bytes | None:
    if not certificate.pdf:
        return None
    try:
        with private_storage().open(certificate.pdf.name, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def batch_pdf(certificates: list[Certificate], *, title: str) -> bytes:
    """One print-ready PDF of many certificates (unsigned: for the ceremony's printer)."""
    return render(facts_for(certificates), title=title)

"""PAdES signatures of PDF files: sign_pdf, sign_many and verify_pdf.

sign_pdf makes a PAdES baseline B-B signature (ETSI.CAdES.detached, SHA-256, the signer's
certificate chain embedded, no visible field) with the institution's key (kompeten.signing
.keys), or, with CERT_SIGNER="remote", has a BSrE-style signing service make it
(kompeten.signing.remote). verify_pdf checks a PDF's signatures against the trust roots.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import SigSeedSubFilter, enumerate_sig_fields
from pyhanko.sign.general import SigningError as PyHankoSigningError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from kompeten.signing import keys
from kompeten.signing.signer import local_signer

logger = logging.getLogger(__name__)


class SigningError(Exception):
    """A PDF could not be signed; the message is safe to show (it never holds a passphrase)."""


@dataclass(frozen=True)
class PdfCheck:
    signed: bool
    # Every signature's digest matches and the last one covers the whole file (or only
    # signature / validation-data updates follow it).
    intact: bool
    # The signer's certificate chains to a trust root (CERT_TRUST_ROOTS or the demo root).
    trusted: bool
    signer_name: str
    signed_at: datetime | None
    summary: str
    issuer_name: str = ""
    serial: str = ""
    is_demo: bool = False

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.trusted


def sign_pdf(data: bytes, *, reason: str, location: str = "Jakarta",
             passphrase: str | None = None, user_id: str | None = None) -> bytes:
    """The PDF with a PAdES B-B signature; SigningError when it cannot be signed.

    passphrase and user_id are for the remote signer only (CERT_SIGNER="remote"): the
    signing official's passphrase, passed per call and never stored or logged, and their id
    there (default CERT_REMOTE_USER).
    """
    if settings.CERT_SIGNER == "remote":
        from kompeten.signing.remote import sign_remote

        return sign_remote(data, reason=reason, location=location,
                           passphrase=passphrase, user_id=user_id)
    if settings.CERT_SIGNER != "p12":
        raise ImproperlyConfigured('CERT_SIGNER must be "p12" or "remote"')
    return sign_local(data, reason=reason, location=location)


# Room for the CMS signature: the certificates plus the signature value and attributes.
# Reserving it up front spares pyHanko a dry-run signature per PDF.
def _bytes_reserved(signer: signers.SimpleSigner) -> int:
    certificates = sum(len(cert.dump()) for cert in signer.cert_registry)
    return 2 * (certificates + len(signer.signing_cert.dump())) + 8192


def _free_field_name(writer: IncrementalPdfFileWriter) -> str:
    taken = {name for name, _value, _ref in enumerate_sig_fields(writer)}
    number = 1
    while f"Signature{number}" in taken:
        number += 1
    return f"Signature{number}"


def sign_local(data: bytes, *, reason: str, location: str = "Jakarta") -> bytes:
    """PAdES B-B with the institution's PKCS#12 key, whatever CERT_SIGNER says."""
    signer = local_signer()
    try:
        writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
        metadata = signers.PdfSignatureMetadata(
            field_name=_free_field_name(writer), reason=reason[:200], location=location[:100],
            md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES,
        )
        output = signers.PdfSigner(metadata, signer=signer).sign_pdf(
            writer, bytes_reserved=_bytes_reserved(signer),
        )
    except (PdfError, PyHankoSigningError, ValueError, KeyError, TypeError) as exc:
        raise SigningError(_("PDF tidak dapat ditandatangani: berkas rusak atau bukan PDF."))\
            from exc
    return output.getvalue()


def _pool(processes: int) -> Executor:
    # A daemonic process (a Celery prefork child) may not fork: sign in threads there.
    if processes > 1 and not multiprocessing.current_process().daemon:
        return ProcessPoolExecutor(max_workers=processes,
                                   mp_context=multiprocessing.get_context("fork"))
    return ThreadPoolExecutor(max_workers=max(processes, 1))


def _sign_one(item: tuple[bytes, str, str, str | None, str | None]) -> bytes:
    data, reason, location, passphrase, user_id = item
    return sign_pdf(data, reason=reason, location=location, passphrase=passphrase,
                    user_id=user_id)


def sign_many(items: Iterable[bytes], *, reason: str, location: str = "Jakarta",
              processes: int = 2, passphrase: str | None = None,
              user_id: str | None = None) -> Iterator[bytes]:
    """The signed PDFs in the order of items, signed on `processes` cores.

    Lazy both ways: at most 4 PDFs per process are in flight, so memory stays flat for any
    number of items. With the remote signer the calls run in threads (the time is the
    service's, not ours).
    """
    if processes <= 1:
        for data in items:
            yield sign_pdf(data, reason=reason, location=location, passphrase=passphrase,
                           user_id=user_id)
        return
    if settings.CERT_SIGNER == "remote":
        pool: Executor = ThreadPoolExecutor(max_workers=processes)
    else:
        # Load the key before forking, so every process starts with it.
        local_signer()
        pool = _pool(processes)
    in_flight: deque[Future[bytes]] = deque()
    with pool:
        for data in items:
            in_flight.append(pool.submit(_sign_one, (data, reason, location, passphrase,
                                                     user_id)))
            if len(in_flight) >= 4 * processes:
                yield in_flight.popleft().result()
        while in_flight:
            yield in_flight.popleft().result()


def _validation_context(roots) -> ValidationContext:
    asn1_roots = [asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
                  for cert in roots]
    # Never fetch revocation data over the network: B-B certificates are checked offline.
    return ValidationContext(trust_roots=asn1_roots, allow_fetching=False,
                             revocation_mode="soft-fail")


_KEY_USAGE = KeyUsageConstraints(key_usage={"non_repudiation", "digital_signature"},
                                 match_all_key_usages=False)
_HARMLESS_LATER = {ModificationLevel.NONE, ModificationLevel.LTA_UPDATES}


def _unsigned(summary: str) -> PdfCheck:
    return PdfCheck(signed=False, intact=False, trusted=False, signer_name="", signed_at=None,
                    summary=summary)


def verify_pdf(data: bytes, *, roots=None) -> PdfCheck:
    """The signature check of a PDF; roots (cryptography certificates) default to
    keys.trust_roots()."""
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        embedded = reader.embedded_signatures
    except Exception:  # noqa: BLE001 - any file may be uploaded; a parser bug is "unreadable"
        logger.info("verify_pdf: unreadable PDF", exc_info=True)
        return _unsigned(_("Berkas bukan PDF yang dapat dibaca."))
    if not embedded:
        return _unsigned(_("Berkas tidak memuat tanda tangan elektronik."))
    context_roots = keys.trust_roots() if roots is None else roots
    statuses = []
    for signature in embedded:
        try:
            statuses.append(validate_pdf_signature(
                signature, signer_validation_context=_validation_context(context_roots),
                key_usage_settings=_KEY_USAGE,
            ))
        except Exception:  # noqa: BLE001 - as above: a broken signature is not intact
            logger.info("verify_pdf: unreadable signature", exc_info=True)
            statuses.append(None)
    last = statuses[-1]
    intact = all(status is not None and status.intact and status.valid for status in statuses)
    if intact:
        for position, status in enumerate(statuses):
            allowed = set(_HARMLESS_LATER)
            if position < len(statuses) - 1:
                allowed.add(ModificationLevel.FORM_FILLING)
            if status.coverage not in (SignatureCoverageLevel.ENTIRE_FILE,
                                       SignatureCoverageLevel.ENTIRE_REVISION) \
                    or status.modification_level not in allowed:
                intact = False
    if last is None:
        return PdfCheck(signed=True, intact=False, trusted=False, signer_name="",
                        signed_at=None, summary=_("Tanda tangan elektronik rusak atau tidak "
                                                  "dapat dibaca."))
    certificate = last.signing_cert
    subject = certificate.subject.native
    issuer = certificate.issuer.native
    signer_name = subject.get("common_name", "")
    signed_at = last.signer_reported_dt
    trusted = intact and all(status is not None and status.trusted for status in statuses)
    is_demo = signer_name.startswith("DEMO")
    return PdfCheck(
        signed=True, intact=intact, trusted=trusted, signer_name=signer_name,
        signed_at=signed_at, issuer_name=issuer.get("common_name", ""),
        serial=format(certificate.serial_number, "X"), is_demo=is_demo,
        summary=_summary(intact=intact, trusted=trusted, signer_name=signer_name,
                         signed_at=signed_at, is_demo=is_demo),
    )


def _summary(*, intact: bool, trusted: bool, signer_name: str, signed_at: datetime | None,
             is_demo: bool) -> str:
    if not intact:
        return _("Tanda tangan elektronik TIDAK UTUH: dokumen telah diubah setelah "
                 "ditandatangani oleh %(name)s.") % {"name": signer_name}
    when = timezone.localtime(signed_at).strftime("%d-%m-%Y %H:%M %Z") if signed_at else "?"
    if not trusted:
        return _("Dokumen utuh sejak ditandatangani oleh %(name)s pada %(when)s, tetapi "
                 "sertifikat penandatangan tidak terhubung ke otoritas sertifikat yang "
                 "dipercaya.") % {"name": signer_name, "when": when}
    summary = _("Tanda tangan elektronik sah: dokumen utuh sejak ditandatangani oleh "
                "%(name)s pada %(when)s.") % {"name": signer_name, "when": when}
    if is_demo:
        summary += " " + _("Sertifikat DEMO: bukan tanda tangan yang sah secara hukum.")
    return summary

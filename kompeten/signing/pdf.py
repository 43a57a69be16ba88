"""PAdES signatures of PDF files: sign_pdf, sign_many and verify_pdf.

sign_pdf makes a PAdES baseline B-B signature (ETSI.CAdES.detached, SHA-256, the signer's
certificate chain embedded, no visible field) with the institution's key (kompeten.signing
.keys), or, with CERT_SIGNER="remote", has a BSrE-style signing service make it
(kompeten.signing.remote). verify_pdf checks a PDF's signatures against the trust roots.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from asn1crypto import cms
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
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
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from kompeten.signing import keys


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


@dataclass(frozen=True)
class _CmsTemplate:
    """A PAdES CMS of this signer, with the places of the document digest and signature.

    PAdES signed attributes are content type, message digest and signing certificate v2
    (the signing time lives in the PDF's /M): only the digest changes from one PDF to the
    next. So the CMS is built once by pyHanko and then the digest is swapped, the attributes
    signed and the signature swapped; an RSA signature always has the modulus' length, so
    every offset stays put. Building the CMS with asn1crypto is otherwise two thirds of
    the time of a signature.
    """

    der: bytes
    attrs_start: int
    attrs: bytes
    digest_offset: int  # within attrs
    digest_length: int
    signature_offset: int  # within der
    signature_length: int

    @classmethod
    def build(cls, content_info: cms.ContentInfo, digest: bytes) -> _CmsTemplate | None:
        der = content_info.dump(force=True)
        signer_info = content_info["content"]["signer_infos"][0]
        types = {attribute["type"].native for attribute in signer_info["signed_attrs"]}
        if types != {"content_type", "message_digest", "signing_certificate_v2"} \
                or signer_info["unsigned_attrs"].native:
            return None
        attrs = signer_info["signed_attrs"].dump()
        signature = signer_info["signature"].native
        if der.count(attrs) != 1 or attrs.count(digest) != 1 or der.count(signature) != 1:
            return None
        return cls(der=der, attrs_start=der.index(attrs), attrs=attrs,
                   digest_offset=attrs.index(digest), digest_length=len(digest),
                   signature_offset=der.index(signature), signature_length=len(signature))

    def fill(self, digest: bytes, sign) -> bytes:
        if len(digest) != self.digest_length:
            raise ValueError("digest length changed")
        start = self.digest_offset
        attrs = self.attrs[:start] + digest + self.attrs[start + len(digest):]
        # Signed attributes are signed as a SET OF (tag 0x31), stored as [0] IMPLICIT.
        signature = sign(b"\x31" + attrs[1:])
        if len(signature) != self.signature_length:
            raise ValueError("signature length changed")
        der = bytearray(self.der)
        der[self.attrs_start:self.attrs_start + len(attrs)] = attrs
        der[self.signature_offset:self.signature_offset + len(signature)] = signature
        return bytes(der)


class _LoadedKeySigner(signers.SimpleSigner):
    """SimpleSigner that keeps the key loaded (SimpleSigner parses, and so re-validates, the
    private key on every signature: about 40 ms for RSA-2048) and, for RSA, fills a CMS
    template (_CmsTemplate) instead of building the CMS anew."""

    def __init__(self, *, private_key: keys.PrivateKey, **kwargs):
        super().__init__(**kwargs)
        self._private_key = private_key
        self._templates: dict[str, _CmsTemplate | None] = {}
        self._subject_name = super().subject_name

    @property
    def subject_name(self) -> str | None:
        return self._subject_name

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
        key = self._private_key
        if mechanism == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, padding.PKCS1v15(), hash_algorithm)
        if mechanism == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(hash_algorithm))
        return super().sign_raw(data, digest_algorithm)

    async def async_sign(self, data_digest: bytes, digest_algorithm: str, dry_run=False,
                         use_pades=False, timestamper=None, signed_attr_settings=None,
                         is_pdf_sig=True, encap_content_info=None):
        plain = (use_pades and not dry_run and timestamper is None and is_pdf_sig
                 and encap_content_info is None
                 and isinstance(self._private_key, rsa.RSAPrivateKey)
                 and (signed_attr_settings is None
                      or (signed_attr_settings.cades_signed_attrs is None
                          and signed_attr_settings.adobe_revinfo_attr is None)))
        if plain and digest_algorithm not in self._templates:
            reference = os.urandom(len(data_digest))
            self._templates[digest_algorithm] = _CmsTemplate.build(
                await super().async_sign(reference, digest_algorithm, use_pades=True,
                                         signed_attr_settings=signed_attr_settings),
                reference,
            )
        template = self._templates.get(digest_algorithm) if plain else None
        if template is not None:
            try:
                return template.fill(data_digest,
                                     lambda tbs: self.sign_raw(tbs, digest_algorithm))
            except ValueError:
                self._templates[digest_algorithm] = None
        return await super().async_sign(
            data_digest, digest_algorithm, dry_run=dry_run, use_pades=use_pades,
            timestamper=timestamper, signed_attr_settings=signed_attr_settings,
            is_pdf_sig=is_pdf_sig, encap_content_info=encap_content_info,
        )


_signers: dict[int, tuple[keys.KeyMaterial, signers.SimpleSigner]] = {}
_signers_lock = threading.Lock()


def _local_signer() -> signers.SimpleSigner:
    material = keys.key_material()
    with _signers_lock:
        cached = _signers.get(id(material))
        if cached and cached[0] is material:
            return cached[1]
        der_key = material.private_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        chain = [asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
                 for cert in material.chain]
        store = SimpleCertificateStore()
        store.register_multiple(chain)
        signer = _LoadedKeySigner(
            private_key=material.private_key,
            signing_cert=asn1_x509.Certificate.load(
                material.certificate.public_bytes(serialization.Encoding.DER)),
            signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
            cert_registry=store,
        )
        _signers.clear()
        _signers[id(material)] = (material, signer)
        return signer


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
    signer = _local_signer()
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
        _local_signer()
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
    except (PdfError, ValueError, KeyError, TypeError, IndexError):
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
        except (PdfError, ValueError, KeyError, TypeError, IndexError):
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

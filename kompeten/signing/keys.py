"""The institution's signing key (a PKCS#12 file) and the CA certificates signatures chain to.

CERT_SIGNING_P12 names the institution's PKCS#12 file, its passphrase coming from the
environment (CERT_SIGNING_P12_PASSPHRASE). Without it the demo signer of
kompeten.signing.demo is used, generated on first use. The trust roots are CERT_TRUST_ROOTS;
when that is empty, the demo root in demo mode, otherwise the self-signed certificates that
the institution's PKCS#12 file carries.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from kompeten.signing import demo

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@dataclass(frozen=True)
class KeyMaterial:
    private_key: PrivateKey
    certificate: x509.Certificate
    # The other certificates of the PKCS#12 file: intermediates and usually the root.
    chain: tuple[x509.Certificate, ...]
    is_demo: bool
    path: Path


_cache: dict[tuple, KeyMaterial] = {}
_lock = threading.Lock()


def _configured_p12() -> tuple[Path, bytes, bool]:
    if settings.CERT_SIGNING_P12:
        passphrase = settings.CERT_SIGNING_P12_PASSPHRASE
        return Path(settings.CERT_SIGNING_P12), passphrase.encode() if passphrase else b"", False
    directory, _ = demo.ensure_demo_signer()
    return directory / demo.P12_FILE, demo.DEMO_PASSPHRASE, True


def key_material() -> KeyMaterial:
    """The signing key and its certificates, loaded once per process (and again on change)."""
    path, passphrase, is_demo = _configured_p12()
    try:
        stat = path.stat()
    except OSError as exc:
        raise ImproperlyConfigured(f"CERT_SIGNING_P12 cannot be read: {path}") from exc
    cache_key = (str(path), stat.st_mtime_ns, stat.st_size, is_demo)
    with _lock:
        if material := _cache.get(cache_key):
            return material
        try:
            key, certificate, others = pkcs12.load_key_and_certificates(
                path.read_bytes(), passphrase or None
            )
        except ValueError as exc:
            # The message never carries the passphrase.
            raise ImproperlyConfigured(
                f"CERT_SIGNING_P12 could not be opened (wrong passphrase?): {path}"
            ) from exc
        if certificate is None or not isinstance(key, PrivateKey):
            raise ImproperlyConfigured(
                f"CERT_SIGNING_P12 must hold an RSA or EC key and its certificate: {path}"
            )
        material = KeyMaterial(
            private_key=key, certificate=certificate, chain=tuple(others),
            is_demo=is_demo, path=path,
        )
        _cache.clear()
        _cache[cache_key] = material
        return material


def _load_certificates(path: Path) -> list[x509.Certificate]:
    data = path.read_bytes()
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificates(data)
    return [x509.load_der_x509_certificate(data)]


def trust_roots() -> list[x509.Certificate]:
    """The CA certificates a signature must chain to for verify_pdf to call it trusted."""
    if settings.CERT_TRUST_ROOTS:
        roots = []
        for name in settings.CERT_TRUST_ROOTS:
            try:
                roots.extend(_load_certificates(Path(name)))
            except (OSError, ValueError) as exc:
                raise ImproperlyConfigured(f"CERT_TRUST_ROOTS: cannot read {name}") from exc
        return roots
    if not settings.CERT_SIGNING_P12:
        directory, _ = demo.ensure_demo_signer()
        return _load_certificates(directory / demo.ROOT_FILE)
    return [cert for cert in key_material().chain if cert.issuer == cert.subject]


def _attribute(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def is_demo_certificate(certificate: x509.Certificate) -> bool:
    return _attribute(certificate.subject, NameOID.COMMON_NAME).startswith(demo.DEMO_MARK)


def certificate_info(certificate: x509.Certificate) -> dict:
    der = certificate.public_bytes(serialization.Encoding.DER)
    return {
        "common_name": _attribute(certificate.subject, NameOID.COMMON_NAME),
        "organization": _attribute(certificate.subject, NameOID.ORGANIZATION_NAME),
        "organizational_unit": _attribute(certificate.subject, NameOID.ORGANIZATIONAL_UNIT_NAME),
        "issuer": _attribute(certificate.issuer, NameOID.COMMON_NAME),
        "serial": format(certificate.serial_number, "X"),
        "not_before": certificate.not_valid_before_utc,
        "not_after": certificate.not_valid_after_utc,
        "fingerprint_sha256": hashlib.sha256(der).hexdigest(),
        "is_demo": is_demo_certificate(certificate),
    }


def signer_info() -> dict:
    """Who signs: common_name, organization, organizational_unit, issuer, serial (hex),
    not_before / not_after (aware datetimes), fingerprint_sha256, is_demo, key_type and
    expired."""
    material = key_material()
    info = certificate_info(material.certificate)
    info["is_demo"] = info["is_demo"] or material.is_demo
    key = material.private_key
    info["key_type"] = (f"RSA {key.key_size}" if isinstance(key, rsa.RSAPrivateKey)
                        else f"EC {key.curve.name}")
    info["expired"] = info["not_after"] < datetime.now(info["not_after"].tzinfo)
    return info

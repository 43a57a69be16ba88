"""A demo root CA and signer, marked DEMO, for `make run`, tests and fresh clones.

The files live in CERT_SIGNING_DIR/demo/: demo-root.pem (the CA certificate, the trust root
in demo mode), demo-signer.p12 (key + certificate + CA, under DEMO_PASSPHRASE) and
demo-signer.pem. The CA's private key is thrown away once the signer is issued, so nobody can
mint more certificates under the demo root.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings

DEMO_PASSPHRASE = b"kompeten-demo"
DEMO_MARK = "DEMO"
ROOT_FILE = "demo-root.pem"
P12_FILE = "demo-signer.p12"
SIGNER_PEM_FILE = "demo-signer.pem"
SIGNER_COMMON_NAME = "DEMO Pusbang ASN BKN — bukan tanda tangan sah"
ROOT_COMMON_NAME = "DEMO Root CA Kompeten — bukan untuk produksi"


def demo_dir() -> Path:
    return Path(settings.CERT_SIGNING_DIR) / "demo"


def demo_files_exist(directory: Path | None = None) -> bool:
    directory = directory or demo_dir()
    return all((directory / name).is_file() for name in (ROOT_FILE, P12_FILE, SIGNER_PEM_FILE))


def ensure_demo_signer(*, force: bool = False) -> tuple[Path, bool]:
    """The demo directory, generated if missing (or if force); and whether it was generated.

    Generation happens in a temporary directory renamed into place, so two processes starting
    at once (test workers, web server and job worker) never see half-written or mixed files.
    """
    target = demo_dir()
    if demo_files_exist(target) and not force:
        return target, False
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".demo-", dir=target.parent))
    try:
        _write_demo_files(staging)
        staging.chmod(0o700)
        if force and target.exists():
            retired = Path(tempfile.mkdtemp(prefix=".retired-", dir=target.parent))
            os.replace(target, retired / "demo")
            shutil.rmtree(retired, ignore_errors=True)
        elif target.exists() and not demo_files_exist(target):
            shutil.rmtree(target, ignore_errors=True)
        try:
            os.rename(staging, target)
        except OSError:
            # Another process won the race: its files are as good as ours.
            if not demo_files_exist(target):
                raise
            return target, False
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target, True


def _name(common_name: str, unit: str | None = None) -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "DEMO Badan Kepegawaian Negara"),
    ]
    if unit:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def _write_demo_files(directory: Path) -> None:
    now = datetime.now(UTC) - timedelta(minutes=5)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = _name(ROOT_COMMON_NAME)
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=365 * 20))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()),
                       critical=False)
        .sign(root_key, hashes.SHA256())
    )
    signer_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    signer = (
        x509.CertificateBuilder()
        .subject_name(_name(SIGNER_COMMON_NAME, unit="DEMO Pusat Pengembangan ASN"))
        .issuer_name(root_name)
        .public_key(signer_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=365 * 10))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(signer_key.public_key()),
                       critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
            critical=False,
        )
        .sign(root_key, hashes.SHA256())
    )
    p12 = pkcs12.serialize_key_and_certificates(
        name=b"kompeten-demo-signer",
        key=signer_key,
        cert=signer,
        cas=[root],
        encryption_algorithm=serialization.BestAvailableEncryption(DEMO_PASSPHRASE),
    )
    (directory / ROOT_FILE).write_bytes(root.public_bytes(serialization.Encoding.PEM))
    (directory / SIGNER_PEM_FILE).write_bytes(signer.public_bytes(serialization.Encoding.PEM))
    p12_path = directory / P12_FILE
    p12_path.write_bytes(p12)
    p12_path.chmod(0o600)

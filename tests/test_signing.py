"""kompeten.signing: PAdES signatures of PDFs (local and remote signer), VC-JWT, demo keys."""

import base64
import json
import logging
from datetime import UTC, datetime, timedelta
from io import BytesIO, StringIO

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from reportlab.pdfgen import canvas

from kompeten.signing import demo, keys
from kompeten.signing import jwt as signing_jwt
from kompeten.signing.pdf import SigningError, sign_local, sign_many, sign_pdf, verify_pdf
from tests import signing_stub
from tests.pdf_text import page_texts


def make_pdf(label: str = "Sertifikat", pages: int = 2) -> bytes:
    buffer = BytesIO()
    document = canvas.Canvas(buffer, pageCompression=0)
    for page in range(pages):
        document.drawString(100, 700, f"{label} halaman {page + 1}")
        document.showPage()
    document.save()
    return buffer.getvalue()


@pytest.fixture(scope="module")
def signing_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("signing")


@pytest.fixture(autouse=True)
def demo_signer(settings, signing_dir):
    settings.CERT_SIGNING_DIR = signing_dir
    settings.CERT_SIGNING_P12 = ""
    settings.CERT_SIGNING_P12_PASSPHRASE = ""
    settings.CERT_TRUST_ROOTS = []
    settings.CERT_SIGNER = "p12"
    return signing_dir


def other_ca_root(tmp_path) -> str:
    """A CA that did not issue the signer: its root file."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CA Lain")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1)
            .not_valid_before(now).not_valid_after(now + timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    path = tmp_path / "other-root.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(path)


def institution_p12(tmp_path, passphrase: bytes) -> str:
    """A self-signed EC P-256 signer, as an institution's own PKCS#12 file (not DEMO)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Badan Kepegawaian Negara"),
        x509.NameAttribute(NameOID.COMMON_NAME, "Kepala Pusbang ASN"),
    ])
    now = datetime.now(UTC) - timedelta(minutes=1)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + timedelta(days=365))
            .add_extension(x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    path = tmp_path / "institution.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"bkn", key, cert, [cert], serialization.BestAvailableEncryption(passphrase)))
    return str(path)


# PAdES signing and verification ------------------------------------------------------------

def test_a_signed_pdf_is_valid_trusted_pades_with_the_chain_embedded():
    original = make_pdf()
    signed_pdf = sign_pdf(original, reason="Sertifikat Kompetensi")

    check = verify_pdf(signed_pdf)
    assert (check.signed, check.intact, check.trusted, check.valid) == (True, True, True, True)
    assert check.signer_name == demo.SIGNER_COMMON_NAME
    assert check.issuer_name == demo.ROOT_COMMON_NAME
    assert check.is_demo
    assert abs((datetime.now(UTC) - check.signed_at).total_seconds()) < 60
    assert check.summary.startswith("Tanda tangan elektronik sah")
    assert "DEMO" in check.summary

    signature = PdfFileReader(BytesIO(signed_pdf)).embedded_signatures[0]
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.sig_object["/Reason"] == "Sertifikat Kompetensi"
    assert signature.sig_object["/Location"] == "Jakarta"
    assert len(signature.signed_data["certificates"]) == 2  # signer + demo root
    # Still the same document, readable by an ordinary PDF reader.
    assert page_texts(signed_pdf) == page_texts(original)


def test_the_cms_template_gives_byte_for_byte_what_pyhanko_builds():
    import asyncio
    import hashlib

    from pyhanko.sign import signers

    from kompeten.signing.signer import local_signer

    signer = local_signer()
    sign_pdf(make_pdf(), reason="Sertifikat")  # builds the template
    digest = hashlib.sha256(b"sertifikat 00042").digest()
    ours = asyncio.run(signer.async_sign(digest, "sha256", use_pades=True))
    pyhanko = asyncio.run(signers.SimpleSigner.async_sign(signer, digest, "sha256",
                                                          use_pades=True))
    assert isinstance(ours, bytes)  # the template, not a fresh CMS
    assert ours == pyhanko.dump()


def test_changed_bytes_after_signing_are_not_intact():
    signed_pdf = sign_pdf(make_pdf(), reason="Sertifikat")
    position = signed_pdf.index(b"Sertifikat halaman 1")
    tampered = signed_pdf[:position] + b"Palsukan" + signed_pdf[position + 8:]

    check = verify_pdf(tampered)
    assert check.signed and not check.intact and not check.trusted and not check.valid
    assert "TIDAK UTUH" in check.summary


def test_an_incremental_update_that_changes_a_page_is_not_intact():
    signed_pdf = sign_pdf(make_pdf(), reason="Sertifikat")
    writer = IncrementalPdfFileWriter(BytesIO(signed_pdf))
    stream = writer.add_object(generic.StreamObject(
        stream_data=b"BT /F1 30 Tf 100 400 Td (NILAI DIUBAH) Tj ET"))
    writer.add_stream_to_page(0, stream)
    output = BytesIO()
    writer.write(output)
    updated = output.getvalue()
    assert updated.startswith(signed_pdf)  # the signed revision itself is untouched

    check = verify_pdf(updated)
    assert check.signed and not check.intact and not check.valid


def test_a_second_signature_keeps_the_document_intact():
    twice = sign_pdf(sign_pdf(make_pdf(), reason="Pertama"), reason="Kedua")
    assert len(PdfFileReader(BytesIO(twice)).embedded_signatures) == 2
    assert verify_pdf(twice).valid


def test_a_signer_outside_the_trust_roots_is_intact_but_not_trusted(settings, tmp_path):
    signed_pdf = sign_pdf(make_pdf(), reason="Sertifikat")
    settings.CERT_TRUST_ROOTS = [other_ca_root(tmp_path)]

    check = verify_pdf(signed_pdf)
    assert check.signed and check.intact and not check.trusted and not check.valid
    assert "tidak terhubung ke otoritas" in check.summary


def test_unsigned_unreadable_and_truncated_pdfs():
    unsigned = verify_pdf(make_pdf())
    assert (unsigned.signed, unsigned.valid) == (False, False)
    assert unsigned.summary == "Berkas tidak memuat tanda tangan elektronik."

    assert verify_pdf(b"bukan pdf").summary == "Berkas bukan PDF yang dapat dibaca."
    assert not verify_pdf(b"").valid
    signed_pdf = sign_pdf(make_pdf(), reason="Sertifikat")
    assert not verify_pdf(signed_pdf[: len(signed_pdf) // 2]).valid


def test_signing_something_that_is_not_a_pdf_is_a_signing_error():
    with pytest.raises(SigningError):
        sign_pdf(b"%PDF-1.4 rusak", reason="Sertifikat")


def test_sign_many_keeps_order_on_two_processes():
    originals = [make_pdf(f"Peserta {number}") for number in range(5)]
    results = list(sign_many(iter(originals), reason="Sertifikat", processes=2))
    assert [page_texts(pdf)[0] for pdf in results] == [page_texts(pdf)[0] for pdf in originals]
    assert all(verify_pdf(pdf).valid for pdf in results)


def test_a_forked_signing_process_does_not_inherit_held_locks():
    import os

    from kompeten.signing import signer

    held = [keys._lock, signer._signers_lock]
    for lock in held:
        lock.acquire()  # as another thread might hold them at the moment sign_many forks
    try:
        pid = os.fork()
        if pid == 0:
            free = keys._lock.acquire(blocking=False) and signer._signers_lock.acquire(
                blocking=False)
            os._exit(0 if free else 1)
        _pid, status = os.waitpid(pid, 0)
    finally:
        for lock in held:
            lock.release()
    assert os.waitstatus_to_exitcode(status) == 0


@pytest.mark.django_db
def test_sign_many_in_processes_leaves_the_database_connection_usable():
    from kompeten.accounts.models import User

    User.objects.create(username="sebelum", role="organiser")
    assert len(list(sign_many([make_pdf()] * 3, reason="Sertifikat", processes=2))) == 3
    User.objects.create(username="sesudah", role="organiser")
    assert User.objects.filter(username__in=["sebelum", "sesudah"]).count() == 2


def test_the_institutions_p12_signs_with_its_passphrase_from_settings(settings, tmp_path):
    settings.CERT_SIGNING_P12 = institution_p12(tmp_path, b"kunci-bkn")
    settings.CERT_SIGNING_P12_PASSPHRASE = "kunci-bkn"

    info = keys.signer_info()
    assert info["common_name"] == "Kepala Pusbang ASN"
    assert info["organization"] == "Badan Kepegawaian Negara"
    assert info["key_type"] == "EC secp256r1"
    assert not info["is_demo"]
    # No CERT_TRUST_ROOTS: the self-signed certificate the P12 carries is the root.
    check = verify_pdf(sign_pdf(make_pdf(), reason="Sertifikat"))
    assert check.valid and check.signer_name == "Kepala Pusbang ASN" and not check.is_demo

    settings.CERT_SIGNING_P12_PASSPHRASE = "salah-ketik"
    settings.CERT_SIGNING_P12 = institution_p12(tmp_path, b"kunci-bkn")
    with pytest.raises(ImproperlyConfigured) as error:
        sign_pdf(make_pdf(), reason="Sertifikat")
    assert "salah-ketik" not in str(error.value)


# Remote (BSrE-style) signer ----------------------------------------------------------------

@pytest.fixture
def stub(settings):
    server, thread = signing_stub.start()
    settings.CERT_SIGNER = "remote"
    settings.CERT_REMOTE_URL = server.url
    settings.CERT_REMOTE_USER = signing_stub.NIK
    settings.CERT_REMOTE_TIMEOUT = 5
    yield server
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.mark.django_db
def test_the_remote_signer_returns_a_signed_pdf_and_keeps_no_passphrase(
        stub, caplog, django_assert_num_queries):
    caplog.set_level(logging.DEBUG)
    with django_assert_num_queries(0):
        signed_pdf = sign_pdf(make_pdf(), reason="Sertifikat Pelatihan", location="Bogor",
                              passphrase=signing_stub.PASSPHRASE)
    check = verify_pdf(signed_pdf)
    assert check.valid and check.signer_name == demo.SIGNER_COMMON_NAME
    sent = stub.requests[-1]
    assert sent["nik"] == signing_stub.NIK.encode() and sent["tampilan"] == b"invisible"
    assert (sent["reason"], sent["location"]) == (b"Sertifikat Pelatihan", b"Bogor")
    assert signing_stub.PASSPHRASE not in caplog.text
    assert signing_stub.NIK not in caplog.text


def test_the_remote_signers_refusal_is_a_clear_error(stub, caplog):
    caplog.set_level(logging.DEBUG)
    with pytest.raises(SigningError) as error:
        sign_pdf(make_pdf(), reason="Sertifikat", passphrase="tebakan-salah")
    assert str(error.value) == ("Layanan tanda tangan menolak (HTTP 400): "
                                "Passphrase anda salah")
    assert "tebakan-salah" not in caplog.text and "tebakan-salah" not in repr(error.value)


def test_a_remote_signer_that_does_not_answer_in_time(stub, settings):
    stub.mode, stub.delay = "slow", 2.0
    settings.CERT_REMOTE_TIMEOUT = 0.3
    with pytest.raises(SigningError, match="tidak menjawab dalam 0.3 detik"):
        sign_pdf(make_pdf(), reason="Sertifikat", passphrase=signing_stub.PASSPHRASE)


@pytest.mark.parametrize("mode", ["html", "unsigned"])
def test_a_remote_answer_that_is_not_a_signed_pdf_is_refused(stub, mode):
    stub.mode = mode
    with pytest.raises(SigningError, match="tidak mengembalikan PDF|tidak bertanda tangan"):
        sign_pdf(make_pdf(), reason="Sertifikat", passphrase=signing_stub.PASSPHRASE)


def test_remote_signing_needs_a_passphrase_and_a_reachable_service(stub, settings):
    with pytest.raises(SigningError, match="Passphrase penandatangan wajib"):
        sign_pdf(make_pdf(), reason="Sertifikat")
    assert stub.requests == []
    stub.shutdown()
    stub.server_close()
    with pytest.raises(SigningError, match="tidak dapat dihubungi"):
        sign_pdf(make_pdf(), reason="Sertifikat", passphrase=signing_stub.PASSPHRASE)


def test_sign_many_through_the_remote_signer(stub):
    results = list(sign_many([make_pdf("A"), make_pdf("B")], reason="Sertifikat",
                             passphrase=signing_stub.PASSPHRASE))
    assert [page_texts(pdf)[0].strip() for pdf in results] == ["A halaman 1", "B halaman 1"]
    assert len(stub.requests) == 2


# VC-JWT -----------------------------------------------------------------------------------

def _segments(token: str) -> list[dict]:
    return [json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
            for part in token.split(".")[:2]]


def test_a_jwt_round_trip_with_typ_and_kid():
    payload = {"iss": "https://kompeten.example/issuer", "jti": "urn:uuid:1",
               "nbf": datetime.now(UTC), "vc": {"type": ["VerifiableCredential"]}}
    token = signing_jwt.sign_jwt(payload)
    header, _body = _segments(token)
    jwk = signing_jwt.public_jwk()
    assert header == {"alg": "RS256", "typ": "vc+jwt", "kid": jwk["kid"]}
    assert signing_jwt.verify_jwt(token)["vc"] == {"type": ["VerifiableCredential"]}
    assert signing_jwt.jwks() == {"keys": [jwk]}
    by_url = signing_jwt.sign_jwt(payload, typ="JWT", headers={
        "kid": f"https://kompeten.example/jwks.json#{jwk['kid']}", "alg": "none"})
    assert _segments(by_url)[0]["alg"] == "RS256"  # the key decides, never the caller
    assert signing_jwt.verify_jwt(by_url)["jti"] == "urn:uuid:1"
    assert jwk["kty"] == "RSA" and "d" not in jwk
    # x5c links the key to the signer certificate.
    certificate = x509.load_der_x509_certificate(base64.b64decode(jwk["x5c"][0]))
    common_name = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert common_name == demo.SIGNER_COMMON_NAME


def test_a_tampered_expired_or_foreign_token_is_refused(settings, tmp_path):
    token = signing_jwt.sign_jwt({"sub": "peserta-1"})
    header, body, signature = token.split(".")
    forged_body = base64.urlsafe_b64encode(b'{"sub":"peserta-2"}').rstrip(b"=").decode()
    with pytest.raises(ValueError):
        signing_jwt.verify_jwt(f"{header}.{forged_body}.{signature}")
    with pytest.raises(ValueError):
        signing_jwt.verify_jwt("bukan.token")
    expired = signing_jwt.sign_jwt({"exp": datetime.now(UTC) - timedelta(hours=1)})
    with pytest.raises(ValueError, match="expired"):
        signing_jwt.verify_jwt(expired)

    settings.CERT_SIGNING_P12 = institution_p12(tmp_path, b"kunci")
    settings.CERT_SIGNING_P12_PASSPHRASE = "kunci"
    foreign = signing_jwt.sign_jwt({"sub": "peserta-1"})
    assert _segments(foreign)[0]["alg"] == "ES256"
    assert signing_jwt.verify_jwt(foreign) == {"sub": "peserta-1"}
    with pytest.raises(ValueError, match="another key"):
        signing_jwt.verify_jwt(token)  # signed with the demo key, no longer ours


def test_the_jwk_thumbprint_follows_rfc_7638():
    # The example of RFC 7638 section 3.1.
    jwk = {"kty": "RSA", "e": "AQAB", "alg": "RS256", "kid": "2011-04-29", "n": (
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSo"
        "c_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YG"
        "jQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-"
        "bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw")}
    assert signing_jwt.thumbprint(jwk) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


# Keys and the demo signer -----------------------------------------------------------------

def test_make_demo_signer_is_idempotent_and_force_makes_a_new_one(settings, tmp_path):
    settings.CERT_SIGNING_DIR = tmp_path / "fresh"
    out = StringIO()
    call_command("make_demo_signer", stdout=out)
    assert out.getvalue().startswith("Dibuat")
    p12 = (tmp_path / "fresh" / "demo" / demo.P12_FILE).read_bytes()
    serial = keys.signer_info()["serial"]

    out = StringIO()
    call_command("make_demo_signer", stdout=out)
    assert out.getvalue().startswith("Sudah ada")
    assert (tmp_path / "fresh" / "demo" / demo.P12_FILE).read_bytes() == p12

    call_command("make_demo_signer", force=True, stdout=StringIO())
    assert keys.signer_info()["serial"] != serial
    assert verify_pdf(sign_local(make_pdf(), reason="Sertifikat")).valid


def test_the_demo_signer_is_generated_on_first_use_and_marked_demo(settings, tmp_path):
    settings.CERT_SIGNING_DIR = tmp_path / "first-use"
    info = keys.signer_info()
    assert info["is_demo"] and info["common_name"].startswith("DEMO")
    assert info["common_name"] == "DEMO Pusbang ASN BKN — bukan tanda tangan sah"
    assert info["not_after"] - info["not_before"] > timedelta(days=365 * 9)
    assert not info["expired"]
    assert demo.demo_files_exist(tmp_path / "first-use" / "demo")


def test_make_run_creates_the_demo_signer():
    import subprocess
    from pathlib import Path

    commands = subprocess.run(["make", "-n", "run"], cwd=Path(__file__).resolve().parent.parent,
                              capture_output=True, text=True, check=True, timeout=60).stdout
    assert "manage.py make_demo_signer" in commands


def test_the_summary_speaks_english_from_the_apps_own_catalog():
    from django.utils import translation

    with translation.override("en"):
        assert verify_pdf(make_pdf()).summary == "The file carries no electronic signature."
        assert verify_pdf(sign_pdf(make_pdf(), reason="Sertifikat")).summary.startswith(
            "Valid electronic signature: the document is unchanged since DEMO Pusbang ASN BKN")


# Passing the passphrase to a background job -------------------------------------------------

def test_a_sealed_passphrase_opens_until_forgotten_and_is_in_no_one_place():
    from django.core.cache import cache

    from kompeten.signing.vault import forget_passphrase, open_passphrase, seal_passphrase

    token = seal_passphrase("rahasia-bsre", ttl=60)
    assert "rahasia-bsre" not in token
    entry, key = token.split(".")
    stored = cache.get("signing-vault:" + entry)
    assert b"rahasia-bsre" not in stored and key.encode() not in stored
    assert open_passphrase(token) == "rahasia-bsre"
    assert open_passphrase(token) == "rahasia-bsre"  # a retried job can open it again

    other_key = seal_passphrase("lain").split(".")[1]
    with pytest.raises(SigningError, match="tidak sah"):
        open_passphrase(f"{entry}.{other_key}")
    with pytest.raises(SigningError, match="tidak sah"):
        open_passphrase(f"{entry}.bukan-kunci")
    forget_passphrase(token)
    with pytest.raises(SigningError, match="berakhir"):
        open_passphrase(token)
    with pytest.raises(SigningError, match="berakhir"):
        open_passphrase("")


def test_a_sealed_passphrase_expires(settings):
    from kompeten.signing.vault import open_passphrase, seal_passphrase

    token = seal_passphrase("rahasia-bsre", ttl=-1)
    with pytest.raises(SigningError, match="berakhir"):
        open_passphrase(token)


def test_system_checks_catch_a_signing_configuration_that_cannot_work(settings, tmp_path):
    from kompeten.signing.checks import signing_configuration

    assert signing_configuration() == []
    settings.CERT_SIGNER = "bsre"
    settings.CERT_SIGNING_P12 = str(tmp_path / "tidak-ada.p12")
    settings.CERT_TRUST_ROOTS = [str(tmp_path / "tidak-ada.pem")]
    assert [error.id for error in signing_configuration()] == [
        "signing.E001", "signing.E003", "signing.E004"]
    settings.CERT_SIGNER = "remote"
    settings.CERT_REMOTE_URL = "ftp://esign.example"
    settings.CERT_TRUST_ROOTS = []
    settings.CERT_SIGNING_P12 = ""
    assert [error.id for error in signing_configuration()] == ["signing.E002", "signing.W001"]


def test_a_certificate_signed_before_the_signers_certificate_expired_stays_valid(
        settings, tmp_path):
    import time

    usage = {"digital_signature": True, "content_commitment": True, "key_encipherment": False,
             "data_encipherment": False, "key_agreement": False, "crl_sign": False,
             "encipher_only": False, "decipher_only": False}
    now = datetime.now(UTC)
    root_key, signer_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(
        ec.SECP256R1())
    root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Root CA Uji")])
    root = (x509.CertificateBuilder().subject_name(root_name).issuer_name(root_name)
            .public_key(root_key.public_key()).serial_number(1)
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=9))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(key_cert_sign=True, **usage), critical=True)
            .sign(root_key, hashes.SHA256()))
    signer = (x509.CertificateBuilder()
              .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Kepala 2026")]))
              .issuer_name(root_name).public_key(signer_key.public_key()).serial_number(2)
              .not_valid_before(now - timedelta(minutes=1))
              .not_valid_after(now + timedelta(seconds=3))
              .add_extension(x509.KeyUsage(key_cert_sign=False, **usage), critical=True)
              .sign(root_key, hashes.SHA256()))
    path = tmp_path / "short.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"bkn", signer_key, signer, [root], serialization.NoEncryption()))
    settings.CERT_SIGNING_P12 = str(path)
    signed_pdf = sign_pdf(make_pdf(), reason="Sertifikat")
    assert verify_pdf(signed_pdf).valid
    time.sleep(max(0.0, (now + timedelta(seconds=3.5) - datetime.now(UTC)).total_seconds()))

    assert keys.signer_info()["expired"]
    assert verify_pdf(signed_pdf).valid


# PAdES B-T with a time-stamping authority ----------------------------------------------------

def _tsa(tmp_path):
    """A TSA root and its time-stamping certificate; the root's PEM file."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.x509.oid import ExtendedKeyUsageOID
    from pyhanko.sign.timestamps import DummyTimeStamper

    now = datetime.now(UTC) - timedelta(minutes=1)
    from cryptography.hazmat.primitives.asymmetric import rsa

    # pyHanko's DummyTimeStamper signs with RSA only.
    root_key = ec.generate_private_key(ec.SECP256R1())
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Root TSA Uji")])
    root = (x509.CertificateBuilder().subject_name(root_name).issuer_name(root_name)
            .public_key(root_key.public_key()).serial_number(1)
            .not_valid_before(now).not_valid_after(now + timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(root_key, hashes.SHA256()))
    tsa = (x509.CertificateBuilder()
           .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "TSA Uji")]))
           .issuer_name(root_name).public_key(tsa_key.public_key()).serial_number(2)
           .not_valid_before(now).not_valid_after(now + timedelta(days=30))
           .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]),
                          critical=True)
           .sign(root_key, hashes.SHA256()))
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(tsa.public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(tsa_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())),
        certs_to_embed=[asn1_x509.Certificate.load(
            root.public_bytes(serialization.Encoding.DER))],
    )
    path = tmp_path / "tsa-root.pem"
    path.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    return stamper, str(path)


def test_with_a_tsa_the_signature_carries_a_trusted_timestamp(settings, tmp_path):
    stamper, tsa_root = _tsa(tmp_path)
    server, thread = signing_stub.start_tsa(stamper)
    try:
        settings.CERT_TSA_URL = server.url
        signed_pdf = sign_pdf(make_pdf(), reason="Sertifikat")
        assert server.requests == 1
        demo_root = str(keys.demo.demo_dir() / demo.ROOT_FILE)

        settings.CERT_TRUST_ROOTS = [demo_root, tsa_root]
        check = verify_pdf(signed_pdf)
        assert check.valid and check.timestamped_at is not None
        assert abs((datetime.now(UTC) - check.timestamped_at).total_seconds()) < 60
        assert check.signed_at == check.timestamped_at

        settings.CERT_TRUST_ROOTS = [demo_root]  # the TSA is not trusted: no vouched time
        assert verify_pdf(signed_pdf).timestamped_at is None
        # Without a TSA the template path signs again, and its PDFs verify as before.
        settings.CERT_TSA_URL = ""
        assert verify_pdf(sign_pdf(make_pdf(), reason="Sertifikat")).timestamped_at is None
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_an_unreachable_tsa_is_a_signing_error(settings):
    settings.CERT_TSA_URL = "http://127.0.0.1:9/tsa"
    settings.CERT_TSA_TIMEOUT = 2
    with pytest.raises(SigningError, match="cap waktu"):
        sign_pdf(make_pdf(), reason="Sertifikat")


def test_demo_signers_generated_at_once_by_several_workers_end_up_as_one(settings, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    settings.CERT_SIGNING_DIR = tmp_path / "race"
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _n: demo.ensure_demo_signer(), range(4)))
    assert {directory for directory, _created in results} == {tmp_path / "race" / "demo"}
    assert sum(created for _directory, created in results) >= 1
    assert sorted(path.name for path in (tmp_path / "race").iterdir()) == ["demo"]
    assert verify_pdf(sign_local(make_pdf(), reason="Sertifikat")).valid


def test_the_signature_checks_out_without_pyhanko():
    """An independent reading (pypdf + asn1crypto + cryptography): the byte range covers the
    whole file but the signature, its digest is the CMS's message digest, and the signer's
    key signed the attributes."""
    from asn1crypto import cms
    from cryptography.hazmat.primitives.asymmetric import padding
    from pypdf import PdfReader

    signed_pdf = sign_pdf(make_pdf(), reason="Sertifikat")
    fields = PdfReader(BytesIO(signed_pdf)).get_fields()
    signature = fields["Signature1"]["/V"]
    start1, length1, start2, length2 = signature["/ByteRange"]
    assert start1 == 0 and start2 + length2 == len(signed_pdf)
    covered = signed_pdf[start1:start1 + length1] + signed_pdf[start2:start2 + length2]
    # The gap is exactly the hex string of /Contents.
    assert signed_pdf[length1:start2].startswith(b"<") and signed_pdf[length1:start2].endswith(
        b">")

    # The hex string is padded with zeros after the DER (whose own last byte may be a zero):
    # the DER header says where it ends; the padding is ignored (strict=False).
    content_info = cms.ContentInfo.load(bytes(signature["/Contents"]), strict=False)
    signed_data = content_info["content"]
    signer_info = signed_data["signer_infos"][0]
    attributes = {attribute["type"].native: attribute["values"][0].native
                  for attribute in signer_info["signed_attrs"]}
    digest = hashes.Hash(hashes.SHA256())
    digest.update(covered)
    assert attributes["message_digest"] == digest.finalize()

    serial = signer_info["sid"].chosen["serial_number"].native
    [certificate] = [x509.load_der_x509_certificate(choice.chosen.dump())
                     for choice in signed_data["certificates"]
                     if choice.chosen.serial_number == serial]
    assert certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value \
        == demo.SIGNER_COMMON_NAME
    signed_attrs = signer_info["signed_attrs"].dump()
    certificate.public_key().verify(signer_info["signature"].native,
                                    b"\x31" + signed_attrs[1:], padding.PKCS1v15(),
                                    hashes.SHA256())

"""Open Badges 3.0: a competence certificate as an OpenBadgeCredential (a W3C Verifiable
Credential, data model 2.0), signed as a VC-JWT with the institution's key; the issuer
profile, its public keys and a revocation list at stable URLs."""

import hashlib
import hmac

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from kompeten.certificates import integration
from kompeten.certificates.documents import verify_url
from kompeten.certificates.models import Certificate

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
ISSUER_NAME = "Pusat Pengembangan Aparatur Sipil Negara, Badan Kepegawaian Negara"


def _url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def issuer_id() -> str:
    return _url("certificates:issuer")


def issuer_profile() -> dict:
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": issuer_id(),
        "type": ["Profile"],
        "name": ISSUER_NAME,
        "url": settings.SITE_URL + "/",
        "description": "Pelatihan dan Sertifikasi Kompetensi Teknis Manajemen ASN",
    }


def jwks() -> dict:
    key = integration.public_jwk()
    return {"keys": [key] if key else []}


def _salt(certificate: Certificate) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"badge:{certificate.public_id}".encode(),
                    hashlib.sha256).hexdigest()[:16]


def identity_hash(value: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((value.strip().lower() + salt).encode()).hexdigest()


def credential_id(certificate: Certificate) -> str:
    return f"urn:kompeten:certificate:{certificate.public_id}"


def credential(certificate: Certificate, *, email: str | None = None) -> dict:
    """The OpenBadgeCredential of a competence certificate; the official is identified by
    a salted hash of their e-mail (or NIP), never in clear."""
    salt = _salt(certificate)
    identifier, identity_type = (email, "emailAddress") if email else (
        certificate.nip, "identifier")
    page = verify_url(certificate.public_id)
    achievement_id = (f"{issuer_id()}#{certificate.program.code}-"
                      f"{hashlib.sha256(certificate.qualification_name.encode()).hexdigest()[:12]}")
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_id(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_id(), "type": ["Profile"], "name": ISSUER_NAME},
        "validFrom": certificate.issued_at.isoformat(timespec="seconds"),
        "name": f"Sertifikat Kompetensi {certificate.qualification_name}",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{
                "type": "IdentityObject", "identityHash": identity_hash(identifier, salt),
                "identityType": identity_type, "hashed": True, "salt": salt}],
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": f"Kualifikasi {certificate.qualification_name}",
                "description": (f"Skema Sertifikasi Manajemen Aparatur Sipil Negara, jenjang "
                                f"{certificate.level_name}"),
                "criteria": {"narrative": (
                    f"Telah memenuhi {certificate.units_k} Unit Kompetensi dari "
                    f"{certificate.units_total} Unit Kompetensi Kualifikasi "
                    f"{certificate.qualification_name}")},
                "alignment": [{
                    "type": ["Alignment"], "targetType": "ceterms:Competency",
                    "targetCode": unit["code"], "targetName": unit["title"],
                    "targetUrl": f"{page}#unit-{index}"}
                    for index, unit in enumerate(certificate.units, 1)],
            },
        },
        "evidence": [{"id": page, "type": ["Evidence"],
                      "name": f"Sertifikat nomor {certificate.number}"}],
        "credentialStatus": {"id": _url("certificates:status", certificate.public_id),
                             "type": "1EdTechRevocationList"},
    }


def badge_jwt(certificate: Certificate) -> str:
    """The credential as a VC-JWT (iss, jti, nbf, sub as registered claims)."""
    signer = integration.jwt_signer()
    if signer is None:
        raise ValueError(_("Penandatanganan belum tersedia."))
    payload = credential(certificate, email=certificate.registration.email)
    payload.update({"iss": issuer_id(), "jti": payload["id"],
                    "nbf": int(certificate.issued_at.timestamp()),
                    "sub": payload["credentialSubject"]["identifier"][0]["identityHash"]})
    return signer(payload, typ="vc+jwt")


def status(certificate: Certificate | None) -> dict:
    if certificate is None:
        return {"status": "not_found"}
    body = {"id": credential_id(certificate), "status": "valid"}
    if certificate.revoked_at:
        body.update(status="revoked", revoked=True,
                    revokedAt=certificate.revoked_at.isoformat(timespec="seconds"),
                    revocationReason=certificate.revoke_reason)
    else:
        body["revoked"] = False
    return body

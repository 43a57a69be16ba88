"""The two stages certificates lean on, read through their published contracts: the
assessment's released K/BK results and the signing leaf. Either may be absent from a
deployment (or not merged yet): then results are empty and PDFs stay unsigned."""

import logging
from dataclasses import dataclass
from importlib import import_module

from django.utils.translation import gettext as _

log = logging.getLogger(__name__)


def _contract(module: str, name: str):
    try:
        return getattr(import_module(module), name)
    except (ImportError, AttributeError):
        return None


def released_results(registration_ids) -> dict[int, dict[int, str]]:
    """registration id → ProgramUnit id → "K" / "BK" of released results (or {})."""
    reader = _contract("kompeten.assessment.selectors", "released_results")
    return reader(list(registration_ids)) if reader else {}


def signing_available() -> bool:
    return _contract("kompeten.signing.pdf", "sign_pdf") is not None


def sign(data: bytes, *, reason: str, passphrase: str | None = None) -> tuple[bytes, bool]:
    """(the PDF, whether it is signed). A signer that fails (a remote service down, a
    passphrase missing in a background job) leaves the PDF unsigned, flagged so, to be
    signed again later; issuance does not stop."""
    signer = _contract("kompeten.signing.pdf", "sign_pdf")
    if signer is None:
        return data, False
    try:
        if passphrase:
            return signer(data, reason=reason, passphrase=passphrase), True
        return signer(data, reason=reason), True
    except Exception:  # noqa: BLE001 - any signer failure: keep the unsigned PDF, logged
        log.exception("certificate PDF left unsigned")
        return data, False


def sign_all(pdfs: list[bytes], *, reason: str,
             passphrase: str | None = None) -> list[tuple[bytes, bool]]:
    """Several PDFs signed on both cores (the signing leaf's sign_many)."""
    many = _contract("kompeten.signing.pdf", "sign_many")
    if many is None or len(pdfs) < 8:
        return [sign(data, reason=reason, passphrase=passphrase) for data in pdfs]
    try:
        return [(signed, True) for signed in many(pdfs, reason=reason, processes=2,
                                                  passphrase=passphrase)]
    except Exception:  # noqa: BLE001 - fall back to one by one (each failure logged)
        log.exception("batch signing failed; signing one by one")
        return [sign(data, reason=reason, passphrase=passphrase) for data in pdfs]


def remote_signer() -> bool:
    """Whether the signing service needs the official's passphrase at issuance."""
    from django.conf import settings

    return getattr(settings, "CERT_SIGNER", "") == "remote" and signing_available()


def seal(passphrase: str) -> str:
    return _contract("kompeten.signing.vault", "seal_passphrase")(passphrase)


def unseal(token: str) -> str | None:
    """The passphrase behind a token (None when expired: PDFs then stay unsigned)."""
    opener = _contract("kompeten.signing.vault", "open_passphrase")
    try:
        return opener(token) if opener else None
    except Exception:  # noqa: BLE001 - an expired session: logged, PDFs flagged unsigned
        log.warning("signing passphrase token expired or unknown")
        return None


def forget(token: str) -> None:
    forgetter = _contract("kompeten.signing.vault", "forget_passphrase")
    if forgetter:
        forgetter(token)


@dataclass(frozen=True)
class SignatureCheck:
    signed: bool
    intact: bool
    trusted: bool
    signer_name: str
    summary: str


def check(data: bytes) -> SignatureCheck:
    verifier = _contract("kompeten.signing.pdf", "verify_pdf")
    if verifier is None:
        return SignatureCheck(False, True, False, "",
                              _("Pemeriksaan tanda tangan elektronik belum tersedia."))
    result = verifier(data)
    return SignatureCheck(bool(result.signed), bool(result.intact), bool(result.trusted),
                          result.signer_name or "", result.summary)


def jwt_signer():
    return _contract("kompeten.signing.jwt", "sign_jwt")


def jwt_verifier():
    return _contract("kompeten.signing.jwt", "verify_jwt")


def public_jwk() -> dict | None:
    reader = _contract("kompeten.signing.jwt", "public_jwk")
    return reader() if reader else None

"""The two stages certificates lean on, read through their published contracts: the
assessment's released K/BK results and the signing leaf. Either may be absent from a
deployment (or not merged yet): then results are empty and PDFs stay unsigned."""

from dataclasses import dataclass
from importlib import import_module


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


def sign(data: bytes, *, reason: str) -> tuple[bytes, bool]:
    """(the PDF, whether it is signed)."""
    signer = _contract("kompeten.signing.pdf", "sign_pdf")
    if signer is None:
        return data, False
    return signer(data, reason=reason), True


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
                              "Pemeriksaan tanda tangan elektronik belum tersedia.")
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

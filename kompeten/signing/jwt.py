"""JSON Web Tokens signed with the institution's key (the one of CERT_SIGNING_P12): VC-JWT.

RS256 for an RSA key, ES256/ES384/ES512 for an EC key on P-256/P-384/P-521. The key id
(`kid`) is the key's JWK thumbprint (RFC 7638), so a published JWKS names it stably.
PyJWT does the JOSE work: it is the most used JWT library for Python, small, typed, and
needs only `cryptography`, which pyHanko brings anyway.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import jwt as pyjwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.core.serializers.json import DjangoJSONEncoder
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from kompeten.signing import keys

_EC_ALGORITHMS = {"secp256r1": "ES256", "secp384r1": "ES384", "secp521r1": "ES512"}
# The members RFC 7638 hashes, per key type.
_THUMBPRINT_MEMBERS = {"RSA": ("e", "kty", "n"), "EC": ("crv", "kty", "x", "y")}


def _algorithm(key: keys.PrivateKey) -> str:
    if isinstance(key, rsa.RSAPrivateKey):
        return "RS256"
    if isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name in _EC_ALGORITHMS:
        return _EC_ALGORITHMS[key.curve.name]
    raise ValueError("The signing key must be RSA or EC P-256/P-384/P-521")


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def thumbprint(jwk: dict) -> str:
    """The RFC 7638 SHA-256 thumbprint of a public JWK."""
    members = {name: jwk[name] for name in _THUMBPRINT_MEMBERS[jwk["kty"]]}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True)
    return _b64url(hashlib.sha256(canonical.encode()).digest())


def public_jwk() -> dict:
    """The institution's public key as a JWK, with kid, alg, use and the x5c chain."""
    material = keys.key_material()
    public_key = material.private_key.public_key()
    if isinstance(public_key, rsa.RSAPublicKey):
        jwk: dict[str, Any] = RSAAlgorithm.to_jwk(public_key, as_dict=True)
    else:
        jwk = ECAlgorithm.to_jwk(public_key, as_dict=True)
    jwk = {name: jwk[name] for name in _THUMBPRINT_MEMBERS[jwk["kty"]]}
    jwk["kid"] = thumbprint(jwk)
    jwk["alg"] = _algorithm(material.private_key)
    jwk["use"] = "sig"
    jwk["x5c"] = [
        base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()
        for cert in (material.certificate, *material.chain)
    ]
    return jwk


def jwks() -> dict:
    """The JSON Web Key Set to publish (e.g. at /.well-known/jwks.json)."""
    return {"keys": [public_jwk()]}


def sign_jwt(payload: dict, *, typ: str = "vc+jwt") -> str:
    """A compact JWS of payload (datetimes and decimals serialised as Django does)."""
    material = keys.key_material()
    algorithm = _algorithm(material.private_key)
    return pyjwt.encode(
        payload, material.private_key, algorithm=algorithm,
        headers={"typ": typ, "kid": public_jwk()["kid"]}, json_encoder=DjangoJSONEncoder,
    )


def verify_jwt(token: str) -> dict:
    """The payload of a token signed with the institution's key; ValueError otherwise
    (bad signature, another key, another algorithm, expired or not yet valid)."""
    material = keys.key_material()
    jwk = public_jwk()
    try:
        header = pyjwt.get_unverified_header(token)
    except pyjwt.PyJWTError as exc:
        raise ValueError(f"Malformed token: {exc}") from exc
    if header.get("kid") not in (None, jwk["kid"]):
        raise ValueError("The token was signed with another key")
    try:
        return pyjwt.decode(
            token, material.private_key.public_key(), algorithms=[jwk["alg"]],
            options={"verify_aud": False}, leeway=60,
        )
    except pyjwt.PyJWTError as exc:
        raise ValueError(f"Invalid token: {exc}") from exc

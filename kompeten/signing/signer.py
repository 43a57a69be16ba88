"""The local signer: the institution's key (kompeten.signing.keys) as a pyHanko signer."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass

from asn1crypto import cms
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from pyhanko.sign import signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko_certvalidator.registry import SimpleCertificateStore

from kompeten.signing import keys


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


def local_signer() -> signers.SimpleSigner:
    """The signer of the current key material, built once per process (and on a key change)."""
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

"""System checks: a signing configuration that cannot work fails at start-up, not at the
first certificate."""

from pathlib import Path

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register


@register()
def signing_configuration(app_configs=None, **kwargs) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    if settings.CERT_SIGNER not in ("p12", "remote"):
        errors.append(Error(f'CERT_SIGNER is "{settings.CERT_SIGNER}"',
                            hint='Use "p12" (the PKCS#12 key) or "remote".', id="signing.E001"))
    if settings.CERT_SIGNER == "remote" and not settings.CERT_REMOTE_URL.startswith(
            ("http://", "https://")):
        errors.append(Error("CERT_SIGNER is remote but CERT_REMOTE_URL is not an http(s) URL",
                            id="signing.E002"))
    if settings.CERT_SIGNER == "remote" and not settings.CERT_TRUST_ROOTS:
        errors.append(Warning(
            "CERT_SIGNER is remote but CERT_TRUST_ROOTS is empty",
            hint="Name the signing service's root CA, or verification calls its PDFs "
                 "untrusted.", id="signing.W001"))
    if settings.CERT_SIGNING_P12 and not Path(settings.CERT_SIGNING_P12).is_file():
        errors.append(Error(f"CERT_SIGNING_P12 is not a file: {settings.CERT_SIGNING_P12}",
                            id="signing.E003"))
    for name in settings.CERT_TRUST_ROOTS:
        if not Path(name).is_file():
            errors.append(Error(f"CERT_TRUST_ROOTS names a missing file: {name}",
                                id="signing.E004"))
    return errors

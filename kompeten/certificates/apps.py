from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "kompeten.certificates"
    verbose_name = "Sertifikat"

    def ready(self) -> None:
        from kompeten.access.rules import (
            AGENCY_SIDE,
            ORGANISER,
            PARTICIPANT,
            Permission,
            register_permissions,
        )
        from kompeten.certificates.panels import register_panels

        register_permissions({
            "certificates.manage": Permission(ORGANISER),
            "certificates.siasn": Permission(AGENCY_SIDE),
            "certificate.view": Permission(AGENCY_SIDE | PARTICIPANT, _holder_or_agency),
        })
        register_panels()


def _holder_or_agency(user, certificate) -> bool:
    from kompeten.access.rules import can

    return can(user, "registration.view", certificate.registration)

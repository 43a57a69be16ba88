from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "kompeten.reports"
    verbose_name = "Laporan penyelenggara"

    def ready(self) -> None:
        from kompeten.access.rules import (
            AGENCY_SIDE,
            ORGANISER,
            PARTICIPANT,
            Permission,
            register_permissions,
        )
        from kompeten.common.jobs import register_reaper
        from kompeten.reports.panels import register_panels
        from kompeten.reports.services import purge_old_snapshots

        register_permissions({
            # Operators read the same reports, scoped to their own agency.
            "reports.view": Permission(AGENCY_SIDE),
            # Reaction ratings are anonymous per batch: they cannot be scoped to an agency.
            "reports.reaction": Permission(ORGANISER),
            "reports.data_rights": Permission(ORGANISER),
            "reports.my_data": Permission(PARTICIPANT),
        })
        register_panels()
        register_reaper(purge_old_snapshots)

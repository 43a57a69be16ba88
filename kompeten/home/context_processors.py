from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kompeten.accounts.models import Role

ORGANISER = {Role.ORGANISER}
AGENCY_SIDE = {Role.ORGANISER, Role.OPERATOR}

# (label, url name or a list of children, roles that see it; None = everyone).
# Children are grouped into one dropdown so the bar fits on a laptop screen.
NAVIGATION = [
    (_("Beranda"), "home", None),
    (_("Jadwal"), [
        (_("Jadwal angkatan"), "programs:schedule", None),
        (_("Kalender"), "programs:calendar", None),
    ], None),
    (_("Peserta"), [
        (_("Surat pemberitahuan"), "letters:overview", ORGANISER),
        (_("Surat pemberitahuan"), "letters:mine", {Role.OPERATOR}),
        (_("Usulan peserta"), "nominations:nomination_list", AGENCY_SIDE),
        (_("Surat usulan"), "nominations:nomination_letters", AGENCY_SIDE),
        (_("Preferensi tanggal"), "batching:date_preference", {Role.OPERATOR}),
        (_("Review berkas"), "review:queue", ORGANISER),
    ], AGENCY_SIDE),
    (_("Pendaftaran saya"), "participants:my_registration", {Role.PARTICIPANT}),
    (_("Penempatan"), [
        (_("Penempatan angkatan"), "batching:batch_overview", ORGANISER),
        (_("Rumpun"), "rumpun:topic_groups", ORGANISER),
        (_("Asrama"), "dormitory:room_nights", ORGANISER),
        (_("Pengumuman"), "classroom:announcement_admin", ORGANISER),
        (_("Dokumen kelas"), "classroom:class_documents", ORGANISER),
        (_("Sesi kelas dan kehadiran"), "kelas:overview", ORGANISER),
        (_("Fasilitator"), "kelas:facilitators", ORGANISER),
    ], ORGANISER),
    (_("Jadwal mengajar"), "kelas:my_timetable", {Role.FACILITATOR}),
    (_("Dokumen kelas"), "classroom:class_documents", {Role.FACILITATOR}),
    (_("Tata tertib"), "kelas:conduct", {Role.PARTICIPANT}),
    (_("Data induk"), "programs:masterdata_index", ORGANISER),
]


def _visible(roles, role) -> bool:
    return roles is None or role in roles


def _items(entries, role, path: str) -> list[dict]:
    items = []
    for label, target, roles in entries:
        if not _visible(roles, role):
            continue
        if isinstance(target, list):
            children = _items(target, role, path)
            if children:
                items.append({"label": label, "children": children,
                              "active": any(child["active"] for child in children)})
        else:
            url = reverse(target)
            items.append({"label": label, "url": url, "active": path == url})
    return items


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    role = user.role if user is not None and user.is_authenticated else None
    items = _items(NAVIGATION, role, request.path)
    if role == Role.OPERATOR and user.agency_id:
        url = reverse("programs:agency_detail", args=[user.agency_id])
        items.append({"label": _("Instansi saya"), "url": url, "active": request.path == url})
    return {"nav_items": items, "user_role_label": Role(role).label if role else ""}

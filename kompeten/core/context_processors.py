from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kompeten.accounts.models import Role

# (label, url name, roles that see it; None = everyone)
NAVIGATION = [
    (_("Beranda"), "home", None),
    (_("Jadwal"), "programs:schedule", None),
    (_("Kalender"), "programs:calendar", None),
    (_("Usulan peserta"), "registration:nomination_list", {Role.ORGANISER, Role.OPERATOR}),
    (_("Pendaftaran saya"), "registration:my_registration", {Role.PARTICIPANT}),
    (_("Data induk"), "programs:masterdata_index", {Role.ORGANISER}),
]


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    role = user.role if user is not None and user.is_authenticated else None
    items = [
        {"label": label, "url": reverse(name), "active": request.path == reverse(name)}
        for label, name, roles in NAVIGATION
        if roles is None or role in roles
    ]
    if role == Role.OPERATOR and user.agency_id:
        url = reverse("programs:agency_detail", args=[user.agency_id])
        items.append({"label": _("Instansi saya"), "url": url, "active": request.path == url})
    return {"nav_items": items, "user_role_label": Role(role).label if role else ""}

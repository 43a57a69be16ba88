"""The navigation bar, declared once. Who sees an entry is not written here: it is read
from the decorator of the view the entry links to (``allowed_roles``), so the bar and the
views cannot drift apart. ``only`` may narrow an entry further (where it is placed for a
role), never widen it."""

from dataclasses import dataclass
from functools import cache, lru_cache

from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, resolve, reverse
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kompeten.accounts.models import Role

EVERYONE = frozenset({None, *(str(role) for role in Role)})


@dataclass(frozen=True)
class Nav:
    label: Promise
    target: str | tuple["Nav", ...]  # a URL name, or the children of a dropdown
    only: frozenset[Role] | None = None


NAVIGATION: tuple[Nav, ...] = (
    Nav(_("Beranda"), "home"),
    Nav(_("Jadwal"), (
        Nav(_("Jadwal angkatan"), "programs:schedule"),
        Nav(_("Kalender"), "programs:calendar"),
    )),
    # Children are grouped into dropdowns so the bar fits on a laptop screen.
    Nav(_("Peserta"), (
        Nav(_("Surat pemberitahuan"), "letters:overview"),
        Nav(_("Surat pemberitahuan"), "letters:mine"),
        Nav(_("Usulan peserta"), "nominations:nomination_list"),
        Nav(_("Surat usulan"), "nominations:nomination_letters"),
        Nav(_("Preferensi tanggal"), "batching:date_preference"),
        Nav(_("Review berkas"), "review:queue"),
    )),
    Nav(_("Pendaftaran saya"), "participants:my_registration"),
    Nav(_("E-learning"), "elearning:mine", only=frozenset({Role.PARTICIPANT})),
    Nav(_("Penempatan"), (
        Nav(_("Penempatan angkatan"), "batching:batch_overview"),
        Nav(_("Rumpun"), "rumpun:topic_groups"),
        Nav(_("Asrama"), "dormitory:room_nights"),
        Nav(_("Pengumuman"), "classroom:announcement_admin"),
        Nav(_("Dokumen kelas"), "classroom:class_documents", only=frozenset({Role.ORGANISER})),
        Nav(_("Materi e-learning"), "elearning:materials"),
        Nav(_("Kemajuan e-learning"), "elearning:batches", only=frozenset({Role.ORGANISER})),
        Nav(_("Sesi kelas dan kehadiran"), "kelas:overview"),
        Nav(_("Fasilitator"), "kelas:facilitators"),
    )),
    Nav(_("E-learning"), "elearning:batches", only=frozenset({Role.FACILITATOR})),
    # The competency test, assessment and certificates, for each role its own pages.
    Nav(_("Sertifikasi"), (
        Nav(_("Bank soal"), "exam:bank"),
        Nav(_("Sesi uji tertulis"), "exam:sessions"),
        Nav(_("Statistik butir soal"), "exam:statistics"),
        Nav(_("Asesmen"), "assessment:overview"),
        Nav(_("Peserta asesmen saya"), "assessment:my_participants"),
        Nav(_("Sertifikat"), "certificates:overview"),
        Nav(_("Ekspor SIASN"), "certificates:siasn"),
        Nav(_("Uji kompetensi"), "exam:mine", only=frozenset({Role.PARTICIPANT})),
        Nav(_("Asesmen saya"), "assessment:mine", only=frozenset({Role.PARTICIPANT})),
        Nav(_("Sertifikat saya"), "certificates:mine", only=frozenset({Role.PARTICIPANT})),
    )),
    Nav(_("Evaluasi"), (
        Nav(_("Gelombang monev"), "monev:waves"),
        Nav(_("Kuesioner monev"), "monev:questionnaires"),
        Nav(_("Monev saya"), "monev:mine", only=frozenset({Role.PARTICIPANT})),
        Nav(_("Laporan"), "reports:index"),
    )),
    Nav(_("Jadwal mengajar"), "kelas:my_timetable"),
    Nav(_("Dokumen kelas"), "classroom:class_documents", only=frozenset({Role.FACILITATOR})),
    Nav(_("Tata tertib"), "kelas:conduct"),
    Nav(_("Data induk"), "programs:masterdata_index"),
)


@cache
def roles_of(url_name: str) -> frozenset:
    """The roles the view behind ``url_name`` serves (None stands for anonymous)."""
    view = resolve(reverse(url_name)).func
    allowed = getattr(view, "allowed_roles", None)
    return EVERYONE if allowed is None else frozenset(allowed)


def _visible(entry: Nav, role: str | None) -> bool:
    if entry.only is not None and role not in entry.only:
        return False
    return role in roles_of(entry.target)


def _links(entries: tuple[Nav, ...], role: str | None) -> tuple:
    """(label, url or None, children) of the entries the role sees."""
    links = []
    for entry in entries:
        if isinstance(entry.target, tuple):
            children = _links(entry.target, role) if (
                entry.only is None or role in entry.only) else ()
            if children:
                links.append((entry.label, None, children))
        elif _visible(entry, role):
            links.append((entry.label, reverse(entry.target), ()))
    return tuple(links)


# The bar of a role is the same on every request (the labels stay lazy, so the language
# is chosen when rendered): reverse() it once per role, URLconf and script prefix, not on
# every render (django-tables2 runs the context processors once per cell).
@lru_cache(maxsize=128)
def _bar(role: str | None, urlconf: str | None, prefix: str) -> tuple:
    return _links(NAVIGATION, role)


def _items(links: tuple, path: str) -> list[dict]:
    items = []
    for label, url, children in links:
        if url is None:
            nested = _items(children, path)
            items.append({"label": label, "children": nested,
                          "active": any(child["active"] for child in nested)})
        else:
            items.append({"label": label, "url": url, "active": path == url})
    return items


def _own_agency(agency_id: int, path: str) -> dict:
    url = reverse("programs:agency_detail", args=[agency_id])
    return {"label": _("Instansi saya"), "url": url, "active": path == url}


def _link_html(css: str, item: dict) -> SafeString:
    return format_html('<a class="{}{}" {} href="{}">{}</a>', css,
                       " active" if item["active"] else "",
                       mark_safe('aria-current="page"') if item["active"] else "",
                       item["url"], item["label"])


def _bar_html(items: list[dict]) -> SafeString:
    """The entries of the bar as the markup base.html wrote in a template loop (one
    ``<li>`` per entry, a dropdown for an entry with children); built here, once per role,
    language and path, rather than through ~30 template variable lookups per request."""
    html = []
    for item in items:
        if item.get("children"):
            children = format_html_join(
                "", "\n            <li>{}</li>",
                ((_link_html("dropdown-item", child),) for child in item["children"]))
            html.append(format_html(
                '\n        \n        <li class="nav-item dropdown">\n          '
                '<a class="nav-link dropdown-toggle text-nowrap{}" href="#" role="button" '
                'data-bs-toggle="dropdown" aria-expanded="false">{}</a>\n          '
                '<ul class="dropdown-menu">{}\n          </ul>\n        </li>\n        \n        ',
                " active" if item["active"] else "", item["label"], children))
        else:
            html.append(format_html(
                '\n        \n        <li class="nav-item">{}</li>\n        \n        ',
                _link_html("nav-link text-nowrap", item)))
    return mark_safe("".join(html))  # noqa: S308 -- format_html above


# A bar depends only on the role (and an operator's agency), the language of the labels,
# the URLconf, the script prefix and the path (which entry is active): the same markup for
# every request with the same key, whatever the data.
@lru_cache(maxsize=1024)
def _rendered_bar(role: str | None, agency_id: int | None, language: str | None,
                  urlconf: str | None, prefix: str, path: str) -> SafeString:
    items = _items(_bar(role, urlconf, prefix), path)
    if agency_id:
        items.append(_own_agency(agency_id, path))
    return _bar_html(items)


def navigation(request: HttpRequest) -> dict:
    """Context processor: the bar for the user's role."""
    user = getattr(request, "user", None)
    role = user.role if user is not None and user.is_authenticated else None
    agency_id = user.agency_id if role == Role.OPERATOR else None
    return {"nav_bar": _rendered_bar(role, agency_id, get_language(), get_urlconf(),
                                     get_script_prefix(), request.path),
            "user_role_label": Role(role).label if role else ""}

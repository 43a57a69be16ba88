"""The announcement: the organiser publishes, the public reads the class lists."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompeten.access.decorators import organiser_required
from kompeten.classroom import publication as services
from kompeten.classroom import selectors as class_selectors
from kompeten.programs import selectors as program_selectors
from kompeten.rumpun.views import program_from


def _admin_url(program) -> str:
    return f"{reverse('classroom:announcement_admin')}?tahun={program.code}"


@organiser_required
def admin(request: HttpRequest) -> HttpResponse:
    program = program_from(request)
    return render(request, "classroom/publication/admin.html", {
        "program": program,
        "publication": class_selectors.publication_of(program),
        "summary": class_selectors.announcement_summary(program=program),
        "batches": class_selectors.class_lists(program=program, announced_only=False),
    })


@organiser_required
@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    program = program_from(request)
    try:
        result = services.publish(program=program, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        text = (_("Daftar kelas diumumkan: %(count)s peserta, %(emails)s e-mail dikirim.")
                if result.first else
                _("%(count)s peserta baru diumumkan, %(emails)s e-mail dikirim."))
        messages.success(request, text % {"count": result.announced, "emails": result.emails})
    return redirect(_admin_url(program))


@organiser_required
@require_POST
def unpublish(request: HttpRequest) -> HttpResponse:
    program = program_from(request)
    try:
        services.unpublish(program=program, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Pengumuman ditarik dari halaman publik. Peserta yang sudah "
                                    "diberi tahu tetap berada di angkatannya."))
    return redirect(_admin_url(program))


def public(request: HttpRequest, code: str) -> HttpResponse:
    """Public class lists: name with titles, agency and group only; "not yet" before."""
    program = program_selectors.program_by_code(code=code)
    publication = class_selectors.publication_of(program)
    batches = (class_selectors.class_lists(program=program) if publication is not None
               else [])
    return render(request, "classroom/publication/public.html", {
        "program": program, "publication": publication, "batches": batches})

"""The announcement: the organiser publishes, the public reads the class lists."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompeten.access.decorators import organiser_required
from kompeten.classroom import publication as services
from kompeten.classroom import selectors as class_selectors
from kompeten.common.pagecache import public_page
from kompeten.programs import selectors as program_selectors
from kompeten.rumpun.views import program_from

# A page of the announcement (public and the organiser's): the class lists of this many
# batches (30 each).
PAGE_BATCHES = 10


def _admin_url(program) -> str:
    return f"{reverse('classroom:announcement_admin')}?tahun={program.code}"


@organiser_required
def admin(request: HttpRequest) -> HttpResponse:
    program = program_from(request)
    index = class_selectors.announced_batches(program=program, announced_only=False)
    page = Paginator(index, PAGE_BATCHES).get_page(request.GET.get("halaman"))
    ids = [pk for pk, _number in page.object_list]
    return render(request, "classroom/publication/admin.html", {
        "program": program,
        "publication": class_selectors.publication_of(program),
        "summary": class_selectors.announcement_summary(program=program),
        "batches": class_selectors.class_lists(program=program, announced_only=False,
                                               batch_ids=ids),
        "page": page,
        "pages": page.paginator.get_elided_page_range(page.number, on_each_side=2),
    })


@organiser_required
@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    program = program_from(request)
    if not request.POST.get("confirm"):
        # Publishing is public and mails everybody: say what will happen and to how many.
        return render(request, "classroom/publication/confirm_publish.html", {
            "program": program, "publication": class_selectors.publication_of(program),
            "pending": class_selectors.publish_preview(program=program)})
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


# What the announcement shows changes through the services, which bump the content version
# "announcement" (placements, groups, names, agencies, publishing) or "public" (programme,
# batches, levels); a write from outside them (a shell, the database) shows after this.
PUBLIC_CACHE_SECONDS = 300


@public_page("public", "announcement", max_age=PUBLIC_CACHE_SECONDS)
def public(request: HttpRequest, code: str) -> HttpResponse:
    """Public class lists: name with titles, agency and group only; "not yet" before.

    Paged per PAGE_BATCHES batches, with a jump to a batch number and a name search, so a
    national programme (thousands of batches) never renders everything. Anonymous visitors
    get the whole page from the page cache (one query while nothing changed)."""
    program = program_selectors.program_by_code(code=code)
    publication = class_selectors.publication_of(program)
    context = {"program": program, "publication": publication, "batches": []}
    if publication is None:
        return render(request, "classroom/publication/public.html", context)
    query = request.GET.get("cari", "").strip()[:100]
    if query:
        context.update(query=query, found=class_selectors.search_announced(
            program=program, query=query))
        return render(request, "classroom/publication/public.html", context)
    index = class_selectors.announced_batches(program=program)
    paginator = Paginator(index, PAGE_BATCHES)
    number = request.GET.get("halaman")
    wanted = request.GET.get("angkatan", "")
    if wanted.isdigit() and len(wanted) < 6:
        position = class_selectors.batch_position(index, int(wanted))
        if position is None:
            context["missing_batch"] = wanted
        else:
            number = position // PAGE_BATCHES + 1
    page = paginator.get_page(number)
    ids = [pk for pk, _number in page.object_list]
    lists = render_to_string("classroom/publication/_class_lists.html", {
        "batches": class_selectors.class_lists(program=program, batch_ids=ids)})
    pages = paginator.get_elided_page_range(page.number, on_each_side=2)
    context.update(page=page, lists=mark_safe(lists),  # noqa: S308 - rendered by us
                   batches=ids, pages=pages)
    return render(request, "classroom/publication/public.html", context)

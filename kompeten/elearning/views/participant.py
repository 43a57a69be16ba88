"""The participant's e-learning page: modules, materials, resume, forum links."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kompeten.accounts.access import role_required
from kompeten.accounts.models import Role
from kompeten.common.upload_limits import capped_uploads
from kompeten.common.uploads import megabytes
from kompeten.elearning import selectors, services
from kompeten.elearning.forms import ResumeForm
from kompeten.elearning.models import Material
from kompeten.elearning.views import back, stream
from kompeten.programs.models import ProgramModule
from kompeten.programs.selectors import current_program


@role_required(Role.PARTICIPANT)
def mine(request: HttpRequest) -> HttpResponse:
    program = current_program()
    placement = selectors.placement_of(user=request.user, program=program)
    context = {"program": program, "placement": placement,
               "max_mb": megabytes(_max_bytes())}
    if placement is not None:
        batch = placement.batch
        today = timezone.localdate()
        start = selectors.opens_on(batch)  # once: is_open() would read the timeline again
        context.update(batch=batch, opens_on=start, is_open=start is None or start <= today,
                       days_left=(batch.start_date - today).days)
        if context["is_open"]:
            rows = selectors.participant_modules(registration=placement.registration,
                                                 batch=batch, user=request.user)
            context.update(rows=rows, total=selectors.total_percent(rows),
                           form=ResumeForm(),
                           min_chars=program.resume_min_chars)
    return render(request, "elearning/mine.html", context)


def _max_bytes() -> int:
    from django.conf import settings

    return settings.ELEARNING_MAX_BYTES


@never_cache
@role_required(*Role)
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """A material version: the file streamed, or the video link; tracked for participants."""
    version, registration = selectors.version_for(user=request.user, pk=pk)
    if registration is not None:
        services.record_download(version=version, registration=registration)
    if version.stored_id is None:
        return HttpResponseRedirect(version.url)
    return stream(request, version.stored)


@require_POST
@role_required(Role.PARTICIPANT)
def mark_studied(request: HttpRequest, pk: int) -> HttpResponse:
    material = get_object_or_404(Material.objects.select_related("module__program"), pk=pk)
    try:
        services.mark_studied(material=material, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(title)s ditandai sudah dipelajari.")
                         % {"title": material.title})
    return back(request, reverse("elearning:mine") + f"#modul-{material.module_id}")


@require_POST
@role_required(Role.PARTICIPANT)
@capped_uploads(setting="ELEARNING_MAX_BYTES")
def resume_submit(request: HttpRequest, pk: int) -> HttpResponse:
    module = get_object_or_404(ProgramModule.objects.select_related("program"), pk=pk)
    form = ResumeForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            services.submit_resume(module=module, by=request.user,
                                   text=form.cleaned_data["text"],
                                   upload=form.cleaned_data["file"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Resume modul %(title)s terkirim; fasilitator akan "
                                        "membacanya.") % {"title": module.title})
    return HttpResponseRedirect(reverse("elearning:mine") + f"#modul-{module.pk}")


@never_cache
@role_required(Role.PARTICIPANT, Role.ORGANISER, Role.FACILITATOR)
def resume_file(request: HttpRequest, pk: int) -> HttpResponse:
    resume = selectors.resume_for(user=request.user, pk=pk)
    if resume.stored_id is None:
        raise Http404
    return stream(request, resume.stored)

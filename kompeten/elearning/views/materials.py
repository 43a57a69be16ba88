"""The organiser uploads materials per module of each level, and new versions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompeten.accounts.access import organiser_required
from kompeten.common.upload_limits import capped_uploads
from kompeten.common.uploads import megabytes
from kompeten.elearning import selectors, services
from kompeten.elearning.forms import MaterialForm, VersionForm
from kompeten.elearning.models import Material
from kompeten.programs.models import ProgramModule
from kompeten.programs.selectors import program_for


def _errors(form) -> str:
    return " ".join(e for errors in form.errors.values() for e in errors)


@organiser_required
@capped_uploads(setting="ELEARNING_MAX_BYTES")
def index(request: HttpRequest) -> HttpResponse:
    program = program_for(code=request.GET.get("tahun"))
    modules = list(ProgramModule.objects.filter(program=program).select_related("level"))
    if request.method == "POST":
        form = MaterialForm(request.POST, request.FILES)
        module = None
        if form.is_valid():
            module = next((m for m in modules if m.pk == form.cleaned_data["module"]), None)
        if module is None:
            messages.error(request, _errors(form) or _("Modul tidak dikenal."))
        else:
            try:
                material = services.add_material(
                    module=module, title=form.cleaned_data["title"],
                    kind=form.cleaned_data["kind"], by=request.user,
                    upload=form.cleaned_data["file"], url=form.cleaned_data["url"] or "")
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Materi %(title)s tersimpan.")
                                 % {"title": material.title})
        return HttpResponseRedirect(request.get_full_path() + (
            f"#modul-{module.pk}" if module else ""))
    versions = selectors.current_versions(modules)
    materials = list(Material.objects.filter(module__in=modules).order_by("order", "pk"))
    by_module: dict[int, list] = {m.pk: [] for m in modules}
    for material in materials:
        by_module[material.module_id].append((material, versions.get(material.pk)))
    levels: dict = {}
    for module in modules:
        levels.setdefault(module.level, []).append((module, by_module[module.pk]))
    return render(request, "elearning/materials.html", {
        "program": program, "levels": levels, "form": MaterialForm(),
        "version_form": VersionForm(),
        "max_mb": megabytes(_max())})


def _max() -> int:
    from django.conf import settings

    return settings.ELEARNING_MAX_BYTES


@require_POST
@organiser_required
@capped_uploads(setting="ELEARNING_MAX_BYTES")
def new_version(request: HttpRequest, pk: int) -> HttpResponse:
    material = get_object_or_404(Material.objects.select_related("module__program"), pk=pk)
    form = VersionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _errors(form))
    else:
        try:
            version = services.add_version(material=material, by=request.user,
                                           upload=form.cleaned_data["file"],
                                           url=form.cleaned_data["url"] or "",
                                           note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(title)s versi %(n)s tersimpan.")
                             % {"title": material.title, "n": version.number})
    return HttpResponseRedirect(reverse("elearning:materials")
                                + f"?tahun={material.module.program.code}"
                                + f"#modul-{material.module_id}")

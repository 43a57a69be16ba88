"""The organiser's pages: the policy, who is eligible per batch and why not, issuing as a
background job with its progress, the organiser's eligibility records, correcting and
revoking."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompeten.access.decorators import permission_required
from kompeten.certificates import integration, selectors, services
from kompeten.certificates.eligibility import batch_rows, policy_for, row_for
from kompeten.certificates.forms import EligibilityForm, IssueForm, PolicyForm, RevokeForm
from kompeten.certificates.models import Certificate, Kind
from kompeten.certificates.views import file_response
from kompeten.common.paging import batch_page
from kompeten.common.storage import private_storage
from kompeten.programs.models import Batch, Level, ProgramUnit
from kompeten.programs.selectors import program_for
from kompeten.registration.models import Registration

MANAGE = "certificates.manage"


@permission_required(MANAGE)
def overview(request: HttpRequest) -> HttpResponse:
    program = program_for(code=request.GET.get("tahun"))
    page, found = batch_page(request, program.batches.all())
    return render(request, "certificates/overview.html", {
        "program": program, "policy": policy_for(program), "page": page, "found": found,
        "levels": Level.objects.order_by("order"),
        "batches": selectors.batch_summary(program=program, batches=page.object_list)})


@permission_required(MANAGE)
def settings_page(request: HttpRequest) -> HttpResponse:
    program = program_for(code=request.GET.get("tahun"))
    policy = policy_for(program)
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.save_policy(program=program, values=values)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Ketentuan sertifikat disimpan."))
            return redirect(f"{request.path}?tahun={program.code}")
    return render(request, "certificates/settings.html", {"program": program, "form": form})


def _batch(pk: int) -> Batch:
    return get_object_or_404(Batch.objects.select_related("program", "level"), pk=pk)


@permission_required(MANAGE)
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    found = _batch(pk)
    rows = batch_rows(found)
    counts = {kind: {"eligible": sum(1 for r in rows if r.verdicts[kind].eligible),
                     "issued": sum(1 for r in rows if kind in r.certificates),
                     "pending": sum(1 for r in rows if r.pending(kind))}
              for kind in Kind.values}
    return render(request, "certificates/batch.html", {
        "batch": found, "rows": rows, "counts": counts, "runs": selectors.runs_of(batch=found),
        "kinds": Kind.choices})


def _start(request: HttpRequest, *, program, batch_obj=None) -> HttpResponse:
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih jenis sertifikat."))
        return redirect("certificates:overview")
    kind = form.cleaned_data["kind"]
    if not form.cleaned_data["confirm"]:
        batches = [batch_obj] if batch_obj else list(
            Batch.objects.filter(program=program).select_related("program"))
        pending = sum(1 for b in batches for row in batch_rows(b) if row.pending(kind))
        return render(request, "certificates/issue_confirm.html", {
            "program": program, "batch": batch_obj, "kind": kind,
            "kind_label": Kind(kind).label, "pending": pending,
            "remote_signer": integration.remote_signer()})
    try:
        run = services.start_run(program=program, batch=batch_obj, kind=kind, by=request.user,
                                 passphrase=request.POST.get("passphrase", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("certificates:overview")
    return redirect("certificates:run", pk=run.pk)


@require_POST
@permission_required(MANAGE)
def issue_batch(request: HttpRequest, pk: int) -> HttpResponse:
    found = _batch(pk)
    return _start(request, program=found.program, batch_obj=found)


@require_POST
@permission_required(MANAGE)
def issue_program(request: HttpRequest) -> HttpResponse:
    return _start(request, program=program_for(code=request.GET.get("tahun")))


@permission_required(MANAGE)
def run(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "certificates/run.html", {"run": selectors.run(pk=pk)})


@permission_required(MANAGE)
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "certificates/_run_progress.html", {"run": selectors.run(pk=pk)})


@permission_required(MANAGE)
def run_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.run(pk=pk)
    if not found.merged_pdf:
        raise Http404
    try:
        with private_storage().open(found.merged_pdf.name, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise Http404 from exc
    label = f"angkatan-{found.batch.number}" if found.batch else "semua"
    return file_response(data, f"sertifikat-{found.program.code}-{label}.pdf")


@permission_required(MANAGE)
def eligibility(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in Kind.values:
        raise Http404
    registration = get_object_or_404(Registration.objects.select_related("qualification"),
                                     pk=pk)
    row = row_for(registration)
    if row is None:
        raise Http404
    units = list(ProgramUnit.objects.filter(qualification_id=registration.qualification_id)
                 .order_by("order")) if kind == Kind.COMPETENCE else []
    manual = row.verdicts[kind].manual
    initial = {"reason": manual.reason, "units": [str(u) for u in manual.unit_ids]} if (
        manual) else {"units": [str(u.pk) for u in units]}
    form = EligibilityForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST":
        if request.POST.get("withdraw"):
            services.withdraw_eligibility(registration=registration, kind=kind)
            messages.success(request, _("Catatan kelayakan dihapus."))
            return redirect("certificates:batch", pk=row.batch.pk)
        if form.is_valid():
            try:
                services.record_eligibility(
                    registration=registration, kind=kind, reason=form.cleaned_data["reason"],
                    unit_ids=[int(u) for u in form.cleaned_data.get("units", [])],
                    by=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Kelayakan dicatat."))
                return redirect("certificates:batch", pk=row.batch.pk)
    return render(request, "certificates/eligibility.html", {
        "registration": registration, "row": row, "kind": kind, "kind_label": Kind(kind).label,
        "form": form, "manual": manual})


@permission_required(MANAGE)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_object_or_404(
        Certificate.objects.select_related("program", "batch", "registration", "replaces",
                                           "revoked_by", "issued_by"), pk=pk)
    versions = list(Certificate.objects.filter(
        registration=certificate.registration, kind=certificate.kind).order_by("-version"))
    return render(request, "certificates/detail.html", {
        "certificate": certificate, "versions": versions, "form": RevokeForm()})


@require_POST
@permission_required(MANAGE)
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_object_or_404(Certificate, pk=pk)
    form = RevokeForm(request.POST)
    correct = request.POST.get("action") == "reissue"
    if not form.is_valid():
        messages.error(request, _("Tuliskan alasannya."))
        return redirect("certificates:detail", pk=pk)
    try:
        if correct:
            certificate = services.reissue(certificate=certificate,
                                           reason=form.cleaned_data["reason"], by=request.user,
                                           full_name=form.cleaned_data["full_name"])
            messages.success(request, _("Versi baru diterbitkan; versi lama dicabut."))
        else:
            services.revoke(certificate=certificate, reason=form.cleaned_data["reason"],
                            by=request.user)
            messages.success(request, _("Sertifikat dicabut."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("certificates:detail", pk=certificate.pk)

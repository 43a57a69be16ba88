from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from kompeten.access.decorators import role_required
from kompeten.accounts.models import Role
from kompeten.common.storage import serve
from kompeten.common.upload_limits import capped_uploads
from kompeten.common.uploads import megabytes
from kompeten.participants import document_selectors, document_services
from kompeten.participants.forms import DocumentUploadForm
from kompeten.programs.selectors import current_program
from kompeten.registration import selectors


def _own(request: HttpRequest):
    registration = selectors.own_registration(user=request.user, program=current_program())
    if registration is None:
        raise Http404
    return registration


def _upload_label(slot) -> str:
    return _("Pilih berkas %(types)s, paling besar %(max)s MB") % {
        "types": slot.types, "max": megabytes(settings.UPLOAD_MAX_BYTES)}


@role_required(Role.PARTICIPANT)
@capped_uploads
def documents(request: HttpRequest) -> HttpResponse:
    """The participant's required documents: checklist, upload per kind, replaced files."""
    registration = _own(request)
    slots = document_selectors.document_slots(registration)
    by_kind = {slot.kind: slot for slot in slots}
    failed_kind = None
    if request.method == "POST":
        failed_kind = request.POST.get("kind", "")
        slot = by_kind.get(failed_kind)
        form = DocumentUploadForm(
            request.POST, request.FILES, auto_id=f"id_{failed_kind}_%s" if slot else "id_%s",
            accept=slot.accept if slot else "", label=_upload_label(slot) if slot else "")
        if form.is_valid():
            try:
                document = document_services.replace_document(
                    registration=registration, kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"], by=request.user)
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                messages.success(request, _("%(kind)s tersimpan: %(name)s.") % {
                    "kind": document.get_kind_display(), "name": document.stored.original_name})
                return redirect("participants:documents")
        if slot is None:
            messages.error(request, " ".join(str(e) for e in form.errors.get("kind", [])))
    for slot in slots:
        if slot.kind == failed_kind:
            slot.form = form
        else:
            slot.form = DocumentUploadForm(initial={"kind": slot.kind}, accept=slot.accept,
                                           label=_upload_label(slot),
                                           auto_id=f"id_{slot.kind}_%s")
    return render(request, "participants/documents.html", {
        "registration": registration, "slots": slots,
        "can_replace": document_services.can_replace_documents(registration),
        "max_mb": megabytes(settings.UPLOAD_MAX_BYTES),
    })


@never_cache
@role_required(*Role)
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """Stream a private file to someone who may see its registration or agency (else 404)."""
    stored = document_selectors.stored_file_for(user=request.user, pk=pk)
    return serve(request, stored.file, filename=stored.original_name,
                 content_type=stored.content_type)

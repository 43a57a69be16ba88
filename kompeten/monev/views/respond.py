"""Answering a questionnaire: the participant logged in (``isi/<pk>/``) or the holder of a
personal link (``t/<token>/``, the participant or the supervisor, no account). Both go
through the same handlers; only how the invitation is found differs."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kompeten.access.decorators import role_required
from kompeten.accounts.models import Role
from kompeten.common.upload_limits import capped_uploads
from kompeten.common.uploads import megabytes
from kompeten.monev import selectors, services
from kompeten.monev.forms import EvidenceForm, SupervisorForm
from kompeten.monev.models import Invitation
from kompeten.monev.selectors import FREQUENCY_LABELS

LIKERT = [(1, gettext_lazy("Sangat tidak setuju")), (2, gettext_lazy("Tidak setuju")),
          (3, gettext_lazy("Ragu-ragu")), (4, gettext_lazy("Setuju")),
          (5, gettext_lazy("Sangat setuju"))]


def _urls(invitation: Invitation, token: str | None) -> dict[str, str]:
    if token:
        return {"form": reverse("monev:token_form", args=[token]),
                "save": reverse("monev:token_save", args=[token]),
                "submit": reverse("monev:token_submit", args=[token]),
                "supervisor": reverse("monev:token_supervisor", args=[token]),
                "evidence": reverse("monev:token_evidence", args=[token, 0])[:-2]}
    pk = invitation.pk
    return {"form": reverse("monev:form", args=[pk]), "save": reverse("monev:save", args=[pk]),
            "submit": reverse("monev:submit", args=[pk]),
            "supervisor": reverse("monev:supervisor", args=[pk]),
            "evidence": reverse("monev:evidence_upload", args=[pk, 0])[:-2]}


def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    status = 404 if exc.code == "unknown" else 410
    return render(request, "monev/link_invalid.html", {"message": exc.messages[0]},
                  status=status)


def _by_token(token: str) -> Invitation:
    return services.invitation_for_token(token=token)


def _show(request: HttpRequest, invitation: Invitation, token: str | None) -> HttpResponse:
    services.mark_opened(invitation=invitation)
    data = selectors.form(invitation)
    today = timezone.localdate()
    from django.conf import settings

    return render(request, "monev/form.html", {
        "form": data, "invitation": invitation, "wave": invitation.wave, "urls": _urls(
            invitation, token),
        "is_open": invitation.wave.is_open(today),
        "submitted": bool(data.response and data.response.submitted_at),
        "likert": LIKERT, "frequency": list(enumerate(FREQUENCY_LABELS, start=1)),
        "statuses": services.MilestoneStatus.choices,
        "supervisor_form": SupervisorForm(initial=vars(data.supervisor)
                                          if data.supervisor else None),
        "max_mb": megabytes(settings.UPLOAD_MAX_BYTES),
        "is_token": token is not None})


def _save(request: HttpRequest, invitation: Invitation, token: str | None) -> HttpResponse:
    values = {k: v for k, v in request.POST.items() if k.startswith(("item-", "ms-"))}
    try:
        errors = services.save_answers(invitation=invitation, values=values)
    except ValidationError as exc:
        errors, refused = {}, exc.messages[0]
    else:
        refused = ""
    if request.headers.get("HX-Request"):
        # htmx swaps only 2xx answers: the refusal is a message in the status line.
        return render(request, "monev/_saved.html", {
            "errors": errors, "refused": refused, "at": timezone.localtime()})
    if refused:
        messages.error(request, refused)
    elif errors:
        messages.error(request, " ".join(errors.values()))
    else:
        messages.success(request, _("Jawaban tersimpan."))
    return HttpResponseRedirect(_urls(invitation, token)["form"])


def _submit(request: HttpRequest, invitation: Invitation, token: str | None) -> HttpResponse:
    try:
        services.submit(invitation=invitation)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Terima kasih. Kuesioner Anda sudah terkirim."))
    return HttpResponseRedirect(_urls(invitation, token)["form"])


def _supervisor(request: HttpRequest, invitation: Invitation, token: str | None
                ) -> HttpResponse:
    form = SupervisorForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            services.change_supervisor(invitation=invitation, by=request.user,
                                       **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Identitas atasan disimpan; kuesioner atasan akan "
                                        "dikirim ke alamat yang baru."))
    return HttpResponseRedirect(_urls(invitation, token)["form"] + "#atasan")


def _evidence(request: HttpRequest, invitation: Invitation, token: str | None,
              milestone: int) -> HttpResponse:
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            services.attach_evidence(invitation=invitation, milestone_id=milestone,
                                     upload=form.cleaned_data["file"], by=request.user
                                     if request.user.is_authenticated else None)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Bukti dukung tersimpan."))
    return HttpResponseRedirect(_urls(invitation, token)["form"] + f"#ms-{milestone}")


# -- the participant, logged in --------------------------------------------------------

def _mine(handler: Callable) -> Callable:
    def view(request: HttpRequest, pk: int, **kwargs) -> HttpResponse:
        return handler(request, selectors.participant_invitation(request.user, pk), None,
                       **kwargs)
    return view


@role_required(Role.PARTICIPANT)
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "monev/mine.html", {
        "invitations": selectors.participant_invitations(request.user),
        "today": timezone.localdate()})


form = never_cache(role_required(Role.PARTICIPANT)(_mine(_show)))
save = require_POST(role_required(Role.PARTICIPANT)(_mine(_save)))
submit = require_POST(role_required(Role.PARTICIPANT)(_mine(_submit)))
supervisor = require_POST(role_required(Role.PARTICIPANT)(_mine(_supervisor)))
evidence_upload = require_POST(role_required(Role.PARTICIPANT)(
    capped_uploads(_mine(_evidence))))


# -- anyone holding the link -----------------------------------------------------------

def _linked(handler: Callable) -> Callable:
    def view(request: HttpRequest, token: str, **kwargs) -> HttpResponse:
        try:
            invitation = _by_token(token)
        except ValidationError as exc:
            return _invalid(request, exc)
        return handler(request, invitation, token, **kwargs)
    return view


token_form = never_cache(_linked(_show))
token_save = require_POST(_linked(_save))
token_submit = require_POST(_linked(_submit))
token_supervisor = require_POST(_linked(_supervisor))
token_evidence = require_POST(capped_uploads(_linked(_evidence)))

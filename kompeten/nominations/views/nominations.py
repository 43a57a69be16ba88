import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kompeten.access.decorators import organiser_required, role_required
from kompeten.accounts.models import Role
from kompeten.common.pagecache import user_page
from kompeten.nominations import bulk, services
from kompeten.nominations import selectors as nomination_selectors
from kompeten.nominations.filters import filtered_nominations
from kompeten.nominations.forms import NomineeForm
from kompeten.programs.selectors import current_program
from kompeten.registration import checklist, selectors
from kompeten.registration import services as invitations
from kompeten.registration.forms import NameCorrectionForm
from kompeten.registration.models import Registration


def _program_or_404():
    program = current_program()
    if program is None:
        raise Http404
    return program


class NominationTable(tables.Table):
    # Organisers select rows for the bulk actions (the column is excluded for operators).
    select = tables.CheckBoxColumn(
        accessor="pk", orderable=False,
        attrs={"th__input": {"aria-label": gettext_lazy("Pilih semua di halaman ini"),
                             "id": "select-page",
                             "onchange": "this.closest('form').querySelectorAll("
                                         "'input[name=pk]').forEach("
                                         "c => c.checked = this.checked)"},
               "td__input": {"aria-label": gettext_lazy("Pilih"), "name": "pk"}})
    # The cells are drawn by the table's template (one loop, no per-cell render call);
    # the columns give the headers and the sorting.
    plain_name = tables.Column(verbose_name=gettext_lazy("Nama"), order_by=("plain_name",))
    nip = tables.Column(verbose_name=gettext_lazy("NIP"))
    agency = tables.Column(verbose_name=gettext_lazy("Instansi"), order_by=("agency__name",))
    level = tables.Column(verbose_name=gettext_lazy("Jenjang"), order_by=("level__order",))
    status = tables.Column(verbose_name=gettext_lazy("Status"))
    lacks = tables.Column(verbose_name=gettext_lazy("Yang belum lengkap"), orderable=False,
                          empty_values=())

    class Meta:
        model = Registration
        fields = ("select", "plain_name", "nip", "agency", "level", "status", "lacks")
        attrs = {"class": "table table-sm table-hover align-middle table-stack",
                 "id": "nomination-table"}
        template_name = "nominations/_nomination_table.html"

    def __init__(self, *args, selectable: bool, **kwargs):
        super().__init__(*args, exclude=() if selectable else ("select",), **kwargs)
        self.selectable = selectable


@role_required(Role.ORGANISER, Role.OPERATOR)
@user_page()
def nomination_list(request: HttpRequest) -> HttpResponse:
    program = _program_or_404()
    filterset = filtered_nominations(user=request.user, program=program, data=request.GET)
    registrations = nomination_selectors.with_invitation_mail(
        checklist.with_checklist_data(filterset.qs))
    organiser = request.user.role == Role.ORGANISER
    table = NominationTable(registrations, order_by=request.GET.get("sort", "plain_name"),
                            selectable=organiser)
    tables.RequestConfig(request, paginate={"per_page": 50}).configure(table)
    export_query = request.GET.copy()
    for name in ("sort", "page"):
        export_query.pop(name, None)
    return render(request, "nominations/nomination_list.html", {
        "program": program, "table": table, "filter": filterset,
        "agency_chosen": filterset.form.cleaned_data.get("agency")
        if filterset.form.is_valid() else None,
        "export_query": export_query.urlencode(), "bulk_actions": bulk.ACTIONS.values(),
        "failed_invitations": (nomination_selectors.failed_invitation_count(program=program)
                               if organiser else 0)})


@role_required(Role.OPERATOR)
def nominate(request: HttpRequest) -> HttpResponse:
    program = _program_or_404()
    agency = request.user.agency
    form = NomineeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.nominate(
                program=program, agency=agency, level=data["level"], by=request.user,
                nominee=services.Nominee(
                    nip=data["nip"], full_name=data["full_name"], position=data["position"],
                    email=data["email"], work_unit=data["work_unit"], phone=data["phone"],
                    is_pppk=data["is_pppk"], gender=data["gender"]))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(name)s diusulkan untuk jenjang %(level)s.")
                             % {"name": registration.full_name, "level": registration.level})
            return redirect("nominations:nomination_list")
    quotas = nomination_selectors.quota_usage(program=program, agency=agency)
    return render(request, "nominations/nominate.html",
                  {"form": form, "program": program, "agency": agency, "quotas": quotas})


@role_required(Role.ORGANISER, Role.OPERATOR)
def nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    registration = selectors.registration_for(user=request.user, pk=pk)
    return render(request, "nominations/nomination_detail.html", {
        "registration": registration, "checklist": checklist.checklist(registration),
        "history": selectors.status_history(registration=registration),
        "invitation": selectors.current_invitation(registration=registration)})


@require_POST
@role_required(Role.OPERATOR)
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    registration = selectors.registration_for(user=request.user, pk=pk)
    try:
        services.withdraw_nomination(registration=registration)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("nominations:nomination_detail", pk=pk)
    messages.success(request, _("Usulan %(name)s ditarik.") % {"name": registration.full_name})
    return redirect("nominations:nomination_list")


@require_POST
@organiser_required
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    registration = selectors.registration_for(user=request.user, pk=pk)
    try:
        invitations.invite(registration=registration, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Undangan dikirim ke %(email)s.")
                         % {"email": registration.email})
    return redirect("nominations:nomination_detail", pk=pk)


@organiser_required
def correct_name(request: HttpRequest, pk: int) -> HttpResponse:
    """After acceptance the organiser corrects a name (logged with the reason)."""
    registration = selectors.registration_for(user=request.user, pk=pk)
    form = NameCorrectionForm(request.POST or None,
                              initial={"full_name": registration.full_name})
    if request.method == "POST" and form.is_valid():
        try:
            invitations.correct_name(registration=registration,
                                     full_name=form.cleaned_data["full_name"],
                                     by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Nama dikoreksi; perubahan tercatat di riwayat."))
            return redirect("nominations:nomination_detail", pk=pk)
    return render(request, "nominations/correct_name.html",
                  {"form": form, "registration": registration})

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.access.decorators import role_required
from kompeten.accounts.models import Role
from kompeten.common.pagecache import user_page
from kompeten.common.tables import TemplateColumn
from kompeten.common.upload_limits import capped_uploads
from kompeten.nominations import letters as letter_services
from kompeten.nominations import selectors as letter_selectors
from kompeten.nominations.forms import NominationLetterForm
from kompeten.nominations.models import NominationLetter
from kompeten.programs.models import PROVINCE_CHOICES, AgencyKind
from kompeten.programs.selectors import current_program

LETTERS_WITHOUT_LIST_LIMIT = 100


class LetterFilter(django_filters.FilterSet):
    province = django_filters.ChoiceFilter(
        field_name="agency__province", choices=PROVINCE_CHOICES,
        label=gettext_lazy("Provinsi"), empty_label=gettext_lazy("Semua provinsi"))
    kind = django_filters.ChoiceFilter(
        field_name="agency__kind", choices=AgencyKind.choices,
        label=gettext_lazy("Jenis instansi"), empty_label=gettext_lazy("Semua jenis"))
    history = django_filters.BooleanFilter(
        method="with_history", label=gettext_lazy("Tampilkan juga surat yang sudah diganti"),
        widget=forms.CheckboxInput)

    class Meta:
        model = NominationLetter
        fields = ["province", "kind", "history"]

    def with_history(self, queryset, name, value):
        return queryset if value else queryset.filter(is_current=True)


class LetterTable(tables.Table):
    agency = tables.Column(verbose_name=gettext_lazy("Instansi"), order_by=("agency__name",))
    province = tables.Column(accessor="agency__province", verbose_name=gettext_lazy("Provinsi"),
                             default="—")
    number = tables.Column(verbose_name=gettext_lazy("Nomor surat"))
    date = tables.DateColumn(verbose_name=gettext_lazy("Tanggal surat"), format="j M Y")
    uploaded_at = tables.DateTimeColumn(verbose_name=gettext_lazy("Diunggah"),
                                        format="j M Y H:i")
    document = TemplateColumn(
        template_name="nominations/_letter_download.html",
        verbose_name=gettext_lazy("Berkas"), orderable=False)

    class Meta:
        model = NominationLetter
        fields = ("agency", "province", "number", "date", "uploaded_at", "document")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "letter-table"}
        row_attrs = {"class": lambda record: "" if record.is_current else "text-muted"}


@role_required(Role.ORGANISER, Role.OPERATOR)
@capped_uploads
@user_page()
def nomination_letters(request: HttpRequest) -> HttpResponse:
    """Operators upload their agency's signed letter; organisers see every agency's."""
    program = current_program()
    if program is None:
        raise Http404
    letters = letter_selectors.letters_visible_to(user=request.user, program=program)
    if request.user.role == Role.ORGANISER:
        letter_filter = LetterFilter(request.GET, queryset=letters)
        table = LetterTable(letter_filter.qs, order_by=request.GET.get("sort", "agency"))
        tables.RequestConfig(request, paginate={"per_page": 50}).configure(table)
        without = letter_selectors.agencies_without_letter(program=program)
        return render(request, "nominations/nomination_letters.html", {
            "program": program, "filter": letter_filter, "table": table,
            "without": without[:LETTERS_WITHOUT_LIST_LIMIT], "without_count": without.count()})

    agency = request.user.agency
    form = NominationLetterForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            letter = letter_services.upload_nomination_letter(
                program=program, agency=agency, number=data["number"], date=data["date"],
                upload=data["document"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Surat usulan nomor %(number)s tersimpan.")
                             % {"number": letter.number})
            return redirect("nominations:nomination_letters")
    return render(request, "nominations/nomination_letters.html", {
        "program": program, "agency": agency, "form": form,
        "letters": letters.order_by("-uploaded_at", "-pk")})

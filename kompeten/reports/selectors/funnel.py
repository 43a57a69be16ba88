"""The funnel per level: how many officials reached each step, grouped by level and
(optionally) agency or province, in one GROUP BY query."""

from dataclasses import dataclass, field
from itertools import pairwise

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from kompeten.assessment.models import Decision
from kompeten.certificates.models import Certificate, Kind
from kompeten.classroom.attendance_models import ATTENDED, AttendanceMark
from kompeten.classroom.session_models import ClassroomPolicy, SessionKind
from kompeten.elearning.models import Resume, ResumeStatus, StudyMark
from kompeten.monev.models import Audience
from kompeten.monev.models import Invitation as MonevInvitation
from kompeten.programs.models import ElearningRule, ProgramModule
from kompeten.registration.models import Invitation, Registration, Status
from kompeten.reports.filters import Criteria

AFTER_INVITE = [Status.INVITED, Status.REGISTERED, Status.SUBMITTED, Status.REVISION,
                Status.ACCEPTED, Status.REJECTED]
AFTER_REGISTER = AFTER_INVITE[1:]
AFTER_SUBMIT = AFTER_INVITE[2:]

GROUPINGS = {
    "level": (_("Jenjang"), ()),
    "agency": (_("Instansi"), ("agency__name", "agency__province")),
    "province": (_("Provinsi"), ("agency__province",)),
}


@dataclass(frozen=True)
class Step:
    key: str
    label: str


def _elearning_complete() -> Q:
    modules = ProgramModule.objects.filter(program=OuterRef("program"), level=OuterRef("level"))
    no_resume = ~Exists(Resume.objects.filter(
        registration=OuterRef(OuterRef("pk")), module=OuterRef("pk"), is_current=True,
        status=ResumeStatus.ACCEPTED))
    unstudied = ~Exists(StudyMark.objects.filter(
        registration=OuterRef(OuterRef("pk")), material__module=OuterRef("pk")))
    resumes_done = ~Exists(modules.filter(no_resume))
    studied_done = ~Exists(modules.filter(unstudied))
    has_modules = Exists(modules)
    rule = "program__elearning_rule"
    return Q(placement__batch__isnull=False) & Q(has_modules) & (
        (Q(**{rule: ElearningRule.RESUME}) & Q(resumes_done))
        | (Q(**{rule: ElearningRule.STUDIED}) & Q(studied_done))
        | (Q(**{rule: ElearningRule.STUDIED_AND_RESUME}) & Q(resumes_done) & Q(studied_done)))


def _attended() -> Q:
    jp = Coalesce(Subquery(
        AttendanceMark.objects.filter(registration=OuterRef("pk"), status__in=ATTENDED,
                                      session__kind=SessionKind.LESSON)
        .values("registration").annotate(jp=Sum("session__jp")).values("jp")[:1],
        output_field=IntegerField()), Value(0))
    minimum = Coalesce(Subquery(
        ClassroomPolicy.objects.filter(program=OuterRef("program")).values("min_jp")[:1],
        output_field=IntegerField()),
        Value(ClassroomPolicy._meta.get_field("min_jp").default))
    return Q(placement__batch__isnull=False) & Q(GreaterThanOrEqual(jp, minimum))


def _current_released(verdict: str) -> Exists:
    later = Decision.objects.filter(registration=OuterRef("registration"), unit=OuterRef("unit"),
                                    signed_at__isnull=False, version__gt=OuterRef("version"))
    return Exists(Decision.objects.filter(
        registration=OuterRef("pk"), signed_at__isnull=False, verdict=verdict,
        registration__placement__batch__sidang__isnull=False).filter(~Exists(later)))


def _later_steps() -> list[tuple[Step, Q]]:
    """Assessment (released results), certificates, monev."""
    steps = [
        (Step("assessed", _("Diuji (hasil ditetapkan)")),
         Q(_current_released("K")) | Q(_current_released("BK"))),
        (Step("competent", _("K semua unit")),
         Q(_current_released("K")) & ~Q(_current_released("BK"))),
    ]
    steps.append((Step("certified", _("Bersertifikat kompeten")), Q(Exists(
        Certificate.objects.filter(registration=OuterRef("pk"), kind=Kind.COMPETENCE,
                                   revoked_at__isnull=True)))))
    steps.append((Step("monev", _("Mengisi monev")), Q(Exists(MonevInvitation.objects.filter(
        registration=OuterRef("pk"), audience=Audience.PARTICIPANT,
        response__submitted_at__isnull=False)))))
    return steps


def steps_with_conditions() -> list[tuple[Step, Q]]:
    return [
        (Step("nominated", _("Diusulkan")), Q()),
        (Step("invited", _("Diundang")),
         Q(status__in=AFTER_INVITE) | Q(Exists(Invitation.objects.filter(
             registration=OuterRef("pk"))))),
        (Step("registered", _("Mendaftar")),
         Q(status__in=AFTER_REGISTER) | Q(registered_at__isnull=False)),
        (Step("submitted", _("Berkas lengkap")),
         Q(status__in=AFTER_SUBMIT) | Q(submitted_at__isnull=False)),
        (Step("accepted", _("Diterima")), Q(status=Status.ACCEPTED)),
        (Step("placed", _("Ditempatkan")), Q(placement__batch__isnull=False)),
        (Step("elearning", _("E-learning tuntas")), _elearning_complete()),
        (Step("attended", _("Hadir klasikal")), _attended()),
        *_later_steps(),
    ]


@dataclass
class FunnelRow:
    level: str
    group: str
    province: str
    counts: list[int]
    conversions: list[float | None] = field(default_factory=list)  # vs the previous step

    @property
    def cells(self) -> list[tuple[int, float | None]]:
        return list(zip(self.counts, self.conversions, strict=True))

    @property
    def cells_html(self) -> str:
        """The row's count cells, written here: a template loop over 12 × 1,000 cells
        costs more than the query."""
        return cells_html(self.cells)


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def cells_html(cells: list[tuple[int, float | None]]) -> str:
    return mark_safe("".join(  # noqa: S308 - numbers only
        f'<td class="text-end">{int(n)}'
        + ("" if c is None else f'<br><span class="small text-muted">{float(c):.1f}%</span>')
        + "</td>" for n, c in cells))


@dataclass
class Funnel:
    steps: list[Step]
    rows: list[FunnelRow]
    totals: list[int]
    grouping: str

    @property
    def total_conversions(self) -> list[float | None]:
        return [None, *(_share(b, a) for a, b in pairwise(self.totals))]

    @property
    def total_cells(self) -> list[tuple[int, float | None]]:
        return list(zip(self.totals, self.total_conversions, strict=True))


def funnel(*, criteria: Criteria, grouping: str = "level") -> Funnel:
    """One row per level (and agency or province), counts per step: one query."""
    steps = steps_with_conditions()
    extra = GROUPINGS.get(grouping, GROUPINGS["level"])[1]
    keys = ["level__order", "level__name", *extra]
    aggregates = {step.key: (Count("pk", filter=condition) if condition else Count("pk"))
                  for step, condition in steps}
    rows = []
    totals = [0] * len(steps)
    queryset = criteria.apply(Registration.objects.exclude(status=Status.DECLINED))
    for values in queryset.values(*keys).annotate(**aggregates).order_by(*keys):
        counts = [values[step.key] for step, _c in steps]
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        row = FunnelRow(values["level__name"], values.get("agency__name", ""),
                        values.get("agency__province") or "", counts)
        row.conversions = [None, *(_share(b, a) for a, b in pairwise(counts))]
        rows.append(row)
    return Funnel([step for step, _c in steps], rows, totals, grouping)

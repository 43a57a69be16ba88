"""The funnel per level: how many officials reached each step, grouped by level and
(optionally) agency or province, in one GROUP BY query."""

from dataclasses import dataclass, field
from itertools import pairwise

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from kompeten.assessment.models import Decision
from kompeten.certificates.models import Certificate, Kind
from kompeten.classroom.attendance_models import ATTENDED, AttendanceMark
from kompeten.classroom.session_models import ClassroomPolicy, SessionKind
from kompeten.elearning.models import Resume, ResumeStatus, StudyMark
from kompeten.monev.models import Audience
from kompeten.monev.models import Invitation as MonevInvitation
from kompeten.programs.models import ElearningRule, Program, ProgramModule
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


# Every step is "registration id IN (one uncorrelated set)": PostgreSQL hashes each set
# once, where a correlated EXISTS per registration and step cost ~12 s at 10,000
# registrations grouped by agency (bench/reports.py).

def _in(queryset) -> Q:
    return Q(pk__in=queryset.values("registration_id"))


def _elearning_complete(program: Program) -> Q:
    """Placed, and every module of the level done as the programme's rule says (resumes
    accepted and/or materials studied)."""
    needed = dict(ProgramModule.objects.filter(program=program).values("level_id")
                  .annotate(n=Count("pk")).values_list("level_id", "n"))
    rule = program.elearning_rule
    condition = Q()
    for level_id, modules in needed.items():
        level = Q(level_id=level_id)
        if rule in (ElearningRule.RESUME, ElearningRule.STUDIED_AND_RESUME):
            level &= _in(Resume.objects.filter(
                registration__program=program, registration__level_id=level_id,
                is_current=True, status=ResumeStatus.ACCEPTED).values("registration_id")
                .annotate(n=Count("module_id", distinct=True)).filter(n__gte=modules))
        if rule in (ElearningRule.STUDIED, ElearningRule.STUDIED_AND_RESUME):
            level &= _in(StudyMark.objects.filter(
                registration__program=program, registration__level_id=level_id)
                .values("registration_id")
                .annotate(n=Count("material__module_id", distinct=True)).filter(n__gte=modules))
        condition |= level
    if not needed:
        return Q(pk__in=[])
    return Q(placement__batch__isnull=False) & condition


def _attended(program: Program) -> Q:
    policy = ClassroomPolicy.objects.filter(program=program).first()
    minimum = policy.min_jp if policy else ClassroomPolicy._meta.get_field("min_jp").default
    return Q(placement__batch__isnull=False) & _in(
        AttendanceMark.objects.filter(registration__program=program, status__in=ATTENDED,
                                      session__kind=SessionKind.LESSON)
        .values("registration_id").annotate(jp=Sum("session__jp")).filter(jp__gte=minimum))


def _released(program: Program):
    """Signed unit decisions of the batches whose sidang has released the results."""
    return Decision.objects.filter(registration__program=program, signed_at__isnull=False,
                                   registration__placement__batch__sidang__isnull=False)


def _assessed(program: Program) -> Q:
    """As _in(_released(program)) (the "assessed" step), as a semi-join of its own: placed
    in a batch whose sidang released the results, with a signed decision (an index probe
    per registration instead of a scan of every decision)."""
    return Q(placement__batch__program=program, placement__batch__sidang__isnull=False) & Q(
        Exists(Decision.objects.filter(registration=OuterRef("pk"), signed_at__isnull=False)))


def _current_not_yet(program: Program) -> Q:
    """A current BK: no later signed version (a correction or an appeal) replaced it."""
    later = Decision.objects.filter(registration=OuterRef("registration"), unit=OuterRef("unit"),
                                    registration__program=program, signed_at__isnull=False,
                                    version__gte=2, version__gt=OuterRef("version"))
    return _in(_released(program).filter(verdict="BK").filter(~Exists(later)))


# The later steps are counted by their own grouped queries (funnel()): inside one query's
# aggregate FILTER, "id IN (set)" becomes a subplan that PostgreSQL only hashes while the
# set fits in work_mem; at national scale (1.3 million unit decisions) it re-scanned the
# set for every registration and the page ran for more than 12 minutes. As a WHERE of its
# own, each is one hashed semi-join. "K in every unit" is "assessed" minus those with a
# current BK (a subset of them), so the decisions are scanned twice, not three times.
NOT_YET = "_not_yet"


def _later_steps(program: Program) -> list[tuple[Step, Q]]:
    """Assessment (released results), certificates, monev."""
    assessed = _in(_released(program))
    return [
        (Step("assessed", _("Diuji (hasil ditetapkan)")), assessed),
        (Step("competent", _("K semua unit")), assessed & ~_current_not_yet(program)),
        (Step("certified", _("Bersertifikat kompeten")), _in(Certificate.objects.filter(
            program=program, kind=Kind.COMPETENCE, revoked_at__isnull=True))),
        (Step("monev", _("Mengisi monev")), _in(MonevInvitation.objects.filter(
            wave__program=program, audience=Audience.PARTICIPANT,
            response__submitted_at__isnull=False))),
    ]


def steps_with_conditions(program: Program) -> list[tuple[Step, Q]]:
    return [
        (Step("nominated", _("Diusulkan")), Q()),
        (Step("invited", _("Diundang")),
         Q(status__in=AFTER_INVITE) | _in(Invitation.objects.filter(
             registration__program=program))),
        (Step("registered", _("Mendaftar")),
         Q(status__in=AFTER_REGISTER) | Q(registered_at__isnull=False)),
        (Step("submitted", _("Berkas lengkap")),
         Q(status__in=AFTER_SUBMIT) | Q(submitted_at__isnull=False)),
        (Step("accepted", _("Diterima")), Q(status=Status.ACCEPTED)),
        (Step("placed", _("Ditempatkan")), Q(placement__batch__isnull=False)),
        (Step("elearning", _("E-learning tuntas")), _elearning_complete(program)),
        (Step("attended", _("Hadir klasikal")), _attended(program)),
        *_later_steps(program),
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

    @property
    def total_cells_html(self) -> str:
        return cells_html(self.total_cells)

    def as_json(self) -> dict:
        """The figures as JSON (a stored report snapshot); labels as read now."""
        return {"steps": [[step.key, str(step.label)] for step in self.steps],
                "rows": [[r.level, r.group, r.province, r.counts, r.conversions]
                         for r in self.rows],
                "totals": self.totals, "grouping": self.grouping}

    @classmethod
    def from_json(cls, data: dict) -> "Funnel":
        return cls([Step(key, label) for key, label in data["steps"]],
                   [FunnelRow(*row) for row in data["rows"]], data["totals"],
                   data["grouping"])


def funnel(*, criteria: Criteria, grouping: str = "level") -> Funnel:
    """One row per level (and agency or province), counts per step: one query."""
    program = criteria.program
    if program is None:  # before any programme exists
        return Funnel([], [], [], grouping)
    steps = steps_with_conditions(program)
    extra = GROUPINGS.get(grouping, GROUPINGS["level"])[1]
    keys = ["level__order", "level__name", *extra]
    # E-learning and attendance too: their sets are grouped subqueries (per registration)
    # that PostgreSQL ran once per registration inside the FILTER (a 200,000-row scan of
    # the attendance marks for each of 58,000 registrations: minutes on the bench).
    later = {step.key for step, _c in _later_steps(program)} | {"elearning", "attended"}
    aggregates = {step.key: (Count("pk", filter=condition) if condition else Count("pk"))
                  for step, condition in steps if step.key not in later}
    rows = []
    totals = [0] * len(steps)
    queryset = criteria.apply(Registration.objects.exclude(status=Status.DECLINED))
    separate = {key: condition for key, condition in (
        ("assessed", _assessed(program)), (NOT_YET, _current_not_yet(program)),
        *((key, dict((s.key, c) for s, c in steps)[key])
          for key in ("certified", "monev", "elearning", "attended")))}
    counted: dict[str, dict[tuple, int]] = {}
    for key, condition in separate.items():
        counted[key] = {tuple(v[k] for k in keys): v["n"] for v in queryset.filter(condition)
                        .values(*keys).annotate(n=Count("pk")).order_by()}
    for values in queryset.values(*keys).annotate(**aggregates).order_by(*keys):
        group = tuple(values[k] for k in keys)
        values["assessed"] = counted["assessed"].get(group, 0)
        values["competent"] = values["assessed"] - counted[NOT_YET].get(group, 0)
        for key in ("certified", "monev", "elearning", "attended"):
            values[key] = counted[key].get(group, 0)
        counts = [values[step.key] for step, _c in steps]
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        row = FunnelRow(values["level__name"], values.get("agency__name", ""),
                        values.get("agency__province") or "", counts)
        row.conversions = [None, *(_share(b, a) for a, b in pairwise(counts))]
        rows.append(row)
    return Funnel([step for step, _c in steps], rows, totals, grouping)

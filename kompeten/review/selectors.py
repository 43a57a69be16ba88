"""Reads of the review: the queue, a file's versions and decisions, a snapshot as a page."""

import datetime as dt
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from kompeten.actionplans.models import DurationUnit, Horizon
from kompeten.actionplans.plans import points
from kompeten.participants.models import DocumentKind
from kompeten.programs.models import Agency, Level, Program
from kompeten.registration.models import Registration, Status
from kompeten.review.models import Decision, ReviewDecision, Submission
from kompeten.review.services import SECTIONS


def review_queue(*, program: Program | None) -> QuerySet[Registration]:
    """Files waiting for a decision, oldest (re)submission first, with their version number."""
    if program is None:
        return Registration.objects.none()
    latest = (Submission.objects.filter(registration=OuterRef("pk"))
              .order_by("-number").values("number")[:1])
    return (Registration.objects.filter(program=program, status=Status.SUBMITTED)
            .select_related("agency", "level")
            .annotate(version=Subquery(latest))
            .order_by("submitted_at", "pk"))


def filter_queue(registrations: QuerySet[Registration], *, level: Level | None = None,
                 agency: Agency | None = None, province: str = "", q: str = ""
                 ) -> QuerySet[Registration]:
    if level is not None:
        registrations = registrations.filter(level=level)
    if agency is not None:
        registrations = registrations.filter(agency=agency)
    if province:
        registrations = registrations.filter(agency__province=province)
    return search(registrations, q)


def search(registrations: QuerySet[Registration], text: str) -> QuerySet[Registration]:
    """By name (with or without titles) or by (part of) the NIP."""
    text = " ".join(text.split())
    if not text:
        return registrations
    digits = text.replace(" ", "")
    condition = Q(plain_name__icontains=text) | Q(full_name__icontains=text)
    if digits.isdigit():
        condition |= Q(nip__contains=digits)
    return registrations.filter(condition)


def province_choices() -> list[tuple[str, str]]:
    provinces = (Agency.objects.exclude(province="").order_by("province")
                 .values_list("province", flat=True).distinct())
    return [(name, name) for name in provinces]


def latest_submission(*, registration: Registration) -> Submission | None:
    return registration.submissions.order_by("-number").first()


def submission_for(*, registration: Registration, number: int) -> Submission:
    submission = registration.submissions.filter(number=number).first()
    if submission is None:
        raise Http404
    return submission


def decision_for(*, submission: Submission) -> ReviewDecision | None:
    return (ReviewDecision.objects.select_related("reviewer")
            .filter(submission=submission).first())


@dataclass(frozen=True)
class Comment:
    key: str
    label: str
    text: str


def comments_of(decision: ReviewDecision) -> list[Comment]:
    """The non-empty section comments of a decision, in section order."""
    return [Comment(key, str(label), text) for key, label in SECTIONS.items()
            if (text := getattr(decision, f"comment_{key}"))]


@dataclass(frozen=True)
class VersionEntry:
    submission: Submission
    decision: ReviewDecision | None
    comments: list[Comment]
    changed: list[str]  # labels of the sections that differ from the previous version


def history(*, registration: Registration) -> list[VersionEntry]:
    """Every submitted version with its decision, newest first (two queries)."""
    submissions = list(registration.submissions.order_by("number"))
    decisions = {d.submission_id: d for d in ReviewDecision.objects.select_related("reviewer")
                 .filter(registration=registration)}
    entries, previous = [], None
    for submission in submissions:
        decision = decisions.get(submission.pk)
        changed = [] if previous is None else changed_sections(previous.snapshot,
                                                               submission.snapshot)
        entries.append(VersionEntry(submission, decision,
                                    comments_of(decision) if decision else [], changed))
        previous = submission
    return entries[::-1]


def changed_sections(before: dict, after: dict) -> list[str]:
    return [str(label) for key, label in SECTIONS.items() if before.get(key) != after.get(key)]


def feedback_for(*, registration: Registration) -> ReviewDecision | None:
    """The decision a participant should see on their page: why it came back or was rejected."""
    if registration.status not in (Status.REVISION, Status.REJECTED):
        return None
    return (ReviewDecision.objects.select_related("submission")
            .filter(registration=registration).order_by("-submission__number").first())


# -- a submitted snapshot, shaped for the review page ------------------------------------

PROFILE_LABELS = [
    ("full_name", _("Nama lengkap")), ("nip", _("NIP")), ("position", _("Jabatan")),
    ("work_unit", _("Unit kerja")), ("email", _("E-mail")), ("phone", _("Nomor HP")),
    ("mentor_name", _("Mentor/atasan langsung")), ("mentor_nip", _("NIP mentor")),
    ("mentor_position", _("Jabatan mentor")), ("mentor_email", _("E-mail mentor")),
]


HORIZON_ENDS = (13, 26)  # last weeks of the short and medium horizons


@dataclass
class PlanRow:
    number: int
    horizon: str
    horizon_label: str
    activity: str
    duration: str
    output: str
    start_week: int
    end_week: int
    cells: list[bool] = field(default_factory=list)


@dataclass
class FileView:
    profile: list[tuple[str, str]]
    work_history: list[dict]
    documents: list[dict]
    plan: dict | None
    milestones: list[PlanRow]
    weeks: list[int]
    horizon_ends: list[int] = field(default_factory=list)

    @property
    def runs(self) -> list[tuple[str, list[PlanRow]]]:
        """Consecutive milestones of one horizon, for a row-spanning horizon cell."""
        return [(label, list(rows)) for label, rows
                in groupby(self.milestones, key=lambda row: row.horizon_label)]


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def file_view(snapshot: dict) -> FileView:
    """What the participant submitted, exactly as frozen in the submission."""
    profile = snapshot.get("profile") or {}
    history = [{**entry, "start_date": _date(entry.get("start_date")),
                "end_date": _date(entry.get("end_date"))}
               for entry in snapshot.get("work_history") or []]
    documents = [{**doc, "label": _label(DocumentKind, doc.get("kind", ""))}
                 for doc in snapshot.get("documents") or []]
    plan = snapshot.get("action_plan")
    rows: list[PlanRow] = []
    weeks: list[int] = []
    if plan:
        plan = {**plan, "background_points": points(plan.get("background", "")),
                "goal_points": points(plan.get("goals", "")),
                "benefit_points": points(plan.get("benefits", ""))}
        for number, m in enumerate(plan.get("milestones") or [], start=1):
            unit = _label(DurationUnit, m.get("duration_unit", ""))
            rows.append(PlanRow(
                number, m.get("horizon", ""), _label(Horizon, m.get("horizon", "")),
                m.get("activity", ""), f"{m.get('duration_value', '')} {unit}",
                m.get("output", ""), int(m.get("start_week") or 1),
                int(m.get("end_week") or 1)))
        last = max((row.end_week for row in rows), default=0)
        weeks = list(range(1, max(12, last) + 1))
        for row in rows:
            row.cells = [row.start_week <= week <= row.end_week for week in weeks]
    return FileView(
        profile=[(str(label), profile.get(key) or "") for key, label in PROFILE_LABELS],
        work_history=history, documents=documents, plan=plan, milestones=rows, weeks=weeks,
        horizon_ends=[week for week in HORIZON_ENDS if week < len(weeks)])


DECISION_BADGES = {Decision.ACCEPT: "success", Decision.REVISE: "warning",
                   Decision.REJECT: "danger"}

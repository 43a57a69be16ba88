"""Reads of the registration app. Agency scoping for operators lives here."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from kompeten.accounts.models import Role, User
from kompeten.programs.models import Program
from kompeten.registration.models import (
    REQUIRED_DOCUMENTS,
    Document,
    DocumentKind,
    Horizon,
    Registration,
    Status,
)


def registrations_visible_to(*, user: User, program: Program | None = None
                             ) -> QuerySet[Registration]:
    """Organisers see all, operators their agency's, participants their own."""
    registrations = Registration.objects.select_related("agency", "level", "program")
    if program is not None:
        registrations = registrations.filter(program=program)
    if user.role == Role.ORGANISER:
        return registrations
    if user.role == Role.OPERATOR and user.agency_id:
        return registrations.filter(agency_id=user.agency_id)
    if user.role == Role.PARTICIPANT:
        return registrations.filter(user=user)
    return registrations.none()


def registration_for(*, user: User, pk: int) -> Registration:
    registration = registrations_visible_to(user=user).filter(pk=pk).first()
    if registration is None:
        raise Http404
    return registration


def own_registration(*, user: User, program: Program | None) -> Registration | None:
    if program is None or user.role != Role.PARTICIPANT:
        return None
    return (Registration.objects.select_related("agency", "level", "program")
            .filter(user=user, program=program).first())


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    done: bool


def with_checklist_data(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """Annotate/prefetch what checklist() needs, so a list costs a fixed number of queries."""
    return registrations.annotate(
        work_history_count=Count("work_history", distinct=True),
    ).prefetch_related(
        Prefetch("documents", queryset=Document.objects.filter(is_current=True),
                 to_attr="current_documents"),
        "action_plan__milestones",
    )


def checklist(registration: Registration) -> list[ChecklistItem]:
    """What a registration has and lacks before it can be submitted."""
    if hasattr(registration, "current_documents"):
        kinds = {d.kind for d in registration.current_documents}
    else:
        kinds = set(registration.documents.filter(is_current=True).values_list("kind", flat=True))
    history = getattr(registration, "work_history_count", None)
    if history is None:
        history = registration.work_history.count()
    try:
        plan = registration.action_plan
    except Registration.action_plan.RelatedObjectDoesNotExist:
        plan = None
    horizons = {m.horizon for m in plan.milestones.all()} if plan else set()
    items = [
        ChecklistItem("account", _("Akun dibuat (undangan dikonfirmasi)"),
                      registration.user_id is not None),
        ChecklistItem("profile", _("Profil dan mentor/atasan langsung"),
                      bool(registration.phone and registration.mentor_name
                           and registration.mentor_email)),
        ChecklistItem("work_history", _("Riwayat pekerjaan (minimal satu jabatan)"), history > 0),
        ChecklistItem("action_plan", _("Rencana tindak lanjut dengan langkah kerja jangka "
                                       "pendek, menengah dan panjang"),
                      plan is not None and horizons == set(Horizon.values)),
    ]
    items += [ChecklistItem(f"document_{kind}", DocumentKind(kind).label, kind in kinds)
              for kind in REQUIRED_DOCUMENTS]
    return items


def missing(registration: Registration) -> list[ChecklistItem]:
    return [item for item in checklist(registration) if not item.done]


FUNNEL = [
    ("nominated", _("Diusulkan")),
    ("invited", _("Diundang")),
    ("registered", _("Terdaftar")),
    ("complete", _("Berkas lengkap")),
]


def funnel_by_level(*, program: Program) -> list[dict]:
    """Per level: how many got at least as far as each step (one query)."""
    # Every status after "submitted" (revision, accepted, rejected) was complete once.
    complete = [Status.SUBMITTED, Status.REVISION, Status.ACCEPTED, Status.REJECTED]
    reached_invited = Q(status__in=[Status.INVITED, Status.REGISTERED, *complete])
    reached_registered = Q(status__in=[Status.REGISTERED, *complete])
    rows = (Registration.objects.filter(program=program).exclude(status=Status.DECLINED)
            .values("level__name", "level__order")
            .annotate(nominated=Count("id"), invited=Count("id", filter=reached_invited),
                      registered=Count("id", filter=reached_registered),
                      complete=Count("id", filter=Q(status__in=complete)))
            .order_by("level__order"))
    return list(rows)


@dataclass(frozen=True)
class QuotaUsage:
    level_name: str
    seats: int
    taken: int

    @property
    def free(self) -> int:
        return max(self.seats - self.taken, 0)


def quota_usage(*, program: Program, agency) -> list[QuotaUsage]:
    """Seats per level for one agency: the quota and how many are taken (two queries)."""
    taken = dict(Registration.objects.filter(program=program, agency=agency)
                 .exclude(status=Status.DECLINED).values_list("level_id")
                 .annotate(n=Count("id")).values_list("level_id", "n"))
    return [QuotaUsage(q.level.name, q.seats_per_agency, taken.get(q.level_id, 0))
            for q in program.quotas.select_related("level").order_by("level__order")]


def snapshot(registration: Registration) -> dict:
    """The file as it stands, as plain data (stored with each submission)."""
    profile_fields = ["full_name", "nip", "position", "work_unit", "email", "phone",
                      "mentor_name", "mentor_nip", "mentor_position", "mentor_email"]
    data = {"profile": {name: getattr(registration, name) for name in profile_fields}}
    data["work_history"] = [
        {"position": e.position, "unit": e.unit, "start_date": e.start_date.isoformat(),
         "end_date": e.end_date.isoformat() if e.end_date else None, "duties": e.duties}
        for e in registration.work_history.order_by("-start_date")]
    data["documents"] = [
        {"kind": d.kind, "stored_file": d.stored_id, "name": d.stored.original_name}
        for d in registration.documents.filter(is_current=True).select_related("stored")]
    plan = getattr(registration, "action_plan", None)
    data["action_plan"] = None if plan is None else {
        "title": plan.title, "background": plan.background, "problem": plan.problem,
        "goals": plan.goals, "benefits": plan.benefits,
        "milestones": [
            {"horizon": m.horizon, "activity": m.activity, "duration_value": m.duration_value,
             "duration_unit": m.duration_unit, "start_week": m.start_week,
             "end_week": m.end_week, "output": m.output}
            for m in plan.milestones.order_by("order")]}
    return data

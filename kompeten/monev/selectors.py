"""Reads of monev: a respondent's form, the participant's own waves, the organiser's
overview of waves (sent, opened, answered) and of one wave's invitations."""

from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.http import Http404

from kompeten.actionplans.models import Milestone
from kompeten.batching.models import Placement
from kompeten.monev.models import (
    Answer,
    Audience,
    Invitation,
    Item,
    MilestoneAnswer,
    Questionnaire,
    Response,
    Section,
    SendKind,
    SentMail,
    Wave,
)
from kompeten.monev.waves import current_supervisors
from kompeten.programs.models import Batch, Program

FREQUENCY_LABELS = ["tidak pernah", "kadang-kadang", "sering", "selalu"]


def questionnaire(*, program: Program, audience: str) -> Questionnaire | None:
    return (Questionnaire.objects.filter(program=program, audience=audience)
            .prefetch_related(Prefetch("sections", Section.objects.order_by("order")
                                       .prefetch_related(Prefetch(
                                           "items", Item.objects.order_by("order")))))
            .first())


@dataclass
class FormItem:
    item: Item
    answer: Answer | None = None


@dataclass
class FormSection:
    section: Section
    items: list[FormItem] = field(default_factory=list)


@dataclass
class MilestoneRow:
    milestone: Milestone
    answer: MilestoneAnswer | None


@dataclass
class Form:
    invitation: Invitation
    questionnaire: Questionnaire | None
    response: Response | None
    sections: list[FormSection]
    milestones: list[MilestoneRow]
    supervisor: object


def form(invitation: Invitation) -> Form:
    """Everything a respondent's page shows, in a fixed number of queries."""
    q = questionnaire(program=invitation.wave.program, audience=invitation.audience)
    response = Response.objects.filter(invitation=invitation).first()
    answers = ({a.item_id: a for a in Answer.objects.filter(response=response)}
               if response else {})
    sections = []
    for section in (q.sections.all() if q else []):
        sections.append(FormSection(section, [FormItem(i, answers.get(i.pk))
                                              for i in section.items.all()]))
    milestones = []
    if invitation.audience == Audience.PARTICIPANT:
        done = ({m.milestone_id: m for m in MilestoneAnswer.objects.filter(response=response)
                 .select_related("evidence")} if response else {})
        milestones = [MilestoneRow(m, done.get(m.pk)) for m in Milestone.objects.filter(
            plan__registration_id=invitation.registration_id).order_by("order")]
    supervisor = current_supervisors([invitation.registration_id]).get(
        invitation.registration_id)
    return Form(invitation, q, response, sections, milestones, supervisor)


def participant_invitations(user) -> list[Invitation]:
    """The participant's own invitations (their registrations, every programme)."""
    return list(Invitation.objects.filter(
        registration__user=user, audience=Audience.PARTICIPANT, revoked_at__isnull=True)
        .select_related("wave__program", "wave__batch__level", "response")
        .order_by("-wave__opens_on"))


def participant_invitation(user, pk: int) -> Invitation:
    invitation = (Invitation.objects.select_related("wave__program", "wave__batch__level",
                                                    "registration__agency")
                  .filter(pk=pk, registration__user=user, audience=Audience.PARTICIPANT,
                          revoked_at__isnull=True).first())
    if invitation is None:
        raise Http404
    return invitation


def _counts(prefix: str, audience: str) -> dict:
    base = Q(invitations__audience=audience, invitations__revoked_at__isnull=True)
    return {
        f"{prefix}_invited": Count("invitations", filter=base, distinct=True),
        f"{prefix}_sent": Count("invitations", distinct=True, filter=base & Q(
            invitations__sent__kind=SendKind.INVITATION)),
        f"{prefix}_opened": Count("invitations", distinct=True,
                                  filter=base & Q(invitations__opened_at__isnull=False)),
        f"{prefix}_answered": Count("invitations", distinct=True, filter=base & Q(
            invitations__answered_at__isnull=False)),
        f"{prefix}_started": Count("invitations", distinct=True, filter=base & Q(
            invitations__response__isnull=False,
            invitations__response__submitted_at__isnull=True)),
    }


def waves_overview(*, program: Program, batch: Batch | None = None,
                   opened_by=None) -> list[Wave]:
    """The programme's waves of batches with participants (those opened by ``opened_by``
    when given) with, per audience, invited / sent / opened / started / answered, in one
    query."""
    waves = (Wave.objects.filter(program=program)
             .filter(Exists(Placement.objects.filter(batch=OuterRef("batch"))))
             .select_related("batch__level"))
    if batch is not None:
        waves = waves.filter(batch=batch)
    if opened_by is not None:
        waves = waves.filter(opens_on__lte=opened_by)
    return list(waves.annotate(**_counts("p", Audience.PARTICIPANT),
                               **_counts("s", Audience.SUPERVISOR))
                .order_by("batch__number", "offset_months"))


def waves_query(*, program: Program, batches=None, opened_by=None) -> QuerySet[Wave]:
    """The programme's waves of batches with participants, of ``batches`` (a queryset)
    and opened by ``opened_by`` when given, in batch and offset order (no counts)."""
    waves = (Wave.objects.filter(program=program)
             .filter(Exists(Placement.objects.filter(batch=OuterRef("batch")))))
    if batches is not None:
        waves = waves.filter(batch__in=batches)
    if opened_by is not None:
        waves = waves.filter(opens_on__lte=opened_by)
    return waves.order_by("batch__number", "offset_months")


def wave_rows(waves) -> list[Wave]:
    """The given waves (one page) with the counts of waves_overview(), in one query."""
    return list(Wave.objects.filter(pk__in=[w.pk for w in waves])
                .select_related("batch__level")
                .annotate(**_counts("p", Audience.PARTICIPANT),
                          **_counts("s", Audience.SUPERVISOR))
                .order_by("batch__number", "offset_months"))


def _live_count(audience: str, field: str) -> Subquery:
    """The outer wave's live (not revoked) invitations of ``audience``: all ("wave", a column
    of the index, not "pk": that would read the rows) or the answered ones ("answered_at"),
    counted from the index monev_invitation_live_counts alone."""
    return Subquery(Invitation.objects.filter(wave=OuterRef("pk"), audience=audience,
                                              revoked_at__isnull=True)
                    .order_by().values(n=Func(F(field), function="COUNT")),
                    output_field=IntegerField())


def wave_totals(waves: QuerySet[Wave]) -> list["Totals"]:
    """totals() over every wave of the queryset, counted by the database in one query: per
    offset, the waves and the sums of each wave's counts (a scalar subquery per wave read
    from an index), not a join of the programme's invitations to their waves. Answered: by
    the invitation's copy of its response's time (Invitation.answered_at)."""
    rows = (waves.order_by().values("offset_months")
            .annotate(n=Count("pk"),
                      p_invited=Sum(_live_count(Audience.PARTICIPANT, "wave")),
                      p_answered=Sum(_live_count(Audience.PARTICIPANT, "answered_at")),
                      s_invited=Sum(_live_count(Audience.SUPERVISOR, "wave")),
                      s_answered=Sum(_live_count(Audience.SUPERVISOR, "answered_at")))
            .order_by("offset_months"))
    return [Totals(row["offset_months"], waves=row["n"], p_invited=row["p_invited"],
                   p_answered=row["p_answered"], s_invited=row["s_invited"],
                   s_answered=row["s_answered"]) for row in rows]


@dataclass
class Totals:
    offset_months: int
    waves: int = 0
    p_invited: int = 0
    p_answered: int = 0
    s_invited: int = 0
    s_answered: int = 0

    @staticmethod
    def _rate(part: int, whole: int) -> int | None:
        return round(100 * part / whole) if whole else None

    @property
    def p_rate(self) -> int | None:
        return self._rate(self.p_answered, self.p_invited)

    @property
    def s_rate(self) -> int | None:
        return self._rate(self.s_answered, self.s_invited)


def totals(rows: list[Wave]) -> list[Totals]:
    """Response rates per offset (3, 6, 12 months) over the rows of waves_overview()."""
    result: dict[int, Totals] = {}
    for row in rows:
        t = result.setdefault(row.offset_months, Totals(row.offset_months))
        t.waves += 1
        t.p_invited += row.p_invited
        t.p_answered += row.p_answered
        t.s_invited += row.s_invited
        t.s_answered += row.s_answered
    return [result[k] for k in sorted(result)]


def wave(*, pk: int) -> Wave:
    found = Wave.objects.select_related("program", "batch__level").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def wave_invitations(wave: Wave) -> list[Invitation]:
    return list(Invitation.objects.filter(wave=wave)
                .select_related("registration__agency", "response")
                .annotate(reminders=Count("sent", filter=Q(sent__kind=SendKind.REMINDER)),
                          invited=Exists(SentMail.objects.filter(
                              invitation=OuterRef("pk"), kind=SendKind.INVITATION)))
                .order_by("registration__plain_name", "audience", "-created_at"))


def invitation(*, pk: int) -> Invitation:
    found = (Invitation.objects.select_related("wave__program", "wave__batch__level",
                                               "registration", "response")
             .filter(pk=pk).first())
    if found is None:
        raise Http404
    return found


def evidence_answer(*, pk: int) -> MilestoneAnswer:
    found = (MilestoneAnswer.objects
             .select_related("evidence", "response__invitation__registration")
             .filter(pk=pk, evidence__isnull=False).first())
    if found is None:
        raise Http404
    return found


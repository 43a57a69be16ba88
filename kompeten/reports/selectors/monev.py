"""Monev reports (Kirkpatrick levels 3–4): response rates per wave, action-plan progress by
horizon, impact items by level, supervisors' view against participants', suggestions."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, F, Q, Sum

from kompeten.monev.models import (
    Answer,
    Audience,
    Invitation,
    ItemKind,
    MilestoneAnswer,
    MilestoneStatus,
    Theme,
)
from kompeten.reports.filters import Criteria

SCALES = (ItemKind.LIKERT, ItemKind.FREQUENCY)
COMPARED = (Theme.APPLICATION, Theme.IMPACT, Theme.SUPPORT)


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class RateRow:
    offset: int
    audience: str
    invited: int
    answered: int

    @property
    def rate(self) -> float | None:
        return _share(self.answered, self.invited)


def response_rates(criteria: Criteria) -> list[RateRow]:
    rows = (criteria.apply(Invitation.objects.filter(revoked_at__isnull=True), "registration__")
            .values(offset=F("wave__offset_months"), who=F("audience"))
            .annotate(invited=Count("pk"),
                      answered=Count("pk", filter=Q(response__submitted_at__isnull=False)))
            .order_by("offset", "who"))
    labels = dict(Audience.choices)
    return [RateRow(r["offset"], str(labels.get(r["who"], r["who"])), r["invited"],
                    r["answered"]) for r in rows]


@dataclass
class ProgressRow:
    offset: int
    horizon: str
    milestones: int
    done: int
    average_percent: float | None

    @property
    def rate(self) -> float | None:
        return _share(self.done, self.milestones)


def _submitted(queryset, path: str):
    return queryset.filter(**{f"{path}submitted_at__isnull": False})


def plan_progress(criteria: Criteria) -> list[ProgressRow]:
    from kompeten.actionplans.models import Horizon

    rows = (criteria.apply(_submitted(MilestoneAnswer.objects.all(), "response__"),
                           "response__invitation__registration__")
            .filter(response__invitation__audience=Audience.PARTICIPANT)
            .values(offset=F("response__invitation__wave__offset_months"),
                    horizon=F("milestone__horizon"))
            .annotate(milestones=Count("pk"),
                      done=Count("pk", filter=Q(status=MilestoneStatus.DONE)),
                      average=Avg("percent"))
            .order_by("offset", "horizon"))
    labels = dict(Horizon.choices)
    order = {value: index for index, value in enumerate(Horizon.values)}
    result = [ProgressRow(r["offset"], str(labels.get(r["horizon"], r["horizon"])),
                          r["milestones"], r["done"],
                          round(r["average"], 1) if r["average"] is not None else None)
              for r in rows]
    keys = {str(labels.get(v, v)): order[v] for v in order}
    return sorted(result, key=lambda row: (row.offset, keys.get(row.horizon, 9)))


def _answers(criteria: Criteria):
    return criteria.apply(_submitted(Answer.objects.all(), "response__"),
                          "response__invitation__registration__")


@dataclass
class ImpactRow:
    level: str
    item: str
    audience: str
    answers: int
    average: float | None


def scale_answers(criteria: Criteria) -> list[dict]:
    """The scale answers of the compared themes (impact among them), counted and summed
    per theme, kind, level, item and audience: one scan of the answers for both
    impact_by_level() and views_compared()."""
    return list(_answers(criteria)
                .filter(item__theme__in=COMPARED, item__kind__in=SCALES, number__isnull=False)
                .values(theme=F("item__theme"), kind=F("item__kind"),
                        level=F("response__invitation__registration__level__name"),
                        level_order=F("response__invitation__registration__level__order"),
                        item_text=F("item__text"), who=F("response__invitation__audience"))
                .annotate(answers=Count("pk"), total=Sum("number"))
                .order_by("level_order", "who", "item_text"))


def impact_by_level(criteria: Criteria, *, scale_rows: list[dict] | None = None
                    ) -> list[ImpactRow]:
    labels = dict(Audience.choices)
    rows = scale_answers(criteria) if scale_rows is None else scale_rows
    grouped: dict[tuple, list] = {}
    for r in rows:
        if r["theme"] != Theme.IMPACT:
            continue
        key = (r["level"], r["item_text"], r["who"])
        found = grouped.setdefault(key, [0, 0])
        found[0] += r["answers"]
        found[1] += float(r["total"])
    return [ImpactRow(level, item, str(labels.get(who, who)), n, round(total / n, 2))
            for (level, item, who), (n, total) in grouped.items()]


@dataclass
class CompareRow:
    theme: str
    participant: float | None
    supervisor: float | None
    participant_n: int
    supervisor_n: int


def views_compared(criteria: Criteria, *, scale_rows: list[dict] | None = None
                   ) -> list[CompareRow]:
    """Average of the Likert items (1–5) per theme, as the participants and as the
    supervisors answered them."""
    rows = scale_answers(criteria) if scale_rows is None else scale_rows
    sums: dict[tuple, list] = {}
    for r in rows:
        if r["kind"] != ItemKind.LIKERT:
            continue
        found_ = sums.setdefault((r["theme"], r["who"]), [0, 0])
        found_[0] += r["answers"]
        found_[1] += float(r["total"])
    found = {key: (round(total / n, 2), n) for key, (n, total) in sums.items()}
    labels = dict(Theme.choices)
    result = []
    for theme in COMPARED:
        p = found.get((theme, Audience.PARTICIPANT), (None, 0))
        s = found.get((theme, Audience.SUPERVISOR), (None, 0))
        if p[1] or s[1]:
            result.append(CompareRow(str(labels[theme]), p[0], s[0], p[1], s[1]))
    return result


def suggestions(criteria: Criteria, *, query: str = ""):
    answers = (_answers(criteria).filter(item__theme=Theme.SUGGESTION).exclude(text="")
               .values("pk", "text", who=F("response__invitation__audience"),
                       level=F("response__invitation__registration__level__name"),
                       offset=F("response__invitation__wave__offset_months"),
                       at=F("response__submitted_at"))
               .order_by("-at", "-pk"))
    if query:
        answers = answers.filter(text__icontains=query)
    return answers


def suggestion_ids(criteria: Criteria) -> list[int]:
    """The suggestions in their order, as ids (kept with a report's stored figures: sorting
    a national programme's tens of thousands of suggestions takes longer than a page may)."""
    return list(suggestions(criteria).values_list("pk", flat=True))


def suggestions_page(criteria: Criteria, *, query: str, page: str | None,
                     ids: list[int] | None = None) -> Page:
    """A page of suggestions: of ``ids`` (the stored order) unless searching."""
    if ids is None or query:
        return Paginator(suggestions(criteria, query=query), SUGGESTIONS_PER_PAGE).get_page(page)
    found = Paginator(ids, SUGGESTIONS_PER_PAGE).get_page(page)
    rows = {row["pk"]: row for row in
            suggestions(criteria).filter(pk__in=list(found.object_list))}
    found.object_list = [rows[pk] for pk in found.object_list if pk in rows]
    return found


SUGGESTIONS_PER_PAGE = 25

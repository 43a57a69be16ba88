"""Reads of the nominations: quota usage and the agencies' nomination letters."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, QuerySet

from kompeten.access.rules import scope_to_agency
from kompeten.accounts.models import User
from kompeten.nominations.models import NominationLetter
from kompeten.programs.models import Agency, Program
from kompeten.registration.models import Registration, Status


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


def letters_visible_to(*, user: User, program: Program | None = None
                       ) -> QuerySet[NominationLetter]:
    """Organisers see every agency's letters, operators their own agency's, others none."""
    letters = NominationLetter.objects.select_related("agency", "document", "uploaded_by")
    if program is not None:
        letters = letters.filter(program=program)
    return scope_to_agency(letters, user)


def current_letter(*, program: Program, agency: Agency) -> NominationLetter | None:
    return (NominationLetter.objects.select_related("document")
            .filter(program=program, agency=agency, is_current=True).first())


def agencies_without_letter(*, program: Program) -> QuerySet[Agency]:
    """Agencies that nominated someone but have no current letter yet (one query)."""
    nominated = Registration.objects.filter(program=program, agency=OuterRef("pk")).exclude(
        status=Status.DECLINED)
    lettered = NominationLetter.objects.filter(program=program, agency=OuterRef("pk"),
                                               is_current=True)
    return Agency.objects.filter(Exists(nominated)).exclude(Exists(lettered)).order_by("name")

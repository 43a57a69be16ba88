"""Reads of the letters app; agency scoping is kompeten.access.rules.scope_to_agency."""

from django.db.models import Count, F, FilteredRelation, Q, QuerySet
from django.http import Http404

from kompeten.access.rules import scope_to_agency
from kompeten.accounts.models import User
from kompeten.letters.models import (
    ACTIVE_JOB_STATUSES,
    AnnouncementLetter,
    LetterStatus,
    SendJob,
    SendScope,
)
from kompeten.programs.models import Agency, Program


def letters_visible_to(*, user: User, program: Program | None = None
                       ) -> QuerySet[AnnouncementLetter]:
    """Organisers see every letter, an operator their own agency's, others none."""
    letters = AnnouncementLetter.objects.select_related("agency", "program")
    if program is not None:
        letters = letters.filter(program=program)
    return scope_to_agency(letters, user)


def letter_for(*, user: User, pk: int) -> AnnouncementLetter:
    """A letter the user may see, or 404 (never revealing another agency's letter)."""
    letter = letters_visible_to(user=user).filter(pk=pk).first()
    if letter is None:
        raise Http404
    return letter


def agency_letter(*, user: User, agency: Agency, program: Program | None
                  ) -> AnnouncementLetter | None:
    if program is None:
        return None
    return letters_visible_to(user=user, program=program).filter(agency=agency).first()


def agencies_with_letters(*, program: Program) -> QuerySet[Agency]:
    """Every agency with its letter of the programme (if any) as letter_* annotations."""
    return (Agency.objects.alias(letter=FilteredRelation(
                "announcement_letters",
                condition=Q(announcement_letters__program=program)))
            .annotate(letter_id=F("letter__id"), letter_seq=F("letter__seq"),
                      letter_number=F("letter__number"), letter_status=F("letter__status"),
                      letter_sent_at=F("letter__sent_at"), letter_error=F("letter__error"),
                      letter_attempts=F("letter__attempts")))


def summary(*, program: Program) -> dict[str, int]:
    """Counts for the overview (two queries)."""
    agencies = Agency.objects.aggregate(total=Count("pk"), without_email=Count(
        "pk", filter=Q(email="")))
    letters = AnnouncementLetter.objects.filter(program=program).aggregate(
        issued=Count("pk"), sent=Count("pk", filter=Q(status=LetterStatus.SENT)),
        failed=Count("pk", filter=Q(status=LetterStatus.FAILED)),
        pending=Count("pk", filter=Q(status=LetterStatus.PENDING)))
    return {**agencies, **letters, "not_issued": agencies["total"] - letters["issued"]}


def announced_agency_count(*, program: Program) -> int:
    """Agencies whose announcement letter of the programme was sent (for the funnel)."""
    return AnnouncementLetter.objects.filter(program=program, status=LetterStatus.SENT).count()


def recent_jobs(*, program: Program, limit: int = 5) -> list[SendJob]:
    return list(SendJob.objects.filter(program=program).select_related("created_by")[:limit])


def active_job(*, program: Program) -> SendJob | None:
    return SendJob.objects.filter(program=program, status__in=ACTIVE_JOB_STATUSES).first()


def job(*, pk: int) -> SendJob:
    found = SendJob.objects.select_related("program", "created_by").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def failed_letters(*, job: SendJob) -> QuerySet[AnnouncementLetter]:
    return (job.letters.filter(status=LetterStatus.FAILED).select_related("agency")
            .order_by("agency__name"))


def send_preview(*, program: Program, scope: str) -> dict[str, int]:
    """What sending would do: how many agencies get a letter, how many of them get it
    again, and how many have no e-mail address (their letter fails)."""
    sent = AnnouncementLetter.objects.filter(program=program, status=LetterStatus.SENT)
    agencies = Agency.objects.all()
    if scope == SendScope.UNSENT:
        agencies = agencies.exclude(pk__in=sent.values("agency_id"))
    return agencies.aggregate(
        total=Count("pk"), again=Count("pk", filter=Q(pk__in=sent.values("agency_id"))),
        without_email=Count("pk", filter=Q(email="")))


def retry_count(*, job: SendJob) -> int:
    """Letters of the job that a retry would send (failed or not yet sent)."""
    return job.letters.filter(status__in=[LetterStatus.FAILED, LetterStatus.PENDING]).count()

"""Reads of e-learning: who may see which batch, the participant's page, progress."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from kompeten.access.rules import batches_for
from kompeten.accounts.models import Role, User
from kompeten.batching.models import Placement
from kompeten.elearning.models import (
    Material,
    MaterialDownload,
    MaterialVersion,
    Post,
    Resume,
    ResumeStatus,
    StudyMark,
    Thread,
    ThreadRead,
)
from kompeten.programs.models import Batch, ElearningRule, Program, ProgramModule, StageKind
from kompeten.programs.selectors import current_program, stage_window
from kompeten.registration.models import Registration

POSTS_PER_PAGE = 50
THREADS_PER_PAGE = 30


def facilitator_batches(user: User) -> QuerySet[Batch]:
    """The batches whose forum and resumes a facilitator looks after: those they serve."""
    if user.role != Role.FACILITATOR:
        return Batch.objects.none()
    return batches_for(user)


def staff_batches(user: User) -> QuerySet[Batch]:
    """Batches whose e-learning the user oversees: organisers all, facilitators theirs."""
    if user.role == Role.ORGANISER:
        return Batch.objects.all()
    return facilitator_batches(user)


def placement_of(*, user: User, program: Program | None) -> Placement | None:
    """The user's seat in a batch of the programme (None before placement)."""
    if program is None or user.role != Role.PARTICIPANT:
        return None
    return (Placement.objects.select_related("registration", "batch__level", "batch__program")
            .filter(registration__user=user, registration__program=program,
                    batch__isnull=False).first())


def batch_of_participant(*, user: User, batch: Batch) -> Registration | None:
    """The user's registration when they are placed in ``batch``."""
    return (Registration.objects.filter(user=user, placement__batch=batch)
            .select_related("program").first())


def may_use_batch(*, user: User, batch: Batch) -> bool:
    if user.role == Role.PARTICIPANT:
        return batch_of_participant(user=user, batch=batch) is not None
    return staff_batches(user).filter(pk=batch.pk).exists()


def batch_for(*, user: User, pk: int) -> Batch:
    """A batch the user may open (a participant only their own), else 404."""
    batch = Batch.objects.select_related("level", "program").filter(pk=pk).first()
    if batch is None or not may_use_batch(user=user, batch=batch):
        raise Http404
    return batch


def modules_of(batch: Batch) -> QuerySet[ProgramModule]:
    return ProgramModule.objects.filter(program_id=batch.program_id, level_id=batch.level_id)


def opens_on(batch: Batch) -> dt.date | None:
    """The first day of the e-learning stage of the batch's level (None: not gated)."""
    window = stage_window(program=batch.program, kind=StageKind.ELEARNING, level=batch.level)
    return window[0] if window else None


def is_open(batch: Batch, today: dt.date) -> bool:
    start = opens_on(batch)
    return start is None or start <= today


# -- the participant's page ------------------------------------------------------------------

@dataclass
class MaterialRow:
    material: Material
    current: MaterialVersion | None
    downloaded: bool = False
    studied: bool = False  # any version marked
    studied_current: bool = False


@dataclass
class ModuleRow:
    module: ProgramModule
    materials: list[MaterialRow] = field(default_factory=list)
    resume: Resume | None = None
    threads: int = 0
    unread: int = 0

    @property
    def studied(self) -> bool:
        return bool(self.materials) and all(row.studied for row in self.materials)

    @property
    def resume_accepted(self) -> bool:
        return self.resume is not None and self.resume.status == ResumeStatus.ACCEPTED

    @property
    def steps(self) -> tuple[int, int]:
        """(done, total) of downloads, studied marks and the accepted resume."""
        done = sum(row.downloaded for row in self.materials) + sum(
            row.studied for row in self.materials) + self.resume_accepted
        return done, 2 * len(self.materials) + 1

    @property
    def percent(self) -> int:
        done, total = self.steps
        return round(100 * done / total) if total else 0


def current_versions(modules) -> dict[int, MaterialVersion]:
    """The newest version of each active material of the modules, by material id."""
    newest = (MaterialVersion.objects.filter(material__module__in=modules,
                                             material__is_active=True)
              .values("material_id").annotate(n=Max("number")))
    wanted = Q(pk__in=[])
    for row in newest:
        wanted |= Q(material_id=row["material_id"], number=row["n"])
    return {v.material_id: v for v in MaterialVersion.objects.filter(wanted)
            .select_related("stored")}


def participant_modules(*, registration: Registration, batch: Batch, user: User
                        ) -> list[ModuleRow]:
    """Every module of the batch's level with materials, marks, resume, forum counts."""
    modules = list(modules_of(batch))
    materials = list(Material.objects.filter(module__in=modules, is_active=True))
    versions = current_versions(modules)
    downloaded = set(MaterialDownload.objects.filter(registration=registration)
                     .values_list("version__material_id", "version_id"))
    marks = set(StudyMark.objects.filter(registration=registration)
                .values_list("material_id", "version_id"))
    resumes = {r.module_id: r for r in Resume.objects.filter(
        registration=registration, is_current=True).select_related("stored", "reviewed_by")}
    threads = dict(Thread.objects.filter(batch=batch).values("module_id")
                   .annotate(n=Count("pk")).values_list("module_id", "n"))
    unread = unread_by_module(user=user, batch=batch)
    rows = {m.pk: ModuleRow(m, resume=resumes.get(m.pk), threads=threads.get(m.pk, 0),
                            unread=unread.get(m.pk, 0)) for m in modules}
    for material in materials:
        current = versions.get(material.pk)
        if current is None:
            continue
        rows[material.module_id].materials.append(MaterialRow(
            material, current,
            downloaded=any(m == material.pk for m, _v in downloaded),
            studied=any(m == material.pk for m, _v in marks),
            studied_current=(material.pk, current.pk) in marks))
    return list(rows.values())


def total_percent(rows: list[ModuleRow]) -> int:
    done = sum(row.steps[0] for row in rows)
    total = sum(row.steps[1] for row in rows)
    return round(100 * done / total) if total else 0


def version_for(*, user: User, pk: int) -> tuple[MaterialVersion, Registration | None]:
    """A material version the user may open, with the participant's registration (to track
    it); organisers and facilitators open any, a participant only their level's."""
    version = (MaterialVersion.objects.select_related("stored", "material__module")
               .filter(pk=pk).first())
    if version is None:
        raise Http404
    module = version.material.module
    if user.role in (Role.ORGANISER, Role.FACILITATOR):
        return version, None
    if user.role == Role.PARTICIPANT:
        placement = placement_of(user=user, program=Program(pk=module.program_id))
        if (placement is not None and placement.batch.level_id == module.level_id
                and version.material.is_active and is_open(placement.batch, _today())):
            return version, placement.registration
    raise Http404


def _today() -> dt.date:
    return timezone.localdate()


# -- forum -------------------------------------------------------------------------------------

def _read_mark(user: User, outer: str):
    return Coalesce(Subquery(ThreadRead.objects.filter(user=user, thread=OuterRef(outer))
                             .values("last_post_id")[:1]), Value(0))


def unread_by_module(*, user: User, batch: Batch) -> dict[int, int]:
    """Unread posts per module of the batch's forum for the user (one query)."""
    rows = (Post.objects.filter(thread__batch=batch, hidden_at__isnull=True)
            .exclude(author=user).annotate(mark=_read_mark(user, "thread"))
            .filter(pk__gt=F("mark"))
            .values("thread__module_id").annotate(n=Count("pk")))
    return {row["thread__module_id"]: row["n"] for row in rows}


def threads_of(*, user: User, batch: Batch, module: ProgramModule) -> QuerySet[Thread]:
    """The module's threads with the author and the user's unread count."""
    return (Thread.objects.filter(batch=batch, module=module).select_related("author")
            .annotate(mark=_read_mark(user, "pk"))
            .annotate(unread=Count("posts", filter=Q(posts__pk__gt=F("mark"),
                                                     posts__hidden_at__isnull=True)
                                   & ~Q(posts__author=user)))
            .order_by("-last_post_at", "-pk"))


def thread_for(*, user: User, pk: int) -> Thread:
    thread = (Thread.objects.select_related("batch__level", "batch__program", "module")
              .filter(pk=pk).first())
    if thread is None or not may_use_batch(user=user, batch=thread.batch):
        raise Http404
    return thread


def posts_of(thread: Thread) -> QuerySet[Post]:
    return (Post.objects.filter(thread=thread)
            .select_related("author", "hidden_by", "quote__author").order_by("pk"))


def read_mark(*, user: User, thread: Thread) -> int:
    return (ThreadRead.objects.filter(user=user, thread=thread)
            .values_list("last_post_id", flat=True).first() or 0)


def post_for_moderation(*, user: User, pk: int) -> Post:
    post = Post.objects.select_related("thread__batch").filter(pk=pk).first()
    if post is None or user.role not in (Role.ORGANISER, Role.FACILITATOR) or not (
            staff_batches(user).filter(pk=post.thread.batch_id).exists()):
        raise Http404
    return post


# -- resumes and progress for organisers and facilitators --------------------------------------

def resume_for(*, user: User, pk: int) -> Resume:
    """A resume its author, the batch's facilitators or an organiser may read, else 404."""
    resume = (Resume.objects.select_related("stored", "module", "registration__placement__batch",
                                            "reviewed_by").filter(pk=pk).first())
    if resume is None:
        raise Http404
    if user.role == Role.PARTICIPANT and resume.registration.user_id == user.pk:
        return resume
    placement = getattr(resume.registration, "placement", None)
    if (user.role in (Role.ORGANISER, Role.FACILITATOR) and placement is not None
            and placement.batch_id is not None
            and staff_batches(user).filter(pk=placement.batch_id).exists()):
        return resume
    raise Http404


@dataclass
class ParticipantProgress:
    registration: Registration
    studied: int = 0
    accepted: int = 0
    waiting: int = 0
    modules: int = 0
    rule: str = ElearningRule.STUDIED_AND_RESUME

    @property
    def complete(self) -> bool:
        if self.rule == ElearningRule.STUDIED:
            return self.studied >= self.modules
        if self.rule == ElearningRule.RESUME:
            return self.accepted >= self.modules
        return self.studied >= self.modules and self.accepted >= self.modules


def batch_progress(batch: Batch) -> list[ParticipantProgress]:
    """Every placed participant with modules studied and resumes accepted (fixed queries)."""
    modules = list(modules_of(batch).values_list("pk", flat=True))
    registrations = list(Registration.objects.filter(placement__batch=batch)
                         .order_by("plain_name", "pk"))
    needed: dict[int, set[int]] = {}
    for material_id, module_id in Material.objects.filter(
            module_id__in=modules, is_active=True, versions__isnull=False).distinct(
            ).values_list("pk", "module_id"):
        needed.setdefault(module_id, set()).add(material_id)
    marked: dict[int, set[int]] = {}
    for registration_id, material_id in StudyMark.objects.filter(
            registration__in=registrations).values_list("registration_id", "material_id"):
        marked.setdefault(registration_id, set()).add(material_id)
    resumes: dict[int, list[str]] = {}
    for registration_id, status in Resume.objects.filter(
            registration__in=registrations, is_current=True, module_id__in=modules
    ).values_list("registration_id", "status"):
        resumes.setdefault(registration_id, []).append(status)
    rows = []
    for registration in registrations:
        done = marked.get(registration.pk, set())
        statuses = resumes.get(registration.pk, [])
        rows.append(ParticipantProgress(
            registration,
            studied=sum(1 for m in modules if needed.get(m) and needed[m] <= done),
            accepted=statuses.count(ResumeStatus.ACCEPTED),
            waiting=statuses.count(ResumeStatus.SUBMITTED), modules=len(modules),
            rule=batch.program.elearning_rule))
    return rows


def resumes_waiting(batch: Batch) -> QuerySet[Resume]:
    return (Resume.objects.filter(registration__placement__batch=batch, is_current=True,
                                  status=ResumeStatus.SUBMITTED)
            .select_related("registration", "module", "stored").order_by("submitted_at"))


def batches_overview(user: User) -> QuerySet[Batch]:
    """The current programme's batches the user oversees, by start date (unannotated: the
    page counts the participants of its own page of batches, ``participant_counts``)."""
    program = current_program()
    return (staff_batches(user).filter(program=program).select_related("level")
            .order_by("start_date", "number"))


def participant_counts(batch_ids: list[int]) -> dict[int, int]:
    """Placed participants per batch, for a page of batches (one grouped query)."""
    return dict(Placement.objects.filter(batch_id__in=batch_ids).order_by()
                .values_list("batch_id").annotate(n=Count("pk")).values_list("batch_id", "n"))


def _count_per_batch(queryset: QuerySet, batch_path: str):
    counts = (queryset.order_by().values(batch_path).annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counts), Value(0))


def facilitator_inbox(*, user: User, program: Program | None) -> list[Batch]:
    """The facilitator's batches of the programme with `waiting` (current resumes not read
    yet) and `unanswered` (threads whose last visible post is a participant's: no facilitator
    has replied to it yet); one query however many batches and threads."""
    if program is None:
        return []
    last_author_role = Subquery(Post.objects.filter(thread=OuterRef("pk"), hidden_at__isnull=True)
                                .order_by("-pk").values("author__role")[:1])
    waiting = Resume.objects.filter(registration__placement__batch=OuterRef("pk"),
                                    is_current=True, status=ResumeStatus.SUBMITTED)
    unanswered = (Thread.objects.filter(batch=OuterRef("pk"))
                  .annotate(last_role=last_author_role).filter(last_role=Role.PARTICIPANT))
    return list(facilitator_batches(user).filter(program=program)
                .annotate(waiting=_count_per_batch(waiting, "registration__placement__batch"),
                          unanswered=_count_per_batch(unanswered, "batch"))
                .order_by("start_date", "number"))

"""The assessment blocks of the home pages (see common.panels); a fixed number of queries."""

from kompeten.accounts.models import Role
from kompeten.assessment.models import Appeal, Assignment, Sidang
from kompeten.common.panels import Panel, register


def organiser(request, program, subject) -> dict | None:
    if program is None:
        return None
    return {"program": program,
            "open_appeals": Appeal.objects.filter(registration__program=program,
                                                  decided_at__isnull=True).count()}


def assessor(request, program, subject) -> dict | None:
    return {"participants": Assignment.objects.filter(assessor=request.user).count(),
            "appeals": Appeal.objects.filter(panel=request.user,
                                             decided_at__isnull=True).count()}


def participant(request, program, subject) -> dict | None:
    assignment = (Assignment.objects.select_related("assessor", "batch")
                  .filter(registration__user=request.user, registration__program=program)
                  .first()) if program is not None else None
    if assignment is None:
        return None
    return {"assignment": assignment,
            "released": Sidang.objects.filter(batch_id=assignment.batch_id).exists()}


def register_panels() -> None:
    register(Panel("home", "assessment_organiser", "assessment/_home_organiser.html", organiser,
                   order=65, roles=frozenset({Role.ORGANISER})))
    register(Panel("home", "assessment_assessor", "assessment/_home_assessor.html", assessor,
                   order=10, roles=frozenset({Role.ASSESSOR})))
    register(Panel("home", "assessment_participant", "assessment/_home_participant.html",
                   participant, order=20, roles=frozenset({Role.PARTICIPANT})))

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kompeten.accounts.models import Role
from kompeten.common.pagecache import public_page
from kompeten.home import next_steps
from kompeten.programs import selectors
from kompeten.programs.models import Agency
from kompeten.registration import selectors as registration_selectors


@public_page()
def home(request: HttpRequest) -> HttpResponse:
    """The landing page for the public; a home page per role for logged-in users.

    The programme's timeline and schedule come from here; what each stage adds (letters,
    nominations, the participant's file, the announcement) are panels the stage apps
    register (kompeten.common.panels), rendered by the templates in order."""
    program = selectors.current_program()
    today = timezone.localdate()
    context = {"program": program, "today": today}
    user = request.user
    role = user.role if user.is_authenticated else None
    if program is not None:
        registration = None
        if role == Role.PARTICIPANT:
            registration = registration_selectors.own_registration(user=user, program=program)
            context["place"] = next_steps.participant_place(registration=registration)
        context["jp"] = selectors.jp_by_kind(program=program)
        context["stage_level"] = registration.level if registration is not None else None
        context["stages"] = selectors.timeline(program=program, level=context["stage_level"])
        context["next_step"] = next_steps.next_step(user=user, program=program, today=today,
                                                    registration=registration)
    if role == Role.OPERATOR:
        context["agency"] = user.agency
    if program is not None:
        if role in (None, Role.ORGANISER, Role.FACILITATOR, Role.ASSESSOR):
            context["counts"] = selectors.batch_counts_by_level(program=program)
        if role == Role.ORGANISER:
            context["agency_count"] = Agency.objects.count()
            context["quotas"] = list(program.quotas.select_related("level"))
        elif role in (Role.FACILITATOR, Role.ASSESSOR):
            context["upcoming"] = selectors.upcoming_batches(program=program, today=today,
                                                              user=user)
    return render(request, f"home/home_{role or 'public'}.html", context)

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from kompeten.accounts.models import Role
from kompeten.home import next_steps
from kompeten.letters.selectors import announced_agency_count
from kompeten.programs import selectors
from kompeten.programs.models import Agency
from kompeten.registration import selectors as registration_selectors
from kompeten.registration.models import Status


def home(request: HttpRequest) -> HttpResponse:
    """The landing page for the public; a home page per role for logged-in users."""
    program = selectors.current_program()
    today = timezone.localdate()
    context = {"program": program, "today": today}
    user = request.user
    registration = None
    if program is not None:
        context["jp"] = selectors.jp_by_kind(program=program)
        if user.is_authenticated and user.role == Role.PARTICIPANT:
            registration = registration_selectors.own_registration(user=user, program=program)
        level = registration.level if registration is not None else None
        context["stage_level"] = level
        context["stages"] = selectors.timeline(program=program, level=level)
        context["next_step"] = next_steps.next_step(user=user, program=program, today=today,
                                                    registration=registration)
    if not user.is_authenticated:
        if program is not None:
            context["counts"] = selectors.batch_counts_by_level(program=program)
        return render(request, "core/home_public.html", context)
    if program is not None:
        if user.role == Role.ORGANISER:
            context["counts"] = selectors.batch_counts_by_level(program=program)
            context["agency_count"] = Agency.objects.count()
            context["quotas"] = list(program.quotas.select_related("level"))
            context["funnel"] = registration_selectors.funnel_by_level(program=program)
            context["funnel_steps"] = registration_selectors.FUNNEL
            context["announced"] = announced_agency_count(program=program)
        elif user.role == Role.OPERATOR:
            context["agency"] = user.agency
            context["quotas"] = registration_selectors.quota_usage(program=program,
                                                                   agency=user.agency)
            context["nominees"] = list(registration_selectors.with_checklist_data(
                registration_selectors.registrations_visible_to(user=user, program=program)
                .exclude(status=Status.DECLINED)).order_by("level__order", "plain_name"))
        elif user.role == Role.PARTICIPANT:
            context["registration"] = registration
            if registration is not None:
                context["checklist"] = registration_selectors.checklist(registration)
                context["place"] = next_steps.participant_place(registration=registration)
        elif user.role in (Role.FACILITATOR, Role.ASSESSOR):
            context["upcoming"] = selectors.upcoming_batches(program=program, today=today)
            context["counts"] = selectors.batch_counts_by_level(program=program)
    return render(request, f"core/home_{user.role}.html", context)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "error", "detail": type(exc).__name__},
                            status=503)
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor})


def error_403(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # Rendered without a request context: the database may be what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)

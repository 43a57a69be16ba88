from functools import partial

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from kompeten.accounts.models import Role
from kompeten.common import pagecache
from kompeten.common.pagecache import public_page, user_page
from kompeten.home import next_steps
from kompeten.home.panels import agency_count, status_totals
from kompeten.programs import selectors
from kompeten.programs.models import Level, Program
from kompeten.registration import selectors as registration_selectors

PROGRAMME_CACHE_SECONDS = 3600


def _programme() -> dict:
    """The current programme, its lesson hours and its batch counts per level: the same for
    every home page, so cached under the public pages' content version (kompeten/common/
    pagecache.py), which every write to them renews. One query when cached."""
    key = f"home:programme:{pagecache.version('public')}"
    data = cache.get(key)
    if data is None:
        program = selectors.current_program()
        data = {"program": program}
        if program is not None:
            data.update(jp=selectors.jp_by_kind(program=program),
                        counts=selectors.batch_counts_by_level(program=program),
                        timeline=selectors.timeline(program=program))
        data["version"] = key
        cache.set(key, data, PROGRAMME_CACHE_SECONDS)
    return data


def _timeline(data: dict, level: Level | None) -> list:
    """The programme's timeline, with a level's own dates (cached like the programme)."""
    if level is None:
        return data["timeline"]
    key = f"{data['version']}:timeline:{level.pk}"
    rows = cache.get(key)
    if rows is None:
        rows = selectors.timeline(program=data["program"], level=level)
        cache.set(key, rows, PROGRAMME_CACHE_SECONDS)
    return rows


def _fragment(data: dict, template: str, context: dict, *key) -> str:
    """A block of the programme's public data (timeline, batch counts) rendered once per
    content version, language and ``key`` (the day, the level) and cached like the data
    it shows: a write to them sets a new version, so the next page renders it afresh."""
    name = f"{data['version']}:html:{template}:{get_language()}:{':'.join(map(str, key))}"
    html = cache.get(name)
    if html is None:
        html = render_to_string(template, context)
        cache.set(name, html, PROGRAMME_CACHE_SECONDS)
    return html


@public_page()
@user_page()
def home(request: HttpRequest) -> HttpResponse:
    """The landing page for the public; a home page per role for logged-in users.

    The programme's timeline and schedule come from here; what each stage adds (letters,
    nominations, the participant's file, the announcement) are panels the stage apps
    register (kompeten.common.panels), rendered by the templates in order."""
    data = _programme()
    program: Program | None = data["program"]
    today = timezone.localdate()
    context = {"program": program, "today": today}
    user = request.user
    role = user.role if user.is_authenticated else None
    if program is not None:
        registration = None
        if role == Role.PARTICIPANT:
            registration = registration_selectors.own_registration(user=user, program=program)
            context["place"] = next_steps.participant_place(registration=registration)
        context["jp"] = data["jp"]
        context["stage_level"] = registration.level if registration is not None else None
        context["stages"] = _timeline(data, context["stage_level"])
        context["next_step"] = next_steps.next_step(
            user=user, program=program, today=today, registration=registration,
            rows=context["stages"],
            # The organiser's counts: one pass over the registrations, shared with the funnel.
            totals=partial(status_totals, request, program) if role == Role.ORGANISER else None)
        level = context["stage_level"]
        # Callables: the template renders (or fetches) them where it shows them.
        context["timeline_html"] = partial(
            _fragment, data, "home/_timeline.html",
            {"program": program, "today": today, "stage_level": level,
             "stages": context["stages"]}, today, level.pk if level else "")
    if role == Role.OPERATOR:
        context["agency"] = user.agency
    if program is not None:
        if role in (None, Role.ORGANISER, Role.FACILITATOR, Role.ASSESSOR):
            context["counts_html"] = partial(_fragment, data, "programs/_counts.html",
                                             {"counts": data["counts"]})
        if role == Role.ORGANISER:
            context["agency_count"] = agency_count(request)
            context["quotas"] = list(program.quotas.select_related("level"))
        elif role in (Role.FACILITATOR, Role.ASSESSOR):
            context["upcoming"] = selectors.upcoming_batches(program=program, today=today,
                                                              user=user)
    return render(request, f"home/home_{role or 'public'}.html", context)

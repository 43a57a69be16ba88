"""Panels: how a later app adds a block to a page of an earlier one (the home pages, the
registration pages) without that page importing it.

An app registers its panels in its ``AppConfig.ready()``; the page renders
``{% load panels %}{% panels "home" program %}`` and gets, in order, every panel of that
page the user's role may see. A panel's ``context(request, program, subject)`` returns the
template context, or None to hide the panel; ``subject`` is the page's object (the
registration on a registration page, None on the home page). Keep it to a fixed number of
queries: pages are tested for constant query counts.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template import Context as TemplateContext
from django.template.loader import get_template, render_to_string
from django.utils.safestring import SafeString, mark_safe

ANONYMOUS = "anonymous"

Context = Callable[[HttpRequest, Any, Any], dict | None]


@dataclass(frozen=True)
class Panel:
    page: str  # "home", "home.actions", "registration", "participant.links", ...
    name: str
    template: str
    context: Context
    order: int = 100
    roles: frozenset[str] | None = None  # role values and/or ANONYMOUS; None: everyone


_panels: dict[tuple[str, str], Panel] = {}


def register(panel: Panel) -> None:
    """Add a panel (a second registration under the same page and name replaces it)."""
    _panels[(panel.page, panel.name)] = panel


def role_of(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    return user.role


def panels_for(page: str, request: HttpRequest) -> list[Panel]:
    role = role_of(request)
    return sorted((p for p in _panels.values()
                   if p.page == page and (p.roles is None or role in p.roles)),
                  key=lambda p: (p.order, p.name))


def render_panels(page: str, request: HttpRequest, program: Any = None,
                  subject: Any = None, parent: TemplateContext | None = None) -> SafeString:
    """The page's panels, rendered into ``parent`` (the page's context, already bound to the
    request by its template) when given: a panel's values are pushed on top of it and popped
    after, and the context processors (navigation, messages, auth...) do not run again for
    every panel as they would in a new RequestContext."""
    html = []
    for panel in panels_for(page, request):
        values = panel.context(request, program, subject)
        if values is None:
            continue
        if parent is not None and parent.template is not None:
            with parent.push(values):
                html.append(get_template(panel.template).template.render(parent))
        else:
            html.append(render_to_string(panel.template, values, request=request))
    return mark_safe("".join(html))  # noqa: S308 -- rendered (autoescaped) templates

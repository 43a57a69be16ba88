from django import template

from kompeten.registration import lifecycle
from kompeten.registration.checklist import missing

register = template.Library()


@register.simple_tag
def lacks(registration):
    return missing(registration)


@register.simple_tag(takes_context=True)
def can(context, registration, transition: str) -> bool:
    """{% can registration "invite" as can_invite %}: may the user take this step now?"""
    return lifecycle.can(registration, transition, context.get("user"))


@register.filter
def file_editable(registration) -> bool:
    return lifecycle.file_editable(registration)


@register.filter
def waiting_for_review(registration) -> bool:
    return lifecycle.is_waiting_for_review(registration)


@register.filter
def status_is(registration, status: str) -> bool:
    """For wording that differs per status (never for what a user may do: use `can`)."""
    return registration.status == status

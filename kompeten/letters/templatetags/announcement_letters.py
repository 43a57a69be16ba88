"""{% announcement_letter agency program %}: the agency's announcement letter card, for the
operator's home page and the agency page (agency scoping through the letters selector)."""

from django import template

from kompeten.letters import selectors

register = template.Library()


@register.inclusion_tag("letters/_agency_letter.html", takes_context=True)
def announcement_letter(context, agency, program) -> dict:
    user = context["user"]
    return {"user": user, "letter": selectors.agency_letter(user=user, agency=agency,
                                                            program=program)}

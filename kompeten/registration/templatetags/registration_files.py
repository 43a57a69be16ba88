"""The documents, work history and agency letter shown on a registration's detail page."""

from django import template

from kompeten.registration import document_selectors
from kompeten.registration.models import Registration

register = template.Library()


@register.inclusion_tag("registration/_file_sections.html")
def registration_files(registration: Registration) -> dict:
    """Three queries, whatever the number of files or positions."""
    return {
        "registration": registration,
        "slots": document_selectors.document_slots(registration),
        "entries": list(document_selectors.work_history_of(registration)),
        "letter": document_selectors.current_letter(program=registration.program,
                                                    agency=registration.agency),
    }

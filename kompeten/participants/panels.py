"""Panels of the participant's file on the pages of earlier apps (see common.panels)."""

from kompeten.accounts.models import Role
from kompeten.common.panels import Panel, register
from kompeten.nominations.selectors import current_letter
from kompeten.participants import document_selectors
from kompeten.registration import checklist
from kompeten.registration.selectors import own_registration

STAFF = frozenset({Role.ORGANISER, Role.OPERATOR})


def files(request, program, registration) -> dict:
    """The documents, work history and agency letter: three queries, whatever their number."""
    return {
        "registration": registration,
        "slots": document_selectors.document_slots(registration),
        "entries": list(document_selectors.work_history_of(registration)),
        "letter": current_letter(program=registration.program, agency=registration.agency),
    }


def participant_home(request, program, subject) -> dict | None:
    if program is None:
        return None
    registration = own_registration(user=request.user, program=program)
    return {"registration": registration,
            "checklist": checklist.checklist(registration) if registration else []}


def register_panels() -> None:
    register(Panel("registration", "files", "participants/_file_sections.html", files,
                   order=30, roles=STAFF))
    register(Panel("home", "my_file", "participants/_home_panel.html", participant_home,
                   order=20, roles=frozenset({Role.PARTICIPANT})))

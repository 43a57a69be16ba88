"""Monev routes. The participant answers their own invitations (another participant: 404);
a link (``t/<token>/``) is the credential of whoever holds it, so those pages are public;
the organiser runs questionnaires and waves and reads evidence files."""

from tests.access_matrix import BOTH, ORG, PART, PARTS, POST, PUBLIC, Entry
from tests.monev_samples import evidence_row, matrix_monev

ANY = BOTH


def _mine(ctx):
    return {"pk": matrix_monev(ctx)["participant"].pk}


def _milestone(ctx):
    data = matrix_monev(ctx)
    return {"pk": data["participant"].pk, "milestone": data["milestones"][0].pk}


def _token(ctx):
    return {"token": matrix_monev(ctx)["supervisor_token"]}


def _token_milestone(ctx):
    data = matrix_monev(ctx)
    return {"token": data["participant_token"], "milestone": data["milestones"][0].pk}


def _questionnaire(ctx):
    return {"pk": matrix_monev(ctx)["participant"].wave.program.questionnaires.get(
        audience="participant").pk}


def _section(ctx):
    from kompeten.monev.models import Section

    matrix_monev(ctx)
    return {"pk": Section.objects.filter(questionnaire__program=ctx["program"]).first().pk}


def _item(ctx):
    from kompeten.monev.models import Item

    matrix_monev(ctx)
    return {"pk": Item.objects.filter(section__questionnaire__program=ctx["program"],
                                      kind="likert").first().pk}


def _wave(ctx):
    return {"pk": matrix_monev(ctx)["wave"].pk}


def _invitation(ctx):
    return {"pk": matrix_monev(ctx)["supervisor"].pk}


ENTRIES: dict[str, Entry] = {
    "monev:mine": Entry(PARTS, ANY),
    "monev:form": Entry(PART, ANY, kwargs=_mine),
    "monev:save": Entry(PART, POST, kwargs=_mine),
    "monev:submit": Entry(PART, POST, kwargs=_mine),
    "monev:supervisor": Entry(PART, POST, kwargs=_mine),
    "monev:evidence_upload": Entry(PART, POST, kwargs=_milestone),
    "monev:token_form": Entry(PUBLIC, ANY, kwargs=_token, shows_token_holder_record=True),
    "monev:token_save": Entry(PUBLIC, POST, kwargs=_token),
    "monev:token_submit": Entry(PUBLIC, POST, kwargs=_token),
    "monev:token_supervisor": Entry(PUBLIC, POST, kwargs=_token),
    "monev:token_evidence": Entry(PUBLIC, POST, kwargs=_token_milestone),
    "monev:evidence": Entry(ORG | PART, ANY, kwargs=lambda ctx: {"pk": evidence_row(ctx).pk}),
    "monev:settings": Entry(ORG, BOTH),
    "monev:questionnaires": Entry(ORG, BOTH),
    "monev:questionnaire": Entry(ORG, BOTH, kwargs=_questionnaire),
    "monev:item_add": Entry(ORG, POST, kwargs=_section),
    "monev:item_edit": Entry(ORG, BOTH, kwargs=_item),
    "monev:item_delete": Entry(ORG, POST, kwargs=_item),
    "monev:waves": Entry(ORG, ANY),
    "monev:plan": Entry(ORG, POST),
    "monev:wave": Entry(ORG, ANY, kwargs=_wave),
    "monev:response": Entry(ORG, ANY, kwargs=_invitation),
    "monev:revoke": Entry(ORG, BOTH, kwargs=_invitation),
    "monev:resend": Entry(ORG, BOTH, kwargs=_invitation),
}


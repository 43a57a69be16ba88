from django import template

from kompeten.review import selectors

register = template.Library()


@register.inclusion_tag("review/_participant_feedback.html")
def review_feedback(registration):
    """On the participant's page: why the file came back (per section) or was rejected."""
    decision = selectors.feedback_for(registration=registration)
    return {"registration": registration, "decision": decision,
            "comments": selectors.comments_of(decision) if decision else []}

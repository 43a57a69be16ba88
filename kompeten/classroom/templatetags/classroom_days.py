from django import template

register = template.Library()

LETTERS = {"present": "H", "late": "T", "excused": "I", "absent": "A"}


@register.filter
def get_mark(marks: dict, session_id: int):
    return marks.get(session_id)


@register.filter
def mark_letter(status: str | None) -> str:
    return LETTERS.get(status or "", "–")

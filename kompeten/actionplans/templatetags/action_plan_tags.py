from django import template

from kompeten.actionplans.plans import points as split_points

register = template.Library()


@register.filter
def points(text: str) -> list[str]:
    """The lines of a points field, without empty lines or typed numbering."""
    return split_points(text)

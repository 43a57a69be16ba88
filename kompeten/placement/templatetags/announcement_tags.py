from django import template

from kompeten.placement.topic_selectors import is_published

register = template.Library()


@register.simple_tag
def announcement_published(program) -> bool:
    """{% announcement_published program as published %}: the class lists are public."""
    return is_published(program)

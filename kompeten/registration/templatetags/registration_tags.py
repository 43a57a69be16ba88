from django import template

from kompeten.registration.checklist import missing

register = template.Library()


@register.simple_tag
def lacks(registration):
    return missing(registration)

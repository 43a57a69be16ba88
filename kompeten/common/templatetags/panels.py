"""{% panels "home" program subject %}: the registered panels of a page (common.panels)."""

from django import template

from kompeten.common.panels import render_panels

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, page: str, program=None, subject=None):
    return render_panels(page, context["request"], program, subject, parent=context)

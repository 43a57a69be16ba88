"""``{% url %}`` (a template builtin, settings.TEMPLATES) that reverses a URL without
arguments once per URLconf, script prefix, current app and language instead of on every
render: a page has twenty or thirty of them (the navigation's forms, the panels' links),
each a resolver walk. URLs with arguments are reversed as Django does, every time.

The URL patterns do not change while the process runs (a different ROOT_URLCONF, e.g. in
a test's override_settings, is part of the key), so a cached URL is never a stale one."""

from functools import lru_cache

from django import template
from django.conf import settings
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = template.Library()


@lru_cache(maxsize=1024)
def _reversed(view_name: str, current_app: str | None, urlconf: str, prefix: str,
              language: str | None) -> str:
    return reverse(view_name, urlconf=urlconf, current_app=current_app)


class CachedURLNode(URLNode):
    def render(self, context):
        if self.args or self.kwargs:
            return super().render(context)
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = _reversed(view_name, current_app, get_urlconf() or settings.ROOT_URLCONF,
                            get_script_prefix(), get_language())
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    """Django's ``{% url %}``, the same syntax and output."""
    node = django_url(parser, token)
    return CachedURLNode(node.view_name, node.args, node.kwargs, node.asvar)

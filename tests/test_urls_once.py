"""{% url %} (kompeten.common.templatetags.urls_once, a template builtin): Django's tag, with
URLs without arguments reversed once per URLconf, script prefix, app and language."""

import pytest
from django.template import engines
from django.urls import NoReverseMatch, reverse, set_script_prefix

from kompeten.common.templatetags.urls_once import CachedURLNode


def render(code: str, **context) -> str:
    return engines["django"].from_string(code).render(context)


def test_the_builtin_replaces_django_url():
    template = engines["django"].from_string("{% url 'home' %}")
    assert any(isinstance(node, CachedURLNode) for node in template.template.nodelist)


def test_urls_as_django_reverses_them():
    assert render("{% url 'home' %}") == reverse("home")
    assert render("{% url 'nominations:nomination_detail' 7 %}") == reverse(
        "nominations:nomination_detail", args=[7])
    assert render("{% url name %}", name="programs:schedule") == reverse("programs:schedule")
    assert render("{% url 'programs:schedule' as link %}<{{ link }}>") == (
        f"<{reverse('programs:schedule')}>")


def test_an_unknown_name_fails_as_in_django():
    with pytest.raises(NoReverseMatch):
        render("{% url 'no-such-page' %}")
    assert render("{% url 'no-such-page' as link %}[{{ link }}]") == "[]"


def test_the_script_prefix_is_part_of_the_key():
    assert render("{% url 'home' %}") == "/"
    set_script_prefix("/kompeten/")
    try:
        assert render("{% url 'home' %}") == "/kompeten/"
    finally:
        set_script_prefix("/")
    assert render("{% url 'home' %}") == "/"

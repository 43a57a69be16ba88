"""The form renderer: Django's own, except that a select is written here.

Django renders a ``<select>`` through one template and an included template per option
(and one more per option for its attributes): a filter form with a few selects of 10-50
options spent milliseconds in template lookups. The markup written here is the one those
stock templates produce, byte for byte; a select whose options use another template (or a
project override of the stock templates) still goes through the templates.
"""

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
# The context the stock templates render in: autoescaped, localized as the active language.
_PLAIN = Context()


def _string(value) -> str:
    """``{{ value|stringformat:'s' }}``."""
    text = f"{value}"
    return conditional_escape(mark_safe(text) if isinstance(value, SafeData) else text)  # noqa: S308


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {render_value_in_context(name, _PLAIN)}"
        + ("" if value is True else f'="{_string(value)}"')
        for name, value in attrs.items() if value is not False)


def _option(option: dict) -> str:
    return (f'<option value="{_string(option["value"])}"{_attrs(option["attrs"])}>'
            f'{render_value_in_context(option["label"], _PLAIN)}</option>\n')


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT and self._stock_select():
            widget = context["widget"]
            options = [option for _, group, _ in widget["optgroups"] for option in group]
            if all(option["template_name"] == OPTION for option in options):
                return mark_safe(self._select(widget))  # noqa: S308 -- escaped above
        return super().render(template_name, context, request=request)

    def _stock_select(self) -> bool:
        """True when select.html and select_option.html are Django's own (no override)."""
        stock = getattr(self, "_stock", None)
        if stock is None:
            stock = self._stock = all(
                self.get_template(name).origin.name.endswith(
                    "/django/forms/templates/" + name)
                for name in (SELECT, OPTION, "django/forms/widgets/attrs.html"))
        return stock

    @staticmethod
    def _select(widget: dict) -> str:
        html = [f'<select name="{render_value_in_context(widget["name"], _PLAIN)}"'
                f'{_attrs(widget["attrs"])}>']
        for group_name, group, _ in widget["optgroups"]:
            if group_name:
                html.append(f'\n  <optgroup label="{render_value_in_context(group_name, _PLAIN)}">')
            html.extend("\n  " + _option(option) for option in group)
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return "".join(html)

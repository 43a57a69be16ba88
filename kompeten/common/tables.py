"""django-tables2 columns that render a cell without building a new request context.

django-tables2's own TemplateColumn renders ``template_name`` with a flattened copy of the
page's context *and the request*, so every cell becomes a RequestContext that runs every
context processor again (the navigation, messages, auth, i18n: ~1,400 ``reverse()`` calls on
a 50-row letters page before the navigation cached them), and it compiles ``template_code``
anew for every cell. Here a cell renders into the page's context, which ``render_table``
already bound to the request once (so ``csrf_token``, ``request`` and ``user`` are there), and
each template is compiled once per process.
"""

from __future__ import annotations

from functools import lru_cache

import django_tables2 as tables
from django.template import Context, Template
from django.template.loader import get_template


@lru_cache(maxsize=256)
def _compiled(code: str) -> Template:
    return Template(code)


class TemplateColumn(tables.TemplateColumn):
    def render(self, record, table, value, bound_column, **kwargs):
        parent = getattr(table, "context", None)
        if parent is None:
            parent = Context()
        context = self.get_context_data(record=record, table=table, value=value,
                                        bound_column=bound_column, **kwargs)
        if self.template_code:
            template = _compiled(self.template_code)
        else:
            # The engine's loader caches the compiled template (DEBUG off); .template is the
            # Django Template that renders into an existing Context.
            template = get_template(self.template_name).template
        with parent.update(context):
            return template.render(parent)

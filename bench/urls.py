"""The project's URLs plus /bench/bare/, the baseline the pages are compared with.

The bare view runs in the same gunicorn process, behind the same middleware stack,
so the difference between it and a page is the page's own cost (view, queries,
templates, session lookup).
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from kompeten.urls import handler403, handler404, handler500  # noqa: F401
from kompeten.urls import urlpatterns as project_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *project_urlpatterns]

"""Plumbing pages of every site: health check, favicon and error pages."""

from django.contrib.staticfiles import finders
from django.db import connection
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control, never_cache


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "error", "detail": type(exc).__name__},
                            status=503)
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor})


@cache_control(public=True, max_age=7 * 24 * 3600)
def favicon(request: HttpRequest) -> FileResponse:
    """/favicon.ico, which browsers ask for whatever the page links to."""
    return FileResponse(open(finders.find("favicon.ico"), "rb"), content_type="image/x-icon")


def error_403(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # Rendered without a request context: the database may be what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)

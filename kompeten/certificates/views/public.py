"""Public pages: verification by the QR's unguessable id, the phone caller's search by
number and name, the Open Badges issuer profile, keys, badge and status. Rate-limited per
address; every lookup is logged."""

import hashlib
import hmac
import json

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kompeten.certificates import badges, documents, integration, selectors
from kompeten.certificates.forms import SearchForm
from kompeten.certificates.models import (
    Certificate,
    Kind,
    LookupResult,
    VerificationLookup,
)
from kompeten.certificates.views import file_response, safe_name

WINDOW_SECONDS = 60


def _client(request: HttpRequest) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(),
                    hashlib.sha256).hexdigest()


def _limited(client: str) -> bool:
    """More than settings.CERT_VERIFY_PER_MINUTE (default 60) lookups from one address
    in the current minute."""
    key = f"certificates:verify:{client}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count > getattr(settings, "CERT_VERIFY_PER_MINUTE", 60)


def _log(client: str, *, via: str, query: str, certificate: Certificate | None,
         result: str) -> None:
    VerificationLookup.objects.create(client=client, via=via, query=query[:120],
                                      certificate=certificate, result=result)


def _result(certificate: Certificate | None) -> str:
    if certificate is None:
        return LookupResult.NOT_FOUND
    return LookupResult.VALID if certificate.is_valid else LookupResult.REVOKED


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "certificates/limited.html", status=429)
    response["Retry-After"] = str(WINDOW_SECONDS)
    return response


def _page(request: HttpRequest, certificate: Certificate | None, *, searched: bool = False,
          form: SearchForm | None = None) -> HttpResponse:
    check = None
    if certificate is not None:
        data = documents.read_pdf(certificate)
        check = integration.check(data) if data else None
    return render(request, "certificates/verify.html", {
        "certificate": certificate, "result": _result(certificate), "check": check,
        "masked_nip": selectors.mask_nip(certificate.nip) if certificate else "",
        "searched": searched, "form": form or SearchForm()},
        status=200)


@require_GET
def verify(request: HttpRequest, public_id: str) -> HttpResponse:
    client = _client(request)
    if _limited(client):
        _log(client, via="qr", query=public_id, certificate=None, result=LookupResult.LIMITED)
        return _too_many(request)
    certificate = selectors.by_public_id(public_id)
    _log(client, via="qr", query=public_id, certificate=certificate,
         result=_result(certificate))
    return _page(request, certificate)


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    if not form.is_valid():
        return render(request, "certificates/search.html", {"form": form})
    client = _client(request)
    query = f"{form.cleaned_data['number']} | {form.cleaned_data['name']}"
    if _limited(client):
        _log(client, via="search", query=query, certificate=None,
             result=LookupResult.LIMITED)
        return _too_many(request)
    certificate = selectors.search(number=form.cleaned_data["number"],
                                   name=form.cleaned_data["name"])
    _log(client, via="search", query=query, certificate=certificate,
         result=_result(certificate))
    return _page(request, certificate, searched=True, form=form)


@require_GET
def badge(request: HttpRequest, public_id: str) -> HttpResponse:
    """The OpenBadgeCredential (VC-JWT) of a valid competence certificate."""
    certificate = selectors.by_public_id(public_id)
    if certificate is not None:
        certificate = (Certificate.objects.select_related("program", "registration")
                       .get(pk=certificate.pk))
    if certificate is None or certificate.kind != Kind.COMPETENCE:
        raise Http404
    if not certificate.is_valid:
        return render(request, "certificates/badge_revoked.html",
                      {"certificate": certificate}, status=410)
    if integration.jwt_signer() is None:
        # Without the signing leaf: the unsigned credential, its status still checkable.
        body = badges.credential(certificate, email=certificate.registration.email)
        return file_response(json.dumps(body, ensure_ascii=False, indent=2).encode(),
                             f"{safe_name(certificate.number)}.json",
                             content_type="application/ld+json")
    return file_response(badges.badge_jwt(certificate).encode(),
                         f"{safe_name(certificate.number)}.jwt",
                         content_type="application/vc+jwt")


def _json(body: dict) -> JsonResponse:
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def issuer(request: HttpRequest) -> JsonResponse:
    return _json(badges.issuer_profile())


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    return _json(badges.jwks())


@require_GET
def status(request: HttpRequest, public_id: str) -> JsonResponse:
    """A credential's revocation status (its credentialStatus id)."""
    client = _client(request)
    if _limited(client):
        return JsonResponse({"status": "rate_limited"}, status=429)
    certificate = selectors.by_public_id(public_id)
    _log(client, via="status", query=public_id, certificate=certificate,
         result=_result(certificate))
    response = _json(badges.status(certificate))
    if certificate is None:
        response.status_code = 404
    return response

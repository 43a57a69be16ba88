"""The demo shows every report with real numbers: the current programme's funnel and the
past programme's results, reaction, monev and competency map."""

import pytest
from django.urls import reverse

from kompeten.accounts.models import User
from kompeten.assessment.models import Decision
from kompeten.home.demo import load_demo
from kompeten.home.demo_history import find_past_program
from kompeten.home.demo_reports import load_demo_reports

pytestmark = pytest.mark.django_db


def test_demo_reports_have_numbers(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo()
    past = find_past_program()
    decisions = Decision.objects.count()
    assert decisions > 0
    assert load_demo_reports() == {"decisions": 0}  # idempotent
    client.force_login(User.objects.get(username="penyelenggara"))
    funnel = client.get(reverse("reports:funnel"), {"tahun": past.code}).context["funnel"]
    counts = dict(zip([s.key for s in funnel.steps], funnel.totals, strict=True))
    assert counts["placed"] > 100 and counts["attended"] > 0
    assert counts["certified"] > 0 and counts["monev"] > 0
    units = client.get(reverse("reports:units"), {"tahun": past.code}).context["units"]
    assert units and all(row.assessed > 0 for row in units)
    assert client.get(reverse("reports:reaction"), {"tahun": past.code}).context["rows"]
    monev = client.get(reverse("reports:monev"), {"tahun": past.code}).context
    assert monev["rates"] and monev["progress"] and monev["suggestions"].paginator.count
    competency = client.get(reverse("reports:competency")).context["map"]
    assert sum(competency.totals) == counts["certified"]
    current = client.get(reverse("reports:funnel")).context["funnel"]
    assert current.totals[0] >= 10

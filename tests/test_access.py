"""kompeten.access: the agency scope, object rules, batch staff and the staff page."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from kompeten.access.models import BatchStaff
from kompeten.access.rules import PERMISSIONS, batches_for, can, scope_to_agency
from kompeten.access.services import assign_staff
from kompeten.accounts.models import Role
from kompeten.registration.models import Registration
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_scope_to_agency_per_role(world):
    registrations = Registration.objects.all()
    users = world["users"]
    assert scope_to_agency(registrations, users[Role.ORGANISER]).count() == registrations.count()
    own = scope_to_agency(registrations, users[Role.OPERATOR])
    assert own.count() > 0 and set(own.values_list("agency", flat=True)) == {world["agency_a"].pk}
    for role in (Role.PARTICIPANT, Role.FACILITATOR, Role.ASSESSOR):
        assert not scope_to_agency(registrations, users[role]).exists()


def test_object_rules(world):
    users, registration = world["users"], world["registration"]
    other = make_user(Role.OPERATOR, username="operator-b", agency=world["agency_b"])
    assert can(users[Role.ORGANISER], "registration.view", registration)
    assert can(users[Role.OPERATOR], "registration.view", registration)
    assert not can(other, "registration.view", registration)
    assert can(users[Role.PARTICIPANT], "registration.view", registration)
    assert not can(users[Role.PARTICIPANT], "registration.view", world["invited"])
    assert not can(users[Role.FACILITATOR], "registration.view", registration)
    assert can(users[Role.OPERATOR], "nominations.withdraw", registration)
    assert not can(other, "nominations.withdraw", registration)
    assert not can(users[Role.ORGANISER], "nominations.withdraw", registration)
    # every rule is written for the roles it names
    assert all(permission.roles for permission in PERMISSIONS.values())


def test_staff_see_only_the_batches_they_serve(world):
    program = world["program"]
    batch_x, batch_y = program.batches.get(number=4), program.batches.get(number=5)
    facilitator, assessor = world["users"][Role.FACILITATOR], world["users"][Role.ASSESSOR]
    assert not batches_for(facilitator).exists()
    assign_staff(batch=batch_x, user=facilitator)
    assign_staff(batch=batch_y, user=assessor)
    assert list(batches_for(facilitator)) == [batch_x]
    assert list(batches_for(assessor)) == [batch_y]
    assert can(facilitator, "batch.view", batch_x) and not can(facilitator, "batch.view", batch_y)
    assert batches_for(world["users"][Role.ORGANISER]).count() == program.batches.count()
    assert not batches_for(world["users"][Role.OPERATOR]).exists()


def test_only_facilitators_and_assessors_serve_once_per_batch(world):
    batch = world["program"].batches.get(number=4)
    with pytest.raises(ValidationError):
        assign_staff(batch=batch, user=world["users"][Role.OPERATOR])
    assign_staff(batch=batch, user=world["users"][Role.FACILITATOR])
    with pytest.raises(ValidationError, match="sudah bertugas"):
        assign_staff(batch=batch, user=world["users"][Role.FACILITATOR])


def test_database_keeps_the_staff_role_equal_to_the_users_role(world):
    batch = world["program"].batches.get(number=4)
    facilitator = world["users"][Role.FACILITATOR]
    with pytest.raises(IntegrityError), transaction.atomic():
        BatchStaff.objects.create(batch=batch, user=facilitator, role=Role.ASSESSOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        BatchStaff.objects.create(batch=batch, user=world["users"][Role.PARTICIPANT],
                                  role=Role.FACILITATOR)
    staff = BatchStaff.objects.create(batch=batch, user=facilitator, role=Role.FACILITATOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        type(facilitator).objects.filter(pk=facilitator.pk).update(role=Role.ASSESSOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        BatchStaff.objects.filter(pk=staff.pk).update(role=Role.ASSESSOR)


def test_organiser_assigns_and_removes_staff_on_the_batch_page(client, world):
    batch = world["program"].batches.get(number=4)
    facilitator = world["users"][Role.FACILITATOR]
    client.force_login(world["users"][Role.ORGANISER])
    detail = client.get(reverse("batching:batch_detail", args=[batch.pk])).content.decode()
    assert reverse("access:batch_staff", args=[batch.pk]) in detail
    page = client.get(reverse("access:batch_staff", args=[batch.pk]))
    assert 'id="no-staff"' in page.content.decode()
    # only facilitators and assessors are offered
    offered = {user.pk for user in page.context["form"].fields["user"].queryset}
    assert offered == {facilitator.pk, world["users"][Role.ASSESSOR].pk}
    response = client.post(reverse("access:batch_staff", args=[batch.pk]),
                           {"user": facilitator.pk})
    assert response.status_code == 302
    staff = BatchStaff.objects.get(batch=batch, user=facilitator)
    assert staff.role == Role.FACILITATOR
    refused = client.post(reverse("access:batch_staff", args=[batch.pk]),
                          {"user": world["users"][Role.OPERATOR].pk})
    assert refused.status_code == 200 and "user" in refused.context["form"].errors
    client.post(reverse("access:batch_staff_remove", args=[staff.pk]))
    assert not BatchStaff.objects.filter(pk=staff.pk).exists()


def test_staff_home_lists_only_their_batches(client, world):
    program = world["program"]
    soon = timezone.localdate() + dt.timedelta(days=14)
    program.batches.filter(number__in=[4, 5]).update(start_date=soon,
                                                     end_date=soon + dt.timedelta(days=1))
    served = program.batches.get(number=5)
    facilitator = world["users"][Role.FACILITATOR]
    client.force_login(facilitator)
    response = client.get(reverse("home"))
    assert response.context["upcoming"] == []
    assert "belum ditugaskan" in response.content.decode()
    assign_staff(batch=served, user=facilitator)
    response = client.get(reverse("home"))
    assert response.context["upcoming"] == [served]

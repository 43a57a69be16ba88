import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kompeten.accounts.models import Role
from kompeten.actionplans.models import ActionPlan
from kompeten.programs.models import Agency, AgencyKind
from kompeten.registration.models import Registration, Status
from kompeten.review import services, submission
from kompeten.review.models import Submission
from tests.conftest import make_user
from tests.factories import complete, nip_for, submitted_file
from tests.queries import count_queries


@pytest.fixture
def organiser(world):
    return world["users"][Role.ORGANISER]


@pytest.fixture
def file(world):
    return world["review_submitted"]  # agency_b, JPT Pratama, submitted v1


@pytest.fixture
def full_file(world):
    """The participant's own registration (agency_a), complete and submitted as v1."""
    registration = complete(world["registration"])
    submission.submit_registration(registration=registration)
    registration.refresh_from_db()
    return registration


@pytest.mark.django_db
def test_queue_lists_waiting_files_and_filters(client, organiser, file, full_file):
    client.force_login(organiser)
    html = client.get(reverse("review:queue")).content.decode()
    assert 'id="review-queue"' in html
    assert html.index(file.full_name) < html.index(full_file.full_name)  # oldest first
    assert "v1" in html and "2 berkas menunggu" in html
    assert reverse("review:review", args=[file.pk]) in html
    filtered = client.get(reverse("review:queue"), {"q": "rina"}).content.decode()
    assert file.full_name in filtered and full_file.full_name not in filtered
    by_province = client.get(reverse("review:queue"), {"province": "Aceh"}).content.decode()
    assert full_file.full_name in by_province and file.full_name not in by_province
    bad = client.get(reverse("review:queue"), {"level": "999999"})
    assert bad.status_code == 200 and 'id="id_level-error"' in bad.content.decode()


@pytest.mark.django_db
def test_review_page_shows_what_was_submitted_side_by_side(client, organiser, full_file):
    # the live plan changes after submission; the reviewer still reads the submitted one
    ActionPlan.objects.filter(registration=full_file).update(title="Judul baru belum dikirim")
    client.force_login(organiser)
    html = client.get(reverse("review:review", args=[full_file.pk])).content.decode()
    assert html.index('id="cv-profile"') < html.index('id="plan"')
    assert "Penerapan Sistem Merit dalam Pengembangan Kompetensi" in html
    assert "Judul baru belum dikirim" not in html
    assert "Kepala Subbidang" in html  # work history entry
    assert 'id="milestones"' in html and 'id="gantt"' in html
    stored = full_file.documents.get(kind="sp", is_current=True).stored
    assert f'href="{reverse("participants:download", args=[stored.pk])}"' in html
    assert 'id="decision-form"' in html and 'name="comment_action_plan"' in html


@pytest.mark.django_db
def test_revise_without_comment_shows_error_next_to_the_field_and_keeps_input(
        client, organiser, file):
    client.force_login(organiser)
    response = client.post(reverse("review:review", args=[file.pk]),
                           {"version": 1, "decision": "revise", "comment_profile": " ",
                            "reason": "catatan yang diketik"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_decision-error"' in html and "minimal satu bagian" in html
    assert "catatan yang diketik" in html
    assert 'value="revise"' in html and "checked" in html
    file.refresh_from_db()
    assert file.status == Status.SUBMITTED


@pytest.mark.django_db
def test_reject_without_reason_shows_error_next_to_reason(client, organiser, file):
    client.force_login(organiser)
    html = client.post(reverse("review:review", args=[file.pk]),
                       {"version": 1, "decision": "reject",
                        "comment_documents": "SP tidak terbaca"}).content.decode()
    assert 'id="id_reason-error"' in html and "wajib disertai alasan" in html
    assert "SP tidak terbaca" in html


@pytest.mark.django_db
def test_decision_through_the_page_and_second_reviewer_is_told(
        client, organiser, file, django_capture_on_commit_callbacks):
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("review:review", args=[file.pk]),
                               {"version": 1, "decision": "accept"})
    assert response.status_code == 302 and response.url == reverse("review:queue")
    file.refresh_from_db()
    assert file.status == Status.ACCEPTED and len(mail.outbox) == 1
    # a second organiser who still had the page open
    client.force_login(make_user(Role.ORGANISER, username="reviewer-2"))
    stale = client.post(reverse("review:review", args=[file.pk]),
                        {"version": 1, "decision": "reject", "reason": "x"})
    assert stale.status_code == 200
    assert "sudah diputuskan oleh" in stale.content.decode()
    page = client.get(reverse("review:review", args=[file.pk])).content.decode()
    assert 'id="decided"' in page and 'id="decision-form"' not in page


@pytest.mark.django_db
def test_history_and_old_versions_after_the_loop(client, organiser, full_file):
    services.decide(registration=full_file, reviewer=organiser, decision="revise",
                    comments={"action_plan": "Tujuan belum terukur."})
    ActionPlan.objects.filter(registration=full_file).update(title="Judul versi dua")
    submission.submit_registration(registration=full_file)
    client.force_login(organiser)
    html = client.get(reverse("review:review", args=[full_file.pk])).content.decode()
    assert "Judul versi dua" in html
    assert 'id="changed"' in html and "Rencana tindak lanjut" in html
    assert 'id="previous-comments"' in html and "Tujuan belum terukur." in html
    assert html.index('data-version="2"') < html.index('data-version="1"')
    assert reverse("review:version", args=[full_file.pk, 1]) in html
    v1 = client.get(reverse("review:version", args=[full_file.pk, 1])).content.decode()
    assert "Penerapan Sistem Merit dalam" in v1 and "Judul versi dua" not in v1
    assert 'id="version-decision"' in v1 and "Tujuan belum terukur." in v1
    assert client.get(reverse("review:version", args=[full_file.pk, 9])).status_code == 404


@pytest.mark.django_db
def test_participant_sees_the_comments_per_section(client, world, organiser, full_file):
    services.decide(registration=full_file, reviewer=organiser, decision="revise",
                    comments={"work_history": "Tambahkan jabatan sebelumnya.",
                              "documents": "Pas foto harus berlatar merah."})
    client.force_login(world["users"][Role.PARTICIPANT])
    html = client.get(reverse("participants:my_registration")).content.decode()
    assert 'id="review-feedback"' in html
    assert 'data-section="work_history"' in html and "Tambahkan jabatan sebelumnya." in html
    assert "Pas foto harus berlatar merah." in html
    assert 'data-section="profile"' not in html
    # after resubmitting, the comments are no longer shown as open
    submission.submit_registration(registration=full_file)
    html = client.get(reverse("participants:my_registration")).content.decode()
    assert 'id="review-feedback"' not in html


@pytest.mark.django_db
def test_participant_sees_the_reason_of_a_rejection(client, world, organiser, full_file):
    services.decide(registration=full_file, reviewer=organiser, decision="reject",
                    comments={}, reason="Bukan pengelola kepegawaian.")
    client.force_login(world["users"][Role.PARTICIPANT])
    html = client.get(reverse("participants:my_registration")).content.decode()
    assert "Pendaftaran Anda ditolak" in html and "Bukan pengelola kepegawaian." in html


@pytest.mark.django_db
def test_only_organisers_review(client, world, full_file):
    other_operator = make_user(Role.OPERATOR, username="operator-b", agency=world["agency_b"])
    urls = [reverse("review:queue"), reverse("review:review", args=[full_file.pk]),
            reverse("review:version", args=[full_file.pk, 1])]
    for user in [world["users"][Role.OPERATOR], other_operator,
                 world["users"][Role.PARTICIPANT], world["users"][Role.ASSESSOR]]:
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 403, (user, url)
            assert full_file.full_name not in response.content.decode()
        assert client.post(urls[1], {"version": 1, "decision": "accept"}).status_code == 403
    full_file.refresh_from_db()
    assert full_file.status == Status.SUBMITTED


@pytest.mark.django_db
def test_operator_of_another_agency_sees_no_review_feedback(client, world, organiser,
                                                             full_file):
    services.decide(registration=full_file, reviewer=organiser, decision="revise",
                    comments={"profile": "Rahasia antarinstansi."})
    other = make_user(Role.OPERATOR, username="operator-b", agency=world["agency_b"])
    client.force_login(other)
    detail = client.get(reverse("nominations:nomination_detail", args=[full_file.pk]))
    assert detail.status_code == 404
    assert "Rahasia antarinstansi." not in detail.content.decode()


@pytest.mark.django_db
def test_navbar_has_review_for_organisers_only(client, world):
    client.force_login(world["users"][Role.ORGANISER])
    assert f'href="{reverse("review:queue")}"' in client.get(reverse("home")).content.decode()
    client.force_login(world["users"][Role.OPERATOR])
    assert (f'href="{reverse("review:queue")}"'
            not in client.get(reverse("home")).content.decode())


@pytest.mark.django_db
def test_detail_page_links_to_the_review(client, organiser, file):
    client.force_login(organiser)
    html = client.get(reverse("nominations:nomination_detail", args=[file.pk])).content.decode()
    assert reverse("review:review", args=[file.pk]) in html


# -- constant queries -----------------------------------------------------------------------

def _grow(program, count: int, start: int) -> None:
    now = timezone.now()
    agencies = Agency.objects.bulk_create(
        Agency(code=f"RV-{start + i}", name=f"Instansi {start + i}", kind=AgencyKind.KL_PUSAT,
               province=f"Provinsi {i % 5}") for i in range(count))
    for i, agency in enumerate(agencies):
        registration = submitted_file(program=program, agency=agency, nip=nip_for(start + i),
                                      full_name=f"Peserta {start + i}",
                                      submitted_at=now - dt.timedelta(hours=i))
        Submission.objects.create(registration=registration, number=2, submitted_at=now,
                                  snapshot={})


@pytest.mark.django_db
def test_queue_keeps_a_constant_number_of_queries(client, world, django_assert_num_queries):
    client.force_login(world["users"][Role.ORGANISER])
    _grow(world["program"], 2, 100)
    url = reverse("review:queue")
    small = count_queries(client, url)
    small_filtered = count_queries(client, url, {"q": "peserta", "province": "Provinsi 1"})
    _grow(world["program"], 25, 200)
    assert Registration.objects.filter(status="submitted").count() == 28
    with django_assert_num_queries(small):
        client.get(url)
    with django_assert_num_queries(small_filtered):
        client.get(url, {"q": "peserta", "province": "Provinsi 1"})


@pytest.mark.django_db
def test_review_page_queries_do_not_grow_with_versions(client, world, organiser, file,
                                                       django_assert_num_queries):
    client.force_login(organiser)
    url = reverse("review:review", args=[file.pk])
    small = count_queries(client, url)
    for number in range(2, 8):
        Submission.objects.create(registration=file, number=number,
                                  submitted_at=timezone.now(), snapshot={"profile": {}})
    with django_assert_num_queries(small):
        client.get(url)

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from candidates.models import Candidate, Enquiry
from jobs.tests.factories import (
    ConsultantFactory,
    OpenVacancyFactory,
    StaffUserFactory,
    UserFactory,
)
from recruitment.tests.admin_pages import admin_form

from .factories import enquire, pdf_cv

pytestmark = pytest.mark.django_db


@pytest.fixture
def enquiry(client):
    enquire(client, OpenVacancyFactory(), cv=pdf_cv())
    return Enquiry.objects.get()


def consultant_user():
    user = StaffUserFactory()
    user.groups.add(Group.objects.get(name="Consultant"))
    return user


@pytest.mark.parametrize("url_name", ["cv_download", "candidate_cv_download"])
def test_anonymous_visitor_cannot_download_a_cv(client, enquiry, url_name):
    pk = enquiry.pk if url_name == "cv_download" else enquiry.candidate_id
    response = client.get(reverse(f"candidates:{url_name}", args=[pk]))
    assert response.status_code == 403
    assert b"%PDF" not in response.content
    assert "Staff log in" in response.content.decode()


def test_logged_in_non_staff_user_cannot_download_a_cv(client, enquiry):
    client.force_login(UserFactory())
    response = client.get(reverse("candidates:cv_download", args=[enquiry.pk]))
    assert response.status_code == 404


def test_staff_without_permission_cannot_download_a_cv(client, enquiry):
    client.force_login(StaffUserFactory())
    response = client.get(reverse("candidates:cv_download", args=[enquiry.pk]))
    assert response.status_code == 404


def test_consultant_downloads_the_cv_as_an_attachment(client, enquiry):
    client.force_login(consultant_user())
    response = client.get(reverse("candidates:cv_download", args=[enquiry.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Zo" in response["Content-Disposition"]  # the candidate's own file name
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_cv_files_are_not_under_a_public_url(client, enquiry):
    assert client.get(f"/media/{enquiry.cv.name}").status_code == 404
    assert client.get(f"/static/{enquiry.cv.name}").status_code == 404


def test_candidate_admin_finds_by_name_email_or_phone(admin_client, enquiry):
    url = reverse("admin:candidates_candidate_changelist")
    for term in ("Nguyễn", "ZOE@EXAMPLE.COM", "07911"):
        result = admin_client.get(url, {"q": term}).context["cl"].result_list
        assert list(result) == [enquiry.candidate], term


def test_candidate_page_lists_enquiries_and_cv(admin_client, enquiry):
    url = reverse("admin:candidates_candidate_change", args=[enquiry.candidate_id])
    content = admin_client.get(url).content.decode()
    assert enquiry.reference in content
    assert reverse("candidates:candidate_cv_download", args=[enquiry.candidate_id]) in content


def test_a_consultant_sees_their_own_enquiries_first_and_everyones_in_one_click(client, enquiry):
    user = consultant_user()
    mine = OpenVacancyFactory(consultant=ConsultantFactory(user=user))
    enquire(client, mine, email="other@example.com")
    my_enquiry = Enquiry.objects.get(vacancy=mine)
    client.force_login(user)
    url = reverse("admin:candidates_enquiry_changelist")
    assert list(client.get(url).context["cl"].result_list) == [my_enquiry]
    everyone = client.get(url, {"whose": "all"}).context["cl"].result_list
    assert set(everyone) == {my_enquiry, enquiry}


def test_staff_without_a_consultant_profile_see_every_enquiry(admin_client, enquiry):
    url = reverse("admin:candidates_enquiry_changelist")
    assert list(admin_client.get(url).context["cl"].result_list) == [enquiry]


def test_moving_an_enquiry_along_the_pipeline(admin_client, enquiry):
    admin_client.post(
        reverse("admin:candidates_enquiry_changelist"),
        {"action": "move_to_shortlisted", "_selected_action": [enquiry.pk]},
    )
    assert Enquiry.objects.get().status == "shortlisted"
    url = reverse("admin:candidates_enquiry_change", args=[enquiry.pk])
    page = admin_form(admin_client.get(url))
    response = admin_client.post(url, {**page, "_move_to": "interview"}, follow=True)
    assert Enquiry.objects.get().status == "interview"
    assert "moved to Interview" in response.content.decode()


def test_enquiry_admin_shows_notification_state_and_filters(admin_client, enquiry):
    url = reverse("admin:candidates_enquiry_changelist")
    response = admin_client.get(url, {"notification": "pending"})
    assert list(response.context["cl"].result_list) == [enquiry]
    assert "pending" in response.content.decode()
    for params in (
        {"status": "new"},
        {"kind": "application"},
        {"source": "direct"},
        {"vacancy": enquiry.vacancy_id},
    ):
        assert admin_client.get(url, params).status_code == 200


def test_enquiry_changelist_query_count_does_not_grow(
    admin_client, client, django_assert_max_num_queries
):
    vacancy = OpenVacancyFactory()
    for number in range(15):
        enquire(client, vacancy, email=f"c{number}@example.com")
    with django_assert_max_num_queries(14):
        admin_client.get(reverse("admin:candidates_enquiry_changelist"))


def test_candidates_are_not_deleted_by_consultants(client, enquiry):
    client.force_login(consultant_user())
    url = reverse("admin:candidates_candidate_delete", args=[enquiry.candidate_id])
    assert client.get(url).status_code == 403
    assert Candidate.objects.exists()


def test_enquiries_are_found_by_a_whole_email_address_in_any_case(admin_client, enquiry):
    url = reverse("admin:candidates_enquiry_changelist")
    found = admin_client.get(url, {"q": "ZOE@Example.com"}).context["cl"].result_list
    assert list(found) == [enquiry]
    assert list(admin_client.get(url, {"q": "nobody@example.com"}).context["cl"].result_list) == []
    by_name = admin_client.get(url, {"q": "Nguy"}).context["cl"].result_list
    assert list(by_name) == [enquiry]


def test_staff_see_what_an_enquiry_changes_and_copy_it_to_the_candidate(
    admin_client, client, enquiry
):
    enquire(
        client,
        enquiry.vacancy,
        name="Zoë Nguyen-Smith",
        phone="020 7946 0999",
        cv=pdf_cv("New CV.pdf"),
    )
    later = Enquiry.objects.latest("pk")
    page = admin_client.get(reverse("admin:candidates_enquiry_change", args=[later.pk]))
    content = page.content.decode()
    assert "Zoë Nguyen-Smith" in content and "Zoë Nguyễn" in content
    assert "New CV.pdf" in content and "Zoë CV.pdf" in content
    assert "Copy this enquiry's details and CV" in content
    first = admin_client.get(reverse("admin:candidates_enquiry_change", args=[enquiry.pk]))
    assert "The same as the candidate&#x27;s record." in first.content.decode()

    url = reverse("admin:candidates_enquiry_update_candidate", args=[later.pk])
    assert admin_client.get(url).status_code == 405  # a GET changes nothing
    response = admin_client.post(url, follow=True)
    assert "now has the details and CV sent with" in response.content.decode()
    candidate = Candidate.objects.get()
    assert (candidate.name, candidate.phone) == ("Zoë Nguyen-Smith", "020 7946 0999")
    current = candidate.current_cv
    assert (current.file.name, current.original_name) == (later.cv.name, "New CV.pdf")


def test_staff_who_may_not_change_candidates_cannot_copy_an_enquiry_onto_one(client, enquiry):
    reader = StaffUserFactory()
    reader.user_permissions.add(Permission.objects.get(codename="view_enquiry"))
    client.force_login(reader)
    Candidate.objects.update(name="Set by staff")
    url = reverse("admin:candidates_enquiry_update_candidate", args=[enquiry.pk])
    assert client.post(url).status_code == 403
    assert Candidate.objects.get().name == "Set by staff"


def test_enquiries_about_a_job_that_had_closed_are_marked_in_the_list(admin_client, client):
    vacancy = OpenVacancyFactory()
    enquire(client, vacancy, email="before@example.com")
    vacancy.close()
    enquire(client, vacancy, email="after@example.com")
    url = reverse("admin:candidates_enquiry_changelist")
    response = admin_client.get(url, {"about_closed_job__exact": "1"})
    assert [e.email for e in response.context["cl"].result_list] == ["after@example.com"]
    assert "Job had closed" in response.content.decode()

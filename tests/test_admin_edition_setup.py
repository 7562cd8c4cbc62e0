"""Setting up an edition in the admin: the form in sections that say what they decide, and a preview of the public
call page that only staff with the edition's permissions and a second factor see, never indexed, while the public
address of an unpublished edition keeps answering 404."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from contest.demo import organisers_group
from contest.models import Edition
from tests import factories
from tests.mfa import login_with_mfa, login_with_password

pytestmark = pytest.mark.django_db

THEME = "Temat edycji jeszcze tajny"


@pytest.fixture
def draft():
    edition = factories.EditionFactory(phase="submissions", is_draft=True, theme=THEME)
    factories.CategoryFactory(edition=edition, name="Partnerstwa gmin")
    factories.CriterionFactory(edition=edition, name="Trafność diagnozy")
    return edition


@pytest.fixture
def group_organiser():
    user = factories.UserFactory(email="org@example.com", is_organiser=True, is_staff=True)
    user.groups.add(organisers_group())
    return user


def preview_url(edition):
    return reverse("admin:contest_edition_preview", args=[edition.pk])


def public_url(edition):
    return reverse("contest:edition", args=[edition.year])


# --- the preview ---------------------------------------------------------------------------------------------------


def test_an_organiser_with_mfa_previews_a_draft_bannered_and_not_indexed(client, settings, draft, group_organiser):
    settings.REQUIRE_MFA_FOR_STAFF = True
    login_with_mfa(client, group_organiser)
    client.cookies["django_language"] = "en"

    response = client.get(preview_url(draft))

    content = response.content.decode()
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in content
    assert 'data-preview="call-page"' in content
    assert "Preview of the call page" in content
    assert "The public address answers “page not found”" in content
    assert THEME in content and "Partnerstwa gmin" in content and "Trafność diagnozy" in content


def test_the_unpublished_edition_stays_404_on_its_public_page(client, settings, draft, group_organiser):
    settings.REQUIRE_MFA_FOR_STAFF = True
    login_with_mfa(client, group_organiser)
    assert client.get(preview_url(draft)).status_code == 200

    assert client.get(public_url(draft)).status_code == 404
    client.logout()
    assert client.get(public_url(draft)).status_code == 404
    assert THEME not in client.get(reverse("contest:home")).content.decode()
    assert THEME not in client.get(reverse("contest:archive")).content.decode()


def test_a_published_edition_says_the_preview_is_what_visitors_see(client, settings, group_organiser):
    settings.REQUIRE_MFA_FOR_STAFF = False
    edition = factories.EditionFactory(phase="submissions", is_draft=False, theme=THEME)
    client.force_login(group_organiser)
    client.cookies["django_language"] = "en"

    content = client.get(preview_url(edition)).content.decode()

    assert "The edition is public: this is the page visitors see now." in content
    assert client.get(public_url(edition)).status_code == 200


def test_staff_without_mfa_do_not_see_the_preview(client, settings, draft, group_organiser):
    settings.REQUIRE_MFA_FOR_STAFF = True
    login_with_password(client, group_organiser)

    response = client.get(preview_url(draft))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")
    assert THEME not in response.content.decode()


@pytest.mark.parametrize("settings_mfa", [True, False])
def test_a_signed_in_person_who_is_not_staff_does_not_see_the_preview(client, settings, draft, settings_mfa):
    settings.REQUIRE_MFA_FOR_STAFF = settings_mfa
    client.force_login(factories.UserFactory(email="applicant@example.com"))

    response = client.get(preview_url(draft))

    assert response.status_code in (302, 403)
    assert response.get("Location", "") != preview_url(draft)
    assert THEME not in response.content.decode()


def test_anonymous_people_are_sent_to_log_in(client, draft):
    response = client.get(preview_url(draft))
    assert response.status_code == 302 and "login" in response["Location"]


def test_staff_without_the_editions_permissions_are_refused(client, settings, draft):
    settings.REQUIRE_MFA_FOR_STAFF = False
    client.force_login(factories.UserFactory(email="staff@example.com", is_organiser=True, is_staff=True))

    response = client.get(preview_url(draft))

    assert response.status_code == 403
    assert THEME not in response.content.decode()


def test_the_preview_only_answers_get(client, settings, draft, group_organiser):
    settings.REQUIRE_MFA_FOR_STAFF = False
    client.force_login(group_organiser)
    assert client.post(preview_url(draft)).status_code == 405
    assert client.get(reverse("admin:contest_edition_preview", args=[999999])).status_code == 404


# --- the set-up form in sections -----------------------------------------------------------------------------------


@pytest.mark.polish
def test_the_edition_form_is_in_sections_with_the_preview_linked(client, settings, draft, group_organiser):
    settings.REQUIRE_MFA_FOR_STAFF = False
    client.force_login(group_organiser)

    content = client.get(reverse("admin:contest_edition_change", args=[draft.pk])).content.decode()

    sections = ["Podstawowe", "Terminy (czas warszawski)", "Nabór i kwalifikowalność", "Ocena", "Wyniki"]
    sections.append("Dane osobowe")
    positions = [
        content.find(f'<h2 id="fieldset-0-{n}-heading" class="fieldset-heading">{name}</h2>')
        for n, name in enumerate(sections)
    ]
    assert -1 not in positions, dict(zip(sections, positions, strict=True))
    assert positions == sorted(positions)
    assert f'href="{preview_url(draft)}"' in content and "Podgląd strony naboru" in content
    assert f'href="{reverse("retention:edition", args=[draft.year])}"' in content
    assert f'href="{reverse("results_organiser:publication", args=[draft.year])}"' in content


def test_every_editable_field_of_the_edition_is_in_exactly_one_section(group_organiser):
    request = RequestFactory().get("/")
    request.user = group_organiser
    model_admin = admin.site._registry[Edition]
    for obj in (None, factories.EditionFactory()):
        placed = []
        for _name, options in model_admin.get_fieldsets(request, obj):
            for field in options["fields"]:
                placed += list(field) if isinstance(field, tuple) else [field]
        editable = [f.name for f in Edition._meta.fields if f.editable and not f.auto_created]
        editable = [name for name in editable if name not in ("created_at", "updated_at")]
        assert sorted(placed) == sorted(editable)


def test_a_checklist_item_is_linked_to_a_system_check_in_the_admin(client, settings, draft, group_organiser):
    settings.REQUIRE_MFA_FOR_STAFF = False
    client.force_login(group_organiser)
    client.cookies["django_language"] = "en"
    url = reverse("admin:contest_edition_change", args=[draft.pk])
    content = client.get(url).content.decode()
    assert 'name="checklist_items-__prefix__-system_check"' in content
    assert "submitted on time" in content

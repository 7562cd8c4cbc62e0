"""The admin in Polish: titles in the right case ("Wybierz edycję do zmiany", "Dodaj edycję"), column headers and
filters translated, categories named with their edition."""

import pytest
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.utils.functional import Promise

from contest.admin_names import ACCUSATIVE, InflectedTitles
from contest.demo import organisers_group
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.polish, pytest.mark.usefixtures("staff_without_mfa")]

OUR_APPS = {"accounts", "applications", "contest", "jury", "news", "results", "privacy", "retention"}


def _our_admins():
    return [
        (model, model_admin) for model, model_admin in admin.site._registry.items() if model._meta.app_label in OUR_APPS
    ]


@pytest.fixture
def superuser_client(client):
    client.force_login(factories.UserFactory(is_organiser=True, is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def organiser_client(client):
    user = factories.UserFactory(is_organiser=True, is_staff=True)
    user.groups.add(organisers_group())
    client.force_login(user)
    return client


def test_every_model_of_ours_in_the_admin_has_its_accusative_and_the_inflected_titles():
    missing = [
        model._meta.label
        for model, model_admin in _our_admins()
        if model._meta.label_lower not in ACCUSATIVE or not isinstance(model_admin, InflectedTitles)
    ]
    assert missing == []


def test_every_column_and_filter_of_our_admin_has_a_translatable_name():
    untranslated = []
    for model, model_admin in _our_admins():
        names = [name for name in (*model_admin.list_display, *model_admin.list_filter) if isinstance(name, str)]
        names += [item[0] for item in model_admin.list_filter if isinstance(item, tuple)]
        for name in names:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:  # a method: its @admin.display description is in the catalogue test's reach
                continue
            if not isinstance(field.verbose_name, Promise):
                untranslated.append(f"{model._meta.label}.{name}")
        if not isinstance(model._meta.verbose_name, Promise):
            untranslated.append(model._meta.label)
    assert untranslated == []


def test_the_editions_list_and_its_add_page_speak_polish_in_the_accusative(superuser_client):
    listing = superuser_client.get("/admin/contest/edition/").content.decode()
    add_page = superuser_client.get("/admin/contest/edition/add/").content.decode()

    assert "<h1>Wybierz edycję do zmiany</h1>" in listing
    assert "Dodaj edycję" in listing and "Dodaj edycja" not in listing
    assert "<h1>Dodaj edycję</h1>" in add_page


def test_the_change_page_says_zmien_edycje(superuser_client):
    edition = factories.EditionFactory()

    page = superuser_client.get(f"/admin/contest/edition/{edition.pk}/change/").content.decode()

    assert "<h1>Zmień edycję</h1>" in page


def test_a_read_only_list_says_what_there_is_to_view_with_polish_column_headers(organiser_client):
    edition = factories.EditionFactory()
    from jury.models import ReminderLog

    ReminderLog.objects.create(edition=edition, recipients=["juror@example.com"])

    page = organiser_client.get("/admin/jury/reminderlog/").content.decode()

    assert "<h1>Wybierz wysyłkę przypomnień do obejrzenia</h1>" in page
    assert "reminder log" not in page.lower() and "sent at" not in page.lower()
    assert ">Wysłano<" in page or ">wysłano<" in page.lower()


def test_the_category_filter_names_the_edition_of_each_category(organiser_client):
    older, newer = factories.EditionFactory(year=2025, number=9), factories.EditionFactory(year=2026, number=10)
    factories.CategoryFactory(edition=older, name="Partnerstwa gmin")
    factories.CategoryFactory(edition=newer, name="Partnerstwa gmin")

    page = organiser_client.get("/admin/applications/application/").content.decode()

    assert "2026 – Partnerstwa gmin" in page and "2025 – Partnerstwa gmin" in page
    assert page.index("2026 – Partnerstwa gmin") < page.index("2025 – Partnerstwa gmin")


def test_the_time_zone_note_under_date_fields_is_polish(superuser_client):
    """Django's Polish catalogue leaves this JavaScript message in English; our djangojs.po fills it."""
    catalogue = superuser_client.get("/admin/jsi18n/").content.decode()

    polish = "Uwaga: podaj czas w strefie %(timezone)s (Tw\\u00f3j zegar jest %(offset)s godzin\\u0119 do przodu)."
    assert polish in catalogue


def test_the_category_filter_offers_the_chosen_editions_categories_only(organiser_client):
    older, newer = factories.EditionFactory(year=2025, number=9), factories.EditionFactory(year=2026, number=10)
    for name in ("Partnerstwa gmin", "Partnerstwa miejskie"):
        factories.CategoryFactory(edition=older, name=name)
        factories.CategoryFactory(edition=newer, name=name)

    page = organiser_client.get(f"/admin/applications/application/?edition__id__exact={older.pk}").content.decode()

    assert "2025 – Partnerstwa gmin" in page and "2025 – Partnerstwa miejskie" in page
    assert "2026 – Partnerstwa" not in page

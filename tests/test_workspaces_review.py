"""Hostile review of issue 11 (the organisers' and the jurors' workspaces): what a careless user, an attacker or a
newcomer could break, one behaviour per test."""

import re

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse

from applications import services
from applications.models import Application, Status
from jury.models import Assignment, Scorecard
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]


def bulk_url(edition):
    return reverse("applications:organiser_bulk", args=[edition.year])


# Bulk accept: one click must not accept and e-mail a whole selection ------------------------------------------------


def test_bulk_action_list_preselects_no_action(org, edition_in_submissions):
    """A careless organiser ticking rows to export must not find "Accept formally" already chosen."""
    factories.submitted_application(edition_in_submissions)
    content = org.get(reverse("applications:organiser_list", args=[edition_in_submissions.year])).content.decode()
    select = re.search(r'<select name="action"[^>]*>(.*?)</select>', content, re.S).group(1)
    first = re.search(r"<option[^>]*>", select).group(0)
    assert 'value=""' in first


def test_bulk_without_an_action_says_so_and_changes_nothing(org, edition_in_submissions):
    one = factories.submitted_application(edition_in_submissions)
    response = org.post(bulk_url(edition_in_submissions), {"action": "", "ids": [one.pk]}, follow=True)
    assert "Choose what to do with the selected applications." in response.content.decode()
    one.refresh_from_db()
    assert one.status == Status.SUBMITTED


def test_bulk_accept_asks_for_confirmation_first(org, edition_in_submissions, django_capture_on_commit_callbacks):
    edition = edition_in_submissions
    one, two = factories.submitted_application(edition), factories.submitted_application(edition)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = org.post(bulk_url(edition), {"action": "accept", "ids": [one.pk, two.pk], "back": "?q=x"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Accept 2 applications formally?" in content
    assert one.code in content and two.code in content
    assert 'name="confirmed" value="1"' in content
    assert set(Application.objects.filter(pk__in=[one.pk, two.pk]).values_list("status", flat=True)) == {
        Status.SUBMITTED
    }
    assert mail.outbox == []


def test_bulk_accept_confirmed_accepts(org, edition_in_submissions, django_capture_on_commit_callbacks):
    edition = edition_in_submissions
    one = factories.submitted_application(edition)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = org.post(bulk_url(edition), {"action": "accept", "ids": [one.pk], "confirmed": "1"})
    assert response.status_code == 302
    one.refresh_from_db()
    assert one.status == Status.ACCEPTED
    assert len(mail.outbox) == 1


def test_bulk_accept_confirmed_twice_accepts_once(org, edition_in_submissions, django_capture_on_commit_callbacks):
    """Two tabs confirming the same selection: the second is told the entry was skipped, no second e-mail."""
    edition = edition_in_submissions
    one = factories.submitted_application(edition)
    data = {"action": "accept", "ids": [one.pk], "confirmed": "1"}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        org.post(bulk_url(edition), data)
        response = org.post(bulk_url(edition), data, follow=True)
    assert f"Skipped {one.code}" in response.content.decode()
    assert len(mail.outbox) == 1


@pytest.mark.polish
def test_bulk_confirmation_in_polish(org, edition_in_submissions):
    one, two = (
        factories.submitted_application(edition_in_submissions),
        factories.submitted_application(edition_in_submissions),
    )
    response = org.post(bulk_url(edition_in_submissions), {"action": "accept", "ids": [one.pk, two.pk]})
    content = response.content.decode()
    assert "Przyjąć formalnie 2 wnioski?" in content


# The juror's workspace ----------------------------------------------------------------------------------------------


@pytest.fixture
def scoring():
    edition = factories.EditionFactory(phase="scoring", min_justification_length=5)
    factories.CriterionFactory(edition=edition, name="Diagnoza", max_points=10, weight="1.25", order=1)
    juror = factories.declared_juror(edition)
    entries = []
    for number in (1, 2):
        entry = factories.jury_entry(edition, number)
        Assignment.objects.create(member=juror, application=entry)
        factories.sign_off(entry)
        entries.append(entry)
    return edition, juror, entries


def _card_data(edition, **action):
    criterion = edition.criteria.get()
    return {f"points_{criterion.pk}": "7", f"justification_{criterion.pk}": "Dobrze opisane.", **action}


def test_save_and_next_after_scoring_closed_changes_nothing(client, scoring):
    edition, juror, entries = scoring
    type(edition).objects.filter(pk=edition.pk).update(**factories.timeline_for("deliberation"))
    client.force_login(juror.user)
    url = reverse("jury:scorecard", args=[edition.year, entries[0].code])
    response = client.post(url, _card_data(edition, save="next"))
    assert response.status_code in (302, 403, 404)
    assert Scorecard.objects.filter(member=juror).count() == 0


def test_save_and_next_of_a_removed_juror_changes_nothing(client, scoring):
    edition, juror, entries = scoring
    juror.is_active = False
    juror.save()
    client.force_login(juror.user)
    response = client.post(
        reverse("jury:scorecard", args=[edition.year, entries[0].code]), _card_data(edition, save="next")
    )
    assert response.status_code in (302, 403, 404)
    assert Scorecard.objects.filter(member=juror).count() == 0


def test_weighted_total_with_decimal_weights_matches_the_scripts_input(client, scoring):
    """The server's total and the weight jury.js reads (data-weight, parsed with parseFloat) must agree."""
    edition, juror, entries = scoring
    client.force_login(juror.user)
    response = client.post(reverse("jury:scorecard", args=[edition.year, entries[0].code]), _card_data(edition))
    assert response.status_code == 302
    page = client.get(reverse("jury:scorecard", args=[edition.year, entries[0].code]))
    assert 'data-weight="1.25"' in page.text
    assert "<strong>8.75</strong> of 12.50" in page.text


def test_polyglot_pdf_html_is_never_served_as_markup(client, scoring):
    edition, juror, entries = scoring
    requirement = factories.AttachmentRequirementFactory(edition=edition, name="Materiały", visible_to_jury=True)
    polyglot = b"<html><body><script>alert(document.domain)</script></body></html>\n" + factories.pdf_bytes()
    attachment = factories.AttachmentFactory(
        application=entries[0],
        requirement=requirement,
        file=ContentFile(polyglot, name="a.pdf"),
        original_name='x"; filename=evil.html\u202e.pdf',
        content_type="application/pdf",
    )
    factories.sign_off(entries[0])
    client.force_login(juror.user)
    response = client.get(
        reverse("jury:attachment", args=[edition.year, entries[0].code, attachment.pk]) + "?view=inline"
    )
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"<script>" not in body
    if response.status_code == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "evil" not in response["Content-Disposition"]


# The admin's Polish titles: the other apps' models too ---------------------------------------------------------------


@pytest.mark.polish
@pytest.mark.parametrize(
    "url, title",
    [
        ("/admin/auth/group/", "<h1>Wybierz grupę do zmiany</h1>"),
        ("/admin/auth/group/add/", "<h1>Dodaj grupę</h1>"),
        ("/admin/mfa/authenticator/", "<h1>Wybierz metodę uwierzytelniania do zmiany</h1>"),
        ("/admin/django_tasks_database/dbtaskresult/", "<h1>Wybierz wynik zadania do "),
    ],
)
def test_admin_titles_of_other_apps_models_are_polish(client, url, title):
    client.force_login(factories.UserFactory(is_organiser=True, is_staff=True, is_superuser=True))
    page = client.get(url).content.decode()
    assert title in page


# Organisers without their second factor -------------------------------------------------------------------------------


def test_organiser_without_mfa_can_neither_bulk_accept_nor_open_the_home(client, organiser, settings):
    edition = factories.EditionFactory(phase="submissions")
    one = factories.submitted_application(edition)
    settings.REQUIRE_MFA_FOR_STAFF = True
    client.force_login(organiser)
    home = client.get(reverse("organiser:home", args=[edition.year]))
    bulk = client.post(bulk_url(edition), {"action": "accept", "ids": [one.pk], "confirmed": "1"})
    assert home.status_code != 200
    assert bulk.status_code != 200 and bulk.get("Location", "") != reverse(
        "applications:organiser_list", args=[edition.year]
    )
    one.refresh_from_db()
    assert one.status == Status.SUBMITTED


@pytest.mark.polish
def test_scorecard_hints_agree_with_one_point_and_one_character(client):
    edition = factories.EditionFactory(phase="scoring", min_justification_length=1)
    factories.CriterionFactory(edition=edition, name="Innowacja", max_points=1, requires_justification=True, order=1)
    juror = factories.declared_juror(edition)
    entry = factories.jury_entry(edition, 1)
    Assignment.objects.create(member=juror, application=entry)
    factories.sign_off(entry)
    client.force_login(juror.user)
    page = client.get(reverse("jury:scorecard", args=[edition.year, entry.code])).text
    assert "Od 0 do 1 punktu, waga 1." in page, re.findall(r"Od 0 do [^<]{0,60}", page)
    assert "Wymagane jest uzasadnienie o długości co najmniej 1 znaku." in page


# The formal review: two tabs, and previous/next across editions ------------------------------------------------------


def review_url(application):
    return reverse("applications:review", args=[application.pk])


def test_review_accepted_in_two_tabs_is_recorded_and_mailed_once(
    org, edition_in_submissions, django_capture_on_commit_callbacks
):
    application = factories.submitted_application(edition_in_submissions)
    data = {"action": "review", "decision": "accept", "confirmed": "1"}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        org.post(review_url(application), data)
        second = org.post(review_url(application), data, follow=True)
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED
    assert len(mail.outbox) == 1
    # A double click or a second tab: the refusal says why, on a page of the site (not a bare "403 Forbidden").
    assert second.status_code == 403
    assert "Only submitted applications can be reviewed." in second.content.decode()
    assert 'href="/"' in second.content.decode()


@pytest.mark.polish
def test_refusal_page_is_in_polish(org, edition_in_submissions):
    application = factories.submitted_application(edition_in_submissions)
    services.accept(application, by=factories.UserFactory(is_organiser=True))
    response = org.post(review_url(application), {"action": "review", "decision": "accept", "confirmed": "1"})
    content = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Brak dostępu</h1>" in content
    assert "Forbidden" not in content


def test_previous_and_next_stay_in_the_edition(org, edition_in_submissions):
    mine = factories.submitted_application(edition_in_submissions)
    other_edition = factories.EditionFactory(phase="submissions")
    factories.submitted_application(other_edition), factories.submitted_application(other_edition)
    content = org.get(review_url(mine)).content.decode()
    assert 'rel="prev"' not in content and 'rel="next"' not in content


@pytest.mark.polish
def test_a_juror_asking_for_someone_elses_card_gets_a_polish_page_that_names_nothing(client, scoring):
    edition, juror, entries = scoring
    other = factories.declared_juror(edition)
    theirs = factories.jury_entry(edition, 9)
    Assignment.objects.create(member=other, application=theirs)
    factories.sign_off(theirs)
    client.force_login(juror.user)
    response = client.get(reverse("jury:scorecard", args=[edition.year, theirs.code]))
    content = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Nie znaleziono strony</h1>" in content
    assert "Not Found" not in content and "Application" not in content

"""The organisers' publication page: the lock state, the preview of the prepared entries, the countdown, publishing now
through a confirmation (with recent re-authentication), unpublishing with a reason (no e-mail addresses), the link
from the decisions page, and query counts that do not grow with the number of laureates."""

import time

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import access
from applications.models import Application, Status
from contest import phases
from tests import factories as f
from tests import publication_factories as pf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]



def _url(name, edition):
    return reverse(f"results_organiser:{name}", args=[edition.year])


def test_page_shows_lock_preview_with_addresses_and_embargo(client):
    edition, entries, organiser = pf.decided_edition(with_files=True)
    pf.move_results_at(edition, timezone.now() + timezone.timedelta(days=2, hours=1))
    client.force_login(organiser)

    response = client.get(_url("publication", edition))

    html = response.content.decode()
    assert response.status_code == 200
    assert ('data-locked="yes"' in html, 'data-publication-state="embargo"' in html) == (True, True)
    assert (
        f"/laureaci/{edition.year}/partnerstwo-lodzkie/" in html,
        f"/laureaci/{edition.year}/partnerstwo-lodzkie-2/" in html,
        "Zdjęcia z realizacji" in html,
        "1600×1067 px" in html,
        "Finaliści Razem" in html,
    ) == (True, True, True, True, False)
    assert "2\xa0days" in html


def test_page_without_lock_says_nothing_is_prepared(client):
    edition = f.EditionFactory(phase="deliberation")
    organiser = f.UserFactory(is_organiser=True)
    client.force_login(organiser)

    response = client.get(_url("publication", edition))

    html = response.content.decode()
    assert (response.status_code, 'data-locked="no"' in html, _url("publish", edition) in html) == (200, True, False)


def test_page_refused_to_the_chair_and_applicants(client):
    edition, entries, organiser = pf.decided_edition(with_files=False)
    chair = f.declared_juror(edition, is_chair=True)

    client.force_login(chair.user)
    chair_status = client.get(_url("publication", edition)).status_code
    client.force_login(entries["first"].owner)
    applicant_status = client.get(_url("publication", edition)).status_code

    assert (chair_status, applicant_status) == (403, 403)


def test_publish_now_needs_the_confirmation(client, mailoutbox):
    edition, entries, organiser = pf.decided_edition(with_files=False)
    client.force_login(organiser)

    shown = client.get(_url("publish", edition))
    refused = client.post(_url("publish", edition), {})

    assert (shown.status_code, refused.status_code) == (200, 400)
    assert (Application.objects.get(pk=entries["first"].pk).status, len(mailoutbox)) == (Status.ACCEPTED, 0)


def test_publish_now_confirmed_publishes_and_emails(client, mailoutbox, django_capture_on_commit_callbacks):
    edition, entries, organiser = pf.decided_edition(with_files=False)
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("publish", edition), {"confirm": "on"})

    edition.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, _url("publication", edition))
    assert (phases.results_visible(edition), Application.objects.get(pk=entries["first"].pk).status) == (
        True,
        Status.LAUREATE,
    )
    assert len(mailoutbox) == 6


def test_publish_now_refused_without_lock_is_shown_on_the_form(client):
    edition = f.EditionFactory(phase="deliberation")
    client.force_login(f.UserFactory(is_organiser=True))

    response = client.post(_url("publish", edition), {"confirm": "on"})

    assert (response.status_code, "not locked" in response.content.decode()) == (400, True)


def test_publish_now_asks_for_recent_authentication(client, settings):
    edition, entries, organiser = pf.decided_edition(with_files=False)
    client.force_login(organiser)
    session = client.session
    session[access.LOGIN_AT_SESSION_KEY] = time.time() - 3 * 3600
    session.save()

    response = client.post(_url("publish", edition), {"confirm": "on"})

    assert response.status_code == 302 and "reauthenticate" in response["Location"]
    assert Application.objects.get(pk=entries["first"].pk).status == Status.ACCEPTED


def test_unpublish_with_email_in_reason_is_refused(client):
    edition, entries, organiser = pf.decided_edition(with_files=False)
    client.force_login(organiser)
    client.post(_url("publish", edition), {"confirm": "on"})

    response = client.post(_url("unpublish", edition), {"reason": "Skarga: jan@example.com"})

    edition.refresh_from_db()
    assert (response.status_code, edition.results_withdrawn_at, phases.results_visible(edition)) == (400, None, True)


def test_unpublish_with_reason_hides_results(client):
    edition, entries, organiser = pf.decided_edition(with_files=False)
    client.force_login(organiser)
    client.post(_url("publish", edition), {"confirm": "on"})

    response = client.post(_url("unpublish", edition), {"reason": "Błąd w nazwie laureata"})
    page = client.get(_url("publication", edition)).content.decode()

    edition.refresh_from_db()
    assert (response.status_code, phases.results_visible(edition)) == (302, False)
    assert ('data-publication-state="withdrawn"' in page, "Błąd w nazwie laureata" in page) == (True, True)


def test_decisions_page_links_to_publication(client):
    edition, entries, organiser = pf.decided_edition(with_files=False)
    client.force_login(organiser)

    response = client.get(reverse("jury:decisions", args=[edition.year]))

    assert (response.status_code, _url("publication", edition) in response.content.decode()) == (200, True)


def test_page_query_count_does_not_grow_with_laureates(client, django_assert_max_num_queries):
    small_edition, _entries, organiser = pf.decided_edition(with_files=True)
    client.force_login(organiser)
    with django_assert_max_num_queries(40) as small:
        assert client.get(_url("publication", small_edition)).status_code == 200
    large_edition, _entries, organiser = pf.decided_edition(with_files=True, extra_laureates=12)
    client.force_login(organiser)  # the factory set the same organiser's password again, which ends sessions

    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(_url("publication", large_edition)).status_code == 200

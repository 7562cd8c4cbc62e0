"""A hostile review of retention: data deleted or anonymised too early (results withdrawn and published again, awards
decided but not yet published), and the privacy app's "kept until" disagreeing with the edition's retention policy."""

import datetime

import pytest
from django.utils import timezone

from applications.models import Application
from privacy import rules
from results import services as results_services
from retention import services
from retention.models import AnonymisedContact, RetentionPolicy
from tests import factories as f
from tests import publication_factories as pf
from tests.conftest import warsaw
from tests.test_retention import draft_with_files, finished_edition, submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]

DAY = datetime.timedelta(days=1)


def _with_contacts(applications):
    Application.objects.filter(pk__in=[a.pk for a in applications]).update(
        submitted_at=timezone.now() - 70 * DAY,
        contact_name="Jan Kowalski",
        contact_email="jan.kowalski@gmina.example",
    )


# --- 1. awards decided and locked, results_at passed, but publication never ran ---------------------------------------


def test_entries_awarded_but_not_yet_published_keep_their_contact_data():
    """results_at passed by the calendar, but the publication (publish_due) has not moved the statuses: the laureates
    are still "in jury review". Retention must not take them for entries not awarded."""
    edition, entries, _organiser = pf.decided_edition(with_files=False)
    _with_contacts(entries.values())
    years_later = warsaw(edition.year + 30, 1, 2)

    (outcome,) = [o for o in services.apply(years_later) if getattr(o, "year", None) == edition.year]

    assert outcome.contacts_anonymised == 0
    assert outcome.hold != ""
    assert Application.objects.get(pk=entries["first"].pk).contact_name == "Jan Kowalski"
    assert not AnonymisedContact.objects.exists()


# --- 2. results withdrawn, then published again: the appeal window runs from the new publication ----------------------


def test_results_published_again_after_a_withdrawal_open_a_new_appeal_window():
    edition, _entries, organiser = pf.decided_edition(with_files=False)
    results_services.publish_now(edition, by=organiser)
    # The results were first published 100 days ago, then withdrawn for a correction, and are published again now.
    type(edition).objects.filter(pk=edition.pk).update(results_at=timezone.now() - 100 * DAY)
    edition.refresh_from_db()
    results_services.unpublish(edition, by=organiser, reason="Błąd w uzasadnieniu werdyktu")
    results_services.publish_now(edition, by=organiser)
    RetentionPolicy.objects.create(edition=edition, draft_months=1, appeal_window_days=30)
    draft, _names = draft_with_files(edition)

    (outcome,) = [o for o in services.apply(timezone.now() + DAY) if o.year == edition.year]

    assert outcome.hold.startswith("the appeal window is open until")
    assert Application.objects.filter(pk=draft.pk).exists()


# --- 3. privacy's "kept until" is the edition's retention policy ------------------------------------------------------


def test_privacy_retained_until_follows_the_editions_retention_policy():
    edition = finished_edition(2024, contact_years=10)
    entry = submitted(edition)

    kept_until = timezone.localtime(rules.retained_until(edition))

    # Retention anonymises on 1 January 2035 (2024 + 10 + 1): the record keeps the data through 31 December 2034.
    assert kept_until.date() == datetime.date(2034, 12, 31)
    assert rules.in_retention(entry, warsaw(2034, 12, 31, 23, 59, 59)) is True
    assert rules.in_retention(entry, warsaw(2035, 1, 1, 0, 0, 1)) is False


def test_privacy_retained_until_counts_from_the_editions_year_not_the_year_of_its_results():
    """An edition of 2024 whose results came in January 2025: retention anonymises on 1 January 2030, the erasure
    page must not promise "kept until 31 December 2030"."""
    edition = finished_edition(2024)
    type(edition).objects.filter(pk=edition.pk).update(
        scoring_ends_at=warsaw(2024, 12, 20, 23, 59, 59), results_at=warsaw(2025, 1, 15, 12)
    )
    edition.refresh_from_db()

    assert timezone.localtime(rules.retained_until(edition)).date() == datetime.date(2029, 12, 31)


def test_privacy_and_retention_agree_at_the_boundary_for_an_entry_not_awarded():
    edition = finished_edition(2024, contact_years=1)
    entry = submitted(edition)
    last_kept = rules.retained_until(edition)

    services.apply(last_kept)
    assert Application.objects.get(pk=entry.pk).contact_name == "Jan Kowalski"
    assert rules.in_retention(entry, last_kept) is True

    services.apply(last_kept + datetime.timedelta(seconds=1))
    assert Application.objects.get(pk=entry.pk).contact_name == ""
    assert rules.in_retention(entry, last_kept + datetime.timedelta(seconds=1)) is False


def test_erasure_plan_names_the_day_retention_will_anonymise():
    from privacy import plan

    edition = finished_edition(2024, contact_years=7)
    person = f.UserFactory(email="coordinator@example.com")
    submitted(edition, owner=person)

    kept = [item.reason for item in plan.plan_for(person, at=warsaw(2026, 1, 1)).kept]

    assert any("31 grudnia 2031" in reason or "Dec. 31, 2031" in reason for reason in kept), kept


# --- 4. the information clause changed between showing it and the answer (two tabs, an organiser's edit) -------------


def _clause_version():
    from contest import clause
    from contest.models import InfoPage

    return clause.version_of(InfoPage.objects.get(slug=InfoPage.Slug.PRIVACY))


def _organiser_edits_the_clause():
    from contest.models import InfoPage

    InfoPage.objects.filter(slug=InfoPage.Slug.PRIVACY).update(body_pl="Nowa treść klauzuli.", body_en="New clause.")


def test_review_page_submit_form_carries_the_clause_version_shown(client, applicant):
    from django.urls import reverse

    application = f.complete_application(owner=applicant)
    client.force_login(applicant)

    page = client.get(reverse("applications:submit", args=[application.pk])).content.decode()

    form = page.split(f'action="{reverse("applications:submit", args=[application.pk])}"')[1].split("</form>")[0]
    assert f'name="clause_version" value="{_clause_version()}"' in form


def test_submission_with_a_clause_changed_since_it_was_shown_is_refused_and_nothing_recorded(client, applicant):
    from django.urls import reverse

    from accounts.models import Consent

    application = f.complete_application(owner=applicant)
    client.force_login(applicant)
    shown = _clause_version()
    _organiser_edits_the_clause()

    response = client.post(
        reverse("applications:submit", args=[application.pk]), {"clause_version": shown}, follow=True
    )

    application.refresh_from_db()
    assert application.submitted_at is None
    assert not Consent.objects.filter(user=applicant, kind="information_clause_submission").exists()
    assert "information clause changed" in response.content.decode()
    assert _clause_version().encode() in response.content  # the new version is shown to read before submitting again


def test_submission_with_the_clause_version_shown_records_that_version(client, applicant):
    from django.urls import reverse

    from accounts.models import Consent

    application = f.complete_application(owner=applicant)
    client.force_login(applicant)

    client.post(reverse("applications:submit", args=[application.pk]), {"clause_version": _clause_version()})

    application.refresh_from_db()
    assert application.submitted_at is not None
    consent = Consent.objects.get(user=applicant, kind="information_clause_submission")
    assert consent.text_version == _clause_version()


def test_juror_accepting_after_the_clause_changed_is_refused_and_nothing_recorded(client, organiser):
    from django.urls import reverse

    from accounts.models import Consent
    from jury import services as jury_services
    from jury.models import JuryMember

    edition = f.EditionFactory(phase="scoring")
    user = f.UserFactory(email="juror.new@example.com")
    ((_invitation, token),) = jury_services.invite(edition, [user.email], by=organiser)
    client.force_login(user)
    url = reverse("jury:invitation", args=[token])
    page = client.get(url).content.decode()
    shown = _clause_version()
    assert f'name="clause_version" value="{shown}"' in page.split('<form method="post">')[1].split("</form>")[0]
    _organiser_edits_the_clause()

    response = client.post(url, {"clause_version": shown})

    assert response.status_code == 409
    assert "information clause changed" in response.content.decode()
    assert not JuryMember.objects.filter(user=user, edition=edition).exists()
    assert not Consent.objects.filter(user=user).exists()


def test_sign_up_after_the_clause_changed_is_refused(client):
    from django.contrib.auth import get_user_model

    shown = _clause_version()
    _organiser_edits_the_clause()

    response = client.post(
        "/accounts/signup/",
        {
            "email": "nowa@gmina.example",
            "password1": "Zielona-Tramwaj-42",
            "password2": "Zielona-Tramwaj-42",
            "clause_version": shown,
        },
    )

    assert response.status_code == 200
    assert "information clause changed" in response.content.decode()
    assert not get_user_model().objects.filter(email="nowa@gmina.example").exists()


# --- 5. the last day of the appeal window is still inside it ----------------------------------------------------------


def test_nothing_is_deleted_on_the_last_day_of_the_appeal_window():
    """Results on 1 May: a 30-day window counts 2 May as its first day (the day of the event is not counted, Kodeks
    cywilny art. 111 § 2), so an appeal sent on 31 May is in time and the drafts must still be there that day."""
    edition = finished_edition(draft_months=1, appeal_window_days=30)
    draft, names = draft_with_files(edition)

    (outcome,) = services.apply(warsaw(2024, 5, 31, 23, 59, 59))

    assert outcome.hold == "the appeal window is open until 31 May 2024"
    assert Application.objects.filter(pk=draft.pk).exists()


def test_retention_acts_from_midnight_in_warsaw_after_the_appeal_window():
    edition = finished_edition(draft_months=1, appeal_window_days=30)
    draft, _names = draft_with_files(edition)
    # 1 June 2024 00:00:01 in Warsaw (summer time) is still 31 May in UTC.
    at = datetime.datetime(2024, 5, 31, 22, 0, 1, tzinfo=datetime.UTC)

    (outcome,) = services.apply(at)

    assert (outcome.hold, outcome.drafts_deleted) == ("", 1)
    assert not Application.objects.filter(pk=draft.pk).exists()


# --- 6. two runs at once (cron twice, or cron and a hand-run): each edition acted on once -----------------------------


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_delete_and_record_each_draft_once():
    import threading

    from django.core.files.storage import default_storage
    from django.db import connection, connections

    from contest.models import AuditEvent

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks to race against")
    edition = finished_edition(2019)
    draft, names = draft_with_files(edition)
    entry = submitted(edition)
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def run():
        try:
            barrier.wait()
            outcomes.extend(o for o in services.apply(warsaw(2031, 1, 1)) if o.year == 2019)
        except Exception as error:  # noqa: BLE001 - the test reports any failure of either run
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted((o.drafts_deleted, o.contacts_anonymised) for o in outcomes) == [(0, 0), (1, 1)]
    assert AuditEvent.objects.filter(action="retention.applied").count() == 1
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert AnonymisedContact.objects.filter(application=entry).count() == 1
    assert [default_storage.exists(name) for name in names] == [False, False]


# --- 7. a careless organiser shortens a period: data falling due at once needs an explicit confirmation ---------------


def test_shortening_a_period_so_data_falls_due_now_asks_to_confirm_first(client, organiser):
    from django.urls import reverse

    edition = finished_edition(2019, contact_years=10)  # due on 1 January 2030: nothing due today
    entry = submitted(edition)
    client.force_login(organiser)
    url = reverse("retention:edition", args=[edition.year])
    typo = {"draft_months": 3, "contact_years": 1, "appeal_window_days": 30}  # 1 typed instead of 10

    response = client.post(url, typo)

    assert response.status_code == 400
    assert "anonymises the contact data of 1 entries" in response.content.decode()
    policy = RetentionPolicy.objects.get(edition=edition)
    assert (policy.contact_years, policy.confirmed_at) == (10, None)
    assert Application.objects.get(pk=entry.pk).contact_name == "Jan Kowalski"

    response = client.post(url, {**typo, "confirm_due": "on"})

    assert response.status_code == 302
    assert RetentionPolicy.objects.get(edition=edition).contact_years == 1


def test_a_change_that_makes_nothing_newly_due_needs_no_confirmation(client, organiser):
    from django.urls import reverse

    edition = finished_edition(2019, contact_years=10)
    submitted(edition)
    client.force_login(organiser)

    response = client.post(
        reverse("retention:edition", args=[edition.year]),
        {"draft_months": 3, "contact_years": 15, "appeal_window_days": 30},
    )

    assert response.status_code == 302
    assert b"confirm_due" not in client.get(reverse("retention:edition", args=[edition.year])).content


@pytest.mark.polish
def test_the_confirmation_speaks_polish(client, organiser):
    from django.urls import reverse

    edition = finished_edition(2019, contact_years=10)
    submitted(edition)
    client.force_login(organiser)

    response = client.post(
        reverse("retention:edition", args=[edition.year]),
        {"draft_months": 3, "contact_years": 1, "appeal_window_days": 30},
    )

    page = response.content.decode()
    assert "zanonimizuje dane kontaktowe wniosków (liczba: 1)" in page
    assert "Potwierdzam: najbliższe uruchomienie" in page


# --- 8. who may change the periods: not an organiser without the second factor, not a forged form ---------------------


def test_organiser_without_a_second_factor_cannot_change_the_periods(client, organiser, settings):
    from django.urls import reverse

    settings.REQUIRE_MFA_FOR_STAFF = True
    edition = finished_edition(2019, contact_years=10)
    client.force_login(organiser)

    response = client.post(
        reverse("retention:edition", args=[edition.year]),
        {"draft_months": 1, "contact_years": 1, "appeal_window_days": 0, "confirm_due": "on"},
    )

    assert response.status_code in (302, 403)
    assert "/dane-osobowe/" not in response.get("Location", "")
    assert RetentionPolicy.objects.get(edition=edition).contact_years == 10


def test_a_forged_cross_site_form_changes_nothing(organiser):
    from django.test import Client
    from django.urls import reverse

    edition = finished_edition(2019, contact_years=10)
    client = Client(enforce_csrf_checks=True)
    client.force_login(organiser)

    response = client.post(
        reverse("retention:edition", args=[edition.year]),
        {"draft_months": 1, "contact_years": 1, "appeal_window_days": 0, "confirm_due": "on"},
    )

    assert response.status_code == 403
    assert RetentionPolicy.objects.get(edition=edition).contact_years == 10


# --- 9. the register states the time limits the platform keeps --------------------------------------------------------


def test_register_does_not_promise_to_erase_scorecards_and_audit_events_that_nothing_erases():
    """Retention never deletes scorecards, rankings or audit events (the audit trail is a hash chain): the register
    of processing activities must not tell the supervisory authority they go after the edition's period."""
    from retention.models import ProcessingActivity

    committee = ProcessingActivity.objects.get(name="Prace Komisji Konkursowej").retention
    audit = ProcessingActivity.objects.get(name="Dziennik zdarzeń i bezpieczeństwo serwisu").retention

    assert "5 lat" not in committee
    assert "bez terminu usunięcia" in committee
    assert "przez okres przechowywania dokumentacji edycji" not in audit
    assert "bez terminu usunięcia" in audit

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

"""The committee's decisions (jury.services.decisions): what a decision needs, when it can be recorded, the lock, the
audit trail, and that nothing reaches the applicant before publication (no status change, no e-mail)."""

import threading
import time

import pytest
from django.core import mail
from django.db import connection, connections, transaction

from applications.models import Application, Status
from contest.models import AuditEvent, Edition
from jury import services
from jury.models import Decision, DecisionLock
from jury.services import JuryError
from tests import factories as f

pytestmark = pytest.mark.django_db

CITATION = "Za wzorową współpracę gmin w zakresie transportu."


@pytest.fixture
def edition():
    return f.EditionFactory(phase="deliberation")


@pytest.fixture
def organiser():
    return f.UserFactory(email="organiser@example.com", is_organiser=True, is_staff=True)


@pytest.fixture
def entry(edition):
    return f.jury_entry(edition, 1)


def _laureate(entry, by, place=1, **fields):
    return services.record_decision(entry, outcome="laureate", place=place, citation=CITATION, by=by, **fields)


def test_record_decision_laureate_saved_with_place_and_citation(entry, organiser):
    _laureate(entry, organiser, prize_tier="Nagroda główna")

    decision = Decision.objects.get()
    assert (decision.outcome, decision.place, decision.prize_tier, decision.citation, decision.recorded_by) == (
        "laureate",
        1,
        "Nagroda główna",
        CITATION,
        organiser,
    )


def test_record_decision_changes_no_status_and_sends_no_email(entry, organiser):
    _laureate(entry, organiser)

    entry.refresh_from_db()
    assert (entry.status, len(mail.outbox)) == (Status.ACCEPTED, 0)


def test_changing_a_decision_changes_no_status_and_sends_no_email(entry, organiser):
    _laureate(entry, organiser)
    services.record_decision(entry, outcome="not_awarded", by=organiser)

    entry.refresh_from_db()
    decision = Decision.objects.get()
    assert (decision.outcome, decision.place, entry.status, len(mail.outbox)) == (
        "not_awarded",
        None,
        Status.ACCEPTED,
        0,
    )


def test_record_decision_laureate_without_place_refused_nothing_saved(entry, organiser):
    with pytest.raises(JuryError, match="A laureate needs a place.") as refused:
        services.record_decision(entry, outcome="laureate", citation=CITATION, by=organiser)

    assert (list(refused.value.field_errors), Decision.objects.count()) == (["place"], 0)


def test_record_decision_laureate_without_citation_refused_nothing_saved(entry, organiser):
    with pytest.raises(JuryError, match="needs a citation") as refused:
        services.record_decision(entry, outcome="laureate", place=1, citation="   ", by=organiser)

    assert (list(refused.value.field_errors), Decision.objects.count()) == (["citation"], 0)


def test_record_decision_distinction_without_citation_refused(entry, organiser):
    with pytest.raises(JuryError, match="needs a citation"):
        services.record_decision(entry, outcome="distinction", by=organiser)

    assert Decision.objects.count() == 0


def test_record_decision_refused_change_keeps_the_earlier_decision(entry, organiser):
    _laureate(entry, organiser, place=2)

    with pytest.raises(JuryError, match="A laureate needs a place."):
        services.record_decision(entry, outcome="laureate", citation=CITATION, by=organiser)

    assert Decision.objects.get().place == 2


def test_record_decision_unknown_outcome_refused(entry, organiser):
    with pytest.raises(JuryError, match="Choose one of the outcomes."):
        services.record_decision(entry, outcome="winner", by=organiser)

    assert Decision.objects.count() == 0


def test_record_decision_finalist_needs_no_citation_and_keeps_no_place(entry, organiser):
    services.record_decision(entry, outcome="finalist", place=3, by=organiser)

    assert (Decision.objects.get().outcome, Decision.objects.get().place) == ("finalist", None)


def test_two_laureates_may_share_a_place_ex_aequo(edition, entry, organiser):
    other = f.jury_entry(edition, 2)
    _laureate(entry, organiser, place=1)
    _laureate(other, organiser, place=1)

    assert list(Decision.objects.order_by("application__code").values_list("place", flat=True)) == [1, 1]


def test_one_decision_per_entry_recording_again_updates_it(entry, organiser):
    _laureate(entry, organiser)
    services.record_decision(entry, outcome="distinction", citation=CITATION, by=organiser)

    assert list(Decision.objects.values_list("outcome", flat=True)) == ["distinction"]


@pytest.mark.parametrize("phase", ["submissions", "formal_review", "scoring"])
def test_record_decision_before_deliberation_refused(phase, organiser):
    entry = f.jury_entry(f.EditionFactory(phase=phase), 1)

    with pytest.raises(JuryError, match="Decisions are recorded during deliberation"):
        _laureate(entry, organiser)

    assert Decision.objects.count() == 0


@pytest.mark.parametrize("phase", ["results", "archived"])
def test_record_decision_after_publication_refused(phase, organiser):
    entry = f.jury_entry(f.EditionFactory(phase=phase), 1)

    with pytest.raises(JuryError, match="results of this edition are published"):
        _laureate(entry, organiser)

    assert Decision.objects.count() == 0


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.REJECTED, Status.WITHDRAWN])
def test_record_decision_on_entry_not_formally_accepted_refused(edition, organiser, status):
    entry = f.jury_entry(edition, 1, status=status)

    with pytest.raises(JuryError, match="Only formally accepted entries get a decision."):
        _laureate(entry, organiser)

    assert Decision.objects.count() == 0


def test_record_decision_when_locked_refused_with_clear_message(edition, entry, organiser):
    _laureate(entry, organiser, place=1)
    services.lock_decisions(edition, reason="Protokół podpisany.", by=organiser)

    with pytest.raises(JuryError, match="The decisions of this edition are locked: an organiser must unlock"):
        _laureate(entry, organiser, place=5)

    assert Decision.objects.get().place == 1


def test_record_decision_after_unlock_allowed(edition, entry, organiser):
    services.lock_decisions(edition, reason="Protokół podpisany.", by=organiser)
    services.unlock_decisions(edition, reason="Błąd w uzasadnieniu.", by=organiser)

    _laureate(entry, organiser)

    assert Decision.objects.count() == 1


def test_record_decision_audited_with_ids_and_outcome_codes_only(edition, entry, organiser):
    _laureate(entry, organiser, place=1)
    services.record_decision(entry, outcome="distinction", citation=CITATION, by=organiser)

    events = AuditEvent.objects.filter(action="jury.decision_recorded").order_by("sequence")
    assert [(e.from_state, e.to_state, e.target_id, e.actor_id) for e in events] == [
        ("", "laureate", str(entry.pk), organiser.pk),
        ("laureate", "distinction", str(entry.pk), organiser.pk),
    ]
    assert CITATION not in str([e.data for e in events]) and organiser.email not in str([e.data for e in events])


def test_lock_decisions_audited_with_reason(edition, organiser):
    services.lock_decisions(edition, reason="Protokół podpisany.", by=organiser)

    event = AuditEvent.objects.get(action="jury.decisions_locked")
    assert (event.reason, event.from_state, event.to_state, event.actor_id, event.edition_id) == (
        "Protokół podpisany.",
        "open",
        "locked",
        organiser.pk,
        edition.pk,
    )


def test_unlock_decisions_audited_with_reason(edition, organiser):
    services.lock_decisions(edition, reason="Protokół podpisany.", by=organiser)
    services.unlock_decisions(edition, reason="Błąd w uzasadnieniu.", by=organiser)

    event = AuditEvent.objects.get(action="jury.decisions_unlocked")
    assert (event.reason, event.to_state, DecisionLock.objects.count()) == ("Błąd w uzasadnieniu.", "open", 0)


def test_lock_decisions_without_reason_refused(edition, organiser):
    with pytest.raises(JuryError, match="Give a reason for locking the decisions."):
        services.lock_decisions(edition, reason="  ", by=organiser)

    assert DecisionLock.objects.count() == 0


def test_unlock_decisions_without_reason_refused_lock_stays(edition, organiser):
    services.lock_decisions(edition, reason="Protokół podpisany.", by=organiser)

    with pytest.raises(JuryError, match="Give a reason for unlocking the decisions."):
        services.unlock_decisions(edition, reason="", by=organiser)

    assert DecisionLock.objects.count() == 1


def test_lock_decisions_twice_refused(edition, organiser):
    services.lock_decisions(edition, reason="Protokół podpisany.", by=organiser)

    with pytest.raises(JuryError, match="already locked"):
        services.lock_decisions(edition, reason="Jeszcze raz.", by=organiser)

    assert AuditEvent.objects.filter(action="jury.decisions_locked").count() == 1


def test_unlock_decisions_not_locked_refused(edition, organiser):
    with pytest.raises(JuryError, match="are not locked"):
        services.unlock_decisions(edition, reason="Po co?", by=organiser)

    assert AuditEvent.objects.filter(action="jury.decisions_unlocked").count() == 0


def test_decisions_send_no_email_and_change_no_status_through_lock_and_unlock(edition, entry, organiser):
    _laureate(entry, organiser)
    services.lock_decisions(edition, reason="Protokół podpisany.", by=organiser)
    services.unlock_decisions(edition, reason="Poprawka.", by=organiser)

    entry.refresh_from_db()
    assert (entry.status, len(mail.outbox)) == (Status.ACCEPTED, 0)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks to race against")
def test_decision_racing_the_lock_waits_for_it_and_is_refused():
    edition = f.EditionFactory(phase="deliberation")
    entry = f.jury_entry(edition, 1)
    organiser = f.UserFactory(email="organiser@example.com", is_organiser=True, is_staff=True)
    locked, release, outcomes = threading.Event(), threading.Event(), []

    def organiser_tab():
        try:
            with transaction.atomic():
                services.lock_decisions(Edition.objects.get(pk=edition.pk), reason="Koniec obrad.", by=organiser)
                locked.set()
                release.wait(5)
        finally:
            connections.close_all()

    def chair_tab():
        locked.wait(5)
        try:
            services.record_decision(Application.objects.get(pk=entry.pk), outcome="not_awarded", by=organiser)
            outcomes.append("saved")
        except JuryError as error:
            outcomes.append(error.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=organiser_tab), threading.Thread(target=chair_tab)]
    for thread in threads:
        thread.start()
    locked.wait(5)
    time.sleep(0.5)
    waited = not outcomes  # the decision is held back while the lock is being set
    release.set()
    for thread in threads:
        thread.join()
    assert (waited, outcomes, Decision.objects.count()) == (
        True,
        ["The decisions of this edition are locked: an organiser must unlock them first."],
        0,
    )

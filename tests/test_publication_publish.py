"""Publishing: statuses move from the decisions through change_status, every applicant gets exactly one outcome e-mail
(laureates and distinctions with the citation), even when publication runs twice; "publish now" needs locked
decisions and the end of scoring; the due command publishes at results_at and not before; unpublishing needs a
reason without e-mail addresses and hides everything; publishing again sends nothing."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from applications.models import Application, Status
from contest import phases
from contest.models import AuditEvent
from results import services
from results.visibility import public_entries
from tests import factories as f
from tests import publication_factories as pf

pytestmark = pytest.mark.django_db

SECOND = timezone.timedelta(seconds=1)


def _statuses(entries):
    return {name: Application.objects.get(pk=a.pk).status for name, a in entries.items()}


def _recipients(outbox):
    return sorted(address for message in outbox for address in message.to if address.startswith("applicant"))


def test_publish_now_moves_every_status_from_its_decision(django_capture_on_commit_callbacks):
    edition, entries, organiser = pf.decided_edition(with_files=False)

    with django_capture_on_commit_callbacks(execute=True):
        done = services.publish(edition, by=organiser, now=True)

    assert (done.moved, _statuses(entries)) == (
        6,
        {
            "first": Status.LAUREATE,
            "second": Status.LAUREATE,
            "distinction": Status.DISTINCTION,
            "finalist": Status.NOT_AWARDED,
            "loser": Status.NOT_AWARDED,
            "undecided": Status.NOT_AWARDED,
        },
    )


def test_publish_twice_sends_exactly_one_outcome_email_per_applicant(mailoutbox, django_capture_on_commit_callbacks):
    edition, entries, organiser = pf.decided_edition(with_files=False)

    with django_capture_on_commit_callbacks(execute=True):
        services.publish(edition, by=organiser, now=True)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.publish(edition, by=organiser, now=True)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_due_results")

    assert again.moved == 0
    assert _recipients(mailoutbox) == [f"applicant{k}@example.com" for k in range(6)]


def test_laureate_email_holds_the_citation_and_not_awarded_email_does_not(
    mailoutbox, django_capture_on_commit_callbacks
):
    edition, entries, organiser = pf.decided_edition(with_files=False)

    with django_capture_on_commit_callbacks(execute=True):
        services.publish(edition, by=organiser, now=True)

    by_recipient = {message.to[0]: message for message in mailoutbox}
    laureate, finalist = by_recipient["applicant0@example.com"], by_recipient["applicant3@example.com"]
    assert (pf.CITATION in laureate.body, "laureate" in laureate.subject, pf.CITATION in finalist.body) == (
        True,
        True,
        False,
    )
    assert "not awarded" in finalist.subject


@pytest.mark.polish
def test_outcome_email_is_polish_by_default(mailoutbox, django_capture_on_commit_callbacks):
    edition, entries, organiser = pf.decided_edition(with_files=False)

    with django_capture_on_commit_callbacks(execute=True):
        services.publish(edition, by=organiser, now=True)

    laureate = next(m for m in mailoutbox if m.to[0] == "applicant0@example.com")
    assert ("Gratulacje" in laureate.body, "Uzasadnienie werdyktu" in laureate.body) == (True, True)


def test_publish_now_sets_results_at_to_this_second():
    edition, entries, organiser = pf.decided_edition(with_files=False)
    before = timezone.now().replace(microsecond=0)

    services.publish(edition, by=organiser, now=True)

    edition.refresh_from_db()
    assert (edition.results_at.microsecond, before <= edition.results_at <= timezone.now()) == (0, True)
    assert phases.results_visible(edition) is True


def test_publish_now_refused_without_locked_decisions(mailoutbox):
    edition = f.EditionFactory(phase="deliberation")
    entry = pf.entry(edition, 1, partnership_name="Partnerstwo Łódzkie")
    results_at = edition.results_at

    with pytest.raises(services.PublicationError, match="not locked"):
        services.publish(edition, by=f.UserFactory(is_organiser=True), now=True)

    edition.refresh_from_db()
    assert (edition.results_at, Application.objects.get(pk=entry.pk).status, len(mailoutbox)) == (
        results_at,
        Status.ACCEPTED,
        0,
    )


def test_publish_now_refused_while_scoring_is_open():
    edition, entries, organiser = pf.decided_edition(with_files=False)
    from contest.models import Edition

    Edition.objects.filter(pk=edition.pk).update(scoring_ends_at=timezone.now() + timezone.timedelta(days=1))
    edition.refresh_from_db()

    with pytest.raises(services.PublicationError, match="scoring"):
        services.publish(edition, by=organiser, now=True)


def test_scheduled_publish_refused_one_second_before_results_at():
    edition, entries, organiser = pf.decided_edition(with_files=False)
    pf.move_results_at(edition, timezone.now() + timezone.timedelta(minutes=5))

    with pytest.raises(services.PublicationError, match="not come"):
        services.publish(edition, by=None)
    assert list(services.due_editions(at=edition.results_at - SECOND)) == []
    assert list(services.due_editions(at=edition.results_at)) == [edition]


def test_due_command_publishes_an_edition_whose_results_at_passed(mailoutbox, django_capture_on_commit_callbacks):
    edition, entries, organiser = pf.decided_edition(with_files=False)
    pf.move_results_at(edition, timezone.now() - SECOND)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_due_results")

    assert (_statuses(entries)["first"], len(_recipients(mailoutbox))) == (Status.LAUREATE, 6)
    assert list(services.due_editions()) == []


def test_due_command_skips_withdrawn_and_unlocked_editions(mailoutbox, django_capture_on_commit_callbacks):
    edition, entries, organiser = pf.decided_edition(with_files=False)
    services.unpublish(edition, by=organiser, reason="Wstrzymane do czasu gali")
    pf.move_results_at(edition, timezone.now() - SECOND)
    unlocked = f.EditionFactory(phase="results")
    pf.entry(unlocked, 1, partnership_name="Bez blokady")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_due_results")

    assert (_statuses(entries)["first"], len(mailoutbox)) == (Status.ACCEPTED, 0)


def test_unpublish_requires_a_reason_and_refuses_email_addresses():
    edition, entries, organiser = pf.decided_edition(with_files=False)
    services.publish(edition, by=organiser, now=True)

    with pytest.raises(services.PublicationError):
        services.unpublish(edition, by=organiser, reason="   ")
    with pytest.raises(services.PublicationError, match="e-mail"):
        services.unpublish(edition, by=organiser, reason="Skarga od jan.kowalski@example.com")

    edition.refresh_from_db()
    assert (edition.results_withdrawn_at, phases.results_visible(edition)) == (None, True)


def test_unpublish_hides_results_everywhere_the_visibility_rules_ask():
    edition, entries, organiser = pf.decided_edition(with_files=False)
    services.publish(edition, by=organiser, now=True)
    assert public_entries().filter(edition=edition).count() == 3

    services.unpublish(edition, by=organiser, reason="Błąd w uzasadnieniu werdyktu")

    edition.refresh_from_db()
    assert (phases.results_visible(edition), public_entries().filter(edition=edition).count()) == (False, 0)
    assert edition.results_withdrawn_reason == "Błąd w uzasadnieniu werdyktu"


def test_publish_again_after_unpublish_clears_withdrawal_without_second_email(
    mailoutbox, django_capture_on_commit_callbacks
):
    edition, entries, organiser = pf.decided_edition(with_files=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(edition, by=organiser, now=True)
    services.unpublish(edition, by=organiser, reason="Błąd w nazwie")
    sent = len(mailoutbox)

    with django_capture_on_commit_callbacks(execute=True):
        done = services.publish(edition, by=organiser, now=True)

    edition.refresh_from_db()
    assert (done.cleared_withdrawal, edition.results_withdrawn_at, phases.results_visible(edition)) == (
        True,
        None,
        True,
    )
    assert (sent, len(mailoutbox)) == (6, 6)


def test_publication_is_audited_without_personal_data():
    edition, entries, organiser = pf.decided_edition(with_files=False)

    services.publish(edition, by=organiser, now=True)
    services.unpublish(edition, by=organiser, reason="Wstrzymanie")

    events = list(AuditEvent.objects.filter(edition=edition, action__startswith="results.").order_by("sequence"))
    assert [(e.action, e.actor_id, e.to_state) for e in events] == [
        ("results.prepared", None, ""),
        ("results.published", organiser.pk, "published"),
        ("results.unpublished", organiser.pk, "withdrawn"),
    ]
    assert events[1].data["moved"] == 6
    assert "@" not in str([e.data for e in events])
    moves = AuditEvent.objects.filter(edition=edition, action="application.status", to_state=Status.LAUREATE)
    assert moves.count() == 2


def test_due_command_reports_nothing_due(capsys):
    call_command("publish_due_results")

    assert capsys.readouterr().out.strip() == "nothing due"


def test_due_command_fails_loudly_when_a_due_edition_is_refused(monkeypatch):
    edition, entries, organiser = pf.decided_edition(with_files=False)
    pf.move_results_at(edition, timezone.now() - SECOND)

    def refuse(*args, **kwargs):
        raise services.PublicationError("refused for the test")

    monkeypatch.setattr(services, "publish", refuse)
    with pytest.raises(CommandError, match="refused for the test"):
        call_command("publish_due_results")

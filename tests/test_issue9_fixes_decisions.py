"""Review of issue 9, findings 2 and 3: a stale second tab no longer overwrites a decision silently (409, the typed text
kept, the current decision shown), and whoever has a conflict of interest with an entry (an organiser who also sits
on the jury included) cannot record its decision."""

import datetime
import re

import pytest
from django.urls import reverse

from contest.models import AuditEvent
from jury import services
from jury.models import ConflictOfInterest, Decision
from jury.permissions import check
from jury.services.decisions import StaleDecision, decision_version
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]

FIRST = "Za wzorową współpracę gmin powiatu."
SECOND = "Za trwałe efekty partnerstwa — tekst z drugiej karty."



@pytest.fixture
def edition():
    return f.EditionFactory(phase="deliberation")


@pytest.fixture
def entry(edition):
    return f.jury_entry(edition, 1)


@pytest.fixture
def organiser():
    return f.UserFactory(email="organiser@example.com", is_organiser=True, is_staff=True)


def _page(client, edition):
    return client.get(reverse("jury:decisions", args=[edition.year]))


def _version_in(html, entry):
    found = re.search(rf'name="{re.escape(entry.code)}-version" value="([^"]*)"', html)
    if found:
        return found.group(1)
    assert f'name="{entry.code}-version"' in html  # no value attribute: the form was opened on no decision
    return ""


def _save(client, edition, entry, version, **fields):
    data = {f"{entry.code}-{name}": value for name, value in {**fields, "version": version}.items()}
    return client.post(reverse("jury:decision_record", args=[edition.year, entry.code]), data)


def _recorded():
    return AuditEvent.objects.filter(action="jury.decision_recorded").count()


# Finding 2: two tabs -------------------------------------------------------------------------------------------------


def test_stale_second_tab_gets_409_and_overwrites_nothing(client, edition, entry, organiser):
    client.force_login(organiser)
    tab_a = _version_in(_page(client, edition).text, entry)
    tab_b = _version_in(_page(client, edition).text, entry)
    _save(client, edition, entry, tab_a, outcome="laureate", place="1", citation=FIRST)

    response = _save(client, edition, entry, tab_b, outcome="distinction", place="2", citation=SECOND)

    decision = Decision.objects.get()
    assert (response.status_code, decision.outcome, decision.citation, _recorded()) == (409, "laureate", FIRST, 1)


def test_stale_save_keeps_the_typed_text_and_shows_the_current_decision(client, edition, entry, organiser):
    client.force_login(organiser)
    stale = _version_in(_page(client, edition).text, entry)
    services.record_decision(entry, outcome="laureate", place=1, citation=FIRST, by=organiser)

    response = _save(client, edition, entry, stale, outcome="distinction", place="2", citation=SECOND)

    html = response.text
    assert "Someone else saved the decision on" in html and "nothing was overwritten" in html
    assert (SECOND in html, FIRST in html, 'data-outcome="laureate"' in html) == (True, True, True)


def test_saving_again_after_the_409_replaces_the_decision_knowingly(client, edition, entry, organiser):
    client.force_login(organiser)
    stale = _version_in(_page(client, edition).text, entry)
    services.record_decision(entry, outcome="laureate", place=1, citation=FIRST, by=organiser)
    refused = _save(client, edition, entry, stale, outcome="distinction", place="2", citation=SECOND)

    response = _save(client, edition, entry, _version_in(refused.text, entry), outcome="distinction", citation=SECOND)

    decision = Decision.objects.get()
    assert (response.status_code, decision.outcome, decision.citation, _recorded()) == (302, "distinction", SECOND, 2)


def test_a_double_click_sending_the_same_decision_twice_is_not_a_conflict(client, edition, entry, organiser):
    client.force_login(organiser)
    opened = _version_in(_page(client, edition).text, entry)
    _save(client, edition, entry, opened, outcome="laureate", place="1", citation=FIRST)

    response = _save(client, edition, entry, opened, outcome="laureate", place="1", citation=FIRST)

    assert (response.status_code, Decision.objects.get().citation, _recorded()) == (302, FIRST, 1)


def test_form_from_the_page_carries_the_current_version(client, edition, entry, organiser):
    decision = services.record_decision(entry, outcome="finalist", by=organiser)
    client.force_login(organiser)

    response = _save(
        client, edition, entry, _version_in(_page(client, edition).text, entry), outcome="not_awarded"
    )

    assert (response.status_code, Decision.objects.get().outcome) == (302, "not_awarded")
    assert decision_version(decision) != decision_version(Decision.objects.get())


def test_service_refuses_a_stale_version_with_the_current_decision(edition, entry, organiser):
    current = services.record_decision(entry, outcome="laureate", place=1, citation=FIRST, by=organiser)

    with pytest.raises(StaleDecision) as refused:
        services.record_decision(
            entry, outcome="finalist", by=organiser, expected_version=decision_version(None)
        )

    assert (refused.value.current.pk, Decision.objects.get().outcome, _recorded()) == (current.pk, "laureate", 1)


def test_version_is_the_moment_of_the_last_change_to_the_microsecond(edition, entry, organiser):
    decision = services.record_decision(entry, outcome="finalist", by=organiser)

    assert decision_version(Decision.objects.get()) == decision.updated_at.astimezone(datetime.UTC).isoformat(
        timespec="microseconds"
    )


# Finding 3: conflicts refuse whoever acts -----------------------------------------------------------------------


@pytest.fixture
def organiser_on_the_jury(edition, organiser, entry):
    member = f.declared_juror(edition, user=organiser)
    ConflictOfInterest.objects.create(member=member, application=entry, source="declared", reason="Rodzina.")
    return member


def test_organiser_with_a_conflict_cannot_record_the_entrys_decision(
    client, edition, entry, organiser, organiser_on_the_jury
):
    client.force_login(organiser)

    response = _save(client, edition, entry, "", outcome="laureate", place="1", citation=FIRST)

    assert (response.status_code, Decision.objects.count(), _recorded()) == (403, 0, 0)


def test_organiser_with_a_conflict_gets_no_form_for_that_entry_but_for_the_others(
    client, edition, entry, organiser, organiser_on_the_jury
):
    other = f.jury_entry(edition, 2)
    client.force_login(organiser)

    html = _page(client, edition).text

    assert (f'name="{entry.code}-outcome"' in html, f'name="{other.code}-outcome"' in html) == (False, True)
    assert "You have a conflict of interest with this entry." in html


def test_organiser_with_a_conflict_still_decides_other_entries(
    client, edition, entry, organiser, organiser_on_the_jury
):
    other = f.jury_entry(edition, 2)
    client.force_login(organiser)

    response = _save(client, edition, other, "", outcome="finalist")

    assert (response.status_code, Decision.objects.get().application_id) == (302, other.pk)


def test_organiser_whose_conflict_was_lifted_may_decide(edition, entry, organiser, organiser_on_the_jury):
    services.lift_conflict(organiser_on_the_jury.conflicts.get(), "Powiązania ustały.", by=organiser)

    assert bool(check(organiser, "decide", edition, entry)) is True


def test_organiser_with_a_conflict_under_an_inactive_membership_is_still_refused(
    edition, entry, organiser, organiser_on_the_jury
):
    organiser_on_the_jury.is_active = False
    organiser_on_the_jury.save(update_fields=["is_active"])

    verdict = check(organiser, "decide", edition, entry)

    assert (bool(verdict), str(verdict.reason)) == (False, "You have a conflict of interest with this entry.")


def test_chair_with_a_conflict_is_refused_as_before(client, edition, entry):
    chair = f.declared_juror(edition, is_chair=True)
    ConflictOfInterest.objects.create(member=chair, application=entry, source="declared", reason="Rodzina.")
    client.force_login(chair.user)

    response = _save(client, edition, entry, "", outcome="finalist")

    assert (response.status_code, Decision.objects.count()) == (403, 0)


@pytest.mark.polish
def test_stale_save_message_reads_in_polish(client, edition, entry, organiser):
    client.force_login(organiser)
    stale = _version_in(_page(client, edition).text, entry)
    services.record_decision(entry, outcome="laureate", place=1, citation=FIRST, by=organiser)

    response = _save(client, edition, entry, stale, outcome="finalist")

    assert (response.status_code, "niczego nie nadpisano" in response.text) == (409, True)

"""Adversarial review 9b of issue 9 after its round of fixes: each test names a behaviour that should hold and fails
today (see the review report)."""

import contextlib
import importlib

import pytest
from django.db import connection
from django.urls import reverse

from applications.models import Status
from contest import audit
from contest.models import AuditEvent
from jury import services
from jury.models import ConflictOfInterest, DecisionLock, RankingSnapshot
from results import services as results_services
from tests import factories as f
from tests import publication_factories as pf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]

MIGRATION = importlib.import_module("jury.migrations.0007_ranking_snapshots_append_only")



@pytest.fixture
def edition():
    return f.EditionFactory(phase="deliberation")


@pytest.fixture
def organiser():
    return f.UserFactory(email="organiser@example.com", is_organiser=True, is_staff=True)


def _url(name, edition, *args):
    return reverse(f"jury:{name}", args=[edition.year, *args])


# 1. E-mail addresses written with a look-alike of "@" ----------------------------------------------------------------


@pytest.mark.parametrize(
    "reason",
    [
        "Uzgodnione z jan.kowalski\uff20example.com (FULLWIDTH COMMERCIAL AT).",
        "Uzgodnione z jan.kowalski\ufe6bexample.com (SMALL COMMERCIAL AT).",
    ],
)
def test_lock_form_refuses_an_email_written_with_a_look_alike_at_sign(client, edition, organiser, reason):
    client.force_login(organiser)

    response = client.post(_url("decisions_lock", edition), {"reason": reason})

    assert (response.status_code, DecisionLock.objects.count()) == (400, 0)
    assert not AuditEvent.objects.filter(reason=reason).exists()


def test_record_refuses_an_email_with_a_fullwidth_at_sign_in_a_reason(edition):
    # NFKC folds U+FF20 to "@": the address is as readable (and as personal) as with a plain "@".
    with pytest.raises(audit.PersonalDataInAudit):
        audit.record("test.reason", edition=edition, reason="jan.kowalski\uff20example.com")

    assert AuditEvent.objects.count() == 0


# 2. E-mail addresses spelt out ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reason",
    [
        "Ustalenia mailowe: jan.kowalski (at) example.com",
        "Ustalenia mailowe: jan.kowalski [at] example [dot] com",
        "Ustalenia mailowe: jan.kowalski @ example.com",
    ],
)
def test_conflict_lift_form_refuses_an_email_spelt_with_at_or_spaces(client, edition, organiser, reason):
    member = f.JuryMemberFactory(edition=edition)
    conflict = ConflictOfInterest.objects.create(
        member=member,
        application=f.jury_entry(edition, 1),
        source=ConflictOfInterest.Source.ORGANISER,
        reason="Powiązanie z partnerem.",
        created_by=organiser,
    )
    client.force_login(organiser)

    response = client.post(_url("conflict_lift", edition, conflict.pk), {"reason": reason})

    conflict.refresh_from_db()
    assert (response.status_code, conflict.lifted_at) == (400, None)
    assert not AuditEvent.objects.filter(reason=reason).exists()


# 3. Phone numbers with separators the validator does not know ------------------------------------------------------


@pytest.mark.parametrize(
    "reason",
    [
        "Kontakt: 600 - 700 - 800",
        "Kontakt: 600\u2013700\u2013800",  # en dashes, as word processors type them
        "Kontakt: 600\u2009700\u2009800",  # thin spaces
        "Kontakt: 600\u202f700\u202f800",  # narrow no-break spaces (what Polish number formatting inserts)
        "Kontakt: 600_700_800",
    ],
)
def test_lock_form_refuses_a_phone_number_with_dashes_or_thin_spaces(client, edition, organiser, reason):
    client.force_login(organiser)

    response = client.post(_url("decisions_lock", edition), {"reason": reason})

    assert (response.status_code, DecisionLock.objects.count()) == (400, 0)


# 4. The results' withdrawal reason is a reason in the hash chain too --------------------------------------------------


def test_unpublish_form_refuses_a_phone_number_in_its_reason(client):
    edition, _entries, organiser = pf.decided_edition(with_files=False)
    results_services.publish_now(edition, by=organiser)
    client.force_login(organiser)

    response = client.post(
        reverse("results_organiser:unpublish", args=[edition.year]),
        {"reason": "Skarga wnioskodawcy, tel. 600 700 800."},
    )

    edition.refresh_from_db()
    assert (response.status_code, edition.results_withdrawn_at) == (400, None)
    assert not AuditEvent.objects.filter(action="results.unpublished").exists()


# 5. Unlocking after the outcome e-mails went out ----------------------------------------------------------------------


def test_unlock_after_outcomes_were_announced_is_refused_cleanly_not_a_500(client):
    """Publish (statuses move, e-mails go), withdraw the results, then unlock: the signal's clear_publication raises
    PublicationError, which the lock view does not catch (it catches JuryError only). The organiser should get the
    refusal on the page, and the lock must stay."""
    edition, entries, organiser = pf.decided_edition(with_files=False)
    results_services.publish_now(edition, by=organiser)
    results_services.unpublish(edition, by=organiser, reason="Błąd w uzasadnieniu werdyktu")
    client.raise_request_exception = False
    client.force_login(organiser)

    response = client.post(_url("decisions_unlock", edition), {"reason": "Poprawka uzasadnienia."})

    entries["first"].refresh_from_db()
    assert (response.status_code, DecisionLock.objects.filter(edition=edition).count()) == (400, 1)
    assert entries["first"].status == Status.LAUREATE


def test_unlock_service_refuses_with_a_jury_error_once_outcomes_were_announced():
    edition, _entries, organiser = pf.decided_edition(with_files=False)
    results_services.publish_now(edition, by=organiser)
    results_services.unpublish(edition, by=organiser, reason="Błąd w uzasadnieniu werdyktu")

    with pytest.raises(services.JuryError):
        services.unlock_decisions(edition, reason="Poprawka uzasadnienia.", by=organiser)

    assert DecisionLock.objects.filter(edition=edition).count() == 1


# 6. A snapshot removed behind the database's back ---------------------------------------------------------------------


@contextlib.contextmanager
def _snapshot_triggers_dropped():
    MIGRATION.drop_triggers(None, connection.schema_editor())
    try:
        yield
    finally:
        MIGRATION.create_triggers(None, connection.schema_editor())


def test_protocol_warns_when_the_latest_frozen_snapshot_is_missing(client):
    """Two freezes, then the second snapshot is deleted with raw SQL (PostgreSQL's TRUNCATE never fires the row
    triggers; on SQLite the maintenance row or a dropped trigger does the same). The audit trail still records
    snapshot 2; the protocol prints snapshot 1 as "verified" with no word about the missing one."""
    edition, _entries, _jurors = f.ranked_edition()
    organiser = f.UserFactory(email="freezer@example.com", is_organiser=True, is_staff=True)
    services.freeze_ranking(edition, by=organiser)
    second = services.freeze_ranking(edition, by=organiser)
    with _snapshot_triggers_dropped(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM jury_rankingsnapshot WHERE id = %s", [second.pk])
    assert RankingSnapshot.objects.filter(edition=edition).count() == 1

    client.force_login(organiser)
    response = client.get(_url("protocol", edition))
    html = _protocol_html(client, edition)

    assert response.status_code == 200
    # Either the protocol refuses to call the remaining snapshot verified, or it says a later one is missing.
    assert "Computed again from the snapshot's scores and settings, it gives the same result and hash." not in html


def _protocol_html(client, edition):
    """The HTML the protocol PDF is rendered from (the PDF's text is compressed)."""
    from unittest import mock

    captured = {}
    from django.template import loader

    real = loader.render_to_string

    def spy(name, context=None, *args, **kwargs):
        html = real(name, context, *args, **kwargs)
        if name == "jury/protocol.html":
            captured["html"] = html
        return html

    with mock.patch("jury.views.protocol.render_to_string", spy):
        client.get(_url("protocol", edition))
    return captured["html"]


# 7. An edition with no criteria (a newcomer's edition) ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["ranking", "protocol"])
def test_ranking_and_protocol_of_an_edition_without_criteria_answer_without_a_500(client, organiser, name):
    """jury.ranking raises ValueError("The edition has no criteria to rank by.") and nothing catches it: the ranking
    page, the protocol, the ranking export and the freeze all answer 500 for an edition with no criteria."""
    edition = f.EditionFactory(phase="deliberation")
    client.raise_request_exception = False
    client.force_login(organiser)

    response = client.get(_url(name, edition))

    assert response.status_code == 200


def test_freezing_an_edition_without_criteria_is_refused_with_a_message_not_a_500(client, organiser):
    edition = f.EditionFactory(phase="deliberation")
    client.raise_request_exception = False
    client.force_login(organiser)

    response = client.post(_url("ranking", edition))

    assert (response.status_code, RankingSnapshot.objects.count()) == (302, 0)


# 8. A failure inside prepare_publication during the lock --------------------------------------------------------------


def test_lock_whose_preparation_hits_an_attachment_without_a_file_is_not_a_500(client):
    """prepare_publication catches CannotSanitise and OSError per attachment; an attachment row whose file is empty
    (a broken import, a file cleared by hand) raises ValueError from FieldFile.open and the lock view answers 500.
    The transaction does roll the lock back, so nothing is half-done; the organiser just gets a server error."""
    edition, _entries, organiser = pf.decided_edition(with_files=True)
    services.unlock_decisions(edition, reason="Poprawka uzasadnienia.", by=organiser)
    from applications.models import Attachment

    Attachment.objects.filter(application__edition=edition).update(file="")
    client.raise_request_exception = False
    client.force_login(organiser)

    response = client.post(_url("decisions_lock", edition), {"reason": "Posiedzenie zakończone."})

    assert response.status_code in (302, 400)


# 9. Locking outside deliberation --------------------------------------------------------------------------------------


def test_decisions_cannot_be_locked_while_scoring_is_still_open(client, organiser):
    """record_decision refuses outside deliberation, lock_decisions does not: during scoring an organiser can lock
    (and so prepare an empty publication, audited as results.prepared) before any decision could be recorded."""
    edition = f.EditionFactory(phase="scoring")
    client.force_login(organiser)

    response = client.post(_url("decisions_lock", edition), {"reason": "Posiedzenie zakończone."})

    assert (response.status_code, DecisionLock.objects.count()) == (400, 0)
    assert not AuditEvent.objects.filter(action="results.prepared").exists()

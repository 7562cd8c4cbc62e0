"""Review of issue 9, finding 4: a frozen ranking snapshot is checked against the hash the audit trail recorded when it
was frozen (not only against itself), its hash covers the edition (id and number) and its own number, and the
database refuses UPDATE and DELETE on the snapshot table."""

import contextlib
import importlib

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from contest.models import AuditEvent
from jury import services
from jury.models import RankingSnapshot
from jury.services import ranking as ranking_service
from tests import factories as f

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("jury.migrations.0007_ranking_snapshots_append_only")


@contextlib.contextmanager
def snapshot_triggers_dropped():
    """What someone with the database owner's rights could do; the test's transaction restores everything."""
    MIGRATION.drop_triggers(None, connection.schema_editor())
    try:
        yield
    finally:
        MIGRATION.create_triggers(None, connection.schema_editor())


@pytest.fixture
def frozen():
    edition, entries, jurors = f.ranked_edition()
    organiser = f.UserFactory(is_organiser=True)
    return services.freeze_ranking(edition, by=organiser), organiser


def _checked(snapshot):
    return services.recompute(RankingSnapshot.objects.select_related("edition").get(pk=snapshot.pk))


def _flags(checked):
    return (bool(checked), checked.result_matches, checked.hash_matches, checked.audit_matches)


# The database refuses changes -----------------------------------------------------------------------------------------


def test_raw_sql_update_of_a_snapshot_is_refused_and_it_still_verifies(frozen):
    snapshot, _organiser = frozen

    with pytest.raises(IntegrityError, match="ranking snapshots are append-only: UPDATE refused"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE jury_rankingsnapshot SET sha256 = %s WHERE id = %s", ["0" * 64, snapshot.pk])

    assert (RankingSnapshot.objects.get().sha256, _flags(_checked(snapshot))) == (
        snapshot.sha256,
        (True, True, True, True),
    )


def test_orm_update_of_a_snapshot_is_refused(frozen):
    snapshot, _organiser = frozen

    with pytest.raises(IntegrityError, match="UPDATE refused"), transaction.atomic():
        RankingSnapshot.objects.filter(pk=snapshot.pk).update(result={})

    assert RankingSnapshot.objects.get().result == snapshot.result


def test_raw_sql_delete_of_a_snapshot_is_refused(frozen):
    snapshot, _organiser = frozen

    with pytest.raises(IntegrityError, match="ranking snapshots are append-only: DELETE refused"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM jury_rankingsnapshot WHERE id = %s", [snapshot.pk])

    assert RankingSnapshot.objects.filter(pk=snapshot.pk).exists()


def test_a_new_freeze_still_inserts_a_new_snapshot(frozen):
    snapshot, organiser = frozen

    second = services.freeze_ranking(snapshot.edition, by=organiser)

    assert (second.number, RankingSnapshot.objects.count(), bool(_checked(second))) == (2, 2, True)


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_snapshots_and_a_plain_delete_is_still_refused():
    edition, _entries, _jurors = f.ranked_edition()
    services.freeze_ranking(edition, by=f.UserFactory(is_organiser=True))
    call_command("flush", interactive=False, verbosity=0)
    f.ensure_terc()
    edition, _entries, _jurors = f.ranked_edition()
    services.freeze_ranking(edition, by=f.UserFactory(is_organiser=True))

    with pytest.raises(IntegrityError, match="DELETE refused"):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM jury_rankingsnapshot")

    assert RankingSnapshot.objects.count() == 1


# Checked against the audit trail -----------------------------------------------------------------------------------


def _replace_payload_and_hash(snapshot):
    """Every score set to 10, the result computed from them, the hash taken over them: consistent in itself."""
    forged_scores = [[code, juror, criterion, 10] for code, juror, criterion, _points in snapshot.scores]
    forged_result = ranking_service.compute(snapshot.settings, forged_scores).result()
    forged_hash = ranking_service.digest(
        snapshot.settings,
        forged_scores,
        forged_result,
        edition_id=snapshot.edition_id,
        edition_number=snapshot.edition.number,
        number=snapshot.number,
    )
    with snapshot_triggers_dropped():
        RankingSnapshot.objects.filter(pk=snapshot.pk).update(
            scores=forged_scores, result=forged_result, sha256=forged_hash
        )


def test_snapshot_whose_payload_and_hash_were_both_replaced_is_caught_by_the_audit_event(frozen):
    snapshot, _organiser = frozen

    _replace_payload_and_hash(snapshot)

    assert _flags(_checked(snapshot)) == (False, True, True, False)


def test_snapshot_checks_out_against_its_freeze_event(frozen):
    snapshot, _organiser = frozen

    event = ranking_service.frozen_event(snapshot)

    assert (event["data"]["sha256"], event["data"]["number"], _flags(_checked(snapshot))) == (
        snapshot.sha256,
        1,
        (True, True, True, True),
    )


def test_snapshot_without_a_freeze_event_does_not_verify(frozen):
    snapshot, _organiser = frozen
    copy = RankingSnapshot.objects.create(
        edition=snapshot.edition,
        number=2,
        settings=snapshot.settings,
        scores=snapshot.scores,
        result=snapshot.result,
        sha256=ranking_service.snapshot_digest(
            RankingSnapshot(edition=snapshot.edition, number=2, settings=snapshot.settings, scores=snapshot.scores),
            snapshot.result,
        ),
    )

    assert _flags(_checked(copy)) == (False, True, True, False)


def test_snapshot_whose_freeze_event_was_edited_does_not_verify(frozen):
    snapshot, _organiser = frozen
    event = AuditEvent.objects.get(action="jury.ranking_frozen")
    tests_audit = importlib.import_module("contest.migrations.0004_audit_chain")
    tests_audit.drop_triggers(None, connection.schema_editor())
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE contest_auditevent SET data = %s WHERE id = %s", ['{"number": 1, "sha256": "x"}', event.pk]
            )
    finally:
        tests_audit.create_triggers(None, connection.schema_editor())

    assert _flags(_checked(snapshot)) == (False, True, True, False)


# The hash covers the edition and the number ---------------------------------------------------------------------------


def test_hash_changes_with_the_snapshot_number(frozen):
    snapshot, _organiser = frozen
    renumbered = RankingSnapshot(
        edition=snapshot.edition, number=2, settings=snapshot.settings, scores=snapshot.scores, result=snapshot.result
    )

    assert ranking_service.snapshot_digest(renumbered) != snapshot.sha256


def test_hash_changes_with_the_edition(frozen):
    snapshot, _organiser = frozen
    other = f.EditionFactory()
    moved = RankingSnapshot(
        edition=other, number=1, settings=snapshot.settings, scores=snapshot.scores, result=snapshot.result
    )

    assert ranking_service.snapshot_digest(moved) != snapshot.sha256


def test_snapshot_content_copied_into_another_edition_is_caught(frozen):
    snapshot, _organiser = frozen
    other = f.EditionFactory()
    copy = RankingSnapshot.objects.create(
        edition=other,
        number=1,
        settings=snapshot.settings,
        scores=snapshot.scores,
        result=snapshot.result,
        sha256=snapshot.sha256,
    )

    assert _flags(_checked(copy)) == (False, True, False, False)


def test_protocol_of_a_replaced_snapshot_says_it_does_not_match_the_audit_trail(client, settings, frozen):
    import io

    from django.urls import reverse
    from pypdf import PdfReader

    settings.REQUIRE_MFA_FOR_STAFF = False
    snapshot, organiser = frozen
    _replace_payload_and_hash(snapshot)
    client.force_login(organiser)

    response = client.get(reverse("jury:protocol", args=[snapshot.edition.year]))

    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages
    )
    assert response.status_code == 200
    assert "does NOT match the hash the audit trail recorded when the ranking was frozen" in text

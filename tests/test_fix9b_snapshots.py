"""Fixes of review 9b, finding 6: a latest snapshot removed behind the application's back does not go unnoticed. The
ranking page and the protocol compare the audit trail's latest freeze with the latest stored snapshot; on PostgreSQL
the table refuses TRUNCATE as well (which its row triggers never see)."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from jury import services
from jury.models import RankingSnapshot
from jury.services import ranking as ranking_service
from tests import factories as f
from tests.test_issue9_fixes_snapshot import snapshot_triggers_dropped

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]

WARNING = "as the latest frozen ranking, but the database no longer holds it"



@pytest.fixture
def frozen_twice():
    edition, _entries, _jurors = f.ranked_edition()
    organiser = f.UserFactory(is_organiser=True, is_staff=True)
    first = services.freeze_ranking(edition, by=organiser)
    second = services.freeze_ranking(edition, by=organiser)
    return edition, organiser, first, second


def _delete(*snapshots):
    with snapshot_triggers_dropped(), connection.cursor() as cursor:
        for snapshot in snapshots:
            cursor.execute("DELETE FROM jury_rankingsnapshot WHERE id = %s", [snapshot.pk])


def test_nothing_is_missing_when_the_latest_snapshot_is_the_latest_freeze(frozen_twice):
    edition, _organiser, _first, second = frozen_twice

    assert ranking_service.missing_latest_snapshot(edition, ranking_service.latest_snapshot(edition)) is None
    assert ranking_service.missing_latest_snapshot(f.EditionFactory(phase="deliberation"), None) is None
    assert second.number == 2


def test_a_deleted_latest_snapshot_is_named_with_its_number_and_hash(frozen_twice):
    edition, _organiser, first, second = frozen_twice
    _delete(second)

    missing = ranking_service.missing_latest_snapshot(edition, ranking_service.latest_snapshot(edition))

    assert (missing.number, missing.sha256) == (2, second.sha256)
    assert ranking_service.latest_snapshot(edition).pk == first.pk


def test_ranking_page_warns_about_a_snapshot_rewritten_under_its_own_number(client, frozen_twice):
    edition, organiser, _first, second = frozen_twice
    with snapshot_triggers_dropped(), connection.cursor() as cursor:
        cursor.execute("UPDATE jury_rankingsnapshot SET sha256 = %s WHERE id = %s", ["0" * 64, second.pk])
    client.force_login(organiser)

    response = client.get(reverse("jury:ranking", args=[edition.year]))

    assert (response.status_code, "it was changed or replaced afterwards" in response.text) == (200, True)


def test_every_snapshot_deleted_is_noticed_too(client, frozen_twice):
    edition, organiser, first, second = frozen_twice
    _delete(first, second)
    client.force_login(organiser)

    response = client.get(reverse("jury:ranking", args=[edition.year]))

    assert (response.status_code, WARNING in response.text) == (200, True)


def test_ranking_page_warns_about_a_deleted_latest_snapshot(client, frozen_twice):
    edition, organiser, _first, second = frozen_twice
    client.force_login(organiser)
    before = client.get(reverse("jury:ranking", args=[edition.year]))
    _delete(second)

    after = client.get(reverse("jury:ranking", args=[edition.year]))

    assert (before.status_code, WARNING in before.text) == (200, False)
    assert (after.status_code, WARNING in after.text, second.sha256 in after.text) == (200, True, True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")
def test_truncate_of_the_snapshots_is_refused_on_postgresql(frozen_twice):
    with pytest.raises(IntegrityError, match="ranking snapshots are append-only: TRUNCATE refused"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own rows leave no deferred checks pending
            cursor.execute("TRUNCATE jury_rankingsnapshot")

    assert RankingSnapshot.objects.count() == 2


"""Review 16: two organisers freeze the same edition's ranking at the same moment (two tabs, a double click): both
freezes are kept, numbered 1 and 2, each with its audit event; neither is a 500 on the snapshot number. It held.

PostgreSQL only: the SQLite test database lives in memory with a shared cache, whose table locks do not wait (a file
database with IMMEDIATE transactions does: three processes freezing the demo's 2025 edition at once got 2, 3 and 4).
"""

import threading

import pytest
from django.db import close_old_connections, connection

from jury import services
from jury.models import RankingSnapshot
from jury.services import ranking as ranking_service
from tests import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="in-memory SQLite's shared-cache locks do not wait"),
]


def test_two_freezes_at_once_get_two_numbers_and_both_verify():
    edition, _entries, _jurors = f.ranked_edition()
    organisers = [f.UserFactory(is_organiser=True) for _ in range(2)]
    start = threading.Barrier(2)
    errors = []

    def freeze(user):
        try:
            start.wait()
            services.freeze_ranking(edition, by=user)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=freeze, args=(user,)) for user in organisers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    snapshots = list(RankingSnapshot.objects.filter(edition=edition).order_by("number"))
    assert [s.number for s in snapshots] == [1, 2]
    assert all(ranking_service.recompute(s) for s in snapshots)
    assert ranking_service.missing_latest_snapshot(edition, snapshots[-1]) is None

"""Review of issue 9, finding 6: a verdict of the audit chain is false when the chain is broken (so `if verify(...)`
means "intact"), and AuditEvent.objects refuses every write that goes around contest.audit.record()."""

import datetime

import pytest

from contest import audit, audit_chain
from contest.models import AuditEvent
from tests import factories as f

pytestmark = pytest.mark.django_db

AT = datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.UTC)


def _chain(n):
    rows, previous = [], audit_chain.GENESIS
    for sequence in range(1, n + 1):
        row = {
            "id": sequence,
            "sequence": sequence,
            "at": AT + datetime.timedelta(seconds=sequence),
            "actor_id": None,
            "action": "test.step",
            "edition_id": None,
            "target_type": "",
            "target_id": "",
            "from_state": "",
            "to_state": "",
            "reason": "",
            "data": {"n": sequence},
            "prev_hash": previous,
        }
        row["hash"] = previous = audit_chain.event_hash(row)
        rows.append(row)
    return rows


def test_verdict_of_an_intact_chain_is_true():
    assert bool(audit_chain.verify(_chain(3))) is True


def test_verdict_of_an_edited_chain_is_false():
    rows = _chain(3)
    rows[1]["to_state"] = "accepted"

    verdict = audit_chain.verify(rows)

    assert (bool(verdict), verdict.broken.kind, verdict.broken.sequence) == (False, "edited", 2)


def test_verdict_of_an_empty_chain_is_true():
    assert bool(audit_chain.verify([])) is True


def test_if_verify_reads_as_intact_for_the_database_chain():
    audit.record("test.step", n=1)

    assert ("intact" if audit.verify() else "broken") == "intact"


def test_objects_create_is_refused_with_a_pointer_to_record():
    edition = f.EditionFactory()

    with pytest.raises(TypeError, match=r"contest\.audit\.record\(\)"):
        AuditEvent.objects.create(
            action="test.forged", edition=edition, sequence=1, prev_hash=audit_chain.GENESIS, hash="f" * 64
        )

    assert AuditEvent.objects.count() == 0


def test_objects_bulk_create_is_refused_and_writes_nothing():
    audit.record("test.step", n=1)

    with pytest.raises(TypeError, match=r"bulk_create.*outside the hash chain"):
        AuditEvent.objects.bulk_create(
            [AuditEvent(action="test.forged", sequence=2, prev_hash=audit_chain.GENESIS, hash="e" * 64)]
        )

    assert (AuditEvent.objects.count(), bool(audit.verify())) == (1, True)


def test_queryset_create_and_get_or_create_are_refused_too():
    with pytest.raises(TypeError, match="record"):
        AuditEvent.objects.filter(action="x").create(action="x", sequence=1, prev_hash="", hash="d" * 64)
    with pytest.raises(TypeError, match="record"):
        AuditEvent.objects.get_or_create(action="x", sequence=1, prev_hash="", hash="c" * 64)

    assert AuditEvent.objects.count() == 0


def test_queryset_update_and_delete_are_refused_with_a_clear_error():
    event = audit.record("test.step", n=1)

    with pytest.raises(TypeError, match="change events of the chain"):
        AuditEvent.objects.filter(pk=event.pk).update(reason="changed")
    with pytest.raises(TypeError, match="remove events from the chain"):
        AuditEvent.objects.filter(pk=event.pk).delete()

    assert (AuditEvent.objects.get().reason, bool(audit.verify())) == ("", True)


def test_record_still_appends_and_chains():
    first = audit.record("test.step", n=1)
    second = audit.record("test.step", n=2)

    assert (second.sequence, second.prev_hash, bool(audit.verify())) == (2, first.hash, True)

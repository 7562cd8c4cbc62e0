"""The audit trail's hash chain: what record() writes, what verify_audit catches, what the database refuses."""

import contextlib
import datetime
import importlib
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import ProtectedError

from contest import audit, audit_chain
from contest.models import AuditEvent
from jury import services
from jury.models import Assignment
from tests import factories as f

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("contest.migrations.0004_audit_chain")
ZERO = "0" * 64
AT = datetime.datetime(2026, 3, 1, 9, 30, 0, 123456, tzinfo=datetime.UTC)


# The pure chain, on plain data ------------------------------------------------------------------------------------


def _plain_chain(n):
    rows, previous = [], ZERO
    for sequence in range(1, n + 1):
        row = {
            "id": sequence * 10,
            "sequence": sequence,
            "at": AT + datetime.timedelta(seconds=sequence),
            "actor_id": 7,
            "action": "test.step",
            "edition_id": 1,
            "target_type": "applications.application",
            "target_id": str(sequence),
            "from_state": "",
            "to_state": "",
            "reason": "",
            "data": {"n": sequence},
            "prev_hash": previous,
        }
        row["hash"] = previous = audit_chain.event_hash(row)
        rows.append(row)
    return rows


def _rehash(row):
    row["hash"] = audit_chain.event_hash(row)
    return row


def test_verify_accepts_an_intact_chain():
    rows = _plain_chain(4)
    assert audit_chain.verify(rows) == audit_chain.Verdict(checked=4, head=rows[-1]["hash"])


def test_verify_accepts_an_empty_chain():
    assert audit_chain.verify([]) == audit_chain.Verdict(checked=0, head=ZERO)


def test_verify_names_an_edited_event():
    rows = _plain_chain(4)
    rows[1]["data"] = {"n": 99}
    verdict = audit_chain.verify(rows)
    assert (verdict.broken.kind, verdict.broken.sequence, verdict.checked) == ("edited", 2, 2)


def test_verify_names_an_event_edited_in_its_timestamp_alone():
    rows = _plain_chain(3)
    rows[2]["at"] += datetime.timedelta(microseconds=1)
    assert (audit_chain.verify(rows).broken.kind, audit_chain.verify(rows).broken.sequence) == ("edited", 3)


def test_verify_names_an_event_rehashed_after_an_edit_as_breaking_the_next_link():
    rows = _plain_chain(3)
    rows[1]["reason"] = "rewritten"
    _rehash(rows[1])
    assert (audit_chain.verify(rows).broken.kind, audit_chain.verify(rows).broken.sequence) == ("deleted", 3)


def test_verify_names_an_inserted_event_that_forks_the_chain():
    rows = _plain_chain(3)
    forged = _rehash({**rows[0], "id": 99, "sequence": 4, "data": {"forged": True}, "prev_hash": rows[0]["hash"]})
    verdict = audit_chain.verify([*rows, forged])
    assert (verdict.broken.kind, verdict.broken.sequence, verdict.broken.id) == ("inserted", 4, 99)


def test_verify_names_an_inserted_event_whose_sequence_jumps():
    rows = _plain_chain(2)
    forged = _rehash({**rows[1], "id": 99, "sequence": 5, "prev_hash": rows[1]["hash"]})
    verdict = audit_chain.verify([*rows, forged])
    assert (verdict.broken.kind, str(verdict.broken)) == (
        "inserted",
        "event #5 (id 99) inserted: it follows event #2 but is numbered #5",
    )


def test_verify_names_a_second_first_event_as_inserted():
    rows = _plain_chain(2)
    forged = _rehash({**rows[0], "id": 99, "sequence": 3})
    assert audit_chain.verify([*rows, forged]).broken.kind == "inserted"


def test_verify_names_the_event_after_a_deleted_one():
    rows = _plain_chain(4)
    del rows[1]
    verdict = audit_chain.verify(rows)
    assert (verdict.broken.kind, verdict.broken.sequence) == ("deleted", 3)


def test_verify_names_a_deleted_first_event():
    rows = _plain_chain(3)[1:]
    assert (audit_chain.verify(rows).broken.kind, audit_chain.verify(rows).broken.sequence) == ("deleted", 2)


def test_canonical_form_is_independent_of_time_zone_and_key_order():
    row = _plain_chain(1)[0]
    warsaw = datetime.timezone(datetime.timedelta(hours=1))
    shuffled = {**dict(reversed(list(row.items()))), "at": row["at"].astimezone(warsaw)}
    assert audit_chain.canonical(shuffled) == audit_chain.canonical(row)


def test_canonical_form_refuses_a_naive_timestamp():
    with pytest.raises(ValueError, match="must be aware"):
        audit_chain.canonical({**_plain_chain(1)[0], "at": datetime.datetime(2026, 1, 1)})


# record() --------------------------------------------------------------------------------------------------------


def _events(n, actor=None):
    edition = f.EditionFactory()
    return [audit.record("test.step", actor=actor, target=edition, edition=edition, n=i) for i in range(n)]


def test_record_chains_each_event_to_the_one_before():
    first, second = _events(2)
    assert (first.sequence, first.prev_hash, second.sequence, second.prev_hash) == (1, ZERO, 2, first.hash)


def test_record_hash_covers_what_is_read_back_from_the_database():
    [event] = _events(1)
    assert audit.verify() == audit_chain.Verdict(checked=1, head=event.hash)


def test_record_hashes_the_actor_by_account_id():
    user = f.UserFactory()
    [event] = _events(1, actor=user)
    [row] = audit.chain_rows()
    assert (row["actor_id"], f'"actor_id":{user.pk}' in audit_chain.canonical(row).decode()) == (user.pk, True)


def test_record_refuses_an_email_in_data():
    with pytest.raises(ValueError, match=r"must not hold e-mail addresses \(data.who\[0\]\)"):
        audit.record("test.step", who=["Jan.Nowak@example.com"])
    assert AuditEvent.objects.count() == 0


def test_record_refuses_an_email_nested_in_a_mapping():
    with pytest.raises(ValueError, match=r"data.before.contact"):
        audit.record("test.step", before={"contact": "mailto:anna@gmina.pl"})
    assert AuditEvent.objects.count() == 0


def test_chain_survives_anonymising_an_account():
    user = f.UserFactory(email="anna.kowalska@example.com", full_name="Anna Kowalska")
    events = _events(2, actor=user)
    user.email, user.full_name = f"anonymised-{user.pk}@invalid", ""
    user.save()
    assert (audit.verify().ok, AuditEvent.objects.get(pk=events[0].pk).actor_id) == (True, user.pk)


def test_account_named_by_events_cannot_be_deleted():
    user = f.UserFactory()
    _events(1, actor=user)
    with pytest.raises(ProtectedError, match="protected foreign keys"):
        user.delete()
    assert AuditEvent.objects.filter(actor=user).count() == 1


def test_scorecard_submission_records_points_per_criterion():
    edition = f.EditionFactory(phase="scoring", min_justification_length=0)
    criteria = [f.CriterionFactory(edition=edition, max_points=10, order=i) for i in (1, 2)]
    juror = f.declared_juror(edition)
    entry = f.jury_entry(edition, 1)
    Assignment.objects.create(member=juror, application=entry)
    values = {criteria[0].pk: (7, "Uzasadnienie"), criteria[1].pk: (3, "Uzasadnienie")}
    services.submit_scorecard(juror, entry, values, by=juror.user)
    services.submit_scorecard(juror, entry, {**values, criteria[1].pk: (9, "Zmiana")}, by=juror.user)
    revised = AuditEvent.objects.get(action="jury.scorecard_revised")
    assert revised.data == {
        "revision": 2,
        "submitted": True,
        "points": {str(criteria[0].pk): 7, str(criteria[1].pk): 9},
    }


# The database refuses changes; verify_audit catches what gets past it -----------------------------------------------


@contextlib.contextmanager
def _triggers_dropped():
    """What someone with the database's owner rights could do; the test's transaction restores everything."""
    MIGRATION.drop_triggers(None, connection.schema_editor())
    try:
        yield
    finally:
        MIGRATION.create_triggers(None, connection.schema_editor())


def test_database_refuses_raw_update():
    [event] = _events(1)
    with pytest.raises(IntegrityError, match="audit events are append-only: UPDATE refused"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE contest_auditevent SET reason = 'changed' WHERE id = %s", [event.pk])
    assert (AuditEvent.objects.get(pk=event.pk).reason, audit.verify().ok) == ("", True)


def test_database_refuses_raw_delete():
    [event] = _events(1)
    with pytest.raises(IntegrityError, match="audit events are append-only: DELETE refused"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM contest_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_verify_audit_prints_the_number_of_events_checked(capsys):
    events = _events(3)
    call_command("verify_audit")
    assert capsys.readouterr().out == f"3 events checked, chain intact; last hash {events[-1].hash}.\n"


def test_verify_audit_catches_an_edited_event():
    events = _events(3)
    with _triggers_dropped(), connection.cursor() as cursor:
        cursor.execute("UPDATE contest_auditevent SET to_state = 'accepted' WHERE id = %s", [events[1].pk])
    with pytest.raises(CommandError, match=r"event #2 \(id \d+\) edited: its hash does not match its content") as e:
        call_command("verify_audit")
    assert e.value.returncode == 1


def test_verify_audit_catches_an_inserted_event():
    events = _events(3)
    forged = AuditEvent(
        sequence=4, at=events[0].at, action="test.step", data={"n": 0}, prev_hash=events[0].hash, edition=None
    )
    forged.hash = audit_chain.event_hash(audit.hashed_fields(forged, ""))
    forged.save()
    with pytest.raises(CommandError, match=r"event #4 \(id \d+\) inserted: it points at an earlier event") as e:
        call_command("verify_audit")
    assert e.value.returncode == 1


def test_verify_audit_catches_a_deleted_event():
    events = _events(3)
    with _triggers_dropped(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM contest_auditevent WHERE id = %s", [events[1].pk])
    with pytest.raises(CommandError, match=r"event #3 \(id \d+\) deleted: the event it points at is missing") as e:
        call_command("verify_audit")
    assert e.value.returncode == 1


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_audit_trail_and_a_plain_delete_is_still_refused():
    _events(2)
    call_command("flush", interactive=False, verbosity=0)
    _events(1)
    with pytest.raises(IntegrityError, match="DELETE refused"):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM contest_auditevent")
    assert AuditEvent.objects.values_list("sequence", flat=True).get() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_make_one_chain():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers by its IMMEDIATE transactions; the advisory lock is PostgreSQL's")
    edition = f.EditionFactory()
    start = threading.Barrier(2)
    errors = []

    def write(label):
        try:
            start.wait()
            for i in range(15):
                with transaction.atomic():
                    audit.record("test.concurrent", edition=edition, writer=label, n=i)
        except Exception as error:  # noqa: BLE001 - the assertion below shows it
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(label,)) for label in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    verdict = audit.verify()
    assert (errors, verdict.ok, verdict.checked) == ([], True, 30)


def test_events_recorded_in_an_appended_last_block_join_the_chain_at_its_end_in_their_order():
    edition = f.EditionFactory()
    with audit.atomic():
        audit.record("test.first", edition=edition)
        with audit.appended_last():  # nested: the outermost block appends
            audit.record("test.second", edition=edition)
        waiting = AuditEvent.objects.count()
    assert waiting == 0
    assert list(AuditEvent.objects.order_by("sequence").values_list("action", "sequence")) == [
        ("test.first", 1),
        ("test.second", 2),
    ]
    assert audit.verify().ok


def test_an_error_inside_an_appended_last_block_appends_nothing():
    edition = f.EditionFactory()
    with pytest.raises(RuntimeError), audit.atomic():
        audit.record("test.lost", edition=edition)
        raise RuntimeError("the change fails after its event was recorded")
    audit.record("test.next", edition=edition)
    assert list(AuditEvent.objects.values_list("action", "sequence")) == [("test.next", 1)]
    assert audit.verify().ok


@pytest.mark.django_db(transaction=True)
def test_a_change_still_working_inside_audit_atomic_does_not_hold_up_the_rest_of_the_platform():
    """The chain's lock is one for the platform: a submission that recorded its event and still freezes its version
    must not keep another applicant's change waiting (on the deadline evening, hundreds of them)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers by its IMMEDIATE transactions; the advisory lock is PostgreSQL's")
    edition = f.EditionFactory()
    recorded, other_committed = threading.Event(), threading.Event()
    errors = []

    def long_change():
        try:
            with audit.atomic():
                audit.record("test.long", edition=edition)
                recorded.set()
                other_committed.wait(timeout=10)  # the rest of the change's work
        except Exception as error:  # noqa: BLE001 - the assertion below shows it
            errors.append(error)
        finally:
            connections.close_all()

    def other_change():
        try:
            recorded.wait(timeout=10)
            with transaction.atomic():
                audit.record("test.other", edition=edition)
            other_committed.set()
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=long_change), threading.Thread(target=other_change)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert list(AuditEvent.objects.order_by("sequence").values_list("action", flat=True)) == ["test.other", "test.long"]
    assert audit.verify().ok


def test_an_event_recorded_in_a_savepoint_that_is_rolled_back_inside_an_appended_last_block_is_not_appended():
    edition = f.EditionFactory()
    with audit.atomic():
        audit.record("test.kept", edition=edition)
        try:
            with transaction.atomic():
                audit.record("test.undone", edition=edition)
                raise ValueError("this part of the change fails and is caught")
        except ValueError:
            pass
        audit.record("test.kept_too", edition=edition)
    assert list(AuditEvent.objects.order_by("sequence").values_list("action", flat=True)) == [
        "test.kept",
        "test.kept_too",
    ]
    assert audit.verify().ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")
@pytest.mark.parametrize(
    "statement",
    ["TRUNCATE contest_auditevent", "TRUNCATE accounts_user CASCADE"],
    ids=["the audit table", "a table the events point to, with CASCADE"],
)
def test_truncate_of_the_audit_trail_is_refused_on_postgresql(statement):
    """Row triggers never see a TRUNCATE; without the statement trigger one line empties the trail, and an empty
    trail verifies."""
    actor = f.UserFactory()
    _events(3, actor=actor)
    with pytest.raises(IntegrityError, match="audit events are append-only: TRUNCATE refused"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own rows leave no deferred checks pending
            cursor.execute(statement)

    assert AuditEvent.objects.count() == 3

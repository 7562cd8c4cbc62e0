"""audit.atomic() appends its events at the end of the block: an event recorded inside a savepoint that rolled back
must not be appended then, as it would not have been by a plain record() (it records something that did not
happen)."""

import pytest
from django.db import transaction

from applications import services
from applications.models import Status
from contest import audit
from contest.models import AuditEvent
from tests import factories as f

pytestmark = pytest.mark.django_db


def _actions():
    return list(AuditEvent.objects.order_by("sequence").values_list("action", flat=True))


def test_a_nested_audit_atomic_that_rolls_back_leaves_no_event():
    edition = f.EditionFactory()
    with audit.atomic():
        try:
            with audit.atomic():
                audit.record("test.undone", edition=edition)
                raise RuntimeError
        except RuntimeError:
            pass

    assert _actions() == []


def test_a_status_change_rolled_back_inside_a_larger_change_leaves_no_status_event():
    application = f.ApplicationFactory(status=Status.SUBMITTED)
    organiser = f.UserFactory()
    with audit.atomic():
        try:
            with transaction.atomic():
                services.change_status(application, Status.ACCEPTED, by=organiser, notify=False)
                raise RuntimeError("a later step of the same change fails")
        except RuntimeError:
            pass

    application.refresh_from_db()
    assert (application.status, _actions()) == (Status.SUBMITTED, [])


def test_a_status_change_inside_a_larger_change_still_waits_for_the_blocks_end():
    """change_status opens its own audit.atomic() (a savepoint) inside the submission's: its event must still wait
    for the end of the outermost block, or the platform-wide chain lock is held while the submission freezes its
    version (the reason for appending last). Appending at once every event recorded in a savepoint loses that."""
    application = f.ApplicationFactory(status=Status.SUBMITTED)
    organiser = f.UserFactory()
    with audit.atomic():
        services.change_status(application, Status.ACCEPTED, by=organiser, notify=False)
        appended_before_the_end = AuditEvent.objects.count()

    assert (appended_before_the_end, _actions()) == (0, ["application.status"])


def test_events_of_a_released_savepoint_are_appended():
    edition = f.EditionFactory()
    with audit.atomic():
        with transaction.atomic():
            audit.record("test.inner", edition=edition)
        audit.record("test.outer", edition=edition)

    assert _actions() == ["test.inner", "test.outer"]


@pytest.mark.django_db(transaction=True)
def test_an_appended_last_block_outside_a_transaction_keeps_the_events_of_a_committed_inner_one():
    edition = f.EditionFactory()
    with audit.appended_last():
        with transaction.atomic():
            audit.record("test.committed", edition=edition)
        try:
            with transaction.atomic():
                audit.record("test.undone", edition=edition)
                raise RuntimeError
        except RuntimeError:
            pass

    assert _actions() == ["test.committed"]
    assert audit.verify().ok

"""Fixes of review 9b, finding 8: an attachment storage cannot read (no file, a remote storage's own error) is left
out of the public record like an unreadable file; the lock still prepares the rest."""

from unittest import mock

import pytest
from django.db.models.fields.files import FieldFile

from jury import services
from jury.models import DecisionLock
from results.models import PublicFile, PublishedEntry
from tests import publication_factories as pf

pytestmark = pytest.mark.django_db


class ClientError(Exception):
    """What botocore raises for a missing or forbidden S3 object: not an OSError."""


def test_lock_skips_attachments_the_storage_refuses_and_prepares_the_entries():
    edition, _entries, organiser = pf.decided_edition(with_files=True)
    services.unlock_decisions(edition, reason="Poprawka uzasadnienia.", by=organiser)

    with mock.patch.object(FieldFile, "open", side_effect=ClientError("NoSuchKey")):
        services.lock_decisions(edition, reason="Posiedzenie zakończone.", by=organiser)

    assert (DecisionLock.objects.filter(edition=edition).count(), PublicFile.objects.count()) == (1, 0)
    assert PublishedEntry.objects.filter(edition=edition).count() == 3

"""Arguments left out mean "as it is" (set_member) or "as the edition says" (assign_automatically); None is a value."""

import pytest

from jury import services
from jury.models import Assignment
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return f.EditionFactory(phase="scoring", jurors_per_entry=1)


def _settings(member):
    member.refresh_from_db()
    return (member.is_chair, member.max_entries, member.is_active)


def test_set_member_changes_only_the_fields_given(edition, organiser):
    member = f.declared_juror(edition, is_chair=True, max_entries=4)
    services.set_member(member, by=organiser, is_active=False)
    assert _settings(member) == (True, 4, False)


def test_set_member_with_no_maximum_clears_the_maximum(edition, organiser):
    member = f.declared_juror(edition, max_entries=4)
    services.set_member(member, by=organiser, max_entries=None)
    assert _settings(member) == (False, None, True)


def test_assign_automatically_uses_the_editions_jurors_per_entry_by_default(edition, organiser):
    for _ in range(3):
        f.declared_juror(edition)
    for number in (1, 2):
        f.jury_entry(edition, number)
    result = services.assign_automatically(edition, by=organiser)
    assert (result.ok, Assignment.objects.count()) == (True, 2)


def test_assign_automatically_with_k_none_gives_every_juror_every_entry(edition, organiser):
    for _ in range(3):
        f.declared_juror(edition)
    for number in (1, 2):
        f.jury_entry(edition, number)
    result = services.assign_automatically(edition, by=organiser, k=None)
    assert (result.ok, Assignment.objects.count()) == (True, 6)

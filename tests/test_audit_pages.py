"""The organisers' audit trail pages: per edition and per entry, filters, pages of 100, CSV, constant queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contest import audit
from contest.models import AuditEvent
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return f.EditionFactory(phase="scoring")


@pytest.fixture
def entry(edition):
    return f.jury_entry(edition, 1)


def _url(edition, entry=None, **query):
    url = (
        reverse("jury:entry_audit", args=[edition.year, entry.code])
        if entry
        else reverse("jury:audit", args=[edition.year])
    )
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _actions(response):
    return [event.action for event in response.context["page"].object_list]


def test_audit_page_lists_the_editions_events_newest_first(client, organiser, edition, entry):
    audit.record("test.first", actor=organiser, target=entry, edition=edition)
    audit.record("test.second", actor=organiser, target=edition, edition=edition)
    audit.record("test.elsewhere", actor=organiser, edition=f.EditionFactory())
    client.force_login(organiser)
    assert _actions(client.get(_url(edition))) == ["test.second", "test.first"]


def test_audit_page_filters_by_action(client, organiser, edition, entry):
    audit.record("test.first", actor=organiser, target=entry, edition=edition)
    audit.record("test.second", actor=organiser, target=entry, edition=edition)
    client.force_login(organiser)
    assert _actions(client.get(_url(edition, action="test.first"))) == ["test.first"]


def test_audit_page_filters_by_days(client, organiser, edition):
    old = audit.record("test.old", edition=edition)
    audit.record("test.new", edition=edition)
    today = timezone.localdate()
    client.force_login(organiser)
    # Events cannot be back-dated (the chain and the triggers refuse it), so the window moves instead.
    assert _actions(client.get(_url(edition, until=today - datetime.timedelta(days=1)))) == []
    assert _actions(client.get(_url(edition, since=today, until=today))) == ["test.new", old.action]


def test_audit_page_ignores_an_unknown_action_and_says_so(client, organiser, edition):
    audit.record("test.first", edition=edition)
    client.force_login(organiser)
    response = client.get(_url(edition, action="drop%20table"))
    assert (_actions(response), "drop table" in str(response.context["form"].errors)) == (["test.first"], True)


def test_audit_page_shows_100_events_a_page(client, organiser, edition):
    for i in range(101):
        audit.record("test.step", edition=edition, n=i)
    client.force_login(organiser)
    first, second = client.get(_url(edition)), client.get(_url(edition, page=2))
    assert (len(first.context["page"].object_list), second.context["page"].object_list[0].data) == (100, {"n": 0})


def test_entry_audit_page_shows_only_that_entrys_events(client, organiser, edition, entry):
    other = f.jury_entry(edition, 2)
    audit.record("test.mine", target=entry, edition=edition)
    audit.record("test.other", target=other, edition=edition)
    juror = f.declared_juror(edition)
    assignment = f.AssignmentFactory(member=juror, application=entry)
    audit.record("test.assigned", target=assignment, edition=edition)
    client.force_login(organiser)
    assert _actions(client.get(_url(edition, entry))) == ["test.assigned", "test.mine"]


def test_review_page_links_to_the_entrys_audit_trail(client, organiser, edition, entry):
    client.force_login(organiser)
    response = client.get(reverse("applications:review", args=[entry.pk]))
    assert _url(edition, entry) in response.text


def test_audit_csv_has_bom_semicolons_and_keeps_formulas_as_text(client, organiser, edition, entry):
    audit.record("test.step", actor=organiser, target=entry, edition=edition, reason="=HYPERLINK(1)")
    client.force_login(organiser)
    response = client.get(_url(edition, format="csv"))
    text = response.content.decode()
    header, row = text.splitlines()[:2]
    assert (
        response["Content-Disposition"],
        text[0],
        header,
        row.split(";")[8],
    ) == (
        f'attachment; filename="audit-{edition.year}.csv"',
        "\ufeff",
        "\ufeffsequence;at;actor_id;actor;action;target;from;to;reason;details;hash",
        "'=HYPERLINK(1)",
    )


def test_audit_csv_follows_the_filters(client, organiser, edition):
    audit.record("test.first", edition=edition)
    audit.record("test.second", edition=edition)
    client.force_login(organiser)
    rows = client.get(_url(edition, action="test.first", format="csv")).content.decode().splitlines()[1:]
    assert [row.split(";")[4] for row in rows] == ["test.first"]


@pytest.mark.parametrize("name", ["audit", "entry_audit"])
def test_audit_pages_query_count_does_not_grow_with_events(client, organiser, edition, entry, name):
    client.force_login(organiser)
    url = _url(edition, entry if name == "entry_audit" else None)
    juror = f.declared_juror(edition)
    f.AssignmentFactory(member=juror, application=entry)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for i in range(3):
        audit.record(f"test.small{i}", actor=f.UserFactory(), target=entry, edition=edition)
    count()  # the first request fills the content-type cache
    small = count()
    for i in range(60):
        audit.record(f"test.large{i % 7}", actor=f.UserFactory(), target=entry, edition=edition)
    assert (count(), AuditEvent.objects.count()) == (small, 63)

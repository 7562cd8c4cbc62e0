"""The last evening before the deadline on PostgreSQL: many tabs, many applicants and two co-editors at once.

Real threads, each with its own database connection, against a transactional test database: the row locks and
the version check are what is tested, so nothing is mocked. SQLite serialises every writer, so there is nothing to
race there; CI's PostgreSQL pass runs these.
"""

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import Application, ApplicationVersion, Status
from contest.models import AuditEvent
from tests import factories
from tests.test_applications import edit_payload


@pytest.fixture(autouse=True)
def _emails_queued(settings):
    """As in production: the receipt e-mails wait for the task worker instead of being rendered in the request."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers: run with DATABASE_URL"),
]


def _in_threads(count, work, items):
    """Run work(item) for every item on `count` threads released together; each thread closes its connection."""
    barrier = threading.Barrier(count)

    def start(chunk):
        try:
            barrier.wait()
            return [work(item) for item in chunk]
        finally:
            connections.close_all()

    chunks = [items[i::count] for i in range(count)]
    with ThreadPoolExecutor(count) as pool:
        return [outcome for chunk in pool.map(start, chunks) for outcome in chunk]


def test_fifty_tabs_submitting_one_application_give_one_submission_and_one_code(applicant):
    application = factories.complete_application(owner=applicant)

    def tab(_):
        try:
            services.submit(Application.objects.get(pk=application.pk), by=applicant)
            return "submitted"
        except services.TransitionNotAllowed as refused:
            return refused.message

    outcomes = _in_threads(50, tab, list(range(50)))

    application.refresh_from_db()
    assert sorted(set(outcomes)) == ["This application has already been submitted.", "submitted"]
    assert outcomes.count("submitted") == 1
    assert (application.status, application.code) == (Status.SUBMITTED, f"SLZ-{application.edition.year}-001")
    assert ApplicationVersion.objects.filter(application=application).count() == 1
    assert AuditEvent.objects.filter(action="application.status", to_state=Status.SUBMITTED).count() == 1


def test_two_hundred_applications_submitted_in_the_last_second_all_get_distinct_codes():
    deadline = timezone.now() + datetime.timedelta(seconds=30)
    edition = factories.EditionFactory(phase="submissions", submission_deadline=deadline)
    owners = [factories.UserFactory() for _ in range(200)]
    applications = [factories.complete_application(edition=edition, owner=owner) for owner in owners]
    last_second = deadline - datetime.timedelta(milliseconds=500)

    def submit(application):
        services.submit(Application.objects.get(pk=application.pk), by=application.owner, at=last_second)
        return application.pk

    # 25 connections at once, as many as a few web servers' workers hold; each submits 8 applications.
    submitted = _in_threads(25, submit, applications)

    assert sorted(submitted) == sorted(a.pk for a in applications)
    rows = list(Application.objects.filter(edition=edition).values_list("status", "code", "sequence"))
    assert {status for status, _code, _sequence in rows} == {Status.SUBMITTED}
    assert sorted(sequence for _status, _code, sequence in rows) == list(range(1, 201))
    assert len({code for _status, code, _sequence in rows}) == 200
    assert ApplicationVersion.objects.filter(application__edition=edition).count() == 200


def test_two_co_editors_saving_at_once_lose_no_text(applicant):
    application = factories.complete_application(owner=applicant)
    coeditor = factories.UserFactory(email="wspolautor@example.com")
    application.editors.add(coeditor)
    typed = {applicant: "Tekst koordynatora: nowe linie autobusowe.", coeditor: "Tekst współautora: rozkład jazdy."}
    url = reverse("applications:edit", args=[application.pk])
    version_before = application.version

    def save(user):
        client = Client()
        client.force_login(user)
        response = client.post(url, edit_payload(application, problem=typed[user]))
        return user, response.status_code, response.content.decode()

    outcomes = _in_threads(2, save, [applicant, coeditor])

    application.refresh_from_db()
    statuses = sorted(status for _user, status, _page in outcomes)
    assert statuses == [302, 409]
    (winner, *_), (loser, _status, page) = sorted(outcomes, key=lambda outcome: outcome[1])
    assert application.problem == typed[winner]
    assert "Someone else saved this application after you opened it." in page
    assert typed[loser] in page  # the text that was not saved is still in the form, to copy
    assert application.version == version_before + 1


def test_submissions_while_others_save_drafts_neither_waits_for_the_other_forever():
    """The numbering lock on the edition and the audit chain's lock taken in opposite orders by a submission and
    by another applicant's save were a deadlock (found by benchmarks/rush.py): every request here must succeed."""
    edition = factories.EditionFactory(phase="submissions")
    submitting = [factories.complete_application(edition=edition) for _ in range(12)]
    saving = [factories.complete_application(edition=edition) for _ in range(12)]

    def act(item):
        kind, application = item
        fresh = Application.objects.get(pk=application.pk)
        if kind == "submit":
            services.submit(fresh, by=fresh.owner)
        else:
            for n in range(3):
                services.save_draft(fresh, {"problem": f"Poprawka {n}"}, by=fresh.owner, expected_version=fresh.version)
        return kind

    items = [("submit", a) for a in submitting] + [("save", a) for a in saving]
    outcomes = _in_threads(24, act, items)

    assert sorted(outcomes) == ["save"] * 12 + ["submit"] * 12
    assert Application.objects.filter(edition=edition, status=Status.SUBMITTED).count() == 12
    assert set(Application.objects.filter(pk__in=[a.pk for a in saving]).values_list("problem", flat=True)) == {
        "Poprawka 2"
    }

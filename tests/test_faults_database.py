"""The PostgreSQL connection killed in the middle of a write (pg_terminate_backend from a second connection, as an
administrator or a failover would): all or nothing, a clear message, and the same request again succeeds once.

The kill happens at a chosen statement of the request's transaction, after earlier statements of it have run, so
a write that was not atomic would leave a part behind.
"""

import contextlib

import pytest
from django.db import connection, connections
from django.urls import reverse

from applications.models import ApplicationVersion, Status
from contest import audit
from contest.models import AuditEvent
from jury.models import Assignment, CriterionScore, Scorecard, ScorecardRevision
from tests import factories
from tests.test_jury_views import _post_card

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("staff_without_mfa"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_terminate_backend is PostgreSQL's"),
]


@pytest.fixture(autouse=True)
def _emails_queued(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@contextlib.contextmanager
def connection_killed_at(statement_start):
    """Terminate this thread's database connection from another one just before the first statement that starts
    with `statement_start` is sent; that statement then fails as on a dropped connection."""
    killed = []

    def kill_first(execute, sql, params, many, context):
        if not killed and sql.startswith(statement_start):
            pid = context["connection"].connection.info.backend_pid
            killer = connections.create_connection("default")
            try:
                with killer.cursor() as cursor:
                    cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])  # waits until it is gone
                    killed.append(cursor.fetchone()[0])
            finally:
                killer.close()
        return execute(sql, params, many, context)

    with connection.execute_wrapper(kill_first):
        yield killed


def test_connection_killed_during_submission_submits_nothing_and_the_retry_submits_once(client, applicant):
    application = factories.complete_application(owner=applicant)
    client.force_login(applicant)
    url = reverse("applications:submit", args=[application.pk])
    events_before = AuditEvent.objects.count()

    # The status, code and audit event are written by then; the frozen version is the last insert.
    with connection_killed_at('INSERT INTO "applications_applicationversion"') as killed:
        response = client.post(url, follow=True)

    application.refresh_from_db()
    assert killed == [True]
    assert response.status_code == 503
    assert "your application was not submitted yet. Nothing is lost: submit it again in a moment." in response.text
    assert (application.status, application.code, application.sequence) == (Status.DRAFT, None, None)
    assert ApplicationVersion.objects.count() == 0
    assert AuditEvent.objects.count() == events_before

    retry = client.post(url)

    application.refresh_from_db()
    assert retry.status_code == 302
    assert (application.status, application.code) == (Status.SUBMITTED, f"SLZ-{application.edition.year}-001")
    assert ApplicationVersion.objects.filter(application=application).count() == 1
    assert AuditEvent.objects.filter(action="application.status").count() == 1
    assert audit.verify().ok


@pytest.fixture
def scoring():
    edition = factories.EditionFactory(phase="scoring", min_justification_length=20)
    factories.CriterionFactory(edition=edition, name="Diagnoza", max_points=10, requires_justification=True, order=1)
    factories.CriterionFactory(edition=edition, name="Trwałość", max_points=5, requires_justification=False, order=2)
    juror = factories.declared_juror(edition, user=factories.UserFactory(email="juror@example.com"))
    entry = factories.jury_entry(edition, 1)
    Assignment.objects.create(member=juror, application=entry)
    factories.sign_off(entry)
    return edition, juror, entry


def test_connection_killed_during_scorecard_submission_keeps_nothing_and_the_retry_saves_once(client, scoring):
    edition, juror, entry = scoring
    client.force_login(juror.user)

    # Both criterion scores and the scorecard are written by then; the revision is the last insert.
    with connection_killed_at('INSERT INTO "jury_scorecardrevision"') as killed:
        response = _post_card(client, edition, entry, submit="1")

    assert killed == [True]
    assert response.status_code == 503
    assert "nothing of this scorecard was saved" in response.text
    assert "Dobrze opisany problem i rezultaty." in response.text  # the juror's text is still in the form
    assert (Scorecard.objects.count(), CriterionScore.objects.count(), ScorecardRevision.objects.count()) == (0, 0, 0)

    retry = _post_card(client, edition, entry, submit="1")

    card = Scorecard.objects.get()
    assert retry.status_code == 302
    assert (card.status, card.revision) == (Scorecard.Status.SUBMITTED, 1)
    assert sorted(card.scores.values_list("points", flat=True)) == [4, 7]
    assert ScorecardRevision.objects.filter(scorecard=card).count() == 1
    assert AuditEvent.objects.filter(action="jury.scorecard_submitted").count() == 1


def test_connection_killed_during_scorecard_draft_save_keeps_the_previous_draft(client, scoring):
    edition, juror, entry = scoring
    client.force_login(juror.user)
    _post_card(client, edition, entry, points=("3", "2"))

    with connection_killed_at('UPDATE "jury_criterionscore"') as killed:
        response = _post_card(client, edition, entry, points=("9", "5"))

    assert (killed, response.status_code) == ([True], 503)
    assert sorted(CriterionScore.objects.values_list("points", flat=True)) == [2, 3]

    _post_card(client, edition, entry, points=("9", "5"))
    assert sorted(CriterionScore.objects.values_list("points", flat=True)) == [5, 9]
    assert Scorecard.objects.count() == 1

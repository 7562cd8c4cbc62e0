"""The applicant's side of publication: the outcome appears on their pages at results_at to the second and not a second
before, disappears again when the results are withdrawn; the jury's feedback (when the edition publishes it) shows
per-criterion averages and justifications in an order that reveals no juror, only to the entry's own people and only
after publication."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, Status
from contest.models import Edition
from jury.models import CriterionScore
from results import applicant, services
from tests import factories as f
from tests import publication_factories as pf

pytestmark = pytest.mark.django_db

SECOND = timezone.timedelta(seconds=1)


def _with_edition(application):
    return Application.objects.select_related("edition").get(pk=application.pk)


def test_outcome_is_silent_one_second_before_results_at_and_shown_at_the_second():
    edition, entries, _organiser = pf.decided_edition(with_files=False)
    moment = timezone.now().replace(microsecond=0) + timezone.timedelta(hours=1)
    pf.move_results_at(edition, moment)
    rows = [_with_edition(a) for a in entries.values()]

    before = applicant.published_outcomes(rows, at=moment - SECOND)
    at = applicant.published_outcomes(rows, at=moment)

    assert before == {}
    assert at == {
        entries["first"].pk: Status.LAUREATE,
        entries["second"].pk: Status.LAUREATE,
        entries["distinction"].pk: Status.DISTINCTION,
        entries["finalist"].pk: Status.NOT_AWARDED,
        entries["loser"].pk: Status.NOT_AWARDED,
        entries["undecided"].pk: Status.NOT_AWARDED,
    }


def test_dashboard_before_results_at_shows_jury_review_not_the_outcome(client):
    edition, entries, _organiser = pf.decided_edition(with_files=False)
    pf.move_results_at(edition, timezone.now() + timezone.timedelta(minutes=10))
    client.force_login(entries["first"].owner)

    response = client.get(reverse("applications:dashboard"))

    html = response.content.decode()
    assert (response.status_code, "in jury review" in html, "Congratulations" in html) == (200, True, False)


def test_dashboard_after_results_at_shows_the_outcome_before_the_command_ran(client):
    edition, entries, _organiser = pf.decided_edition(with_files=False)
    pf.move_results_at(edition, timezone.now() - SECOND)
    client.force_login(entries["first"].owner)

    response = client.get(reverse("applications:dashboard"))

    html = response.content.decode()
    assert (response.status_code, "Congratulations: the partnership is a laureate." in html) == (200, True)
    assert Application.objects.get(pk=entries["first"].pk).status == Status.ACCEPTED  # the command moves it later


def test_detail_after_withdrawal_hides_the_stored_outcome(client):
    edition, entries, organiser = pf.decided_edition(with_files=False)
    services.publish(edition, by=organiser, now=True)
    services.unpublish(edition, by=organiser, reason="Wstrzymanie publikacji")
    client.force_login(entries["first"].owner)

    response = client.get(reverse("applications:detail", args=[entries["first"].pk]))

    html = response.content.decode()
    assert (response.status_code, 'data-status="jury_review"' in html, "Congratulations" in html) == (200, True, False)


# --- feedback ------------------------------------------------------------------------------------------------------


@pytest.fixture
def scored():
    """A published edition with feedback on: entry 001 scored by three named jurors (points 8/6/9 and 7/5/9)."""
    edition, entries, jurors = f.ranked_edition()
    Edition.objects.filter(pk=edition.pk).update(publish_jury_feedback=True)
    edition.refresh_from_db()
    organiser = f.UserFactory(is_organiser=True, email="feedback.organiser@example.com")
    texts = ["Zdecydowanie dobre", "Bardzo ciekawy projekt", "Mocne strony i słabe"]
    for juror, text in zip(jurors, texts, strict=True):
        CriterionScore.objects.filter(scorecard__member=juror, scorecard__application=entries[0]).update(
            justification=text
        )
    for entry in entries:
        pf.decide(entry, "laureate" if entry == entries[0] else "not_awarded", by=organiser, place=1)
    pf.lock(edition, organiser)
    services.publish(edition, by=organiser, now=True)
    return edition, entries, jurors


def test_feedback_shows_averages_and_sorted_justifications_without_jurors(client, scored):
    edition, entries, jurors = scored
    client.force_login(entries[0].owner)

    response = client.get(reverse("applications:detail", args=[entries[0].pk]))

    html = response.content.decode()
    feedback = applicant.feedback_for(_with_edition(entries[0]))
    assert response.status_code == 200
    assert [(row.average, row.cards) for row in feedback.criteria] == [(Decimal("7.7"), 3), (Decimal("7.0"), 3)]
    assert feedback.criteria[0].justifications == (
        "Bardzo ciekawy projekt",
        "Mocne strony i słabe",
        "Zdecydowanie dobre",
    )
    assert html.index("Bardzo ciekawy projekt") < html.index("Mocne strony i słabe") < html.index("Zdecydowanie dobre")
    leaks = [
        name for name in ("Sędzia", "Nazwisko1", "Juror 1", "Juror 2", "Juror 3", jurors[0].user.email) if name in html
    ]
    assert leaks == []


def test_feedback_not_shown_to_another_applicant(client, scored):
    edition, entries, jurors = scored
    client.force_login(entries[1].owner)

    response = client.get(reverse("applications:detail", args=[entries[0].pk]))

    assert (response.status_code, "Bardzo ciekawy projekt" in response.content.decode()) == (404, False)


def test_feedback_not_shown_before_publication(client):
    edition, entries, jurors = f.ranked_edition()
    Edition.objects.filter(pk=edition.pk).update(publish_jury_feedback=True)
    CriterionScore.objects.filter(scorecard__application=entries[0]).update(justification="Tekst przed publikacją")
    client.force_login(entries[0].owner)

    response = client.get(reverse("applications:detail", args=[entries[0].pk]))

    html = response.content.decode()
    assert (response.status_code, "Tekst przed publikacją" in html, "data-feedback" in html) == (200, False, False)


def test_feedback_not_shown_when_the_edition_does_not_publish_it(client, scored):
    edition, entries, jurors = scored
    Edition.objects.filter(pk=edition.pk).update(publish_jury_feedback=False)
    client.force_login(entries[0].owner)

    response = client.get(reverse("applications:detail", args=[entries[0].pk]))

    assert (response.status_code, "Bardzo ciekawy projekt" in response.content.decode()) == (200, False)


def test_dashboard_query_count_does_not_grow_with_applications(client, django_assert_max_num_queries):
    edition, entries, organiser = pf.decided_edition(with_files=False)
    owner = entries["first"].owner
    services.publish(edition, by=organiser, now=True)
    client.force_login(owner)
    with django_assert_max_num_queries(30) as small:
        assert client.get(reverse("applications:dashboard")).status_code == 200
    for number in range(10, 20):
        pf.entry(f.EditionFactory(phase="results"), number, partnership_name=f"Inne {number}", owner=owner)

    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("applications:dashboard")).status_code == 200

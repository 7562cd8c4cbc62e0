"""The organiser's home page of an edition: counts by status (drafts included), submissions over time, formal review
progress, the jury's completion, open conflicts and dates ahead; where an organiser lands after logging in; who may
open it; and a fixed number of queries whatever the size of the edition."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Status
from jury import overview, overview_charts
from jury.models import ConflictOfInterest, Scorecard
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]


def scoring_edition(entries=3, jurors=2, submitted_per_juror=1):
    """An edition in scoring: `entries` accepted entries each assigned to every juror; each juror has submitted
    `submitted_per_juror` scorecards; one draft and one submitted entry too."""
    edition = factories.EditionFactory(phase="scoring")
    applications = [factories.jury_entry(edition) for _ in range(entries)]
    members = [factories.declared_juror(edition) for _ in range(jurors)]
    for member in members:
        for k, application in enumerate(applications):
            factories.AssignmentFactory(member=member, application=application)
            if k < submitted_per_juror:
                Scorecard.objects.create(member=member, application=application, status="submitted")
    factories.ApplicationFactory(edition=edition, status=Status.DRAFT)
    factories.ApplicationFactory(
        edition=edition, status=Status.SUBMITTED, code=f"SLZ-{edition.year}-900", submitted_at=timezone.now()
    )
    return edition, applications, members


def cell_after(content, status):
    """The number shown beside a status on the page."""
    row = re.search(rf'<tr data-status="{status}">.*?<td class="text-end">(\d+)</td>', content, re.S)
    return int(row.group(1))


def test_home_counts_every_status_drafts_included(org):
    edition, _applications, _members = scoring_edition(entries=3)
    content = org.get(reverse("organiser:home", args=[edition.year])).content.decode()
    assert cell_after(content, Status.DRAFT) == 1
    assert cell_after(content, Status.ACCEPTED) == 3
    assert cell_after(content, Status.SUBMITTED) == 1
    assert cell_after(content, Status.REJECTED) == 0


def test_home_shows_jury_completion_in_percent(org):
    edition, _applications, _members = scoring_edition(entries=4, jurors=2, submitted_per_juror=1)
    data = overview.edition_overview(edition)
    assert (data.jury_submitted, data.jury_assigned, data.jury_percent) == (2, 8, 25)
    content = org.get(reverse("organiser:home", args=[edition.year])).content.decode()
    assert "2 of 8 scorecards submitted (25 %)" in content


def test_jury_completion_leaves_out_conflicted_and_inactive_jurors(org):
    edition, applications, members = scoring_edition(entries=2, jurors=2, submitted_per_juror=0)
    ConflictOfInterest.objects.create(member=members[0], application=applications[1], source="organiser")
    members[1].is_active = False
    members[1].save()
    data = overview.edition_overview(edition)
    assert [(j.assigned, j.submitted) for j in data.jurors] == [(1, 0)]
    assert data.open_conflicts == 1


def test_formal_review_progress_counts_decided_of_submitted(org, edition_in_submissions):
    edition = edition_in_submissions
    for status in (Status.SUBMITTED, Status.SUBMITTED, Status.ACCEPTED, Status.REJECTED, Status.CORRECTIONS_REQUESTED):
        factories.ApplicationFactory(edition=edition, status=status, submitted_at=timezone.now())
    data = overview.edition_overview(edition)
    assert (data.review_decided, data.review_total, data.review_percent) == (2, 5, 40)
    content = org.get(reverse("organiser:home", args=[edition.year])).content.decode()
    assert "2 of 5 decided (40 %)" in content


def test_percent_never_rounds_up_to_done():
    assert overview.percent(199, 200) == 99
    assert overview.percent(0, 0) == 0


def test_submissions_over_time_are_counted_per_warsaw_day(org, edition_in_submissions):
    edition = edition_in_submissions
    late_evening = timezone.make_aware(datetime.datetime(2026, 11, 3, 23, 30))  # 22:30 UTC, still 3 November
    next_morning = timezone.make_aware(datetime.datetime(2026, 11, 4, 0, 30))  # 23:30 UTC on 3 November
    for moment in (late_evening, next_morning, next_morning):
        factories.ApplicationFactory(edition=edition, status=Status.SUBMITTED, submitted_at=moment)
    assert overview.submissions_per_day(edition) == ((datetime.date(2026, 11, 3), 1), (datetime.date(2026, 11, 4), 2))


def test_submissions_chart_has_a_data_table_with_running_totals():
    chart = overview_charts.submissions_chart(((datetime.date(2026, 11, 3), 1), (datetime.date(2026, 11, 5), 2)))
    assert chart.rows == (("03.11.2026", 1, 1), ("04.11.2026", 0, 1), ("05.11.2026", 2, 3))
    assert 'role="img"' in chart.svg
    assert "style=" not in chart.svg


def test_submissions_chart_of_a_long_call_is_by_week():
    start = datetime.date(2026, 1, 5)  # a Monday
    chart = overview_charts.submissions_chart(((start, 1), (start + datetime.timedelta(days=100), 1)))
    assert chart.title == "Submissions per week"
    assert sum(n for _d, n, _r in chart.rows) == 2
    assert len(chart.rows) == 15


def test_home_lists_only_dates_ahead(org):
    edition = factories.EditionFactory(phase="formal_review")
    data = overview.edition_overview(edition)
    assert [label for label, _m in data.deadlines][0] == "Formal review ends"
    assert all(moment >= timezone.now() for _label, moment in data.deadlines)


def test_home_has_no_inline_style(org):
    edition, _a, _m = scoring_edition()
    content = org.get(reverse("organiser:home", args=[edition.year])).content.decode()
    assert "style=" not in content
    assert "<script>" not in content


@pytest.mark.parametrize("size", [2, 12])
def test_home_queries_do_not_grow_with_the_edition(org, django_assert_max_num_queries, size):
    edition, _applications, _members = scoring_edition(entries=size, jurors=max(2, size // 3), submitted_per_juror=1)
    for _ in range(size):
        factories.ApplicationFactory(edition=edition, status=Status.WITHDRAWN, submitted_at=timezone.now())
    with django_assert_max_num_queries(14):
        response = org.get(reverse("organiser:home", args=[edition.year]))
    assert response.status_code == 200


def test_overview_reads_in_a_handful_of_queries(django_assert_num_queries):
    edition, _applications, _members = scoring_edition(entries=5)
    with django_assert_num_queries(5):
        overview.edition_overview(edition)


def test_index_goes_to_the_edition_in_progress(org):
    factories.EditionFactory(phase="results", year=2031)
    working = factories.EditionFactory(phase="submissions", year=2030)
    response = org.get(reverse("organiser:index"))
    assert response["Location"] == reverse("organiser:home", args=[working.year])


@pytest.mark.parametrize("who", ["applicant", "juror"])
def test_home_is_refused_to_applicants_and_jurors(client, who):
    edition, _applications, members = scoring_edition()
    user = members[0].user if who == "juror" else factories.UserFactory()
    client.force_login(user)
    for url in (reverse("organiser:home", args=[edition.year]), reverse("organiser:index")):
        assert client.get(url).status_code in (403, 404)


def test_home_of_a_missing_edition_is_404(org):
    assert org.get(reverse("organiser:home", args=[1999])).status_code == 404


def test_organiser_lands_on_home_after_login(client, organiser):
    organiser.set_password("s3cret-pass!")
    organiser.save()
    factories.EditionFactory(phase="submissions", year=2030)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=organiser, email=organiser.email, defaults={"verified": True, "primary": True}
    )
    response = client.post(reverse("account_login"), {"login": organiser.email, "password": "s3cret-pass!"})
    assert response.status_code == 302
    assert response["Location"] == reverse("organiser:index")


def test_applicant_still_lands_where_they_did(client, applicant):
    applicant.set_password("s3cret-pass!")
    applicant.save()
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=applicant, email=applicant.email, defaults={"verified": True, "primary": True}
    )
    response = client.post(reverse("account_login"), {"login": applicant.email, "password": "s3cret-pass!"})
    assert response["Location"] == "/"


@pytest.mark.polish
def test_home_speaks_polish(org):
    edition, _a, _m = scoring_edition(entries=4, jurors=2, submitted_per_juror=1)
    content = org.get(reverse("organiser:home", args=[edition.year])).content.decode()
    assert "Wnioski według statusu" in content
    assert "2 z 8 kart oceny złożonych (25 %)" in content

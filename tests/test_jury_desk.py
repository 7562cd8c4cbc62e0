"""The organisers' jury desk: the progress board (each juror's state, totals, % done, last activity, a reminder to one
juror), the members page (declaration, two-factor, activity), the assignment grid (assigned cells and counts), the
neutral name for the chair, the header's "My applications" for jurors, and the one rule for points that the
scorecard's live total shares with the server."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jury import progress, services
from jury.forms import ScorecardForm
from jury.models import Assignment, ConflictOfInterest, ReminderLog, Scorecard
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]


@pytest.fixture
def edition():
    edition = f.EditionFactory(phase="scoring", min_justification_length=5)
    f.CriterionFactory(edition=edition, name="Diagnoza", max_points=10, weight=2, order=1)
    f.CriterionFactory(edition=edition, name="Trwałość", max_points=5, weight=1, order=2)
    return edition


@pytest.fixture
def busy(edition):
    """Anna: three entries, two submitted, one draft. Bartek: the same three, nothing started."""
    anna = f.declared_juror(edition, user=f.UserFactory(email="anna@example.com", full_name="Anna Nowak"))
    bartek = f.declared_juror(edition, user=f.UserFactory(email="bartek@example.com", full_name="Bartek Lis"))
    entries = [f.jury_entry(edition, n) for n in (1, 2, 3)]
    for entry in entries:
        Assignment.objects.create(member=anna, application=entry)
        Assignment.objects.create(member=bartek, application=entry)
    for entry in entries[:2]:
        Scorecard.objects.create(member=anna, application=entry, status="submitted", submitted_at=timezone.now())
    Scorecard.objects.create(member=anna, application=entries[2], status="draft")
    return anna, bartek, entries


def _url(name, edition, *args):
    return reverse(f"jury:{name}", args=[edition.year, *args])


def _row(response, member):
    return next(row for row in response.context["juror_rows"] if row.member.pk == member.pk)


def _cells(html, css_class):
    return re.findall(rf'<td class="[^"]*\b{css_class}\b[^"]*">(.*?)</td>', html, flags=re.S)


# The progress board -------------------------------------------------------------------------------------------------


def test_board_shows_two_of_three_submitted_and_67_percent(client, edition, busy, organiser):
    anna, bartek, _entries = busy
    client.force_login(organiser)
    response = client.get(_url("board", edition))
    row = _row(response, anna)
    assert (row.assigned, row.submitted, row.drafts, row.not_started, row.percent, row.state) == (
        3,
        2,
        1,
        0,
        67,
        "in_progress",
    )
    text = " ".join(response.text.split())
    assert '<span class="badge juror-state juror-state-in_progress">in progress</span>' in text
    assert '<td class="text-end">2 of 3</td>' in text
    assert '<td class="text-end">67 %</td>' in text
    assert _row(response, bartek).state == "not_started"


def test_board_counts_submissions_per_entry(client, edition, busy, organiser):
    _anna, _bartek, entries = busy
    client.force_login(organiser)
    response = client.get(_url("board", edition))
    counts = {entry.code: (c["submitted"], c["assigned"]) for entry, _cells, c in response.context["table"]}
    assert counts == {entries[0].code: (1, 2), entries[1].code: (1, 2), entries[2].code: (0, 2)}
    assert [" ".join(c.split()) for c in _cells(response.text, "entry-total")] == ["1 of 2", "1 of 2", "0 of 2"]


def test_board_leaves_conflicted_entries_out_of_a_jurors_totals(client, edition, busy, organiser):
    anna, _bartek, entries = busy
    services.add_conflict(anna, entries[2], "Rodzina", by=organiser)
    client.force_login(organiser)
    row = _row(client.get(_url("board", edition)), anna)
    assert (row.assigned, row.submitted, row.drafts, row.percent, row.state) == (2, 2, 0, 100, "done")


def test_board_shows_last_activity_in_warsaw_time(client, edition, busy, organiser):
    anna, bartek, entries = busy
    moment = timezone.make_aware(datetime.datetime(2026, 11, 30, 23, 30), datetime.UTC)  # 1 December, 00:30 in Warsaw
    Scorecard.objects.filter(member=anna).update(updated_at=moment)
    client.force_login(organiser)
    response = client.get(_url("board", edition))
    assert (_row(response, anna).last_activity, _row(response, bartek).last_activity) == (moment, None)
    assert "1 December 2026, 00:30" in response.text
    assert 'datetime="2026-12-01T00:30:00+01:00"' in response.text


def test_board_marks_unfinished_jurors_overdue_once_scoring_ended(client, busy, organiser):
    anna, bartek, _entries = busy
    edition = anna.edition
    edition.scoring_ends_at = timezone.now() - datetime.timedelta(days=1)
    edition.results_at = timezone.now() + datetime.timedelta(days=10)
    edition.save()
    client.force_login(organiser)
    response = client.get(_url("board", edition))
    assert (_row(response, anna).state, _row(response, bartek).state) == ("overdue", "overdue")
    assert "/remind/" not in response.text  # reminders only while scoring is open


@pytest.mark.parametrize(
    ("counts", "ended", "state"),
    [
        ((0, 0, 0), False, "nothing"),
        ((3, 3, 0), True, "done"),
        ((3, 0, 0), False, "not_started"),
        ((3, 0, 1), False, "in_progress"),
        ((3, 1, 0), False, "in_progress"),
        ((3, 2, 1), True, "overdue"),
    ],
)
def test_juror_state_follows_the_counts_and_the_scoring_window(counts, ended, state):
    assert progress.juror_state(*counts, scoring_ended=ended) == state


def test_percent_rounds_to_the_nearest_but_not_to_done_or_none():
    from jury.overview import percent

    assert [percent(2, 3), percent(1, 3), percent(199, 200), percent(1, 300), percent(0, 3), percent(0, 0)] == [
        67,
        33,
        99,
        1,
        0,
        0,
    ]


# A reminder to one juror --------------------------------------------------------------------------------------------


def test_remind_sends_one_email_to_that_juror_only(
    client, edition, busy, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    _anna, bartek, _entries = busy
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("remind_juror", edition, bartek.pk), follow=True)
    assert [m.to for m in mailoutbox] == [["bartek@example.com"]]
    assert "A reminder is sent to Bartek Lis." in response.text
    log = ReminderLog.objects.get()
    assert (log.member, log.recipients, log.sent_by) == (bartek, ["bartek@example.com"], organiser)
    # The board now says when, instead of offering the button again.
    local = timezone.localtime(log.sent_at, datetime.timezone(datetime.timedelta(hours=1)))  # Warsaw in December
    assert f"reminded at {local:%H:%M}" in response.text
    assert response.text.count(_url("remind_juror", edition, bartek.pk)) == 0


def test_a_second_reminder_within_the_hour_is_refused(
    client, edition, busy, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    _anna, bartek, _entries = busy
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("remind_juror", edition, bartek.pk))
        response = client.post(_url("remind_juror", edition, bartek.pk), follow=True)
    assert len(mailoutbox) == 1
    assert ReminderLog.objects.count() == 1
    assert re.search(r"Bartek Lis was reminded at \d\d:\d\d\. Another reminder can go at \d\d:\d\d\.", response.text)


def test_a_reminder_an_hour_later_goes(
    client, edition, busy, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    _anna, bartek, _entries = busy
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("remind_juror", edition, bartek.pk))
        ReminderLog.objects.update(sent_at=timezone.now() - services.JUROR_REMINDER_INTERVAL)
        client.post(_url("remind_juror", edition, bartek.pk))
    assert [m.to for m in mailoutbox] == [["bartek@example.com"], ["bartek@example.com"]]


def test_a_batch_reminder_counts_for_the_hour_and_one_jurors_reminder_does_not_block_the_batch(
    client, edition, busy, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    anna, bartek, _entries = busy
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("remind_juror", edition, bartek.pk))
        client.post(_url("send_reminders", edition))  # the daily batch still goes
        client.post(_url("remind_juror", edition, anna.pk))  # Anna was in that batch a moment ago
    assert sorted(m.to[0] for m in mailoutbox) == ["anna@example.com", "bartek@example.com", "bartek@example.com"]


def test_a_juror_with_nothing_unfinished_is_not_reminded(client, edition, busy, organiser, mailoutbox):
    anna, _bartek, entries = busy
    Scorecard.objects.filter(member=anna).update(status="submitted")
    client.force_login(organiser)
    response = client.post(_url("remind_juror", edition, anna.pk), follow=True)
    assert (len(mailoutbox), ReminderLog.objects.count()) == (0, 0)
    assert "This juror has no unfinished scorecards" in response.text


def test_a_non_organiser_cannot_remind(client, edition, busy, mailoutbox):
    anna, bartek, _entries = busy
    client.force_login(anna.user)
    response = client.post(_url("remind_juror", edition, bartek.pk))
    assert (response.status_code, len(mailoutbox), ReminderLog.objects.count()) == (403, 0, 0)


def test_remind_is_post_only_and_a_juror_of_another_edition_is_404(client, edition, busy, organiser):
    _anna, bartek, _entries = busy
    stranger = f.declared_juror(f.EditionFactory(phase="scoring"))
    client.force_login(organiser)
    assert client.get(_url("remind_juror", edition, bartek.pk)).status_code == 405
    assert client.post(_url("remind_juror", edition, stranger.pk)).status_code == 404


# Query counts at two sizes ------------------------------------------------------------------------------------------


def _populate(edition, n_entries, n_jurors):
    members = [f.declared_juror(edition) for _ in range(n_jurors)]
    start = edition.applications.count() + 1
    for number in range(start, start + n_entries):
        entry = f.jury_entry(edition, number)
        for index, member in enumerate(members):
            Assignment.objects.create(member=member, application=entry)
            if index % 3 == 1:
                Scorecard.objects.create(member=member, application=entry, status="submitted")
            elif index % 3 == 2:
                ConflictOfInterest.objects.create(member=member, application=entry, source="organiser")


@pytest.mark.parametrize("page", ["board", "members", "assignment"])
def test_desk_pages_take_as_many_queries_for_many_entries_and_jurors(
    client, edition, organiser, page, django_assert_max_num_queries
):
    client.force_login(organiser)
    _populate(edition, 2, 2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(_url(page, edition)).status_code == 200
    _populate(edition, 20, 7)
    ReminderLog.objects.create(edition=edition, recipients=["x@example.com"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(_url(page, edition)).status_code == 200


# The members page ---------------------------------------------------------------------------------------------------


def test_members_page_shows_declaration_two_factor_and_activity(client, edition, busy, organiser):
    from allauth.mfa.models import Authenticator

    anna, bartek, _entries = busy
    Authenticator.objects.create(user=anna.user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    bartek.declaration.delete()
    anna.user.last_login = timezone.make_aware(datetime.datetime(2026, 11, 20, 9, 15))
    anna.user.save(update_fields=["last_login"])
    client.force_login(organiser)
    response = client.get(_url("members", edition))
    rows = {m.user.email: (m.declared_at is not None, m.has_second_factor) for m, _l, _a in response.context["members"]}
    assert rows == {"anna@example.com": (True, True), "bartek@example.com": (False, False)}
    html = response.text
    bartek_row = html[html.index("Bartek Lis") : html.index("</tr>", html.index("Bartek Lis"))]
    anna_row = html[html.index("Anna Nowak") : html.index("</tr>", html.index("Anna Nowak"))]
    assert ("2FA: no" in bartek_row, "not signed" in bartek_row, "never" in bartek_row) == (True, True, True)
    assert ("2FA: yes" in anna_row, "20 November 2026, 09:15" in anna_row) == (True, True)


def test_members_page_marks_the_chair_without_a_gendered_title(client, edition, busy, organiser):
    anna, _bartek, _entries = busy
    anna.is_chair = True
    anna.save()
    client.force_login(organiser)
    response = client.get(_url("members", edition))
    anna_row = response.text[response.text.index("Anna Nowak") :]
    assert "presides over the committee" in anna_row[: anna_row.index("</th>")]


@pytest.mark.polish
def test_members_and_board_name_the_chair_in_a_neutral_polish_form(client, edition, busy, organiser):
    anna, _bartek, _entries = busy
    anna.is_chair = True
    anna.save()
    client.force_login(organiser)
    for page in ("members", "board"):
        text = client.get(_url(page, edition)).text
        assert ("przewodniczy komisji" in text, "przewodniczący" in text.lower()) == (True, False), page
    text = client.get(_url("board", edition)).text
    assert "ocena w toku" in text and "2 z 3" in text and "67 %" in text


# The assignment grid ------------------------------------------------------------------------------------------------


def test_assignment_grid_marks_assigned_cells_and_counts_jurors(client, edition, busy, organiser):
    anna, bartek, entries = busy
    Assignment.objects.filter(member=bartek, application=entries[2]).delete()
    edition.jurors_per_entry = 2
    edition.save(update_fields=["jurors_per_entry"])
    client.force_login(organiser)
    response = client.get(_url("assignment", edition))
    counts = {entry.code: count for entry, _cells, _short, count in response.context["table"]}
    assert counts == {entries[0].code: 2, entries[1].code: 2, entries[2].code: 1}
    assert response.context["per_juror"] == [3, 2]
    html = response.text
    assigned = _cells(html, "cell-assigned")
    free = _cells(html, "cell-free")
    assert (len(assigned), len(free)) == (5, 1)
    assert all("✓</span> assigned" in cell and "Remove" in cell for cell in assigned)
    assert "assigned" not in free[0] and "Assign" in free[0]
    short = [" ".join(re.sub("<[^>]+>", "", c).split()) for c in _cells(html, "jurors-count-short")]
    assert short == ["1 of 2 (too few)"]


# "My applications" in the header ----------------------------------------------------------------------------------


def _nav(client):
    html = client.get(reverse("contest:archive")).text
    return html[html.index('id="main-nav"') : html.index("</nav>", html.index('id="main-nav"'))]


def test_juror_only_sees_the_jury_link_not_my_applications(client, edition, busy):
    anna, _bartek, _entries = busy
    client.force_login(anna.user)
    nav = _nav(client)
    assert ("My applications" in nav, reverse("jury:home") in nav) == (False, True)


def test_juror_who_also_applies_finds_my_applications(client, edition, busy):
    anna, _bartek, _entries = busy
    f.ApplicationFactory(edition=edition, owner=anna.user)
    client.force_login(anna.user)
    nav = _nav(client)
    assert ("My applications" in nav, reverse("jury:home") in nav) == (True, True)


def test_applicant_still_sees_my_applications(client):
    client.force_login(f.UserFactory())
    assert "My applications" in _nav(client)


# Points: the server's rule, which the live total reads ----------------------------------------------------------------

# (typed, what the server keeps): None where the form refuses the text as a number or its range.
POINTS_CASES = [
    ("7", 7),
    ("+5", 5),
    ("7.0", 7),
    ("7.", 7),
    (" 8 ", 8),
    ("007", 7),
    ("-0", 0),
    ("7,5", None),
    ("7,0", None),
    ("7.5", None),
    ("1e1", None),
    ("1_0", None),
    ("٧", None),
    ("11", None),
    ("-3", None),
    ("", None),
]


@pytest.mark.parametrize(("typed", "kept"), POINTS_CASES)
def test_scorecard_form_reads_points_as_the_live_total_does(edition, typed, kept):
    diagnosis, durability = edition.criteria.order_by("order")
    data = {f"points_{diagnosis.pk}": typed, f"points_{durability.pk}": "3", "overall_comment": ""}
    form = ScorecardForm(data, criteria=[diagnosis, durability])
    valid = form.is_valid()
    assert (form.cleaned_data.get(f"points_{diagnosis.pk}") if valid else None) == kept
    assert valid == (kept is not None or typed == "")
    # The total shown without JavaScript counts exactly what the form keeps: 3 × 1 plus the points × 2.
    assert form.weighted_total()[0] == 3 + 2 * (kept or 0)


def test_points_inputs_carry_the_servers_pattern(edition):
    from jury.services.scoring import POINTS_PATTERN

    form = ScorecardForm(criteria=list(edition.criteria.all()))
    html = str(form[f"points_{edition.criteria.first().pk}"])
    assert ('type="text"' in html, 'inputmode="numeric"' in html, 'data-max="10"' in html) == (True, True, True)
    assert f'data-points-pattern="{POINTS_PATTERN}"' in html

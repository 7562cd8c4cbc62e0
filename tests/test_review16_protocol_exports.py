"""Review 16: the protocol and the organisers' exports of the ranking and the decisions, tried as a careless user, a
newcomer and an attacker would.

- The protocol printed the tie rules by their internal keys ("criteria, median"), in Polish too.
- An entry rejected after its decision (the decisions open) stayed a laureate with its citation in the protocol and in
  the decisions export, while the decisions page, the ranking and the publication leave it out.
- A citation with a control character a worksheet cannot hold (a vertical tab: Word's line break) made the decisions
  XLSX a 500 for every organiser, and the chair can type it.
- The ranking export answered during scoring, while the ranking page and the protocol refuse organisers until scoring
  has ended.
- In Polish the CSV (cells separated by ";" for Polish Excel) wrote "21.67", which Polish Excel reads as text, and a
  value such as "3.05" as the 3rd of May.
"""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from applications import services as application_services
from jury import services
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]


@pytest.fixture
def ranked():
    return f.ranked_edition()


@pytest.fixture
def organiser(client):
    user = f.UserFactory(is_organiser=True)
    client.force_login(user)
    return user


def _pdf(client, edition):
    response = client.get(reverse("jury:protocol", args=[edition.year]))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _csv(response):
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8")[1:]), delimiter=";"))


def _export(client, name, edition, fmt):
    return client.get(reverse(f"jury:{name}", args=[edition.year, fmt]))


def test_protocol_names_the_tie_rules_in_words_not_their_keys(client, organiser, ranked):
    edition, _entries, _jurors = ranked

    text = _pdf(client, edition)

    assert "Ties are broken by, in order: mean points per criterion, in their order, median." in text
    assert "criteria, median" not in text


@pytest.mark.polish
def test_polish_protocol_names_the_tie_rules_in_polish(client, organiser, ranked):
    edition, _entries, _jurors = ranked

    text = _pdf(client, edition)

    assert "Remisy rozstrzygają po kolei: średnia punktów w kolejnych kryteriach, mediana." in text
    assert "criteria" not in text


@pytest.fixture
def laureate_rejected(organiser, ranked):
    """A laureate with its citation, then the entry rejected (a late disqualification) while the decisions are open."""
    edition, entries, _jurors = ranked
    services.record_decision(entries[0], outcome="laureate", place=1, citation="Za wspólny bilet.", by=organiser)
    services.record_decision(entries[1], outcome="distinction", citation="Za współpracę.", by=organiser)
    application_services.reject(entries[0], by=organiser, reason="Dyskwalifikacja: projekt niezrealizowany.")
    return edition, entries


def test_protocol_leaves_out_the_decision_on_an_entry_rejected_afterwards(client, laureate_rejected):
    edition, entries = laureate_rejected

    text = _pdf(client, edition)

    assert entries[0].code not in text.split("Decisions of the committee")[1]
    assert "Za wspólny bilet." not in text
    assert "Za współpracę." in text


def test_decisions_export_leaves_out_the_decision_on_an_entry_rejected_afterwards(client, laureate_rejected):
    edition, entries = laureate_rejected

    rows = _csv(_export(client, "decisions_export", edition, "csv"))

    assert [row[0] for row in rows[1:]] == [entries[1].code]


def test_decisions_xlsx_with_a_vertical_tab_in_the_chairs_citation_is_not_a_500(client, ranked):
    edition, entries, jurors = ranked
    code = entries[0].code
    client.force_login(jurors[0].user)  # the chair
    saved = client.post(
        reverse("jury:decision_record", args=[edition.year, code]),
        {f"{code}-outcome": "distinction", f"{code}-citation": "Za wspólny\x0bbilet.", f"{code}-version": ""},
    )
    assert saved.status_code == 302
    client.force_login(f.UserFactory(is_organiser=True))

    response = _export(client, "decisions_export", edition, "xlsx")

    assert response.status_code == 200
    rows = [list(row) for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]
    assert rows[1][0] == code
    assert rows[1][5] == "Za wspólnybilet."


def test_ranking_export_during_scoring_is_refused_to_organisers_as_the_page_is(client, organiser):
    edition, _entries, _jurors = f.ranked_edition(phase="scoring")

    assert client.get(reverse("jury:ranking", args=[edition.year])).status_code == 403
    for fmt in ("csv", "xlsx"):
        response = _export(client, "ranking_export", edition, fmt)
        assert response.status_code == 403
        assert b"SLZ-" not in response.content


def test_ranking_export_after_scoring_still_answers_organisers(client, organiser, ranked):
    edition, entries, _jurors = ranked

    rows = _csv(_export(client, "ranking_export", edition, "csv"))

    assert rows[1][2] == entries[0].code
    assert rows[1][4] == "21.67"  # in English, the decimal point


@pytest.mark.polish
def test_polish_ranking_csv_writes_decimal_commas_for_polish_excel(client, organiser, ranked):
    edition, entries, _jurors = ranked

    rows = _csv(_export(client, "ranking_export", edition, "csv"))

    assert rows[1][2] == entries[0].code
    assert rows[1][4:8] == ["21,67", "21,67", "3", "11,00"]


@pytest.mark.polish
def test_polish_ranking_xlsx_keeps_numbers_as_numbers(client, organiser, ranked):
    edition, _entries, _jurors = ranked

    response = _export(client, "ranking_export", edition, "xlsx")

    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert float(rows[1][4]) == pytest.approx(21.67)

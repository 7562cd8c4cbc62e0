"""Open data of the results: 404 until results_at (to the second) and after a withdrawal, the JSON valid against its
schema, the CSV readable with Polish letters, no personal data, constant queries, the documentation page."""

import csv
import datetime
import io
import json
from zoneinfo import ZoneInfo

import jsonschema
import pytest
from django.urls import reverse

from tests.discovery_factories import Clock, edition_with_results_at, published_entry

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
RESULTS_AT = datetime.datetime(2031, 11, 20, 12, 0, 0, tzinfo=WARSAW)
SECOND = datetime.timedelta(seconds=1)
CONTACT = "jan.kowalski@gmina.example.pl"


@pytest.fixture
def awarded(settings):
    settings.SITE_URL = "https://slz.example.org"
    edition = edition_with_results_at(RESULTS_AT, year=2031, theme="Współpraca dla mieszkańców")
    published_entry(
        edition,
        "lodz-i-gminy-osciennne",
        partnership_name="Partnerstwo Łódź – Zgierz",
        title="Wspólny bilet „Łódzkie Koleje”",
        public_summary="=HYPERLINK(\"http://zły.example\") Źródła ciepła; żółć",
        partners=("1061011", "1020011"),
    )
    published_entry(edition, "gminy-bobru", outcome="distinction", partners=("0201011",))
    return edition


def get(client, name, year=2031):
    return client.get(reverse(f"opendata:{name}", args=[year]))


@pytest.mark.parametrize("name", ["edition_json", "edition_csv"])
def test_open_data_is_404_one_second_before_results_at(client, monkeypatch, awarded, name):
    Clock(monkeypatch, RESULTS_AT - SECOND)
    assert get(client, name).status_code == 404


@pytest.mark.parametrize("name", ["edition_json", "edition_csv"])
def test_open_data_is_served_at_the_second(client, monkeypatch, awarded, name):
    Clock(monkeypatch, RESULTS_AT)
    assert get(client, name).status_code == 200


@pytest.mark.parametrize("name", ["edition_json", "edition_csv"])
def test_open_data_cached_before_withdrawal_is_not_served_after_it(client, monkeypatch, awarded, name):
    Clock(monkeypatch, RESULTS_AT)
    assert get(client, name).status_code == 200
    type(awarded).objects.filter(pk=awarded.pk).update(results_withdrawn_at=RESULTS_AT)
    assert get(client, name).status_code == 404


def test_json_validates_against_the_served_schema(client, monkeypatch, awarded):
    Clock(monkeypatch, RESULTS_AT)
    schema_response = client.get(reverse("opendata:schema"))
    assert schema_response.status_code == 200
    assert schema_response["Content-Type"] == "application/schema+json; charset=utf-8"
    schema = json.loads(schema_response.content)
    jsonschema.Draft202012Validator.check_schema(schema)
    response = get(client, "edition_json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    document = json.loads(response.content)
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(document)
    assert document["$schema"] == "https://slz.example.org/dane/schemat-wynikow.json"
    assert document["edition"]["url"] == "https://slz.example.org/laureaci/2031/"
    [laureate, distinction] = document["entries"]
    assert laureate["partnership"] == "Partnerstwo Łódź – Zgierz"
    assert laureate["url"] == "https://slz.example.org/laureaci/2031/lodz-i-gminy-osciennne/"
    assert laureate["partners"][0] == {
        "name": "Łódź",
        "terc": "1061011",
        "unit_kind": "urban",
        "voivodeship": "łódzkie",
        "voivodeship_terc": "10",
        "is_leader": True,
    }
    assert (distinction["outcome"], distinction["place"]) == ("distinction", None)


def test_schema_rejects_a_document_with_an_unknown_field():
    from results.opendata import schema

    document = {"$schema": "https://x.example/s.json", "edition": {}, "entries": [], "contact_email": CONTACT}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema("https://x.example/s.json"))


def test_csv_opens_with_polish_letters_and_the_header(client, monkeypatch, awarded):
    Clock(monkeypatch, RESULTS_AT)
    response = get(client, "edition_csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "year", "edition", "category", "outcome", "place", "prize_tier", "partnership", "leading_unit", "title",
        "public_summary", "citation", "partners", "partners_terc", "partners_voivodeship", "slug", "url",
    ]
    header, laureate, distinction = rows
    record = dict(zip(header, laureate, strict=True))
    assert record["partnership"] == "Partnerstwo Łódź – Zgierz"
    assert record["title"] == "Wspólny bilet „Łódzkie Koleje”"
    assert record["public_summary"] == "'=HYPERLINK(\"http://zły.example\") Źródła ciepła; żółć"  # text, not formula
    assert record["partners_terc"] == "1061011 | 1020011"
    assert record["partners_voivodeship"] == "łódzkie | łódzkie"
    assert record["place"] == "1"
    assert dict(zip(header, distinction, strict=True))["place"] == ""


@pytest.mark.parametrize("name", ["edition_json", "edition_csv"])
def test_open_data_holds_no_personal_data(client, monkeypatch, awarded, name):
    awarded.applications.update(contact_email=CONTACT, contact_phone="+48 600 100 200", contact_name="Jan Kowalski")
    Clock(monkeypatch, RESULTS_AT)
    body = get(client, name).content.decode("utf-8-sig")
    for personal in (CONTACT, "600 100 200", "Kowalski", "@"):
        assert personal not in body


def test_open_data_queries_do_not_grow_with_entries(client, monkeypatch, awarded, django_assert_max_num_queries):
    Clock(monkeypatch, RESULTS_AT)
    with django_assert_max_num_queries(4):
        assert get(client, "edition_json").status_code == 200
    for number in range(15):
        published_entry(awarded, f"laureat-{number}", place=number + 2)
    from results import cache

    cache.bump()
    with django_assert_max_num_queries(4):
        response = get(client, "edition_csv")
    assert response.status_code == 200
    assert len(response.content.decode("utf-8-sig").strip().splitlines()) == 1 + 17


@pytest.mark.polish
def test_documentation_page_lists_the_fields_and_the_public_files(client, monkeypatch, awarded):
    hidden = edition_with_results_at(RESULTS_AT + datetime.timedelta(days=365), year=2032)
    Clock(monkeypatch, RESULTS_AT)
    response = client.get(reverse("opendata:docs"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="/laureaci/2031/dane.json"' in body
    assert 'href="/laureaci/2031/dane.csv"' in body
    assert f"/laureaci/{hidden.year}/dane" not in body
    for key in ("public_summary", "citation", "partners", "outcome"):
        assert f"<code>{key}</code>" in body
    assert "średnik" in body

"""The organiser's anonymisation check: no juror opens an entry before it, any later change voids it; the terms page."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from contest.models import AuditEvent
from jury import blind, services
from jury.models import AnonymisationCheck, Assignment, RedactionTerm, Scorecard
from jury.redaction import MARK
from jury.services import JuryError
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]

BRAND = "Metropolitalny rower Trójmiasta"



@pytest.fixture
def edition():
    edition = f.EditionFactory(phase="scoring", min_justification_length=10)
    f.CriterionFactory(edition=edition, max_points=10, requires_justification=False)
    return edition


@pytest.fixture
def organiser():
    return f.UserFactory(email="organiser@example.com", is_organiser=True, is_staff=True)


@pytest.fixture
def juror(edition):
    return f.declared_juror(edition, user=f.UserFactory(email="juror@example.com"))


@pytest.fixture
def entry(edition, juror):
    """The demo's Gdańsk–Gdynia–Sopot partnership, known locally by its bike brand."""
    f.ensure_terc()
    entry = f.jury_entry(
        edition,
        1,
        title=BRAND,
        partnership_name="Obszar Metropolitalny Gdańsk Gdynia Sopot",
        summary=f"{BRAND}: OMGGS łączy stacje w Sopocie i gdyńskie osiedla; mieszkańcy Trójmiasta jeżdżą więcej.",
    )
    for code in ("2261011", "2262011", "2264011"):
        f.PartnerFactory(application=entry, territorial_unit=f.unit(code))
    requirement = f.AttachmentRequirementFactory(edition=edition, visible_to_jury=True)
    f.AttachmentFactory(application=entry, requirement=requirement)
    Assignment.objects.create(member=juror, application=entry)
    return entry


def _url(name, edition, *args):
    return reverse(f"jury:{name}", args=[edition.year, *args])


def _juror_urls(edition, entry):
    shown = entry.attachments.get()
    return [
        _url("entry", edition, entry.code),
        _url("scorecard", edition, entry.code),
        _url("declare_conflict", edition, entry.code),
        _url("attachment", edition, entry.code, shown.pk),
    ]


def _opened(client, url):
    """What the juror gets: 200, or for a file kept on S3 a 302 to its presigned address (which is the file)."""
    response = client.get(url)
    endpoint = settings.STORAGES["default"].get("OPTIONS", {}).get("endpoint_url")
    if response.status_code == 302 and endpoint and response["Location"].startswith(endpoint):
        return 200
    return response.status_code


def _fingerprint(entry):
    return blind.content_hash(blind.build_blind_entry(entry))


# Jurors see nothing before the check ------------------------------------------------------------------------------


def test_unchecked_entry_is_listed_as_being_prepared_without_a_link(client, edition, juror, entry):
    client.force_login(juror.user)
    response = client.get(_url("dashboard", edition))
    [row] = response.context["rows"]
    assert (row.code, row.state, row.ready) == (entry.code, "preparing", False)
    assert _url("entry", edition, entry.code) not in response.text
    assert _url("scorecard", edition, entry.code) not in response.text


@pytest.mark.parametrize("page", range(4), ids=["entry", "scorecard", "conflict", "attachment"])
def test_unchecked_entry_pages_are_404(client, edition, juror, entry, page):
    client.force_login(juror.user)
    assert client.get(_juror_urls(edition, entry)[page]).status_code == 404


def test_scorecard_post_on_unchecked_entry_is_404_and_saves_nothing(client, edition, juror, entry):
    client.force_login(juror.user)
    response = client.post(_url("scorecard", edition, entry.code), {"save": "1", "overall_comment": "Szkic"})
    assert response.status_code == 404
    assert not Scorecard.objects.exists()


def test_conflict_post_on_unchecked_entry_is_404_and_records_nothing(client, edition, juror, entry):
    client.force_login(juror.user)
    response = client.post(_url("declare_conflict", edition, entry.code), {"reason": "Znam ich"})
    assert response.status_code == 404
    assert not juror.conflicts.exists()


def test_signed_off_entry_opens_for_the_juror(client, edition, juror, entry):
    f.sign_off(entry)
    client.force_login(juror.user)
    assert [_opened(client, url) for url in _juror_urls(edition, entry)] == [200, 200, 200, 200]


def test_entry_signed_off_in_polish_opens_for_a_juror_reading_english(client, edition, juror, entry):
    from django.utils import translation

    with translation.override("pl"):
        f.sign_off(entry)
    client.force_login(juror.user)
    client.cookies["django_language"] = "en"
    assert [_opened(client, url) for url in _juror_urls(edition, entry)] == [200, 200, 200, 200]


def test_edit_after_the_check_voids_it(client, edition, juror, entry, organiser):
    f.sign_off(entry)
    services.save_anonymised(entry, {"title": "Rower", "summary": "Nowy tekst."}, by=organiser)
    client.force_login(juror.user)
    assert client.get(_url("entry", edition, entry.code)).status_code == 404
    assert [row.state for row in client.get(_url("dashboard", edition)).context["rows"]] == ["preparing"]


def test_new_redaction_term_voids_the_check_of_entries_it_changes(client, edition, juror, entry, organiser):
    untouched = f.jury_entry(edition, 2, title="Wspólne zakupy energii")
    Assignment.objects.create(member=juror, application=untouched)
    f.sign_off(entry)
    f.sign_off(untouched)
    services.set_redaction_terms(edition, BRAND, by=organiser)
    client.force_login(juror.user)
    rows = client.get(_url("dashboard", edition)).context["rows"]
    assert [(row.code, row.ready) for row in rows] == [(entry.code, False), (untouched.code, True)]


# The check page --------------------------------------------------------------------------------------------------


def test_check_page_highlights_redacted_spans_beside_the_original(client, edition, entry, organiser):
    client.force_login(organiser)
    response = client.get(_url("anonymised", edition, entry.code))
    assert response.status_code == 200
    [summary] = [field for field in response.context["review"] if field.label == "Summary"]
    assert [piece for piece, redacted in summary.original if redacted] == ["OMGGS", "Sopocie", "gdyńskie"]
    assert "<mark>OMGGS</mark>" in response.text
    assert [piece for piece, is_mark in summary.shown if is_mark] == [MARK, MARK, MARK]
    assert f"<mark>{MARK}</mark>" in response.text


def test_check_page_says_unchecked_then_checked(client, edition, entry, organiser):
    client.force_login(organiser)
    url = _url("anonymised", edition, entry.code)
    assert 'data-check-state="unchecked"' in client.get(url).text
    client.post(url, {"check": "1", "content_hash": _fingerprint(entry)})
    assert 'data-check-state="checked"' in client.get(url).text


def test_check_page_says_void_after_a_change(client, edition, entry, organiser):
    f.sign_off(entry, by=organiser)
    services.set_redaction_terms(edition, "Trójmiasto", by=organiser)
    client.force_login(organiser)
    assert 'data-check-state="void"' in client.get(_url("anonymised", edition, entry.code)).text


def test_check_button_signs_off_and_is_audited(client, edition, entry, organiser):
    client.force_login(organiser)
    fingerprint = _fingerprint(entry)
    response = client.post(_url("anonymised", edition, entry.code), {"check": "1", "content_hash": fingerprint})
    assert response.status_code == 302
    check = AnonymisationCheck.objects.get(application=entry)
    assert (check.checked_by, check.content_hash) == (organiser, fingerprint)
    event = AuditEvent.objects.get(action="jury.anonymisation_checked")
    assert (event.actor, event.target_id, event.data["content_hash"]) == (organiser, str(entry.pk), fingerprint)


def test_check_of_a_version_the_organiser_did_not_see_is_refused(client, edition, entry, organiser):
    client.force_login(organiser)
    url = _url("anonymised", edition, entry.code)
    stale = _fingerprint(entry)
    services.set_redaction_terms(edition, BRAND, by=organiser)  # another organiser adds a term meanwhile
    response = client.post(url, {"check": "1", "content_hash": stale}, follow=True)
    assert "The anonymised version changed after you opened this page." in response.text
    assert not AnonymisationCheck.objects.exists()


def test_check_without_a_fingerprint_is_refused(client, edition, entry, organiser):
    client.force_login(organiser)
    response = client.post(_url("anonymised", edition, entry.code), {"check": "1"}, follow=True)
    assert "The page was incomplete; open it again and confirm." in response.text
    assert not AnonymisationCheck.objects.exists()


def test_check_needs_the_csrf_token(edition, entry, organiser):
    client = Client(enforce_csrf_checks=True)
    client.force_login(organiser)
    response = client.post(_url("anonymised", edition, entry.code), {"check": "1", "content_hash": _fingerprint(entry)})
    assert response.status_code == 403
    assert not AnonymisationCheck.objects.exists()


def test_juror_cannot_sign_off(client, edition, juror, entry):
    client.force_login(juror.user)
    response = client.post(_url("anonymised", edition, entry.code), {"check": "1", "content_hash": _fingerprint(entry)})
    assert response.status_code == 403
    assert not AnonymisationCheck.objects.exists()


def test_entry_not_formally_accepted_cannot_be_signed_off(edition, organiser):
    draft = f.jury_entry(edition, 3, status="submitted")
    with pytest.raises(JuryError, match="Only formally accepted entries go to the jury."):
        services.sign_off_anonymisation(draft, _fingerprint(draft), by=organiser)
    assert not AnonymisationCheck.objects.exists()


# The edition's redaction terms --------------------------------------------------------------------------------------


def test_terms_page_saves_one_term_per_line_once(client, edition, organiser):
    client.force_login(organiser)
    text = f"{BRAND}\n\n  Trójmiasto  \ntrójmiasto\nPrezydent  Jan   Nowak\n"
    assert client.post(_url("redaction_terms", edition), {"terms": text}).status_code == 302
    terms = list(RedactionTerm.objects.filter(edition=edition).values_list("term", flat=True))
    assert sorted(terms) == sorted([BRAND, "Trójmiasto", "Prezydent Jan Nowak"])
    event = AuditEvent.objects.get(action="jury.redaction_terms_changed")
    assert (event.actor, event.data) == (organiser, {"added": 3, "removed": 0})


def test_terms_page_shows_the_current_terms_in_the_textarea(client, edition, organiser):
    services.set_redaction_terms(edition, "Trójmiasto\nSKM", by=organiser)
    client.force_login(organiser)
    response = client.get(_url("redaction_terms", edition))
    assert response.context["form"]["terms"].value() == "SKM\nTrójmiasto"


def test_terms_page_removes_deleted_lines(client, edition, organiser):
    services.set_redaction_terms(edition, "Trójmiasto\nSKM", by=organiser)
    client.force_login(organiser)
    client.post(_url("redaction_terms", edition), {"terms": "SKM"})
    assert list(RedactionTerm.objects.values_list("term", flat=True)) == ["SKM"]


def test_terms_page_refuses_an_overlong_line_and_loses_nothing(client, edition, organiser):
    services.set_redaction_terms(edition, "Trójmiasto", by=organiser)
    client.force_login(organiser)
    text = "SKM\n" + "x" * 201
    response = client.post(_url("redaction_terms", edition), {"terms": text})
    assert response.status_code == 400
    assert response.context["form"].errors["terms"] == ["Line 2 is longer than 200 characters."]
    assert response.context["form"]["terms"].value() == text
    assert list(RedactionTerm.objects.values_list("term", flat=True)) == ["Trójmiasto"]


def test_terms_page_refuses_a_term_without_two_letters(client, edition, organiser):
    client.force_login(organiser)
    response = client.post(_url("redaction_terms", edition), {"terms": "Trójmiasto\n-\n"})
    assert response.status_code == 400
    assert response.context["form"].errors["terms"] == ["Line 2 needs at least two letters or digits."]
    assert not RedactionTerm.objects.exists()


def test_terms_page_is_for_organisers_only(client, edition, juror):
    client.force_login(juror.user)
    assert client.get(_url("redaction_terms", edition)).status_code == 403
    assert client.post(_url("redaction_terms", edition), {"terms": "Trójmiasto"}).status_code == 403
    assert not RedactionTerm.objects.exists()


def test_terms_reach_what_the_juror_reads(client, edition, juror, entry, organiser):
    services.set_redaction_terms(edition, f"{BRAND}\nTrójmiasto", by=organiser)
    f.sign_off(entry)
    client.force_login(juror.user)
    body = client.get(_url("entry", edition, entry.code)).text
    assert [word for word in ("Metropolitaln", "Trójmiast", "OMGGS", "Sopoc", "gdyńsk") if word in body] == []


# The demo ------------------------------------------------------------------------------------------------------------


def test_demo_signs_off_every_jury_entry_and_hides_the_bike_brand(settings):
    import io

    from django.core.management import call_command

    from applications.models import Application

    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    entries = list(Application.objects.filter(edition__year=2026, jury_assignments__isnull=False).distinct())
    shown = blind.build_blind_entries(entries)
    assert entries and all(entry.checked for entry in shown.values())
    [bike] = [a for a in entries if a.title == BRAND]
    text = " ".join(value for _label, value in shown[bike.pk].fields)
    assert [word for word in ("Metropolitaln", "Trójmiast", "Gdańsk", "Gdyni", "Sopo") if word in text] == []

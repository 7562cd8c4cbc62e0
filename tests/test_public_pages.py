"""Public pages: the call on the home page, an edition's page, the archive, the rules PDF, the language switch."""
import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

WARSAW = ZoneInfo("Europe/Warsaw")
PHASES = ["announced", "submissions", "formal_review", "scoring", "deliberation", "results", "archived"]
PHASE_LABELS = {
    "announced": "call published",
    "submissions": "submissions open",
    "formal_review": "formal review",
    "scoring": "jury scoring",
    "deliberation": "deliberation",
    "results": "results published",
    "archived": "archive",
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def local(year, month, day, hour=0, minute=0, second=0):
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=WARSAW)


def fixed_edition(**extra):
    """A published edition with whole-second dates on both sides of the spring DST change."""
    return factories.EditionFactory(
        number=17,
        year=2026,
        is_draft=False,
        theme="Partnerstwa dla klimatu i mieszkańców",
        call_published_at=local(2026, 1, 15, 12),
        submissions_open_at=local(2026, 2, 1, 9),
        submission_deadline=local(2026, 4, 30, 23, 59, 59),
        formal_review_ends_at=local(2026, 5, 31, 23, 59, 59),
        scoring_starts_at=local(2026, 6, 1, 9),
        scoring_ends_at=local(2026, 6, 30, 23, 59, 59),
        results_at=local(2026, 11, 20, 12),
        archived_at=None,
        **extra,
    )


# --- an edition in every public phase -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("phase", PHASES)
def test_home_shows_edition_in_phase(english, phase):
    edition = factories.EditionFactory(phase=phase, theme=f"Temat {phase}")

    response = english.get("/")

    html = response.content.decode()
    assert (response.status_code, response.context["edition"], f"Temat {phase}" in html) == (200, edition, True)
    assert f'<span class="badge phase-badge">{PHASE_LABELS[phase]}</span>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("phase", PHASES)
def test_edition_page_shows_edition_in_phase(english, phase):
    edition = factories.EditionFactory(phase=phase, theme=f"Temat {phase}")

    response = english.get(f"/edycje/{edition.year}/")

    html = response.content.decode()
    assert (response.status_code, f"Temat {phase}" in html) == (200, True)
    assert f'<span class="badge phase-badge">{PHASE_LABELS[phase]}</span>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("phase", PHASES)
def test_archive_lists_edition_in_phase(client, phase):
    edition = factories.EditionFactory(phase=phase)

    response = client.get("/edycje/")

    assert (response.status_code, list(response.context["editions"])) == (200, [edition])


@pytest.mark.django_db
def test_edition_page_timeline_in_warsaw_time(client):
    fixed_edition()

    html = client.get("/edycje/2026/").content.decode()

    # Winter (UTC+1) and summer (UTC+2) dates both shown at their Warsaw wall-clock time.
    assert [
        '<time datetime="2026-01-15T12:00:00+01:00">' in html,
        '<time datetime="2026-04-30T23:59:59+02:00">' in html,
        '<time datetime="2026-11-20T12:00:00+01:00">' in html,
    ] == [True, True, True]


@pytest.mark.django_db
def test_edition_page_timeline_shows_local_wall_clock_in_english(english):
    fixed_edition()

    html = english.get("/edycje/2026/").content.decode()

    assert '<time datetime="2026-04-30T23:59:59+02:00">30 April 2026, 23:59</time>' in html


@pytest.mark.polish
@pytest.mark.django_db
def test_edition_page_timeline_shows_local_wall_clock_in_polish(client):
    fixed_edition()

    html = client.get("/edycje/2026/", HTTP_ACCEPT_LANGUAGE="pl").content.decode()

    assert '<time datetime="2026-04-30T23:59:59+02:00">30 kwietnia 2026, 23:59</time>' in html


@pytest.mark.django_db
def test_edition_page_timeline_in_warsaw_time_whatever_the_active_timezone(client, settings):
    settings.TIME_ZONE = "UTC"
    fixed_edition()

    html = client.get("/edycje/2026/").content.decode()

    assert '<time datetime="2026-04-30T23:59:59+02:00">' in html


@pytest.mark.django_db
def test_edition_page_lists_setup(english):
    edition = fixed_edition()
    factories.CategoryFactory(edition=edition, name="Partnerstwa gmin")
    factories.CriterionFactory(edition=edition, name="Trafność diagnozy", max_points=10, weight="1.50")
    factories.AttachmentRequirementFactory(edition=edition, name="Porozumienie partnerskie", allowed_types=["pdf"])

    html = english.get("/edycje/2026/").content.decode()

    assert [
        "<strong>Partnerstwa gmin</strong>" in html,
        "<td><strong>Trafność diagnozy</strong>" in html,
        "<td>10</td><td>1.50</td>" in html,
        "Porozumienie partnerskie" in html,
    ] == [True, True, True, True]


@pytest.mark.django_db
def test_call_page_says_who_may_apply_and_whom_to_ask(client):
    edition = fixed_edition()
    edition.eligibility = "Partnerstwa co najmniej dwóch gmin.\n\nLider składa <b>jeden</b> wniosek."
    edition.contact_name, edition.contact_email = "Biuro Konkursu", "biuro@example.org"
    edition.contact_phone = "61 000 11 22"
    edition.save()

    html = client.get("/edycje/2026/").content.decode()

    assert '<h2 id="eligibility-heading" class="h4">Who may apply</h2>' in html
    assert "<p>Partnerstwa co najmniej dwóch gmin.</p>" in html
    assert "Lider składa &lt;b&gt;jeden&lt;/b&gt; wniosek." in html  # the organiser's text is escaped
    assert "Questions about the competition" in html
    assert '<a href="mailto:biuro@example.org">biuro@example.org</a>' in html
    assert '<a href="tel:610001122">61 000 11 22</a>' in html


@pytest.mark.django_db
def test_call_page_without_eligibility_or_contact_has_no_empty_sections(client):
    fixed_edition()

    html = client.get("/edycje/2026/").content.decode()

    assert "eligibility-heading" not in html and "contact-heading" not in html


@pytest.mark.django_db
def test_home_shows_newest_published_edition_and_lists_older(client):
    older = factories.EditionFactory(phase="results", year=2025)
    newer = factories.EditionFactory(phase="submissions", year=2026)

    response = client.get("/")

    assert (response.context["edition"], list(response.context["past_editions"])) == (newer, [older])


@pytest.mark.django_db
def test_home_without_editions_renders(english):
    response = english.get("/")

    assert (response.status_code, response.context["edition"]) == (200, None)
    assert "The next edition has not been announced yet." in response.content.decode()


@pytest.mark.django_db
def test_edition_page_unknown_year_is_404(client):
    assert client.get("/edycje/1999/").status_code == 404


# --- drafts stay hidden ---------------------------------------------------------------------------------------


@pytest.fixture
def draft_flagged(db):
    """Marked draft although its dates say submissions are open."""
    return factories.EditionFactory(phase="submissions", is_draft=True, year=2031, theme="Szkic ukryty")


@pytest.fixture
def not_yet_called(db):
    """Not a draft, but its call is published only tomorrow."""
    return factories.EditionFactory(phase="draft", is_draft=False, year=2032, theme="Zapowiedź ukryta")


@pytest.mark.parametrize("hidden", ["draft_flagged", "not_yet_called"])
def test_edition_page_of_hidden_edition_is_404(client, request, hidden):
    edition = request.getfixturevalue(hidden)

    assert client.get(f"/edycje/{edition.year}/").status_code == 404


@pytest.mark.parametrize("hidden", ["draft_flagged", "not_yet_called"])
def test_home_does_not_show_hidden_edition(client, request, hidden):
    edition = request.getfixturevalue(hidden)
    published = factories.EditionFactory(phase="results", year=2020)

    response = client.get("/")

    assert (response.context["edition"], list(response.context["past_editions"])) == (published, [])
    assert edition.theme not in response.content.decode()


@pytest.mark.parametrize("hidden", ["draft_flagged", "not_yet_called"])
def test_home_with_only_hidden_edition_shows_none(client, request, hidden):
    edition = request.getfixturevalue(hidden)

    response = client.get("/")

    assert (response.context["edition"], edition.theme in response.content.decode()) == (None, False)


@pytest.mark.parametrize("hidden", ["draft_flagged", "not_yet_called"])
def test_archive_does_not_list_hidden_edition(client, request, hidden):
    edition = request.getfixturevalue(hidden)
    published = factories.EditionFactory(phase="results", year=2020)

    response = client.get("/edycje/")

    assert (list(response.context["editions"]), edition.theme in response.content.decode()) == ([published], False)


# --- the rules document ---------------------------------------------------------------------------------------


def _with_rules(edition):
    edition.rules_document.save("regulamin.pdf", ContentFile(PDF), save=True)
    return edition


@pytest.mark.django_db
def test_rules_pdf_downloads_as_attachment(client):
    edition = _with_rules(factories.EditionFactory(phase="submissions", year=2026))

    response = client.get(f"/edycje/{edition.year}/regulamin.pdf")

    assert (response.status_code, response["Content-Type"], response["Content-Disposition"]) == (
        200,
        "application/pdf",
        'attachment; filename="regulamin-slz-2026.pdf"',
    )
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.django_db
def test_rules_pdf_is_linked_from_edition_page(client):
    edition = _with_rules(factories.EditionFactory(phase="submissions", year=2026))

    html = client.get(f"/edycje/{edition.year}/").content.decode()

    assert 'href="/edycje/2026/regulamin.pdf"' in html


@pytest.mark.parametrize("hidden", ["draft_flagged", "not_yet_called"])
def test_rules_pdf_of_hidden_edition_is_404(client, request, hidden):
    edition = _with_rules(request.getfixturevalue(hidden))

    assert client.get(f"/edycje/{edition.year}/regulamin.pdf").status_code == 404


@pytest.mark.django_db
def test_rules_pdf_missing_document_is_404(client):
    edition = factories.EditionFactory(phase="submissions")

    assert client.get(f"/edycje/{edition.year}/regulamin.pdf").status_code == 404


@pytest.mark.django_db
def test_rules_pdf_file_gone_from_storage_is_404(client):
    edition = _with_rules(factories.EditionFactory(phase="submissions"))
    edition.rules_document.storage.delete(edition.rules_document.name)

    assert client.get(f"/edycje/{edition.year}/regulamin.pdf").status_code == 404


# --- language -------------------------------------------------------------------------------------------------


@pytest.mark.polish
@pytest.mark.django_db
def test_home_default_language_is_polish(client):
    response = client.get("/")

    assert (response["Content-Language"], '<html lang="pl">' in response.content.decode()) == ("pl", True)


@pytest.mark.django_db
def test_set_language_english_switches_home_page(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    response = client.get("/")

    assert (response["Content-Language"], '<html lang="en">' in response.content.decode()) == ("en", True)


@pytest.mark.django_db
def test_set_language_english_shows_english_text(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    html = client.get("/").content.decode()

    assert ">Log in</a>" in html


@pytest.mark.django_db
def test_set_language_english_persists_in_cookie(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    cookie = response.cookies["django_language"]
    assert (response.status_code, response["Location"], cookie.value, cookie["max-age"]) == (
        302,
        "/",
        "en",
        365 * 24 * 3600,
    )


@pytest.mark.django_db
def test_set_language_english_survives_browser_accept_language(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    response = client.get("/edycje/", HTTP_ACCEPT_LANGUAGE="pl")

    assert response["Content-Language"] == "en"


@pytest.mark.polish
@pytest.mark.django_db
def test_home_is_polish_even_for_an_english_browser(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    assert (response["Content-Language"], "Przejdź do treści głównej" in response.content.decode()) == ("pl", True)


@pytest.mark.django_db
def test_set_language_back_to_polish(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post("/i18n/setlang/", {"language": "pl", "next": "/"})

    assert client.get("/")["Content-Language"] == "pl"


@pytest.mark.django_db
def test_set_language_next_to_other_site_is_ignored(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})

    assert response["Location"] == "/"


# --- query counts do not grow with the data -------------------------------------------------------------------


def _populate(editions, criteria, newest_year=2090):
    """`editions` published editions with `criteria` criteria (and some set-up) each, plus hidden ones."""
    newest = None
    for index in range(editions):
        phase = "submissions" if index == 0 else "archived"
        edition = factories.EditionFactory(phase=phase, year=newest_year - index, number=newest_year - index)
        factories.CategoryFactory.create_batch(3, edition=edition)
        factories.CriterionFactory.create_batch(criteria, edition=edition)
        factories.AttachmentRequirementFactory.create_batch(2, edition=edition)
        newest = newest or edition
    factories.EditionFactory.create_batch(editions // 2 + 1, phase="draft")
    return newest


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


SIZES = [(2, 3), (20, 15)]
PAGE_QUERY_LIMITS = {"home": 5, "edition": 4, "archive": 1}


def _url(page, newest):
    return {"home": "/", "edition": f"/edycje/{newest.year}/", "archive": "/edycje/"}[page]


@pytest.mark.django_db
@pytest.mark.parametrize(("editions", "criteria"), SIZES)
@pytest.mark.parametrize("page", ["home", "edition", "archive"])
def test_page_queries_bounded(client, django_assert_max_num_queries, page, editions, criteria):
    newest = _populate(editions, criteria)

    with django_assert_max_num_queries(PAGE_QUERY_LIMITS[page]):
        response = client.get(_url(page, newest))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["home", "edition", "archive"])
def test_page_queries_same_at_both_sizes(client, page):
    newest = _populate(*SIZES[0], newest_year=2050)
    small = _count_queries(client, _url(page, newest))
    newest = _populate(*SIZES[1], newest_year=2090)
    large = _count_queries(client, _url(page, newest))

    assert small == large


@pytest.mark.django_db
@pytest.mark.parametrize(("editions", "criteria"), SIZES)
def test_home_queries_bounded_when_logged_in(client, applicant, django_assert_max_num_queries, editions, criteria):
    _populate(editions, criteria)
    client.force_login(applicant)

    with django_assert_max_num_queries(PAGE_QUERY_LIMITS["home"] + 2):  # + session and user
        response = client.get("/")
    assert response.status_code == 200

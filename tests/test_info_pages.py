"""The organisers' information pages: the accessibility statement and the personal-data clause, seeded by a
migration, edited in the admin by the Organisers group, rendered with their small markup and every HTML escaped."""

import pytest
from django.urls import reverse

from contest import infotext
from contest.demo import organisers_group
from contest.models import AuditEvent, InfoPage
from tests import factories
from tests.discovery_factories import ensure_info_pages

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _seeded_pages(db):
    ensure_info_pages()

ACCESSIBILITY_SECTIONS = [
    "Dane deklaracji",
    "Stan dostępności cyfrowej",
    "Przygotowanie deklaracji dostępności",
    "Informacje zwrotne i dane kontaktowe",
    "Obsługa wniosków i skarg związanych z dostępnością",
    "Dostępność architektoniczna",
]


@pytest.fixture
def organiser_client(client, settings):
    settings.REQUIRE_MFA_FOR_STAFF = False  # the MFA policy of /admin/ has its own tests
    user = factories.UserFactory(email="org@example.com", is_organiser=True, is_staff=True)
    user.groups.add(organisers_group())
    client.force_login(user)
    return client


def change(client, page, **fields):
    data = {
        "title_pl": page.title_pl,
        "body_pl": page.body_pl,
        "title_en": page.title_en,
        "body_en": page.body_en,
        **fields,
    }
    return client.post(reverse("admin:contest_infopage_change", args=[page.pk]), data)


@pytest.mark.polish
def test_accessibility_statement_has_the_sections_the_law_requires(client):
    response = client.get("/deklaracja-dostepnosci/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Deklaracja dostępności</h1>" in body
    headings = [block[1] for block in infotext.blocks(InfoPage.objects.get(slug="deklaracja-dostepnosci").body_pl)
                if block[0] == "h2"]
    assert [heading for heading in headings if heading in ACCESSIBILITY_SECTIONS] == ACCESSIBILITY_SECTIONS
    assert '<h2 id="dostepnosc-architektoniczna">Dostępność architektoniczna</h2>' in body
    assert '<a href="https://bip.brpo.gov.pl/" rel="nofollow">' in body


@pytest.mark.polish
def test_privacy_clause_names_the_rights_and_the_supervisory_authority(client):
    response = client.get("/ochrona-danych/")
    assert response.status_code == 200
    body = response.content.decode()
    for text in ("Administrator danych", "Prezesa Urzędu Ochrony Danych Osobowych", "art. 6 ust. 1 lit. b RODO"):
        assert text in body


def test_pages_are_in_english_for_english_readers(client):
    client.cookies["django_language"] = "en"
    body = client.get("/deklaracja-dostepnosci/").content.decode()
    assert "<h1>Accessibility statement</h1>" in body
    assert "Enforcement procedure" in body


def test_english_falls_back_to_polish_when_empty(client):
    InfoPage.objects.filter(slug="ochrona-danych").update(body_en="", title_en="")
    client.cookies["django_language"] = "en"
    body = client.get("/ochrona-danych/").content.decode()
    assert "Administrator danych" in body


@pytest.mark.polish
def test_footer_links_to_both_pages_and_open_data(client):
    body = client.get("/").content.decode()
    for href in ("/deklaracja-dostepnosci/", "/ochrona-danych/", "/dane/", "/aktualnosci.atom"):
        assert f'href="{href}"' in body


@pytest.mark.polish
def test_organiser_edit_is_escaped_and_audited(client, organiser_client):
    page = InfoPage.objects.get(slug="deklaracja-dostepnosci")
    hostile = (
        '## Nagłówek <img src=x onerror=alert(1)>\n\n<script>alert("x")</script>\n- <b>punkt</b>\n\n'
        "Link: javascript:alert(1)"
    )
    response = change(organiser_client, page, body_pl=hostile, title_pl='Deklaracja <i>x</i>')
    assert response.status_code == 302
    client.logout()
    body = client.get("/deklaracja-dostepnosci/").content.decode()
    assert "<script>alert" not in body
    assert "<img src=x" not in body
    assert "<b>punkt</b>" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert "<li>&lt;b&gt;punkt&lt;/b&gt;</li>" in body
    assert 'href="javascript:' not in body
    assert "Deklaracja &lt;i&gt;x&lt;/i&gt;" in body
    event = AuditEvent.objects.get(action="info_page.changed")
    assert event.target_id == str(page.pk)
    assert event.data == {"fields": ["body_pl", "title_pl"]}


def test_organisers_may_change_but_not_add_or_delete(organiser_client):
    page = InfoPage.objects.first()
    assert organiser_client.get(reverse("admin:contest_infopage_change", args=[page.pk])).status_code == 200
    assert organiser_client.get(reverse("admin:contest_infopage_add")).status_code == 403
    assert organiser_client.get(reverse("admin:contest_infopage_delete", args=[page.pk])).status_code == 403
    assert set(organisers_group().permissions.filter(content_type__model="infopage").values_list(
        "codename", flat=True)) == {"change_infopage", "view_infopage"}


def test_a_missing_page_is_404(client):
    InfoPage.objects.filter(slug="ochrona-danych").delete()
    assert client.get("/ochrona-danych/").status_code == 404


# --- the markup, as a pure function ---------------------------------------------------------------------------------


def test_markup_paragraphs_headings_lists_and_line_breaks():
    html = infotext.render("## Kontakt\nTel. 61 000\nE-mail: a@b.pl\n\n- jeden\n- dwa\nkoniec\n\n### Źródła")
    assert html == (
        '<h2 id="kontakt">Kontakt</h2>\n'
        '<p>Tel. 61 000<br>E-mail: <a href="mailto:a@b.pl">a@b.pl</a></p>\n'
        "<ul><li>jeden</li><li>dwa</li></ul>\n"
        "<p>koniec</p>\n"
        '<h3 id="zrodla">Źródła</h3>'
    )


def test_markup_gives_repeated_headings_distinct_ids():
    html = infotext.render("## Dane\n\n## Dane")
    assert '<h2 id="dane">' in html and '<h2 id="dane-2">' in html


def test_markup_escapes_quotes_in_links():
    html = infotext.render('https://example.org/"onmouseover="alert(1)')
    assert 'onmouseover="alert' not in html

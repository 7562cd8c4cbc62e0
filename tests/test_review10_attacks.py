"""Adversarial review of issue 10 (publishing the results): each test names the behaviour that should hold and
asserts what a reader, a subscriber, an applicant or an attacker would notice. Tests that fail are findings."""

import datetime
import html
import io
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from applications import services as app_services
from news import consent
from news import services as news_services
from news.models import Dispatch, Subscription
from results import services
from results.models import PublicFile
from tests import factories as f
from tests import publication_factories as pf
from tests import results_factories as rf

pytestmark = pytest.mark.django_db

SECOND = datetime.timedelta(seconds=1)
SITE = "http://127.0.0.1:8000"
UNSUBSCRIBE_LINK = re.compile(r"https?://\S+/powiadomienia/wypisz/([A-Za-z0-9_-]+)/")
CONFIRM_LINK = re.compile(r"https?://\S+/powiadomienia/potwierdz/([A-Za-z0-9_-]+)/")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def subscriber(email, language="en"):
    """A confirmed subscriber (through the services, the confirmation e-mail's limit forgotten)."""
    from accounts.tokens import hash_token, new_token

    news_services.subscribe(email, language=language, consent_version=consent.VERSION)
    subscription = Subscription.objects.get(email=email, unsubscribed_at__isnull=True)
    token, token_hash = new_token()
    Subscription.objects.filter(pk=subscription.pk).update(token_hash=token_hash)
    news_services.confirm(token)
    cache.delete(f"news:mail:{hash_token(email)}")
    return Subscription.objects.get(pk=subscription.pk)


def results_mails(mailoutbox):
    return [m for m in mailoutbox if "results" in m.subject.lower() or "wyniki" in m.subject.lower()]


# --- announcements of results that were not published ---------------------------------------------------------------


def test_no_results_announcement_is_mailed_when_results_at_passes_with_nothing_published(mailoutbox, run_on_commit):
    """The committee is late: results_at passes with the decisions not locked, so nothing is public and the results
    page is empty. Subscribers must not be told "the results are published" (the dispatch is once per edition, so
    the real publication later would never be announced)."""
    subscriber("czytelnik@example.pl")
    moment = (timezone.now() + datetime.timedelta(hours=1)).replace(microsecond=0)
    f.EditionFactory(phase="deliberation", results_at=moment)  # no decision locked, no published entry

    run_on_commit(news_services.send_due_announcements, at=moment)

    assert (list(Dispatch.objects.values_list("kind", flat=True)), results_mails(mailoutbox)) == ([], [])


def test_feed_does_not_announce_results_when_nothing_was_published(client, monkeypatch):
    """The same late committee: the Atom feed must not carry "Results announced … laureates: 0"."""
    moment = (timezone.now() + datetime.timedelta(hours=1)).replace(microsecond=0)
    edition = f.EditionFactory(phase="deliberation", results_at=moment)
    monkeypatch.setattr(timezone, "now", lambda: moment + SECOND)

    response = client.get("/aktualnosci.atom")

    assert response.status_code == 200
    assert f"slz/{edition.year}/results" not in response.content.decode()


def test_a_results_batch_queued_before_unpublishing_sends_nothing_after_it(mailoutbox, run_on_commit):
    """The dispatch was created at results_at; the organiser withdrew the results before the task worker got to the
    batch. The batch must not tell subscribers the results are published while every page says they are not."""
    reader = subscriber("czytelnik@example.pl")
    edition = rf.results_edition(results_at=rf.to_second() - SECOND)
    dispatch = Dispatch.objects.create(kind=Dispatch.Kind.RESULTS_PUBLISHED, edition=edition)
    organiser = f.UserFactory(is_organiser=True, is_staff=True)
    run_on_commit(services.unpublish, edition, by=organiser, reason="Błąd w protokole komisji")

    sent = news_services.send_batch(dispatch.pk, [reader.pk])

    assert (sent, results_mails(mailoutbox)) == (0, [])


# --- unsubscribing --------------------------------------------------------------------------------------------------


def test_an_old_messages_unsubscribe_link_stops_the_mail_of_that_address(client, mailoutbox, run_on_commit):
    """A reader unsubscribed, subscribed again later, and now clicks "unsubscribe" in a message from the first
    subscription (every message has one; a mail client's one-click header uses it too). The page must not say
    "unsubscribed earlier" while the address keeps getting announcements."""
    first = subscriber("wraca@example.pl")
    f.EditionFactory(phase="announced")
    run_on_commit(news_services.send_due_announcements)
    old_link = UNSUBSCRIBE_LINK.search(mailoutbox[-1].body).group(0).removeprefix(SITE)
    news_services.unsubscribe(UNSUBSCRIBE_LINK.search(mailoutbox[-1].body).group(1))
    cache.clear()
    second = subscriber("wraca@example.pl")
    assert first.pk != second.pk

    response = Client(enforce_csrf_checks=True).post(old_link)

    assert response.status_code == 200
    assert Subscription.objects.receiving().filter(email="wraca@example.pl").count() == 0


def test_subscribe_answers_the_same_for_a_known_and_an_unknown_address(client, run_on_commit):
    """No enumeration: the page after subscribing is the same whether the address is new, pending or confirmed."""
    subscriber("znany@example.pl")
    answers = []
    for email in ("znany@example.pl", "nowy@example.pl"):
        response = run_on_commit(
            client.post,
            reverse("news:subscribe"),
            {"email": email, "consent": "on", "consent_version": consent.VERSION},
        )
        answers.append((response.status_code, response.get("Location")))
    assert answers[0] == answers[1] == (302, reverse("news:check_inbox"))


def test_subscription_refuses_header_injection_and_huge_addresses(client, mailoutbox, run_on_commit):
    for email in ("a@example.pl\r\nBcc: ofiara@example.pl", "a@example.pl\nSubject: x", "a" * 10_000 + "@example.pl"):
        response = run_on_commit(
            client.post,
            reverse("news:subscribe"),
            {"email": email, "consent": "on", "consent_version": consent.VERSION},
        )
        assert response.status_code == 200  # the form again, with the error
    assert (Subscription.objects.count(), mailoutbox) == (0, [])


def test_a_confirmation_token_of_one_subscriber_cannot_end_another_subscription(client, mailoutbox, run_on_commit):
    run_on_commit(
        client.post,
        reverse("news:subscribe"),
        {"email": "atakujacy@example.pl", "consent": "on", "consent_version": consent.VERSION},
    )
    victim = subscriber("ofiara@example.pl")
    token = CONFIRM_LINK.search(mailoutbox[0].body).group(1)

    Client(enforce_csrf_checks=True).post(reverse("news:unsubscribe", args=[token]))

    victim.refresh_from_db()
    assert victim.state == "confirmed"


# --- HTTP caching --------------------------------------------------------------------------------------------------


def test_a_publicly_cacheable_feed_varies_on_what_chooses_its_language(client):
    """The language comes from the language cookie (not Accept-Language). A feed a shared cache may keep
    (Cache-Control: public) must then say Vary: Cookie, or a Polish reader gets the English feed a proxy kept."""
    rf.published_entry(rf.results_edition(), "Partnerstwo Łódzkie")
    english = Client()
    english.cookies["django_language"] = "en"
    polish = Client()
    polish.cookies["django_language"] = "pl"

    en, pl = english.get("/aktualnosci.atom"), polish.get("/aktualnosci.atom")

    assert (en.status_code, pl.status_code) == (200, 200)
    assert en.content != pl.content  # the body does depend on the cookie
    if "public" in en.get("Cache-Control", ""):
        vary = {part.strip().lower() for part in en.get("Vary", "").split(",")}
        assert "cookie" in vary


# --- the public record ----------------------------------------------------------------------------------------------


def test_an_entry_rejected_after_the_lock_is_not_published_as_a_laureate(client, run_on_commit):
    """The services allowed an accepted entry to be rejected (ACCEPTED -> REJECTED) after the committee locked its
    decisions (a disqualification found late). The applicant is told "rejected"; the public page must not then call
    the same entry a laureate."""
    edition, entries, organiser = pf.decided_edition(with_files=False)
    # Fixed: the jury refuses the rejection of an entry its locked decisions include (unlock, reject, decide again).
    from applications.models import Application, Status
    from contest.errors import ServiceError

    with pytest.raises(ServiceError):
        run_on_commit(app_services.reject, entries["second"], by=organiser, reason="Partnerstwo nie spełnia regulaminu")
    # A row rejected anyway (before the refusal existed, or by hand) is still never published as a laureate.
    Application.objects.filter(pk=entries["second"].pk).update(status=Status.REJECTED)
    run_on_commit(services.publish, edition, by=organiser, now=True)

    response = client.get(f"/laureaci/{edition.year}/")

    assert response.status_code == 200
    assert "Ząbkowice i Partnerzy" not in html.unescape(response.content.decode())


# --- public pictures ------------------------------------------------------------------------------------------------


def test_the_results_page_does_not_load_full_size_photos_as_its_thumbnails(client):
    """The results page shows each photo 12rem wide, but its <img> loads the 1600-pixel public copy: a phone on
    announcement day downloads megabytes for thumbnails. A smaller rendition (or srcset) should be used."""
    edition = rf.results_edition()
    entry = rf.published_entry(edition, "Partnerstwo Łódzkie", images=1)
    picture = Image.new("RGB", (1600, 1067), (10, 120, 60))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    public = entry.files.get(kind=PublicFile.Kind.IMAGE)
    public.file.save("photo.jpg", io.BytesIO(buffer.getvalue()))
    PublicFile.objects.filter(pk=public.pk).update(width=1600, height=1067)

    page = client.get(f"/laureaci/{edition.year}/")
    sources = re.findall(r'<img src="([^"]+)"', page.content.decode())
    assert page.status_code == 200 and sources
    thumbnail = client.get(sources[0])
    width = Image.open(io.BytesIO(b"".join(thumbnail.streaming_content))).width
    assert width <= 800


def test_public_photos_can_be_kept_by_the_browser(client):
    """A public photo of a laureate is the same bytes for every reader; `no-store` makes every visit of every page
    download every photo again."""
    edition = rf.results_edition()
    entry = rf.published_entry(edition, "Partnerstwo Łódzkie", images=1)
    image = entry.files.get(kind=PublicFile.Kind.IMAGE)

    response = client.get(f"/laureaci/{edition.year}/{entry.slug}/pliki/{image.pk}/")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


# --- guards that held (kept: they protect the open data and the archive from hostile input) -------------------------


def test_open_data_csv_keeps_a_hostile_partnership_name_as_text():
    """A partnership named like a spreadsheet formula stays text in dane.csv (leading apostrophe), also in the list
    cell of partners, and a newline in a name cannot start a new row."""
    import csv

    edition = rf.results_edition()
    rf.published_entry(edition, '=HYPERLINK("http://zly.example","Kliknij")', title="Tytuł\r\n2025;=1+1;x")
    response = Client().get(f"/laureaci/{edition.year}/dane.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, [row] = rows[0], rows[1:]
    cells = dict(zip(header, row, strict=True))
    assert cells["partnership"].startswith("'=")
    assert cells["title"] == "Tytuł\r\n2025;=1+1;x"


@pytest.mark.parametrize(
    "query",
    [
        "?q=" + "ł" * 5000,
        "?q=%27%20OR%201%3D1%20--",
        "?year=abc&year=1999&year=",
        "?page=99999999999999999999999999",
        "?category=1e400",
        "?voivodeship=%3Cscript%3E",
        "?unit=__class__",
        "?q=%F0%9F%98%80%E2%80%AE",
    ],
)
def test_archive_answers_hostile_query_strings_without_an_error_or_an_echo(client, query):
    edition = rf.results_edition()
    rf.published_entry(edition, "Partnerstwo Łódzkie")
    response = client.get("/dobre-praktyki/" + query)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_a_public_file_id_of_another_edition_or_a_withdrawn_one_is_404(client, run_on_commit):
    shown = rf.results_edition()
    hidden = rf.results_edition()
    visible_entry = rf.published_entry(shown, "Partnerstwo Jawne", images=1)
    hidden_entry = rf.published_entry(hidden, "Partnerstwo Wycofane", images=1)
    organiser = f.UserFactory(is_organiser=True, is_staff=True)
    run_on_commit(services.unpublish, hidden, by=organiser, reason="Błąd w protokole")
    hidden_image = hidden_entry.files.get()
    for url in (
        f"/laureaci/{shown.year}/{visible_entry.slug}/pliki/{hidden_image.pk}/",
        f"/laureaci/{hidden.year}/{hidden_entry.slug}/pliki/{hidden_image.pk}/",
    ):
        assert client.get(url).status_code == 404
        assert client.head(url).status_code == 404


def test_jury_feedback_waits_for_the_outcome_when_the_committee_is_late(client):
    """results_at passed but the committee has not locked its decisions: the applicant's page (rightly) shows no
    outcome, yet it must not show the jury's scores and justifications either, from which the outcome can be
    guessed before it exists."""
    from contest.models import Edition
    from jury.models import CriterionScore

    edition, entries, jurors = f.ranked_edition()
    CriterionScore.objects.filter(scorecard__application=entries[0]).update(justification="Wybitny projekt")
    Edition.objects.filter(pk=edition.pk).update(
        publish_jury_feedback=True, results_at=timezone.now() - SECOND
    )
    client.force_login(entries[0].owner)

    response = client.get(reverse("applications:detail", args=[entries[0].pk]))

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert ("Wybitny projekt" in page, "data-feedback" in page) == (False, False)

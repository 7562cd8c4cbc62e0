"""Announcements by e-mail: double opt-in, consent with its version, one-click unsubscribe (RFC 8058), each
announcement sent once, in batches, in the subscriber's language, and never before the results are public."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.tasks.signals import task_enqueued
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tokens import hash_token, new_token
from contest.models import AuditEvent
from news import consent, services
from news.models import Delivery, Dispatch, Subscription, SubscriptionConsent
from tests import factories as f
from tests import results_factories as rf

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"
CONFIRM_LINK = re.compile(r"https?://\S+/powiadomienia/potwierdz/([A-Za-z0-9_-]+)/")
UNSUBSCRIBE_LINK = re.compile(r"https?://\S+/powiadomienia/wypisz/([A-Za-z0-9_-]+)/")
SECOND = datetime.timedelta(seconds=1)


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run a call with its on-commit work (e-mails, queued batches) done, as after a real commit."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


@pytest.fixture
def queued():
    seen = []

    def remember(sender, task_result, **kwargs):
        seen.append((task_result.task.name, list(task_result.args)))

    task_enqueued.connect(remember, dispatch_uid="test.news.queued")
    yield seen
    task_enqueued.disconnect(dispatch_uid="test.news.queued")


def post_subscribe(client, email, **extra):
    data = {"email": email, "consent": "on", "consent_version": consent.VERSION, **extra}
    return client.post(reverse("news:subscribe"), data)


def subscribe_and_confirm(email, language="en"):
    """A confirmed subscriber, made through the services, without the e-mails."""
    services.subscribe(email, language=language, consent_version=consent.VERSION)
    subscription = Subscription.objects.get(email=email)
    token, token_hash = new_token()
    Subscription.objects.filter(pk=subscription.pk).update(token_hash=token_hash)
    services.confirm(token)
    cache.delete(f"news:mail:{hash_token(email)}")  # made long ago: its confirmation e-mail limits nothing now
    return Subscription.objects.get(pk=subscription.pk)


def announcements(mailoutbox):
    return [m for m in mailoutbox if "Samorządowy Lider Zarządzania:" in m.subject]


# --- double opt-in ---------------------------------------------------------------------------------------------------


def test_subscribe_sends_one_confirmation_and_no_announcement_before_confirming(
    client, mailoutbox, run_on_commit
):
    f.EditionFactory(phase="announced")
    response = run_on_commit(post_subscribe, client, "Jan.Kowalski@Example.PL ")
    assert (response.status_code, response["Location"]) == (302, reverse("news:check_inbox"))
    [confirmation] = mailoutbox
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.state, confirmation.to) == (
        "jan.kowalski@example.pl",
        "pending",
        ["jan.kowalski@example.pl"],
    )
    run_on_commit(call_command, "send_announcements")
    assert (Dispatch.objects.get().recipients, announcements(mailoutbox)) == (0, [])


def test_check_inbox_page_answers(client):
    response = client.get(reverse("news:check_inbox"))
    assert (response.status_code, "Check your inbox" in response.content.decode()) == (200, True)


def test_confirm_link_opened_by_get_changes_nothing_and_the_button_confirms(client, mailoutbox, run_on_commit):
    run_on_commit(post_subscribe, client, "anna@example.pl")
    token = CONFIRM_LINK.search(mailoutbox[0].body).group(1)
    url = reverse("news:confirm", args=[token])
    page = client.get(url)
    assert (page.status_code, f'action="{url}"' in page.content.decode()) == (200, True)
    assert Subscription.objects.get().confirmed_at is None  # a mail scanner's visit confirms nothing
    response = client.post(url)
    assert (response.status_code, Subscription.objects.get().state) == (200, "confirmed")
    assert AuditEvent.objects.filter(action="news.subscription_confirmed").count() == 1


def test_confirm_needs_the_csrf_token_like_every_form_but_the_one_click_unsubscribe(mailoutbox, run_on_commit):
    browser = Client(enforce_csrf_checks=True)
    run_on_commit(services.subscribe, "ola@example.pl", language="en", consent_version=consent.VERSION)
    token = CONFIRM_LINK.search(mailoutbox[0].body).group(1)
    assert browser.post(reverse("news:confirm", args=[token])).status_code == 403
    assert Subscription.objects.get().confirmed_at is None


def test_confirmation_link_expires(client, mailoutbox, run_on_commit, settings):
    run_on_commit(post_subscribe, client, "late@example.pl")
    token = CONFIRM_LINK.search(mailoutbox[0].body).group(1)
    Subscription.objects.update(token_sent_at=timezone.now() - datetime.timedelta(days=8))
    response = client.post(reverse("news:confirm", args=[token]))
    assert (response.status_code, Subscription.objects.get().confirmed_at) == (404, None)
    assert "expired" in response.content.decode()


def test_a_wrong_confirmation_token_confirms_nothing(client, mailoutbox, run_on_commit):
    run_on_commit(post_subscribe, client, "anna@example.pl")
    token = CONFIRM_LINK.search(mailoutbox[0].body).group(1)
    wrong = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for bad in (wrong, "short", "x" * 200, "a" * 40 + "%27%3B--"):
        assert client.post(f"/powiadomienia/potwierdz/{bad}/").status_code == 404
    assert Subscription.objects.get().confirmed_at is None


# --- consent ---------------------------------------------------------------------------------------------------------


def test_consent_is_recorded_with_the_text_and_version_shown(client, run_on_commit):
    page = client.get(reverse("news:subscribe"))
    assert (page.status_code, str(consent.TEXT) in page.content.decode()) == (200, True)
    run_on_commit(post_subscribe, client, "zgoda@example.pl")
    [given] = SubscriptionConsent.objects.all()
    assert (given.subscription.email, given.text_version, given.text, given.language) == (
        "zgoda@example.pl",
        consent.VERSION,
        str(consent.TEXT),
        "en",
    )


def test_subscribing_without_the_consent_stores_nothing(client, mailoutbox, run_on_commit):
    response = run_on_commit(
        client.post, reverse("news:subscribe"), {"email": "nie@example.pl", "consent_version": consent.VERSION}
    )
    assert (response.status_code, "Tick the box" in response.content.decode()) == (200, True)
    assert (Subscription.objects.count(), mailoutbox) == (0, [])


def test_a_consent_text_changed_since_the_page_was_shown_is_asked_again(client, mailoutbox, run_on_commit):
    response = run_on_commit(post_subscribe, client, "stara@example.pl", consent_version="2020-old")
    body = response.content.decode()
    assert (response.status_code, "The consent text has changed" in body) == (200, True)
    assert f'value="{consent.VERSION}"' in body and 'checked' not in body
    assert (Subscription.objects.count(), SubscriptionConsent.objects.count(), mailoutbox) == (0, 0, [])


# --- the same answer whatever the address ----------------------------------------------------------------------------


def test_subscribing_twice_answers_the_same_and_sends_one_e_mail(client, mailoutbox, run_on_commit):
    first = run_on_commit(post_subscribe, client, "dwa@example.pl")
    second = run_on_commit(post_subscribe, client, "DWA@example.pl")
    assert (first.status_code, first["Location"]) == (second.status_code, second["Location"])
    assert (len(mailoutbox), Subscription.objects.count()) == (1, 1)


def test_a_confirmed_address_gets_the_same_answer_and_no_confirmation_link(client, mailoutbox, run_on_commit):
    subscribe_and_confirm("jest@example.pl")
    new = run_on_commit(post_subscribe, client, "nowy@example.pl")
    known = run_on_commit(post_subscribe, client, "jest@example.pl")
    assert (known.status_code, known["Location"]) == (new.status_code, new["Location"])
    # The known address gets no confirmation link (it is confirmed), only a note with its unsubscribe link.
    [note] = [m for m in mailoutbox if m.to == ["jest@example.pl"]]
    assert (CONFIRM_LINK.search(note.body), bool(UNSUBSCRIBE_LINK.search(note.body))) == (None, True)
    assert Subscription.objects.get(email="jest@example.pl").state == "confirmed"


def test_a_new_confirmation_link_only_after_the_interval(client, mailoutbox, run_on_commit, settings):
    settings.NEWS_CONFIRMATION_INTERVAL_MINUTES = 10
    run_on_commit(post_subscribe, client, "znowu@example.pl")
    first = CONFIRM_LINK.search(mailoutbox[0].body).group(1)
    run_on_commit(post_subscribe, client, "znowu@example.pl")
    assert len(mailoutbox) == 1
    cache.delete(f"news:mail:{hash_token('znowu@example.pl')}")  # the interval has passed
    run_on_commit(post_subscribe, client, "znowu@example.pl")
    second = CONFIRM_LINK.search(mailoutbox[1].body).group(1)
    assert (client.get(reverse("news:confirm", args=[first])).status_code, len(mailoutbox)) == (404, 2)
    assert client.post(reverse("news:confirm", args=[second])).status_code == 200


def test_one_network_cannot_subscribe_unlimited_addresses(client, mailoutbox, run_on_commit, settings):
    settings.NEWS_SUBSCRIBE_PER_IP_PER_HOUR = 3
    answers = [run_on_commit(post_subscribe, client, f"ofiara{n}@example.pl").status_code for n in range(5)]
    assert (answers, len(mailoutbox)) == ([302, 302, 302, 429, 429], 3)


# --- unsubscribing ---------------------------------------------------------------------------------------------------


def one_announcement(mailoutbox, run_on_commit, email="czytelnik@example.pl"):
    subscription = subscribe_and_confirm(email)
    f.EditionFactory(phase="announced")
    run_on_commit(services.send_due_announcements)
    [message] = [m for m in announcements(mailoutbox) if m.to == [email]]
    return subscription, message


def test_every_announcement_has_the_one_click_headers_and_the_link_in_its_text(mailoutbox, run_on_commit):
    _subscription, message = one_announcement(mailoutbox, run_on_commit)
    link = UNSUBSCRIBE_LINK.search(message.body).group(0)
    assert (message.extra_headers["List-Unsubscribe"], message.extra_headers["List-Unsubscribe-Post"]) == (
        f"<{link}>",
        "List-Unsubscribe=One-Click",
    )
    sent = message.message()
    assert (sent["List-Unsubscribe"], sent["List-Unsubscribe-Post"]) == (f"<{link}>", "List-Unsubscribe=One-Click")


def test_the_confirmation_e_mail_has_the_headers_too(client, mailoutbox, run_on_commit):
    run_on_commit(post_subscribe, client, "naglowki@example.pl")
    [message] = mailoutbox
    link = UNSUBSCRIBE_LINK.search(message.body).group(0)
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_one_click_post_unsubscribes_without_session_or_csrf_token(mailoutbox, run_on_commit):
    subscription, message = one_announcement(mailoutbox, run_on_commit)
    url = message.extra_headers["List-Unsubscribe"].strip("<>").removeprefix(SITE)
    mail_client = Client(enforce_csrf_checks=True)  # no cookie, no token: what a mail provider sends
    response = mail_client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    subscription.refresh_from_db()
    assert (response.status_code, subscription.state) == (200, "unsubscribed")
    assert AuditEvent.objects.filter(action="news.unsubscribed").count() == 1


def test_unsubscribe_link_opened_by_get_shows_a_button_and_changes_nothing(client, mailoutbox, run_on_commit):
    subscription, message = one_announcement(mailoutbox, run_on_commit)
    url = message.extra_headers["List-Unsubscribe"].strip("<>").removeprefix(SITE)
    page = client.get(url)
    subscription.refresh_from_db()
    assert (page.status_code, f'action="{url}"' in page.content.decode(), subscription.state) == (
        200,
        True,
        "confirmed",
    )


def test_a_wrong_unsubscribe_token_does_nothing(mailoutbox, run_on_commit):
    subscription, message = one_announcement(mailoutbox, run_on_commit)
    token = UNSUBSCRIBE_LINK.search(message.body).group(1)
    mail_client = Client(enforce_csrf_checks=True)
    for bad in (token[:-1] + ("x" if token[-1] != "x" else "y"), new_token()[0], "abc"):
        assert mail_client.post(reverse("news:unsubscribe", args=[bad])).status_code == 404
    subscription.refresh_from_db()
    assert subscription.state == "confirmed"


def test_unsubscribing_twice_changes_nothing_and_the_confirmation_link_cancels_a_request(
    client, mailoutbox, run_on_commit
):
    run_on_commit(post_subscribe, client, "rezygnuje@example.pl")
    token = UNSUBSCRIBE_LINK.search(mailoutbox[0].body).group(1)
    assert client.post(reverse("news:unsubscribe", args=[token])).status_code == 200
    again = client.post(reverse("news:unsubscribe", args=[token]))
    assert (again.status_code, "unsubscribed earlier" in again.content.decode()) == (200, True)
    assert (Subscription.objects.get().state, AuditEvent.objects.filter(action="news.unsubscribed").count()) == (
        "unsubscribed",
        1,
    )
    # The cancelled request's confirmation link is dead.
    assert client.post(reverse("news:confirm", args=[token])).status_code == 404


def test_subscribing_again_after_unsubscribing_works(client, mailoutbox, run_on_commit):
    subscription, message = one_announcement(mailoutbox, run_on_commit, email="wraca@example.pl")
    client.post(UNSUBSCRIBE_LINK.search(message.body).group(0).removeprefix(SITE))
    cache.clear()  # later than the interval between two e-mails
    mailoutbox.clear()
    run_on_commit(post_subscribe, client, "wraca@example.pl")
    token = CONFIRM_LINK.search(mailoutbox[0].body).group(1)
    assert client.post(reverse("news:confirm", args=[token])).status_code == 200
    assert sorted((s.email, s.state) for s in Subscription.objects.all()) == [
        ("wraca@example.pl", "confirmed"),
        ("wraca@example.pl", "unsubscribed"),
    ]
    assert SubscriptionConsent.objects.filter(subscription__email="wraca@example.pl").count() == 2


# --- dispatches ------------------------------------------------------------------------------------------------------


def test_an_announcement_goes_out_once_when_the_command_runs_twice(mailoutbox, run_on_commit):
    subscribe_and_confirm("raz@example.pl")
    subscribe_and_confirm("dwa@example.pl")
    edition = f.EditionFactory(phase="announced")
    run_on_commit(call_command, "send_announcements")
    run_on_commit(call_command, "send_announcements")
    assert sorted(m.to[0] for m in announcements(mailoutbox)) == ["dwa@example.pl", "raz@example.pl"]
    dispatch = Dispatch.objects.get()
    assert (dispatch.kind, dispatch.edition, dispatch.recipients, dispatch.sent) == (
        "call_published",
        edition,
        2,
        2,
    )


def test_a_second_dispatch_of_the_same_announcement_is_refused(run_on_commit):
    edition = f.EditionFactory(phase="announced")
    first = run_on_commit(services.start_dispatch, Dispatch.Kind.CALL_PUBLISHED, edition)
    second = run_on_commit(services.start_dispatch, Dispatch.Kind.CALL_PUBLISHED, edition)
    assert (first is not None, second, Dispatch.objects.count()) == (True, None, 1)


def test_a_batch_run_twice_sends_each_message_once(mailoutbox, run_on_commit, settings):
    subscribers = [subscribe_and_confirm(f"p{n}@example.pl") for n in range(3)]
    edition = f.EditionFactory(phase="announced")
    dispatch = Dispatch.objects.create(kind=Dispatch.Kind.CALL_PUBLISHED, edition=edition)
    ids = [s.pk for s in subscribers]
    assert (services.send_batch(dispatch.pk, ids), services.send_batch(dispatch.pk, ids)) == (3, 0)
    assert len(announcements(mailoutbox)) == 3


def test_results_are_announced_at_the_second_they_are_public_and_not_one_second_before(
    mailoutbox, run_on_commit
):
    subscribe_and_confirm("wyniki@example.pl")
    moment = (timezone.now() + datetime.timedelta(hours=1)).replace(microsecond=0)
    edition = f.EditionFactory(phase="deliberation", results_at=moment)
    rf.published_entry(edition, "Partnerstwo Doliny Bobru")  # prepared at the lock, public at results_at
    run_on_commit(services.send_due_announcements, at=moment - SECOND)
    assert (Dispatch.objects.count(), announcements(mailoutbox)) == (0, [])
    run_on_commit(services.send_due_announcements, at=moment)
    [message] = announcements(mailoutbox)
    dispatch = Dispatch.objects.get()
    assert (dispatch.kind, dispatch.edition, f"edition {edition.number}" in message.subject) == (
        "results_published",
        edition,
        True,
    )


def test_a_late_committees_publication_is_announced_when_it_is_prepared(mailoutbox, run_on_commit):
    """results_at passed three weeks ago with nothing locked (nothing announced then); the record prepared now is
    announced now, once."""
    subscribe_and_confirm("spoznione@example.pl")
    edition = f.EditionFactory(phase="results", results_at=timezone.now() - datetime.timedelta(days=21))
    run_on_commit(services.send_due_announcements)
    assert (Dispatch.objects.count(), announcements(mailoutbox)) == (0, [])
    rf.published_entry(edition, "Partnerstwo Doliny Bobru")
    run_on_commit(services.send_due_announcements)
    run_on_commit(services.send_due_announcements)
    assert (list(Dispatch.objects.values_list("kind", "edition")), len(announcements(mailoutbox))) == (
        [("results_published", edition.pk)],
        1,
    )


def test_withdrawn_results_are_not_announced(mailoutbox, run_on_commit):
    subscribe_and_confirm("wycofane@example.pl")
    edition = f.EditionFactory(
        phase="results", results_at=timezone.now() - SECOND, results_withdrawn_at=timezone.now()
    )
    rf.published_entry(edition, "Partnerstwo Doliny Bobru")
    run_on_commit(services.send_due_announcements)
    assert (Dispatch.objects.count(), announcements(mailoutbox)) == (0, [])


def test_a_first_run_does_not_announce_the_archive(mailoutbox, run_on_commit):
    subscribe_and_confirm("archiwum@example.pl")
    f.EditionFactory(phase="results")  # results published 120 days ago
    f.EditionFactory(phase="archived")
    f.EditionFactory(phase="scoring")  # call closed long ago
    f.EditionFactory(phase="draft")
    run_on_commit(services.send_due_announcements)
    assert (Dispatch.objects.count(), announcements(mailoutbox)) == (0, [])


def test_the_deadline_is_announced_within_seven_days_and_not_with_the_call_nor_after_it(mailoutbox, run_on_commit):
    subscribe_and_confirm("termin@example.pl")
    now = timezone.now().replace(microsecond=0)
    edition = f.EditionFactory(phase="submissions", submission_deadline=now + datetime.timedelta(days=3))
    run_on_commit(services.send_due_announcements, at=now)
    assert list(Dispatch.objects.values_list("kind", flat=True)) == ["call_published"]
    run_on_commit(services.send_due_announcements, at=now + datetime.timedelta(days=1, seconds=1))
    assert sorted(Dispatch.objects.values_list("kind", flat=True)) == ["call_published", "deadline_approaching"]
    late = f.EditionFactory(phase="formal_review")  # deadline passed 10 days ago
    run_on_commit(services.send_due_announcements)
    assert Dispatch.objects.filter(edition=late).count() == 0
    assert [m.subject for m in announcements(mailoutbox)][-1].startswith("Samorządowy Lider Zarządzania: applications")
    assert Dispatch.objects.get(kind="deadline_approaching").edition == edition


def test_not_yet_confirmed_and_unsubscribed_people_get_no_announcement(client, mailoutbox, run_on_commit):
    subscribe_and_confirm("tak@example.pl")
    gone = subscribe_and_confirm("odszedl@example.pl")
    Subscription.objects.filter(pk=gone.pk).update(unsubscribed_at=timezone.now())
    services.subscribe("czeka@example.pl", language="en", consent_version=consent.VERSION)
    f.EditionFactory(phase="announced")
    run_on_commit(services.send_due_announcements)
    assert [m.to for m in announcements(mailoutbox)] == [["tak@example.pl"]]


def test_batches_of_the_set_size_each_message_with_its_own_link_in_its_language(
    mailoutbox, run_on_commit, settings, queued
):
    settings.NEWS_BATCH_SIZE = 2
    for n in range(4):
        subscribe_and_confirm(f"en{n}@example.pl", language="en")
    subscribe_and_confirm("pl@example.pl", language="pl")
    f.EditionFactory(phase="announced", number=31, year=2031)
    run_on_commit(services.send_due_announcements)
    sent = announcements(mailoutbox)
    assert ([len(args[1]) for _name, args in queued], Dispatch.objects.get().batches) == ([2, 2, 1], 3)
    links = {UNSUBSCRIBE_LINK.search(m.body).group(1) for m in sent}
    assert (len(sent), len(links), Delivery.objects.filter(dispatch__isnull=False).count()) == (5, 5, 5)
    # No token is ever queued: the task gets ids and makes the tokens itself.
    assert not any(token in str(queued) for token in links)
    by_address = {m.to[0]: m for m in sent}
    assert by_address["en0@example.pl"].subject == (
        "Samorządowy Lider Zarządzania: call for applications to edition 31 (2031)"
    )
    assert by_address["pl@example.pl"].subject == "Samorządowy Lider Zarządzania: nabór wniosków do 31. edycji (2031)"


def test_the_subscriber_language_is_the_page_language(client, run_on_commit):
    client.cookies["django_language"] = "pl"
    run_on_commit(post_subscribe, client, "polski@example.pl")
    client.cookies["django_language"] = "en"
    run_on_commit(post_subscribe, client, "english@example.pl")
    assert dict(Subscription.objects.values_list("email", "language")) == {
        "polski@example.pl": "pl",
        "english@example.pl": "en",
    }


def test_a_batch_sends_in_a_fixed_number_of_queries(
    run_on_commit, settings, django_assert_max_num_queries, mailoutbox
):
    edition = f.EditionFactory(phase="announced")
    counts = []
    for size in (2, 20):
        ids = [subscribe_and_confirm(f"q{size}-{n}@example.pl").pk for n in range(size)]
        dispatch = Dispatch.objects.create(kind=Dispatch.Kind.CALL_PUBLISHED, edition=edition) if size == 2 else (
            Dispatch.objects.create(kind=Dispatch.Kind.DEADLINE_APPROACHING, edition=edition)
        )
        with django_assert_max_num_queries(8) as captured:
            assert services.send_batch(dispatch.pk, ids) == size
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_the_subscribe_page_answers_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _n in range(2):
        with django_assert_max_num_queries(3):
            response = client.get(reverse("news:subscribe"))
        assert response.status_code == 200
        subscribe_and_confirm(f"x{_n}@example.pl")


def test_unconfirmed_requests_are_forgotten_after_twice_the_link_validity(client, run_on_commit):
    run_on_commit(post_subscribe, client, "zapomniany@example.pl")
    subscribe_and_confirm("zostaje@example.pl")
    Subscription.objects.update(token_sent_at=timezone.now() - datetime.timedelta(days=15))
    assert services.forget_unconfirmed() == 1
    assert (list(Subscription.objects.values_list("email", flat=True)), SubscriptionConsent.objects.count()) == (
        ["zostaje@example.pl"],
        1,
    )


# --- hostile input ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "error"),
    [
        ("not-an-address", "Enter an e-mail address"),
        ("jan@example.pl\r\nBcc: victim@example.com", "single line"),
        ("jan@example.pl\nBcc: victim@example.com", "single line"),
        ("jan@example.pl%0d%0aBcc:victim@example.com", "Enter an e-mail address"),
        ("jan@example.pl, victim@example.com", "Enter an e-mail address"),
        ('"jan\r\n"@example.pl', "single line"),
        ("a" * 60_000 + "@example.pl", "at most 254 characters"),
        ("<script>alert(1)</script>@example.pl", "Enter an e-mail address"),
        ("jan\x00@example.pl", "Null characters are not allowed"),
        ("", "This field is required"),
    ],
)
def test_hostile_addresses_get_a_clear_error_and_nothing_is_stored(client, mailoutbox, run_on_commit, email, error):
    response = run_on_commit(post_subscribe, client, email)
    body = response.content.decode()
    assert (response.status_code, error in body, "<script>alert(1)" in body) == (200, True, False)
    assert (Subscription.objects.count(), SubscriptionConsent.objects.count(), mailoutbox) == (0, 0, [])


@pytest.mark.polish
def test_the_pages_are_polish_first(client):
    page = client.get(reverse("news:subscribe")).content.decode()
    home = client.get(reverse("contest:home")).content.decode()
    assert ("<h1>Powiadomienia e-mailem</h1>" in page, "Chcę otrzymywać e-mailem" in page) == (True, True)
    assert f'href="{reverse("news:subscribe")}"' in home

"""Two organisers (or two tabs) editing one e-mail's text: a save or a restore drawn from an older text is refused
with a clear message and overwrites nothing; the refused text stays in the form; saving it again replaces the other
text knowingly; a double click is not a conflict."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from communications.models import EmailTemplate
from contest.models import AuditEvent
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]

STALE = "Someone else changed this e-mail&#x27;s text after you opened the page; nothing was overwritten."


@pytest.fixture
def edition():
    return f.EditionFactory(phase="submissions")


@pytest.fixture
def url(edition):
    return reverse("communications:edit", args=[edition.year, "receipt", "en"])


def _organiser_client(client_class, email):
    user = get_user_model().objects.create_user(email=email, password="x-Secret-123", is_organiser=True)
    client = client_class()
    client.force_login(user)
    return client


@pytest.fixture
def tabs(client):
    """Two organisers' browsers."""
    return _organiser_client(type(client), "anna@example.com"), _organiser_client(type(client), "jan@example.com")


def _version(client, url):
    """The version the edit page carries, as a browser would send it back."""
    content = client.get(url).content.decode()
    return re.search(r'name="version" value="([^"]*)"', content).group(1)


def test_a_save_drawn_before_another_save_is_refused_and_keeps_both_texts(tabs, url):
    first, second = tabs
    seen_first, seen_second = _version(first, url), _version(second, url)
    saved = first.post(url, {"subject": "Anna's {{ code }}", "body": "Anna's text.", "version": seen_first})

    refused = second.post(url, {"subject": "Jan's {{ code }}", "body": "Jan's text.", "version": seen_second})

    content = refused.content.decode()
    assert (saved.status_code, refused.status_code) == (302, 409)
    assert STALE in content
    assert "Jan&#x27;s text." in content  # his text is still in his form
    stored = EmailTemplate.objects.get()
    assert (stored.subject, stored.body) == ("Anna's {{ code }}", "Anna's text.")
    assert AuditEvent.objects.filter(action="communications.template_saved").count() == 1


def test_saving_again_after_the_refusal_replaces_the_other_text_knowingly(tabs, url):
    first, second = tabs
    seen_second = _version(second, url)
    first.post(url, {"subject": "Anna", "body": "Anna's text.", "version": _version(first, url)})
    refused = second.post(url, {"subject": "Jan", "body": "Jan's text.", "version": seen_second})
    now = re.search(r'name="version" value="([^"]*)"', refused.content.decode()).group(1)

    again = second.post(url, {"subject": "Jan", "body": "Jan's text.", "version": now})

    assert again.status_code == 302
    assert EmailTemplate.objects.get().body == "Jan's text."


def test_a_double_click_is_not_a_conflict(tabs, url):
    first, _second = tabs
    seen = _version(first, url)
    data = {"subject": "Anna", "body": "Anna's text.", "version": seen}

    responses = [first.post(url, data), first.post(url, data)]

    assert [r.status_code for r in responses] == [302, 302]
    assert EmailTemplate.objects.get().body == "Anna's text."


def test_restoring_the_default_from_a_page_drawn_before_another_save_is_refused(tabs, url, edition):
    first, second = tabs
    first.post(url, {"subject": "Anna 1", "body": "First text.", "version": _version(first, url)})
    seen_second = _version(second, url)
    first.post(url, {"subject": "Anna 2", "body": "Second text.", "version": _version(first, url)})

    refused = second.post(url, {"action": "restore", "version": seen_second}, follow=True)

    # Review 17: a refused restore says so (there is no text of this person's in the form to save again).
    assert "the default text was not restored" in refused.content.decode()
    assert EmailTemplate.objects.get().body == "Second text."
    assert not AuditEvent.objects.filter(action="communications.template_restored").exists()


def test_a_save_drawn_before_someone_restored_the_default_is_refused(tabs, url):
    first, second = tabs
    first.post(url, {"subject": "Anna", "body": "Anna's text.", "version": _version(first, url)})
    seen_second = _version(second, url)
    first.post(url, {"action": "restore", "version": _version(first, url)})

    refused = second.post(url, {"subject": "Jan", "body": "Jan's text.", "version": seen_second})

    assert refused.status_code == 409
    assert not EmailTemplate.objects.exists()

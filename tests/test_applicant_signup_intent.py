"""Sign-up intent: "Submit an application" while logged out explains the login page, and the way back to the
application survives sign-up and e-mail confirmation; the confirmation e-mail names the platform, not the host."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from applications.models import Application
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "Partnerstwo-Bobru-2026"
EMAIL = "koordynator@gmina.example"


def link_in(message, path):
    match = re.search(r"https?://[^/\s]+(" + re.escape(path) + r"[^\s]*)", message.body)
    assert match, message.body
    return match.group(1)


def test_submit_while_logged_out_leads_to_a_login_page_that_explains_why(client, edition_in_submissions):
    start = reverse("applications:start", args=[edition_in_submissions.year])
    response = client.get(start, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=")
    assert "data-signup-intent" in page
    assert f"You are submitting an application to edition {edition_in_submissions.number}" in page
    assert f'href="/accounts/signup/?next={start.replace("/", "%2F")}"' in page


def test_login_page_without_an_application_intent_explains_nothing(client, edition_in_submissions):
    for query in ("", "?next=/konto/", "?next=//evil.example.com/wnioski/nowy/2026/", "?next=/wnioski/nowy/1900/"):
        assert "data-signup-intent" not in client.get("/accounts/login/" + query).content.decode()


def test_sign_up_confirm_and_log_in_returns_to_the_application_form(client, edition_in_submissions):
    factories.CategoryFactory(edition=edition_in_submissions)
    start = reverse("applications:start", args=[edition_in_submissions.year])
    signup = client.post(
        "/accounts/signup/", {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD, "next": start}
    )
    assert signup.status_code == 302
    confirm_path = link_in(mail.outbox[-1], "/accounts/confirm-email/")
    assert confirm_path.endswith("?next=" + start.replace("/", "%2F"))
    # The link may be opened in another browser: the way back travels in the link, not in the session.
    client.logout()
    client.cookies.clear()
    confirm_page = client.get(confirm_path).content.decode()
    assert f'name="next" value="{start}"' in confirm_page
    confirmed = client.post(confirm_path, {"next": start}, follow=True)
    login_url = confirmed.redirect_chain[-1][0]
    assert login_url == f"/accounts/login/?next={start}"
    assert "data-signup-intent" in confirmed.content.decode()
    logged_in = client.post(login_url, {"login": EMAIL, "password": PASSWORD, "next": start})
    assert (logged_in.status_code, logged_in["Location"]) == (302, start)
    assert client.get(start).status_code == 200
    assert Application.objects.count() == 0


@pytest.mark.parametrize("hostile", ["https://evil.example.com/", "//evil.example.com/", "javascript:alert(1)"])
def test_a_foreign_next_is_not_carried_into_the_confirmation_link(client, hostile):
    client.post("/accounts/signup/", {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD, "next": hostile})
    body = mail.outbox[-1].body
    assert "evil.example.com" not in body and "javascript" not in body
    assert "next=" not in link_in(mail.outbox[-1], "/accounts/confirm-email/")


@pytest.mark.polish
def test_confirmation_email_reads_in_polish_and_names_the_platform(client):
    client.post("/accounts/signup/", {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD})
    message = mail.outbox[-1]
    assert message.subject == "[SLZ] Potwierdź adres e-mail na platformie konkursu"
    assert message.body.startswith("Dzień dobry,")
    assert "„Samorządowy Lider Zarządzania – Razem dla Rozwoju”" in message.body
    assert ("testserver" in message.body.split("http")[0], "Witamy z" in message.body) == (False, False)

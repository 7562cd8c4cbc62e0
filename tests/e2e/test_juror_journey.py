"""A juror's whole way in a real browser: invitation e-mail, registration, TOTP, declaration, a complete scorecard."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail

from jury import services
from jury.models import JuryMember, Scorecard
from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Komisja-Konkursowa-2026"
JUSTIFICATION = "Problem dobrze zdiagnozowany, rezultaty zmierzone i opisane wraz ze źródłem danych."


def totp_code(secret):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def checked(page, check_accessibility):
    assert page.problems.console_errors == [], page.problems.console_errors
    check_accessibility(page)


def test_juror_from_invitation_to_submitted_scorecard(page, live_server, check_accessibility, settings):
    settings.REQUIRE_MFA_FOR_STAFF = True
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    edition = f.EditionFactory(phase="scoring", min_justification_length=30)
    criteria = [
        f.CriterionFactory(edition=edition, name="Trafność diagnozy", max_points=10, order=1),
        f.CriterionFactory(edition=edition, name="Trwałość", max_points=5, requires_justification=False, order=2),
    ]
    requirement = f.AttachmentRequirementFactory(edition=edition, name="Materiały o rezultatach", visible_to_jury=True)
    entry = f.identified_jury_entry(edition, f.JURY_IDENTITIES[0], 1)
    f.AttachmentFactory(application=entry, requirement=requirement)
    organiser = f.UserFactory(email="organiser@example.com", is_organiser=True)
    f.sign_off(entry, by=organiser)

    services.invite(edition, ["nowy.juror@example.com"], by=organiser)
    [message] = mail.outbox
    # Links in e-mails are built from SITE_URL; the browser follows the path on the live server.
    link = live_server.url + re.search(r"https?://[^/\s]+(/jury/invitation/\S+/)", message.body).group(1)

    # The invitation: a new person sets a password; the e-mail is confirmed by the link.
    page.goto(link)
    checked(page, check_accessibility)
    page.get_by_label("Full name").fill("Nowy Juror")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Create my account and join the jury").click()
    page.wait_for_load_state()
    member = JuryMember.objects.get(user__email="nowy.juror@example.com")
    services.assign(member, entry, by=organiser)

    # Two-factor authentication is required before anything of the jury.
    assert "/accounts/2fa/" in page.url
    page.goto("/accounts/2fa/totp/activate/")
    checked(page, check_accessibility)
    if "/accounts/reauthenticate/" in page.url:  # allauth confirms the password before adding a second factor
        checked(page, check_accessibility)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_load_state()

    # The declaration comes before any entry.
    page.goto("/jury/")
    assert page.url.endswith(f"/jury/{edition.year}/declaration/")
    checked(page, check_accessibility)
    page.locator("#id_confirm").check()
    page.get_by_role("button", name="Sign the declaration").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/jury/{edition.year}/")
    checked(page, check_accessibility)

    # The entry, blind.
    page.get_by_role("link", name=entry.code, exact=True).click()
    page.wait_for_load_state()
    checked(page, check_accessibility)
    body = page.locator("main").inner_text()
    assert [s for s in f.identifying_strings(f.JURY_IDENTITIES[0]) if s in body] == []

    # The scorecard: a missing justification is caught and linked from the error summary.
    page.get_by_role("link", name="Score this entry").click()
    page.wait_for_load_state()
    checked(page, check_accessibility)
    page.locator(f"#id_points_{criteria[0].pk}").fill("8")
    page.locator(f"#id_points_{criteria[1].pk}").fill("4")
    page.get_by_role("button", name="Submit scorecard").click()
    page.wait_for_load_state()
    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    check_accessibility(page)
    page.problems.console_errors.clear()  # the refused form answered 400 on purpose
    summary.get_by_role("link").first.click()
    page.locator(f"#id_justification_{criteria[0].pk}").fill(JUSTIFICATION)
    page.get_by_label("Overall comment").fill("Dojrzały projekt partnerski.")
    page.get_by_role("button", name="Submit scorecard").click()
    page.wait_for_load_state()
    assert urlparse(page.url).path == f"/jury/{edition.year}/"
    assert page.get_by_text("Your scorecard is submitted.").is_visible()
    checked(page, check_accessibility)
    card = Scorecard.objects.get(member=member, application=entry)
    assert (card.status, card.revision, sorted(card.scores.values_list("points", flat=True))) == (
        "submitted",
        1,
        [4, 8],
    )


def test_organiser_jury_pages_in_the_browser(page, live_server, check_accessibility, settings):
    settings.REQUIRE_MFA_FOR_STAFF = False
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    edition = f.EditionFactory(phase="scoring")
    f.CriterionFactory(edition=edition)
    entries = [f.identified_jury_entry(edition, identity, n) for n, identity in enumerate(f.JURY_IDENTITIES, 1)]
    jurors = [f.declared_juror(edition) for _ in range(3)]
    f.UserFactory(email="organiser@example.com", is_organiser=True)
    services.add_conflict(jurors[0], entries[0], "Rodzina", by=f.UserFactory(is_organiser=True))

    page.goto("/accounts/login/")
    page.locator("#id_login").fill("organiser@example.com")
    page.locator("#id_password").fill("correct-horse-battery")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    page.goto(f"/jury/{edition.year}/manage/assignment/")
    checked(page, check_accessibility)
    page.get_by_label("Each entry gets a fixed number of jurors").check()
    page.get_by_label("Jurors per entry").fill("2")
    page.get_by_role("button", name="Assign automatically").click()
    page.wait_for_load_state()
    assert page.get_by_text("Assignment done: 6 assignments").is_visible()
    checked(page, check_accessibility)

    page.goto(f"/jury/{edition.year}/manage/members/")
    checked(page, check_accessibility)
    page.get_by_label("E-mail addresses").fill("a@example.com\nb@example.com")
    page.get_by_role("button", name="Send invitations").click()
    page.wait_for_load_state()
    assert len(mail.outbox) == 2

    for path in ["manage/", "manage/conflicts/", f"manage/entries/{entries[1].code}/anonymised/"]:
        page.goto(f"/jury/{edition.year}/{path}")
        checked(page, check_accessibility)

"""Review of issue 9, finding 1: reasons typed by organisers and jurors go into the hash-chained audit trail, which
can never be erased, so every form that takes one refuses e-mail addresses and phone numbers (keeping what was
typed), and contest.audit.record refuses an e-mail in a reason as a guard for programmers."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications import services as application_services
from applications.models import Status
from contest import audit
from contest.models import AuditEvent
from contest.validators import find_email, find_phone, validate_no_contact_details
from jury import services
from jury.models import Assignment, ConflictOfInterest, DecisionLock
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]

EMAIL_REASON = "Uzgodnione z jan.kowalski@example.com podczas posiedzenia."
PHONE_REASON = "Kontakt z jurorem: tel. 600 700 800, potwierdził brak powiązań."



@pytest.fixture
def edition():
    return f.EditionFactory(phase="deliberation")


@pytest.fixture
def organiser():
    return f.UserFactory(email="organiser@example.com", is_organiser=True, is_staff=True)


def _url(name, edition, *args):
    return reverse(f"jury:{name}", args=[edition.year, *args])


# The one validator -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Zgodnie z mailem od anna.nowak@gmina.pl",
        "tel. 600700800",
        "600 700 800",
        "600-700-800",
        "(22) 123 45 67",
        "+48 600 700 800",
        "0048 22 123 45 67",
        "48 600 700 800",
        "kom. 600700800",
    ],
)
def test_validator_refuses_an_email_or_a_phone_number(text):
    with pytest.raises(ValidationError) as refused:
        validate_no_contact_details(text)

    assert refused.value.code in ("email_in_reason", "phone_in_reason")


@pytest.mark.parametrize(
    "text",
    [
        "Koniec obrad komisji 2025-03-01, godz. 12:30.",
        "Juror pracował w gminie partnera do 2019 r.; od 2020 brak powiązań.",
        "NIP 123-456-32-18 należy do innej spółki.",
        "REGON 123456785 to inna jednostka.",
        "KRS 0000123456",
        "Kwota projektu 150 000 000 zł.",
        "61-001 Poznań",
        "Wniosek SLZ-2026-007, 12/20 punktów.",
    ],
)
def test_validator_lets_ordinary_reasons_through(text):
    validate_no_contact_details(text)

    assert (find_email(text), find_phone(text)) == (None, None)


# The programmers' guard ----------------------------------------------------------------------------------------------


def test_record_refuses_an_email_in_the_reason_and_writes_nothing(edition):
    with pytest.raises(audit.PersonalDataInAudit, match=r"reason .* must not hold e-mail addresses"):
        audit.record("test.reason", edition=edition, reason=EMAIL_REASON)

    assert AuditEvent.objects.count() == 0


def test_record_refusal_is_a_value_error_as_for_data(edition):
    with pytest.raises(ValueError):
        audit.record("test.reason", edition=edition, reason="x@example.org")


def test_service_called_with_an_email_reason_leaves_the_decisions_unlocked(edition, organiser):
    with pytest.raises(audit.PersonalDataInAudit):
        services.lock_decisions(edition, reason=EMAIL_REASON, by=organiser)

    assert (DecisionLock.objects.count(), AuditEvent.objects.count()) == (0, 0)


# Every form that takes such a reason ---------------------------------------------------------------------------------


def test_lock_form_with_an_email_is_refused_with_the_text_kept(client, edition, organiser):
    client.force_login(organiser)

    response = client.post(_url("decisions_lock", edition), {"reason": EMAIL_REASON})

    html = response.content.decode()
    assert (response.status_code, DecisionLock.objects.count(), AuditEvent.objects.count()) == (400, 0, 0)
    assert ("Remove the e-mail address" in html, EMAIL_REASON in html) == (True, True)


def test_unlock_form_with_a_phone_number_is_refused_and_the_lock_stays(client, edition, organiser):
    services.lock_decisions(edition, reason="Koniec obrad.", by=organiser)
    client.force_login(organiser)

    response = client.post(_url("decisions_unlock", edition), {"reason": PHONE_REASON})

    html = response.content.decode()
    assert (response.status_code, DecisionLock.objects.count()) == (400, 1)
    assert ("Remove the phone number" in html, PHONE_REASON in html) == (True, True)
    assert not AuditEvent.objects.filter(action="jury.decisions_unlocked").exists()


def test_lifting_a_conflict_with_an_email_is_refused_the_conflict_stays_and_the_text_is_shown(
    client, edition, organiser
):
    juror = f.declared_juror(edition)
    conflict = services.add_conflict(juror, f.jury_entry(edition, 1), "Powiązania rodzinne.", by=organiser)
    client.force_login(organiser)

    response = client.post(_url("conflict_lift", edition, conflict.pk), {"reason": EMAIL_REASON})

    conflict.refresh_from_db()
    html = response.content.decode()
    assert (response.status_code, conflict.is_active) == (400, True)
    assert ("Remove the e-mail address" in html, EMAIL_REASON in html) == (True, True)
    assert not AuditEvent.objects.filter(action="jury.conflict_lifted").exists()


def test_adding_a_conflict_with_a_phone_number_is_refused(client, edition, organiser):
    juror = f.declared_juror(edition)
    entry = f.jury_entry(edition, 1)
    client.force_login(organiser)

    response = client.post(
        _url("conflict_add", edition), {"member": juror.pk, "entry": entry.pk, "reason": PHONE_REASON}
    )

    assert (response.status_code, ConflictOfInterest.objects.count()) == (400, 0)
    assert ("Remove the phone number" in response.text, PHONE_REASON in response.text) == (True, True)


def test_juror_declaring_a_conflict_with_an_email_is_refused_with_the_text_kept(client):
    edition = f.EditionFactory(phase="scoring")
    juror = f.declared_juror(edition, user=f.UserFactory(email="juror@example.com"))
    entry = f.jury_entry(edition, 1)
    Assignment.objects.create(member=juror, application=entry)
    f.sign_off(entry)
    client.force_login(juror.user)

    response = client.post(_url("declare_conflict", edition, entry.code), {"reason": EMAIL_REASON})

    assert (response.status_code, ConflictOfInterest.objects.count()) == (400, 0)
    assert ("Remove the e-mail address" in response.text, EMAIL_REASON in response.text) == (True, True)


def test_formal_rejection_with_a_phone_number_is_refused_with_the_text_kept(client, organiser):
    applicant = f.UserFactory()
    application = f.complete_application(edition=f.EditionFactory(phase="submissions"), owner=applicant)
    application_services.submit(application, by=applicant)
    client.force_login(organiser)

    response = client.post(
        reverse("applications:review", args=[application.pk]),
        {"action": "decide", "decision": "reject", "reason": PHONE_REASON},
    )

    application.refresh_from_db()
    assert (response.status_code, application.status) == (400, Status.SUBMITTED)
    assert ("Remove the phone number" in response.text, PHONE_REASON in response.text) == (True, True)
    assert not AuditEvent.objects.filter(action="application.status", to_state=Status.REJECTED).exists()


def test_withdrawal_with_an_email_reason_is_refused(client):
    applicant = f.UserFactory()
    application = f.complete_application(edition=f.EditionFactory(phase="submissions"), owner=applicant)
    application_services.submit(application, by=applicant)
    client.force_login(applicant)

    response = client.post(reverse("applications:withdraw", args=[application.pk]), {"reason": EMAIL_REASON})

    application.refresh_from_db()
    assert (response.status_code, application.status) == (302, Status.SUBMITTED)
    assert "Remove the e-mail address" in client.get(response["Location"]).text


@pytest.mark.polish
def test_lock_form_refusal_reads_in_polish(client, edition, organiser):
    client.force_login(organiser)

    response = client.post(_url("decisions_lock", edition), {"reason": PHONE_REASON})

    assert (response.status_code, "Usuń numer telefonu" in response.text) == (400, True)

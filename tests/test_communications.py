"""Communications: an edition's own text of the platform's e-mails (placeholders, preview, default), the sent-mail
log (through a real SMTP server, up and down), messages to the applicants of a list, and the jurors' reminder."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications import services as application_services
from applications.models import Status
from applications.tasks import recipients
from communications import mail as communications_mail
from communications import placeholders
from communications.kinds import DEFAULTS, MESSAGE_PLACEHOLDERS, PLACEHOLDERS, Kind
from communications.models import ApplicantMessage, EmailTemplate, SentEmail
from contest import emails
from contest.models import AuditEvent
from jury import services as jury_services
from tests import factories as f
from tests.smtp_server import SMTPServer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]

RECEIPT = PLACEHOLDERS[Kind.RECEIPT]


def logging_mailers(delivery):
    """MAILERS as in production: the sent-mail log in front of the mailer that delivers."""
    return {
        "default": {"BACKEND": "communications.backends.LoggingBackend", "OPTIONS": {"delivery": "delivery"}},
        "delivery": delivery,
    }


@pytest.fixture
def logged(settings):
    """The sent-mail log in front of the test outbox."""
    settings.MAILERS = logging_mailers({"BACKEND": "django.core.mail.backends.locmem.EmailBackend"})


@pytest.fixture
def smtp(settings):
    server = SMTPServer()
    server.start()
    settings.MAILERS = logging_mailers(server.mailer)
    yield server
    server.stop()


def edit_url(edition, kind="receipt", language="en"):
    return reverse("communications:edit", args=[edition.year, kind, language])


# --- placeholders: plain substitution, nothing else --------------------------------------------------------------


def test_render_fills_placeholders_by_either_name():
    text = "{{ kod }} / {{code}} / {{  tytul  }}"

    assert placeholders.render(text, RECEIPT, {"code": "SLZ-1", "title": "T"}) == "SLZ-1 / SLZ-1 / T"


def test_check_refuses_an_unknown_placeholder_naming_it():
    with pytest.raises(placeholders.TemplateError) as refused:
        placeholders.check("Hello {{ kod }} {{ nazwisko }}", RECEIPT)

    assert refused.value.problems == ["{{ nazwisko }}"]


def test_check_refuses_unpaired_braces():
    with pytest.raises(placeholders.TemplateError) as refused:
        placeholders.check("Hello {{ kod }", RECEIPT)

    assert (refused.value.unbalanced, refused.value.problems) == (True, ["{{"])


def test_attribute_paths_filters_and_tags_are_not_placeholders():
    for hostile in (
        "{{ application.owner.password }}",
        "{{ kod|upper }}",
        "{{ settings.SECRET_KEY }}",
        "{% debug %}{{",
    ):
        with pytest.raises(placeholders.TemplateError):
            placeholders.check(hostile, RECEIPT)


def test_format_fields_and_values_stay_literal():
    """str.format syntax means nothing, and a value that looks like a placeholder is not expanded again."""
    text = "{0.__class__} {code} {{ kod }}"

    assert placeholders.render(text, RECEIPT, {"code": "{{ tytul }}", "title": "SECRET"}) == (
        "{0.__class__} {code} {{ tytul }}"
    )


def test_a_line_break_in_a_value_cannot_add_a_header():
    subject, _body = communications_mail.render(
        "Re: {{ title }}", "", RECEIPT, {"title": "T\r\nBcc: victim@example.com"}
    )

    assert subject == "Re: T Bcc: victim@example.com"


@pytest.mark.parametrize("kind", list(Kind))
@pytest.mark.parametrize("language", ["pl", "en"])
def test_every_default_text_uses_only_its_placeholders(kind, language):
    subject, body = DEFAULTS[kind][language]

    placeholders.check(subject, PLACEHOLDERS[kind])
    placeholders.check(body, PLACEHOLDERS[kind])


# --- the Communications pages --------------------------------------------------------------------------------------


def test_edit_page_shows_the_default_text_and_the_placeholders(client, organiser):
    edition = f.EditionFactory(phase="submissions")
    client.force_login(organiser)

    content = client.get(edit_url(edition)).content.decode()

    assert 'value="Application {{ code }} submitted"' in content
    assert "{{ data_zlozenia }}" in content  # the list beside the form, Polish and English names
    assert "{{ submitted_at }}" in content


def test_organiser_home_nav_links_to_communications(client, organiser):
    edition = f.EditionFactory(phase="submissions")
    client.force_login(organiser)

    content = client.get(reverse("organiser:home", args=[edition.year])).content.decode()

    assert reverse("communications:index", args=[edition.year]) in content


def test_unknown_placeholder_is_refused_by_name_and_nothing_is_saved(client, organiser):
    edition = f.EditionFactory(phase="submissions")
    client.force_login(organiser)

    response = client.post(
        edit_url(edition), {"subject": "Hi", "body": "Your password: {{ application.owner.password }}"}
    )

    content = response.content.decode()
    assert response.status_code == 400
    assert "Unknown placeholder: {{ application.owner.password }}" in content
    assert 'href="#id_body"' in content  # the error summary links to the field
    assert (EmailTemplate.objects.count(), AuditEvent.objects.filter(action__startswith="communications").count()) == (
        0,
        0,
    )


def test_saving_is_audited_without_the_text(client, organiser):
    edition = f.EditionFactory(phase="submissions")
    client.force_login(organiser)

    response = client.post(edit_url(edition), {"subject": "Got {{ code }}", "body": "Thanks."})

    event = AuditEvent.objects.get(action="communications.template_saved")
    assert response.status_code == 302
    assert (event.actor, event.edition, event.data) == (
        organiser,
        edition,
        {"kind": "receipt", "language": "en", "created": True},
    )


def test_preview_fills_sample_data_and_sends_nothing(client, organiser, logged):
    edition = f.EditionFactory(phase="submissions", year=2027)
    client.force_login(organiser)

    response = client.post(
        edit_url(edition), {"action": "preview", "subject": "Got {{ kod }}", "body": "Edition: {{ edition }}"}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Got SLZ-2027-0042" in content
    assert f"Edition: {edition}" in content
    assert (mail.outbox, SentEmail.objects.count(), EmailTemplate.objects.count()) == ([], 0, 0)


def test_edited_receipt_is_sent_in_the_recipients_language(client, organiser, django_capture_on_commit_callbacks):
    application = f.complete_application()
    edition = application.edition
    client.force_login(organiser)
    client.post(edit_url(edition, language="en"), {"subject": "We got {{ code }}", "body": "Title: {{ title }}."})
    client.post(edit_url(edition, language="pl"), {"subject": "Mamy {{ kod }}", "body": "Tytuł: {{ tytul }}."})

    with django_capture_on_commit_callbacks(execute=True):
        application_services.submit(application, by=application.owner)

    application.refresh_from_db()
    [message] = mail.outbox
    assert (message.subject, message.body) == (f"We got {application.code}", f"Title: {application.title}.")
    assert len(message.attachments) == 1  # the receipt PDF still goes with it
    polish = communications_mail.message(
        Kind.RECEIPT,
        edition=edition,
        values={"code": application.code, "title": application.title},
        to=["a@example.com"],
        template="applications/email/status",
        context={},
        language="pl",
    )
    assert (polish.subject, polish.body) == (f"Mamy {application.code}", f"Tytuł: {application.title}.")


@pytest.mark.polish
def test_polish_site_sends_the_polish_text(django_capture_on_commit_callbacks):
    application = f.complete_application()
    for language, subject in (("pl", "Mamy {{ kod }}"), ("en", "We got {{ code }}")):
        EmailTemplate.objects.create(
            edition=application.edition, kind=Kind.RECEIPT, language=language, subject=subject, body="."
        )

    with django_capture_on_commit_callbacks(execute=True):
        application_services.submit(application, by=application.owner)

    application.refresh_from_db()
    assert [m.subject for m in mail.outbox] == [f"Mamy {application.code}"]


def test_status_email_follows_the_owners_language_of_emails(django_capture_on_commit_callbacks):
    application = f.complete_application(owner=f.UserFactory(email_language="pl"))
    EmailTemplate.objects.create(
        edition=application.edition, kind=Kind.RECEIPT, language="pl", subject="Mamy {{ kod }}", body="."
    )

    with django_capture_on_commit_callbacks(execute=True):
        application_services.submit(application, by=application.owner)

    application.refresh_from_db()
    assert [m.subject for m in mail.outbox] == [f"Mamy {application.code}"]


def test_owner_without_a_choice_gets_the_file_template_in_the_sites_language(django_capture_on_commit_callbacks):
    application = f.complete_application()
    EmailTemplate.objects.create(
        edition=application.edition, kind=Kind.RECEIPT, language="pl", subject="Mamy {{ kod }}", body="."
    )

    with django_capture_on_commit_callbacks(execute=True):
        application_services.submit(application, by=application.owner)

    application.refresh_from_db()
    assert [m.subject for m in mail.outbox] == [f"Application {application.code} submitted"]


def test_restoring_the_default_sends_the_file_template_again(client, organiser, django_capture_on_commit_callbacks):
    application = f.complete_application()
    edition = application.edition
    client.force_login(organiser)
    client.post(edit_url(edition), {"subject": "We got {{ code }}", "body": "Edited."})

    response = client.post(edit_url(edition), {"action": "restore"})
    with django_capture_on_commit_callbacks(execute=True):
        application_services.submit(application, by=application.owner)

    application.refresh_from_db()
    [message] = mail.outbox
    assert response.status_code == 302
    assert EmailTemplate.objects.count() == 0
    assert message.subject == f"Application {application.code} submitted"
    assert AuditEvent.objects.filter(action="communications.template_restored").count() == 1


def test_edited_corrections_email_fills_the_note_and_deadline(organiser, django_capture_on_commit_callbacks):
    edition = f.EditionFactory(phase="formal_review")
    application = f.jury_entry(edition, 1, status=Status.SUBMITTED)
    EmailTemplate.objects.create(
        edition=edition, kind=Kind.CORRECTIONS, language="en", subject="Fix {{ code }}", body="{{ corrections_note }}"
    )
    deadline = timezone.now() + timezone.timedelta(days=7)

    with django_capture_on_commit_callbacks(execute=True):
        application_services.request_corrections(
            application, by=organiser, deadline=deadline, fields=["title"], note="Sign annex 2."
        )

    [message] = mail.outbox
    assert (message.subject, message.body) == (f"Fix {application.code}", "Sign annex 2.")


def test_edited_juror_invitation_carries_the_personal_link(organiser, django_capture_on_commit_callbacks):
    edition = f.EditionFactory(phase="scoring")
    EmailTemplate.objects.create(
        edition=edition,
        kind=Kind.JUROR_INVITATION,
        language="en",
        subject="Join us, {{ edition }}",
        body="Accept: {{ link }}",
    )

    with django_capture_on_commit_callbacks(execute=True):
        [(_invitation, token)] = jury_services.invite(edition, ["new@example.com"], by=organiser)

    [message] = mail.outbox
    assert (message.subject, message.body) == (
        f"Join us, {edition}",
        "Accept: " + emails.absolute_url(reverse("jury:invitation", args=[token])),
    )


def test_receipt_with_its_pdf_is_logged_with_kind_and_edition(logged, django_capture_on_commit_callbacks):
    application = f.complete_application()

    with django_capture_on_commit_callbacks(execute=True):
        application_services.submit(application, by=application.owner)

    [row] = SentEmail.objects.all()
    [message] = mail.outbox
    assert (row.kind, row.template, row.edition, row.status, row.addresses) == (
        "receipt",
        "applications/email/status",
        application.edition,
        "sent",
        [address.lower() for address in message.to],
    )
    assert message.attachments[0][2] == "application/pdf"


@pytest.mark.parametrize("role", ["applicant", "juror"])
def test_people_who_are_not_organisers_cannot_open_or_post(client, role):
    edition = f.EditionFactory(phase="scoring")
    user = f.UserFactory() if role == "applicant" else f.declared_juror(edition).user
    client.force_login(user)

    answers = [
        client.get(reverse("communications:index", args=[edition.year])).status_code,
        client.post(edit_url(edition), {"subject": "x", "body": "y"}).status_code,
        client.get(reverse("communications:log", args=[edition.year])).status_code,
    ]

    assert answers == [403, 403, 403]
    assert EmailTemplate.objects.count() == 0


# --- the sent-mail log ---------------------------------------------------------------------------------------------


def test_log_records_a_message_the_smtp_server_accepted(smtp):
    edition = f.EditionFactory(phase="scoring")

    emails.message(
        "jury/email/reminder", {"edition": edition, "entries_left": 2}, ["Juror@Example.com"], edition=edition
    ).send()

    [row] = SentEmail.objects.all()
    [received] = smtp.received
    assert (row.status, row.error, row.addresses, row.template, row.edition) == (
        "sent",
        "",
        ["juror@example.com"],
        "jury/email/reminder",
        edition,
    )
    assert row.subject == received["message"]["Subject"]
    assert received["message"][emails.TEMPLATE_HEADER] is None  # the log's marks never leave the site


def test_log_records_a_failure_when_the_mail_server_is_down(smtp):
    edition = f.EditionFactory(phase="scoring")
    smtp.stop()  # nothing listens on the port any more: connection refused

    with pytest.raises(ConnectionRefusedError):
        emails.message(
            "jury/email/reminder", {"edition": edition, "entries_left": 1}, ["j@example.com"], edition=edition
        ).send()

    [row] = SentEmail.objects.all()
    assert (row.status, row.error, row.addresses) == ("failed", "ConnectionRefusedError", ["j@example.com"])


def test_log_page_lists_the_editions_emails_filtered_by_status(client, organiser):
    edition, other = f.EditionFactory(phase="scoring"), f.EditionFactory(phase="scoring")
    now = timezone.now()
    SentEmail.objects.create(at=now, edition=edition, subject="Delivered one", status="sent", recipients="\na@x.pl\n")
    SentEmail.objects.create(
        at=now, edition=edition, subject="Refused one", status="failed", error="SMTPRecipientsRefused"
    )
    SentEmail.objects.create(at=now, edition=other, subject="Other edition", status="failed")
    client.force_login(organiser)

    content = client.get(reverse("communications:log", args=[edition.year]), {"status": "failed"}).content.decode()

    assert ("Refused one" in content, "SMTPRecipientsRefused" in content) == (True, True)
    assert ("Delivered one" in content, "Other edition" in content) == (False, False)


def _log_page_queries(client, edition):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("communications:log", args=[edition.year])).status_code == 200
    return len(queries)


def test_log_page_queries_do_not_grow_with_the_rows(client, organiser):
    edition = f.EditionFactory(phase="scoring")
    client.force_login(organiser)
    SentEmail.objects.create(at=timezone.now(), edition=edition, subject="One", status="sent")
    few = _log_page_queries(client, edition)
    SentEmail.objects.bulk_create(
        SentEmail(at=timezone.now(), edition=edition, subject=f"S{i}", status="sent", recipients=f"\n{i}@x.pl\n")
        for i in range(40)
    )

    assert _log_page_queries(client, edition) == few


def test_anonymising_an_account_replaces_its_address_in_the_log(logged):
    from privacy.services import anonymise_account

    user = f.UserFactory(email="person@example.com")
    emails.message(
        "jury/email/reminder",
        {"edition": f.EditionFactory(), "entries_left": 1},
        ["person@example.com", "other@example.com"],
    ).send()
    emails.message(
        "jury/email/reminder", {"edition": f.EditionFactory(), "entries_left": 1}, ["xperson@example.com"]
    ).send()

    anonymise_account(user)

    user.refresh_from_db()
    assert sorted(row.addresses for row in SentEmail.objects.order_by("pk")) == sorted(
        [[user.email, "other@example.com"], ["xperson@example.com"]]
    )
    assert not SentEmail.objects.filter(recipients__contains="\nperson@example.com\n").exists()


def test_retention_deletes_the_log_with_the_editions_contact_data():
    from tests.test_retention import finished_edition, run, submitted

    edition, current = finished_edition(2019), f.EditionFactory(phase="scoring", year=2026)
    submitted(edition)
    for year_edition in (edition, current):
        SentEmail.objects.create(
            at=timezone.now() - timezone.timedelta(days=1),
            edition=year_edition,
            status="sent",
            recipients="\njan.kowalski@gmina.example\n",
        )

    run()

    assert list(SentEmail.objects.values_list("edition", flat=True)) == [current.pk]


def test_anonymising_an_account_also_replaces_its_earlier_addresses_in_the_log(logged):
    from allauth.account.models import EmailAddress

    from privacy.services import anonymise_account

    user = f.UserFactory(email="now@example.com")
    EmailAddress.objects.create(user=user, email="Before@example.com", verified=True, primary=False)
    emails.message(
        "jury/email/reminder", {"edition": f.EditionFactory(), "entries_left": 1}, ["before@example.com"]
    ).send()

    anonymise_account(user)

    user.refresh_from_db()
    assert [row.addresses for row in SentEmail.objects.all()] == [[user.email]]


def test_the_persons_data_download_lists_the_emails_sent_to_them(logged):
    from privacy.collect import personal_data

    user = f.UserFactory(email="person@example.com")
    emails.message("jury/email/reminder", {"edition": f.EditionFactory(), "entries_left": 1}, [user.email]).send()
    emails.message("jury/email/reminder", {"edition": f.EditionFactory(), "entries_left": 1}, ["x@example.com"]).send()

    data, _files = personal_data(user)

    assert [(row["template"], row["status"]) for row in data["emails_received"]] == [("jury/email/reminder", "sent")]


# --- messages to the applicants of a list -------------------------------------------------------------------------


def confirmation_marks(response):
    """The scope and token the confirmation page posts back."""
    return {name: response.context[name] for name in ("scope", "token")}


def _edition_with_three_entries():
    edition = f.EditionFactory(phase="formal_review", year=2031)
    accepted = [f.jury_entry(edition, n, status=Status.ACCEPTED) for n in (1, 2)]
    submitted = f.jury_entry(edition, 3, status=Status.SUBMITTED)
    return edition, accepted, submitted


def test_message_to_the_filtered_list_reaches_exactly_those_applicants(
    client, organiser, logged, django_capture_on_commit_callbacks
):
    edition, accepted, submitted = _edition_with_three_entries()
    client.force_login(organiser)
    url = reverse("applications:organiser_message", args=[edition.year])

    page = client.get(url, {"status": "accepted"})
    text = {"subject": "News for {{ kod }}", "body": "Dear applicants of {{ title }}", "filters": "status=accepted"}
    confirmation = client.post(url, text)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {**text, **confirmation_marks(confirmation), "confirmed": "1"})

    assert 'value="status=accepted"' in page.content.decode()
    assert "Send the message to the applicants of 2 applications?" in confirmation.content.decode()
    assert sent.status_code == 302
    assert sorted((m.to, m.subject, m.body) for m in mail.outbox) == sorted(
        (recipients(a), f"News for {a.code}", f"Dear applicants of {a.title}") for a in accepted
    )
    assert submitted.owner.email not in {m.to[0] for m in mail.outbox}
    assert sorted(SentEmail.objects.values_list("kind", "status", "edition")) == [("message", "sent", edition.pk)] * 2
    assert ApplicantMessage.objects.get().applications == 2


def test_confirmation_page_sends_nothing(client, organiser, django_capture_on_commit_callbacks):
    edition, accepted, _submitted = _edition_with_three_entries()
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("applications:organiser_message", args=[edition.year]),
            {"subject": "S", "body": "B", "ids": [accepted[0].pk]},
        )

    assert response.status_code == 200
    assert "Send the message to the applicants of 1 application?" in response.content.decode()
    assert (mail.outbox, ApplicantMessage.objects.count()) == ([], 0)


def test_message_from_the_selection_starts_with_the_ticked_entries(client, organiser):
    edition, accepted, _submitted = _edition_with_three_entries()
    client.force_login(organiser)

    response = client.post(
        reverse("applications:organiser_bulk", args=[edition.year]), {"action": "message", "ids": [accepted[1].pk]}
    )

    content = response.content.decode()
    assert "To the applicants of 1 application" in content
    assert f'name="ids" value="{accepted[1].pk}"' in content


def test_empty_message_or_unknown_placeholder_is_refused(client, organiser, django_capture_on_commit_callbacks):
    edition, accepted, _submitted = _edition_with_three_entries()
    client.force_login(organiser)
    url = reverse("applications:organiser_message", args=[edition.year])

    with django_capture_on_commit_callbacks(execute=True):
        empty = client.post(url, {"subject": "", "body": "", "ids": [accepted[0].pk], "confirmed": "1"})
        hostile = client.post(
            url, {"subject": "S", "body": "{{ owner.password }}", "ids": [accepted[0].pk], "confirmed": "1"}
        )

    assert (empty.status_code, hostile.status_code) == (400, 400)
    assert "Unknown placeholder: {{ owner.password }}" in hostile.content.decode()
    assert (mail.outbox, ApplicantMessage.objects.count()) == ([], 0)


def test_message_ignores_applications_of_another_edition(client, organiser, django_capture_on_commit_callbacks):
    edition, accepted, _submitted = _edition_with_three_entries()
    foreign = f.jury_entry(f.EditionFactory(phase="formal_review", year=2032), 1, status=Status.ACCEPTED)
    client.force_login(organiser)

    url = reverse("applications:organiser_message", args=[edition.year])
    text = {"subject": "S", "body": "B", "ids": [accepted[0].pk, foreign.pk]}
    confirmation = client.post(url, text)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**text, **confirmation_marks(confirmation), "confirmed": "1"})

    assert [m.to for m in mail.outbox] == [recipients(accepted[0])]


def test_jurors_cannot_message_applicants(client):
    edition, accepted, _submitted = _edition_with_three_entries()
    client.force_login(f.declared_juror(edition).user)

    response = client.post(
        reverse("applications:organiser_message", args=[edition.year]),
        {"subject": "S", "body": "B", "ids": [accepted[0].pk], "confirmed": "1"},
    )

    assert response.status_code == 404  # the applications app hides organisers' pages from jurors
    assert ApplicantMessage.objects.count() == 0


# --- the jurors' reminder -------------------------------------------------------------------------------------------


def _juror_with_entries_left(edition, left, done):
    member = f.declared_juror(edition, user=f.UserFactory(email=f"juror{left}@example.com"))
    entries = [f.jury_entry(edition) for _ in range(left + done)]
    for entry in entries[:left]:
        f.AssignmentFactory(member=member, application=entry)
    for entry in entries[left:]:
        f.submitted_card(member, entry, {})
    return member


def test_reminder_says_how_many_entries_are_left_and_until_when(organiser, django_capture_on_commit_callbacks):
    edition = f.EditionFactory(phase="scoring")
    _juror_with_entries_left(edition, left=2, done=1)
    _juror_with_entries_left(edition, left=1, done=0)

    with django_capture_on_commit_callbacks(execute=True):
        jury_services.send_reminders(edition, by=organiser)

    bodies = {m.to[0]: m.body for m in mail.outbox}
    end = timezone.localtime(edition.scoring_ends_at).strftime("%Y")
    assert "you still have 2 entries to score" in bodies["juror2@example.com"]
    assert "you still have 1 entry to score" in bodies["juror1@example.com"]
    assert end in bodies["juror2@example.com"]


@pytest.mark.polish
def test_reminder_in_the_jurors_language(organiser, django_capture_on_commit_callbacks):
    edition = f.EditionFactory(phase="scoring")
    member = _juror_with_entries_left(edition, left=2, done=0)
    member.user.email_language = "en"
    member.user.save()

    with django_capture_on_commit_callbacks(execute=True):
        jury_services.send_reminders(edition, by=organiser)

    [message] = mail.outbox
    assert "you still have 2 entries to score" in message.body


@pytest.mark.polish
def test_reminder_in_polish_counts_in_polish(organiser, django_capture_on_commit_callbacks):
    edition = f.EditionFactory(phase="scoring")
    _juror_with_entries_left(edition, left=3, done=0)

    with django_capture_on_commit_callbacks(execute=True):
        jury_services.send_reminders(edition, by=organiser)

    [message] = mail.outbox
    assert "masz jeszcze 3 wnioski do oceny" in message.body


def test_edited_reminder_fills_the_count(organiser, django_capture_on_commit_callbacks):
    edition = f.EditionFactory(phase="scoring")
    _juror_with_entries_left(edition, left=3, done=2)
    EmailTemplate.objects.create(
        edition=edition, kind=Kind.REMINDER, language="en", subject="Left: {{ entries_left }}", body="{{ link }}"
    )

    with django_capture_on_commit_callbacks(execute=True):
        jury_services.send_reminders(edition, by=organiser)

    [message] = mail.outbox
    assert message.subject == "Left: 3"
    assert message.body.endswith(reverse("jury:dashboard", args=[edition.year]))


def test_message_placeholders_are_documented():
    assert [p.name for p in MESSAGE_PLACEHOLDERS] == ["code", "title", "edition", "link"]


# --- the edition's archive ------------------------------------------------------------------------------------------


def test_the_editions_texts_and_messages_travel_with_its_archive(organiser, settings, tmp_path):
    from contest import backup
    from contest.models import Edition
    from tests.test_edition_backup import edition_state, use_fresh_storage

    edition = f.EditionFactory(phase="scoring")
    EmailTemplate.objects.create(
        edition=edition, kind=Kind.REMINDER, language="pl", subject="Zostało {{ pozostalo }}", body="."
    )
    ApplicantMessage.objects.create(edition=edition, subject="S", body="B", sent_by=organiser, applications=2)
    SentEmail.objects.create(at=timezone.now(), edition=edition, status="sent", recipients="\na@example.com\n")
    before = edition_state(edition.year)
    path = tmp_path / "edition.zip"
    backup.export_edition(edition.year, path)
    edition.delete()
    use_fresh_storage(settings, tmp_path, "fresh")

    backup.import_edition(path)

    assert edition_state(edition.year) == before
    assert (
        EmailTemplate.objects.get(edition=Edition.objects.get(year=edition.year)).subject == "Zostało {{ pozostalo }}"
    )
    assert SentEmail.objects.filter(edition__year=edition.year).count() == 0  # the log stays out of the archive


def test_the_data_download_lists_emails_sent_to_the_persons_earlier_addresses_too(logged):
    """As erasure does: allauth keeps the account's earlier addresses, and the log named them when it sent."""
    from allauth.account.models import EmailAddress

    from privacy.collect import personal_data

    user = f.UserFactory(email="now@example.com")
    EmailAddress.objects.create(user=user, email="Before@example.com", verified=True, primary=False)
    emails.message(
        "jury/email/reminder", {"edition": f.EditionFactory(), "entries_left": 1}, ["before@example.com"]
    ).send()
    emails.message("jury/email/reminder", {"edition": f.EditionFactory(), "entries_left": 2}, [user.email]).send()
    emails.message("jury/email/reminder", {"edition": f.EditionFactory(), "entries_left": 3}, ["x@example.com"]).send()

    data, _files = personal_data(user)

    assert len(data["emails_received"]) == 2


def test_allauths_emails_are_logged_with_their_template(client, logged):
    """A password reset is logged like the platform's own e-mails: an organiser reading the log sees which it was."""
    f.UserFactory(email="applicant@example.com")

    client.post("/accounts/password/reset/", {"email": "applicant@example.com"})

    [row] = SentEmail.objects.all()
    assert (row.template, row.addresses) == ("account/email/password_reset_key", ["applicant@example.com"])
    assert "X-SLZ-Template" not in mail.outbox[0].extra_headers  # the mark stays in the log, not in the e-mail

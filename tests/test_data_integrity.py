"""Data integrity: changes racing a submission, indicators kept on bad input, the deadline second, single-line text."""

import datetime
import threading
import time

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.forms import ApplicationForm, PartnerForm
from applications.models import Application, Attachment, Partner, ResultIndicator, Status
from contest.validators import validate_single_line
from jury.forms import AffiliationForm, AnonymisedForm
from tests import factories

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks to race against")


def edit_payload(application, **overrides):
    data = {
        "version": application.version,
        "category": application.category_id,
        "indicators-TOTAL_FORMS": "2",
        "indicators-INITIAL_FORMS": "1",
        "indicators-MIN_NUM_FORMS": "0",
        "indicators-MAX_NUM_FORMS": "30",
        "indicators-0-name": "Liczba pasażerów",
        "indicators-0-baseline": "0",
        "indicators-0-achieved": "120 000",
        "indicators-0-source": "Sprawozdania przewoźnika",
        "action": "save",
    }
    for name, value in factories.COMPLETE_FIELDS.items():
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    data.update(overrides)
    return data


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- partners and attachments against a concurrent submission ------------------------------------------------


@pytest.fixture
def stale_draft(applicant):
    """A complete draft as one tab loaded it, then submitted from another tab: the first tab's copy is stale."""
    application = factories.complete_application(owner=applicant)
    stale = Application.objects.get(pk=application.pk)
    services.submit(Application.objects.get(pk=application.pk), by=applicant)
    return stale


@pytest.mark.django_db
def test_delete_attachment_after_a_submission_is_refused_and_the_file_remains(stale_draft, applicant):
    attachment = stale_draft.attachments.get()

    with pytest.raises(services.NotAllowed, match="submitted in the meantime"):
        services.delete_attachment(stale_draft, attachment, by=applicant)

    assert Attachment.objects.filter(pk=attachment.pk).exists()


@pytest.mark.django_db
def test_delete_partner_after_a_submission_is_refused_and_the_partner_remains(stale_draft, applicant):
    partner = stale_draft.partners.first()

    with pytest.raises(services.NotAllowed, match="submitted in the meantime"):
        services.delete_partner(stale_draft, partner, by=applicant)

    assert Partner.objects.filter(application=stale_draft).count() == 2


@pytest.mark.django_db
def test_save_partner_after_a_submission_is_refused_and_nothing_is_added(stale_draft, applicant):
    partner = Partner(kind=Partner.Kind.NGO, name="Stowarzyszenie Rowerowe", role="Promocja")

    with pytest.raises(services.NotAllowed, match="submitted in the meantime"):
        services.save_partner(stale_draft, partner, by=applicant)

    assert Partner.objects.filter(application=stale_draft).count() == 2


@pytest.mark.django_db
def test_add_attachment_after_a_submission_is_refused_and_nothing_is_stored(stale_draft, applicant):
    requirement = stale_draft.attachments.get().requirement
    folder = f"attachments/{stale_draft.edition_id}/{stale_draft.pk}"
    before = set(default_storage.listdir(folder)[1])
    upload = SimpleUploadedFile("umowa.pdf", factories.pdf_bytes())

    with pytest.raises(services.NotAllowed, match="submitted in the meantime"):
        services.add_attachment(stale_draft, requirement, upload, by=applicant)

    assert (stale_draft.attachments.count(), set(default_storage.listdir(folder)[1])) == (1, before)


def _in_corrections(applicant, part):
    """A submitted application whose formal review asks for corrections of `part` only."""
    application = factories.complete_application(owner=applicant)
    services.submit(application, by=applicant)
    services.request_corrections(
        application,
        by=applicant,
        deadline=timezone.now() + datetime.timedelta(days=3),
        fields=[part],
        note="Popraw.",
    )
    return application


@pytest.mark.django_db
def test_delete_attachment_in_corrections_of_another_part_is_refused(applicant):
    application = _in_corrections(applicant, "partners")
    attachment = application.attachments.get()

    with pytest.raises(services.NotAllowed, match="did not ask for corrections in this part"):
        services.delete_attachment(application, attachment, by=applicant)

    assert Attachment.objects.filter(pk=attachment.pk).exists()


def _race(first, second):
    """Run `first` in a transaction that holds its locks for a moment; start `second` while it does."""
    started = threading.Event()
    outcomes = {}

    def run(name, work, hold):
        try:
            with transaction.atomic():
                work()
                if hold:
                    started.set()
                    time.sleep(0.5)
            outcomes[name] = "done"
        except services.ServiceError as error:
            outcomes[name] = type(error).__name__
        finally:
            started.set()
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=("first", first, True)),
        threading.Thread(target=lambda: (started.wait(), run("second", second, False))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_delete_attachment_racing_a_submission_waits_and_is_refused(applicant):
    application = factories.complete_application(owner=applicant)
    attachment = application.attachments.get()
    stale = Application.objects.get(pk=application.pk)

    outcomes = _race(
        lambda: services.submit(Application.objects.get(pk=application.pk), by=applicant),
        lambda: services.delete_attachment(stale, attachment, by=applicant),
    )

    application.refresh_from_db()
    assert outcomes == {"first": "done", "second": "NotAllowed"}
    assert (application.status, application.attachments.count()) == (Status.SUBMITTED, 1)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_submission_racing_an_attachment_delete_sees_the_file_missing(applicant):
    application = factories.complete_application(owner=applicant)
    attachment = application.attachments.get()

    outcomes = _race(
        lambda: services.delete_attachment(Application.objects.get(pk=application.pk), attachment, by=applicant),
        lambda: services.submit(Application.objects.get(pk=application.pk), by=applicant),
    )

    application.refresh_from_db()
    assert outcomes == {"first": "done", "second": "SubmissionInvalid"}
    assert (application.status, application.attachments.count()) == (Status.DRAFT, 0)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_delete_partner_racing_a_submission_waits_and_is_refused(applicant):
    application = factories.complete_application(owner=applicant)
    partner = application.partners.exclude(is_leader=True).get()
    stale = Application.objects.get(pk=application.pk)

    outcomes = _race(
        lambda: services.submit(Application.objects.get(pk=application.pk), by=applicant),
        lambda: services.delete_partner(stale, partner, by=applicant),
    )

    application.refresh_from_db()
    assert outcomes == {"first": "done", "second": "NotAllowed"}
    assert (application.status, application.partners.count()) == (Status.SUBMITTED, 2)


# --- indicators change only with a valid formset --------------------------------------------------------------


@pytest.fixture
def draft_with_indicator(applicant, edition_in_submissions):
    factories.ensure_terc()
    application = factories.ApplicationFactory(edition=edition_in_submissions, owner=applicant)
    factories.ResultIndicatorFactory(application=application, name="Liczba pasażerów")
    return application


@pytest.mark.django_db
def test_indicator_name_of_301_characters_keeps_the_saved_indicator(client, applicant, draft_with_indicator):
    client.force_login(applicant)

    client.post(
        reverse("applications:edit", args=[draft_with_indicator.pk]),
        edit_payload(draft_with_indicator, **{"indicators-0-name": "x" * 301}),
    )

    assert list(draft_with_indicator.indicators.values_list("name", flat=True)) == ["Liczba pasażerów"]


@pytest.mark.django_db
def test_indicator_name_of_301_characters_says_the_indicators_were_not_saved(client, applicant, draft_with_indicator):
    client.force_login(applicant)

    response = client.post(
        reverse("applications:edit", args=[draft_with_indicator.pk]),
        edit_payload(draft_with_indicator, **{"indicators-0-name": "x" * 301}),
    )

    assert _messages(response) == [
        "The result indicators were not saved: correct the indicator marked below and save again. "
        "The rest of the draft is saved, except any other fields marked."
    ]
    assert "Ensure this value has at most 300 characters (it has 301)." in response.content.decode()


@pytest.mark.django_db
def test_post_without_indicator_management_form_keeps_every_indicator(client, applicant, draft_with_indicator):
    factories.ResultIndicatorFactory(application=draft_with_indicator, name="Nowe linie")
    payload = {k: v for k, v in edit_payload(draft_with_indicator).items() if not k.startswith("indicators-")}
    client.force_login(applicant)

    client.post(reverse("applications:edit", args=[draft_with_indicator.pk]), payload)

    assert sorted(draft_with_indicator.indicators.values_list("name", flat=True)) == ["Liczba pasażerów", "Nowe linie"]


@pytest.mark.django_db
def test_post_without_indicator_management_form_says_so_not_draft_saved(client, applicant, draft_with_indicator):
    payload = {k: v for k, v in edit_payload(draft_with_indicator).items() if not k.startswith("indicators-")}
    client.force_login(applicant)

    response = client.post(reverse("applications:edit", args=[draft_with_indicator.pk]), payload)

    assert response.status_code == 400
    assert _messages(response) == [
        "The result indicators were missing from the form you sent, so they were not changed. The rest of the draft "
        "is saved; check the indicators below and save again."
    ]
    assert 'value="Liczba pasażerów"' in response.content.decode()


@pytest.mark.django_db
def test_valid_indicator_change_is_saved(client, applicant, draft_with_indicator):
    client.force_login(applicant)

    response = client.post(
        reverse("applications:edit", args=[draft_with_indicator.pk]),
        edit_payload(draft_with_indicator, **{"indicators-0-name": "Liczba kursów"}),
    )

    assert response.status_code == 302
    assert list(draft_with_indicator.indicators.values_list("name", flat=True)) == ["Liczba kursów"]


@pytest.mark.django_db
def test_save_draft_with_a_too_long_indicator_row_changes_nothing(applicant, draft_with_indicator):
    with pytest.raises(services.ServiceError, match="the indicators were not changed"):
        services.save_draft(
            draft_with_indicator,
            {"title": "Zmieniony"},
            by=applicant,
            expected_version=draft_with_indicator.version,
            indicators=[{"name": "x" * 301, "baseline": "", "achieved": "", "source": ""}],
        )

    draft_with_indicator.refresh_from_db()
    assert (draft_with_indicator.title, ResultIndicator.objects.get().name) == (
        "Wspólny transport gminny",
        "Liczba pasażerów",
    )


# --- the deadline, to the second ------------------------------------------------------------------------------


@pytest.fixture
def deadline_application(applicant):
    application = factories.complete_application(owner=applicant)
    deadline = timezone.localtime() + datetime.timedelta(days=3)
    deadline = deadline.replace(hour=23, minute=59, second=59, microsecond=0)
    application.edition.submission_deadline = deadline
    application.edition.save()
    return application


@pytest.mark.django_db
def test_submission_at_the_deadline_second_plus_400_ms_is_accepted(applicant, deadline_application):
    at = deadline_application.edition.submission_deadline + datetime.timedelta(milliseconds=400)

    services.submit(deadline_application, by=applicant, at=at)

    deadline_application.refresh_from_db()
    assert deadline_application.status == Status.SUBMITTED


@pytest.mark.django_db
def test_submission_one_second_after_the_deadline_is_refused(applicant, deadline_application):
    at = deadline_application.edition.submission_deadline + datetime.timedelta(seconds=1)

    with pytest.raises(services.NotAllowed, match="The submission deadline has passed"):
        services.submit(deadline_application, by=applicant, at=at)

    deadline_application.refresh_from_db()
    assert deadline_application.status == Status.DRAFT


# --- single-line fields refuse control characters -------------------------------------------------------------


@pytest.mark.django_db
def test_title_with_a_line_break_is_refused_with_a_clear_error_and_not_saved(client, applicant, draft_with_indicator):
    client.force_login(applicant)

    response = client.post(
        reverse("applications:edit", args=[draft_with_indicator.pk]),
        edit_payload(draft_with_indicator, title="Wspólny\ntransport"),
    )

    draft_with_indicator.refresh_from_db()
    assert "Write this on a single line: line breaks, tabs and other control characters are not allowed." in (
        response.content.decode()
    )
    assert draft_with_indicator.title == "Wspólny transport gminny"


@pytest.mark.django_db
def test_application_form_refuses_control_characters_in_every_single_line_field(draft_with_indicator):
    single_line = ["title", "partnership_name", "legal_form", "contact_name", "contact_position", "contact_phone"]
    data = edit_payload(draft_with_indicator, **{name: "A\u2028B" for name in single_line})

    form = ApplicationForm(data, application=draft_with_indicator)
    form.is_valid()

    assert sorted(name for name in single_line if name in form.errors) == sorted(single_line)


@pytest.mark.django_db
def test_application_form_keeps_line_breaks_in_long_texts(draft_with_indicator):
    form = ApplicationForm(
        edit_payload(draft_with_indicator, problem="Pierwszy akapit.\r\n\r\nDrugi."), application=draft_with_indicator
    )

    form.is_valid()

    assert ("problem" in form.errors, form.cleaned_data["problem"]) == (False, "Pierwszy akapit.\r\n\r\nDrugi.")


@pytest.mark.django_db
def test_partner_name_with_a_tab_is_refused():
    form = PartnerForm({"kind": Partner.Kind.NGO, "name": "Fundacja\tRozwoju", "role": "Promocja"})

    assert (form.is_valid(), form.errors["name"]) == (
        False,
        ["Write this on a single line: line breaks, tabs and other control characters are not allowed."],
    )


@pytest.mark.django_db
def test_jury_affiliation_organisation_name_with_a_line_break_is_refused():
    form = AffiliationForm({"organisation_name": "Urząd\nMiasta", "role": "employee", "scope": "unit"})

    assert "organisation_name" in (form.is_valid() or form.errors)


@pytest.mark.django_db
def test_jury_anonymised_title_with_a_line_break_is_refused():
    form = AnonymisedForm({"title": "Projekt\nA", "summary": "Akapit.\nDrugi akapit."})

    form.is_valid()

    assert sorted(form.errors) == ["title"]


def test_single_line_validator_names_the_problem():
    with pytest.raises(Exception, match="Write this on a single line"):
        validate_single_line("Tytuł\x85z NEL")


@pytest.mark.django_db
def test_status_email_with_a_legacy_title_holding_a_line_break_is_sent(
    applicant, edition_in_submissions, django_capture_on_commit_callbacks
):
    application = factories.ApplicationFactory(
        edition=edition_in_submissions, owner=applicant, title="Stary\ntytuł z importu"
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(application, by=applicant)

    assert [m.subject for m in mail.outbox] == ["Application Stary tytuł z importu: withdrawn"]


@pytest.mark.django_db
def test_deleting_an_attachment_deletes_its_jury_copy_too(applicant, django_capture_on_commit_callbacks):
    """The sanitised copy jurors were served is the same document: it must not outlive the original in storage."""
    application = _in_corrections(applicant, "attachments")
    attachment = application.attachments.get()
    copy = default_storage.save(f"{attachment.file.name}.jury.pdf", SimpleUploadedFile("x.pdf", b"%PDF-1.4 copy"))
    Attachment.objects.filter(pk=attachment.pk).update(jury_copy=copy)
    attachment.refresh_from_db()
    original = attachment.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_attachment(application, attachment, by=applicant)

    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert (default_storage.exists(original), default_storage.exists(copy)) == (False, False)

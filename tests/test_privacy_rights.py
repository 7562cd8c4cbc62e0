"""A person's data rights: the download of everything we hold (art. 15, 20), correcting name, phone and e-mail
(art. 16), and erasure on request with the organiser's decision (art. 17), which keeps the competition's record
(scores, audit chain, frozen rankings) whole."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Consent, User
from applications.models import Declaration, Status
from contest.models import AuditEvent
from jury.models import Affiliation, ConflictOfInterest, CriterionScore, Scorecard
from jury.services import ranking as ranking_service
from privacy import services
from privacy.models import DataExport, ErasureRequest
from tests import factories as f
from tests.conftest import fetch_download
from tests.mfa import activate_totp

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _zip(response):
    _status, _type, body = fetch_download(response)
    return zipfile.ZipFile(io.BytesIO(body))


def _export_through_the_page(client, django_capture_on_commit_callbacks):
    """Ask on the page; the task runs (the immediate backend) and mails the link; returns (export, link path)."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:request_export"))
    assert response.status_code == 302
    export = DataExport.objects.latest("requested_at")
    link = reverse("privacy:download", args=[export.public_id])
    [message] = mail.outbox
    assert link in message.body
    return export, link


# --- access and portability --------------------------------------------------------------------------------------


def test_export_holds_account_consents_applications_and_files(django_capture_on_commit_callbacks):
    person = f.UserFactory(email="anna.nowak@example.com", full_name="Anna Nowak", phone="600 100 200")
    Consent.objects.create(user=person, kind="privacy", text_version="2026-1", text="Klauzula informacyjna v1")
    owned = f.complete_application(owner=person, title="Mój projekt")
    co_edited = f.complete_application(title="Projekt sąsiadów", owner=f.UserFactory(email="neighbour@example.com"))
    co_edited.editors.add(person)
    stranger = f.complete_application(
        title="Cudzy projekt tajny", contact_email="stranger@example.com", owner=f.UserFactory(email="x@example.com")
    )
    attachment = owned.attachments.get()
    expected_bytes = attachment.file.open("rb").read()

    export, link = _export_through_the_page(_client(person), django_capture_on_commit_callbacks)
    response = _client(person).get(link)

    status, content_type, body = fetch_download(response)
    assert (status, content_type) == (200, "application/zip")
    archive = zipfile.ZipFile(io.BytesIO(body))
    data = json.loads(archive.read("data.json"))
    assert sorted(data) == [
        "account",
        "activity",
        "affiliations",
        "applications",
        "co_editor_invitations_accepted",
        "consents",
        "data_exports",
        "emails_received",
        "erasure_requests",
        "format_version",
        "jury_memberships",
        "news_subscriptions",
    ]
    assert (data["account"]["email"], data["account"]["full_name"], data["account"]["phone"]) == (
        "anna.nowak@example.com",
        "Anna Nowak",
        "600 100 200",
    )
    assert data["consents"] == [
        {
            "kind": "privacy",
            "text_version": "2026-1",
            "text": "Klauzula informacyjna v1",
            "given_at": data["consents"][0]["given_at"],
        }
    ]
    by_title = {a["title"]: a for a in data["applications"]}
    assert sorted(by_title) == ["Mój projekt", "Projekt sąsiadów"]
    assert (by_title["Mój projekt"]["my_role"], by_title["Projekt sąsiadów"]["my_role"]) == ("coordinator", "co-editor")
    assert by_title["Mój projekt"]["contact_email"] == owned.contact_email
    assert sorted(d["kind"] for d in by_title["Mój projekt"]["declarations"]) == sorted(Declaration.Kind.values)
    [listed] = by_title["Mój projekt"]["attachments"]
    assert archive.read(listed["file_in_download"]) == expected_bytes
    files = sorted(name for name in archive.namelist() if name.startswith("files/"))
    assert len(files) == 2  # the owned and the co-edited application's attachment, nothing of the stranger's
    raw = archive.read("data.json").decode()
    assert ("Cudzy projekt tajny" in raw, "stranger@example.com" in raw, str(stranger.pk) in files[0]) == (
        False,
        False,
        False,
    )
    assert export.user_id == person.pk


def test_juror_export_names_entries_by_code_only(django_capture_on_commit_callbacks):
    edition = f.EditionFactory(phase="scoring")
    criterion = f.CriterionFactory(edition=edition)
    identity = f.JURY_IDENTITIES[0]
    entry = f.identified_jury_entry(edition, identity, 1)
    member = f.declared_juror(edition, user=f.UserFactory(email="juror@example.com"))
    f.submitted_card(member, entry, {criterion: 7})
    Affiliation.objects.create(user=member.user, organisation_name="Fundacja Jurora", role="board_member")
    hidden = f.identified_jury_entry(edition, f.JURY_IDENTITIES[1], 2)
    ConflictOfInterest.objects.create(member=member, application=hidden, source="auto", matched=[{"nip": "1"}])

    _export, link = _export_through_the_page(_client(member.user), django_capture_on_commit_callbacks)
    archive = _zip(_client(member.user).get(link))
    raw = archive.read("data.json").decode()
    data = json.loads(raw)

    [membership] = data["jury_memberships"]
    [card] = membership["scorecards"]
    assert (card["entry"], card["scores"][0]["points"], membership["impartiality_declaration"]["text_version"]) == (
        entry.code,
        7,
        "test",
    )
    assert data["affiliations"][0]["organisation_name"] == "Fundacja Jurora"
    identifying = f.identifying_strings(identity) + f.identifying_strings(f.JURY_IDENTITIES[1])
    leaked = [value for value in identifying if value in raw]
    assert leaked == []
    assert (hidden.code in raw, membership["conflicts_of_interest"][0]["entry"]) == (False, None)
    assert [name for name in archive.namelist() if name.startswith("files/")] == []


def test_download_by_another_user_is_not_found(django_capture_on_commit_callbacks):
    owner = f.UserFactory(email="owner@example.com")
    _export, link = _export_through_the_page(_client(owner), django_capture_on_commit_callbacks)

    other = _client(f.UserFactory(email="other@example.com")).get(link)
    anonymous = Client().get(link)

    assert (other.status_code, anonymous.status_code) == (404, 302)
    assert anonymous["Location"].startswith(reverse("account_login"))


def test_expired_link_shows_a_clear_page_and_the_file_is_deleted(django_capture_on_commit_callbacks):
    owner = f.UserFactory(email="owner@example.com")
    export, link = _export_through_the_page(_client(owner), django_capture_on_commit_callbacks)
    export.refresh_from_db()
    name = export.file.name
    assert default_storage.exists(name)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = _client(owner).get(link)

    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert (default_storage.exists(name), DataExport.objects.get(pk=export.pk).status) == (False, "expired")


def test_cleanup_deletes_expired_files_and_keeps_valid_ones(django_capture_on_commit_callbacks):
    owner = f.UserFactory(email="owner@example.com")
    old, _ = _export_through_the_page(_client(owner), django_capture_on_commit_callbacks)
    fresh, _ = _export_through_the_page(_client(owner), django_capture_on_commit_callbacks)
    old.refresh_from_db()
    fresh.refresh_from_db()
    DataExport.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    out = io.StringIO()

    call_command("privacy_cleanup", stdout=out)

    assert out.getvalue().splitlines()[0] == "1 expired downloads deleted."
    assert (default_storage.exists(old.file.name), default_storage.exists(fresh.file.name)) == (False, True)


def test_asking_twice_while_preparing_gives_one_export():
    owner = f.UserFactory(email="owner@example.com")
    pending = DataExport.objects.create(user=owner)

    again = services.request_export(owner)

    assert (again.pk, DataExport.objects.filter(user=owner).count()) == (pending.pk, 1)


def test_downloads_are_limited_per_day_with_a_clear_message():
    owner = f.UserFactory(email="owner@example.com")
    DataExport.objects.bulk_create(
        DataExport(user=owner, status="expired") for _ in range(services.EXPORTS_PER_DAY)
    )

    response = _client(owner).post(reverse("privacy:request_export"), follow=True)

    assert "You have asked for 5 downloads in the last 24 hours" in response.content.decode()
    assert DataExport.objects.filter(user=owner).count() == services.EXPORTS_PER_DAY


# --- rectification -----------------------------------------------------------------------------------------------


def test_name_and_phone_are_corrected_on_the_account_page():
    person = f.UserFactory(email="p@example.com", full_name="Jan Kowalsky", phone="")
    response = _client(person).post(
        reverse("accounts:profile"), {"full_name": "Jan  Kowalski", "phone": "+48 600-100-200"}
    )

    person.refresh_from_db()
    assert (response.status_code, person.full_name, person.phone) == (302, "Jan Kowalski", "+48 600-100-200")
    event = AuditEvent.objects.get(action="user.profile_changed")
    assert event.data == {"fields": ["full_name", "phone"]}


def test_a_bad_phone_is_refused_and_nothing_changes():
    person = f.UserFactory(email="p@example.com", full_name="Jan Kowalski", phone="600100200")
    response = _client(person).post(reverse("accounts:profile"), {"full_name": "Ktoś Inny", "phone": "<script>"})

    person.refresh_from_db()
    assert response.status_code == 400
    assert "Enter a phone number" in response.content.decode()
    assert (person.full_name, person.phone, AuditEvent.objects.filter(action="user.profile_changed").count()) == (
        "Jan Kowalski",
        "600100200",
        0,
    )


def test_email_changes_only_after_the_new_address_is_verified():
    person = f.UserFactory(email="old@example.com")
    client = _client(person)
    mail.outbox.clear()

    response = client.post(reverse("account_email"), {"action_add": "", "email": "new@example.com"})
    person.refresh_from_db()
    assert (response.status_code, person.email) == (302, "old@example.com")

    pending = EmailAddress.objects.get(user=person, email="new@example.com")
    key = EmailConfirmationHMAC(pending).key
    response = client.post(reverse("account_confirm_email", args=[key]))
    person.refresh_from_db()
    assert (person.email, list(EmailAddress.objects.filter(user=person).values_list("email", "primary"))) == (
        "new@example.com",
        [("new@example.com", True)],
    )


# --- erasure -----------------------------------------------------------------------------------------------------


@pytest.fixture
def organiser_client():
    organiser = f.UserFactory(email="organiser@example.com", is_organiser=True, is_staff=True)
    return organiser, _client(organiser)


def _decide(client, erasure, decision, **data):
    fields = {"decision": decision}
    if decision == "approve":
        fields["approve-confirm"] = "on"
    else:
        fields["refuse-reason"] = data.get("reason", "")
    return client.post(reverse("privacy:erasure_detail", args=[erasure.pk]), fields)


def _request_erasure(person):
    response = _client(person).post(reverse("privacy:request_erasure"), {"confirm": "on"})
    assert response.status_code == 302, response
    return ErasureRequest.objects.get(user=person, status="pending")


def _personal_strings_in_audit(*values):
    rows = AuditEvent.objects.values_list("reason", "data")
    text = json.dumps([list(row) for row in rows], ensure_ascii=False)
    return [value for value in values if value and value in text]


def test_erasing_a_juror_keeps_their_scores_counting_and_removes_their_identity(
    organiser_client, django_capture_on_commit_callbacks
):
    organiser, client = organiser_client
    edition, entries, jurors = f.ranked_edition(phase="deliberation")
    juror = jurors[1]
    person = juror.user
    person.phone = "501 502 503"
    person.save()
    activate_totp(person)
    Affiliation.objects.create(user=person, organisation_name="Fundacja Sędziego", role="adviser")
    snapshot = ranking_service.freeze_ranking(edition, by=organiser)
    before = ranking_service.ranking_for(edition).result()
    cards_before = sorted(Scorecard.objects.filter(member=juror).values_list("pk", "status"))
    points_before = sorted(CriterionScore.objects.filter(scorecard__member=juror).values_list("pk", "points"))
    old_email, old_name = person.email, person.full_name
    erasure = _request_erasure(person)
    mail.outbox.clear()

    page = client.get(reverse("privacy:erasure_detail", args=[erasure.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(client, erasure, "approve")

    assert response.status_code == 302
    assert "as juror 2" in page
    person.refresh_from_db()
    assert (person.email, person.full_name, person.phone, person.is_active, person.has_usable_password()) == (
        f"anonymised-{person.pk}@anonymised.invalid",
        "",
        "",
        False,
        False,
    )
    assert (
        EmailAddress.objects.filter(user=person).count(),
        Authenticator.objects.filter(user=person).count(),
        Affiliation.objects.filter(user=person).count(),
    ) == (0, 0, 0)
    # The scores stay, still count, and the frozen ranking recomputes to its hash.
    assert sorted(Scorecard.objects.filter(member=juror).values_list("pk", "status")) == cards_before
    assert sorted(CriterionScore.objects.filter(scorecard__member=juror).values_list("pk", "points")) == points_before
    assert ranking_service.ranking_for(edition).result() == before
    assert bool(ranking_service.recompute(snapshot)) is True
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "chain intact" in out.getvalue()
    assert _personal_strings_in_audit(old_email, old_name, "501 502 503", "Fundacja Sędziego") == []
    event = AuditEvent.objects.get(action="privacy.account_anonymised")
    assert (event.target_id, event.actor_id, event.data["affiliations"], event.data["second_factors"]) == (
        str(person.pk),
        organiser.pk,
        1,
        1,
    )
    [message] = mail.outbox
    assert (message.to, "has been anonymised" in message.body) == ([old_email], True)
    assert ErasureRequest.objects.get(pk=erasure.pk).status == "approved"


def test_erased_person_can_no_longer_log_in():
    person = f.UserFactory(email="gone@example.com")
    logged_in = _client(person)
    services.anonymise_account(person, by=None)

    response = Client().post(
        reverse("account_login"), {"login": "gone@example.com", "password": "correct-horse-battery"}
    )

    assert response.status_code == 200  # the form again, with its error
    assert logged_in.get(reverse("privacy:overview")).status_code == 302  # the session is gone


def test_submitted_application_in_retention_is_kept_with_its_reason(
    organiser_client, django_capture_on_commit_callbacks
):
    _organiser, client = organiser_client
    edition = f.EditionFactory(phase="results")
    person = f.UserFactory(email="coordinator@example.com")
    application = f.jury_entry(edition, 1, owner=person, status=Status.NOT_AWARDED, submitted_at=timezone.now())
    draft_elsewhere = f.complete_application(owner=person, contact_email="coordinator@example.com")
    erasure = _request_erasure(person)

    page = client.get(reverse("privacy:erasure_detail", args=[erasure.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _decide(client, erasure, "approve")

    assert f"Submitted application {application.code} with its contact details" in page
    assert "Part of the competition&#x27;s record" in page
    application.refresh_from_db()
    draft_elsewhere.refresh_from_db()
    assert (application.contact_name, application.contact_email) == ("Jan Kowalski", "jan.kowalski@example.com")
    assert (draft_elsewhere.contact_name, draft_elsewhere.contact_email) == ("", "")
    assert User.objects.get(pk=person.pk).is_active is False


def test_erasure_cannot_be_approved_while_the_entry_is_still_competing(organiser_client):
    _organiser, client = organiser_client
    edition = f.EditionFactory(phase="formal_review")
    person = f.UserFactory(email="coordinator@example.com")
    application = f.jury_entry(edition, 1, owner=person, status=Status.SUBMITTED)
    erasure = _request_erasure(person)

    response = _decide(client, erasure, "approve")

    body = response.content.decode()
    assert response.status_code == 400
    assert f"Application {application.code} is still in the competition" in body
    person.refresh_from_db()
    assert (person.email, person.is_active, ErasureRequest.objects.get(pk=erasure.pk).status) == (
        "coordinator@example.com",
        True,
        "pending",
    )


def test_refusal_tells_the_person_why(organiser_client, django_capture_on_commit_callbacks):
    organiser, client = organiser_client
    person = f.UserFactory(email="asks@example.com")
    erasure = _request_erasure(person)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(client, erasure, "refuse", reason="Toczy się postępowanie kontrolne dotyczące dotacji.")

    assert response.status_code == 302
    erasure.refresh_from_db()
    assert (erasure.status, erasure.decided_by_id) == ("refused", organiser.pk)
    [message] = mail.outbox
    assert (message.to, "Toczy się postępowanie kontrolne" in message.body) == (["asks@example.com"], True)
    assert User.objects.get(pk=person.pk).is_active is True


def test_refusal_reason_with_an_email_is_refused_and_nothing_changes(organiser_client):
    _organiser, client = organiser_client
    erasure = _request_erasure(f.UserFactory(email="asks@example.com"))

    response = _decide(client, erasure, "refuse", reason="Proszę pisać na kontrola@example.com")

    assert response.status_code == 400
    assert "Remove the e-mail address" in response.content.decode()
    assert ErasureRequest.objects.get(pk=erasure.pk).status == "pending"


# --- hostile input -----------------------------------------------------------------------------------------------


def test_asking_for_erasure_twice_keeps_one_request():
    person = f.UserFactory(email="twice@example.com")
    first_tab, second_tab = _client(person), _client(person)
    first = first_tab.post(reverse("privacy:request_erasure"), {"confirm": "on"})
    second = second_tab.post(reverse("privacy:request_erasure"), {"confirm": "on"})

    assert (first.status_code, second.status_code) == (302, 200)
    assert "already waiting" in second.content.decode()
    assert ErasureRequest.objects.filter(user=person).count() == 1


def test_erasure_request_without_confirmation_is_refused():
    person = f.UserFactory(email="p@example.com")
    response = _client(person).post(reverse("privacy:request_erasure"), {})

    assert response.status_code == 200
    assert ErasureRequest.objects.filter(user=person).count() == 0


def test_erasure_request_without_csrf_token_is_refused():
    person = f.UserFactory(email="p@example.com")
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)

    response = client.post(reverse("privacy:request_erasure"), {"confirm": "on"})

    assert (response.status_code, ErasureRequest.objects.count()) == (403, 0)


def test_a_person_who_is_not_an_organiser_cannot_decide():
    erasure = _request_erasure(f.UserFactory(email="asks@example.com"))
    intruder = _client(f.UserFactory(email="intruder@example.com"))

    response = _decide(intruder, erasure, "approve")
    listing = intruder.get(reverse("privacy:erasure_list"))

    assert (response.status_code, listing.status_code) == (404, 404)
    assert ErasureRequest.objects.get(pk=erasure.pk).status == "pending"
    assert User.objects.get(email="asks@example.com").is_active is True


def test_an_organiser_cannot_decide_their_own_request():
    organiser = f.UserFactory(email="org@example.com", is_organiser=True)
    erasure = _request_erasure(organiser)

    response = _decide(_client(organiser), erasure, "approve")

    assert response.status_code == 400
    assert "Another organiser decides on your own request" in response.content.decode()
    assert User.objects.get(pk=organiser.pk).is_active is True


def test_deciding_twice_changes_nothing_the_second_time(organiser_client, django_capture_on_commit_callbacks):
    _organiser, client = organiser_client
    erasure = _request_erasure(f.UserFactory(email="asks@example.com"))
    with django_capture_on_commit_callbacks(execute=True):
        _decide(client, erasure, "refuse", reason="Postępowanie kontrolne w toku.")
    events = AuditEvent.objects.count()

    second = _decide(client, erasure, "approve")

    assert second.status_code == 302  # back to the request, which says it is decided
    assert (ErasureRequest.objects.get(pk=erasure.pk).status, AuditEvent.objects.count()) == ("refused", events)


@pytest.mark.polish
def test_pages_and_plan_speak_polish(organiser_client):
    _organiser, client = organiser_client
    edition, _entries, jurors = f.ranked_edition(phase="deliberation")
    erasure = _request_erasure(jurors[0].user)

    overview = _client(f.UserFactory(email="p@example.com")).get(reverse("privacy:overview")).content.decode()
    detail = client.get(reverse("privacy:erasure_detail", args=[erasure.pk])).content.decode()

    assert ("Pobierz moje dane" in overview, "Zażądaj usunięcia danych" in overview) == (True, True)
    assert "Co trzeba zachować i dlaczego" in detail
    assert f"Edycja {edition.year}: 3 karty oceny i oświadczenie o bezstronności, jako członek komisji nr 1" in detail


def test_cleanup_deletes_the_mail_logs_old_rows_of_no_edition_and_keeps_the_rest(settings):
    from communications.models import SentEmail

    settings.SENT_EMAIL_LOG_DAYS = 365
    edition = f.EditionFactory()
    now = timezone.now()

    def logged(days_ago, edition=None):
        return SentEmail.objects.create(
            at=now - timedelta(days=days_ago),
            edition=edition,
            template="account/email/password_reset_key",
            recipients=SentEmail.pack(["jan@example.com"]),
            subject="Reset",
            status="sent",
        )

    old, recent, of_an_edition = logged(400), logged(30), logged(400, edition)
    out = io.StringIO()

    call_command("privacy_cleanup", stdout=out)

    assert "1 sent-mail log rows of no edition deleted." in out.getvalue()
    assert set(SentEmail.objects.values_list("pk", flat=True)) == {recent.pk, of_an_edition.pk}
    assert old.pk not in SentEmail.objects.values_list("pk", flat=True)

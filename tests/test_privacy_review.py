"""A hostile review of the data rights (issue 13): what an attacker, a careless user and a newcomer could do with
downloads, erasure requests and anonymised accounts, each found hole shown failing first."""

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from applications.models import Status
from privacy import services
from privacy.models import DataExport, ErasureRequest
from tests import factories as f
from tests.conftest import fetch_download

pytestmark = [pytest.mark.django_db]


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def no_mfa(settings):
    settings.REQUIRE_MFA_FOR_STAFF = False


@pytest.fixture
def organiser_client(no_mfa):
    organiser = f.UserFactory(email="organiser@example.com", is_organiser=True, is_staff=True)
    return organiser, _client(organiser)


def _request_erasure(person):
    response = _client(person).post(reverse("privacy:request_erasure"), {"confirm": "on"})
    assert response.status_code == 302, response
    return ErasureRequest.objects.get(user=person, status="pending")


def _approve(client, erasure):
    return client.post(
        reverse("privacy:erasure_detail", args=[erasure.pk]), {"decision": "approve", "approve-confirm": "on"}
    )


# --- the anonymous label cannot be taken in advance ---------------------------------------------------------------


def test_nobody_can_sign_up_with_the_address_an_erasure_will_give_an_account(organiser_client):
    organiser, client = organiser_client
    victim = f.UserFactory(email="victim@example.com")
    placeholder = services.anonymised_email(victim)

    response = Client().post(
        reverse("account_signup"),
        {"email": placeholder.upper(), "password1": "a-long-pass-phrase-9", "password2": "a-long-pass-phrase-9"},
    )

    assert response.status_code == 200  # the form again, with its error
    assert not User.objects.filter(email__iexact=placeholder).exists()
    erasure = _request_erasure(victim)
    assert _approve(client, erasure).status_code == 302
    victim.refresh_from_db()
    assert (victim.email, victim.is_active) == (placeholder, False)


def test_an_erasure_still_succeeds_when_an_old_account_already_holds_the_label(organiser_client):
    """Accounts made before the sign-up refused the label (or by an administrator) must not block anyone's erasure."""
    organiser, client = organiser_client
    victim = f.UserFactory(email="victim@example.com")
    squatter = f.UserFactory(email=services.anonymised_email(victim))
    erasure = _request_erasure(victim)

    response = _approve(client, erasure)

    assert response.status_code == 302
    victim.refresh_from_db()
    assert victim.is_active is False and victim.email != "victim@example.com"
    assert victim.email.endswith("@" + services.ANONYMISED_DOMAIN)
    squatter.refresh_from_db()
    assert squatter.email == services.anonymised_email(victim)


def test_adding_the_anonymous_label_as_a_new_address_is_refused(no_mfa):
    person = f.UserFactory(email="person@example.com")
    client = _client(person)

    response = client.post(reverse("account_email"), {"action_add": "", "email": "anonymised-999@anonymised.invalid"})

    assert response.status_code == 200
    assert not person.emailaddress_set.filter(email__iexact="anonymised-999@anonymised.invalid").exists()


# --- a download being built while the account is erased ----------------------------------------------------------


def test_a_download_finished_after_the_erasure_is_thrown_away_and_mailed_to_nobody(django_capture_on_commit_callbacks):
    person = f.UserFactory(email="leaving@example.com", full_name="Ewa Odchodząca")
    f.complete_application(owner=person)
    export = DataExport.objects.create(user=person)
    stale = DataExport.objects.select_related("user").get(pk=export.pk)  # what the task loaded before the erasure
    services.anonymise_account(person)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        result = services.write_export(stale)

    export.refresh_from_db()
    assert (result, export.status, export.file.name) == (None, DataExport.Status.EXPIRED, "")
    assert not default_storage.exists(services.export_path(export))
    assert mail.outbox == []


def test_the_task_mails_the_link_to_the_current_address():
    person = f.UserFactory(email="old@example.com")
    export = DataExport.objects.create(user=person)
    User.objects.filter(pk=person.pk).update(email="new@example.com")  # verified between the request and the build
    mail.outbox.clear()
    from privacy.tasks import build_export

    build_export.call(export.pk)

    [message] = mail.outbox
    assert message.to == ["new@example.com"]


# --- pages after an erasure ---------------------------------------------------------------------------------------


def test_organiser_pages_show_an_anonymised_coordinator_without_crashing(organiser_client):
    organiser, client = organiser_client
    edition = f.EditionFactory(phase="results")
    person = f.UserFactory(email="coordinator@example.com", full_name="Jan Koordynator")
    application = f.jury_entry(edition, 1, owner=person, status=Status.NOT_AWARDED, submitted_at=timezone.now())
    co_editor = f.UserFactory(email="co@example.com")
    application.editors.add(co_editor)
    services.anonymise_account(person)

    listing = client.get(reverse("applications:organiser_list", args=[edition.year]))
    detail = client.get(reverse("applications:detail", args=[application.pk]))
    erasures = client.get(reverse("privacy:erasure_list"))

    assert (listing.status_code, detail.status_code, erasures.status_code) == (200, 200, 200)
    assert "Jan Koordynator" not in listing.content.decode() + detail.content.decode()
    assert "coordinator@example.com" not in listing.content.decode() + detail.content.decode()
    assert _client(co_editor).get(reverse("applications:detail", args=[application.pk])).status_code == 200


# --- a co-editor is not the coordinator ---------------------------------------------------------------------------


def test_a_co_editor_of_a_competing_entry_can_be_erased(organiser_client):
    """Only the coordinator is needed until the results: a co-editor's erasure must not wait months for them."""
    organiser, client = organiser_client
    edition = f.EditionFactory(phase="formal_review")
    coordinator = f.UserFactory(email="coordinator@example.com")
    application = f.jury_entry(edition, 1, owner=coordinator, status=Status.SUBMITTED)
    helper = f.UserFactory(email="helper@example.com")
    application.editors.add(helper)
    erasure = _request_erasure(helper)

    response = _approve(client, erasure)

    assert response.status_code == 302
    helper.refresh_from_db()
    assert (helper.is_active, ErasureRequest.objects.get(pk=erasure.pk).status) == (False, "approved")
    # The coordinator's own request still waits for the results.
    assert services.plan_for(coordinator).can_approve is False


# --- announcements at the erased address ---------------------------------------------------------------------------


def _subscription(email, confirmed=True):
    from news.models import Subscription

    return Subscription.objects.create(
        email=email,
        language="pl",
        token_hash=f"h-{email}",
        confirmed_at=timezone.now() if confirmed else None,
    )


def test_erasure_ends_announcements_to_the_erased_address(organiser_client, django_capture_on_commit_callbacks):
    """The outcome e-mail says it is the last one to this address: announcements must not keep arriving there."""
    from news.models import Subscription

    organiser, client = organiser_client
    person = f.UserFactory(email="reader@example.com")
    _subscription("reader@example.com")
    someone_else = _subscription("other@example.com")
    erasure = _request_erasure(person)
    page = client.get(reverse("privacy:erasure_detail", args=[erasure.pk])).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        assert _approve(client, erasure).status_code == 302

    assert "Subscription to announcements at the account&#x27;s e-mail address" in page
    assert not Subscription.objects.filter(email__iexact="reader@example.com").exists()
    assert not Subscription.objects.receiving().filter(email=services.anonymised_email(person)).exists()
    someone_else.refresh_from_db()
    assert (someone_else.email, someone_else.unsubscribed_at) == ("other@example.com", None)


def test_the_download_lists_announcement_subscriptions_at_the_accounts_address(django_capture_on_commit_callbacks):
    import io
    import json
    import zipfile

    person = f.UserFactory(email="reader@example.com")
    _subscription("reader@example.com")
    _subscription("stranger@example.com")
    export = DataExport.objects.create(user=person)

    export = services.write_export(export)

    with export.file.open("rb") as stored:
        data = json.loads(zipfile.ZipFile(io.BytesIO(stored.read())).read("data.json"))
    [listed] = data["news_subscriptions"]
    assert (listed["email"], listed["state"]) == ("reader@example.com", "confirmed")
    assert "stranger@example.com" not in json.dumps(data)


# --- the staff policy covers a staff member's own data ------------------------------------------------------------


@pytest.fixture
def mfa_required(settings):
    settings.REQUIRE_MFA_FOR_STAFF = True


def test_a_jurors_download_needs_the_second_factor_like_the_jury_pages(mfa_required):
    """The download holds the juror's scores and justifications: a password alone must not reach them when it
    cannot reach the scorecard pages."""
    from tests.mfa import login_with_mfa, login_with_password

    edition = f.EditionFactory(phase="scoring")
    criterion = f.CriterionFactory(edition=edition)
    entry = f.identified_jury_entry(edition, f.JURY_IDENTITIES[0], 1)
    member = f.declared_juror(edition, user=f.UserFactory(email="juror@example.com"))
    f.submitted_card(member, entry, {criterion: 7})
    export = services.write_export(DataExport.objects.create(user=member.user))
    link = reverse("privacy:download", args=[export.public_id])

    with_password = Client()
    login_with_password(with_password, member.user)
    refused = [with_password.get(link), with_password.get(reverse("privacy:overview"))]
    with_password.post(reverse("privacy:request_export"))

    assert [(r.status_code, r["Location"]) for r in refused] == [(302, reverse("mfa_index"))] * 2
    assert DataExport.objects.filter(user=member.user).count() == 1
    with_code = Client()
    login_with_mfa(with_code, member.user)
    assert fetch_download(with_code.get(link))[0] == 200


def test_an_applicants_own_pages_need_no_second_factor(mfa_required):
    from tests.mfa import login_with_password

    person = f.UserFactory(email="applicant@example.com")
    client = Client()
    login_with_password(client, person)

    assert client.get(reverse("privacy:overview")).status_code == 200


# --- an erased juror's conflicts stay as the committee recorded them ---------------------------------------------


def test_erasing_a_juror_does_not_lift_their_conflicts_nor_change_the_ranking(organiser_client):
    """Erasure removes the juror's affiliations and address: that is not "nothing links the juror to the entry any
    more". A later detection run must not lift their conflicts, or a card excluded for a conflict counts again."""
    from jury import services as jury
    from jury.models import Affiliation, ConflictOfInterest
    from jury.services import ranking as ranking_service

    organiser, client = organiser_client
    edition, entries, jurors = f.ranked_edition(phase="deliberation")
    juror = jurors[1]
    f.PartnerFactory(application=entries[0], name="Stowarzyszenie Konfliktowe", territorial_unit=None)
    Affiliation.objects.create(user=juror.user, organisation_name="Stowarzyszenie Konfliktowe", role="board_member")
    jury.detect_conflicts(edition, by=organiser)
    conflict = ConflictOfInterest.objects.get(member=juror, application=entries[0])
    before = ranking_service.ranking_for(edition).result()
    erasure = _request_erasure(juror.user)
    assert _approve(client, erasure).status_code == 302

    jury.detect_conflicts(edition, by=organiser)

    conflict.refresh_from_db()
    assert conflict.lifted_at is None
    assert ranking_service.ranking_for(edition).result() == before


def test_an_erased_juror_leaves_the_jury_of_an_edition_not_yet_scoring(organiser_client):
    """A phantom juror who can never log in would be given entries and hold the scoring up."""
    from jury.models import JuryMember
    from jury.queries import active_members

    organiser, client = organiser_client
    coming = f.EditionFactory(phase="formal_review")
    member = f.declared_juror(coming, user=f.UserFactory(email="future.juror@example.com"))
    erasure = _request_erasure(member.user)
    page = client.get(reverse("privacy:erasure_detail", args=[erasure.pk])).content.decode()

    assert _approve(client, erasure).status_code == 302

    assert f"Jury membership of edition {coming.year}" in page
    assert JuryMember.objects.get(pk=member.pk).is_active is False
    assert member.pk not in active_members(coming).values_list("pk", flat=True)


# --- the refusal's reason enters the hash chain ----------------------------------------------------------------


@pytest.mark.parametrize("reason", ["Pani Anna Nowak koordynuje zgłoszenie.", "Wnioskodawczyni NOWAK jest stroną."])
def test_a_refusal_reason_naming_the_person_is_refused_and_nothing_changes(organiser_client, reason):
    """The reason is hashed into the audit trail, which no later erasure can touch: it must not name the person."""
    from contest.models import AuditEvent

    organiser, client = organiser_client
    person = f.UserFactory(email="anna.nowak@example.com", full_name="Anna Nowak")
    erasure = _request_erasure(person)

    response = client.post(
        reverse("privacy:erasure_detail", args=[erasure.pk]), {"decision": "refuse", "refuse-reason": reason}
    )

    assert response.status_code == 400
    assert "name" in response.content.decode()
    assert ErasureRequest.objects.get(pk=erasure.pk).status == "pending"
    assert not AuditEvent.objects.filter(action="privacy.erasure_refused").exists()


# --- the person named as another coordinator's contact ----------------------------------------------------------


def _long_ago(edition, years=8):
    from datetime import timedelta

    from django.db.models import F

    from contest.models import Edition

    fields = [
        "call_published_at",
        "submissions_open_at",
        "submission_deadline",
        "formal_review_ends_at",
        "scoring_starts_at",
        "scoring_ends_at",
        "results_at",
        "archived_at",
    ]
    shift = timedelta(days=366 * years)
    Edition.objects.filter(pk=edition.pk).update(**{name: F(name) - shift for name in fields if getattr(edition, name)})
    edition.refresh_from_db()
    # The record's period counts from the edition's year (its retention policy), so the year moves with the dates.
    Edition.objects.filter(pk=edition.pk).update(year=edition.submission_deadline.year)
    edition.refresh_from_db()
    return edition


def test_erasure_clears_the_person_as_contact_of_someone_elses_entry_past_its_record(organiser_client):
    """The coordinator typed the person in as the contact; the record no longer keeps the entry's contact details:
    the person's name, address and phone go, whoever owns the entry."""
    organiser, client = organiser_client
    old = _long_ago(f.EditionFactory(phase="results"))
    person = f.UserFactory(email="kontakt@example.com", full_name="Zofia Kontaktowa")
    entry = f.jury_entry(
        old,
        1,
        status=Status.NOT_AWARDED,
        submitted_at=old.submission_deadline,
        contact_name="Zofia Kontaktowa",
        contact_email="Kontakt@Example.com",
        contact_phone="600 700 800",
    )
    kept = f.jury_entry(old, 2, status=Status.NOT_AWARDED, submitted_at=old.submission_deadline)
    erasure = _request_erasure(person)

    assert _approve(client, erasure).status_code == 302

    entry.refresh_from_db()
    kept.refresh_from_db()
    assert (entry.contact_name, entry.contact_email, entry.contact_phone) == ("", "", "")
    assert kept.contact_email == "jan.kowalski@example.com"


# --- no way back into an anonymised account ---------------------------------------------------------------------


def test_no_password_reset_reaches_an_anonymised_account():
    person = f.UserFactory(email="gone@example.com")
    services.anonymise_account(person)
    mail.outbox.clear()

    Client().post(reverse("account_reset_password"), {"email": "gone@example.com"})
    Client().post(reverse("account_reset_password"), {"email": services.anonymised_email(person)})

    person.refresh_from_db()
    assert all("password/reset/key" not in message.body for message in mail.outbox)
    assert [m.to for m in mail.outbox] in ([], [["gone@example.com"]])  # at most "no account with this address"
    assert (person.is_active, person.has_usable_password()) == (False, False)


# --- a juror's download and the conflicts the juror was not told of ----------------------------------------------


def test_a_jurors_download_does_not_point_at_an_entry_of_a_detected_conflict(no_mfa):
    """The juror's pages hide an entry once a conflict is detected (or added by an organiser) and never say which;
    a card on it listed with its code would say exactly that, and with the juror's affiliations, whose entry it is."""
    import io
    import json
    import zipfile

    from jury.models import ConflictOfInterest

    edition = f.EditionFactory(phase="scoring")
    criterion = f.CriterionFactory(edition=edition)
    seen = f.identified_jury_entry(edition, f.JURY_IDENTITIES[0], 1)
    hidden = f.identified_jury_entry(edition, f.JURY_IDENTITIES[1], 2)
    member = f.declared_juror(edition, user=f.UserFactory(email="juror@example.com"))
    f.submitted_card(member, seen, {criterion: 7})
    f.submitted_card(member, hidden, {criterion: 4})
    ConflictOfInterest.objects.create(member=member, application=hidden, source="auto", matched=[{"nip": "1"}])
    dashboard = _client(member.user).get(reverse("jury:dashboard", args=[edition.year])).content.decode()
    assert hidden.code not in dashboard  # what the juror's pages show

    export = services.write_export(DataExport.objects.create(user=member.user))

    with export.file.open("rb") as stored:
        raw = zipfile.ZipFile(io.BytesIO(stored.read())).read("data.json").decode()
    [membership] = json.loads(raw)["jury_memberships"]
    assert hidden.code not in raw
    assert sorted(str(card["entry"]) for card in membership["scorecards"]) == sorted([seen.code, "None"])


def test_a_decision_without_approve_or_refuse_says_so_and_changes_nothing(organiser_client):
    """A stale form or a crafted POST without the decision: the organiser is told, not shown a page with no error."""
    organiser, client = organiser_client
    person = f.UserFactory(email="asks@example.com")
    erasure = _request_erasure(person)

    response = client.post(reverse("privacy:erasure_detail", args=[erasure.pk]), {"approve-confirm": "on"})

    assert response.status_code == 400
    assert "Choose whether to approve or refuse" in response.content.decode()
    assert ErasureRequest.objects.get(pk=erasure.pk).status == "pending"

"""The applicant's journey: drafts, optimistic locking, partners, submission exactly once, deadline, withdrawal."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import Application, ApplicationVersion, Partner, Status
from contest.models import AuditEvent
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("terc")]



def edit_payload(application, **overrides):
    data = {
        "version": application.version,
        "category": application.category_id,
        "indicators-TOTAL_FORMS": "2",
        "indicators-INITIAL_FORMS": "0",
        "indicators-MIN_NUM_FORMS": "0",
        "indicators-MAX_NUM_FORMS": "30",
        "action": "save",
    }
    for name, value in factories.COMPLETE_FIELDS.items():
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    data.update(overrides)
    return data


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_start_creates_a_draft_in_the_chosen_category(client_for, applicant, edition_in_submissions):
    category = factories.CategoryFactory(edition=edition_in_submissions)
    response = client_for(applicant).post(
        reverse("applications:start", args=[edition_in_submissions.year]), {"category": category.pk}
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert (application.owner, application.category, application.status) == (applicant, category, Status.DRAFT)


def test_start_is_refused_when_the_edition_is_not_accepting(client_for, applicant):
    edition = factories.EditionFactory(phase="formal_review")
    category = factories.CategoryFactory(edition=edition)
    client_for(applicant).post(reverse("applications:start", args=[edition.year]), {"category": category.pk})
    assert Application.objects.count() == 0


def test_save_draft_keeps_everything_typed(client_for, applicant, edition_in_submissions):
    application = factories.ApplicationFactory(edition=edition_in_submissions, owner=applicant)
    payload = edit_payload(
        application, title="Nowy tytuł", **{"indicators-0-name": "Pasażerowie", "indicators-0-achieved": "100"}
    )
    response = client_for(applicant).post(reverse("applications:edit", args=[application.pk]), payload)
    application.refresh_from_db()
    assert response.status_code == 302
    assert (application.title, application.version, application.indicators.get().achieved) == ("Nowy tytuł", 2, "100")


def test_save_draft_with_a_bad_date_saves_the_other_fields(client_for, applicant, edition_in_submissions):
    application = factories.ApplicationFactory(edition=edition_in_submissions, owner=applicant)
    payload = edit_payload(application, problem="Opis problemu", formed_on="31.02.2021")
    response = client_for(applicant).post(reverse("applications:edit", args=[application.pk]), payload)
    application.refresh_from_db()
    assert response.status_code == 200
    assert application.problem == "Opis problemu"
    assert 'aria-describedby="id_formed_on_error"' in response.content.decode()
    assert 'value="31.02.2021"' in response.content.decode()


def test_summary_over_its_limit_is_saved_and_flagged(client_for, applicant, edition_in_submissions):
    edition_in_submissions.summary_max_length = 20
    edition_in_submissions.save()
    application = factories.ApplicationFactory(edition=edition_in_submissions, owner=applicant)
    long_summary = "Bardzo długie streszczenie projektu"
    response = client_for(applicant).post(
        reverse("applications:edit", args=[application.pk]), edit_payload(application, summary=long_summary)
    )
    application.refresh_from_db()
    content = response.content.decode()
    assert application.summary == long_summary
    assert "id_summary_error" in content
    assert 'href="#id_summary"' in content


def test_second_save_of_the_same_version_is_refused_and_keeps_the_text(client_for, applicant, edition_in_submissions):
    application = factories.ApplicationFactory(edition=edition_in_submissions, owner=applicant)
    coeditor = factories.UserFactory()
    application.editors.add(coeditor)
    first = edit_payload(application, title="Tytuł Anny")
    second = edit_payload(application, title="Tytuł Piotra")
    client_for(applicant).post(reverse("applications:edit", args=[application.pk]), first)
    response = client_for(coeditor).post(reverse("applications:edit", args=[application.pk]), second)
    application.refresh_from_db()
    assert response.status_code == 409
    assert application.title == "Tytuł Anny"
    assert 'value="Tytuł Piotra"' in response.content.decode()
    assert "data-conflict" in response.content.decode()


def test_save_draft_service_raises_on_stale_version(applicant, edition_in_submissions):
    application = factories.ApplicationFactory(edition=edition_in_submissions, owner=applicant)
    services.save_draft(application, {"title": "A"}, by=applicant, expected_version=1)
    with pytest.raises(services.StaleVersion, match="Someone else saved this application after you opened it"):
        services.save_draft(application, {"title": "B"}, by=applicant, expected_version=1)


def test_declarations_are_recorded_with_text_version_and_time(client_for, applicant, edition_in_submissions):
    application = factories.ApplicationFactory(edition=edition_in_submissions, owner=applicant)
    payload = edit_payload(application, declaration_truth="on", declaration_privacy="on")
    client_for(applicant).post(reverse("applications:edit", args=[application.pk]), payload)
    declarations = {d.kind: d for d in application.declarations.all()}
    assert sorted(declarations) == ["privacy", "truth"]
    assert declarations["truth"].text_version == "2026-1"
    assert declarations["truth"].accepted_by == applicant
    assert "true and complete" in declarations["truth"].text


def test_jury_visible_fields_are_marked_with_a_warning(client_for, applicant, edition_in_submissions):
    application = factories.ApplicationFactory(edition=edition_in_submissions, owner=applicant)
    content = client_for(applicant).get(reverse("applications:edit", args=[application.pk])).content.decode()
    assert content.count("shown to the jury") >= 12
    assert "Do not name the partnership" in content


# --- partners -------------------------------------------------------------------------------------------------


def partner_payload(**overrides):
    data = {
        "kind": "jst",
        "terc_code": "0201011",
        "name": "",
        "nip": "",
        "regon": "",
        "krs": "",
        "role": "Lider",
        "action": "save",
    }
    data.update(overrides)
    return data


def test_add_local_government_partner_by_terc_code(client_for, applicant, edition_in_submissions):
    application = factories.ApplicationFactory(edition=edition_in_submissions, owner=applicant)
    response = client_for(applicant).post(
        reverse("applications:partners", args=[application.pk]), partner_payload(is_leader="on")
    )
    partner = application.partners.get()
    assert response.status_code == 302
    assert (partner.territorial_unit.code, partner.is_leader, partner.display_name) == (
        "0201011",
        True,
        partner.territorial_unit.label,
    )


def test_partner_with_unknown_terc_code_is_refused(client_for, applicant, edition_in_submissions):
    application = factories.ApplicationFactory(edition=edition_in_submissions, owner=applicant)
    response = client_for(applicant).post(
        reverse("applications:partners", args=[application.pk]), partner_payload(terc_code="9999999", role="Rola X")
    )
    content = response.content.decode()
    assert application.partners.count() == 0
    assert "There is no local-government unit with the TERC code 9999999" in content
    assert "Rola X" in content


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nip", "1234567890", "This NIP is not valid"),
        ("regon", "123456789", "This REGON is not valid"),
        ("krs", "12345678A0", "A KRS number has 10 digits"),
    ],
)
def test_partner_with_invalid_identifier_is_refused(
    client_for, applicant, edition_in_submissions, field, value, message
):
    application = factories.ApplicationFactory(edition=edition_in_submissions, owner=applicant)
    payload = partner_payload(kind="ngo", terc_code="", name="Stowarzyszenie Razem", **{field: value})
    response = client_for(applicant).post(reverse("applications:partners", args=[application.pk]), payload)
    content = response.content.decode()
    assert application.partners.count() == 0
    assert message in content
    assert f'aria-describedby="id_{field}_helptext id_{field}_error"' in content
    assert "Stowarzyszenie Razem" in content


def test_partner_with_valid_identifiers_is_saved(client_for, applicant, edition_in_submissions):
    application = factories.ApplicationFactory(edition=edition_in_submissions, owner=applicant)
    payload = partner_payload(
        kind="university", terc_code="", name="Uniwersytet Warszawski", nip="525-001-12-66", regon="000001258", krs=""
    )
    client_for(applicant).post(reverse("applications:partners", args=[application.pk]), payload)
    partner = application.partners.get()
    assert (partner.nip, partner.regon, partner.kind) == ("5250011266", "000001258", Partner.Kind.UNIVERSITY)


def test_partner_unit_search_without_javascript_lists_matches(client_for, applicant, edition_in_submissions):
    application = factories.ApplicationFactory(edition=edition_in_submissions, owner=applicant)
    response = client_for(applicant).post(
        reverse("applications:partners", args=[application.pk]),
        partner_payload(action="search", unit_query="Bolesławiec", role="Rola zachowana"),
    )
    content = response.content.decode()
    assert 'value="0201011"' in content
    assert "Rola zachowana" in content


def test_terc_search_endpoint_answers_json(client_for, applicant):
    response = client_for(applicant).get(reverse("applications:terc_search"), {"q": "bolesławiec"})
    codes = [row["code"] for row in response.json()["results"]]
    assert "0201011" in codes


# --- submission -----------------------------------------------------------------------------------------------


def test_submit_assigns_the_code_locks_and_sends_the_receipt(client_for, applicant, django_capture_on_commit_callbacks):
    application = factories.complete_application(owner=applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(applicant).post(reverse("applications:submit", args=[application.pk]))
    application.refresh_from_db()
    assert response.status_code == 302
    assert application.status == Status.SUBMITTED
    assert application.code == f"SLZ-{application.edition.year}-001"
    assert len(mail.outbox) == 1
    filename, content, mimetype = mail.outbox[0].attachments[0]
    assert (filename, mimetype, content[:5]) == (f"potwierdzenie-{application.code}.pdf", "application/pdf", b"%PDF-")
    assert applicant.email in mail.outbox[0].to


def test_receipt_lists_file_checksums(client_for, applicant):
    import io

    from pypdf import PdfReader

    application = factories.complete_application(owner=applicant)
    services.submit(application, by=applicant)
    response = client_for(applicant).get(reverse("applications:receipt", args=[application.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert application.code in text
    assert application.attachments.get().sha256[:20] in text.replace("\n", "")


def test_codes_follow_the_per_edition_sequence(applicant):
    first = factories.complete_application(owner=applicant)
    second = factories.complete_application(edition=first.edition, owner=applicant)
    services.submit(first, by=applicant)
    services.submit(second, by=applicant)
    assert (first.code, second.code) == (f"SLZ-{first.edition.year}-001", f"SLZ-{first.edition.year}-002")


def test_double_submit_post_succeeds_exactly_once(client_for, applicant, django_capture_on_commit_callbacks):
    application = factories.complete_application(owner=applicant)
    client = client_for(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("applications:submit", args=[application.pk]))
        client.post(reverse("applications:submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.code.endswith("-001")
    assert len(mail.outbox) == 1
    assert ApplicationVersion.objects.filter(application=application).count() == 1
    assert AuditEvent.objects.filter(action="application.status", to_state="submitted").count() == 1


def test_submit_service_twice_raises_the_second_time(applicant):
    application = factories.complete_application(owner=applicant)
    stale_copy = Application.objects.get(pk=application.pk)
    services.submit(application, by=applicant)
    with pytest.raises(services.TransitionNotAllowed, match="This application has already been submitted"):
        services.submit(stale_copy, by=applicant)
    assert Application.objects.get(pk=application.pk).sequence == 1


def test_submit_one_second_after_the_deadline_is_refused(applicant):
    application = factories.complete_application(owner=applicant)
    deadline = application.edition.submission_deadline
    with pytest.raises(services.NotAllowed, match="The submission deadline has passed"):
        services.submit(application, by=applicant, at=deadline + datetime.timedelta(seconds=1))
    application.refresh_from_db()
    assert (application.status, application.code) == (Status.DRAFT, None)


def test_submit_at_the_deadline_itself_succeeds(applicant):
    application = factories.complete_application(owner=applicant)
    services.submit(application, by=applicant, at=application.edition.submission_deadline)
    assert application.status == Status.SUBMITTED


def test_submit_view_after_the_deadline_says_so(client_for, applicant):
    application = factories.complete_application(owner=applicant)
    edition = application.edition
    edition.submission_deadline = timezone.now() - datetime.timedelta(seconds=1)
    edition.save()
    response = client_for(applicant).post(reverse("applications:submit", args=[application.pk]), follow=True)
    application.refresh_from_db()
    assert application.status == Status.DRAFT
    assert "The submission deadline has passed." in response.content.decode()


def test_incomplete_submission_lists_every_problem_with_links(client_for, applicant, edition_in_submissions):
    factories.AttachmentRequirementFactory(edition=edition_in_submissions, name="Porozumienie")
    application = factories.ApplicationFactory(edition=edition_in_submissions, owner=applicant, title="")
    response = client_for(applicant).post(reverse("applications:submit", args=[application.pk]))
    content = response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.DRAFT
    assert f'href="/wnioski/{application.pk}/edycja/#id_title"' in content
    assert f"/wnioski/{application.pk}/partnerzy/#partners-list" in content
    assert "Attach: Porozumienie." in content
    assert "Add at least one result indicator." in content


def test_partner_rule_one_unit_and_another_sector_is_enough(applicant):
    application = factories.complete_application(owner=applicant)
    application.partners.exclude(is_leader=True).update(kind=Partner.Kind.NGO, territorial_unit=None, name="Fundacja")
    assert services.partner_problems(application) == []


def test_partner_rule_one_unit_alone_is_not_enough(applicant):
    application = factories.complete_application(owner=applicant)
    application.partners.exclude(is_leader=True).delete()
    assert [p.field for p in services.partner_problems(application)] == ["partners"]


def test_partner_rule_cross_sector_refused_when_the_edition_says_so(applicant):
    application = factories.complete_application(owner=applicant)
    application.edition.allow_cross_sector_partnership = False
    application.edition.save()
    application.partners.exclude(is_leader=True).update(kind=Partner.Kind.NGO, territorial_unit=None, name="Fundacja")
    assert len(services.partner_problems(application)) == 1


def test_save_and_review_from_the_form_leads_to_the_review_page(client_for, applicant):
    application = factories.complete_application(owner=applicant)
    response = client_for(applicant).post(
        reverse("applications:edit", args=[application.pk]),
        edit_payload(
            application,
            action="submit",
            declaration_truth="on",
            declaration_publication="on",
            declaration_privacy="on",
            **{"indicators-0-name": "Pasażerowie"},
        ),
    )
    application.refresh_from_db()
    # The draft is saved and the last click stays on the review page: nothing is submitted from the form itself.
    assert (response.status_code, response["Location"]) == (302, reverse("applications:submit", args=[application.pk]))
    assert (application.status, application.indicators.get().name) == (Status.DRAFT, "Pasażerowie")


def test_edit_of_a_submitted_application_is_refused(client_for, applicant):
    application = factories.complete_application(owner=applicant)
    services.submit(application, by=applicant)
    application.refresh_from_db()
    response = client_for(applicant).post(
        reverse("applications:edit", args=[application.pk]), edit_payload(application, title="Zmiana po terminie")
    )
    application.refresh_from_db()
    assert response.status_code == 302
    assert application.title == "Wspólny transport gminny"


def test_save_draft_service_refuses_a_submitted_application(applicant):
    application = factories.complete_application(owner=applicant)
    services.submit(application, by=applicant)
    with pytest.raises(services.StaleVersion, match="Someone else saved this application after you opened it"):
        services.save_draft(application, {"title": "X"}, by=applicant, expected_version=application.version)


def test_withdraw_before_the_deadline(client_for, applicant):
    application = factories.complete_application(owner=applicant)
    services.submit(application, by=applicant)
    client_for(applicant).post(reverse("applications:withdraw", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN


def test_withdraw_after_the_deadline_is_refused(client_for, applicant):
    application = factories.complete_application(owner=applicant)
    services.submit(application, by=applicant)
    application.edition.submission_deadline = timezone.now() - datetime.timedelta(seconds=1)
    application.edition.save()
    client_for(applicant).post(reverse("applications:withdraw", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


# --- change_status --------------------------------------------------------------------------------------------


def test_change_status_refuses_a_transition_not_in_the_table(applicant):
    application = factories.ApplicationFactory(owner=applicant)
    with pytest.raises(services.TransitionNotAllowed, match="cannot go from “draft” to “formally accepted”"):
        services.change_status(application, Status.ACCEPTED, by=applicant)
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_change_status_records_who_when_from_to_why(applicant, django_capture_on_commit_callbacks):
    application = factories.ApplicationFactory(owner=applicant)
    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(application, Status.WITHDRAWN, by=applicant, reason="Rezygnacja")
    event = AuditEvent.objects.get(action="application.status")
    assert (event.actor, event.from_state, event.to_state, event.reason) == (
        applicant,
        "draft",
        "withdrawn",
        "Rezygnacja",
    )
    assert event.target == application
    assert len(mail.outbox) == 1


def test_change_status_sends_no_mail_when_the_transaction_rolls_back(applicant, django_capture_on_commit_callbacks):
    from django.db import transaction

    application = factories.ApplicationFactory(owner=applicant)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError, match="boom"):
        with transaction.atomic():
            services.change_status(application, Status.WITHDRAWN, by=applicant)
            raise RuntimeError("boom")
    assert mail.outbox == []
    assert Application.objects.get(pk=application.pk).status == Status.DRAFT


# --- co-editors -----------------------------------------------------------------------------------------------


def test_invited_coeditor_joins_and_can_edit(
    client_for, applicant, edition_in_submissions, django_capture_on_commit_callbacks
):
    application = factories.ApplicationFactory(edition=edition_in_submissions, owner=applicant)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(applicant).post(reverse("applications:invite", args=[application.pk]), {"email": "Ewa@Example.com"})
    link = re.search(r"https?://\S+/zaproszenie/\S+/", mail.outbox[0].body).group(0)
    ewa = factories.UserFactory(email="ewa@example.com")
    client = client_for(ewa)
    client.post(link)
    response = client.get(reverse("applications:edit", args=[application.pk]))
    assert response.status_code == 200
    assert list(application.editors.all()) == [ewa]


def test_invitation_cannot_be_used_by_another_address(client_for, applicant, edition_in_submissions):
    application = factories.ApplicationFactory(edition=edition_in_submissions, owner=applicant)
    _invitation, token = services.invite_coeditor(application, "ewa@example.com", by=applicant)
    intruder = factories.UserFactory()
    client_for(intruder).post(reverse("applications:accept_invitation", args=[token]))
    assert list(application.editors.all()) == []


# --- dashboard ------------------------------------------------------------------------------------------------


def test_dashboard_offers_the_invitation_to_someone_who_registered_after_it(
    client_for, applicant, edition_in_submissions
):
    application = factories.ApplicationFactory(edition=edition_in_submissions, owner=applicant, title="Wspólna sieć")
    invitation, _token = services.invite_coeditor(application, "Ewa@Example.com", by=applicant)
    ewa = factories.UserFactory(email="ewa@example.com")
    other = factories.UserFactory(email="adam@example.com")

    ewa_page = client_for(ewa).get(reverse("applications:dashboard")).content.decode()
    other_page = client_for(other).get(reverse("applications:dashboard")).content.decode()
    accept_url = reverse("applications:accept_pending_invitation", args=[invitation.pk])

    assert (accept_url in ewa_page, accept_url in other_page, "Wspólna sieć" in other_page) == (True, False, False)
    client_for(ewa).post(accept_url)
    assert (
        list(application.editors.all()),
        accept_url in client_for(ewa).get(reverse("applications:dashboard")).content.decode(),
    ) == ([ewa], False)


def test_dashboard_lists_own_and_coedited_applications_with_next_step(client_for, applicant, edition_in_submissions):
    own = factories.ApplicationFactory(edition=edition_in_submissions, owner=applicant, title="Moja")
    shared = factories.ApplicationFactory(edition=edition_in_submissions, title="Wspólna")
    shared.editors.add(applicant)
    factories.ApplicationFactory(edition=edition_in_submissions, title="Cudza")
    content = client_for(applicant).get(reverse("applications:dashboard")).content.decode()
    assert ("Moja" in content, "Wspólna" in content, "Cudza" in content) == (True, True, False)
    assert "Complete the application and submit it before the deadline." in content
    assert own.get_status_display() in content


@pytest.mark.parametrize("count", [2, 20])
def test_dashboard_query_count_does_not_grow(
    client_for, applicant, edition_in_submissions, django_assert_max_num_queries, count
):
    for _ in range(count):
        application = factories.ApplicationFactory(edition=edition_in_submissions, owner=applicant)
        factories.PartnerFactory(application=application, is_leader=True)
    client = client_for(applicant)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("applications:dashboard"))
    assert response.status_code == 200


def test_text_typed_when_the_session_ended_is_given_back_after_login(client, applicant, edition_in_submissions):
    application = factories.ApplicationFactory(edition=edition_in_submissions, owner=applicant)
    url = reverse("applications:edit", args=[application.pk])
    response = client.post(url, edit_payload(application, problem="Tekst pisany przez godzinę"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    client.force_login(applicant)
    content = client.get(url).content.decode()
    assert "Tekst pisany przez godzinę" in content
    assert "Your session ended before the save." in content
    application.refresh_from_db()
    assert application.problem == ""


def test_call_page_links_to_starting_an_application_while_submissions_are_open(client):
    edition = factories.EditionFactory(phase="submissions")
    content = client.get(reverse("contest:edition", args=[edition.year])).content.decode()
    assert reverse("applications:start", args=[edition.year]) in content


def test_call_page_has_no_start_link_after_the_deadline(client):
    edition = factories.EditionFactory(phase="formal_review")
    content = client.get(reverse("contest:edition", args=[edition.year])).content.decode()
    assert reverse("applications:start", args=[edition.year]) not in content

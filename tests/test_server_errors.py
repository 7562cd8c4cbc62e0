"""Every server error the hostile-input review found, each now a clear answer that loses nothing (issue 7, part 8)."""

import contextlib
import sqlite3
import threading

import pytest
from django.contrib.messages import get_messages
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from accounts.models import User
from applications.models import Application, ApplicationVersion, Status
from jury import services as jury_services
from jury.forms import MAX_ENTRIES_PER_JUROR
from jury.models import Affiliation, Assignment, ConflictOfInterest, Invitation, JuryMember
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]

LONG_SEARCH = "a" * 50_000
PASSWORD = "bardzo-dlugie-haslo-7"

only_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's file locks")
only_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's unique index wait")



@pytest.fixture
def scoring_edition():
    return f.EditionFactory(phase="scoring")


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# TERC search ------------------------------------------------------------------------------------------------------


NUL_REFUSED = "The address contains a NUL character, which no page of this site uses."


def test_terc_search_with_nul_byte_answers_400_with_the_reason(client, applicant):
    client.force_login(applicant)
    response = client.get(reverse("applications:terc_search"), {"q": "Bole\x00"})
    assert (response.status_code, response.text) == (400, NUL_REFUSED)


def test_terc_search_refuses_nul_byte_even_when_called_directly(applicant):
    from django.core.exceptions import ValidationError

    from contest.teryt import search_units

    with pytest.raises(ValidationError, match="Null characters are not allowed"):
        search_units("Bole\x00")


@pytest.mark.parametrize(
    "path",
    ["/jury/2100/entries/SLZ%00/", "/wnioski/zaproszenie/abc%00def/", "/edycje/%00/"],
)
def test_address_with_nul_byte_answers_400_with_the_reason(client, applicant, path):
    client.force_login(applicant)
    response = client.get(path)
    assert (response.status_code, response.text) == (400, NUL_REFUSED)


def test_terc_search_of_50000_characters_answers_400_with_the_limit(client, applicant):
    client.force_login(applicant)
    response = client.get(reverse("applications:terc_search"), {"q": LONG_SEARCH})
    assert (response.status_code, response.json()["error"]) == (
        400,
        "Search for at most 200 characters (this text has 50000).",
    )


def test_terc_search_of_200_characters_still_searches(client, applicant):
    f.ensure_terc()
    client.force_login(applicant)
    response = client.get(reverse("applications:terc_search"), {"q": "Bolesławiec" + " " * 100 + "x" * 89})
    assert (response.status_code, response.json()) == (200, {"results": []})


# Withdrawal ---------------------------------------------------------------------------------------------------------


def test_withdraw_with_nul_byte_in_the_reason_is_refused_and_keeps_the_application(client, applicant):
    application = f.complete_application(owner=applicant)
    client.force_login(applicant)
    response = client.post(reverse("applications:withdraw", args=[application.pk]), {"reason": "Rezygnacja\x00"})
    assert (response.status_code, _messages(response)) == (302, ["Null characters are not allowed."])
    application.refresh_from_db()
    assert application.status == Status.DRAFT


# Organiser list ---------------------------------------------------------------------------------------------------


def _submitted(edition, title="Wspólny transport"):
    return f.ApplicationFactory(edition=edition, status=Status.SUBMITTED, code="SLZ-X-001", sequence=1, title=title)


def test_organiser_list_search_of_50000_characters_shows_the_limit_and_no_entries(client, organiser):
    application = _submitted(f.EditionFactory(phase="formal_review"))
    client.force_login(organiser)
    url = reverse("applications:organiser_list", args=[application.edition.year])
    response = client.get(url, {"q": LONG_SEARCH})
    assert response.status_code == 200
    assert "Search for at most 200 characters (this text has 50000)." in response.text
    assert application.title not in response.text


def test_organiser_list_search_with_nul_byte_answers_400_with_the_reason(client, organiser):
    application = _submitted(f.EditionFactory(phase="formal_review"))
    client.force_login(organiser)
    url = reverse("applications:organiser_list", args=[application.edition.year])
    response = client.get(url, {"q": "Wsp\x00"})
    assert (response.status_code, response.text) == (400, NUL_REFUSED)


def test_organiser_list_search_within_the_limit_still_finds(client, organiser):
    application = _submitted(f.EditionFactory(phase="formal_review"))
    client.force_login(organiser)
    url = reverse("applications:organiser_list", args=[application.edition.year])
    response = client.get(url, {"q": "transport"})
    assert application.title in response.text


def test_organiser_export_with_too_long_search_exports_no_entries(client, organiser):
    application = _submitted(f.EditionFactory(phase="formal_review"))
    client.force_login(organiser)
    url = reverse("applications:organiser_export", args=[application.edition.year, "csv"])
    response = client.get(url, {"q": LONG_SEARCH})
    assert response.status_code == 200
    assert application.code not in response.content.decode("utf-8-sig")


# Affiliation form -------------------------------------------------------------------------------------------------


def test_affiliation_form_with_50000_character_unit_shows_the_limit(client, scoring_edition):
    juror = f.JuryMemberFactory(edition=scoring_edition)  # not signed yet: the form is theirs
    client.force_login(juror.user)
    response = client.post(
        reverse("jury:affiliations"), {"unit_code": LONG_SEARCH, "scope": "unit", "role": "employee"}
    )
    assert response.status_code == 400
    assert "Search for at most 200 characters (this text has 50000)." in response.text
    assert not Affiliation.objects.exists()


def test_affiliation_form_with_nul_byte_in_unit_shows_the_reason(client, scoring_edition):
    juror = f.JuryMemberFactory(edition=scoring_edition)  # not signed yet: the form is theirs
    client.force_login(juror.user)
    response = client.post(
        reverse("jury:affiliations"), {"unit_code": "Bole\x00", "scope": "unit", "role": "employee"}
    )
    assert response.status_code == 400
    assert "Null characters are not allowed." in response.text
    assert not Affiliation.objects.exists()


# Jury member form -------------------------------------------------------------------------------------------------


def test_member_form_with_max_entries_of_2_to_the_31_is_refused_and_keeps_the_old_value(
    client, organiser, scoring_edition
):
    member = f.declared_juror(scoring_edition, max_entries=5)
    client.force_login(organiser)
    url = reverse("jury:member_update", args=[scoring_edition.year, member.pk])
    response = client.post(url, {"max_entries": str(2**31), "is_active": "on"})
    assert response.status_code == 302
    assert _messages(response) == [
        f"The maximum number of entries must be a whole number from 0 to {MAX_ENTRIES_PER_JUROR}."
    ]
    member.refresh_from_db()
    assert member.max_entries == 5


def test_member_form_with_max_entries_at_the_limit_is_saved(client, organiser, scoring_edition):
    member = f.declared_juror(scoring_edition)
    client.force_login(organiser)
    url = reverse("jury:member_update", args=[scoring_edition.year, member.pk])
    client.post(url, {"max_entries": str(MAX_ENTRIES_PER_JUROR), "is_active": "on"})
    member.refresh_from_db()
    assert member.max_entries == MAX_ENTRIES_PER_JUROR


# Conflict and assignment forms ------------------------------------------------------------------------------------


@pytest.fixture
def pair(scoring_edition):
    return f.declared_juror(scoring_edition), f.jury_entry(scoring_edition, 1)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("member", "abc", "The juror chosen is not on the list; reload the page and choose again."),
        ("member", "-3", "The juror chosen is not on the list; reload the page and choose again."),
        ("entry", "1; DROP TABLE", "The entry chosen is not on the list; reload the page and choose again."),
        ("entry", "", "Choose an entry."),
    ],
)
def test_conflict_add_with_a_bad_choice_answers_400_and_records_nothing(
    client, organiser, scoring_edition, pair, field, value, message
):
    member, entry = pair
    client.force_login(organiser)
    data = {"member": member.pk, "entry": entry.pk, "reason": "Pracuje w urzędzie partnera.", field: value}
    response = client.post(reverse("jury:conflict_add", args=[scoring_edition.year]), data)
    assert response.status_code == 400
    assert message in response.text
    assert not ConflictOfInterest.objects.exists()


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("Koniec\x00współpracy", "Reason for lifting: Null characters are not allowed."),
        ("x" * 2001, "Reason for lifting: Ensure this value has at most 2000 characters (it has 2001)."),
        ("", "Reason for lifting: This field is required."),
    ],
)
def test_conflict_lift_with_a_bad_reason_answers_400_and_keeps_the_conflict(
    client, organiser, scoring_edition, pair, reason, message
):
    member, entry = pair
    conflict = jury_services.add_conflict(member, entry, "Pracuje u partnera.", by=organiser)
    client.force_login(organiser)
    response = client.post(reverse("jury:conflict_lift", args=[scoring_edition.year, conflict.pk]), {"reason": reason})
    assert response.status_code == 400
    assert message in response.text
    conflict.refresh_from_db()
    assert conflict.lifted_at is None


def test_conflict_add_with_an_id_beyond_the_integer_range_is_not_found(client, organiser, scoring_edition, pair):
    _member, entry = pair
    client.force_login(organiser)
    data = {"member": str(2**70), "entry": entry.pk, "reason": "Powód."}
    response = client.post(reverse("jury:conflict_add", args=[scoring_edition.year]), data)
    assert response.status_code == 404
    assert not ConflictOfInterest.objects.exists()


def test_conflict_add_with_good_choices_still_records(client, organiser, scoring_edition, pair):
    member, entry = pair
    client.force_login(organiser)
    data = {"member": member.pk, "entry": entry.pk, "reason": "Pracuje w urzędzie partnera."}
    response = client.post(reverse("jury:conflict_add", args=[scoring_edition.year]), data)
    assert response.status_code == 302
    assert ConflictOfInterest.objects.filter(member=member, application=entry).count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("member", "x1", "The juror chosen is not on the list; reload the page and choose again."),
        ("entry", "1.5", "The entry chosen is not on the list; reload the page and choose again."),
        ("action", "delete-all", "Select a valid choice. delete-all is not one of the available choices."),
    ],
)
def test_assignment_change_with_a_bad_choice_answers_400_and_changes_nothing(
    client, organiser, scoring_edition, pair, field, value, message
):
    member, entry = pair
    client.force_login(organiser)
    data = {"member": member.pk, "entry": entry.pk, "action": "assign", field: value}
    response = client.post(reverse("jury:assignment_change", args=[scoring_edition.year]), data)
    assert response.status_code == 400
    assert message in response.text
    assert not Assignment.objects.exists()


def test_assignment_change_with_good_choices_still_assigns(client, organiser, scoring_edition, pair):
    member, entry = pair
    client.force_login(organiser)
    data = {"member": member.pk, "entry": entry.pk, "action": "assign"}
    response = client.post(reverse("jury:assignment_change", args=[scoring_edition.year]), data)
    assert response.status_code == 302
    assert Assignment.objects.filter(member=member, application=entry).count() == 1


# Jury registration, sent twice ------------------------------------------------------------------------------------


def _invitation(edition, organiser):
    [(_invitation, token)] = jury_services.invite(edition, ["new@example.com"], by=organiser)
    return reverse("jury:invitation", args=[token])


def _register(client, url, password=PASSWORD):
    return client.post(url, {"full_name": "Nowa Jurorka", "password1": password, "password2": password})


def test_jury_registration_posted_twice_welcomes_the_same_account(scoring_edition, organiser):
    url = _invitation(scoring_edition, organiser)
    first, second = Client(), Client()
    assert _register(first, url).status_code == 302
    response = _register(second, url)
    assert (response.status_code, response.url) == (302, reverse("jury:dashboard", args=[scoring_edition.year]))
    assert _messages(response) == ["Your account is ready and you are on the jury."]
    assert (User.objects.filter(email="new@example.com").count(), JuryMember.objects.count()) == (1, 1)
    assert int(second.session["_auth_user_id"]) == User.objects.get(email="new@example.com").pk


def test_jury_registration_repeated_with_another_password_is_refused(scoring_edition, organiser):
    url = _invitation(scoring_edition, organiser)
    _register(Client(), url)
    stranger = Client()
    response = _register(stranger, url, password="inne-bardzo-dlugie-haslo")
    assert response.status_code == 404
    assert "already been used" in response.text
    assert "_auth_user_id" not in stranger.session


@pytest.mark.django_db(transaction=True)
@only_postgresql
def test_jury_registration_double_click_in_parallel_creates_one_account():
    organiser = f.UserFactory(email="organiser@example.com", is_organiser=True, is_staff=True)
    edition = f.EditionFactory(phase="scoring")
    url = _invitation(edition, organiser)
    barrier = threading.Barrier(2)
    statuses = []

    def click():
        try:
            client = Client(raise_request_exception=False)
            barrier.wait()
            statuses.append(_register(client, url).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302]
    assert (User.objects.filter(email="new@example.com").count(), JuryMember.objects.count()) == (1, 1)
    assert Invitation.objects.get().accepted_by.email == "new@example.com"


# Parallel submits on SQLite ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def _file_copy_of_the_test_database(tmp_path, **options):
    """The (in-memory) test database copied into a file, as `make run` uses it: real SQLite file locks.

    Yields a function that gives the calling thread its own connection to the file; the main thread's
    connection to the test database is put back afterwards.
    """
    from django.db.backends.sqlite3.base import DatabaseWrapper

    path = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    settings_dict = {
        **connection.settings_dict,
        "NAME": str(path),
        "OPTIONS": {**connection.settings_dict["OPTIONS"], **options},
    }
    original = connections["default"]
    opened = []

    def use_file():
        wrapper = DatabaseWrapper(settings_dict, "default")
        opened.append(wrapper)
        connections["default"] = wrapper

    try:
        yield path, use_file
    finally:
        for wrapper in opened:
            wrapper.inc_thread_sharing()
            wrapper.close()
        connections["default"] = original


@pytest.mark.django_db(transaction=True)
@only_sqlite
def test_sqlite_two_parallel_submits_submit_once_and_answer_both(tmp_path):
    applicant = f.UserFactory(email="applicant@example.com")
    application = f.complete_application(owner=applicant)
    url = reverse("applications:submit", args=[application.pk])
    barrier = threading.Barrier(2)
    statuses = []
    with _file_copy_of_the_test_database(tmp_path) as (path, use_file):

        def tab():
            use_file()
            client = Client(raise_request_exception=False)
            client.force_login(applicant)
            barrier.wait()
            statuses.append(client.post(url).status_code)

        threads = [threading.Thread(target=tab) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with sqlite3.connect(path) as check:
            status, sequence = check.execute(
                "SELECT status, sequence FROM applications_application WHERE id = ?", [application.pk]
            ).fetchone()
            versions = check.execute(
                f"SELECT COUNT(*) FROM {ApplicationVersion._meta.db_table} WHERE application_id = ?",
                [application.pk],
            ).fetchone()[0]
    assert statuses == [302, 302]
    assert (status, sequence, versions) == (Status.SUBMITTED, 1, 1)


@pytest.mark.django_db(transaction=True)
@only_sqlite
def test_sqlite_submit_while_the_database_stays_locked_answers_503_and_keeps_the_draft(tmp_path):
    applicant = f.UserFactory(email="applicant@example.com")
    application = f.complete_application(owner=applicant)
    with _file_copy_of_the_test_database(tmp_path, timeout=0.2) as (path, use_file):
        use_file()
        client = Client()
        client.force_login(applicant)
        blocker = sqlite3.connect(path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            response = client.post(reverse("applications:submit", args=[application.pk]))
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        status = Application.objects.values_list("status", flat=True).get(pk=application.pk)
    assert (response.status_code, response["Retry-After"]) == (503, "5")
    assert "The server is busy and your application was not submitted yet." in response.text
    assert status == Status.DRAFT


def test_sqlite_settings_make_writers_wait_for_each_other():
    from config import settings as project_settings

    if project_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the options are SQLite's")
    options = project_settings.DATABASES["default"]["OPTIONS"]
    assert (options["timeout"], options["transaction_mode"]) == (20, "IMMEDIATE")


@pytest.mark.polish
def test_terc_search_limit_is_explained_in_polish(client, applicant):
    client.force_login(applicant)
    response = client.get(reverse("applications:terc_search"), {"q": "ż" * 201})
    assert response.json()["error"] == "Wyszukiwany tekst może mieć najwyżej 200 znaków (ten ma 201)."

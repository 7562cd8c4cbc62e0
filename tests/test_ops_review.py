"""The hostile review of issue 12's operations code: a hostile archive for import_edition, personal data and tokens
in logs and admin mails, the set-up cache after a restore, a weak production secret."""

import hashlib
import io
import json
import logging
import zipfile

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import HttpResponseServerError
from django.test import Client
from django.urls import path
from django.utils.log import log_response

from config import observability
from config.urls import urlpatterns as project_urlpatterns
from contest import backup
from contest.models import Edition
from tests import factories as f
from tests import test_edition_backup
from tests.test_edition_backup import _assert_nothing_imported, _with_records
from tests.test_observability import _settings_in_a_fresh_process

User = apps.get_model("accounts.User")
small_edition = test_edition_backup.small_edition  # the fixture: an exported edition, removed from the database


def _add_user(records, **fields):
    account = {name: fields.get(name, False) for name in backup.USER_FIELDS}
    account.update(fields)
    account["date_joined"] = fields.get("date_joined", "2025-01-01T00:00:00+00:00")
    account["verified"] = True
    records["users"].append(account)


# --- an archive never grants privileges ---------------------------------------------------------------------------


def test_an_archive_creates_no_superuser_staff_or_organiser_silently(small_edition):
    path, year = small_edition

    def privileged(records):
        _add_user(records, email="mallory@example.com", full_name="Mallory", is_superuser=True, is_staff=True,
                  is_organiser=True, is_active=True)

    _with_records(path, privileged)
    out = io.StringIO()
    call_command("import_edition", str(path), stdout=out)
    mallory = User.objects.get(email="mallory@example.com")
    assert (mallory.is_superuser, mallory.is_staff, mallory.is_organiser) == (False, False, False)
    assert "mallory@example.com" in out.getvalue()
    assert "--grant-roles" in out.getvalue()


def test_roles_are_granted_to_created_accounts_only_when_asked(small_edition):
    path, year = small_edition
    _with_records(path, lambda records: _add_user(
        records, email="organiser@example.com", full_name="Org", is_staff=True, is_organiser=True, is_active=True))
    out = io.StringIO()
    call_command("import_edition", str(path), "--grant-roles", stdout=out)
    organiser = User.objects.get(email="organiser@example.com")
    assert (organiser.is_staff, organiser.is_organiser) == (True, True)
    assert "organiser@example.com" in out.getvalue()


def test_an_archive_never_changes_an_existing_account(small_edition):
    path, year = small_edition
    existing = f.UserFactory(email="anna@example.com", full_name="Anna", is_staff=False, is_superuser=False)
    _with_records(path, lambda records: _add_user(
        records, email="ANNA@example.com", full_name="Someone Else", is_superuser=True, is_staff=True,
        is_organiser=True, is_active=True))
    call_command("import_edition", str(path), "--grant-roles", stdout=io.StringIO())
    existing.refresh_from_db()
    assert (existing.full_name, existing.is_superuser, existing.is_staff, existing.is_organiser) == (
        "Anna", False, False, False)
    assert existing.email == "anna@example.com"


# --- hostile archives ------------------------------------------------------------------------------------------------


def _manifest(path):
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


def _copy(path, target, extra=(), replace=None, manifest=None):
    """Copy the archive to `target` with `replace` {name: bytes} applied, `extra` [(name, bytes)] appended and the
    manifest replaced by `manifest` when given (compressed, as a zip bomb is)."""
    replace = replace or {}
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            data = source.read(name)
            if name == "manifest.json" and manifest is not None:
                data = json.dumps(manifest).encode()
            archive.writestr(name, replace.get(name, data))
        for name, data in extra:
            archive.writestr(name, data)
    return target


def test_a_member_larger_than_its_manifest_says_is_refused_before_it_is_read(small_edition, tmp_path):
    path, year = small_edition
    manifest = _manifest(path)
    bomb = b"[" + b" " * (64 * 1024 * 1024) + b"]"  # 64 MB of JSON, a few kB compressed
    manifest["members"]["records.json"] = {"sha256": hashlib.sha256(bomb).hexdigest(), "size": 10}
    target = _copy(path, tmp_path / "bomb.zip", replace={"records.json": bomb}, manifest=manifest)
    refused = r"Checksum mismatch for records.json: it is larger than the manifest says.*Nothing was imported"
    with pytest.raises(CommandError, match=refused):
        call_command("import_edition", str(target))
    _assert_nothing_imported(year)


def test_a_huge_manifest_is_refused_without_reading_it(small_edition, tmp_path):
    path, year = small_edition
    manifest = _manifest(path)
    manifest["padding"] = " " * (backup.MAX_MANIFEST_BYTES + 1)
    target = _copy(path, tmp_path / "bomb.zip", manifest=manifest)
    with pytest.raises(CommandError, match=r"manifest.json is too large"):
        call_command("import_edition", str(target))
    _assert_nothing_imported(year)


def test_a_name_twice_in_the_archive_is_refused(small_edition, tmp_path):
    path, year = small_edition
    with zipfile.ZipFile(path) as archive:
        records = archive.read("records.json")
    with pytest.warns(UserWarning, match="Duplicate name"):
        target = _copy(path, tmp_path / "twice.zip", extra=[("records.json", records)])
    with pytest.raises(CommandError, match=r"records.json more than once.*Nothing was imported"):
        call_command("import_edition", str(target))
    _assert_nothing_imported(year)


def test_a_deeply_nested_manifest_is_refused_with_a_clear_message(small_edition, tmp_path):
    path, year = small_edition
    target = tmp_path / "deep.zip"
    _copy(path, target, replace={"manifest.json": b"[" * 100_000 + b"]" * 100_000})
    with pytest.raises(CommandError, match=r"manifest.json is not valid JSON"):
        call_command("import_edition", str(target))
    _assert_nothing_imported(year)


# --- the home page after a restore ---------------------------------------------------------------------------------


def test_a_restored_edition_is_on_the_home_page_at_once(small_edition, client, django_capture_on_commit_callbacks):
    path, year = small_edition
    assert str(year) not in client.get("/").content.decode()  # the home page (without the edition) is cached now
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_edition", str(path), stdout=io.StringIO())
    edition = Edition.objects.get(year=year)
    assert str(edition.year) in client.get("/").content.decode()


# --- tokens and e-mail addresses in logs and admin mails -------------------------------------------------------------


TOKEN = "Qm9ndXNUb2tlbkZvclRlc3RzMTIz"


def fail(request, token):
    raise RuntimeError("the invitation could not be accepted")


urlpatterns = [path("test-token-error/<str:token>/", fail), *project_urlpatterns]


@pytest.fixture
def json_log():
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(observability.JsonFormatter())
    handler.addFilter(observability.RequestIdFilter())
    loggers = [logging.getLogger("slz.request"), logging.getLogger("django.request")]
    for logger in loggers:
        logger.addHandler(handler)
    yield buffer
    for logger in loggers:
        logger.removeHandler(handler)


@pytest.mark.urls("tests.test_ops_review")
def test_a_server_error_on_a_link_with_a_token_keeps_the_token_out_of_logs_and_mail(db, settings, mailoutbox,
                                                                                    json_log):
    settings.ADMINS = ["tech@example.com"]
    response = Client(raise_request_exception=False).get(f"/test-token-error/{TOKEN}/")
    assert response.status_code == 500
    (mail,) = mailoutbox
    assert TOKEN not in mail.subject + mail.body
    assert "/test-token-error/<token>/" in mail.subject + mail.body
    assert json_log.getvalue()
    assert TOKEN not in json_log.getvalue()


def test_an_e_mail_address_in_the_path_does_not_reach_the_logs(db, client, json_log):
    client.get("/konto/jan.kowalski@gmina.pl/")
    assert json_log.getvalue()
    assert "jan.kowalski@gmina.pl" not in json_log.getvalue()


def test_a_log_message_naming_a_path_with_an_e_mail_is_scrubbed(db, json_log):
    log_response("Internal Server Error: %s", "/x/anna@example.com/", response=HttpResponseServerError())
    assert "anna@example.com" not in json_log.getvalue()


# --- production settings ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("secret", [
    "dev-only-insecure-key-never-used-in-production-0123456789abcdef",
    "changeme",
    "django-insecure-" + "a" * 50,
])
def test_production_settings_refuse_a_weak_or_default_secret(secret):
    result = _settings_in_a_fresh_process({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": secret}, "print('started')")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
    assert "started" not in result.stdout


def test_production_settings_accept_a_strong_secret():
    result = _settings_in_a_fresh_process(
        {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "tq3V8-xQe_2LrPzN0mWkYb7sFj4HcUaD9gRvE1oTiK6yMnBwZl5"},
        "print('started')",
    )
    assert "started" in result.stdout, result.stderr


# --- cached_db sessions --------------------------------------------------------------------------------------------


def test_an_anonymised_account_leaves_no_session_in_the_cache(db, settings):
    """With Redis, sessions are cached_db: deleting the database rows alone leaves each session (the account's id
    and its data) in the cache until it expires."""
    from importlib import import_module

    from django.core.cache import caches

    from privacy.services import anonymise_account

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    engine = import_module(settings.SESSION_ENGINE)
    user = f.UserFactory()
    session = engine.SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["note"] = "personal"
    session.create()
    session.save()
    cache = caches[settings.SESSION_CACHE_ALIAS]
    assert cache.get(session.cache_key) is not None
    anonymise_account(user, reason_code="erasure_request")
    assert cache.get(session.cache_key) is None
    assert engine.SessionStore(session_key=session.session_key).load() == {}


def test_the_import_names_existing_accounts_it_makes_jurors(small_edition):
    """An archive is not proof: an existing account named as a juror gains the edition's entries, so the operator is
    told which accounts did."""
    path, year = small_edition
    juror_emails = archive_jurors(path)
    assert juror_emails and all(User.objects.filter(email=email).exists() for email in juror_emails)
    out = io.StringIO()
    call_command("import_edition", str(path), stdout=out)
    assert "already here and are now jurors" in out.getvalue()
    for email in juror_emails:
        assert email in out.getvalue()


def archive_jurors(path):
    with zipfile.ZipFile(path) as archive:
        records = json.loads(archive.read("records.json"))
    part = next(p for p in records["parts"] if p["model"] == "jury.JuryMember")
    return [record["user"] for record in part["records"]]


def test_records_too_large_to_hold_in_memory_are_refused_before_they_are_read(small_edition, tmp_path):
    """records.json and audit-events.jsonl are read whole: a manifest declaring gigabytes (a zip bomb whose manifest
    tells the truth) is refused before decompressing."""
    path, year = small_edition
    manifest = _manifest(path)
    manifest["members"]["records.json"]["size"] = backup.MAX_RECORDS_BYTES + 1
    target = _copy(path, tmp_path / "big.zip", manifest=manifest)
    with pytest.raises(CommandError, match=r"records.json is too large to restore.*Nothing was imported"):
        call_command("import_edition", str(target))
    _assert_nothing_imported(year)


@pytest.mark.parametrize("migrations", [["contest.0001_initial"], {"contest": 7}, "contest"])
def test_a_manifest_with_malformed_migrations_is_refused_with_a_clear_message(small_edition, tmp_path, migrations):
    path, year = small_edition
    manifest = _manifest(path)
    manifest["migrations"] = migrations
    target = _copy(path, tmp_path / "odd.zip", manifest=manifest)
    with pytest.raises(CommandError, match=r"migrations in a form this platform does not read.*Nothing was imported"):
        call_command("import_edition", str(target))
    _assert_nothing_imported(year)


# --- the set-up cache and transactions -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite: no other connection reads while this test's transaction writes"
)
def test_a_request_during_an_edit_does_not_cache_the_old_set_up_for_the_new_generation(terc):
    """post_save runs before the commit: a generation replaced then lets a request in another process (which still
    reads the committed rows) store the old set-up under the new generation, where it stays after the commit."""
    import threading

    from django.db import connection, transaction

    from contest.queries import home_editions

    edition = f.EditionFactory(phase="submissions")
    assert home_editions()[0] == edition
    with transaction.atomic():
        edition.is_draft = True  # the organiser hides the edition
        edition.save()
        seen = []

        def another_process():
            try:
                seen.append(home_editions()[0])
            finally:
                connection.close()

        thread = threading.Thread(target=another_process)
        thread.start()
        thread.join()
        assert seen == [edition]  # the edit is not committed yet: the other process rightly sees the old set-up
    assert home_editions()[0] is None  # committed: nobody sees the hidden edition


def test_an_archive_of_another_year_with_an_edition_number_already_here_is_refused(small_edition):
    path, year = small_edition
    other = f.EditionFactory(year=year + 1)
    _with_records(path, lambda records: next(
        p for p in records["parts"] if p["model"] == "contest.Edition")["records"][0].update(number=other.number))
    with pytest.raises(CommandError, match=rf"already has the edition of {year + 1}.*nothing was imported"):
        call_command("import_edition", str(path))
    assert list(Edition.objects.values_list("year", flat=True)) == [year + 1]

"""export_edition / import_edition: the demo's editions survive a trip to a fresh database and storage record for
record and file for file; a damaged archive, an archive of an edition already here and a half-valid archive change
nothing."""

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from contest import backup
from contest.models import AuditEvent, Edition, TerritorialUnit
from tests import factories as f

# Every app of this repository (not of the virtualenv): a new app's models must be placed by the archive too.
PROJECT_APPS = {
    config.label
    for config in apps.get_app_configs()
    if Path(config.path).is_relative_to(settings.BASE_DIR) and ".venv" not in Path(config.path).parts
}


def test_every_model_of_the_project_is_in_the_archive_or_left_out_with_a_reason():
    exported = {part.label for part in (*backup.PARTS, backup.AFFILIATIONS)}
    models = {m._meta.label for m in apps.get_models() if m._meta.app_label in PROJECT_APPS}
    assert sorted(models - exported - set(backup.NOT_EXPORTED)) == []
    assert sorted((exported | set(backup.NOT_EXPORTED)) - models) == []


# --- what "the same edition" means, independent of database ids -------------------------------------------------


class Naturals:
    """Each record as its field values, with every reference replaced by what the referred record is (recursively):
    an account by e-mail, a TERC unit by code, a file by the SHA-256 of its content, never a database id."""

    def __init__(self):
        self.memo = {}

    def of(self, obj):
        key = (obj._meta.label, obj.pk)
        if key not in self.memo:
            self.memo[key] = self._describe(obj)
        return self.memo[key]

    def _describe(self, obj):
        label = obj._meta.label
        if label == "accounts.User":
            return {"account": obj.email}
        if label == "contest.TerritorialUnit":
            return {"terc": obj.code}
        if isinstance(obj, ContentType):
            return {"type": f"{obj.app_label}.{obj.model}"}
        described = {"model": label}
        for field in obj._meta.concrete_fields:
            if field.primary_key:
                continue
            if field.is_relation:
                related = getattr(obj, field.name)
                described[field.name] = None if related is None else self.of(related)
            elif field.name == "packed_points":  # criterion ids differ between databases: compare by criterion
                values = [int(value) for value in obj.packed_points.split(",")] if obj.packed_points else []
                names = dict(obj.member.edition.criteria.values_list("pk", "name"))
                described[field.name] = sorted(zip((names[pk] for pk in values[::2]), values[1::2], strict=True))
            elif field.get_internal_type() == "FileField":
                name = getattr(obj, field.name).name
                described[field.name] = _file_sha256(name) if name else ""
            else:
                described[field.name] = field.value_to_string(obj)
        for m2m in obj._meta.many_to_many:
            described[m2m.name] = sorted(json.dumps(self.of(o), sort_keys=True) for o in getattr(obj, m2m.name).all())
        return described


def _file_sha256(name):
    with default_storage.open(name, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def edition_state(year):
    """Every record of the edition (by natural description), its accounts and the files' checksums."""
    edition = Edition.objects.get(year=year)
    naturals = Naturals()
    state = {}
    for part in (*backup.PARTS, backup.AFFILIATIONS):
        rows = part.model.objects.filter(**{part.lookup: edition.pk}).distinct()
        state[part.label] = sorted(json.dumps(naturals.of(row), sort_keys=True, default=str) for row in rows)
    return state


def accounts(emails):
    from allauth.account.models import EmailAddress

    User = apps.get_model("accounts.User")
    rows = User.objects.filter(email__in=emails).order_by("email")
    verified = set(EmailAddress.objects.filter(verified=True).values_list("email", flat=True))
    return [
        {**{name: str(getattr(user, name)) for name in backup.USER_FIELDS}, "verified": user.email in verified}
        for user in rows
    ]


def archive_users(path):
    with zipfile.ZipFile(path) as archive:
        return [user["email"] for user in json.loads(archive.read("records.json"))["users"]]


def archived_events(path):
    with zipfile.ZipFile(path) as archive:
        return archive.read("audit-events.jsonl")


def stored_files(folder=""):
    """Every file in the current default storage (a local folder or an S3 prefix)."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}{name}" for name in files]
    for sub in folders:
        names += stored_files(f"{folder}{sub}/")
    return sorted(names)


def use_fresh_storage(settings, tmp_path, name):
    default = settings.STORAGES["default"]
    if default["BACKEND"].endswith("FileSystemStorage"):
        options = {**default["OPTIONS"], "location": tmp_path / name}
    else:
        options = {**default["OPTIONS"], "location": f"test-{tmp_path.name}-{name}"}
    settings.STORAGES = {**settings.STORAGES, "default": {**default, "OPTIONS": options}}


# --- the round trip ----------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_demo_editions_round_trip_to_a_fresh_database_and_storage(settings, tmp_path, capsys):
    settings.DEBUG = True
    f.ensure_terc()
    call_command("seed_demo", stdout=io.StringIO())
    years = [2025, 2026]  # one with published results and public files, one in jury scoring
    before = {year: edition_state(year) for year in years}
    events_before = {
        year: list(AuditEvent.objects.filter(edition__year=year).order_by("sequence").values_list("hash", flat=True))
        for year in years
    }
    out = io.StringIO()
    paths = {year: tmp_path / f"slz-{year}.zip" for year in years}
    for year in years:
        call_command("export_edition", year, str(paths[year]), stdout=out)
    emails = sorted({email for year in years for email in archive_users(paths[year])})
    accounts_before = accounts(emails)

    call_command("flush", interactive=False, verbosity=0)
    f.ensure_terc()
    use_fresh_storage(settings, tmp_path, "restored")
    assert Edition.objects.count() == 0
    for year in years:
        call_command("import_edition", str(paths[year]), "--grant-roles", stdout=out)

    for year in years:
        after = edition_state(year)
        for label, records in before[year].items():
            assert after[label] == records, f"{year} {label}"
        assert len(after["applications.Attachment"]) > 0
    assert len(before[2025]["results.PublicFile"]) > 0
    assert accounts(emails) == accounts_before
    assert apps.get_model("accounts.User").objects.count() == len(emails)
    # The source's events are kept verbatim beside the new chain, which has one import event per edition.
    call_command("verify_audit", stdout=out)
    for year in years:
        imported = AuditEvent.objects.get(action="edition.imported", edition__year=year)
        kept = default_storage.open(imported.data["source_events_file"], "rb").read()
        assert kept == archived_events(paths[year])
        hashes = [json.loads(line)["hash"] for line in kept.decode().splitlines()]
        assert set(events_before[year]) <= set(hashes)
        assert imported.data["source_last_hash"] == hashes[-1]
    with capsys.disabled():
        print("\n" + out.getvalue())


# --- refusals: nothing changes -----------------------------------------------------------------------------------


@pytest.fixture
def small_edition(db, settings, tmp_path):
    """An edition with an entry, its file and a juror, made by factories (so without audit events), exported; then
    removed, so the database no longer has it. Answers (archive path, year)."""
    application = f.complete_application(edition=f.EditionFactory(phase="scoring"))
    f.JuryMemberFactory(edition=application.edition)
    year = application.edition.year
    path = tmp_path / "small.zip"
    backup.export_edition(year, path)
    edition = application.edition
    edition.applications.all().delete()
    edition.delete()
    use_fresh_storage(settings, tmp_path, "fresh")
    return path, year


def _rewrite(path, change):
    """Copy the archive with `change(name, data)` applied to every member."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, change(name, data))


def _assert_nothing_imported(year):
    assert not Edition.objects.filter(year=year).exists()
    assert not AuditEvent.objects.filter(action="edition.imported").exists()
    assert stored_files() == []


def test_a_small_edition_round_trips(small_edition, tmp_path):
    path, year = small_edition
    call_command("import_edition", str(path), stdout=io.StringIO())
    edition = Edition.objects.get(year=year)
    attachment = apps.get_model("applications.Attachment").objects.get(application__edition=edition)
    assert default_storage.open(attachment.file.name, "rb").read() == f.pdf_bytes()
    assert attachment.file.name in stored_files()


def test_a_changed_file_in_the_archive_is_refused_and_nothing_is_imported(small_edition, tmp_path):
    path, year = small_edition
    _rewrite(path, lambda name, data: data + b"tampered" if name.startswith("files/") else data)
    with pytest.raises(CommandError, match=r"Checksum mismatch for files/attachments/.*Nothing was imported"):
        call_command("import_edition", str(path))
    _assert_nothing_imported(year)


def test_a_changed_record_is_refused_by_its_checksum(small_edition, tmp_path):
    path, year = small_edition
    _rewrite(path, lambda name, data: data.replace(b"Wsp\xc3\xb3lny", b"Inny") if name == "records.json" else data)
    with pytest.raises(CommandError, match=r"Checksum mismatch for records.json"):
        call_command("import_edition", str(path))
    _assert_nothing_imported(year)


def _with_records(path, change):
    """Change records.json and write a manifest that matches it, as a careless tool would: the checksums pass."""
    with zipfile.ZipFile(path) as archive:
        records = json.loads(archive.read("records.json"))
        manifest = json.loads(archive.read("manifest.json"))
    change(records)
    data = json.dumps(records).encode()
    manifest["members"]["records.json"] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    _rewrite(
        path,
        lambda name, old: data if name == "records.json" else json.dumps(manifest).encode()
        if name == "manifest.json" else old,
    )


def test_a_failure_after_files_were_stored_leaves_no_record_and_no_file(small_edition, tmp_path):
    path, year = small_edition

    def juror_without_account(records):
        part = next(p for p in records["parts"] if p["model"] == "jury.JuryMember")
        part["records"][0]["user"] = "nobody@example.com"

    _with_records(path, juror_without_account)
    with pytest.raises(CommandError, match="jury.JuryMember record 1 names an account not in the archive"):
        call_command("import_edition", str(path))
    _assert_nothing_imported(year)


def test_an_unknown_terc_unit_is_named_and_nothing_is_imported(small_edition, tmp_path):
    path, year = small_edition

    def unknown_unit(records):
        part = next(p for p in records["parts"] if p["model"] == "applications.Partner")
        part["records"][0]["territorial_unit"] = "9999999"

    _with_records(path, unknown_unit)
    with pytest.raises(CommandError, match="names the TERC unit 9999999"):
        call_command("import_edition", str(path))
    _assert_nothing_imported(year)
    assert TerritorialUnit.objects.filter(code="9999999").count() == 0


def test_an_edition_already_in_the_database_is_refused(small_edition, tmp_path):
    path, year = small_edition
    call_command("import_edition", str(path), stdout=io.StringIO())
    counts = {label: apps.get_model(label).objects.count() for label in ("applications.Application", "jury.JuryMember")}
    files = stored_files()
    with pytest.raises(CommandError, match=f"already has the edition of {year}.*nothing was imported"):
        call_command("import_edition", str(path))
    assert {label: apps.get_model(label).objects.count() for label in counts} == counts
    assert stored_files() == files
    assert AuditEvent.objects.filter(action="edition.imported").count() == 1


def test_a_file_that_is_not_an_archive_is_refused(db, tmp_path):
    path = tmp_path / "not.zip"
    path.write_bytes(b"hello")
    with pytest.raises(CommandError, match="is not a readable zip archive"):
        call_command("import_edition", str(path))


def test_a_file_name_leaving_the_storage_is_refused(small_edition, tmp_path):
    path, year = small_edition
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    manifest["members"]["files/../../escape"] = {"sha256": hashlib.sha256(b"x").hexdigest(), "size": 1}
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("files/../../escape", b"x")
    _rewrite(path, lambda name, data: json.dumps(manifest).encode() if name == "manifest.json" else data)
    with pytest.raises(CommandError, match="names a file outside the storage"):
        call_command("import_edition", str(path))
    _assert_nothing_imported(year)


def test_exporting_a_missing_edition_says_so(db, tmp_path):
    with pytest.raises(CommandError, match="There is no edition of 1999"):
        call_command("export_edition", 1999, str(tmp_path / "x.zip"))


@pytest.mark.django_db(transaction=True)  # PostgreSQL cannot TRUNCATE (flush) inside the test's transaction
def test_an_edition_restored_twice_keeps_the_first_source_events(small_edition, settings, tmp_path):
    path, year = small_edition
    call_command("import_edition", str(path), stdout=io.StringIO())
    first = AuditEvent.objects.get(action="edition.imported").data["source_events_file"]
    first_events = default_storage.open(first, "rb").read()
    again = tmp_path / "again.zip"
    backup.export_edition(year, again)
    call_command("flush", interactive=False, verbosity=0)
    f.ensure_terc()
    use_fresh_storage(settings, tmp_path, "third")
    call_command("import_edition", str(again), stdout=io.StringIO())
    second = AuditEvent.objects.get(action="edition.imported")
    (kept,) = second.data["earlier_events_files"]
    assert default_storage.open(kept, "rb").read() == first_events


def test_records_that_do_not_fit_the_database_are_refused_and_nothing_is_imported(small_edition):
    path, year = small_edition

    def two_applications_with_one_code(records):
        # Checksums pass (the manifest was rewritten), but the database's unique constraint refuses the second.
        part = next(p for p in records["parts"] if p["model"] == "applications.Application")
        part["records"][0]["code"] = "SLZ-X-001"
        part["records"].append({**part["records"][0]})

    _with_records(path, two_applications_with_one_code)
    # (?s): PostgreSQL's message has a DETAIL line.
    refused = r"(?s)records cannot be restored here \(IntegrityError.*Nothing was imported"
    with pytest.raises(CommandError, match=refused):
        call_command("import_edition", str(path))
    _assert_nothing_imported(year)

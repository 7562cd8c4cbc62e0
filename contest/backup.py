"""One edition to one archive and back: every record and file of the edition, with SHA-256 checksums.

An archive is a zip file:

- `manifest.json`: format and version, the year, when it was made, the migrations the data was written under, the
  number of records of each model, and the SHA-256 and size of every other member of the archive;
- `records.json`: the accounts the edition's records name (by e-mail, with their names and roles; no passwords,
  no second factors, no database ids), then the records of each model in dependency order;
- `audit-events.jsonl`: the edition's audit events exactly as they are in the source's hash chain;
- `files/<storage name>`: every file the records name (attachments, jurors' copies, public copies, rules).

Inside `records.json` a record refers to another record of the archive by its `ref` (its position in the archive,
1, 2, 3 … per model, never a database id), to an account by e-mail, to a TERC unit by its code and to a content type
by `app_label.model`. The edition spans every app; models are named by label through the app registry so that
`contest` imports none of the apps above it.

Audit events are not put back into the hash chain on import: the chain hashes database ids and a global sequence,
so an event re-inserted under new ids would either fail `verify_audit` or need a forged hash. The import keeps the
source's events verbatim (a file in storage, `audit-imported/<year>/<archive sha256>.jsonl`, still checkable
against the source chain's hashes) and appends one new event, `edition.imported`, that names the archive's
SHA-256, the file and the source chain's last hash.
"""

import datetime
import hashlib
import json
import posixpath
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Q

FORMAT = "slz-edition"
VERSION = 1
# Apps whose migrations the archive records: the data was written under them.
PROJECT_APPS = (
    "accounts",
    "contest",
    "communications",
    "applications",
    "jury",
    "results",
    "news",
    "privacy",
    "retention",
)


@dataclass(frozen=True)
class Part:
    """One model of an edition's archive and how its records of one edition are found."""

    label: str
    lookup: str  # the path from the model to the edition: Q(**{lookup: edition})

    @property
    def model(self):
        return apps.get_model(self.label)


# In dependency order: a record names only records of parts before it (or itself: none do today).
PARTS = (
    Part("contest.Edition", "pk"),
    Part("contest.Category", "edition"),
    Part("contest.Criterion", "edition"),
    Part("contest.AttachmentRequirement", "edition"),
    Part("contest.ChecklistItem", "edition"),
    # The edition's own texts of its e-mails, and what its organisers wrote to applicants.
    Part("communications.EmailTemplate", "edition"),
    Part("communications.ApplicantMessage", "edition"),
    Part("applications.Application", "edition"),
    Part("applications.Partner", "application__edition"),
    Part("applications.ResultIndicator", "application__edition"),
    Part("applications.Attachment", "application__edition"),
    Part("applications.Declaration", "application__edition"),
    Part("applications.ApplicationVersion", "application__edition"),
    Part("applications.ChecklistResult", "application__edition"),
    Part("applications.CoEditorInvitation", "application__edition"),
    Part("jury.JuryMember", "edition"),
    Part("jury.Invitation", "edition"),
    Part("jury.ImpartialityDeclaration", "member__edition"),
    Part("jury.ConflictOfInterest", "member__edition"),
    Part("jury.Assignment", "member__edition"),
    Part("jury.Scorecard", "member__edition"),
    Part("jury.CriterionScore", "scorecard__member__edition"),
    Part("jury.ScorecardRevision", "scorecard__member__edition"),
    Part("jury.AnonymisedContent", "application__edition"),
    Part("jury.ReminderLog", "edition"),
    Part("jury.RedactionTerm", "edition"),
    Part("jury.AnonymisationCheck", "application__edition"),
    Part("jury.Decision", "edition"),
    Part("jury.DecisionLock", "edition"),
    Part("jury.RankingSnapshot", "edition"),
    Part("results.PublishedEntry", "edition"),
    Part("results.PublishedPartner", "entry__edition"),
    Part("results.PublicFile", "entry__edition"),
    # The record that an announcement went out (so a restored edition is not announced twice); its deliveries belong
    # to the subscribers, not to the edition, and stay out.
    Part("news.Dispatch", "edition"),
    # How long the edition keeps personal data, and which entries' contacts the retention run already anonymised.
    Part("retention.RetentionPolicy", "edition"),
    Part("retention.AnonymisedContact", "application__edition"),
)
# Jurors' declared ties (per account, not per edition): restored for accounts the import creates, because the
# edition's conflicts of interest were found from them.
AFFILIATIONS = Part("jury.Affiliation", "user__jury_memberships__edition")

# Models of the project that hold no part of an edition, and why (tests check every model is in PARTS or here).
NOT_EXPORTED = {
    "accounts.User": "travels as the accounts list, by e-mail",
    "accounts.Consent": "an account's own consents, not an edition's",
    "contest.TerritorialUnit": "the TERC register, loaded by migration; units travel by code",
    "contest.AuditEvent": "kept verbatim in audit-events.jsonl (see the module's docstring)",
    "contest.InfoPage": "site-wide pages, not an edition's",
    "news.Subscription": "subscribers' personal data, not an edition's",
    "news.SubscriptionConsent": "subscribers' personal data, not an edition's",
    "news.Delivery": "one message to one subscriber",
    "privacy.DataExport": "a person's own data download, not an edition's",
    "privacy.ErasureRequest": "a person's request about their account, not an edition's",
    "retention.ProcessingActivity": "the organiser's register of processing activities, site-wide",
    "retention.FileToDelete": "storage housekeeping of the site, not an edition's",
    "communications.SentEmail": "the log of sent mail: addresses of the moment, kept only as long as the site's",
}

USER_FIELDS = ("email", "full_name", "phone", "is_organiser", "is_staff", "is_superuser", "is_active", "date_joined")
# What an account may do beyond its own entries. An archive is checked only against its own manifest, so anyone can
# write one: an account the import creates gets these only when the operator asks (import_edition --grant-roles),
# and an existing account is never changed.
ROLE_FIELDS = ("is_organiser", "is_staff", "is_superuser")
# manifest.json lists a checksum per file (about 150 bytes each): 16 MB is room for 100,000 files, and a bigger one is
# refused before it is decompressed (a zip bomb).
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
# records.json and audit-events.jsonl are read whole into memory (files are streamed): the demo's edition writes under
# 2 MB, a large real one tens of MB; a manifest declaring more than this is refused before anything is decompressed.
MAX_RECORDS_BYTES = 512 * 1024 * 1024


class ArchiveError(Exception):
    """The archive cannot be imported; the message says why. Nothing was written."""


@dataclass
class Report:
    year: int
    counts: dict = field(default_factory=dict)
    files: int = 0
    bytes: int = 0
    audit_events: int = 0
    users_created: int = 0
    roles_granted: list = field(default_factory=list)  # e-mails of created accounts given the archive's roles
    roles_withheld: list = field(default_factory=list)  # e-mails of created accounts whose roles were not given
    existing_jurors: list = field(default_factory=list)  # accounts already here that the archive makes jurors
    seconds: float = 0.0
    archive_sha256: str = ""


class Encoder(DjangoJSONEncoder):
    """Django's encoder, but instants keep their microseconds (Django's drops three digits): a restored record must
    equal its source to the microsecond."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _sha256(data):
    return hashlib.sha256(data).hexdigest()


def _user_model():
    return apps.get_model(settings.AUTH_USER_MODEL)


def _kind(model_field):
    """How a concrete field travels: 'user', 'terc', 'contenttype', 'ref' (another record of the archive), 'file'
    or 'value'."""
    if model_field.is_relation:
        related = model_field.related_model
        if related is _user_model():
            return "user"
        if related._meta.label == "contest.TerritorialUnit":
            return "terc"
        if related is ContentType:
            return "contenttype"
        return "ref"
    if isinstance(model_field, models.FileField):
        return "file"
    return "value"


# Columns the database derives from other rows (triggers): not exported; the import's inserts rebuild them.
DERIVED = {("jury", "scorecard"): {"packed_points"}}


def _fields(model):
    derived = DERIVED.get((model._meta.app_label, model._meta.model_name), set())
    return [f for f in model._meta.concrete_fields if not f.primary_key and f.name not in derived]


def _migrations():
    applied = MigrationRecorder.Migration.objects.filter(app__in=PROJECT_APPS).values_list("app", "name")
    by_app = {}
    for app, name in applied:
        by_app.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(by_app.items())}


# --- export -----------------------------------------------------------------------------------------------------


CHUNK = 1024 * 1024


def export_edition(year, path):
    """Write the edition of `year` to a zip file at `path`; answer a Report. Reads in one transaction, so the
    archive is one consistent moment of the edition. Files are streamed from storage into the archive, never held
    in memory whole; the manifest is written last, with their checksums."""
    Edition = apps.get_model("contest.Edition")
    started = time.monotonic()
    report = Report(year=year)
    try:
        with transaction.atomic(), zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            try:
                edition = Edition.objects.get(year=year)
            except Edition.DoesNotExist:
                raise ArchiveError(f"There is no edition of {year}.") from None
            context = _Export()
            sections = []
            for part in (*PARTS, AFFILIATIONS):
                rows = list(part.model.objects.filter(**{part.lookup: edition.pk}).distinct().order_by("pk"))
                context.refs[part.label] = {row.pk: index for index, row in enumerate(rows, start=1)}
                sections.append({"model": part.label, "records": [_record(row, context) for row in rows]})
                report.counts[part.label] = len(rows)
            users = _users(context.emails)
            _name_accounts(sections, context.emails)
            events = _audit_events(edition, context.refs)
            report.audit_events = len(events)
            # An edition restored before carries the events kept at that import: they travel on, so no restore
            # loses them.
            earlier = _earlier_audit_files(edition)
            members = {}
            records_json = json.dumps({"users": users, "parts": sections}, cls=Encoder, ensure_ascii=False, indent=1)
            audit_jsonl = "".join(json.dumps(e, cls=Encoder, ensure_ascii=False) + "\n" for e in events)
            for name, text in (("records.json", records_json), ("audit-events.jsonl", audit_jsonl)):
                data = text.encode()
                archive.writestr(name, data)
                members[name] = {"sha256": _sha256(data), "size": len(data)}
            for name in sorted(set(context.files) | set(earlier)):
                members[f"files/{name}"] = _copy_into(archive, name)
                report.files += 1
                report.bytes += members[f"files/{name}"]["size"]
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "year": year,
                "exported_at": datetime.datetime.now(datetime.UTC).isoformat(),
                "migrations": _migrations(),
                "counts": report.counts,
                "users": len(users),
                "audit_events": len(events),
                "earlier_audit_files": earlier,
                "members": members,
            }
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    except BaseException:
        Path(path).unlink(missing_ok=True)  # no half-written archive is left to be mistaken for a backup
        raise
    with open(path, "rb") as handle:
        report.archive_sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
    report.seconds = time.monotonic() - started
    return report


@dataclass
class _Export:
    refs: dict = field(default_factory=dict)  # model label -> {pk: ref}
    emails: dict = field(default_factory=dict)  # account id -> e-mail
    files: set = field(default_factory=set)  # storage names
    terc: dict = field(default_factory=dict)  # unit id -> TERC code


def _copy_into(archive, name):
    """Stream one stored file into the archive (stored as it is: PDFs, pictures and office files are compressed
    already); answer its checksum and size."""
    digest, size = hashlib.sha256(), 0
    info = zipfile.ZipInfo(f"files/{name}", date_time=time.localtime()[:6])
    info.compress_type = zipfile.ZIP_STORED
    with default_storage.open(name, "rb") as source, archive.open(info, "w", force_zip64=True) as target:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            target.write(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def _record(row, context):
    record = {}
    for model_field in _fields(type(row)):
        kind = _kind(model_field)
        if kind == "value":
            record[model_field.name] = model_field.value_from_object(row)
            continue
        if kind == "file":
            name = model_field.value_from_object(row).name or ""
            if name:
                context.files.add(name)
            record[model_field.name] = name
            continue
        value = getattr(row, model_field.attname)
        if value is None:
            record[model_field.name] = None
        elif kind == "user":
            context.emails.setdefault(value, None)
            record[model_field.name] = value  # the account's id until _name_accounts() puts its e-mail here
        elif kind == "terc":
            if value not in context.terc:
                context.terc[value] = model_field.related_model.objects.values_list("code", flat=True).get(pk=value)
            record[model_field.name] = context.terc[value]
        elif kind == "contenttype":
            content_type = ContentType.objects.get_for_id(value)
            record[model_field.name] = f"{content_type.app_label}.{content_type.model}"
        else:
            label = model_field.related_model._meta.label
            try:
                record[model_field.name] = context.refs[label][value]
            except KeyError:
                raise ArchiveError(
                    f"{type(row)._meta.label} #{row.pk} names {label} #{value}, which is not part of the edition."
                ) from None
    for m2m in type(row)._meta.many_to_many:
        if m2m.related_model is not _user_model():
            raise ArchiveError(f"{type(row)._meta.label}.{m2m.name}: only many-to-many to accounts travels.")
        users = sorted(m2m.value_from_object(row), key=lambda user: user.pk)
        for user in users:
            context.emails.setdefault(user.pk, None)
        record[m2m.name] = [user.pk for user in users]
    return record


def _users(emails):
    """Fill in the e-mails of the accounts the records name (in place) and answer the accounts list."""
    from allauth.account.models import EmailAddress

    User = _user_model()
    rows = {user.pk: user for user in User.objects.filter(pk__in=list(emails))}
    verified = set(EmailAddress.objects.filter(user__in=list(emails), verified=True).values_list("user_id", flat=True))
    for pk in emails:
        emails[pk] = rows[pk].email
    return [
        {**{name: getattr(rows[pk], name) for name in USER_FIELDS}, "verified": pk in verified}
        for pk in sorted(rows, key=lambda pk: rows[pk].email)
    ]


def _name_accounts(sections, emails):
    """Replace the account ids in the records by the accounts' e-mails."""
    for section in sections:
        model = apps.get_model(section["model"])
        names = [f.name for f in _fields(model) if _kind(f) == "user"]
        lists = [m2m.name for m2m in model._meta.many_to_many]
        for record in section["records"]:
            for name in names:
                if record[name] is not None:
                    record[name] = emails[record[name]]
            for name in lists:
                record[name] = sorted(emails[pk] for pk in record[name])


def _earlier_audit_files(edition):
    AuditEvent = apps.get_model("contest.AuditEvent")
    imports = AuditEvent.objects.filter(edition=edition, action="edition.imported").order_by("sequence")
    names = []
    for data in imports.values_list("data", flat=True):
        names += [*data.get("earlier_events_files", []), data.get("source_events_file", "")]
    return [name for name in dict.fromkeys(names) if name]


def _audit_events(edition, refs):
    """The edition's events, and every event about a record of the archive, as the source chain holds them."""
    from contest.audit import CHAIN_COLUMNS

    AuditEvent = apps.get_model("contest.AuditEvent")
    condition = Q(edition=edition)
    for label, by_pk in refs.items():
        if by_pk:
            content_type = ContentType.objects.get_for_model(apps.get_model(label))
            condition |= Q(target_type=content_type, target_id__in=[str(pk) for pk in by_pk])
    return list(AuditEvent.objects.filter(condition).order_by("sequence").values(*CHAIN_COLUMNS))


# --- import -----------------------------------------------------------------------------------------------------


def read_archive(archive):
    """Check every member of an open archive against its manifest, streaming (files are never held in memory
    whole); answer (manifest, {name: data} of the members that are not files) or raise ArchiveError. Nothing is
    written."""
    listed = archive.namelist()
    names = set(listed)
    if len(names) != len(listed):
        twice = sorted({name for name in listed if listed.count(name) > 1})
        # Two members of one name: which one a reader takes differs between tools, so neither is trusted.
        raise ArchiveError(
            f"The archive holds {', '.join(twice[:5])} more than once: it was not written by export_edition. "
            "Nothing was imported."
        )
    if "manifest.json" not in names:
        raise ArchiveError("The archive has no manifest.json: it was not written by export_edition.")
    if archive.getinfo("manifest.json").file_size > MAX_MANIFEST_BYTES:
        raise ArchiveError(
            f"The archive's manifest.json is too large (over {MAX_MANIFEST_BYTES // 2**20} MB): it was not written "
            "by export_edition. Nothing was imported."
        )
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (ValueError, RecursionError) as error:
        raise ArchiveError(f"The archive's manifest.json is not valid JSON ({error}).") from None
    if not isinstance(manifest, dict):
        raise ArchiveError("The archive's manifest.json is not valid JSON (not an object).")
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise ArchiveError(
            f"The archive is {manifest.get('format')!r} version {manifest.get('version')!r}; this platform reads "
            f"{FORMAT!r} version {VERSION}."
        )
    expected = manifest.get("members") or {}
    if not isinstance(expected, dict) or not all(
        isinstance(item, dict) and isinstance(item.get("size"), int) for item in expected.values()
    ):
        raise ArchiveError("The archive's manifest does not list its members with sizes. Nothing was imported.")
    missing = sorted((set(expected) | {"records.json", "audit-events.jsonl"}) - names)
    unexpected = sorted(names - set(expected) - {"manifest.json"})
    if missing or unexpected:
        problems = [f"missing {', '.join(missing[:5])}"] if missing else []
        problems += [f"not in the manifest {', '.join(unexpected[:5])}"] if unexpected else []
        raise ArchiveError(f"The archive does not match its manifest: {'; '.join(problems)}. Nothing was imported.")
    members = {}
    for name, expected_sum in sorted(expected.items()):
        is_file = name.startswith("files/")
        if is_file and not _safe_storage_name(name.removeprefix("files/")):
            raise ArchiveError(f"The archive names a file outside the storage: {name}. Nothing was imported.")
        too_large = ArchiveError(
            f"Checksum mismatch for {name}: it is larger than the manifest says ({expected_sum['size']} bytes), so "
            "the archive is damaged or was changed after export. Nothing was imported."
        )
        if not is_file and expected_sum["size"] > MAX_RECORDS_BYTES:
            raise ArchiveError(
                f"{name} is too large to restore ({expected_sum['size']} bytes; at most {MAX_RECORDS_BYTES // 2**20} "
                "MB are read into memory). Nothing was imported."
            )
        # A member is never decompressed past the size the manifest gives it (a zip bomb stops here).
        if archive.getinfo(name).file_size > expected_sum["size"]:
            raise too_large
        digest, size, data = hashlib.sha256(), 0, []
        try:
            with archive.open(name) as handle:
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    if size > expected_sum["size"]:
                        raise too_large
                    if not is_file:
                        data.append(chunk)
        except (zipfile.BadZipFile, OSError) as error:
            raise ArchiveError(f"{name} cannot be read from the archive ({error}). Nothing was imported.") from None
        if digest.hexdigest() != expected_sum.get("sha256") or size != expected_sum.get("size"):
            raise ArchiveError(
                f"Checksum mismatch for {name}: the archive is damaged or was changed after export "
                "(SHA-256 differs from the manifest). Nothing was imported."
            )
        if not is_file:
            members[name] = b"".join(data)
    return manifest, members


def _safe_storage_name(name):
    normal = posixpath.normpath(name)
    return bool(name) and normal == name and not name.startswith("/") and ".." not in name.split("/")


def import_edition(path, grant_roles=False):
    """Restore the edition in the archive at `path` into this database and storage, all or nothing. Refuses an
    archive that fails its checksums, was written under migrations this database lacks, or whose edition (by year
    or number) is already here. Accounts it creates get the archive's roles (organiser, staff, superuser) only with
    `grant_roles`; the report names them either way."""
    started = time.monotonic()
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise ArchiveError(f"{path} is not a readable zip archive ({error}).") from None
    with archive:
        manifest, members = read_archive(archive)
        with open(path, "rb") as handle:
            archive_sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
        try:
            _check_migrations(manifest.get("migrations") or {})
        except (AttributeError, TypeError) as error:
            raise ArchiveError(
                f"The archive's manifest lists its migrations in a form this platform does not read ({error}). "
                "Nothing was imported."
            ) from None
        try:
            content = json.loads(members["records.json"])
        except (ValueError, RecursionError) as error:
            raise ArchiveError(f"records.json is not valid JSON ({error}).") from None
        report = Report(year=manifest.get("year"), archive_sha256=archive_sha256)
        files = _Files(archive, manifest["members"])
        try:
            with transaction.atomic(), _keeping_timestamps():
                _import(content, members, manifest, report, files, grant_roles)
        except BaseException as error:
            for name in files.saved:
                default_storage.delete(name)
            unfit = (KeyError, TypeError, ValueError, AttributeError, ValidationError, DatabaseError, RecursionError)
            if isinstance(error, unfit):
                # Records that pass the checksums yet do not fit this database (edited by hand, another platform).
                raise ArchiveError(
                    f"The archive's records cannot be restored here ({error.__class__.__name__}: {error}). "
                    "Nothing was imported."
                ) from error
            raise
    report.seconds = time.monotonic() - started
    return report


class _Files:
    """The archive's files, each stored once on first use; remembers what it stored, to remove it on failure."""

    def __init__(self, archive, members):
        self.archive, self.members = archive, members
        self.stored = {}  # archive file name -> storage name
        self.saved = []  # storage names written

    def store(self, name):
        if name not in self.stored:
            member = f"files/{name}"
            if member not in self.members:
                raise ArchiveError(f"The records name the file {name}, which the archive does not hold.")
            with self.archive.open(member) as handle:
                content = File(handle, name=name)
                content.size = self.members[member]["size"]
                self.stored[name] = default_storage.save(name, content)
            self.saved.append(self.stored[name])
        return self.stored[name]

    def save(self, name, data):
        saved = default_storage.save(name, ContentFile(data))
        self.saved.append(saved)
        return saved

    @property
    def bytes(self):
        return sum(self.members[f"files/{name}"]["size"] for name in self.stored)


def _check_migrations(archived):
    here = _migrations()
    missing = [f"{app}.{name}" for app, names in archived.items() for name in names if name not in here.get(app, [])]
    if missing:
        raise ArchiveError(
            "The archive was written by a newer version of the platform; this database lacks the migrations "
            f"{', '.join(missing[:5])}. Update the platform and run migrate first. Nothing was imported."
        )


class _keeping_timestamps:
    """Inserts keep the archive's created/updated instants: auto_now and auto_now_add are off while importing."""

    def __enter__(self):
        self.changed = []
        for part in (*PARTS, AFFILIATIONS):
            for model_field in part.model._meta.concrete_fields:
                if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
                    self.changed.append((model_field, model_field.auto_now, model_field.auto_now_add))
                    model_field.auto_now = model_field.auto_now_add = False
        return self

    def __exit__(self, *exc):
        for model_field, auto_now, auto_now_add in self.changed:
            model_field.auto_now, model_field.auto_now_add = auto_now, auto_now_add
        return False


def _import(content, members, manifest, report, files, grant_roles=False):
    from contest.audit import record as record_event

    Edition = apps.get_model("contest.Edition")
    sections = {section["model"]: section["records"] for section in content.get("parts", [])}
    editions = sections.get("contest.Edition") or []
    if len(editions) != 1:
        raise ArchiveError("The archive must hold exactly one edition.")
    year, number = editions[0].get("year"), editions[0].get("number")
    clash = Edition.objects.filter(Q(year=year) | Q(number=number)).first()
    if clash is not None:
        raise ArchiveError(
            f"This database already has the edition of {clash.year} (number {clash.number}); the archive holds "
            f"the edition of {year} (number {number}). Import restores an edition into a database without it: "
            "nothing was imported."
        )
    users, created = _import_users(content.get("users") or [], grant_roles, report)
    report.users_created = len(created)
    TerritorialUnit = apps.get_model("contest.TerritorialUnit")
    terc = dict(TerritorialUnit.objects.values_list("code", "pk"))
    refs = {}  # model label -> {ref: new pk}
    unknown_parts = sorted(set(sections) - {part.label for part in (*PARTS, AFFILIATIONS)})
    if unknown_parts:
        raise ArchiveError(f"The archive holds models this platform does not know: {', '.join(unknown_parts)}.")
    for part in (*PARTS, AFFILIATIONS):
        model = part.model
        records = sections.get(part.label, [])
        if part is AFFILIATIONS:
            # An existing account keeps its own declared ties; only accounts made here get the archive's.
            records = [r for r in records if r.get("user") in created]
        rows, lists = [], []
        for index, record in enumerate(records, start=1):
            row, m2m = _row(model, record, users, terc, refs, files, part.label, index)
            rows.append(row)
            lists.append(m2m)
        model.objects.bulk_create(rows)
        if part.label == "jury.JuryMember":
            # Accounts that were here before the import gain the edition's entries: the operator must see who.
            report.existing_jurors = sorted(
                {users[r["user"]].email for r in records if r.get("user") in users and r.get("user") not in created}
            )
        refs[part.label] = {index: row.pk for index, row in enumerate(rows, start=1)}
        for row, m2m in zip(rows, lists, strict=True):
            for name, emails in m2m.items():
                getattr(row, name).set([users[email] for email in emails])
        report.counts[part.label] = len(rows)
    edition = Edition.objects.get(pk=refs["contest.Edition"][1])

    earlier = [files.store(name) for name in manifest.get("earlier_audit_files") or []]
    report.files, report.bytes = len(files.stored), files.bytes
    audit_file = members["audit-events.jsonl"]
    events = [json.loads(line) for line in audit_file.decode().splitlines() if line.strip()]
    report.audit_events = len(events)
    audit_name = files.save(f"audit-imported/{year}/{report.archive_sha256}.jsonl", audit_file)
    from contest import setup_cache

    # bulk_create sends no post_save: the home page's cached set-up learns of the edition here.
    transaction.on_commit(setup_cache.bump)
    record_event(
        "edition.imported",
        edition=edition,
        target=edition,
        archive_sha256=report.archive_sha256,
        exported_at=manifest.get("exported_at", ""),
        source_events=len(events),
        source_first_sequence=events[0]["sequence"] if events else None,
        source_last_sequence=events[-1]["sequence"] if events else None,
        source_last_hash=events[-1]["hash"] if events else "",
        source_events_file=audit_name,
        earlier_events_files=earlier,
        records=sum(report.counts.values()),
        files=report.files,
    )


def _import_users(accounts, grant_roles, report):
    """Accounts by e-mail: an existing one is used as it is; a missing one is created without a usable password (the
    person sets one with "forgot password"; staff enrol their second factor again), with the archive's roles only
    when `grant_roles` (the report lists the e-mails either way). Answers ({e-mail: user}, the set of e-mails
    created)."""
    from allauth.account.models import EmailAddress

    User = _user_model()
    users, created = {}, set()
    for account in accounts:
        email = (account.get("email") or "").strip()
        if not email:
            raise ArchiveError("An account in the archive has no e-mail address.")
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            fields = {name: account[name] for name in USER_FIELDS if name in account and name != "email"}
            roles = {name: fields.pop(name) is True for name in ROLE_FIELDS if name in fields}
            if any(roles.values()):
                (report.roles_granted if grant_roles else report.roles_withheld).append(email.lower())
                if grant_roles:
                    fields.update(roles)
            if "date_joined" in fields:
                fields["date_joined"] = User._meta.get_field("date_joined").to_python(fields["date_joined"])
            user = User(email=email.lower(), **fields)
            user.set_unusable_password()
            user.save()
            if account.get("verified"):
                EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
            created.add(email)
        users[email] = user
    return users, created


def _row(model, record, users, terc, refs, files, label, index):
    known = {f.name: f for f in _fields(model)}
    lists = {m2m.name for m2m in model._meta.many_to_many}
    unknown = sorted(set(record) - set(known) - lists)
    if unknown:
        raise ArchiveError(f"{label} record {index} has fields this platform does not know: {', '.join(unknown)}.")
    values, m2m = {}, {}
    for name, value in record.items():
        if name in lists:
            missing = [email for email in value if email not in users]
            if missing:
                raise ArchiveError(f"{label} record {index} names an account not in the archive.")
            m2m[name] = value
            continue
        model_field = known[name]
        kind = _kind(model_field)
        if value is None:
            values[model_field.attname] = None
        elif kind == "value":
            values[model_field.attname] = model_field.to_python(value)
        elif kind == "file":
            values[model_field.attname] = files.store(value) if value else ""
        elif kind == "user":
            if value not in users:
                raise ArchiveError(f"{label} record {index} names an account not in the archive.")
            values[model_field.attname] = users[value].pk
        elif kind == "terc":
            if value not in terc:
                raise ArchiveError(
                    f"{label} record {index} names the TERC unit {value}, which this database's register does not "
                    "have. Load the register the archive was made with (manage.py load_teryt). Nothing was imported."
                )
            values[model_field.attname] = terc[value]
        elif kind == "contenttype":
            app_label, _dot, model_name = str(value).partition(".")
            values[model_field.attname] = ContentType.objects.get_by_natural_key(app_label, model_name).pk
        else:
            related = model_field.related_model._meta.label
            try:
                values[model_field.attname] = refs[related][value]
            except KeyError:
                raise ArchiveError(
                    f"{label} record {index} refers to {related} {value}, which the archive does not hold."
                ) from None
    return model(**values), m2m

"""Shared fixtures: users with verified e-mail, an edition in a chosen phase, e-mail outbox."""

import datetime

import pytest
from django.utils import timezone

from tests import factories


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Each test writes uploads to its own folder (or its own S3 prefix when S3 is configured)."""
    if settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path / "media"}},
        }
        settings.MEDIA_ROOT = tmp_path / "media"
    else:
        options = {**settings.STORAGES["default"]["OPTIONS"], "location": f"test-{tmp_path.name}"}
        settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": options}}


@pytest.fixture(autouse=True)
def _fast_hashing_and_plain_static(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, request):
    """Test databases named per run (test_slz_gw0_1a2b3c4d), so two runs against one server never collide."""
    from django.conf import settings

    run_id = _run_id(request.config)

    for db_settings in settings.DATABASES.values():
        if db_settings["ENGINE"] == "django.db.backends.sqlite3":
            continue  # in memory, private to the process
        test_name = db_settings.setdefault("TEST", {}).get("NAME") or f"test_{db_settings['NAME']}"
        db_settings["TEST"]["NAME"] = f"{test_name}_{run_id[:8]}"


def _run_id(config):
    """xdist hands every worker of one run the same id; a run without xdist makes its own (once)."""
    import uuid

    workerinput = getattr(config, "workerinput", {})
    if "testrunuid" in workerinput:
        return workerinput["testrunuid"]
    if not hasattr(config, "_slz_run_id"):
        config._slz_run_id = uuid.uuid4().hex
    return config._slz_run_id


@pytest.fixture(scope="session", autouse=True)
def _cache_of_this_process(request):
    """With REDIS_URL set (CI's PostgreSQL pass) every test process of every run shares one Redis database: each
    gets its own key prefix, and its cache.clear() removes only its own keys (tests/redis_cache.py)."""
    from django.conf import settings
    from django.test.utils import override_settings

    caches = {}
    worker = getattr(request.config, "workerinput", {}).get("workerid", "main")
    for alias, config in settings.CACHES.items():
        config = {**config}
        if config["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
            config["BACKEND"] = "tests.redis_cache.ProcessRedisCache"
            config["KEY_PREFIX"] = f"test-{_run_id(request.config)[:8]}-{worker}"
        caches[alias] = config
    with override_settings(CACHES=caches):
        yield


@pytest.fixture
def terc(db):
    """The TERC register the migration loads; put back when a transactional test elsewhere flushed it."""
    factories.ensure_terc()


@pytest.fixture(autouse=True)
def _terc_register_present(request):
    """Every database test starts with the register, whatever ran before it in this worker (a transactional test's
    flush empties it; xdist does not promise those run last)."""
    if request.node.get_closest_marker("django_db") is not None:
        request.getfixturevalue("terc")


@pytest.fixture
def staff_without_mfa(settings):
    """Staff pages without the second factor, for modules whose subject is not the access policy (that has its own
    tests: test_mfa_policy.py, test_access_matrix.py). Used as `pytest.mark.usefixtures("staff_without_mfa")`."""
    settings.REQUIRE_MFA_FOR_STAFF = False


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def edition_in_submissions(db):
    return factories.EditionFactory(phase="submissions")


@pytest.fixture
def applicant(db):
    return factories.UserFactory(email="applicant@example.com")


@pytest.fixture
def organiser(db):
    return factories.UserFactory(email="organiser@example.com", is_organiser=True, is_staff=True, is_superuser=True)


@pytest.fixture
def org(client, organiser):
    """The test client, logged in as the organiser."""
    client.force_login(organiser)
    return client


def warsaw(year, month, day, hour=0, minute=0, second=0):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute, second))


@pytest.fixture(autouse=True)
def _interface_language(request, settings):
    """Tests read messages in English unless marked `polish`; browser tests see the real Polish default."""
    from django.utils import translation

    real_default = request.node.get_closest_marker("polish") or request.node.get_closest_marker("e2e")
    language = "pl" if real_default else "en"
    settings.LANGUAGE_CODE = language
    with translation.override(language):
        yield


@pytest.fixture
def untranslated(monkeypatch):
    """Every message looked up in Polish that the Polish catalogue lacks, ours or Django's and the libraries' (the
    catalogue test covers only the messages of our code): a set that fills while the test renders pages."""
    from django.utils.translation.trans_real import DjangoTranslation

    missed = set()
    gettext, ngettext = DjangoTranslation.gettext, DjangoTranslation.ngettext

    def checked_gettext(self, message):
        if self.language() == "pl" and message not in self._catalog:
            missed.add(message)
        return gettext(self, message)

    def checked_ngettext(self, singular, plural, number):
        if self.language() == "pl" and (singular, 0) not in self._catalog:
            missed.add(singular)
        return ngettext(self, singular, plural, number)

    monkeypatch.setattr(DjangoTranslation, "gettext", checked_gettext)
    monkeypatch.setattr(DjangoTranslation, "ngettext", checked_ngettext)
    return missed


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and used TOTP codes live in the cache: each test starts with none."""
    from django.core.cache import cache

    from contest.setup_cache import forget_local as forget_setup
    from jury.redaction_store import forget_local as forget_redacted
    from results.cache import forget_local

    cache.clear()
    forget_local()
    forget_redacted()
    forget_setup()
    yield
    cache.clear()
    forget_local()
    forget_redacted()
    forget_setup()


@pytest.fixture(scope="module")
def seeded_demo_media(tmp_path_factory):
    """The folder `seeded_demo` writes its files to."""
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="module")
def seeded_demo_storages(seeded_demo_media):
    """The STORAGES `seeded_demo` writes with: a test that reads the demo's files sets settings.STORAGES to it."""
    storages = {**_settings().STORAGES}
    if storages["default"]["BACKEND"].endswith("FileSystemStorage"):
        storages["default"] = {**storages["default"], "OPTIONS": {"location": seeded_demo_media}}
    return storages


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup, django_db_blocker, seeded_demo_media, seeded_demo_storages):
    """`seed_demo` once for a whole module, rolled back after its last test: each test of the module then runs in
    a savepoint inside this transaction (pytest-django's `db`), sees the demo and cannot change it for the next.
    Seeding takes seconds, so modules that only read the demo share one. Its files go to a folder of the module's
    (each test gets its own media folder): a test that reads them sets settings.STORAGES to `seeded_demo_storages`."""
    import io

    from django.core.management import call_command
    from django.db import transaction
    from django.test.utils import override_settings

    media, storages = seeded_demo_media, seeded_demo_storages
    with django_db_blocker.unblock(), override_settings(DEBUG=True, STORAGES=storages, MEDIA_ROOT=media):
        factories.ensure_terc()
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = io.StringIO()
            call_command("seed_demo", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _settings():
    from django.conf import settings

    return settings


MOTO_BUCKET = "slz-moto"
MOTO_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "eu-central-1"}


@pytest.fixture(scope="module")
def s3_server(tmp_path_factory):
    """A real S3 server (moto_server, a process of its own on a free port) with the bucket MOTO_BUCKET: (process,
    endpoint). Tests may freeze it (SIGSTOP) to see the platform without its storage; it is thawed at the end."""
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    import boto3

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    moto = Path(sys.executable).with_name("moto_server")
    log = (tmp_path_factory.mktemp("moto") / "moto.log").open("w")
    process = subprocess.Popen([str(moto), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log)
    endpoint = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    boto3.client("s3", endpoint_url=endpoint, **MOTO_CREDENTIALS).create_bucket(
        Bucket=MOTO_BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
    )
    yield process, endpoint
    os.kill(process.pid, signal.SIGCONT)
    process.terminate()
    process.wait(10)
    log.close()


def live_s3_storage(endpoint, **options):
    """A django-storages S3 storage on the s3_server's bucket."""
    from storages.backends.s3 import S3Storage

    return S3Storage(
        bucket_name=MOTO_BUCKET,
        access_key=MOTO_CREDENTIALS["aws_access_key_id"],
        secret_key=MOTO_CREDENTIALS["aws_secret_access_key"],
        region_name=MOTO_CREDENTIALS["region_name"],
        endpoint_url=endpoint,
        **options,
    )


def fetch_download(response):
    """(status, content type, body) of a file download: on S3 the view answers with a redirect to a short presigned
    address on the storage server, which this follows; locally the view streams the file itself."""
    from urllib.request import urlopen

    from django.conf import settings

    if response.status_code == 302:
        endpoint = settings.STORAGES["default"].get("OPTIONS", {}).get("endpoint_url") or ""
        assert endpoint and response["Location"].startswith(endpoint), response["Location"]
        with urlopen(response["Location"], timeout=10) as remote:
            return remote.status, remote.headers.get("Content-Type"), remote.read()
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    return response.status_code, response.get("Content-Type"), body


def download_disposition(response):
    """The Content-Disposition a download gets: the view's header, or on S3 the one the presigned address asks for."""
    from urllib.parse import parse_qs, urlsplit

    if response.status_code == 302:
        return parse_qs(urlsplit(response["Location"]).query)["response-content-disposition"][0]
    return response["Content-Disposition"]

"""/healthz: a cheap answer for everyone, the full database-and-storage check only with HEALTHZ_TOKEN."""

import socket
from types import SimpleNamespace

import pytest

TOKEN = "s3cret-healthz-token"


def _closed_loopback_port():
    """A port on 127.0.0.1 that nothing listens on: bind, read the number, close."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def unreachable_storage(settings, tmp_path):
    """Point the default storage somewhere it cannot write, of the same kind as the configured one."""
    default = settings.STORAGES["default"]
    if default["BACKEND"].endswith("S3Storage"):
        options = {**default["OPTIONS"], "endpoint_url": f"http://127.0.0.1:{_closed_loopback_port()}"}
    else:
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("a regular file: nothing can be created under it")
        options = {**default.get("OPTIONS", {}), "location": blocker / "media"}
    settings.STORAGES = {**settings.STORAGES, "default": {**default, "OPTIONS": options}}


@pytest.fixture
def token(settings):
    settings.HEALTHZ_TOKEN = TOKEN
    return TOKEN


@pytest.fixture
def storage_calls(monkeypatch, settings):
    """Every save, open, delete or existence check /healthz asks of the configured storage backend."""
    from django.utils.module_loading import import_string

    backend = import_string(settings.STORAGES["default"]["BACKEND"])
    calls = []
    for method in ("save", "open", "delete", "exists", "listdir"):
        real = getattr(backend, method)

        def spy(self, *args, _real=real, _method=method, **kwargs):
            calls.append(_method)
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(backend, method, spy)
    return calls


def test_healthz_anonymous_is_ok_with_storage_configured(client, db):
    response = client.get("/healthz")

    assert (response.status_code, response.json()) == (200, {"status": "ok", "database": "ok", "storage": "configured"})


def test_healthz_anonymous_makes_no_storage_request(client, db, storage_calls):
    for _ in range(3):
        client.get("/healthz")

    assert storage_calls == []


def test_healthz_anonymous_does_not_reach_an_unreachable_storage(client, db, unreachable_storage):
    response = client.get("/healthz")

    assert (response.status_code, response.json()["storage"]) == (200, "configured")


def test_healthz_is_not_cached(client, db):
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]


def test_healthz_bearer_token_runs_the_full_check(client, db, token, storage_calls):
    response = client.get("/healthz", headers={"Authorization": f"Bearer {token}"})

    assert (response.status_code, response.json()) == (200, {"status": "ok", "database": "ok", "storage": "ok"})
    assert {"save", "open", "delete"} <= set(storage_calls)


def test_healthz_query_token_runs_the_full_check(client, db, token):
    response = client.get("/healthz", {"token": token})

    assert (response.status_code, response.json()["storage"]) == (200, "ok")


def test_healthz_wrong_token_is_refused_without_storage_request(client, db, token, storage_calls):
    response = client.get("/healthz", headers={"Authorization": "Bearer not-the-token"})

    assert (response.status_code, response.json()["detail"], storage_calls) == (403, "invalid token", [])


def test_healthz_token_is_refused_when_none_is_configured(client, db, settings):
    settings.HEALTHZ_TOKEN = ""

    response = client.get("/healthz", {"token": ""}, headers={"Authorization": "Bearer anything"})

    assert response.status_code == 403


def test_healthz_storage_unreachable_is_503_with_token(client, db, token, unreachable_storage):
    response = client.get("/healthz", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 503


def test_healthz_storage_unreachable_reports_storage_error_with_token(client, db, token, unreachable_storage):
    body = client.get("/healthz", {"token": token}).json()

    assert (body["status"], body["database"], body["storage"].startswith("error")) == ("error", "ok", True)


def test_healthz_storage_without_bucket_or_location_is_503(client, db, monkeypatch):
    from config import health

    monkeypatch.setattr(health, "default_storage", SimpleNamespace(bucket_name="", location=""))

    response = client.get("/healthz")

    assert (response.status_code, response.json()["storage"]) == (503, "error: OSError")

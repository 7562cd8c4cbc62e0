"""/healthz: JSON on database and storage reachability, 503 when the storage really cannot be reached."""
import socket

import pytest


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


def test_healthz_all_reachable_is_ok(client, db):
    response = client.get("/healthz")

    assert (response.status_code, response.json()) == (200, {"status": "ok", "database": "ok", "storage": "ok"})


def test_healthz_is_not_cached(client, db):
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]


def test_healthz_storage_unreachable_is_503(client, db, unreachable_storage):
    response = client.get("/healthz")

    assert response.status_code == 503


def test_healthz_storage_unreachable_reports_storage_error(client, db, unreachable_storage):
    body = client.get("/healthz").json()

    assert (body["status"], body["database"], body["storage"].startswith("error")) == ("error", "ok", True)


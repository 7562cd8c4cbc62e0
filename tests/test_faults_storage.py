"""The S3 server stops during an upload and during a download, on a real S3 server (moto_server, a process of its
own started for this module on a free port) that is frozen (SIGSTOP) and woken (SIGCONT): a frozen server accepts
connections and never answers, as a hung or unreachable S3 does, and keeps its files, so we can check that every
other file is intact and that everything works again when it is back. Runs in both CI passes: the storage here is
always this server, whatever the pass configures.
"""

import hashlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
import requests
from botocore.config import Config
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import Attachment
from tests import factories

pytestmark = [pytest.mark.django_db]

BUCKET = "slz-faults"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "eu-central-1"}


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server(tmp_path_factory):
    port = _free_port()
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
    boto3.client("s3", endpoint_url=endpoint, **CREDENTIALS).create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
    )
    yield process, endpoint
    os.kill(process.pid, signal.SIGCONT)
    process.terminate()
    process.wait(10)
    log.close()


@pytest.fixture
def s3(settings, s3_server, tmp_path):
    """Private files on the module's S3 server; short timeouts and no retry, so a test waits about a second
    for a frozen server instead of a minute (the web process would wait as long as its own settings say)."""
    process, endpoint = s3_server
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "location": f"test-{tmp_path.name}",
                "endpoint_url": endpoint,
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
                "region_name": CREDENTIALS["region_name"],
                "default_acl": None,
                "file_overwrite": False,
                "signature_version": "s3v4",
                "querystring_expire": 60,
                "client_config": Config(
                    connect_timeout=1, read_timeout=1, retries={"total_max_attempts": 1}, signature_version="s3v4"
                ),
            },
        },
    }
    stopped = []

    class Server:
        def stop(self):
            os.kill(process.pid, signal.SIGSTOP)
            stopped.append(True)

        def start(self):
            os.kill(process.pid, signal.SIGCONT)
            stopped.clear()

    yield Server()
    if stopped:
        os.kill(process.pid, signal.SIGCONT)


def stored_sha256(attachment):
    from django.core.files.storage import default_storage

    with default_storage.open(attachment.file.name, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


@pytest.fixture
def draft(s3, applicant):
    """A draft with one file already stored on S3, and a second attachment type to upload to."""
    application = factories.complete_application(owner=applicant)
    existing = application.attachments.get()
    existing.sha256 = stored_sha256(existing)  # the factory records a placeholder; this is what S3 holds
    existing.save(update_fields=["sha256"])
    requirement = factories.AttachmentRequirementFactory(
        edition=application.edition, name="Zdjęcia", allowed_types=["pdf"], is_required=False
    )
    return application, requirement


def upload(client, application, requirement, text):
    return client.post(
        reverse("applications:attachments", args=[application.pk]),
        {
            "requirement": requirement.pk,
            "file": SimpleUploadedFile("opis.pdf", factories.pdf_bytes(text), content_type="application/pdf"),
        },
    )


def test_upload_while_s3_is_down_says_so_keeps_everything_and_works_when_it_is_back(client, s3, draft):
    application, requirement = draft
    existing = application.attachments.get()
    client.force_login(application.owner)

    s3.stop()
    response = upload(client, application, requirement, "Opis w trakcie awarii")
    s3.start()

    assert response.status_code == 503
    assert (
        "The file could not be stored right now. Your application and other files are safe; please try uploading "
        "this file again in a moment." in response.text
    )
    application.refresh_from_db()
    assert application.title == factories.COMPLETE_FIELDS["title"]
    assert list(application.attachments.values_list("pk", flat=True)) == [existing.pk]
    assert stored_sha256(existing) == existing.sha256

    retry = upload(client, application, requirement, "Opis po awarii")

    assert retry.status_code == 302
    added = application.attachments.get(requirement=requirement)
    assert stored_sha256(added) == added.sha256 == hashlib.sha256(factories.pdf_bytes("Opis po awarii")).hexdigest()
    assert stored_sha256(existing) == existing.sha256


def test_download_while_s3_is_down_says_so_and_works_when_it_is_back(client, s3, draft):
    application, _requirement = draft
    attachment = application.attachments.get()
    client.force_login(application.owner)
    url = reverse("applications:attachment", args=[application.pk, attachment.pk])

    s3.stop()
    response = client.get(url)
    s3.start()

    assert (response.status_code, response["Retry-After"]) == (503, "60")
    assert response.text == (
        "The file cannot be downloaded right now because the file storage is not answering. The file is safe: "
        "try again in a few minutes."
    )
    assert Attachment.objects.filter(application=application).count() == 1

    again = client.get(url)

    assert again.status_code == 302
    assert "X-Amz-Expires=60" in again["Location"]
    assert "response-content-disposition=attachment" in again["Location"]
    downloaded = requests.get(again["Location"], timeout=5)
    assert hashlib.sha256(downloaded.content).hexdigest() == attachment.sha256

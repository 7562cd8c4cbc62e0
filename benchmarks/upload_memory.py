"""Benchmark: a 100 MB attachment through the real upload view into S3 (moto server), against plain boto3.

Starts a moto S3 server and a gunicorn worker on 127.0.0.1, uploads the same file once through
POST /wnioski/<id>/zalaczniki/ and once with boto3's upload_file(), and prints both times and the
web worker's peak memory growth (VmHWM from /proc, reset before the upload).

    .venv/bin/python benchmarks/upload_memory.py [--size-mb 100]

Targets (from the issue): peak memory growth < 32 MB; view time <= 1.5 x plain boto3 time.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
BUCKET = "slz-bench"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, timeout=30):
    import requests

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def write_large_pdf(path, size):
    """A valid PDF of about `size` bytes: one page whose content stream is padded with PDF comments."""
    chunk = b"% " + b"0" * 1021 + b"\n"
    with open(path, "wb") as handle:
        handle.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        offsets.append(handle.tell())
        handle.write(b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
        offsets.append(handle.tell())
        handle.write(b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n")
        offsets.append(handle.tell())
        handle.write(b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>\nendobj\n")
        offsets.append(handle.tell())
        count = max(1, size // len(chunk))
        length = count * len(chunk)
        handle.write(b"4 0 obj\n<< /Length %d >>\nstream\n" % length)
        for _ in range(count):
            handle.write(chunk)
        handle.write(b"\nendstream\nendobj\n")
        xref = handle.tell()
        handle.write(b"xref\n0 5\n0000000000 65535 f \n")
        for offset in offsets:
            handle.write(b"%010d 00000 n \n" % offset)
        handle.write(b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref)


class MultipartFile:
    """A multipart/form-data body read from disk piece by piece, with a known length."""

    boundary = "----slz-benchmark-boundary-7f3a9c"

    def __init__(self, path, filename, fields):
        head = b""
        for key, value in fields.items():
            head += (f'--{self.boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n').encode()
        head += (
            f'--{self.boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        self.parts = [head, None, f"\r\n--{self.boundary}--\r\n".encode()]
        self.handle = open(path, "rb")
        self.length = len(head) + os.path.getsize(path) + len(self.parts[2])
        self.content_type = f"multipart/form-data; boundary={self.boundary}"
        self.index = 0
        self.offset = 0

    def __len__(self):
        return self.length

    def read(self, size=-1):
        # http.client asks for 8-16 KB blocks; answering with 1 MB keeps the client's CPU out of the timing,
        # as a browser's native upload would.
        size = 1024 * 1024
        while self.index < 3:
            if self.index == 1:
                data = self.handle.read(size)
                if data:
                    return data
                self.index += 1
                continue
            part = self.parts[self.index]
            if self.offset < len(part):
                data = part[self.offset : self.offset + size]
                self.offset += len(data)
                return data
            self.index += 1
            self.offset = 0
        return b""

    def close(self):
        self.handle.close()


def proc_kb(pid, field):
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", text, re.M).group(1))


def reset_peak(pid):
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def worker_pid(master_pid):
    for _ in range(100):
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
        if children.exists():
            pids = children.read_text().split()
            if pids:
                return int(pids[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn worker not found")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    size = args.size_mb * 1024 * 1024

    work = Path(tempfile.mkdtemp(prefix="slz-bench-"))
    moto_port, web_port = free_port(), free_port()
    env = {
        **os.environ,
        "DJANGO_DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{work / 'bench.db'}",
        "DJANGO_MEDIA_ROOT": str(work / "media"),
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{moto_port}",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_S3_REGION_NAME": "eu-central-1",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "TMPDIR": str(work),
    }
    processes = []
    try:
        moto = subprocess.Popen(
            [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(moto_port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(moto)
        wait_for(env["AWS_S3_ENDPOINT_URL"])
        import boto3
        from boto3.s3.transfer import TransferConfig

        s3 = boto3.client(
            "s3",
            endpoint_url=env["AWS_S3_ENDPOINT_URL"],
            region_name="eu-central-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})

        print("Preparing the database…", flush=True)
        subprocess.run([str(VENV_BIN / "python"), "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        setup = subprocess.run(
            [str(VENV_BIN / "python"), "-c", SETUP_SCRIPT, str(size // (1024 * 1024) + 10)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        application_id, requirement_id, session_key = setup.stdout.split()

        gunicorn = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{web_port}", "-w", "1", "--timeout", "600"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(gunicorn)
        base = f"http://127.0.0.1:{web_port}"
        wait_for(base + "/healthz")
        pid = worker_pid(gunicorn.pid)

        import requests

        session = requests.Session()
        session.cookies.set("sessionid", session_key)
        url = f"{base}/wnioski/{application_id}/zalaczniki/"

        def post(path, name):
            """Upload like a browser: the body streams from disk (not built in memory), timed from the first byte."""
            page = session.get(url)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
            body = MultipartFile(path, name, {"csrfmiddlewaretoken": token, "requirement": requirement_id})
            started = time.perf_counter()
            response = session.post(
                url,
                data=body,
                headers={"Referer": url, "Content-Type": body.content_type, "Content-Length": str(len(body))},
                allow_redirects=False,
            )
            elapsed = time.perf_counter() - started
            body.close()
            if response.status_code != 302:
                raise RuntimeError(f"upload failed: {response.status_code} {response.text[:500]}")
            return elapsed

        small = work / "small.pdf"
        write_large_pdf(small, 16 * 1024 * 1024)
        post(small, "warm-up.pdf")  # imports, S3 client and multipart thread pool are ready before measuring

        big = work / "big.pdf"
        write_large_pdf(big, size)
        actual = big.stat().st_size

        view_times, boto_times, growths = [], [], []
        exact_reset = True
        for round_number in range(args.rounds):
            rss_before = proc_kb(pid, "VmRSS")
            exact_reset = reset_peak(pid) and exact_reset
            hwm_before = proc_kb(pid, "VmHWM")
            view_times.append(post(big, f"raport-koncowy-{round_number}.pdf"))
            hwm_after = proc_kb(pid, "VmHWM")
            growths.append((hwm_after - (rss_before if exact_reset else hwm_before)) / 1024)
            started = time.perf_counter()
            s3.upload_file(str(big), BUCKET, f"plain-boto3/big-{round_number}.pdf", Config=TransferConfig())
            boto_times.append(time.perf_counter() - started)

        view_seconds, boto_seconds = statistics.median(view_times), statistics.median(boto_times)
        growth_mb = max(growths)
        ratio = view_seconds / boto_seconds
        print(f"File size:                       {actual / 1024 / 1024:.1f} MB, {args.rounds} rounds (median)")
        print(
            f"Upload through the view:         {view_seconds:.2f} s  (all: {', '.join(f'{t:.2f}' for t in view_times)})"
        )
        print(
            f"Plain boto3 upload_file:         {boto_seconds:.2f} s  (all: {', '.join(f'{t:.2f}' for t in boto_times)})"
        )
        print(f"Ratio view / boto3:              {ratio:.2f} (target <= 1.5)")
        print(
            f"Web worker peak memory growth:   {growth_mb:.1f} MB max (target < 32 MB;"
            f" peak reset {'exact' if exact_reset else 'not available, measured from previous peak'})"
        )
        ok = growth_mb < 32 and ratio <= 1.5
        print("RESULT:", "PASS" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        for process in reversed(processes):
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(work, ignore_errors=True)


SETUP_SCRIPT = r"""
import datetime, sys
import django
django.setup()
from django.test import Client
from django.utils import timezone
from accounts.models import User
from applications.models import Application
from contest.models import AttachmentRequirement, Category, Edition

now = timezone.now()
day = datetime.timedelta(days=1)
edition = Edition.objects.create(
    number=999, year=2999, is_draft=False, call_published_at=now - 20 * day, submissions_open_at=now - 10 * day,
    submission_deadline=now + 30 * day, formal_review_ends_at=now + 45 * day, scoring_starts_at=now + 50 * day,
    scoring_ends_at=now + 80 * day, results_at=now + 100 * day,
)
category = Category.objects.create(edition=edition, name="Benchmark")
requirement = AttachmentRequirement.objects.create(
    edition=edition, name="Raport", allowed_types=["pdf"], max_size_mb=int(sys.argv[1]), is_required=False
)
user = User.objects.create_user("bench@example.com", "bench-password-123")
application = Application.objects.create(edition=edition, category=category, owner=user)
client = Client()
client.force_login(user)
print(application.pk, requirement.pk, client.cookies["sessionid"].value)
"""

if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())

"""Benchmark: the demo's editions exported and imported into a fresh database and storage (export_edition /
import_edition), with the time of each step and a check that the restored edition exports to the same records and
files.

    .venv/bin/python benchmarks/edition_backup.py [--years 2025 2026]

Uses throw-away SQLite databases and local folders under a temporary directory (what `make run` uses); set
DATABASE_URL to a PostgreSQL server to measure there instead (databases <name>_bench_src and <name>_bench_dst are
created and dropped).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")


def manage(env, *args):
    started = time.monotonic()
    result = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout, time.monotonic() - started


def database(base, name, folder):
    if base and base.startswith("postgres"):
        url = re.sub(r"/[^/]*$", f"/{name}", base)
        server = re.sub(r"/[^/]*$", "/postgres", base)
        for statement in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
            subprocess.run(["psql", server, "-qc", statement], check=True)
        return url
    return f"sqlite:///{folder / (name + '.sqlite3')}"


def contents(path):
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        # The audit trail differs by design: the restored one has the import's event and keeps the source's events.
        members = {
            k: v
            for k, v in manifest["members"].items()
            if k != "audit-events.jsonl" and not k.startswith("files/audit-imported/")
        }
        return archive.read("records.json"), members


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, nargs="+", default=[2025, 2026])
    options = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        common = {k: v for k, v in os.environ.items() if not k.startswith("AWS_STORAGE")}
        source = {**common, "DJANGO_MEDIA_ROOT": str(folder / "src")}
        source["DATABASE_URL"] = database(base, "slz_bench_src", folder)
        target = {**common, "DJANGO_MEDIA_ROOT": str(folder / "dst")}
        target["DATABASE_URL"] = database(base, "slz_bench_dst", folder)
        print("preparing: migrate and seed_demo in the source, migrate the target ...", flush=True)
        manage(source, "migrate", "--noinput", "-v0")
        manage(source, "seed_demo")
        manage(target, "migrate", "--noinput", "-v0")
        for year in options.years:
            first, again = folder / f"{year}.zip", folder / f"{year}-again.zip"
            exported, export_wall = manage(source, "export_edition", str(year), str(first))
            # A full restore, as the README's: the archive's organisers and staff get their roles back (--grant-roles).
            imported, import_wall = manage(target, "import_edition", str(first), "--grant-roles")
            manage(target, "export_edition", str(year), str(again))
            size = re.search(r": (\d+) records, (\d+) files \(([\d.]+) MB\)", exported).groups()
            export_s = float(re.search(r"in ([\d.]+) s", exported).group(1))
            import_s = float(re.search(r"in ([\d.]+) s", imported).group(1))
            print(
                f"{year}: {size[0]} records, {size[1]} files, {size[2]} MB: export {export_s:.2f} s, import "
                f"{import_s:.2f} s, round trip {export_s + import_s:.2f} s (with Django's start-up "
                f"{export_wall + import_wall:.1f} s); the restored edition exports to the same records and files: "
                f"{'yes' if contents(first) == contents(again) else 'NO'}"
            )
        if base.startswith("postgres"):
            server = re.sub(r"/[^/]*$", "/postgres", base)
            for name in ("slz_bench_src", "slz_bench_dst"):
                subprocess.run(["psql", server, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)


if __name__ == "__main__":
    main()

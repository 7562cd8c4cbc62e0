"""Benchmark: the public results page of an edition with many laureates under gunicorn (DEBUG off, 2 workers, a SQLite
file database, production settings on loopback), beside a minimal Django view (benchmarks/minimal/) served the same
way in the same run, both loaded by wrk; the rounds alternate between the two.

    .venv/bin/python benchmarks/results_page.py [--laureates 60] [--rounds 3] [--duration 10] [--connections 32]
                                                [--threads 2] [--workers 2] [--redis]

Prints the throughput of each round, the median of each, their ratio (target >= 0.5), the page weights and the query
counts of the public pages (cold: built; warm: from the shared cache), measured with Django's test client. Fails on
any non-2xx response or socket error. --redis runs a throw-away redis-server on loopback as the shared cache
(REDIS_URL, as production does); without it each worker has its own local-memory cache.
"""

import argparse
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.serving import environment, fetch, free_port, gunicorn, start, start_redis, stop, wrk  # noqa: E402

YEAR = 2025
TARGET = 0.5
MD5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # seeding only: the servers keep the real hashers
SUMMARY = (
    "Gminy partnerstwa wspólnie zaplanowały sieć połączeń autobusowych, wspólne zamówienia energii i cyfrowe "
    "usługi dla mieszkańców. Dzięki porozumieniu mieszkańcy mniejszych miejscowości dojeżdżają do szkół, "
    "przychodni i pracy bez własnego samochodu, a samorządy płacą mniej za energię i oświetlenie ulic. "
    "Partnerstwo prowadzi wspólne biuro projektów, które przygotowuje wnioski o dofinansowanie i dzieli się "
    "doświadczeniem z innymi gminami regionu."
)
TITLES = (
    "Wspólny transport gminny",
    "Zielona energia dla szkół",
    "Cyfrowy urząd bliżej mieszkańca",
    "Rewitalizacja doliny rzeki",
    "Opieka senioralna w sąsiedztwie",
    "Szlaki rowerowe łączące gminy",
)


def seed(n_laureates):
    """A public 2025 edition with n awarded entries in three categories (each with two or three real units as
    partners, a photo and a presentation) and a public 2024 edition, as the publication service leaves them."""
    from django.test.utils import override_settings

    from contest.models import TerritorialUnit
    from results.models import PublishedEntry
    from tests import factories as f
    from tests import results_factories as rf

    rng = random.Random(2025)
    kinds = (TerritorialUnit.Kind.URBAN, TerritorialUnit.Kind.RURAL, TerritorialUnit.Kind.URBAN_RURAL)
    units = list(TerritorialUnit.objects.filter(kind__in=kinds).order_by("code").values_list("code", "name"))
    with override_settings(PASSWORD_HASHERS=MD5):
        older = rf.results_edition(year=YEAR - 1, number=18)
        rf.published_entry(older, "Partnerstwo Doliny Bobru", images=1)
        edition = rf.results_edition(year=YEAR, number=19)
        categories = [
            f.CategoryFactory(edition=edition, name=name, order=k)
            for k, name in enumerate(("Gminy miejskie", "Gminy wiejskie i miejsko-wiejskie", "Powiaty i związki"))
        ]
        for k in range(n_laureates):
            partners = rng.sample(units, rng.choice((2, 3)))
            laureate = k % 4 != 3
            rf.published_entry(
                edition,
                f"Partnerstwo {partners[0][1]} i {partners[1][1]} {k + 1}",
                units=[code for code, _name in partners],
                outcome=PublishedEntry.Outcome.LAUREATE if laureate else PublishedEntry.Outcome.DISTINCTION,
                place=(k // 3) + 1 if laureate and k < 9 else None,
                prize_tier="" if not laureate or k < 9 else "Nagroda specjalna",
                category=categories[k % 3],
                title=TITLES[k % len(TITLES)],
                public_summary=SUMMARY,
                citation="Za odwagę wspólnego działania i rozwiązania, które inne gminy mogą powtórzyć.",
                images=1,
                documents=1,
                order=k,
            )
    return edition


def measure_pages(edition):
    """{name: (status, cold queries, warm queries, bytes)} of the public pages, via the test client."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    entry = edition.published_entries.order_by("order").first()
    pages = {
        "results page": f"/laureaci/{edition.year}/",
        "laureate page": f"/laureaci/{edition.year}/{entry.slug}/",
        "archive": "/dobre-praktyki/",
        "archive search": "/dobre-praktyki/?q=partnerstwo&voivodeship=14",
        "map": "/mapa/",
    }
    client = Client()
    measured = {}
    cache.clear()
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as cold:
            client.get(url)
        with CaptureQueriesContext(connection) as warm:
            response = client.get(url)
        measured[name] = (url, response.status_code, len(cold), len(warm), len(response.content))
    return measured


def asset_weight(base, html):
    """(bytes of the stylesheets and scripts, bytes and number of the pictures) a page refers to, fetched once each."""
    page = html.decode()
    assets = set(
        re.findall(r'<link rel="stylesheet" href="([^"]+)"', page) + re.findall(r'<script src="([^"]+)"', page)
    )
    pictures = set(re.findall(r'<img src="([^"]+)"', page))
    asset_bytes = sum(len(fetch(base + path)[1]) for path in assets)
    return asset_bytes, sum(len(fetch(base + path)[1]) for path in pictures), len(pictures)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--laureates", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis", action="store_true", help="a throw-away redis-server as the shared cache")
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="slz-results-bench-"))
    processes = []
    try:
        redis_url = ""
        if options.redis:
            redis_url = start_redis(processes)
        env = environment(work, redis_url)
        os.environ.update(env)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # loads the TERC register too
        call_command("collectstatic", interactive=False, verbosity=0)  # the hashed files DEBUG off serves
        edition = seed(options.laureates)
        measured = measure_pages(edition)
        from django.db import connections

        connections.close_all()

        page_port, minimal_port = free_port(), free_port()
        page_server, page_url = start(
            gunicorn("config.wsgi:application", page_port, options.workers), env, page_port, f"/laureaci/{YEAR}/"
        )
        processes.append(page_server)
        minimal_server, minimal_url = start(
            gunicorn("benchmarks.minimal.wsgi:application", minimal_port, options.workers), env, minimal_port, "/"
        )
        processes.append(minimal_server)
        status, body = fetch(page_url)
        minimal_status, minimal_body = fetch(minimal_url)
        assert (status, minimal_status) == (200, 200), (status, minimal_status)

        load = {"threads": options.threads, "connections": options.connections}
        for url in (page_url, minimal_url):  # warm up: imports, connections, every worker's cache
            wrk(url, duration=2, **load)
        rates = {"page": [], "minimal": []}
        failures = 0
        print(
            f"results page of {options.laureates} awarded entries, gunicorn {options.workers} workers, "
            f"wrk -t{options.threads} -c{options.connections} -d{options.duration}s, "
            f"cache: {'redis' if redis_url else 'local memory per worker'}"
        )
        for round_number in range(1, options.rounds + 1):
            for name, url in (("page", page_url), ("minimal", minimal_url)):
                rate, non_2xx, errors = wrk(url, duration=options.duration, **load)
                rates[name].append(rate)
                failures += non_2xx + errors
                print(f"  round {round_number} {name:8} {rate:9.1f} req/s  non-2xx {non_2xx}  socket errors {errors}")

        page_rate, minimal_rate = statistics.median(rates["page"]), statistics.median(rates["minimal"])
        ratio = page_rate / minimal_rate
        print(f"results page: {page_rate:.1f} req/s (median of {options.rounds})")
        print(f"minimal view: {minimal_rate:.1f} req/s (median of {options.rounds})")
        rounds = ", ".join(f"{p / m:.2f}" for p, m in zip(rates["page"], rates["minimal"], strict=True))
        print(f"ratio: {ratio:.2f} (target >= {TARGET}; each round: {rounds})")
        assets, pictures, count = asset_weight(page_url.split("/laureaci/")[0], body)
        print(
            f"page weight: results page {len(body)} bytes of HTML (+ {assets} bytes of CSS and JS, uncompressed, "
            f"+ {pictures} bytes in {count} seeded pictures), minimal view {len(minimal_body)} bytes"
        )
        print("queries and weights (test client; cold = built, warm = from the cache):")
        for name, (url, code, cold, warm, size) in measured.items():
            print(f"  {name:15} {url:45} {code}  {cold:2} cold, {warm} warm queries  {size:7} bytes")
        if failures:
            raise SystemExit(f"{failures} non-2xx responses or socket errors")
        if any(code != 200 for _url, code, *_rest in measured.values()):
            raise SystemExit("a public page did not answer 200")
    finally:
        for process in reversed(processes):
            stop(process)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""The shared cache of public result pages (Redis when REDIS_URL is set, so every process sees one generation).

Every cached public fragment or page is keyed by the current generation and by whether each edition's results are
public at this second, so a page cached before results_at is never served after it, nor one cached after it before.
Anything that changes what is public (preparing, publishing, unpublishing, editing published content) calls bump().

A generation is a random token, not a counter, so a key names one content only, even after the cache is emptied;
that lets each process keep its own copies of the pages it serves most (fetch()/store()) for a few seconds instead
of fetching the large ones from Redis on every request, and still never serve one of another generation.
"""

import secrets
import time

from django.core.cache import cache

GENERATION_KEY = "results:generation"
TIMEOUT = 600  # seconds; generations make staleness impossible, the timeout only bounds memory
LOCAL_TIMEOUT = 30  # seconds a process keeps its copy (edits outside the services, e.g. an edition's theme)
LOCAL_SIZE = 64
# A process reads the generation from the shared cache at most once a second. Another process's bump() reaches it
# within that second; the embargo does not wait for it, because every key also names the editions whose results are
# public at this second, read from the database on every request.
GENERATION_LOCAL_TIMEOUT = 1.0
_local = {}  # key -> (monotonic expiry, value)
_generation = [0.0, None]  # [monotonic expiry, generation]


def generation():
    now = time.monotonic()
    if _generation[1] is not None and _generation[0] > now:
        return _generation[1]
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, secrets.token_hex(8), None)
        value = cache.get(GENERATION_KEY)
    _generation[:] = [now + GENERATION_LOCAL_TIMEOUT, value]
    return value


def bump():
    """Invalidate every cached public page at once (after the surrounding transaction commits, by the caller)."""
    value = secrets.token_hex(8)
    cache.set(GENERATION_KEY, value, None)
    _generation[:] = [time.monotonic() + GENERATION_LOCAL_TIMEOUT, value]


def forget_local():
    """Drop this process's copies (tests empty the shared cache between tests and call this with it)."""
    _local.clear()
    _generation[:] = [0.0, None]


def key(*parts):
    """A cache key for a public fragment: the generation plus the parts that select it (language, edition, whether
    the results are public now, filters)."""
    return ":".join(["results", str(generation()), *(str(part) for part in parts)])


def fetch(page_key):
    """The value under a key of key(): this process's copy while it is fresh, else the shared cache's (or None)."""
    now = time.monotonic()
    local = _local.get(page_key)
    if local is not None and local[0] > now:
        return local[1]
    value = cache.get(page_key)
    if value is not None:
        _keep(page_key, value, now)
    return value


def store(page_key, value):
    cache.set(page_key, value, TIMEOUT)
    _keep(page_key, value, time.monotonic())


def _keep(page_key, value, now):
    if len(_local) >= LOCAL_SIZE:
        _local.clear()
    _local[page_key] = (now + LOCAL_TIMEOUT, value)

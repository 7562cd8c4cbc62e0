"""The shared cache of the public editions' set-up (editions, categories, criteria, attachment requirements) and of
the fragments rendered from it (Redis when REDIS_URL is set, so every process sees one generation).

The set-up changes a few times a year and is read on every visit to the home page. Every cached value is keyed by a
generation that any save or delete of those models replaces (contest.apps connects the receivers: edits come from
the admin, from the copy action and from services alike, and a missed one would show an outdated call). Anything
that depends on the moment (which edition is current, its phase) is decided per request from the cached rows, never
cached itself.

Without a shared cache each process has its own, and another process's edit reaches it only when its copy expires:
values then live LOCAL_TIMEOUT seconds instead of TIMEOUT.
"""

import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "contest:setup:generation"
TIMEOUT = 600  # seconds with a shared cache: the generation makes staleness impossible, this bounds memory
LOCAL_TIMEOUT = 10  # seconds without one: the most another process's edit can be late
GENERATION_LOCAL_TIMEOUT = 1.0  # a process reads the shared generation at most once a second
_generation = [0.0, None]  # [monotonic expiry, generation]
_local = {}  # key -> (monotonic expiry, value)
LOCAL_SIZE = 32


def shared():
    return bool(getattr(settings, "REDIS_URL", ""))


def timeout():
    return TIMEOUT if shared() else LOCAL_TIMEOUT


def generation():
    now = time.monotonic()
    if _generation[1] is not None and _generation[0] > now:
        return _generation[1]
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, secrets.token_hex(8), None)
        value = cache.get(GENERATION_KEY)
    _generation[:] = [now + (GENERATION_LOCAL_TIMEOUT if shared() else 0.0), value]
    return value


def bump(**_kwargs):
    """Invalidate every cached set-up value at once (a receiver of post_save and post_delete)."""
    value = secrets.token_hex(8)
    cache.set(GENERATION_KEY, value, None)
    _generation[:] = [0.0, None]


def bump_on_commit(**_kwargs):
    """The receiver of post_save and post_delete: bump() now, for reads later in this transaction, and again once
    the change is committed. Bumped only before the commit, a request elsewhere (still reading the committed rows)
    could store the old set-up under the new generation, where it would stay."""
    bump()
    transaction.on_commit(bump)


def forget_local():
    """Drop this process's copies (tests empty the shared cache between tests and call this with it)."""
    _generation[:] = [0.0, None]
    _local.clear()


def key(*parts):
    return ":".join(["contest:setup", str(generation()), *(str(part) for part in parts)])


def get_or_build(parts, build):
    """The value under key(*parts), built by build() and stored when missing. The process keeps its own copy too (a
    key names one generation's content only, so the copy is never stale; it spares unpickling on every request)."""
    name = key(*parts)
    now = time.monotonic()
    local = _local.get(name)
    if local is not None and local[0] > now:
        return local[1]
    value = cache.get(name)
    if value is None:
        value = build()
        cache.set(name, value, timeout())
    if len(_local) >= LOCAL_SIZE:
        _local.clear()
    _local[name] = (now + timeout(), value)
    return value

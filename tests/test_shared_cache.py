"""With REDIS_URL set, test processes share one Redis database: each clears only its own keys."""

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set")


def test_clearing_the_cache_leaves_another_process_keys_alone():
    other = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": "another-worker"})
    other.set("rate-limit", "kept", 60)
    cache.set("rate-limit", "mine", 60)
    try:
        cache.clear()
        assert (cache.get("rate-limit"), other.get("rate-limit")) == (None, "kept")
    finally:
        other.delete("rate-limit")


def test_this_process_has_its_own_key_prefix():
    assert cache.key_prefix.startswith("test-")
    assert cache.make_key("x").startswith(cache.key_prefix + ":")

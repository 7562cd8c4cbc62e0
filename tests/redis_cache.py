"""The Redis cache for tests: each test process has its own key prefix, and clear() removes only its own keys.

Django's RedisCache.clear() empties the whole Redis database (FLUSHDB), which every xdist worker of a run, and any
other run on the machine, shares: one worker's clear() between two tests would wipe another's rate limits, used TOTP
codes and cached pages in the middle of a test."""

from django.core.cache.backends.redis import RedisCache


class ProcessRedisCache(RedisCache):
    def clear(self):
        client = self._cache.get_client(None, write=True)
        batch = []
        for key in client.scan_iter(match=f"{self.key_prefix}:*", count=1000):
            batch.append(key)
            if len(batch) == 500:
                client.delete(*batch)
                batch = []
        if batch:
            client.delete(*batch)
        return True

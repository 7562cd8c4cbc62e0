"""The shared cache of public result pages (Redis when REDIS_URL is set, so every process sees one generation).

Every cached public fragment or page is keyed by the current generation and by whether each edition's results are
public at this second, so a page cached before results_at is never served after it, nor one cached after it before.
Anything that changes what is public (preparing, publishing, unpublishing, editing published content) calls bump().
"""

from django.core.cache import cache

GENERATION_KEY = "results:generation"
TIMEOUT = 600  # seconds; generations make staleness impossible, the timeout only bounds memory


def generation():
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, None)
        value = cache.get(GENERATION_KEY) or 1
    return value


def bump():
    """Invalidate every cached public page at once (after the surrounding transaction commits, by the caller)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.add(GENERATION_KEY, 2, None)


def key(*parts):
    """A cache key for a public fragment: the generation plus the parts that select it (language, edition, whether
    the results are public now, filters)."""
    return ":".join(["results", str(generation()), *(str(part) for part in parts)])

"""Redacted texts, computed once and stored under a fingerprint of everything that decides them.

Redaction is the costly part of a juror's page (a hundred or more pattern searches per entry, for every entry on the
dashboard). Its result depends only on the texts, the entry's redaction terms (names, people, numbers, the edition's
own terms) and the redaction code itself, so it is stored under the SHA-256 of exactly those: an edited entry, a new
or removed term, a renamed partner or a new version of jury/redaction.py gives another fingerprint, which is computed
afresh. A stored value can never be served for other inputs, so nothing has to be invalidated and nothing stale can
leak an identity; this holds for the shared cache (Redis when REDIS_URL is set, where every process finds what any
one computed) and for the small copy each process keeps of what it used last.
"""

import hashlib
import json
from collections import OrderedDict
from dataclasses import asdict
from pathlib import Path

from django.core.cache import cache

from . import redaction

# The redaction code is part of the fingerprint: a deployment that changes how texts are redacted never reads a text
# redacted by the old code. (Its imports of contest.identifiers are covered by their own file's hash too.)
_CODE = hashlib.sha256(
    Path(redaction.__file__).read_bytes() + Path(redaction.__file__).parent.parent.joinpath(
        "contest", "identifiers.py"
    ).read_bytes()
).hexdigest()[:16]
KEY_PREFIX = "jury:redacted:"
TIMEOUT = 14 * 24 * 3600  # seconds; only bounds memory (a value is correct for its fingerprint for ever)
LOCAL_SIZE = 2000  # redacted entries each process keeps (a few kB each)
_local = OrderedDict()


def fingerprint(texts, terms):
    """The SHA-256 of the redaction code, the terms and the texts."""
    payload = json.dumps([_CODE, asdict(terms), list(texts)], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def redacted_many(work):
    """{(texts, terms): redacted texts} for pairs of a tuple of texts and their redaction.Terms: the stored result
    where there is one, else redacted now (each pair's terms compiled once) and stored."""
    work = list(dict.fromkeys(work))
    prints = {item: fingerprint(*item) for item in work}
    found = {}
    missing = []
    for item, digest in prints.items():
        if digest in _local:
            _local.move_to_end(digest)
            found[item] = _local[digest]
        else:
            missing.append(item)
    if missing:
        shared = cache.get_many([KEY_PREFIX + prints[item] for item in missing])
        computed = {}
        for item in missing:
            value = shared.get(KEY_PREFIX + prints[item])
            if not _valid(value, item[0]):
                texts, terms = item
                compiled = redaction.compile_terms(terms)
                value = tuple(redaction.redact(text, compiled) for text in texts)
                computed[KEY_PREFIX + prints[item]] = value
            found[item] = value
            _keep(prints[item], value)
        if computed:
            cache.set_many(computed, TIMEOUT)
    return found


def _valid(value, texts):
    return isinstance(value, tuple) and len(value) == len(texts) and all(isinstance(v, str) for v in value)


def _keep(digest, value):
    _local[digest] = value
    while len(_local) > LOCAL_SIZE:
        _local.popitem(last=False)


def forget_local():
    """Drop this process's copies (tests that empty the shared cache call this with it)."""
    _local.clear()

"""Recording audit events (every state change that matters calls record() inside its transaction) and reading them
back. Each event is chained to the one before it by hash (contest.audit_chain)."""

import contextlib
import contextvars
import csv
import datetime
import json

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone

from . import audit_chain
from .models import AuditEvent
from .validators import EMAIL, find_email, fold

# Any number works as long as nothing else in the project takes the same advisory lock.
CHAIN_LOCK = 0x534C5A_4155  # "SLZ" "AU"

# EMAIL (contest.validators) finds an e-mail address anywhere in a string: hashed records outlive the accounts they
# mention (RODO erasure). Strings are folded first (NFKC), so a full-width "＠" is an "@" here as it is to a reader.


class PersonalDataInAudit(ValueError):
    """A programmer's error: personal data was about to enter the hash chain, where it could never be erased."""


def _refuse_personal_data(value, path="data"):
    if isinstance(value, str):
        if EMAIL.search(fold(value)):
            raise PersonalDataInAudit(f"Audit data must not hold e-mail addresses ({path}); record an id instead.")
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_personal_data(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_personal_data(item, f"{path}[{index}]")


def _lock_chain():
    """Serialise appends until the caller's transaction ends; SQLite's IMMEDIATE transactions already do."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])


# The events recorded inside an appended_last() block, waiting for its end; None outside any such block.
_waiting = contextvars.ContextVar("audit_waiting", default=None)


@contextlib.contextmanager
def appended_last():
    """Events recorded inside the block join the chain when the block ends, not when record() is called.

    The chain has one lock for the whole platform, held from the append until the transaction commits: a change
    that records its event first and then freezes a version, checks conflicts and numbers an entry keeps every other
    applicant waiting for all of that (on the deadline evening, hundreds of them). Used inside the caller's
    transaction, as its last step, the lock is held only for the inserts and the commit. An exception inside the
    block appends nothing (the transaction rolls back anyway), nor does an event recorded inside a savepoint that rolled
    back within it (as record() outside a block would leave none). Nested blocks append at the end of the outermost."""
    if _waiting.get() is not None:
        yield
        return
    waiting = []
    token = _waiting.set(waiting)
    try:
        yield
    finally:
        _waiting.reset(token)
    waiting = _not_rolled_back(waiting)
    if waiting:
        _append(waiting)


class _Recorded:
    """The on_commit callback registered when a waiting event is recorded inside a transaction: Django runs it when
    the transaction around the record commits, and drops it, unrun, when a savepoint around the record rolls back."""

    ran = False

    def __call__(self):
        self.ran = True


def _not_rolled_back(waiting):
    """The waiting (event, target label, marker) triples as pairs, without those recorded inside a savepoint or a
    transaction that has since rolled back: appended directly, their rows would have gone with it."""
    pending = {id(entry[1]) for entry in connection.run_on_commit}
    return [(event, label) for event, label, marker in waiting if marker is None or marker.ran or id(marker) in pending]


@contextlib.contextmanager
def atomic():
    """transaction.atomic() whose audit events join the chain at its end (appended_last): for changes that do more
    than one write, so the platform-wide chain lock waits only for the commit."""
    with transaction.atomic(), appended_last():
        yield


def record(action, *, actor=None, target=None, edition=None, from_state="", to_state="", reason="", **data):
    """Append one event to the chain (inside an appended_last() block: at its end). `data` holds ids and facts,
    never e-mails or names."""
    # Stored as the JSON it will be read back as (tuples become lists), so the hash survives the round trip.
    data = json.loads(json.dumps(data, allow_nan=False))
    _refuse_personal_data(data)
    if find_email(reason):
        # The form that took the reason should have refused it (contest.validators.validate_no_contact_details).
        raise PersonalDataInAudit(
            f"The reason of an audit event ({action}) must not hold e-mail addresses: it is hashed into the chain and "
            "can never be erased. Validate the form's reason with contest.validators.validate_no_contact_details."
        )
    event = AuditEvent(
        at=timezone.now(),
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        edition=edition,
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        reason=reason or "",
        data=data,
    )
    target_label = ""
    if target is not None:
        event.target_type = ContentType.objects.get_for_model(target)
        event.target_id = str(target.pk)
        target_label = _label(event.target_type)
    waiting = _waiting.get()
    if waiting is not None:
        marker = _Recorded() if connection.in_atomic_block else None
        if marker is not None:
            transaction.on_commit(marker)
        waiting.append((event, target_label, marker))
    else:
        _append([(event, target_label)])
    return event


def _append(events):
    """Chain and insert (event, target label) pairs in their order, under the chain's lock."""
    # savepoint=False: inside the caller's transaction this adds no queries; outside it, it opens one.
    with transaction.atomic(savepoint=False):
        _lock_chain()
        last = AuditEvent.objects.order_by("-sequence").values_list("sequence", "hash").first()
        sequence, prev_hash = last if last else (0, audit_chain.GENESIS)
        for event, target_label in events:
            sequence += 1
            event.sequence, event.prev_hash = sequence, prev_hash
            event.hash = prev_hash = audit_chain.event_hash(hashed_fields(event, target_label))
            event.save()


def _label(content_type):
    return f"{content_type.app_label}.{content_type.model}"


def hashed_fields(event, target_label):
    return {
        "sequence": event.sequence,
        "at": event.at,
        "actor_id": event.actor_id,
        "action": event.action,
        "edition_id": event.edition_id,
        "target_type": target_label,
        "target_id": event.target_id,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "reason": event.reason,
        "data": event.data,
        "prev_hash": event.prev_hash,
    }


CHAIN_COLUMNS = (
    "id",
    "sequence",
    "at",
    "actor_id",
    "action",
    "edition_id",
    "target_type__app_label",
    "target_type__model",
    "target_id",
    "from_state",
    "to_state",
    "reason",
    "data",
    "prev_hash",
    "hash",
)


def chain_rows(events=None):
    """The rows audit_chain.verify expects, in sequence order, read in chunks."""
    events = AuditEvent.objects.all() if events is None else events
    for row in events.order_by("sequence").values(*CHAIN_COLUMNS).iterator(chunk_size=2000):
        app_label, model = row.pop("target_type__app_label"), row.pop("target_type__model")
        row["target_type"] = f"{app_label}.{model}" if app_label else ""
        yield row


def verify():
    return audit_chain.verify(chain_rows())


def history(target, *, action):
    """The events of one kind recorded about `target`, newest first, with their actors."""
    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        action=action,
    ).select_related("actor")


def trail(edition, *, targets=None, action="", since=None, until=None):
    """An edition's events for the organisers' audit page, newest first, optionally only those about `targets`
    (pairs of a model and the ids of its rows), of one action and between two dates (inclusive, Europe/Warsaw)."""
    events = AuditEvent.objects.filter(edition=edition).select_related("actor", "target_type")
    if targets is not None:
        about = Q(pk__in=[])
        for model, ids in targets:
            about |= Q(target_type=ContentType.objects.get_for_model(model), target_id__in=[str(pk) for pk in ids])
        events = events.filter(about)
    if action:
        events = events.filter(action=action)
    if since:
        events = events.filter(at__gte=_day_start(since))
    if until:
        events = events.filter(at__lt=_day_start(until + datetime.timedelta(days=1)))
    return events.order_by("-sequence")


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


CSV_HEADERS = ("sequence", "at", "actor_id", "actor", "action", "target", "from", "to", "reason", "details", "hash")


def csv_response(events, filename):
    """The trail as CSV in the exports' conventions: BOM for Excel, `;` between cells, formulas kept as text."""
    from applications.exports import safe_cell

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(CSV_HEADERS)
    for event in events.iterator(chunk_size=2000):
        target = f"{_label(event.target_type)}:{event.target_id}" if event.target_type_id else ""
        row = [
            event.sequence,
            timezone.localtime(event.at).isoformat(timespec="seconds"),
            event.actor_id or "",
            event.actor.get_full_name() if event.actor else "",
            event.action,
            target,
            event.from_state,
            event.to_state,
            event.reason,
            json.dumps(event.data, ensure_ascii=False, sort_keys=True),
            event.hash,
        ]
        writer.writerow([safe_cell(value) for value in row])
    return response

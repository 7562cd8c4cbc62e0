"""The hash chain of the audit trail: the canonical form of an event, its SHA-256, and the check of a whole chain.

Pure: no ORM. contest.audit feeds it the event being written; verify_audit and the data migration feed it rows.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass

GENESIS = "0" * 64

# The fields an event's hash covers, in the shape rows carry them (target_type as "app_label.model").
HASHED_FIELDS = (
    "sequence",
    "at",
    "actor_id",
    "action",
    "edition_id",
    "target_type",
    "target_id",
    "from_state",
    "to_state",
    "reason",
    "data",
    "prev_hash",
)


def timestamp(at):
    """ISO 8601 in UTC with microseconds: the same instant always gives the same text, whatever the time zone."""
    if at.tzinfo is None:
        raise ValueError("Audit timestamps must be aware.")
    return at.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def canonical(row):
    """The bytes an event's hash is taken over: JSON with sorted keys and no insignificant whitespace."""
    body = {name: row[name] for name in HASHED_FIELDS}
    body["at"] = timestamp(body["at"])
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def event_hash(row):
    return hashlib.sha256(canonical(row)).hexdigest()


@dataclass(frozen=True)
class Break:
    """The first place where the chain does not hold: which event (by sequence and id) and what happened to it."""

    kind: str  # "edited", "inserted" or "deleted"
    sequence: int
    id: int
    detail: str

    def __str__(self):
        return f"event #{self.sequence} (id {self.id}) {self.kind}: {self.detail}"


@dataclass(frozen=True)
class Verdict:
    checked: int
    head: str
    broken: Break | None = None

    @property
    def ok(self):
        return self.broken is None

    def __bool__(self):
        """True when the chain is intact, so that `if verify(...):` reads as it should (a dataclass is always true)."""
        return self.ok


def verify(rows):
    """Check a chain given its rows in sequence order (dicts with HASHED_FIELDS plus "id" and "hash").

    Stops at the first break: a row whose content no longer gives its hash was edited; a row that points at an
    event which exists but is not its predecessor, or whose sequence jumps while it does follow its predecessor,
    was inserted; a row that points at a hash no event has (or a first row that is not the genesis) follows a
    deleted event. Cutting events off the end cannot be seen from the rows alone: compare `head` with a copy kept
    elsewhere.
    """
    seen = set()
    previous_hash, previous_sequence, checked = GENESIS, 0, 0
    for row in rows:
        checked += 1
        where = {"sequence": row["sequence"], "id": row["id"]}
        if event_hash(row) != row["hash"]:
            return Verdict(
                checked, previous_hash, Break("edited", detail="its hash does not match its content", **where)
            )
        if row["prev_hash"] != previous_hash:
            if row["prev_hash"] in seen:
                detail = "it points at an earlier event that already has a successor"
                return Verdict(checked, previous_hash, Break("inserted", detail=detail, **where))
            if row["prev_hash"] == GENESIS:
                detail = "it claims to be the first event but is not"
                return Verdict(checked, previous_hash, Break("inserted", detail=detail, **where))
            detail = "the event it points at is missing"
            return Verdict(checked, previous_hash, Break("deleted", detail=detail, **where))
        if row["sequence"] != previous_sequence + 1:
            detail = f"it follows event #{previous_sequence} but is numbered #{row['sequence']}"
            return Verdict(checked, previous_hash, Break("inserted", detail=detail, **where))
        seen.add(row["hash"])
        previous_hash, previous_sequence = row["hash"], row["sequence"]
    return Verdict(checked, previous_hash)

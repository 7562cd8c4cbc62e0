"""The ranking of an edition, fed from SQL, and its frozen snapshots.

`ranking_for(edition)` reads the inputs with three queries (criteria, entries, and ONE query of a row per counted
scorecard with its scores packed by the database, Scorecard.packed_points) into plain arrays, and hands them to the pure
jury.ranking. The same pure path computes a snapshot's result again (`recompute`), so a frozen ranking can be checked
at any later time.

Entries are identified by their code throughout (never a database id), jurors by their stable number in the edition.
"""

import dataclasses
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import repeat

import numpy as np
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from contest.audit import chain_rows, record
from contest.audit_chain import event_hash
from contest.models import AuditEvent

from .. import ranking
from ..models import CriterionScore, RankingSnapshot, Scorecard
from ..queries import accepted_entries, counted_card_packs, counted_scorecards
from .errors import JuryError


@dataclass(frozen=True)
class CategoryRanking:
    name: str
    ranking: ranking.Ranking
    stability: ranking.Stability


@dataclass(frozen=True)
class EditionRanking:
    settings: dict  # plain JSON: the method and its settings, the criteria and the entries (code, category)
    scores: list | None  # (code, juror number, criterion id, points) per counted criterion score; None from ranking_for
    overall: ranking.Ranking  # every entry together: juror effects, reliability, per-juror totals
    categories: tuple  # CategoryRanking, in the categories' order
    incomplete: int  # counted cards left out because they lack points on a criterion (added after submission)
    # From ranking_for: the counted points per card, {(code, juror number): {criterion id: points}}, built on first
    # use from the rows the ranking was computed from (changes_since_freeze compares them with a snapshot).
    live_cards: object = None
    # From ranking_for: () -> cards_digest() of the counted cards it was computed from.
    live_digest: object = None

    @property
    def codes(self):
        return {code: code for code, _category in self.settings["entries"]}

    @property
    def has_criteria(self):
        """False for an edition with no criteria yet: nothing to rank by, every entry unscored (pages say so)."""
        return bool(self.settings["criteria"])

    def result(self):
        return result_of(self)


def settings_of(edition):
    """The edition's ranking settings as plain JSON (stored in a snapshot)."""
    return {
        "method": edition.ranking_method,
        "standardise": edition.ranking_standardise,
        "tie_rules": list(edition.tie_rules),
        "disagreement_share": str(edition.ranking_disagreement_share),
    }


def _ranking_settings(settings):
    return ranking.RankingSettings(
        method=settings["method"],
        standardise=settings["standardise"],
        tie_rules=tuple(settings["tie_rules"]),
        disagreement_share=Decimal(settings["disagreement_share"]),
    )


def compute(settings, scores):
    """The pure part: rank from plain settings (with "criteria" and "entries") and score rows, as a snapshot stores
    them: (code, juror number, criterion id, points) per counted criterion score."""
    ids = [cid for cid, *_rest in settings["criteria"]]
    wanted = set(ids)
    points = defaultdict(dict)
    for code, juror, cid, value in scores:
        points[(code, juror)][cid] = value
    rows, incomplete = [], 0
    for (code, juror), given in points.items():  # rank() does not depend on the order of the cards
        if given.keys() == wanted and None not in given.values():
            rows.append((code, juror, *(given[cid] for cid in ids)))
        else:
            incomplete += 1
    return _rank_edition(settings, ranking.CardMatrix.from_rows(rows, ids), incomplete, scores)


def _rank_edition(settings, cards, incomplete, scores):
    """Rank the complete counted cards (a jury.ranking.CardMatrix): the whole edition, then each category."""
    criteria = tuple(
        ranking.CriterionRow(cid, max_points, Decimal(weight), order)
        for cid, max_points, weight, order in settings["criteria"]
    )
    options = _ranking_settings(settings)
    entries = [code for code, _category in settings["entries"]]
    codes = {code: code for code in entries}
    if not criteria:
        return _without_criteria(settings, scores, options, codes, incomplete)
    overall = ranking.rank(cards, criteria, options, codes=codes, entries=entries)
    category_of = {code: category for code, category in settings["entries"]}
    by_category = defaultdict(list)  # category -> positions of its cards
    for position, code in enumerate(cards.entries):
        by_category[category_of.get(code)].append(position)
    entries_of = defaultdict(list)
    for code, category in settings["entries"]:
        entries_of[category].append(code)
    categories = []
    for name, members in entries_of.items():
        result = ranking.rank(
            cards.take(by_category[name]), criteria, options, codes=codes, entries=members, effects=overall.effects
        )
        categories.append(CategoryRanking(name, result, ranking.stability(result)))
    return EditionRanking(settings, scores, overall, tuple(categories), incomplete)


def _unranked(options, entries, codes):
    """A ranking with no cards: no rows, no places, alpha "too few units"; `entries` all unscored."""
    empty = np.zeros(0, dtype=np.int64)
    # jury.ranking's own empty pool (it builds none for an edition without criteria: it refuses to rank by nothing).
    pool = ranking._Pool([], [], empty, empty, empty, np.zeros((0, 0), dtype=np.int64), 1, 0)
    return ranking.Ranking(
        options, Fraction(0), tuple(entries), None, codes, scale=1, pool=pool, build=lambda: ((), {})
    )


def _without_criteria(settings, scores, options, codes, incomplete):
    """An edition with no criteria yet (a newcomer's edition): the pure ranking refuses to rank by nothing, so every
    entry is listed unscored, per category, and the pages say that the edition has no criteria."""
    entries_of = defaultdict(list)
    for code, category in settings["entries"]:
        entries_of[category].append(code)
    overall = _unranked(options, codes, codes)
    categories = []
    for name, members in entries_of.items():
        result = _unranked(options, members, codes)
        categories.append(CategoryRanking(name, result, ranking.Stability(options.top_n, (), ())))
    return EditionRanking(settings, scores, overall, tuple(categories), incomplete)


def _edition_settings(edition):
    """The edition's settings with its criteria and entries (two queries), and {application id: code}."""
    settings = settings_of(edition)
    settings["criteria"] = [
        [c.pk, c.max_points, str(c.weight), c.order] for c in edition.criteria.order_by("order", "id")
    ]
    entries = list(
        accepted_entries(edition)
        .order_by("category__order", "category_id", "code")
        .values_list("id", "code", "category__name")
    )
    settings["entries"] = [[code, category] for _pk, code, category in entries]
    return settings, {pk: code for pk, code, _category in entries}


def _inputs(edition):
    """The edition's settings (with criteria and entries) and its counted scores, one row per criterion score, as a
    snapshot stores them: three queries."""
    settings, _codes = _edition_settings(edition)
    # ONE query for every counted criterion score; no query per scorecard.
    scores = CriterionScore.objects.filter(scorecard__in=counted_scorecards(edition).values("pk")).values_list(
        "scorecard__application__code", "scorecard__member__number", "criterion_id", "points"
    )
    return settings, list(scores)


def ranking_for(edition):
    """The edition's ranking from its counted scorecards, with the edition's settings: three queries, the scores read
    from one packed text per scorecard (jury.queries.counted_card_packs). Same result as compute(*_inputs(edition));
    its `scores` is None (freezing reads them one per criterion score)."""
    settings, code_of = _edition_settings(edition)
    ids = [cid for cid, *_rest in settings["criteria"]]
    rows = counted_card_packs(edition)
    applications, jurors, given, points, raw = _card_table(rows, ids)
    table_rows = np.flatnonzero(given > 0)  # a card without any score is no card at all (as in _inputs' score rows)
    complete = (given == len(ids)) & ~np.isnan(points).any(axis=1)  # else a criterion added later, or empty
    kept = np.flatnonzero(complete & (given > 0))
    cards = ranking.CardMatrix(
        tuple(code_of[application] for application in applications[kept].tolist()),
        jurors[kept],
        points[kept].astype(np.int64),
        tuple(ids),
    )
    result = _rank_edition(settings, cards, len(table_rows) - len(kept), None)
    return dataclasses.replace(
        result,
        live_cards=lambda: _live_cards(applications, jurors, given, points, ids, code_of),
        live_digest=lambda: cards_digest(applications, jurors, given, raw, ids, code_of),
    )


def cards_digest(applications, jurors, given, raw, ids, code_of):
    """A SHA-256 of the counted cards (from _card_table): each card with any score by entry code and juror number,
    with its points on each of the edition's criteria, a score without points and a missing score told apart. Equal
    digests mean the same counted points; the ranking page compares today's with the latest snapshot's instead of
    reading the snapshot's every score (changes_since_freeze). Computed by numpy, not card by card."""
    kept = np.flatnonzero(given > 0)
    # Entries by code: each card's entry as its place in the codes' order (a lookup by id, not a string per card).
    by_code = sorted(code_of.items(), key=lambda item: item[1])
    place_of = np.full(max(code_of, default=0) + 1, -1, dtype=np.int64)
    place_of[[application for application, _code in by_code]] = np.arange(len(by_code))
    places = place_of[applications[kept]]
    order = np.lexsort((jurors[kept], places))
    found = hashlib.sha256()
    found.update(np.array(ids, dtype="<i8").tobytes())
    found.update("\n".join(code for _application, code in by_code).encode())
    found.update(places[order].astype("<i8").tobytes())
    found.update(jurors[kept][order].astype("<i8").tobytes())
    found.update(raw[kept][order].astype("<i8").tobytes())
    return found.hexdigest()


def _card_table(rows, ids):
    """The packed rows of counted_card_packs as arrays: application ids, juror numbers, the number of scores of each
    card, a card × criterion matrix of points in the order of `ids` (NaN where the card has no points on that
    criterion), and the same matrix as stored (-1: a score without points, -2: no score). Every card's text is
    parsed at once, by numpy, not card by card."""
    count = len(rows)
    applications, jurors, texts = zip(*rows, strict=True) if rows else ((), (), ())  # columns, without a Python loop
    applications = np.array(applications, dtype=np.int64)
    jurors = np.array(jurors, dtype=np.int64)
    # Each card's text holds (commas + 1) / 2 pairs; an empty text none ((0 + 1) // 2 = 0).
    given = (np.fromiter(map(str.count, texts, repeat(",")), dtype=np.int64, count=count) + 1) // 2
    points = np.full((count, len(ids)), np.nan)
    raw = np.full((count, len(ids)), NO_SCORE, dtype=np.int64)
    if not given.any():
        return applications, jurors, given, points, raw
    # numpy's text parser reads the joined texts in C (the triggers write only integers and commas).
    pairs = np.fromstring(",".join(text for text in texts if text), dtype=np.int64, sep=",").reshape(-1, 2)
    card = np.repeat(np.arange(count), given)
    column_of = np.full(int(max(pairs[:, 0].max(), max(ids, default=0))) + 1, -1, dtype=np.int64)
    column_of[ids] = np.arange(len(ids))
    columns = column_of[pairs[:, 0]]
    values = pairs[:, 1].astype(np.float64)
    values[pairs[:, 1] < 0] = np.nan
    ours = columns >= 0  # a score on a criterion that is not the edition's (none should be) is ignored
    points[card[ours], columns[ours]] = values[ours]
    raw[card[ours], columns[ours]] = pairs[:, 1][ours]
    return applications, jurors, given, points, raw


def live_cards_digest(edition):
    """cards_digest() of the edition's counted cards now, read as ranking_for reads them (two queries)."""
    settings, code_of = _edition_settings(edition)
    ids = [cid for cid, *_rest in settings["criteria"]]
    applications, jurors, given, _points, raw = _card_table(counted_card_packs(edition), ids)
    return cards_digest(applications, jurors, given, raw, ids, code_of)


NO_SCORE = -2  # in _card_table's stored matrix: the card has no score on that criterion (-1: a score without points)


def _live_cards(applications, jurors, given, points, ids, code_of):
    """The counted cards as _cards() reads score rows, {(code, juror): {criterion id: points}}: cards without any
    score are no cards."""
    cards = {}
    for position in np.flatnonzero(given > 0).tolist():
        cards[(code_of[int(applications[position])], int(jurors[position]))] = {
            cid: int(value) for cid, value in zip(ids, points[position].tolist(), strict=True) if value == value
        }
    return cards


def _decimal(value, places=2):
    found = ranking.to_decimal(value, places)
    return None if found is None else str(found)


def result_of(edition_ranking):
    """The result as plain JSON: per category, every entry's place and values; the reliability."""
    alpha = edition_ranking.overall.reliability.alpha
    return {
        "alpha": None if alpha is None else _decimal(alpha, 6),
        "incomplete": edition_ranking.incomplete,
        "categories": [
            {
                "name": category.name,
                "rows": [
                    {
                        "code": row.code,
                        "place": row.place,
                        "ex_aequo": row.ex_aequo,
                        "cards": row.cards,
                        "raw": str(row.value(category.ranking.settings.method)),
                        "adjusted": _decimal(row.value(category.ranking.settings.method, adjusted=True), 6),
                        "flagged": row.flagged,
                    }
                    for row in category.ranking.rows
                ],
                "unscored": list(category.ranking.unscored),
            }
            for category in edition_ranking.categories
        ],
    }


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(settings, scores, result, *, edition_id, edition_number, number):
    """The SHA-256 of a snapshot: its settings, scores and result, bound to its edition (id and number) and its own
    number, so that a snapshot's content copied under another number or edition no longer gives its hash."""
    payload = canonical(
        {
            "edition": {"id": edition_id, "number": edition_number},
            "number": number,
            "settings": settings,
            "scores": scores,
            "result": result,
        }
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def snapshot_digest(snapshot, result=None):
    """digest() of a stored snapshot, over `result` (its stored result when None)."""
    return digest(
        snapshot.settings,
        snapshot.scores,
        snapshot.result if result is None else result,
        edition_id=snapshot.edition_id,
        edition_number=snapshot.edition.number,
        number=snapshot.number,
    )


def freeze_ranking(edition, *, by, at=None):
    """Close scoring and store the ranking as a new snapshot (earlier ones stay). Only after scoring has ended."""
    at = at or timezone.now()
    if at.replace(microsecond=0) <= edition.scoring_ends_at.replace(microsecond=0):
        raise JuryError(_("The ranking can be frozen only after scoring has ended."))
    with transaction.atomic():
        # Numbering under the edition's row lock: two freezes at once get two numbers, never the same one.
        type(edition).objects.select_for_update().filter(pk=edition.pk).exists()
        settings, scores = _inputs(edition)
        if not settings["criteria"]:
            raise JuryError(_("The edition has no criteria yet: there is nothing to rank by, so nothing to freeze."))
        # Sorted lists, as they read back from JSON: the snapshot computes, serialises and hashes the same way later.
        current = compute(settings, sorted(list(row) for row in scores))
        result = current.result()
        number = (RankingSnapshot.objects.filter(edition=edition).aggregate(n=Max("number"))["n"] or 0) + 1
        snapshot = RankingSnapshot.objects.create(
            edition=edition,
            number=number,
            created_at=at,
            created_by=by,
            settings=current.settings,
            scores=current.scores,
            result=result,
            cards_digest=live_cards_digest(edition),
            sha256=digest(
                current.settings,
                current.scores,
                result,
                edition_id=edition.pk,
                edition_number=edition.number,
                number=number,
            ),
        )
        record(
            "jury.ranking_frozen",
            actor=by,
            target=snapshot,
            edition=edition,
            number=snapshot.number,
            sha256=snapshot.sha256,
            scores=len(current.scores),
        )
    return snapshot


@dataclass(frozen=True)
class Recomputed:
    """What checking a snapshot found. `result_matches`: its scores and settings give its stored result again;
    `hash_matches`: that result, with its scores, settings, edition and number, gives its stored hash;
    `audit_matches`: the audit trail's "jury.ranking_frozen" event, itself intact, recorded this hash for this
    snapshot at freeze time. The first two only show the row agrees with itself: whoever rewrites payload and hash
    together passes them, not the third (the audit table refuses changes and chains its events by hash)."""

    result_matches: bool
    hash_matches: bool
    audit_matches: bool = False

    def __bool__(self):
        return self.result_matches and self.hash_matches and self.audit_matches


FROZEN_ACTION = "jury.ranking_frozen"


def frozen_event(snapshot):
    """The audit row recorded when `snapshot` was frozen (a dict as contest.audit.chain_rows gives it), or None."""
    events = AuditEvent.objects.filter(
        action=FROZEN_ACTION,
        target_type=ContentType.objects.get_for_model(RankingSnapshot),
        target_id=str(snapshot.pk),
    )
    return next(chain_rows(events), None)


def _audit_matches(snapshot):
    event = frozen_event(snapshot)
    if event is None or event_hash(event) != event["hash"]:  # missing, or edited behind the database's back
        return False
    data = event["data"]
    return (
        event["edition_id"] == snapshot.edition_id
        and data.get("number") == snapshot.number
        and data.get("sha256") == snapshot.sha256
    )


def recompute(snapshot):
    """Compute the ranking again from the snapshot's own scores and settings; whether it matches what was stored
    and what the audit trail recorded when it was frozen."""
    result = compute(snapshot.settings, [list(row) for row in snapshot.scores]).result()
    return Recomputed(
        result_matches=canonical(result) == canonical(snapshot.result),
        hash_matches=snapshot_digest(snapshot, result) == snapshot.sha256,
        audit_matches=_audit_matches(snapshot),
    )


def latest_snapshot(edition, defer=()):
    """The edition's latest snapshot; `defer` names fields a caller does not need (read on access if it does)."""
    snapshots = RankingSnapshot.objects.filter(edition=edition).select_related("edition").defer(*defer)
    return snapshots.order_by("-number").first()


@dataclass(frozen=True)
class MissingSnapshot:
    """The latest freeze the audit trail recorded, when the latest stored snapshot is not it: removed behind the
    application's back (the rows are append-only, but a dropped trigger or a restored backup does it), or, with the
    same number and another hash (`replaced`), rewritten."""

    number: int | None
    sha256: str
    frozen_at: object
    replaced: bool = False


def missing_latest_snapshot(edition, snapshot):
    """MissingSnapshot when the edition's latest "jury.ranking_frozen" event names another snapshot (number or hash)
    than `snapshot`, the latest one stored (None: none is); None when they agree or nothing was ever frozen. One
    query. recompute() checks a snapshot against its own event; this checks that no later freeze has gone missing."""
    event = (
        AuditEvent.objects.filter(action=FROZEN_ACTION, edition=edition)
        .order_by("-sequence")
        .values("data", "at")
        .first()
    )
    if event is None:
        return None
    number, sha256 = event["data"].get("number"), event["data"].get("sha256") or ""
    if snapshot is not None and (number, sha256) == (snapshot.number, snapshot.sha256):
        return None
    replaced = snapshot is not None and number == snapshot.number
    return MissingSnapshot(number, sha256, event["at"], replaced)


@dataclass(frozen=True)
class SinceFreeze:
    """How the live scores differ from the latest snapshot: the scorecards submitted, revised or otherwise changed
    after it (a card added, re-opened, rescored, or counted again after a lifted conflict), and whether the settings
    or the entries changed. False when the snapshot still holds."""

    number: int
    frozen_at: object
    cards: int
    settings_changed: bool

    def __bool__(self):
        return bool(self.cards or self.settings_changed)


def _cards(rows):
    cards = defaultdict(dict)
    for code, juror, criterion, points in rows:
        cards[(code, juror)][criterion] = points
    return cards


def changes_since_freeze(edition, current=None, snapshot=None):
    """What changed in the live ranking's inputs after the latest snapshot (None when it was never frozen).

    `current` is the live EditionRanking when the caller has it (the ranking page: no query to read the scores
    again); otherwise the inputs are read (three queries). Two more: the latest snapshot, and the counted cards
    submitted after it (a revision with the same points counts too: someone changed a card after the freeze).
    """
    snapshot = snapshot or latest_snapshot(edition)
    if snapshot is None:
        return None
    # The cards submitted after the freeze first (after a freeze usually none: found by the index on submitted_at,
    # which the planners pass over when the edition is in the same query), then which of them count. Asked the other
    # way round, the database checks the conflicts and assignments of every card of the edition.
    recent = [
        pk
        for pk, edition_id in Scorecard.objects.filter(submitted_at__gt=snapshot.created_at)
        .order_by()
        .values_list("pk", "member__edition_id")
        if edition_id == edition.pk
    ]
    submitted_after = (
        set(
            counted_scorecards(edition)
            .filter(pk__in=recent)
            .order_by()
            .values_list("application__code", "member__number")
        )
        if recent
        else set()
    )
    live = current is not None and current.scores is None and current.live_digest is not None
    if live and snapshot.cards_digest and current.live_digest() == snapshot.cards_digest:
        # The same counted points as when frozen: the snapshot's scores need not be read and compared card by card.
        return SinceFreeze(
            number=snapshot.number,
            frozen_at=snapshot.created_at,
            cards=len(submitted_after),
            settings_changed=canonical(current.settings) != canonical(snapshot.settings),
        )
    if live:
        settings, now = current.settings, current.live_cards()
    else:
        settings, scores = (current.settings, current.scores) if current is not None else _inputs(edition)
        now = _cards(scores)
    then = _cards(snapshot.scores)
    changed = {key for key in then.keys() | now.keys() if then.get(key) != now.get(key)}
    changed.update(submitted_after)
    return SinceFreeze(
        number=snapshot.number,
        frozen_at=snapshot.created_at,
        cards=len(changed),
        settings_changed=canonical(settings) != canonical(snapshot.settings),
    )

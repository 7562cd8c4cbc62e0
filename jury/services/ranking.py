"""The ranking of an edition, fed from SQL, and its frozen snapshots.

`ranking_for(edition)` reads the inputs with three queries (criteria, entries, and ONE query in which the database
aggregates every counted criterion score to a row per scorecard) into plain rows, and hands them to the pure
jury.ranking. The same pure path computes a snapshot's result again (`recompute`), so a frozen ranking can be checked
at any later time.

Entries are identified by their code throughout (never a database id), jurors by their stable number in the edition.
"""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from contest.audit import record

from .. import ranking
from ..models import CriterionScore, RankingSnapshot
from ..queries import accepted_entries, counted_card_points, counted_scorecards
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

    @property
    def codes(self):
        return {code: code for code, _category in self.settings["entries"]}

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
    """The edition's ranking from its counted scorecards, with the edition's settings: three queries, the scores
    aggregated by the database to one row per scorecard (jury.queries.counted_card_points). Same result as
    compute(*_inputs(edition)); its `scores` is None (freezing reads them one per criterion score)."""
    settings, code_of = _edition_settings(edition)
    ids = [cid for cid, *_rest in settings["criteria"]]
    rows = counted_card_points(edition, ids)
    # Columns: application id, juror number, scores given, points per criterion; a missing point becomes NaN.
    table = np.array(rows, dtype=np.float64).reshape(len(rows), 3 + len(ids))
    table = table[table[:, 2] > 0]  # a card without any score is no card at all (as in the score rows of _inputs)
    points = table[:, 3:]
    complete = (table[:, 2] == len(ids)) & ~np.isnan(points).any(axis=1)  # else a criterion added later, or empty
    kept = np.flatnonzero(complete)
    cards = ranking.CardMatrix(
        tuple(code_of[application] for application in table[kept, 0].astype(np.int64).tolist()),
        table[kept, 1].astype(np.int64),
        points[kept].astype(np.int64),
        tuple(ids),
    )
    return _rank_edition(settings, cards, len(table) - len(kept), None)


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


def digest(settings, scores, result):
    payload = canonical({"settings": settings, "scores": scores, "result": result})
    return hashlib.sha256(payload.encode()).hexdigest()


def freeze_ranking(edition, *, by, at=None):
    """Close scoring and store the ranking as a new snapshot (earlier ones stay). Only after scoring has ended."""
    at = at or timezone.now()
    if at.replace(microsecond=0) <= edition.scoring_ends_at.replace(microsecond=0):
        raise JuryError(_("The ranking can be frozen only after scoring has ended."))
    with transaction.atomic():
        # Numbering under the edition's row lock: two freezes at once get two numbers, never the same one.
        type(edition).objects.select_for_update().filter(pk=edition.pk).exists()
        settings, scores = _inputs(edition)
        # Sorted lists, as they read back from JSON: the snapshot computes, serialises and hashes the same way later.
        current = compute(settings, sorted(list(row) for row in scores))
        result = current.result()
        last = RankingSnapshot.objects.filter(edition=edition).aggregate(n=Max("number"))["n"] or 0
        snapshot = RankingSnapshot.objects.create(
            edition=edition,
            number=last + 1,
            created_at=at,
            created_by=by,
            settings=current.settings,
            scores=current.scores,
            result=result,
            sha256=digest(current.settings, current.scores, result),
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
    result_matches: bool
    hash_matches: bool

    def __bool__(self):
        return self.result_matches and self.hash_matches


def recompute(snapshot):
    """Compute the ranking again from the snapshot's own scores and settings; whether it matches what was stored."""
    result = compute(snapshot.settings, [list(row) for row in snapshot.scores]).result()
    return Recomputed(
        result_matches=canonical(result) == canonical(snapshot.result),
        hash_matches=digest(snapshot.settings, snapshot.scores, result) == snapshot.sha256,
    )

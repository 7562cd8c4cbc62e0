"""Demo jury for the 2026 edition (in scoring): a chair and jurors with affiliations, one automatic conflict,
signed declarations, a balanced assignment (k = 3) and scorecards in every state (none, draft, submitted, revised).

The 2024 and 2025 editions (results published) get their whole past: a chair and five jurors, every one scoring
every accepted entry (deterministic pseudo-random totals, a harsh and a lenient juror, one entry the jurors disagree
on), a frozen ranking snapshot and a decision for every entry: laureates with places and citations, distinctions with
citations, finalists, the rest not awarded. Their phase is past scoring and deliberation, so the rows the services
would refuse now are written directly (the snapshot goes through the service). results.demo then locks the decisions
and publishes them, in the order publication requires.
"""

import random

from django.utils import timezone

from applications.models import Application, Status
from contest.demo import FINISHED_YEARS, ensure_user
from contest.models import TerritorialUnit
from contest.phases import can_score

from . import blind, services
from .models import (
    Affiliation,
    Assignment,
    CriterionScore,
    Decision,
    Invitation,
    JuryMember,
    RankingSnapshot,
    RedactionTerm,
    Scorecard,
)

# "applications" is not taken from the context: seed_demo passes its --applications count under that name.
SEED_CONTEXT = ("editions", "organiser")
MIN_JURORS = 6  # the chair (juror1) and five more
# What the register cannot know: the Gdańsk–Gdynia–Sopot partnership's project is known locally by its brand.
REDACTION_TERMS = ["Metropolitalny rower Trójmiasta", "Trójmiasto", "trójmiejski"]

NAMES = [
    "Prof. Barbara Zawadzka",
    "Dr Krzysztof Malinowski",
    "Ewa Szymańska",
    "Jacek Dąbrowski",
    "Dr hab. Monika Jankowska",
    "Andrzej Pawlak",
    "Joanna Michalska",
    "Grzegorz Król",
]

# (juror number, affiliation); juror 2 works for Bolesławiec (gmina miejska), a partner of a 2026 entry.
AFFILIATIONS = [
    (1, {"organisation_name": "Uniwersytet Ekonomiczny w Krakowie", "role": Affiliation.Role.EMPLOYEE}),
    (2, {"unit": "0201011", "role": Affiliation.Role.EMPLOYEE}),
    (3, {"unit": "3064011", "role": Affiliation.Role.COUNCILLOR}),
    (
        4,
        {
            "organisation_name": "Fundacja Rozwoju Demokracji Lokalnej",
            "krs": "0000121976",
            "role": Affiliation.Role.ADVISER,
        },
    ),
    (5, {"unit": "1465011", "role": Affiliation.Role.OTHER}),
    (6, {"organisation_name": "Stowarzyszenie Dolina Baryczy", "role": Affiliation.Role.BOARD_MEMBER}),
]

JUSTIFICATIONS = [
    "Diagnoza oparta na danych, problem jasno opisany i ważny dla mieszkańców całego obszaru partnerstwa.",
    "Podział ról między partnerami czytelny, decyzje zapadają wspólnie, ale brakuje opisu rozwiązywania sporów.",
    "Rezultaty zmierzone wskaźnikami z wartością bazową i źródłem danych; część wskaźników to jeszcze produkty.",
    "Mieszkańcy uczestniczyli w konsultacjach i współtworzyli rozwiązania; dobrze udokumentowane spotkania.",
    "Współpraca trwa po zakończeniu finansowania, model opisany tak, że inne samorządy mogą go powtórzyć.",
]


def _write(stdout, text):
    if stdout is not None:
        stdout.write(text)


def seed(password="demo", applications=None, jurors=None, stdout=None, editions=None, organiser=None, **_):
    editions = editions or {}
    for year in FINISHED_YEARS:
        if editions.get(year) is not None and organiser is not None:
            _seed_finished(editions[year], organiser, password, stdout)
    edition = editions.get(2026)
    if edition is None or organiser is None:
        return {}
    count = max(jurors or MIN_JURORS, MIN_JURORS)
    members = []
    for number in range(1, count + 1):
        user = ensure_user(f"juror{number}@example.com", password, full_name=NAMES[(number - 1) % len(NAMES)])
        member, _created = JuryMember.objects.get_or_create(
            edition=edition, user=user, defaults={"is_chair": number == 1}
        )
        members.append(member)
    for number, spec in AFFILIATIONS:
        if number > count:
            continue
        user = members[number - 1].user
        spec = dict(spec)
        unit_code = spec.pop("unit", None)
        unit = TerritorialUnit.objects.filter(code=unit_code).first() if unit_code else None
        if unit_code and unit is None:
            continue
        if not Affiliation.objects.filter(user=user, territorial_unit=unit, **spec).exists():
            services.add_affiliation(user, by=user, territorial_unit=unit, **spec)
    for member in members:
        services.declare_impartiality(member, by=member.user)
    services.detect_conflicts(edition, by=organiser)

    if not Invitation.objects.filter(edition=edition).exists():
        services.invite(edition, ["zaproszony.juror@example.com"], by=organiser)

    entries = Application.objects.filter(edition=edition, status__in=Status.ACCEPTED_FOR_JURY)
    if not Assignment.objects.filter(member__edition=edition).exists() and entries.exists():
        result = services.assign_automatically(edition, by=organiser, k=edition.jurors_per_entry)
        if not result.ok:
            _write(stdout, "Jury assignment failed: " + "; ".join(result.problems))
            return {"jurors": members}
        _write(stdout, f"Assigned {len(result.pairs)} pairs; load {result.min_load}–{result.max_load} per juror.")

    _check_anonymisation(edition, organiser)
    if can_score(edition) and not Scorecard.objects.filter(member__edition=edition).exists():
        _scorecards(edition, members)
    return {"jurors": members}


def _check_anonymisation(edition, organiser):
    """The edition's own redaction terms, then the organiser's sign-off of every entry jurors score."""
    if not RedactionTerm.objects.filter(edition=edition).exists():
        services.set_redaction_terms(edition, "\n".join(REDACTION_TERMS), by=organiser)
    entries = Application.objects.filter(edition=edition, status__in=Status.ACCEPTED_FOR_JURY)
    shown = blind.build_blind_entries(list(entries))
    for entry in entries:
        if not shown[entry.pk].checked:
            services.sign_off_anonymisation(entry, blind.content_hash(shown[entry.pk]), by=organiser)


def _scorecards(edition, members):
    """Per juror, in turn: no scorecard, a draft, a submitted one, a revised one."""
    criteria = list(edition.criteria.all())
    for index, member in enumerate(members):
        assignments = list(
            Assignment.objects.filter(member=member).select_related("application").order_by("application__code")
        )
        for position, assignment in enumerate(assignments):
            state = (position + index) % 4
            if state == 0:
                continue
            entry = assignment.application

            def values(bump=0, entry=entry, member=member):
                seed_value = (entry.pk * 7 + member.pk * 3) % 5
                return {
                    c.pk: (
                        max(0, min(c.max_points, c.max_points - seed_value - 1 + bump)),
                        JUSTIFICATIONS[i % len(JUSTIFICATIONS)],
                    )
                    for i, c in enumerate(criteria)
                }

            if state == 1:
                partial = dict(list(values().items())[:2])
                services.save_scorecard_draft(
                    member, entry, partial, "Do uzupełnienia po lekturze załączników.", by=member.user
                )
                continue
            comment = "Projekt dojrzały, dobrze udokumentowany; warto go pokazać jako dobrą praktykę."
            services.submit_scorecard(member, entry, values(), comment, by=member.user)
            if state == 3:
                services.submit_scorecard(
                    member, entry, values(bump=1), comment + " Po ponownej lekturze podnoszę ocenę.", by=member.user
                )


# --- 2024 and 2025: the finished editions ----------------------------------------------------------------------------

JURORS_FINISHED = 6  # the chair (juror1) and five jurors
LENIENCY = {1: 0, 2: -2, 3: 2, 4: 0, 5: 1, 6: -1}  # juror 2 harsh, juror 3 lenient (points per criterion)
# The committee's citations, by project title (which entries win depends on the seeded scores).
CITATIONS = {
    "Lubelska wspólna komunikacja miejska": (
        "Za wspólny bilet i komunikację, która połączyła miasto z gminami ościennymi i przywróciła mieszkańcom dojazdy."
    ),
    "Wspólne zakupy energii gmin kłodzkich": (
        "Za wspólne zakupy energii, które obniżyły rachunki gmin i pokazały, że współpraca się opłaca."
    ),
    "Ełcki program profilaktyki zdrowotnej": (
        "Za profilaktykę, która dojechała do mieszkańców najmniejszych wsi, i za partnerstwo z organizacją pacjentów."
    ),
    "Gorzowskie centrum usług społecznych": (
        "Za jedno miejsce, w którym mieszkańcy miasta i gminy wiejskiej dostają całą pomoc, której potrzebują."
    ),
    "Wspólne centrum zarządzania kryzysowego Ziemi Nyskiej": (
        "Za wyciągnięcie wniosków z powodzi: wspólne ostrzeganie, które skróciło czas reakcji z godzin do minut."
    ),
    "Kaszubska sieć dziennych domów seniora": (
        "Za sieć dziennych domów seniora, która przełamała samotność starszych mieszkańców kaszubskich wsi."
    ),
    "Krośnieńskie laboratoria STEM dla szkół": (
        "Za wyrównywanie szans uczniów małych szkół dzięki współpracy miasta, powiatu, gmin i uczelni."
    ),
    "Kolej aglomeracyjna dla dojazdów do pracy w regionie łódzkim": (
        "Za kolej, która stała się kręgosłupem dojazdów w całym obszarze metropolitalnym, i wzorową współpracę "
        "województwa z miastami i gminami."
    ),
    "Wspólny system informacji przestrzennej Aglomeracji Kalisko-Ostrowskiej": (
        "Za planowanie przestrzeni ponad granicami gmin i geoportal, z którego korzystają mieszkańcy i inwestorzy."
    ),
    "Czyste powietrze Subregionu Zachodniego – wspólny program termomodernizacji": (
        "Za konsekwentną walkę ze smogiem: tysiące ocieplonych domów i mierzalnie czystsze powietrze."
    ),
    "Białostocka sieć żłobków gminnych": (
        "Za wspólną rekrutację do żłobków, dzięki której granica gminy przestała być przeszkodą dla rodziców."
    ),
    "Retencja wód opadowych na Pomorzu Zachodnim": (
        "Za mądre gospodarowanie deszczówką i współpracę samorządów z uczelnią w adaptacji do zmian klimatu."
    ),
    "Świętokrzyskie Centrum Kształcenia Zawodowego": (
        "Za szkołę zawodową tworzoną razem z pracodawcami regionu i praktyki, które dają uczniom zawód."
    ),
    "Cyfrowy urząd gmin powiatu toruńskiego": (
        "Za wspólny cyfrowy urząd, w którym mieszkańcy małych gmin załatwiają sprawy jak w dużym mieście."
    ),
    "Teleopieka dla seniorów Ziemi Płockiej": (
        "Za poczucie bezpieczeństwa setek seniorów i współpracę miasta, powiatu i organizacji pozarządowej."
    ),
    "Bieszczady bez barier – przewozy dla osób z niepełnosprawnościami": (
        "Za usuwanie barier tam, gdzie odległości są największe: transport, który przywraca samodzielność."
    ),
    "Wspólna ochrona przeciwpowodziowa Doliny Soły": (
        "Za współpracę ponad granicą województw: jedna rzeka, jeden system ostrzegania i jeden plan działania."
    ),
}
CITATION = "Za program, który pokazał, jak kilka samorządów może wspólnie zadbać o usługi dla mieszkańców."
DISTINCTION = "Za konsekwentną współpracę partnerów i rzetelnie zmierzone rezultaty."


def _seed_finished(edition, organiser, password, stdout):
    """The jury's past of a finished edition, up to the decisions; results.demo locks and publishes them."""
    members = []
    for number in range(1, JURORS_FINISHED + 1):
        user = ensure_user(f"juror{number}@example.com", password, full_name=NAMES[(number - 1) % len(NAMES)])
        member, _created = JuryMember.objects.get_or_create(
            edition=edition, user=user, defaults={"is_chair": number == 1}
        )
        members.append(member)
    entries = list(Application.objects.filter(edition=edition, status__in=Status.ACCEPTED_FOR_JURY).order_by("code"))
    if not entries:
        return
    if not Scorecard.objects.filter(member__edition=edition).exists():
        _finished_scorecards(edition, members, entries)
    if not RankingSnapshot.objects.filter(edition=edition).exists():
        services.freeze_ranking(edition, by=organiser)
    current = services.ranking_for(edition)
    if not Decision.objects.filter(edition=edition).exists():
        _finished_decisions(edition, entries, current.overall, members[0].user)
    alpha = current.overall.reliability.alpha
    flagged = ", ".join(row.code for row in current.overall.flagged) or "-"
    _write(
        stdout,
        f"{edition.year} jury: {len(members)} jurors, {len(entries)} entries; Krippendorff's alpha "
        f"{'-' if alpha is None else f'{alpha:.3f}'}; flagged for disagreement: {flagged}.",
    )


def _finished_scorecards(edition, members, entries):
    """Every juror scores every entry: an entry's quality, the juror's leniency and a little noise (seeded by the
    year, so each edition has its own ranking and the same one on every seed)."""
    rng = random.Random(edition.year)
    criteria = list(edition.criteria.all())
    submitted = edition.scoring_ends_at or timezone.now()
    disputed = entries[len(entries) // 2]  # the jurors disagree strongly on this one
    for rank_index, entry in enumerate(entries):
        quality = rng.uniform(0.45, 0.9)
        for member in members:
            Assignment.objects.get_or_create(member=member, application=entry)
            card = Scorecard.objects.create(
                member=member,
                application=entry,
                status=Scorecard.Status.SUBMITTED,
                overall_comment="Ocena po lekturze wniosku i załączników.",
                submitted_at=submitted,
                revision=1,
            )
            scores = []
            for i, criterion in enumerate(criteria):
                if entry == disputed:  # half the jury loves it, half does not
                    share = 0.95 if member.number % 2 else 0.2
                    points = round(criterion.max_points * share)
                else:
                    points = round(criterion.max_points * quality) + LENIENCY[member.number] + rng.randint(-1, 1)
                scores.append(
                    CriterionScore(
                        scorecard=card,
                        criterion=criterion,
                        points=max(0, min(criterion.max_points, points)),
                        justification=JUSTIFICATIONS[(i + rank_index) % len(JUSTIFICATIONS)],
                    )
                )
            CriterionScore.objects.bulk_create(scores)


def award_counts(count):
    """(laureates, distinctions, finalists) for an edition of `count` ranked entries; the rest are not awarded.
    4 entries: 1, 1, 1 (one not awarded); 7: 2, 2, 1; 10: 3, 2, 2."""
    laureates = min(3, max(1, count // 3))
    distinctions = max(1, (count + 1) // 4)
    finalists = max(1, count // 5)
    return laureates, distinctions, finalists


def _finished_decisions(edition, entries, overall, chair_user):
    """By the ranking: laureates (places 1-3, citations), distinctions (citations), finalists; the rest not
    awarded."""
    by_code = {entry.code: entry for entry in entries}
    ordered = [by_code[row.code] for row in overall.rows if row.code in by_code]
    ordered += [entry for entry in entries if entry not in ordered]
    laureates, distinctions, finalists = award_counts(len(ordered))
    for position, entry in enumerate(ordered):
        fields = {"outcome": Decision.Outcome.NOT_AWARDED}
        if position < laureates:
            fields = {
                "outcome": Decision.Outcome.LAUREATE,
                "place": position + 1,
                "citation": CITATIONS.get(entry.title, CITATION),
            }
        elif position < laureates + distinctions:
            fields = {"outcome": Decision.Outcome.DISTINCTION, "citation": CITATIONS.get(entry.title, DISTINCTION)}
        elif position < laureates + distinctions + finalists:
            fields = {"outcome": Decision.Outcome.FINALIST}
        Decision.objects.create(edition=edition, application=entry, recorded_by=chair_user, **fields)

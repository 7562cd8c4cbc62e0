"""Demo jury for the 2026 edition (in scoring): a chair and jurors with affiliations, one automatic conflict,
signed declarations, a balanced assignment (k = 3) and scorecards in every state (none, draft, submitted, revised)."""

from applications.models import Application, Status
from contest.demo import ensure_user
from contest.models import TerritorialUnit
from contest.phases import can_score

from . import blind, services
from .models import Affiliation, Assignment, Invitation, JuryMember, RedactionTerm, Scorecard

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

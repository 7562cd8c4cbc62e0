"""factory_boy factories for the whole project."""
import datetime

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from applications.models import Application, Partner, Status
from contest.models import AttachmentRequirement, Category, ChecklistItem, Criterion, Edition, TerritorialUnit

DAY = datetime.timedelta(days=1)


def timeline_for(phase, now=None):
    """Dates that put an edition in `phase` right now; each milestone a few days apart."""
    now = now or timezone.now()
    offsets = {
        "draft": 30,
        "announced": 15,
        "submissions": 0,
        "formal_review": -40,
        "scoring": -60,
        "deliberation": -90,
        "results": -120,
        "archived": -200,
    }
    shift = offsets[phase]
    base = now + shift * DAY
    dates = {
        "call_published_at": base - 20 * DAY,
        "submissions_open_at": base - 10 * DAY,
        "submission_deadline": base + 30 * DAY,
        "formal_review_ends_at": base + 45 * DAY,
        "scoring_starts_at": base + 50 * DAY,
        "scoring_ends_at": base + 80 * DAY,
        "results_at": base + 100 * DAY,
        "archived_at": base + 190 * DAY,
    }
    if phase == "announced":
        dates["call_published_at"] = now - DAY
    if phase == "draft":
        dates["call_published_at"] = now + DAY
    return dates


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name", locale="pl_PL")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        self.save()
        if create and extracted is not False:
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition
        exclude = ["phase"]

    phase = "submissions"
    number = factory.Sequence(lambda n: 100 + n)
    year = factory.Sequence(lambda n: 2100 + n)
    theme = "Razem dla rozwoju"
    is_draft = factory.LazyAttribute(lambda o: o.phase == "draft")
    call_published_at = factory.LazyAttribute(lambda o: timeline_for(o.phase)["call_published_at"])
    submissions_open_at = factory.LazyAttribute(lambda o: timeline_for(o.phase)["submissions_open_at"])
    submission_deadline = factory.LazyAttribute(lambda o: timeline_for(o.phase)["submission_deadline"])
    formal_review_ends_at = factory.LazyAttribute(lambda o: timeline_for(o.phase)["formal_review_ends_at"])
    scoring_starts_at = factory.LazyAttribute(lambda o: timeline_for(o.phase)["scoring_starts_at"])
    scoring_ends_at = factory.LazyAttribute(lambda o: timeline_for(o.phase)["scoring_ends_at"])
    results_at = factory.LazyAttribute(lambda o: timeline_for(o.phase)["results_at"])
    archived_at = factory.LazyAttribute(lambda o: timeline_for(o.phase)["archived_at"])


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    edition = factory.SubFactory(EditionFactory)
    name = factory.Sequence(lambda n: f"Kategoria {n}")


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    edition = factory.SubFactory(EditionFactory)
    name = factory.Sequence(lambda n: f"Kryterium {n}")
    max_points = 10
    weight = 1


class AttachmentRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AttachmentRequirement

    edition = factory.SubFactory(EditionFactory)
    name = factory.Sequence(lambda n: f"Załącznik {n}")
    allowed_types = ["pdf"]
    max_size_mb = 5
    is_required = True


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistItem

    edition = factory.SubFactory(EditionFactory)
    text = factory.Sequence(lambda n: f"Warunek formalny {n}")


def unit(code):
    """A real TERC unit by its 7-character code (loaded by migration)."""
    return TerritorialUnit.objects.get(code=code)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    edition = factory.SubFactory(EditionFactory)
    category = factory.LazyAttribute(lambda o: CategoryFactory(edition=o.edition))
    owner = factory.SubFactory(UserFactory)
    status = Status.DRAFT
    partnership_name = "Partnerstwo Doliny Bobru"
    title = "Wspólny transport gminny"
    summary = "Gminy uruchomiły wspólną sieć autobusów."


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    application = factory.SubFactory(ApplicationFactory)
    kind = Partner.Kind.LOCAL_GOVERNMENT
    territorial_unit = factory.LazyFunction(lambda: unit("0201011"))
    role = "Koordynacja"


# --- applications: complete applications ready to submit, attachments, small real files -----------------------


def pdf_bytes(text="Porozumienie partnerskie"):
    """A small, valid one-page PDF."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": text})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def jpeg_bytes():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (11, 61, 110)).save(buffer, "JPEG")
    return buffer.getvalue()


class ResultIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "applications.ResultIndicator"

    application = factory.SubFactory(ApplicationFactory)
    name = "Liczba pasażerów rocznie"
    baseline = "0"
    achieved = "120 000"
    source = "Sprawozdania przewoźnika"


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "applications.Attachment"

    application = factory.SubFactory(ApplicationFactory)
    requirement = factory.LazyAttribute(lambda o: AttachmentRequirementFactory(edition=o.application.edition))
    file = factory.django.FileField(filename="porozumienie.pdf", data=factory.LazyFunction(pdf_bytes))
    original_name = "porozumienie.pdf"
    size = factory.LazyAttribute(lambda o: o.file.size if hasattr(o.file, "size") else 100)
    content_type = "application/pdf"
    sha256 = "0" * 64


COMPLETE_FIELDS = {
    "partnership_name": "Partnerstwo Doliny Bobru",
    "legal_form": "porozumienie międzygminne",
    "formed_on": datetime.date(2021, 3, 1),
    "title": "Wspólny transport gminny",
    "summary": "Gminy uruchomiły wspólną sieć autobusów.",
    "problem": "Brak połączeń między wsiami.",
    "goals": "Dostępny transport dla mieszkańców.",
    "cooperation_method": "Wspólny operator i budżet.",
    "activities": "Zakup autobusów, nowe linie.",
    "partner_roles": "Lider koordynuje, partnerzy współfinansują.",
    "resident_involvement": "Konsultacje rozkładów jazdy.",
    "results_description": "Nowe linie i więcej pasażerów.",
    "costs_and_funding": "2 mln zł, w tym 60% z funduszy UE.",
    "sustainability": "Linie działają po zakończeniu projektu.",
    "replicability": "Model opisany w podręczniku.",
    "implementation_start": datetime.date(2022, 1, 1),
    "implementation_end": datetime.date(2023, 12, 31),
    "contact_name": "Jan Kowalski",
    "contact_email": "jan.kowalski@example.com",
    "contact_phone": "+48 600 000 000",
}


def ensure_terc():
    """Load the TERC register if a transactional test elsewhere flushed the rows the migration loaded."""
    if not TerritorialUnit.objects.exists():
        from contest.teryt import load_register

        load_register()


def complete_application(edition=None, owner=None, **fields):
    """A draft that passes every submission check: two gminy, an indicator, the required file, declarations."""
    from applications.models import Declaration

    ensure_terc()
    edition = edition or EditionFactory(phase="submissions")
    requirement = edition.attachment_requirements.filter(is_required=True).first() or AttachmentRequirementFactory(
        edition=edition, allowed_types=["pdf"]
    )
    application = ApplicationFactory(
        edition=edition, **({"owner": owner} if owner else {}), **{**COMPLETE_FIELDS, **fields}
    )
    PartnerFactory(application=application, territorial_unit=unit("0201011"), is_leader=True)
    PartnerFactory(application=application, territorial_unit=unit("0201022"), role="Współfinansowanie")
    ResultIndicatorFactory(application=application)
    AttachmentFactory(application=application, requirement=requirement)
    for kind in Declaration.Kind.values:
        Declaration.objects.create(
            application=application, kind=kind, text_version="t", text="t", accepted_by=application.owner,
            accepted_at=timezone.now(),
        )
    return application


# --- jury: members, declarations, affiliations, assignments, scorecards -------------------------------------------


def jury_entry(edition, number=None, **fields):
    """A formally accepted entry with a code, ready for the jury."""
    number = number or (Application.objects.filter(edition=edition).count() + 1)
    defaults = {
        "status": Status.ACCEPTED,
        "code": f"SLZ-{edition.year}-{number:03d}",
        "sequence": number,
        **COMPLETE_FIELDS,
    }
    return ApplicationFactory(edition=edition, **{**defaults, **fields})


class JuryMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "jury.JuryMember"

    edition = factory.SubFactory(EditionFactory, phase="scoring")
    user = factory.SubFactory(UserFactory)
    is_chair = False


class ImpartialityDeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "jury.ImpartialityDeclaration"

    member = factory.SubFactory(JuryMemberFactory)
    user = factory.LazyAttribute(lambda o: o.member.user)
    text_version = "test"
    text = "Oświadczam, że jestem bezstronny."


def declared_juror(edition, **fields):
    """A jury member of the edition who has signed the impartiality declaration."""
    member = JuryMemberFactory(edition=edition, **fields)
    ImpartialityDeclarationFactory(member=member)
    return member


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "jury.Affiliation"

    user = factory.SubFactory(UserFactory)
    role = "employee"


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "jury.Assignment"

    member = factory.SubFactory(JuryMemberFactory)
    application = factory.LazyAttribute(lambda o: jury_entry(o.member.edition))


class ScorecardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "jury.Scorecard"

    member = factory.SubFactory(JuryMemberFactory)
    application = factory.LazyAttribute(lambda o: jury_entry(o.member.edition))
    status = "draft"
    overall_comment = ""


# Distinctive identities for blindness tests: real TERC units, made-up organisations, people and numbers.
JURY_IDENTITIES = [
    {
        "unit": "0808063",  # Zbąszynek
        "partnership_name": "Partnerstwo Zbąszynecko-Szczebrzeszyńskie",
        "partner_name": "Stowarzyszenie Przyjaciół Zbąszynka",
        "nip": "5252344078",
        "regon": "146085190",
        "krs": "0000412345",
        "contact_name": "Bożydar Wąsikiewicz",
        "contact_email": "bozydar.wasikiewicz@zbaszynek.example.pl",
        "contact_phone": "+48 68 384 12 34",
    },
    {
        "unit": "2611053",  # Wąchock
        "partnership_name": "Wąchockie Porozumienie Sołtysów",
        "partner_name": "Fundacja Ekologiczna Kamienna Dolina",
        "nip": "6572987115",
        "regon": "260123456",
        "krs": "0000598877",
        "contact_name": "Eulalia Przybyszewska-Grzmot",
        "contact_email": "eulalia.grzmot@wachock.example.pl",
        "contact_phone": "41 271 56 78",
    },
    {
        "unit": "1209042",  # Pcim
        "partnership_name": "Pcimskie Centrum Współpracy",
        "partner_name": "Spółdzielnia Socjalna Pcimianka",
        "nip": "6811987654",
        "regon": "122345678",
        "krs": "0000777123",
        "contact_name": "Teodozjusz Kiełbasiński",
        "contact_email": "teodozjusz@pcim.example.pl",
        "contact_phone": "603-555-901",
    },
]


def identifying_strings(identity):
    """Everything that must never reach a juror for an entry built from `identity`."""
    return [
        identity["partnership_name"],
        identity["partner_name"],
        identity["nip"],
        identity["regon"],
        identity["krs"],
        identity["contact_name"],
        identity["contact_name"].split()[-1],
        identity["contact_email"],
        identity["contact_phone"],
        unit(identity["unit"]).name,
    ]


def identified_jury_entry(edition, identity, number, owner=None, **fields):
    """An accepted entry whose text mentions its own partners, people and numbers, as real applications do."""
    place = unit(identity["unit"])
    text = (
        f"{identity['partnership_name']} łączy gminę {place.name} i {identity['partner_name']}. "
        f"Kontakt: {identity['contact_name']}, {identity['contact_email']}, tel. {identity['contact_phone']}. "
        f"NIP {identity['nip']}, REGON {identity['regon']}, KRS {identity['krs']}."
    )
    application = jury_entry(
        edition,
        number,
        partnership_name=identity["partnership_name"],
        contact_name=identity["contact_name"],
        contact_email=identity["contact_email"],
        contact_phone=identity["contact_phone"],
        summary=text,
        problem=f"Mieszkańcy gminy {place.name} nie mieli dojazdu.",
        **({"owner": owner} if owner else {}),
        **fields,
    )
    PartnerFactory(application=application, territorial_unit=place, is_leader=True)
    PartnerFactory(
        application=application,
        kind=Partner.Kind.NGO,
        territorial_unit=None,
        name=identity["partner_name"],
        nip=identity["nip"],
        regon=identity["regon"],
        krs=identity["krs"],
    )
    ResultIndicatorFactory(application=application, source=f"Dane Urzędu Gminy {place.name}")
    return application


# --- jury: the organiser's anonymisation check ----------------------------------------------------------------------


def sign_off(application, by=None):
    """An organiser's anonymisation check of the entry as it is now; jurors open only signed-off entries.

    Call it after the entry's partners, files and texts are in place: any later change to what jurors see voids it.
    """
    from jury import blind, services

    by = by or UserFactory(email="anonymisation.checker@example.com", is_organiser=True)
    fingerprint = blind.content_hash(blind.build_blind_entry(application))
    return services.sign_off_anonymisation(application, fingerprint, by=by)


def recorded_affiliation(user, **fields):
    """An affiliation recorded through jury.services by an organiser, with detection: a juror who has signed the
    declaration during scoring can no longer change their affiliations themselves."""
    from jury import services

    return services.add_affiliation(user, by=UserFactory(is_organiser=True), **fields)


def submitted_card(member, application, points):
    """A submitted scorecard with `points` ({criterion: points}), assigned to the member; written directly."""
    from jury.models import Assignment, CriterionScore, Scorecard

    Assignment.objects.get_or_create(member=member, application=application)
    card = Scorecard.objects.create(
        member=member, application=application, status="submitted", submitted_at=timezone.now(), revision=1
    )
    CriterionScore.objects.bulk_create(
        CriterionScore(scorecard=card, criterion=criterion, points=value, justification="Uzasadnienie oceny.")
        for criterion, value in points.items()
    )
    return card


def ranked_edition(phase="deliberation"):
    """The hand-computed case of the ranking tests: criteria of weight 1 and 2 (max 10 each, maximum total 30), three
    entries in one category, three jurors (the first the chair) scoring all of them.

    Totals: 001: 22, 16, 27 (mean 65/3 = 21.67, spread 11 > 9 = 0.30 × 30: flagged); 002: 15, 12, 18 (mean 15);
    003: 15, 13, 17 (mean 15). 002 and 003 also tie on both criterion means (5, 5) and the median (15): ex aequo 2.
    """
    edition = EditionFactory(phase=phase)
    category = CategoryFactory(edition=edition, name="Gminy")
    first = CriterionFactory(edition=edition, max_points=10, weight=1, order=1)
    second = CriterionFactory(edition=edition, max_points=10, weight=2, order=2)
    entries = [jury_entry(edition, number, category=category) for number in (1, 2, 3)]
    # Named "Sędzia Nazwisko1..3" so pages and PDFs can be searched for names (the chair is the first).
    jurors = [
        declared_juror(edition, is_chair=k == 0, user=UserFactory(full_name=f"Sędzia Nazwisko{k + 1}"))
        for k in range(3)
    ]
    given = [
        [(8, 7), (6, 5), (9, 9)],
        [(5, 5), (4, 4), (6, 6)],
        [(5, 5), (5, 4), (5, 6)],
    ]
    for entry, cards in zip(entries, given, strict=True):
        for juror, (a, b) in zip(jurors, cards, strict=True):
            submitted_card(juror, entry, {first: a, second: b})
    return edition, entries, jurors


def submitted_application(edition):
    """A complete application of `edition`, submitted by its owner (numbered, a version frozen)."""
    from applications import services

    application = complete_application(edition=edition)
    services.submit(application, by=application.owner)
    application.refresh_from_db()
    return application

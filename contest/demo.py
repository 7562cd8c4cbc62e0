"""Demo data for the contest: accounts and four editions (two with results published, jury scoring, submissions
open)."""
import datetime
import hashlib
import hmac

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone

from .models import AttachmentRequirement, Category, ChecklistItem, Criterion, Edition, SystemCheck

# What the "Organisers" group may do in the admin: set up editions, and look at the rest. Everything else
# changes through the organiser pages and their services; accounts and roles are for superusers only.
ORGANISER_VIEW_APPS = ["contest", "applications", "jury"]
ORGANISER_SETUP_MODELS = {
    "edition": ["add", "change"],
    "category": ["add", "change", "delete"],
    "criterion": ["add", "change", "delete"],
    "attachmentrequirement": ["add", "change", "delete"],
    "checklistitem": ["add", "change", "delete"],
    "infopage": ["change"],  # the accessibility statement and the personal-data clause
}

CATEGORIES = [
    ("Partnerstwa gmin", "Współpraca co najmniej dwóch gmin lub gmin i powiatów."),
    ("Partnerstwa międzysektorowe", "Samorządy razem z organizacjami pozarządowymi, biznesem lub uczelniami."),
    ("Partnerstwa miejskie i metropolitalne", "Współpraca w miejskich obszarach funkcjonalnych."),
]
CRITERIA = [
    ("Trafność diagnozy problemu", "Czy projekt odpowiada na rzeczywisty, dobrze opisany problem?", 10, "1.00"),
    ("Jakość zarządzania partnerstwem", "Podział ról, zasady podejmowania decyzji, koordynacja.", 20, "1.50"),
    ("Rezultaty i ich mierzalność", "Osiągnięte rezultaty z wartościami wskaźników i źródłem danych.", 20, "1.50"),
    ("Zaangażowanie mieszkańców i interesariuszy", "Udział mieszkańców, organizacji i biznesu.", 15, "1.00"),
    ("Trwałość i możliwość powielenia", "Czy współpraca trwa i czy inni mogą ją powtórzyć?", 15, "1.00"),
]
REQUIREMENTS = [
    ("Porozumienie lub umowa partnerska", "Skan podpisanego dokumentu.", True, ["pdf"], 10, False),
    ("Dokumentacja fotograficzna", "Do 10 MB; bez podpisów z nazwami gmin.", False, ["jpeg", "png"], 10, True),
    ("Materiały o rezultatach projektu", "Raporty, ulotki, publikacje.", False, ["pdf", "docx"], 20, True),
]
# Asked of every entry of the finished editions, published for the awarded ones only (results.services makes the
# public copies: pictures resized and stripped of metadata). Not shown to the jury: photos may name the partners.
PUBLISHED_REQUIREMENTS = [
    (
        "Zdjęcia z realizacji projektu",
        "Do publikacji na stronie laureatów, jeśli projekt zostanie nagrodzony. Przed publikacją usuwamy z plików "
        "metadane (EXIF, położenie GPS).",
        False,
        ["jpeg"],
        10,
        False,
    ),
    (
        "Prezentacja projektu",
        "Kilka slajdów o projekcie do publikacji, jeśli zostanie nagrodzony.",
        False,
        ["pdf"],
        20,
        False,
    ),
]
# (text, what the system checks itself for the item: SystemCheck, "" for what only the reviewer can judge)
CHECKLIST = [
    ("Wniosek złożony w terminie", SystemCheck.ON_TIME),
    (
        "Partnerstwo spełnia warunki regulaminu (co najmniej dwie JST lub JST i partner innego sektora)",
        SystemCheck.PARTNERSHIP,
    ),
    ("Partnerzy samorządowi figurują w rejestrze TERC", SystemCheck.PARTNERS_TERC),
    ("Załączono porozumienie partnerskie", SystemCheck.ATTACHMENTS),
    ("Podpisano wszystkie oświadczenia", SystemCheck.DECLARATIONS),
    ("Projekt zrealizowany w okresie wskazanym w regulaminie", SystemCheck.NONE),
]
THEMES = {
    2024: "Partnerstwa samorządów dla mieszkańców – usługi, przestrzeń i klimat",
    2025: "Współpraca samorządów na rzecz usług publicznych",
    2026: "Razem dla rozwoju lokalnego – partnerstwa dla klimatu i mieszkańców",
    2027: "Partnerstwa dla odporności i usług przyszłości",
}


def _aware(day, hour=0, minute=0, second=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute, second)))


def demo_timeline(year, today):
    """Dates relative to today so each demo edition is in its intended phase whenever the demo is seeded."""
    day = datetime.timedelta(days=1)
    if year == 2024:  # results published a year before 2025's
        return _timeline(today - 665 * day, today - 395 * day)
    if year == 2025:  # results published
        start = today - 300 * day
        return _timeline(start, today - 30 * day)
    if year == 2026:  # jury scoring now
        start = today - 120 * day
        return {
            "call_published_at": _aware(start),
            "submissions_open_at": _aware(start + 7 * day),
            "submission_deadline": _aware(today - 45 * day, 23, 59, 59),
            "formal_review_ends_at": _aware(today - 15 * day, 23, 59, 59),
            "scoring_starts_at": _aware(today - 10 * day, 9),
            "scoring_ends_at": _aware(today + 20 * day, 23, 59, 59),
            "results_at": _aware(today + 40 * day, 12),
        }
    # 2027: submissions open now
    return {
        "call_published_at": _aware(today - 20 * day),
        "submissions_open_at": _aware(today - 10 * day, 9),
        "submission_deadline": _aware(today + 60 * day, 23, 59, 59),
        "formal_review_ends_at": _aware(today + 90 * day, 23, 59, 59),
        "scoring_starts_at": _aware(today + 100 * day, 9),
        "scoring_ends_at": _aware(today + 130 * day, 23, 59, 59),
        "results_at": _aware(today + 150 * day, 12),
    }


def _timeline(start, results):
    day = datetime.timedelta(days=1)
    return {
        "call_published_at": _aware(start),
        "submissions_open_at": _aware(start + 7 * day),
        "submission_deadline": _aware(start + 90 * day, 23, 59, 59),
        "formal_review_ends_at": _aware(start + 120 * day, 23, 59, 59),
        "scoring_starts_at": _aware(start + 130 * day, 9),
        "scoring_ends_at": _aware(start + 170 * day, 23, 59, 59),
        "results_at": _aware(results, 12),
    }


_DEMO_HASHES = {}


def demo_password_hash(password):
    """The demo accounts' one password hashed once per run: a slow hash per account made most of seed_demo's time.
    The salt comes from SECRET_KEY, so the hash is the same within an installation (a second seed compares strings
    instead of hashing again) and differs between installations."""
    key = (password, tuple(settings.PASSWORD_HASHERS), settings.SECRET_KEY)
    if key not in _DEMO_HASHES:
        salt = hmac.new(settings.SECRET_KEY.encode(), b"slz-demo-accounts", hashlib.sha256).hexdigest()[:22]
        _DEMO_HASHES[key] = make_password(password, salt=salt)
    return _DEMO_HASHES[key]


def ensure_user(email, password, **extra):
    User = get_user_model()
    user, created = User.objects.get_or_create(email=email, defaults=extra)
    hashed = demo_password_hash(password)
    if user.password != hashed:
        user.password = hashed
    for key, value in extra.items():
        setattr(user, key, value)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def organiser_permissions():
    setup = Q()
    for model, actions in ORGANISER_SETUP_MODELS.items():
        codenames = [f"{action}_{model}" for action in actions]
        setup |= Q(content_type__app_label="contest", content_type__model=model, codename__in=codenames)
    views = Q(content_type__app_label__in=ORGANISER_VIEW_APPS, codename__startswith="view_")
    return Permission.objects.filter(setup | views)


def organisers_group():
    group, _created = Group.objects.get_or_create(name="Organisers")
    group.permissions.set(organiser_permissions())
    return group


# Editions whose results the demo has published (results.demo locks, prepares and publishes them).
FINISHED_YEARS = (2024, 2025)


def seed_editions(today=None):
    today = today or timezone.localdate()
    editions = {}
    for number, year in ((8, 2024), (9, 2025), (10, 2026), (11, 2027)):
        edition, _created = Edition.objects.update_or_create(
            year=year,
            defaults={
                "number": number,
                "theme": THEMES[year],
                "description": (
                    "Konkurs Związku Miast Polskich dla partnerstw samorządów, które wspólnie rozwiązują "
                    "problemy mieszkańców. Zgłoś projekt współpracy zrealizowany przez Twoje partnerstwo."
                ),
                "eligibility": (
                    "Wnioski składają partnerstwa co najmniej dwóch jednostek samorządu terytorialnego (gmin, "
                    "powiatów lub województw), także z udziałem organizacji pozarządowych. Wniosek w imieniu "
                    "partnerstwa składa jego lider. Jedna jednostka może być liderem tylko jednego wniosku."
                ),
                "contact_name": "Biuro Konkursu, Związek Miast Polskich",
                "contact_email": "konkurs@example.org",
                "contact_phone": "+48 61 000 00 00",
                "is_draft": False,
                "jurors_per_entry": 3 if year == 2026 else None,
                "publish_jury_feedback": year in FINISHED_YEARS,
                **demo_timeline(year, today),
            },
        )
        for order, (name, description) in enumerate(CATEGORIES):
            Category.objects.update_or_create(
                edition=edition, name=name, defaults={"description": description, "order": order}
            )
        for order, (name, description, points, weight) in enumerate(CRITERIA):
            Criterion.objects.update_or_create(
                edition=edition,
                name=name,
                defaults={"description": description, "max_points": points, "weight": weight, "order": order},
            )
        requirements = REQUIREMENTS + (PUBLISHED_REQUIREMENTS if year in FINISHED_YEARS else [])
        for order, (name, help_text, required, types, size, visible) in enumerate(requirements):
            AttachmentRequirement.objects.update_or_create(
                edition=edition,
                name=name,
                defaults={
                    "help_text": help_text,
                    "is_required": required,
                    "allowed_types": types,
                    "max_size_mb": size,
                    "visible_to_jury": visible,
                    "published_for_awarded": order >= len(REQUIREMENTS),
                    "order": order,
                },
            )
        for order, (text, system_check) in enumerate(CHECKLIST):
            ChecklistItem.objects.update_or_create(
                edition=edition, text=text, defaults={"order": order, "system_check": system_check}
            )
        if not edition.rules_document:
            edition.rules_document.save(f"regulamin-{year}.pdf", ContentFile(rules_pdf(edition)), save=True)
        editions[year] = edition
    return editions


def rules_pdf(edition):
    from weasyprint import HTML

    html = (
        f"<h1>Regulamin konkursu „Samorządowy Lider Zarządzania – Razem dla Rozwoju” {edition.year}</h1>"
        f"<p>Edycja {edition.number}. Temat: {edition.theme}.</p>"
        "<p>§1. Organizatorem konkursu jest Związek Miast Polskich.</p>"
        "<p>§2. Do konkursu mogą przystąpić partnerstwa jednostek samorządu terytorialnego.</p>"
        "<p>§3. Wnioski ocenia Komisja Konkursowa według kryteriów opisanych w ogłoszeniu.</p>"
    )
    return HTML(string=html).write_pdf()


def seed(password="demo", applications=None, jurors=None, stdout=None):
    organiser = ensure_user(
        "organiser@example.com", password, full_name="Anna Organizatorka", is_organiser=True, is_staff=True
    )
    organiser.groups.add(organisers_group())
    editions = seed_editions()
    return {"organiser": organiser, "editions": editions}

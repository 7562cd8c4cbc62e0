"""Builders for the publication tests: an edition in deliberation with decided entries, real TERC partners, published
attachments (a photo with EXIF and GPS, a PDF with metadata), decisions recorded and locked through the services."""

import io

from django.utils import timezone
from PIL import Image

from applications.models import Partner
from jury import services as jury_services
from tests import factories as f

CITATION = "Za wzorową współpracę gmin regionu łódzkiego."
SECRET_GPS_ARTIST = "Jan Fotograf-Tajny"


def photo_bytes(width=3000, height=2000, fmt="JPEG"):
    """A large photo whose EXIF holds an author, a camera and a GPS position (as a phone writes it)."""
    picture = Image.new("RGB", (width, height), (180, 40, 40))
    exif = Image.Exif()
    exif[0x013B] = SECRET_GPS_ARTIST  # Artist
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (52.0, 13.0, 0.0)
    gps[3] = "E"
    gps[4] = (21.0, 0.0, 0.0)
    buffer = io.BytesIO()
    if fmt == "JPEG":
        picture.save(buffer, "JPEG", exif=exif, comment=b"secret comment")
    else:
        picture.save(buffer, "PNG", exif=exif)
    return buffer.getvalue()


def awarded_requirements(edition):
    photos = f.AttachmentRequirementFactory(
        edition=edition,
        name="Zdjęcia z realizacji",
        allowed_types=["jpeg", "png"],
        published_for_awarded=True,
        is_required=False,
        order=1,
    )
    presentation = f.AttachmentRequirementFactory(
        edition=edition,
        name="Prezentacja",
        allowed_types=["pdf"],
        published_for_awarded=True,
        is_required=False,
        order=2,
    )
    private = f.AttachmentRequirementFactory(
        edition=edition, name="Porozumienie", allowed_types=["pdf"], published_for_awarded=False, order=3
    )
    return photos, presentation, private


def entry(edition, number, *, partnership_name, units=("1061011", "0201011"), category=None, owner=None, **fields):
    """A formally accepted entry with real TERC partners (the first the leader)."""
    application = f.jury_entry(
        edition,
        number,
        partnership_name=partnership_name,
        public_summary=fields.pop("public_summary", f"Opis publiczny: {partnership_name}."),
        **({"category": category} if category else {}),
        **({"owner": owner} if owner else {}),
        **fields,
    )
    for index, code in enumerate(units):
        f.PartnerFactory(application=application, territorial_unit=f.unit(code), is_leader=index == 0)
    return application


def attach(application, requirement, data, *, name, mime):
    from django.core.files.base import ContentFile

    return f.AttachmentFactory(
        application=application,
        requirement=requirement,
        file=ContentFile(data, name=name),
        original_name=name,
        size=len(data),
        content_type=mime,
    )


def decide(application, outcome, *, by, place=None, citation=""):
    if outcome in ("laureate", "distinction") and not citation:
        citation = CITATION
    return jury_services.record_decision(application, outcome=outcome, place=place, citation=citation, by=by)


def lock(edition, by):
    return jury_services.lock_decisions(edition, reason="Posiedzenie komisji zakończone", by=by)


def decided_edition(*, owners=None, with_files=True, extra_laureates=0):
    """An edition in deliberation: two laureates (places 1 and 2), a distinction, a finalist, an entry not awarded
    and an entry with no decision; decisions locked (which prepares the publication)."""
    organiser = f.UserFactory(email="publisher@example.com", is_organiser=True, is_staff=True)
    edition = f.EditionFactory(phase="deliberation")
    category = f.CategoryFactory(edition=edition, name="Gminy miejskie")
    owners = owners or [f.UserFactory(email=f"applicant{k}@example.com") for k in range(6)]
    photos, presentation, private = awarded_requirements(edition)
    first = entry(edition, 1, partnership_name="Partnerstwo Łódzkie", category=category, owner=owners[0])
    second = entry(
        edition,
        2,
        partnership_name="Ząbkowice i Partnerzy",
        category=category,
        owner=owners[1],
        units=("0224053", "0208011"),
    )
    distinction = entry(edition, 3, partnership_name="Partnerstwo Łódzkie", category=category, owner=owners[2])
    finalist = entry(edition, 4, partnership_name="Finaliści Razem", category=category, owner=owners[3])
    loser = entry(edition, 5, partnership_name="Nienagrodzeni", category=category, owner=owners[4])
    undecided = entry(edition, 6, partnership_name="Bez Decyzji", category=category, owner=owners[5])
    if with_files:
        attach(first, photos, photo_bytes(), name="IMG_jan_kowalski.jpg", mime="image/jpeg")
        attach(first, presentation, f.pdf_bytes("Autor: Jan Kowalski"), name="prezentacja.pdf", mime="application/pdf")
        attach(first, private, f.pdf_bytes("Porozumienie poufne"), name="porozumienie.pdf", mime="application/pdf")
    decide(second, "laureate", by=organiser, place=2)
    decide(first, "laureate", by=organiser, place=1)
    decide(distinction, "distinction", by=organiser)
    decide(finalist, "finalist", by=organiser)
    decide(loser, "not_awarded", by=organiser)
    extra = []
    for k in range(extra_laureates):
        more = entry(
            edition,
            7 + k,
            partnership_name=f"Partnerstwo Dodatkowe {k}",
            category=category,
            owner=f.UserFactory(email=f"extra{k}@example.com"),
        )
        decide(more, "laureate", by=organiser, place=3 + k)
        extra.append(more)
    lock(edition, organiser)
    entries = {
        "first": first,
        "second": second,
        "distinction": distinction,
        "finalist": finalist,
        "loser": loser,
        "undecided": undecided,
    }
    return edition, entries, organiser


def move_results_at(edition, moment):
    """Set the announced moment (and keep the archive after it)."""
    from contest.models import Edition

    Edition.objects.filter(pk=edition.pk).update(results_at=moment, archived_at=moment + timezone.timedelta(days=90))
    edition.refresh_from_db()
    return edition


def ngo_partner(application, name="Fundacja Łączy Nas"):
    return f.PartnerFactory(application=application, kind=Partner.Kind.NGO, territorial_unit=None, name=name)

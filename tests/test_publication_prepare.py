"""Preparing the public record when the decisions are locked: entries, readable unique addresses, partners with their
voivodeship, search text without diacritics, public copies of pictures (resized, no EXIF or GPS) and PDFs (no
metadata), nothing of the private attachments; unlocking takes it all back; nothing changes once public."""

import io

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from jury import services as jury_services
from results import services
from results.models import PublicFile, PublishedEntry
from results.pictures import public_picture
from tests import factories as f
from tests import publication_factories as pf

pytestmark = pytest.mark.django_db


def test_lock_prepares_awarded_entries_in_order_with_unique_transliterated_slugs():
    edition, entries, _organiser = pf.decided_edition(with_files=False)

    rows = list(PublishedEntry.objects.filter(edition=edition).values_list("slug", "outcome", "place"))

    assert rows == [
        ("partnerstwo-lodzkie", "laureate", 1),
        ("zabkowice-i-partnerzy", "laureate", 2),
        ("partnerstwo-lodzkie-2", "distinction", None),
    ]


def test_prepared_entry_copies_public_fields_partners_and_voivodeships():
    edition, entries, _organiser = pf.decided_edition(with_files=False)

    entry = PublishedEntry.objects.get(application=entries["first"])
    partners = [(p.name, p.voivodeship.name, p.unit_kind, p.is_leader) for p in entry.partners.all()]

    assert (entry.partnership_name, entry.citation, entry.public_summary, entry.leader_name, entry.category.name) == (
        "Partnerstwo Łódzkie",
        pf.CITATION,
        "Opis publiczny: Partnerstwo Łódzkie.",
        partners[0][0],
        "Gminy miejskie",
    )
    assert [(vv, kind, leader) for _name, vv, kind, leader in partners] == [
        ("łódzkie", "urban", True),
        ("dolnośląskie", "urban", False),
    ]


def test_search_text_is_lower_case_without_polish_letters():
    edition, entries, _organiser = pf.decided_edition(with_files=False)

    text = PublishedEntry.objects.get(application=entries["first"]).search_text

    assert ("partnerstwo lodzkie" in text, "lodz" in text, "lodzkie" in text, "Ł" in text, "ł" in text) == (
        True,
        True,
        True,
        False,
        False,
    )


def test_finalists_and_not_awarded_entries_are_not_prepared():
    edition, entries, _organiser = pf.decided_edition(with_files=False)

    prepared = set(PublishedEntry.objects.filter(edition=edition).values_list("application_id", flat=True))

    assert prepared == {entries["first"].pk, entries["second"].pk, entries["distinction"].pk}


def test_photo_public_copy_loses_exif_gps_and_comment_and_is_resized():
    edition, entries, _organiser = pf.decided_edition()

    picture = PublicFile.objects.get(entry__application=entries["first"], kind=PublicFile.Kind.IMAGE)
    data = default_storage.open(picture.file.name).read()
    with Image.open(io.BytesIO(data)) as opened:
        size, exif, info = opened.size, dict(opened.getexif()), opened.info

    assert (size, (picture.width, picture.height), exif, "comment" in info, "icc_profile" in info) == (
        (1600, 1067),
        (1600, 1067),
        {},
        False,
        False,
    )
    assert pf.SECRET_GPS_ARTIST.encode() not in data and b"secret comment" not in data
    assert picture.file.name.startswith("public/") and picture.file.name.endswith(".jpg")


def test_public_file_label_is_the_requirement_never_the_uploaded_file_name():
    edition, entries, _organiser = pf.decided_edition()

    labels = sorted(PublicFile.objects.filter(entry__edition=edition).values_list("label", flat=True))

    assert labels == ["Prezentacja", "Zdjęcia z realizacji"]


def test_presentation_pdf_public_copy_has_no_metadata_and_private_attachment_stays_private():
    edition, entries, _organiser = pf.decided_edition()

    document = PublicFile.objects.get(entry__application=entries["first"], kind=PublicFile.Kind.DOCUMENT)
    reader = PdfReader(default_storage.open(document.file.name))

    assert (reader.metadata or {}).get("/Title") is None
    assert PublicFile.objects.filter(entry__edition=edition).count() == 2  # the agreement is not published


def test_png_with_exif_keeps_transparency_mode_and_loses_metadata():
    copy = public_picture(pf.photo_bytes(2400, 800, fmt="PNG"), "png")

    with Image.open(io.BytesIO(copy.data)) as opened:
        assert (opened.format, opened.size, dict(opened.getexif())) == ("PNG", (1600, 533), {})


def test_small_photo_is_not_enlarged():
    copy = public_picture(pf.photo_bytes(400, 300), "jpeg")

    assert (copy.width, copy.height, copy.mime) == (400, 300, "image/jpeg")


def test_prepare_again_replaces_rows_and_deletes_old_files(django_capture_on_commit_callbacks):
    edition, entries, _organiser = pf.decided_edition()
    old = list(PublicFile.objects.filter(entry__edition=edition).values_list("file", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        services.prepare_publication(edition)

    new = list(PublicFile.objects.filter(entry__edition=edition).values_list("file", flat=True))
    assert (PublishedEntry.objects.filter(edition=edition).count(), len(new)) == (3, 2)
    assert [default_storage.exists(name) for name in old] == [False, False]
    assert [default_storage.exists(name) for name in new] == [True, True]


def test_unlock_clears_prepared_entries_and_their_files(django_capture_on_commit_callbacks):
    edition, entries, organiser = pf.decided_edition()
    names = list(PublicFile.objects.filter(entry__edition=edition).values_list("file", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        jury_services.unlock_decisions(edition, reason="Poprawka uzasadnienia", by=organiser)

    assert (PublishedEntry.objects.filter(edition=edition).count(), PublicFile.objects.count()) == (0, 0)
    assert [default_storage.exists(name) for name in names] == [False, False]


def test_prepare_refused_when_results_already_public():
    edition, entries, _organiser = pf.decided_edition(with_files=False)
    pf.move_results_at(edition, timezone.now() - timezone.timedelta(seconds=1))

    with pytest.raises(services.PublicationError):
        services.prepare_publication(edition)
    assert PublishedEntry.objects.filter(edition=edition).count() == 3


def test_decisions_locked_after_results_at_are_prepared_at_once():
    edition = f.EditionFactory(phase="deliberation")
    organiser = f.UserFactory(is_organiser=True)
    application = pf.entry(edition, 1, partnership_name="Spóźnione Partnerstwo")
    pf.decide(application, "laureate", by=organiser, place=1)
    pf.move_results_at(edition, timezone.now() - timezone.timedelta(seconds=1))

    pf.lock(edition, organiser)

    assert list(PublishedEntry.objects.filter(edition=edition).values_list("slug", flat=True)) == [
        "spoznione-partnerstwo"
    ]


def test_unlock_refused_once_outcomes_were_announced_even_if_withdrawn():
    edition, entries, organiser = pf.decided_edition(with_files=False)
    services.publish(edition, by=organiser, now=True)
    services.unpublish(edition, by=organiser, reason="Błąd w nazwie laureata")

    with pytest.raises(jury_services.JuryError):  # the jury refuses before the publication is touched
        jury_services.unlock_decisions(edition, reason="Zmiana", by=organiser)
    assert PublishedEntry.objects.filter(edition=edition).count() == 3


def test_slug_falls_back_to_leader_then_title_and_stays_unique():
    taken = set()

    assert [services.unique_slug("a", taken) for _ in range(3)] == ["a", "a-2", "a-3"]


def test_entry_without_partnership_name_takes_the_leaders_name():
    edition = f.EditionFactory(phase="deliberation")
    organiser = f.UserFactory(is_organiser=True)
    application = pf.entry(edition, 1, partnership_name="", units=("1061011",))
    pf.decide(application, "laureate", by=organiser, place=1)
    pf.lock(edition, organiser)

    assert PublishedEntry.objects.get(application=application).slug == "lodz"


def test_polish_sort_key_puts_l_with_stroke_after_l():
    names = ["Łódź", "Lublin", "Mława", "Zabrze", "Żary", "Ząbki"]

    assert sorted(names, key=services.polish_sort_key) == ["Lublin", "Łódź", "Mława", "Zabrze", "Ząbki", "Żary"]


def test_public_partner_names_are_the_unit_and_its_kind_without_the_voivodeship_twice():
    """The page shows the voivodeship beside each partner; the full register label would repeat it."""
    edition, entries, _organiser = pf.decided_edition(with_files=False)

    entry = PublishedEntry.objects.get(application=entries["first"])
    names = [partner.name for partner in entry.partners.all()]

    assert [name.endswith("(gmina miejska)") and "woj." not in name for name in names] == [True, True]
    assert entry.leader_name == names[0]


def test_an_entry_disqualified_late_is_rejected_after_an_unlock_and_left_out_of_the_record(
    django_capture_on_commit_callbacks,
):
    """Rejecting an entry the locked decisions include is refused (the record would still call it a laureate); the
    organiser unlocks, rejects, locks again: the record is prepared without it."""
    from applications import services as app_services
    from applications.models import Status
    from jury.services import JuryError

    edition, entries, organiser = pf.decided_edition(with_files=False)
    with pytest.raises(JuryError), django_capture_on_commit_callbacks(execute=True):
        app_services.reject(entries["second"], by=organiser, reason="Partnerstwo nie spełnia regulaminu")
    entries["second"].refresh_from_db()
    assert entries["second"].status == Status.ACCEPTED

    with django_capture_on_commit_callbacks(execute=True):
        jury_services.unlock_decisions(edition, reason="Dyskwalifikacja", by=organiser)
        app_services.reject(entries["second"], by=organiser, reason="Partnerstwo nie spełnia regulaminu")
        jury_services.lock_decisions(edition, reason="Po dyskwalifikacji", by=organiser)

    slugs = list(PublishedEntry.objects.filter(edition=edition).values_list("slug", flat=True))
    assert "zabkowice-i-partnerzy" not in slugs and "partnerstwo-lodzkie" in slugs


def test_photo_gets_a_small_copy_for_the_lists_without_metadata_and_unlock_removes_it(
    django_capture_on_commit_callbacks,
):
    edition, entries, organiser = pf.decided_edition()
    picture = PublicFile.objects.get(entry__application=entries["first"], kind=PublicFile.Kind.IMAGE)
    data = default_storage.open(picture.thumbnail.name).read()
    with Image.open(io.BytesIO(data)) as opened:
        size, exif = opened.size, dict(opened.getexif())
    assert (size, exif, pf.SECRET_GPS_ARTIST.encode() in data) == ((480, 320), {}, False)
    document = PublicFile.objects.get(entry__application=entries["first"], kind=PublicFile.Kind.DOCUMENT)
    assert document.thumbnail.name == ""

    with django_capture_on_commit_callbacks(execute=True):
        jury_services.unlock_decisions(edition, reason="Poprawka uzasadnienia", by=organiser)

    assert default_storage.exists(picture.thumbnail.name) is False

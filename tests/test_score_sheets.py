"""Score sheets (karta oceny) as PDF: the juror's own, blind; the organisers' with every juror by number."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from jury import blind, queries, services
from jury.models import Assignment, JuryMember
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]



@pytest.fixture
def scene():
    edition = f.EditionFactory(phase="scoring", min_justification_length=5)
    first = f.CriterionFactory(edition=edition, name="Trwałość efektów", max_points=10, weight="2.00", order=1)
    second = f.CriterionFactory(edition=edition, name="Innowacyjność", max_points=5, weight="1.00", order=2)
    identity = f.JURY_IDENTITIES[0]
    entry = f.identified_jury_entry(edition, identity, 1)
    alice = f.declared_juror(edition, user=f.UserFactory(email="alice@example.com", full_name="Alicja Sędzińska"))
    bob = f.declared_juror(edition, user=f.UserFactory(email="bob@example.com", full_name="Bogdan Oceniający"))
    for member in (alice, bob):
        Assignment.objects.create(member=member, application=entry)
    services.submit_scorecard(
        alice,
        entry,
        {first.pk: (7, "Uzasadnienie Alicji trwałe"), second.pk: (4, "Alicja: nowatorskie")},
        "Komentarz ogólny Alicji",
        by=alice.user,
    )
    services.submit_scorecard(
        bob,
        entry,
        {first.pk: (3, "Uzasadnienie Bogdana słabe"), second.pk: (2, "Bogdan: zwyczajne")},
        "Komentarz ogólny Bogdana",
        by=bob.user,
    )
    return {"edition": edition, "entry": entry, "alice": alice, "bob": bob, "identity": identity}


def _text(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def _juror_pdf(client, scene, member):
    client.force_login(member.user)
    return client.get(reverse("jury:juror_score_sheets", args=[scene["edition"].year]))


def test_juror_sheet_shows_their_points_justification_and_comment(client, scene):
    text = " ".join(_text(_juror_pdf(client, scene, scene["alice"])))
    for expected in (
        scene["entry"].code,
        "Trwałość efektów",
        "Uzasadnienie Alicji trwałe",
        "Alicja: nowatorskie",
        "Komentarz ogólny Alicji",
        "11",  # the total of 7 + 4
        "2.00",
    ):
        assert expected in text


def test_juror_sheet_holds_no_other_jurors_scores(client, scene):
    text = " ".join(_text(_juror_pdf(client, scene, scene["alice"])))
    assert "Bogdana" not in text
    assert "Bogdan:" not in text


def test_juror_sheet_names_no_partnership_partner_or_person(client, scene):
    text = " ".join(_text(_juror_pdf(client, scene, scene["alice"])))
    entry = scene["entry"]
    secrets = [entry.partnership_name, entry.title, scene["identity"]["partner_name"]]
    secrets += [p.name for p in entry.partners.all()]
    secrets += ["alice@example.com", "Sędzińska"]
    assert [s for s in secrets if s and s in text] == []


def test_juror_sheet_leaves_out_drafts(client, scene):
    other = f.jury_entry(scene["edition"], 2)
    Assignment.objects.create(member=scene["alice"], application=other)
    criterion = scene["edition"].criteria.first()
    services.save_scorecard_draft(scene["alice"], other, {criterion.pk: (1, "Szkic roboczy")}, by=scene["alice"].user)
    pages = _text(_juror_pdf(client, scene, scene["alice"]))
    assert len(pages) == 1
    assert other.code not in pages[0]


def test_juror_without_submitted_scorecards_gets_a_sheet_saying_so(client, scene):
    carol = f.declared_juror(scene["edition"])
    [page] = _text(_juror_pdf(client, scene, carol))
    assert "There are no submitted scorecards yet." in page


def test_juror_of_another_edition_gets_no_sheets(client, scene):
    stranger = f.declared_juror(f.EditionFactory(phase="scoring"))
    client.force_login(stranger.user)
    response = client.get(reverse("jury:juror_score_sheets", args=[scene["edition"].year]))
    assert response.status_code in (403, 404)
    assert response["Content-Type"] != "application/pdf"


def test_juror_sheets_template_gets_only_frozen_sheets(scene):
    sheets = blind.build_score_sheets(queries.submitted_scorecards(scene["edition"], member=scene["alice"]))
    [sheet] = sheets
    assert isinstance(sheet, blind.BlindScoreSheet)
    assert (sheet.code, sheet.revision, sheet.juror_number) == (scene["entry"].code, 1, None)
    assert [(s.criterion, s.points) for s in sheet.scores] == [("Trwałość efektów", 7), ("Innowacyjność", 4)]
    with pytest.raises(AttributeError, match="cannot assign"):
        sheet.code = "X"


def test_organiser_sheets_label_every_juror_by_number_in_order(client, organiser, scene):
    client.force_login(organiser)
    pages = _text(client.get(reverse("jury:score_sheets", args=[scene["edition"].year])))
    assert len(pages) == 2
    assert "Juror 1" in pages[0] and "Uzasadnienie Alicji trwałe" in pages[0]
    assert "Juror 2" in pages[1] and "Uzasadnienie Bogdana słabe" in pages[1]
    text = " ".join(pages)
    assert "Sędzińska" not in text and "Oceniający" not in text and "bob@example.com" not in text


def test_juror_numbers_follow_membership_order_and_keep_inactive_members(scene):
    late = f.JuryMemberFactory(edition=scene["edition"], is_active=False)
    f.JuryMemberFactory(edition=f.EditionFactory())  # another edition: not numbered here
    assert queries.juror_numbers(scene["edition"]) == {scene["alice"].pk: 1, scene["bob"].pk: 2, late.pk: 3}


def test_organiser_sheets_refused_to_a_juror(client, scene):
    client.force_login(scene["alice"].user)
    response = client.get(reverse("jury:score_sheets", args=[scene["edition"].year]))
    assert response.status_code == 403
    assert JuryMember.objects.filter(edition=scene["edition"]).count() == 2


@pytest.mark.polish
def test_juror_sheet_speaks_polish(client, scene):
    [page] = _text(_juror_pdf(client, scene, scene["alice"]))
    assert "Karta oceny" in page
    assert "Uzasadnienie" in page and "Maksymalna liczba punktów" in page


def test_juror_dashboard_links_to_the_score_sheets(client, scene):
    client.force_login(scene["alice"].user)
    response = client.get(reverse("jury:dashboard", args=[scene["edition"].year]))
    assert reverse("jury:juror_score_sheets", args=[scene["edition"].year]) in response.content.decode()


def test_board_links_to_the_sheets_and_exports(client, organiser, scene):
    client.force_login(organiser)
    content = client.get(reverse("jury:board", args=[scene["edition"].year])).content.decode()
    year = scene["edition"].year
    for url in (
        reverse("jury:score_sheets", args=[year]),
        reverse("jury:scores_export", args=[year, "csv"]),
        reverse("jury:scores_export", args=[year, "xlsx"]),
    ):
        assert url in content

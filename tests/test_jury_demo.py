"""seed_demo gives a jury in scoring: a chair, jurors with affiliations, an automatic conflict, every card state."""

import io

import pytest
from django.core.management import call_command

from jury.models import Affiliation, Assignment, ConflictOfInterest, ImpartialityDeclaration, JuryMember, Scorecard

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_jury_and_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    counts = (JuryMember.objects.count(), Assignment.objects.count(), Scorecard.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (JuryMember.objects.count(), Assignment.objects.count(), Scorecard.objects.count()) == counts

    members = JuryMember.objects.filter(edition__year=2026)
    assert members.filter(is_chair=True).count() == 1
    assert members.count() >= 6
    assert Affiliation.objects.filter(user__jury_memberships__in=members).values("user").distinct().count() >= 5
    assert ImpartialityDeclaration.objects.filter(member__in=members).count() == members.count()
    auto = ConflictOfInterest.objects.filter(source="auto", lifted_at__isnull=True)
    assert [(c.member.user.email, c.application.code) for c in auto] == [("juror2@example.com", "SLZ-2026-001")]
    assert not Assignment.objects.filter(member=auto[0].member, application=auto[0].application).exists()
    states = {
        "draft" if card.status == "draft" else ("revised" if card.revision > 1 else "submitted")
        for card in Scorecard.objects.filter(member__in=members)
    }
    assert states == {"draft", "submitted", "revised"}
    assigned = set(Assignment.objects.filter(member__in=members).values_list("member_id", "application_id"))
    scored = set(Scorecard.objects.filter(member__in=members).values_list("member_id", "application_id"))
    assert assigned - scored  # and some assigned entries have no scorecard yet

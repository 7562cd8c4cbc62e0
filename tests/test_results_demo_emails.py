"""A fresh seed_demo sends each entry of the finished editions (2024, 2025) exactly one outcome e-mail, and a second
seed none. Its own module: the module-scoped `seeded_demo` of test_results_demo would make this first seed a second."""

import io

import pytest
from django.core.management import call_command

from applications.models import Application, Status

pytestmark = pytest.mark.django_db

FINISHED = (2024, 2025)


def test_fresh_seed_sends_each_finished_entry_one_outcome_email_and_a_second_seed_none(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    codes = list(Application.objects.filter(edition__year__in=FINISHED).values_list("code", flat=True))
    subjects = [message.subject for message in mailoutbox]
    assert len(codes) == 17
    assert all(sum(f"{code}:" in subject for subject in subjects) == 1 for code in codes), subjects
    laureate = Application.objects.filter(edition__year=2024, status=Status.LAUREATE).first()
    [message] = [m for m in mailoutbox if f"{laureate.code}:" in m.subject]
    assert message.to == [laureate.owner.email] and laureate.decisions.get().citation in message.body

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    assert mailoutbox == []

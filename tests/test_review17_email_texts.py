"""Review 17: a restore of the default e-mail text refused because someone saved another text meanwhile must not tell
the organiser "your text is still in the form ... save yours again": there is no text of theirs, and the form now shows
the other organiser's text (saving it "again" would not restore anything)."""

import pytest
from django.utils import translation

from communications.models import EmailTemplate
from tests.test_communications_two_tabs import _version, edition, tabs, url  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]


def test_a_refused_restore_says_the_default_was_not_restored_not_that_your_text_is_in_the_form(tabs, url):  # noqa: F811
    first, second = tabs
    first.post(url, {"subject": "Anna 1", "body": "First text.", "version": _version(first, url)})
    seen_second = _version(second, url)
    first.post(url, {"subject": "Anna 2", "body": "Second text.", "version": _version(first, url)})

    refused = second.post(url, {"action": "restore", "version": seen_second}, follow=True)

    content = refused.content.decode()
    assert "the default text was not restored" in content
    assert "save yours again" not in content
    assert EmailTemplate.objects.get().body == "Second text."


def test_the_refused_restore_message_is_in_polish():
    from communications.services import StaleText

    with translation.override("pl"):
        message = str(StaleText(restoring=True))

    assert "nie przywrócono" in message

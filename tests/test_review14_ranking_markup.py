"""The ranking table's rows are markup built in Python (jury.views.ranking._row_markup): a category name or an
entry code with HTML in it is printed as text, never as markup."""

import pytest
from django.urls import reverse

from applications.models import Application
from contest.models import Category
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]

HOSTILE = '<img src=x onerror="alert(1)">&amp;"'


def test_a_category_name_and_a_code_with_markup_are_printed_as_text(client):
    edition, entries, _jurors = f.ranked_edition()
    Category.objects.filter(edition=edition).update(name=HOSTILE)
    Application.objects.filter(pk=entries[0].pk).update(code='S<i id="c">')  # a code has at most 20 characters
    client.force_login(f.UserFactory(is_organiser=True))

    page = client.get(reverse("jury:ranking", args=[edition.year])).text

    assert ("<img" in page, '<i id="c">' in page) == (False, False)
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;amp;&quot;" in page
    assert "S&lt;i id=&quot;c&quot;&gt;" in page

"""Review 15: placeholders under hostile text: braces that never close cost linear time, not quadratic; the
placeholder's own refusal still names what is wrong."""

import time

import pytest

from communications import placeholders
from communications.kinds import PLACEHOLDERS, Kind

RECEIPT = PLACEHOLDERS[Kind.RECEIPT]


@pytest.mark.parametrize("hostile", ["{{" * 20_000, "{{ kod " * 6_000, "{{ " + "{" * 40_000])
def test_unclosed_braces_are_refused_quickly(hostile):
    started = time.perf_counter()
    with pytest.raises(placeholders.TemplateError):
        placeholders.check(hostile, RECEIPT)
    rendered = placeholders.render(hostile, RECEIPT, {"code": "X"})

    assert time.perf_counter() - started < 1
    assert rendered == hostile


def test_braces_around_a_placeholder_stay_as_written():
    assert placeholders.render("{{{ kod }}}", RECEIPT, {"code": "X"}) == "{X}"


def test_a_brace_inside_a_tag_is_refused():
    with pytest.raises(placeholders.TemplateError):
        placeholders.check("{{ kod } }}", RECEIPT)

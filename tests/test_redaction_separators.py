"""Review of issue 8: contest.identifiers.SEPARATORS and jury.redaction.digits_pattern must agree, so a number the
forms accept with a given separator is redacted for the jury when written the same way."""

import re

import pytest

from contest import identifiers
from jury import redaction

NIP = "5250011266"


@pytest.mark.parametrize(
    "written",
    [
        "525\u2011001\u201112\u201166",  # non-breaking hyphen (Word's Ctrl+Shift+-)
        "525\u2014001\u201412\u201466",  # em dash
        "525\u2212001\u221212\u221266",  # minus sign
    ],
)
def test_partner_nip_written_with_a_separator_the_forms_accept_is_redacted_for_the_jury(written):
    # The applicant's NIP typed this way into the partner form is stored as the partner's NIP...
    assert identifiers.clean_nip(written) == NIP
    # ...so the same characters in the project description must not show it to the juror.
    compiled = redaction.compile_terms(redaction.Terms(numbers=(NIP,)))
    shown = redaction.redact(f"Lider partnerstwa (NIP {written}) odpowiada za rozliczenie.", compiled)
    assert re.sub(r"\D", "", shown) == "", shown

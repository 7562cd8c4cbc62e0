"""Pure matching of a juror to an entry: their affiliations against its partners, their account against its
applicants. No database queries: detection (jury.services.conflicts) feeds it rows."""

from contest import identifiers
from contest.identifiers import normalise_name

from .models import Affiliation

IDENTIFIER_CLEANERS = {"nip": identifiers.clean_nip, "regon": identifiers.clean_regon, "krs": identifiers.clean_krs}


def _unit_matches(affiliation, unit):
    mine = affiliation.territorial_unit
    if mine is None or unit is None:
        return False
    if affiliation.scope == Affiliation.Scope.VOIVODESHIP:
        return mine.woj == unit.woj
    if affiliation.scope == Affiliation.Scope.COUNTY:
        return mine.woj == unit.woj and mine.pow == unit.pow
    if mine.code == unit.code:
        return True
    # A municipality and its parts (town, rural area of an urban-rural gmina) are one local government.
    return bool(mine.gmi) and (mine.woj, mine.pow, mine.gmi) == (unit.woj, unit.pow, unit.gmi)


def match_affiliation(affiliation, partner):
    """Why an affiliation matches a partner (a short description for the organisers), or None."""
    unit = partner.territorial_unit
    if _unit_matches(affiliation, unit):
        return f"terc:{unit.code}"
    for name in IDENTIFIER_CLEANERS:
        # Stored values are compact already; compacting again costs nothing and covers rows written before that.
        mine = identifiers.compact(getattr(affiliation, name))
        theirs = identifiers.compact(getattr(partner, name))
        if mine and theirs and (mine == theirs or (name == "regon" and theirs[:9] == mine[:9])):
            return f"{name}:{theirs}"
    if affiliation.organisation_name:
        mine = normalise_name(affiliation.organisation_name)
        if mine and mine in {normalise_name(partner.name), normalise_name(partner.display_name)}:
            return f"name:{mine}"
    return None


# Kinds of automatic match that mean the juror is one of the entry's applicants, not merely affiliated.
APPLICANT_MATCHES = ("owner", "co-editor", "contact-email")


def match_applicant(user_id, emails, application, editor_ids):
    """Why the juror is one of the entry's applicants (owner, co-editor, contact e-mail), as match strings."""
    found = []
    if application.owner_id == user_id:
        found.append("owner")
    if user_id in editor_ids:
        found.append("co-editor")
    contact = (application.contact_email or "").strip().casefold()
    if contact and contact in emails:
        found.append(f"contact-email:{contact}")
    return found

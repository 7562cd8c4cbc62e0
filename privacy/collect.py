"""Everything the platform holds about one person, as plain data for the download (RODO art. 15 and 20), with the
files that belong to it. A juror's part names entries by their codes only: the download shows a juror no more about
blind entries than the juror's own pages do."""

import datetime
import decimal

from applications.files import clean_filename, download_name

from .plan import applications_of, news_subscriptions

FORMAT_VERSION = 1

APPLICATION_FIELDS = [
    "code",
    "status",
    "created_at",
    "updated_at",
    "submitted_at",
    "partnership_name",
    "legal_form",
    "formed_on",
    "partnership_krs",
    "title",
    "summary",
    "public_summary",
    "problem",
    "goals",
    "cooperation_method",
    "activities",
    "partner_roles",
    "resident_involvement",
    "results_description",
    "costs_and_funding",
    "sustainability",
    "replicability",
    "implementation_start",
    "implementation_end",
    "contact_name",
    "contact_position",
    "contact_email",
    "contact_phone",
    "corrections_deadline",
    "corrections_fields",
    "corrections_note",
]


def plain(value):
    """JSON-ready: dates as ISO 8601, decimals as strings."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def _fields(obj, names):
    return {name: plain(getattr(obj, name)) for name in names}


def _account(user):
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "phone": user.phone,
        "email_language": user.email_language,
        "date_joined": plain(user.date_joined),
        "last_login": plain(user.last_login),
        "is_active": user.is_active,
        "is_organiser": user.is_organiser,
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("id")
        ],
        # The kind and dates only: secrets of an authenticator never leave the server.
        "second_factors": [
            {"type": a.type, "created_at": plain(a.created_at), "last_used_at": plain(a.last_used_at)}
            for a in Authenticator.objects.filter(user=user).order_by("id")
        ],
    }


def _consents(user):
    return [
        {"kind": c.kind, "text_version": c.text_version, "text": c.text, "given_at": plain(c.given_at)}
        for c in user.consents.order_by("given_at", "id")
    ]


def _attachment_path(application, attachment):
    folder = application.code or f"draft-{application.pk}"
    return f"files/{folder}/{attachment.pk}-{download_name(attachment)}"


def _applications(user, files):
    from applications.models import CoEditorInvitation

    result = []
    for application in applications_of(user).prefetch_related(
        "partners__territorial_unit", "indicators", "declarations", "attachments__requirement"
    ):
        entry = {
            "id": application.pk,
            "edition": application.edition.year,
            "category": application.category.name,
            "my_role": "coordinator" if application.owner_id == user.pk else "co-editor",
            **_fields(application, APPLICATION_FIELDS),
            "partners": [
                {
                    "kind": p.kind,
                    "territorial_unit": p.territorial_unit.label if p.territorial_unit_id else "",
                    **_fields(p, ["name", "nip", "regon", "krs", "role", "is_leader"]),
                }
                for p in application.partners.all()
            ],
            "indicators": [
                _fields(i, ["name", "baseline", "achieved", "source"]) for i in application.indicators.all()
            ],
            "declarations": [
                {
                    **_fields(d, ["kind", "text_version", "text", "accepted_at"]),
                    "accepted_by_me": d.accepted_by_id == user.pk,
                }
                for d in application.declarations.all()
            ],
            "attachments": [],
        }
        for attachment in application.attachments.all():
            path = _attachment_path(application, attachment)
            entry["attachments"].append(
                {
                    "requirement": attachment.requirement.name,
                    "name": attachment.original_name,
                    "size": attachment.size,
                    "sha256": attachment.sha256,
                    "uploaded_at": plain(attachment.uploaded_at),
                    "uploaded_by_me": attachment.uploaded_by_id == user.pk,
                    "file_in_download": path,
                }
            )
            files.append((path, attachment.file))
        result.append(entry)
    invitations = CoEditorInvitation.objects.filter(accepted_by=user).select_related("application")
    return result, [
        {
            "application": i.application.code or i.application_id,
            "email": i.email,
            "created_at": plain(i.created_at),
            "accepted_at": plain(i.accepted_at),
        }
        for i in invitations
    ]


def _declared(conflict):
    from jury.models import ConflictOfInterest

    return conflict.source == ConflictOfInterest.Source.DECLARED


def _jury(user):
    from jury.models import Affiliation, ConflictOfInterest, ImpartialityDeclaration, JuryMember, Scorecard

    memberships = []
    for member in JuryMember.objects.filter(user=user).select_related("edition").order_by("edition__year"):
        declaration = ImpartialityDeclaration.objects.filter(member=member).first()
        cards = (
            Scorecard.objects.filter(member=member).select_related("application").prefetch_related("scores__criterion")
        )
        # Entries of active conflicts the juror did not declare: the juror's pages hide them without saying which,
        # so a card on one is listed without its code (the code would point at the conflict, and so at whose it is).
        undisclosed = set(
            ConflictOfInterest.objects.filter(member=member, lifted_at__isnull=True)
            .exclude(source=ConflictOfInterest.Source.DECLARED)
            .values_list("application_id", flat=True)
        )
        memberships.append(
            {
                "edition": member.edition.year,
                "juror_number": member.number,
                "is_chair": member.is_chair,
                "is_active": member.is_active,
                "joined_at": plain(member.joined_at),
                "impartiality_declaration": (
                    _fields(declaration, ["text_version", "text", "signed_at"]) if declaration else None
                ),
                # Entry codes only, never the applicant: the juror scored these blind.
                "scorecards": [
                    {
                        "entry": None if card.application_id in undisclosed else card.application.code,
                        **_fields(card, ["status", "overall_comment", "created_at", "submitted_at", "revision"]),
                        "scores": [
                            {
                                "criterion": score.criterion.name,
                                "points": score.points,
                                "justification": score.justification,
                            }
                            for score in card.scores.all()
                        ],
                    }
                    for card in cards
                ],
                # Only a conflict the juror declared names its entry (the juror chose it); one detected or added by
                # an organiser names none, nor what matched: the juror's pages never show which entries those are,
                # and with the juror's own affiliations the pair would point at the applicant.
                "conflicts_of_interest": [
                    {
                        "entry": conflict.application.code if _declared(conflict) else None,
                        "source": conflict.source,
                        "reason": conflict.reason if _declared(conflict) else "",
                        "created_at": plain(conflict.created_at),
                        "lifted_at": plain(conflict.lifted_at),
                    }
                    for conflict in ConflictOfInterest.objects.filter(member=member).select_related("application")
                ],
            }
        )
    affiliations = [
        {
            "territorial_unit": a.territorial_unit.label if a.territorial_unit_id else "",
            **_fields(a, ["scope", "organisation_name", "nip", "regon", "krs", "role", "started_on", "ended_on"]),
        }
        for a in Affiliation.objects.filter(user=user).select_related("territorial_unit")
    ]
    return memberships, affiliations


def _requests(user):
    return {
        "data_exports": [
            _fields(e, ["requested_at", "status", "ready_at", "expires_at"]) for e in user.data_exports.all()
        ],
        "erasure_requests": [
            _fields(r, ["requested_at", "status", "decided_at", "refusal_reason"]) for r in user.erasure_requests.all()
        ],
    }


def _news(user):
    return [
        {
            "email": s.email,
            "state": s.state,
            "language": s.language,
            "created_at": plain(s.created_at),
            "confirmed_at": plain(s.confirmed_at),
            "unsubscribed_at": plain(s.unsubscribed_at),
            "consents": [
                _fields(c, ["text_version", "text", "language", "given_at"]) for c in s.consents.order_by("given_at")
            ],
        }
        for s in news_subscriptions(user).order_by("created_at", "id")
    ]


def _emails_received(user):
    """The platform's e-mails to the account's addresses, from the sent-mail log: its address now and the earlier
    ones allauth keeps, as erasure relabels them (privacy.services.anonymise_account)."""
    from allauth.account.models import EmailAddress
    from django.db.models import Q

    from communications.models import SentEmail

    addresses = {
        user.email.lower(),
        *(e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)),
    }
    found = Q(pk__in=[])
    for address in sorted(addresses):
        found |= Q(recipients__contains=SentEmail.needle(address))
    rows = SentEmail.objects.filter(found).order_by("at", "id")
    return [_fields(row, ["at", "subject", "template", "status"]) for row in rows]


def personal_data(user):
    """(data, files): the JSON document and the (path in the ZIP, stored file) pairs to put beside it."""
    from contest.models import AuditEvent

    files = []
    applications, invitations = _applications(user, files)
    memberships, affiliations = _jury(user)
    data = {
        "format_version": FORMAT_VERSION,
        "account": _account(user),
        "consents": _consents(user),
        "applications": applications,
        "co_editor_invitations_accepted": invitations,
        "jury_memberships": memberships,
        "affiliations": affiliations,
        **_requests(user),
        "news_subscriptions": _news(user),
        "emails_received": _emails_received(user),
        # What the person did, by kind and time; the details stay with the records they concern.
        "activity": [
            {"action": action, "at": plain(at)}
            for action, at in AuditEvent.objects.filter(actor=user).order_by("sequence").values_list("action", "at")
        ],
    }
    return data, files


def zip_name(user, at):
    return clean_filename(f"dane-osobowe-{user.pk}-{at:%Y%m%d}.zip")

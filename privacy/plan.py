"""What an erasure would do to one account: what goes, what stays and why, and what stops it for now. The organiser's
page shows it; privacy.services.anonymise_account does what the `erased` part says."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import rules


@dataclass(frozen=True)
class Item:
    what: str
    reason: str = ""


@dataclass
class Plan:
    erased: list = field(default_factory=list)
    kept: list = field(default_factory=list)
    blockers: list = field(default_factory=list)

    @property
    def can_approve(self):
        return not self.blockers


def applications_of(user):
    """Applications the person owns or co-edits."""
    from applications.models import Application

    return (
        Application.objects.filter(Q(owner=user) | Q(editors=user))
        .distinct()
        .select_related("edition", "category")
        .order_by("edition__year", "id")
    )


def news_subscriptions(user):
    """Subscriptions to announcements at the account's address (news keeps addresses, not accounts)."""
    from news.models import Subscription

    return Subscription.objects.filter(email__iexact=user.email)


def named_as_contact(user):
    """Submitted entries the person neither owns nor co-edits that give their address as the contact (drafts are
    cleared anyway)."""
    from applications.models import Application, Status

    mine = applications_of(user).values("pk")
    return (
        Application.objects.filter(contact_email__iexact=user.email)
        .exclude(status=Status.DRAFT)
        .exclude(pk__in=mine)
        .select_related("edition")
        .order_by("edition__year", "id")
    )


def _label(application):
    return application.code or _("draft no. %(id)s") % {"id": application.pk}


def _date(moment):
    return formats.date_format(moment, "DATE_FORMAT")


def contact_clearable(application, at=None):
    """Whether erasing the owner clears the entry's contact fields: not while the record must keep them."""
    return not rules.in_retention(application, at) and not _published_with_consent(application)


def _published_with_consent(application):
    from applications.models import Declaration
    from results.models import PublishedEntry

    return (
        PublishedEntry.objects.filter(application=application).exists()
        and application.declarations.filter(kind=Declaration.Kind.PUBLICATION).exists()
    )


def plan_for(user, at=None):
    from jury.models import Affiliation, JuryMember, Scorecard

    plan = Plan()
    plan.erased.append(Item(_("Name, e-mail address and phone number of the account (replaced by an anonymous label)")))
    plan.erased.append(
        Item(_("Login: password, e-mail addresses, two-factor authentication devices and open sessions"))
    )
    affiliations = Affiliation.objects.filter(user=user).count()
    if affiliations:
        plan.erased.append(
            Item(
                ngettext("%(n)d declared affiliation", "%(n)d declared affiliations", affiliations)
                % {"n": affiliations}
            )
        )
    plan.erased.append(Item(_("Requested data downloads and the e-mail address in invitations and reminder lists")))
    if news_subscriptions(user).exists():
        plan.erased.append(Item(_("Subscription to announcements at the account's e-mail address (ended)")))

    for application in applications_of(user):
        owned = application.owner_id == user.pk
        label = _label(application)
        # Only the coordinator is needed until the results; a co-editor simply stops being one.
        if owned and rules.still_competing(application, at):
            plan.blockers.append(
                Item(
                    _("Application %(label)s is still in the competition") % {"label": label},
                    _(
                        "The organisers need its coordinator until the results are published; the person can "
                        "withdraw it or ask again after the results."
                    ),
                )
            )
        if _published_with_consent(application):
            plan.kept.append(
                Item(
                    _("Application %(label)s, awarded and published as good practice") % {"label": label},
                    _("Published with the applicant's consent to publication; the published page stays as published."),
                )
            )
        elif rules.in_retention(application, at):
            plan.kept.append(
                Item(
                    _("Submitted application %(label)s with its contact details") % {"label": label},
                    _(
                        "Part of the competition's record, kept for audits of public funds and legal claims until "
                        "%(date)s (RODO art. 17(3)(b) and (e))."
                    )
                    % {"date": _date(rules.retained_until(application.edition))},
                )
            )
        elif owned:
            plan.erased.append(Item(_("Contact details of application %(label)s") % {"label": label}))

    for application in named_as_contact(user):
        # Someone else's submitted entry that names the person as its contact.
        label = _label(application)
        if contact_clearable(application, at):
            plan.erased.append(Item(_("Contact details of application %(label)s") % {"label": label}))
        elif rules.in_retention(application, at):
            plan.kept.append(
                Item(
                    _("Submitted application %(label)s with its contact details") % {"label": label},
                    _(
                        "Part of the competition's record, kept for audits of public funds and legal claims until "
                        "%(date)s (RODO art. 17(3)(b) and (e))."
                    )
                    % {"date": _date(rules.retained_until(application.edition))},
                )
            )

    for member in JuryMember.objects.filter(user=user).select_related("edition"):
        if rules.scoring_open(member, at):
            plan.blockers.append(
                Item(
                    _("Jury member of edition %(year)s while scoring is open") % {"year": member.edition.year},
                    _("Wait until scoring ends: the committee's work must not be left half done."),
                )
            )
        if member.is_active and rules.before_scoring(member, at):
            plan.erased.append(
                Item(
                    _("Jury membership of edition %(year)s (its scoring has not begun: the juror leaves the jury)")
                    % {"year": member.edition.year}
                )
            )
        cards = Scorecard.objects.filter(member=member).count()
        plan.kept.append(
            Item(
                ngettext(
                    "Edition %(year)s: %(n)d scorecard and the impartiality declaration, as juror %(number)d",
                    "Edition %(year)s: %(n)d scorecards and the impartiality declaration, as juror %(number)d",
                    cards,
                )
                % {"year": member.edition.year, "n": cards, "number": member.number},
                _(
                    "The committee's record: scores keep counting in the ranking and its frozen snapshots, linked "
                    "only to the juror's number and an anonymous account."
                ),
            )
        )
    plan.kept.append(
        Item(
            _("Audit trail events and consents given"),
            _("They refer to the account by its number only and prove what happened and on what legal basis."),
        )
    )
    return plan

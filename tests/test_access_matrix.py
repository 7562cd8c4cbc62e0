"""The access matrix: for every URL pattern the resolver knows, what each role gets on GET and on POST.

One table (ROWS) declares the expected answer per pattern and role; a pattern without a row fails the test, so a
new page cannot ship without someone deciding who may open it. The world is real: an edition in scoring with an
accepted entry, its owner and co-editor, an assigned juror, a conflicted one, the chair, a juror of another edition,
organisers with and without a second factor, and a superuser. Two-factor authentication is required, as in
production. Each request runs in a savepoint that is rolled back, with the client's cookies put back after it, so
one request's changes (a deletion, a logout) never decide the next one's answer.

Answers: OK (the view served it: 2xx, a redirect of its own, or a 4xx form error), BOUNCE (a redirect with a
reason, nothing done), LOGIN (to a login page), MFA (to set up or use the second factor), NO (403 or 404) and
M405 (the role may use the page, with another method). Never a server error; a refusal never shows the entry's
title or partnership.
"""

from collections import namedtuple
from http.cookies import SimpleCookie

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.tokens import hash_token
from applications.models import ApplicationVersion, CoEditorInvitation
from jury import services as jury_services
from jury.models import Assignment, ConflictOfInterest
from privacy.models import DataExport, ErasureRequest
from retention.models import ProcessingActivity
from tests import factories as f
from tests import results_factories as rf
from tests.discovery_factories import ensure_info_pages
from tests.mfa import activate_totp, login_with_mfa, login_with_password

pytestmark = pytest.mark.django_db

OK, BOUNCE, LOGIN, MFA, NO, M405 = "OK", "BOUNCE", "LOGIN", "MFA", "NO", "405"
REFUSALS = {BOUNCE, LOGIN, MFA, NO}

ROLES = [
    "anonymous",
    "owner",
    "coeditor",
    "other_applicant",
    "assigned_juror",
    "conflicted_juror",
    "other_edition_juror",
    "chair",
    "organiser_without_mfa",
    "organiser",
    "superuser",
]
GROUPS = {
    "signed_in": ROLES[1:],
    "applicants": ["owner", "coeditor", "other_applicant"],
    "members": ["owner", "coeditor"],
    "jurors": ["assigned_juror", "conflicted_juror", "other_edition_juror", "chair"],
    "organisers": ["organiser", "superuser"],
}
# Patterns left out, each with its reason: allauth's own pages (login, signup, 2FA) have their own tests in
# test_accounts.py and test_mfa_policy.py, and the language switch is public.
EXCLUDED_PREFIXES = ["accounts/", "i18n/"]
# Admin pages by model, declared here so that registering a new model in the admin fails until it has its row.
ADMIN_MODELS = [
    "auth.group",
    "account.emailaddress",
    "mfa.authenticator",
    "django_tasks_database.dbtaskresult",
    "accounts.user",
    "accounts.consent",
    "contest.edition",
    "contest.territorialunit",
    "contest.auditevent",
    "contest.infopage",
    "applications.application",
    "jury.jurymember",
    "jury.invitation",
    "jury.affiliation",
    "jury.impartialitydeclaration",
    "jury.conflictofinterest",
    "jury.assignment",
    "jury.scorecard",
    "jury.reminderlog",
    "news.dispatch",
]
# Admin pages the admin itself refuses to the superuser: records that only services write (the admin is read-only
# wherever a service exists), the register, and accounts, which are anonymised, never deleted.
READ_ONLY = {("add", "GET"), ("add", "POST"), ("change", "POST"), ("delete", "GET"), ("delete", "POST")}
SUPERUSER_REFUSED = {
    "contest.auditevent": READ_ONLY,
    "django_tasks_database.dbtaskresult": READ_ONLY,
    "accounts.consent": READ_ONLY,
    "applications.application": READ_ONLY,
    **{label: READ_ONLY for label in ADMIN_MODELS if label.startswith("jury.")},
    "news.dispatch": READ_ONLY,
    "contest.territorialunit": {("add", "GET"), ("add", "POST"), ("delete", "GET"), ("delete", "POST")},
    "accounts.user": {("delete", "GET"), ("delete", "POST")},
    # The two information pages are seeded by a migration: changed, never added or deleted.
    "contest.infopage": {("add", "GET"), ("add", "POST"), ("delete", "GET"), ("delete", "POST")},
}


def answers(default=None, **given):
    """Each role's answer: `default`, then groups (GROUPS), then single roles, later ones winning."""
    result = dict.fromkeys(ROLES, default)
    for name, answer in given.items():
        if name in GROUPS:
            result.update(dict.fromkeys(GROUPS[name], answer))
    for name, answer in given.items():
        if name in ROLES:
            result[name] = answer
    assert None not in result.values(), [role for role, answer in result.items() if answer is None]
    return result


def staff(**given):
    """A staff page: anonymous people log in, anyone without a second factor sets one up first."""
    return answers(**{"anonymous": LOGIN, "applicants": MFA, "organiser_without_mfa": MFA, **given})


def admin_page(**given):
    """The admin: like a staff page, and signed-in people who are not staff go to the admin's login."""
    return staff(**{"jurors": LOGIN, **given})


Row = namedtuple("Row", "url get post data", defaults=(None,))

PUBLIC = answers(OK)
GET_ONLY = answers(M405)
SIGNED_IN = answers(OK, anonymous=LOGIN)
OWN_DATA = answers(OK, anonymous=LOGIN, organiser_without_mfa=MFA)
APPLICATION = answers(
    anonymous=LOGIN, members=OK, other_applicant=NO, jurors=NO, organiser_without_mfa=MFA, organisers=OK
)
# The entry is accepted and the edition is scoring: nothing of the application can change any more.
CLOSED_FOR_CHANGES = answers(
    anonymous=LOGIN, members=BOUNCE, other_applicant=NO, jurors=NO, organiser_without_mfa=MFA, organisers=BOUNCE
)
ORGANISERS_ONLY = staff(jurors=NO, organisers=OK)
JUROR_AREA = staff(
    assigned_juror=OK, conflicted_juror=OK, chair=OK, other_edition_juror=NO, organisers=NO
)
ASSIGNED_ENTRY = staff(
    assigned_juror=OK, conflicted_juror=NO, other_edition_juror=NO, chair=NO, organisers=NO
)
MANAGE = staff(jurors=NO, organisers=OK)
MANAGE_POST_ONLY = staff(jurors=NO, organisers=M405)
DECIDE = staff(jurors=NO, chair=OK, organisers=OK)


def app_url(name, **extra):
    return lambda w: reverse(
        f"applications:{name}", kwargs={"pk": w.application.pk, **{k: v(w) for k, v in extra.items()}}
    )


def jury_url(name, **extra):
    return lambda w: reverse(f"jury:{name}", kwargs={"year": w.edition.year, **{k: v(w) for k, v in extra.items()}})


def entry_url(name, **extra):
    return jury_url(name, code=lambda w: w.application.code, **extra)


ROWS = {
    "healthz": Row(lambda w: reverse("healthz"), PUBLIC, PUBLIC),
    "contest:home": Row(lambda w: reverse("contest:home"), PUBLIC, PUBLIC),
    "contest:archive": Row(lambda w: reverse("contest:archive"), PUBLIC, PUBLIC),
    "contest:edition": Row(lambda w: reverse("contest:edition", args=[w.edition.year]), PUBLIC, PUBLIC),
    "contest:rules": Row(lambda w: reverse("contest:rules", args=[w.edition.year]), PUBLIC, PUBLIC),
    # Discovery: read-only public files (GET and HEAD only); the edition's results are not public in the world, so
    # its open data answers 404 to everyone.
    "contest:edition_calendar": Row(
        lambda w: reverse("contest:edition_calendar", args=[w.edition.year]), PUBLIC, answers(M405)
    ),
    "contest:feed": Row(lambda w: reverse("contest:feed"), PUBLIC, answers(M405)),
    "contest:sitemap": Row(lambda w: reverse("contest:sitemap"), PUBLIC, answers(M405)),
    "contest:robots": Row(lambda w: reverse("contest:robots"), PUBLIC, answers(M405)),
    "contest:accessibility": Row(lambda w: reverse("contest:accessibility"), PUBLIC, answers(M405)),
    "contest:privacy": Row(lambda w: reverse("contest:privacy"), PUBLIC, answers(M405)),
    "opendata:edition_json": Row(
        lambda w: reverse("opendata:edition_json", args=[w.edition.year]), answers(NO), answers(M405)
    ),
    "opendata:edition_csv": Row(
        lambda w: reverse("opendata:edition_csv", args=[w.edition.year]), answers(NO), answers(M405)
    ),
    "opendata:schema": Row(lambda w: reverse("opendata:schema"), PUBLIC, answers(M405)),
    "opendata:docs": Row(lambda w: reverse("opendata:docs"), PUBLIC, answers(M405)),
    # Public result pages of an edition whose results are public; every method but GET and HEAD is refused.
    "results:edition": Row(lambda w: reverse("results:edition", args=[w.results.edition.year]), PUBLIC, GET_ONLY),
    "results:entry": Row(
        lambda w: reverse("results:entry", args=[w.results.edition.year, w.results.slug]), PUBLIC, GET_ONLY
    ),
    "results:file": Row(
        lambda w: reverse("results:file", args=[w.results.edition.year, w.results.slug, w.results_file.pk]),
        PUBLIC,
        GET_ONLY,
    ),
    "results:archive": Row(lambda w: reverse("results:archive") + "?q=lodz&voivodeship=10", PUBLIC, GET_ONLY),
    "results:map": Row(lambda w: reverse("results:map"), PUBLIC, GET_ONLY),
    "accounts:profile": Row(lambda w: reverse("accounts:profile"), SIGNED_IN, SIGNED_IN),
    # Personal data: a person's own page and requests; a download only for its owner (404 for everyone else); the
    # organisers' erasure requests are staff pages.
    # A staff member's own data needs their staff session (a juror's download holds their scores).
    "privacy:overview": Row(lambda w: reverse("privacy:overview"), OWN_DATA, answers(M405)),
    "privacy:request_export": Row(lambda w: reverse("privacy:request_export"), answers(M405), OWN_DATA),
    "privacy:download": Row(
        lambda w: reverse("privacy:download", args=[w.owner_export.public_id]),
        answers(NO, anonymous=LOGIN, owner=OK, organiser_without_mfa=MFA),
        answers(M405),
    ),
    "privacy:request_erasure": Row(lambda w: reverse("privacy:request_erasure"), OWN_DATA, OWN_DATA),
    "privacy:erasure_list": Row(
        lambda w: reverse("privacy:erasure_list"), ORGANISERS_ONLY, staff(jurors=M405, organisers=M405)
    ),
    "privacy:erasure_detail": Row(
        lambda w: reverse("privacy:erasure_detail", args=[w.erasure.pk]), ORGANISERS_ONLY, ORGANISERS_ONLY
    ),
    # Announcements by e-mail: public; the links from the e-mails work for anyone holding the token (the world has
    # a pending subscription whose confirmation token also cancels it; each request is rolled back).
    "news:subscribe": Row(lambda w: reverse("news:subscribe"), PUBLIC, PUBLIC),
    "news:check_inbox": Row(lambda w: reverse("news:check_inbox"), PUBLIC, answers(M405)),
    "news:confirm": Row(lambda w: reverse("news:confirm", args=[w.news_token]), PUBLIC, PUBLIC),
    "news:unsubscribe": Row(lambda w: reverse("news:unsubscribe", args=[w.news_token]), PUBLIC, PUBLIC),
    # Applicants' pages.
    "applications:dashboard": Row(lambda w: reverse("applications:dashboard"), SIGNED_IN, SIGNED_IN),
    "applications:start": Row(
        lambda w: reverse("applications:start", args=[w.edition.year]),
        answers(BOUNCE, anonymous=LOGIN),  # the edition no longer takes submissions
        answers(BOUNCE, anonymous=LOGIN),
    ),
    "applications:terc_search": Row(
        lambda w: reverse("applications:terc_search") + "?q=Bolesławiec", SIGNED_IN, answers(M405, anonymous=LOGIN)
    ),
    "applications:accept_invitation": Row(
        lambda w: reverse("applications:accept_invitation", args=[w.coeditor_token]),
        SIGNED_IN,
        answers(BOUNCE, anonymous=LOGIN),  # the invitation is for another address
    ),
    "applications:detail": Row(app_url("detail"), APPLICATION, APPLICATION),
    "applications:edit": Row(app_url("edit"), CLOSED_FOR_CHANGES, CLOSED_FOR_CHANGES),
    "applications:check": Row(app_url("check"), APPLICATION, APPLICATION),
    "applications:submit": Row(app_url("submit"), CLOSED_FOR_CHANGES, CLOSED_FOR_CHANGES),
    "applications:withdraw": Row(app_url("withdraw"), CLOSED_FOR_CHANGES, CLOSED_FOR_CHANGES),
    # The entry is accepted: reopening is refused to its members with the reason, to everyone else it does not exist.
    "applications:reopen": Row(app_url("reopen"), CLOSED_FOR_CHANGES, CLOSED_FOR_CHANGES),
    "applications:receipt": Row(app_url("receipt"), APPLICATION, APPLICATION),
    "applications:partners": Row(app_url("partners"), CLOSED_FOR_CHANGES, CLOSED_FOR_CHANGES),
    "applications:partner_edit": Row(
        app_url("partner_edit", partner_pk=lambda w: w.partner.pk), CLOSED_FOR_CHANGES, CLOSED_FOR_CHANGES
    ),
    "applications:partner_delete": Row(
        app_url("partner_delete", partner_pk=lambda w: w.partner.pk), CLOSED_FOR_CHANGES, CLOSED_FOR_CHANGES
    ),
    "applications:attachments": Row(app_url("attachments"), APPLICATION, CLOSED_FOR_CHANGES),
    "applications:attachment": Row(
        app_url("attachment", attachment_pk=lambda w: w.attachment.pk), APPLICATION, APPLICATION
    ),
    "applications:attachment_delete": Row(
        app_url("attachment_delete", attachment_pk=lambda w: w.attachment.pk), CLOSED_FOR_CHANGES, CLOSED_FOR_CHANGES
    ),
    "applications:invite": Row(
        app_url("invite"), CLOSED_FOR_CHANGES, CLOSED_FOR_CHANGES, lambda w: {"email": "x@example.com"}
    ),
    "applications:revoke_invitation": Row(
        app_url("revoke_invitation", invitation_pk=lambda w: w.coeditor_invitation.pk),
        CLOSED_FOR_CHANGES,
        CLOSED_FOR_CHANGES,
    ),
    "applications:accept_pending_invitation": Row(  # only for the invited address: nobody in the world has it
        lambda w: reverse("applications:accept_pending_invitation", args=[w.coeditor_invitation.pk]),
        answers(M405, anonymous=LOGIN),
        answers(NO, anonymous=LOGIN),
    ),
    "applications:version": Row(app_url("version", number=lambda w: 1), APPLICATION, APPLICATION),
    # Organisers' pages among the applications.
    "applications:attachments_zip": Row(app_url("attachments_zip"), ORGANISERS_ONLY, ORGANISERS_ONLY),
    "applications:review": Row(
        app_url("review"),
        ORGANISERS_ONLY,
        staff(jurors=NO, organisers=NO),  # an accepted entry is no longer under formal review
        lambda w: {"action": "decide", "decision": "accept"},
    ),
    "applications:organiser_list": Row(
        lambda w: reverse("applications:organiser_list", args=[w.edition.year]), ORGANISERS_ONLY, ORGANISERS_ONLY
    ),
    "applications:organiser_export": Row(
        lambda w: reverse("applications:organiser_export", args=[w.edition.year, "csv"]),
        ORGANISERS_ONLY,
        ORGANISERS_ONLY,
    ),
    "applications:organiser_bulk": Row(
        lambda w: reverse("applications:organiser_bulk", args=[w.edition.year]),
        MANAGE_POST_ONLY,
        ORGANISERS_ONLY,
        lambda w: {"action": "csv", "ids": [w.application.pk]},
    ),
    "applications:organiser_message": Row(
        lambda w: reverse("applications:organiser_message", args=[w.edition.year]),
        ORGANISERS_ONLY,
        ORGANISERS_ONLY,
        lambda w: {"subject": "Termin", "body": "Treść", "ids": [w.application.pk]},  # the confirmation: nothing sent
    ),
    # Communications: the edition's e-mails and the sent-mail log (organisers).
    "communications:index": Row(
        lambda w: reverse("communications:index", args=[w.edition.year]), MANAGE, MANAGE_POST_ONLY
    ),
    "communications:log": Row(lambda w: reverse("communications:log", args=[w.edition.year]), MANAGE, MANAGE_POST_ONLY),
    "communications:edit": Row(
        lambda w: reverse("communications:edit", args=[w.edition.year, "receipt", "pl"]),
        MANAGE,
        MANAGE,
        lambda w: {"action": "preview", "subject": "Wniosek {{ kod }}", "body": "Treść"},
    ),
    # The jury: jurors' pages.
    "jury:home": Row(lambda w: reverse("jury:home"), staff(jurors=OK, organisers=OK), staff(jurors=OK, organisers=OK)),
    "jury:invitation": Row(
        lambda w: reverse("jury:invitation", args=[w.jury_token]),
        answers(NO, anonymous=OK),  # signed in with another address than the invited one
        answers(NO, anonymous=OK),
    ),
    "jury:affiliations": Row(
        lambda w: reverse("jury:affiliations"), staff(jurors=OK, organisers=NO), staff(jurors=OK, organisers=NO)
    ),
    "jury:affiliation_delete": Row(
        lambda w: reverse("jury:affiliation_delete", args=[w.affiliation.pk]),
        staff(jurors=M405, organisers=NO),
        staff(assigned_juror=OK, conflicted_juror=NO, other_edition_juror=NO, chair=NO, organisers=NO),
    ),
    "jury:dashboard": Row(jury_url("dashboard"), JUROR_AREA, JUROR_AREA),
    "jury:declaration": Row(jury_url("declaration"), JUROR_AREA, JUROR_AREA),
    "jury:entry": Row(entry_url("entry"), ASSIGNED_ENTRY, ASSIGNED_ENTRY),
    "jury:attachment": Row(entry_url("attachment", pk=lambda w: w.attachment.pk), ASSIGNED_ENTRY, ASSIGNED_ENTRY),
    "jury:scorecard": Row(entry_url("scorecard"), ASSIGNED_ENTRY, ASSIGNED_ENTRY),
    "jury:declare_conflict": Row(entry_url("declare_conflict"), ASSIGNED_ENTRY, ASSIGNED_ENTRY),
    # The jury: organisers' pages.
    "jury:board": Row(jury_url("board"), MANAGE, MANAGE),
    # The organiser's home: read-only pages (a POST is refused with 405 to organisers, like a GET-only page).
    "organiser:index": Row(lambda w: reverse("organiser:index"), MANAGE, MANAGE_POST_ONLY),
    "organiser:home": Row(lambda w: reverse("organiser:home", args=[w.edition.year]), MANAGE, MANAGE_POST_ONLY),
    "jury:send_reminders": Row(jury_url("send_reminders"), MANAGE_POST_ONLY, MANAGE),
    "jury:members": Row(jury_url("members"), MANAGE, MANAGE),
    "jury:remind_juror": Row(jury_url("remind_juror", pk=lambda w: w.juror.pk), MANAGE_POST_ONLY, MANAGE),
    "jury:member_update": Row(
        jury_url("member_update", pk=lambda w: w.juror.pk),
        MANAGE_POST_ONLY,
        MANAGE,
        lambda w: {"is_chair": "on", "is_active": "on", "max_entries": "3"},
    ),
    "jury:invitation_action": Row(
        jury_url("invitation_action", pk=lambda w: w.jury_invitation.pk, action=lambda w: "revoke"),
        MANAGE_POST_ONLY,
        MANAGE,
    ),
    "jury:assignment": Row(jury_url("assignment"), MANAGE, MANAGE),
    "jury:assignment_change": Row(
        jury_url("assignment_change"),
        MANAGE_POST_ONLY,
        MANAGE,
        lambda w: {"member": w.chair.pk, "entry": w.application.pk, "action": "assign"},
    ),
    "jury:conflicts": Row(jury_url("conflicts"), MANAGE, MANAGE),
    "jury:conflict_add": Row(
        jury_url("conflict_add"),
        MANAGE_POST_ONLY,
        MANAGE,
        lambda w: {"member": w.chair.pk, "entry": w.application.pk, "reason": "Rodzina"},
    ),
    "jury:conflict_lift": Row(
        jury_url("conflict_lift", pk=lambda w: w.conflict.pk),
        MANAGE_POST_ONLY,
        MANAGE,
        lambda w: {"reason": "Powiązanie ustało w 2010 r."},
    ),
    "jury:detect": Row(jury_url("detect"), MANAGE_POST_ONLY, MANAGE),
    "jury:anonymised": Row(entry_url("anonymised"), MANAGE, MANAGE),
    "jury:redaction_terms": Row(jury_url("redaction_terms"), MANAGE, MANAGE),
    "jury:audit": Row(jury_url("audit"), MANAGE, MANAGE_POST_ONLY),
    "jury:entry_audit": Row(entry_url("entry_audit"), MANAGE, MANAGE_POST_ONLY),
    "jury:juror_score_sheets": Row(
        jury_url("juror_score_sheets"),
        JUROR_AREA,
        staff(assigned_juror=M405, conflicted_juror=M405, chair=M405, other_edition_juror=NO, organisers=NO),
    ),
    "jury:score_sheets": Row(jury_url("score_sheets"), MANAGE, MANAGE_POST_ONLY),
    "jury:scores_export": Row(jury_url("scores_export", fmt=lambda w: "csv"), MANAGE, MANAGE_POST_ONLY),
    # The committee's decisions: the chair and organisers record, organisers lock (the world is still scoring, so a
    # decision is refused on its form: a 400 the view serves).
    "jury:decisions": Row(jury_url("decisions"), DECIDE, staff(jurors=NO, chair=M405, organisers=M405)),
    "jury:decision_record": Row(
        entry_url("decision_record"),
        staff(jurors=NO, chair=M405, organisers=M405),
        DECIDE,
        lambda w: {f"{w.application.code}-outcome": "not_awarded"},
    ),
    "jury:decisions_lock": Row(jury_url("decisions_lock"), MANAGE_POST_ONLY, MANAGE, lambda w: {"reason": "Koniec"}),
    "jury:decisions_unlock": Row(
        jury_url("decisions_unlock"), MANAGE_POST_ONLY, MANAGE, lambda w: {"reason": "Poprawka"}
    ),
    # The ranking: organisers and the chair once scoring has ended; the world is still scoring, so nobody yet
    # (tests/test_ranking_page.py covers the deliberation phase).
    "jury:ranking": Row(jury_url("ranking"), staff(jurors=NO, organisers=NO), staff(jurors=NO, organisers=NO)),
    # The protocol follows the ranking's rule (tests/test_protocol.py covers the deliberation phase); the exports are
    # the organisers', the ranking's once scoring has ended too (tests/test_review16_protocol_exports.py).
    "jury:protocol": Row(jury_url("protocol"), staff(jurors=NO, organisers=NO), staff(jurors=NO, organisers=NO)),
    "jury:ranking_export": Row(
        jury_url("ranking_export", fmt=lambda w: "csv"),
        staff(jurors=NO, organisers=NO),
        staff(jurors=NO, organisers=NO),
    ),
    "jury:decisions_export": Row(jury_url("decisions_export", fmt=lambda w: "xlsx"), MANAGE, MANAGE_POST_ONLY),
    # The publication of the results: organisers only (the world is still scoring with no lock, so publishing now is
    # refused on its form, a 400 the view serves; withdrawing is allowed at any time).
    "results_organiser:publication": Row(
        lambda w: reverse("results_organiser:publication", args=[w.edition.year]), MANAGE, MANAGE_POST_ONLY
    ),
    "results_organiser:publish": Row(
        lambda w: reverse("results_organiser:publish", args=[w.edition.year]),
        MANAGE,
        MANAGE,
        lambda w: {"confirm": "on"},
    ),
    "results_organiser:unpublish": Row(
        lambda w: reverse("results_organiser:unpublish", args=[w.edition.year]),
        MANAGE_POST_ONLY,
        MANAGE,
        lambda w: {"reason": "Wstrzymanie publikacji"},
    ),
    # Personal data: an edition's retention settings and report, the register of processing activities (organisers).
    "retention:edition": Row(
        lambda w: reverse("retention:edition", args=[w.edition.year]),
        MANAGE,
        MANAGE,
        lambda w: {"draft_months": 3, "contact_years": 5, "appeal_window_days": 30},
    ),
    "retention:register": Row(lambda w: reverse("retention:register"), MANAGE, MANAGE_POST_ONLY),
    "retention:activity_add": Row(
        lambda w: reverse("retention:activity_add"), MANAGE, MANAGE, lambda w: {"name": "Nowa czynność"}
    ),
    "retention:activity_edit": Row(
        lambda w: reverse("retention:activity_edit", args=[ProcessingActivity.objects.order_by("pk").first().pk]),
        MANAGE,
        MANAGE,
        lambda w: {"name": "Konta"},
    ),
    # The admin.
    "admin:index": Row(lambda w: reverse("admin:index"), admin_page(organisers=OK), admin_page(organisers=OK)),
    "admin:login": Row(
        lambda w: reverse("admin:login"), admin_page(jurors=NO, organisers=OK), admin_page(jurors=NO, organisers=OK)
    ),
    "admin:logout": Row(  # people who are not staff are sent to the admin's index, which sends them to log in
        lambda w: reverse("admin:logout"),
        admin_page(jurors=BOUNCE, organisers=M405),
        admin_page(jurors=BOUNCE, organisers=OK),
    ),
    "admin:password_change": Row(
        lambda w: reverse("admin:password_change"), admin_page(organisers=OK), admin_page(organisers=OK)
    ),
    "admin:password_change_done": Row(
        lambda w: reverse("admin:password_change_done"), admin_page(organisers=OK), admin_page(organisers=M405)
    ),
    "admin:autocomplete": Row(  # asked without a field to complete: refused for everyone
        lambda w: reverse("admin:autocomplete"), admin_page(organisers=NO), admin_page(organisers=M405)
    ),
    "admin:jsi18n": Row(lambda w: reverse("admin:jsi18n"), admin_page(organisers=OK), admin_page(organisers=M405)),
    "admin:view_on_site": Row(  # applications have no public page to go to
        lambda w: reverse("admin:view_on_site", args=[w.application_type.pk, w.application.pk]),
        admin_page(organisers=NO),
        admin_page(organisers=NO),
    ),
    "admin:app_list": Row(  # an app's page lists only models the person has permissions for; none is a 404
        lambda w: reverse("admin:app_list", args=["jury"]),
        admin_page(organiser=NO, superuser=OK),
        admin_page(organiser=NO, superuser=OK),
    ),
    "admin/(?P<url>.*)$": Row(  # the admin's catch-all: an unknown admin address
        lambda w: "/admin/no-such-page/", admin_page(organisers=NO), admin_page(organisers=NO)
    ),
    # The edition's call page before it is public: for staff with the edition's permissions (the superuser here).
    "admin:contest_edition_preview": Row(
        lambda w: reverse("admin:contest_edition_preview", args=[w.edition.pk]),
        admin_page(organiser=NO, superuser=OK),
        admin_page(organiser=NO, superuser=M405),
    ),
    "admin:auth_user_password_change": Row(
        lambda w: reverse("admin:auth_user_password_change", args=[w.owner.pk]),
        admin_page(organiser=NO, superuser=OK),  # roles and passwords are the superuser's
        admin_page(organiser=NO, superuser=OK),
    ),
}


def admin_model_url(name):
    def url(w):
        return reverse(name, args=[] if name.endswith(("_changelist", "_add")) else [w.admin_pk(name)])

    return url


def admin_redirect_url(app_label, model_name):
    return lambda w: f"/admin/{app_label}/{model_name}/{w.admin_object(app_label, model_name)}/"


# Every model page of the admin: organisers without the model's permissions are refused, the superuser is served.
for label in ADMIN_MODELS:
    app_label, model_name = label.split(".")
    for suffix in ["changelist", "add", "history", "delete", "change"]:
        name = f"admin:{app_label}_{model_name}_{suffix}"
        superuser = {}
        for method in ("GET", "POST"):
            superuser[method] = OK
            if (suffix, method) in SUPERUSER_REFUSED.get(label, set()):
                superuser[method] = NO
        ROWS[name] = Row(
            admin_model_url(name),
            admin_page(organiser=NO, superuser=superuser["GET"]),
            admin_page(organiser=NO, superuser=superuser["POST"]),
        )
    # admin/<app>/<model>/<id>/ only redirects to the change page, for any staff member.
    ROWS[f"admin/{app_label}/{model_name}/<path:object_id>/"] = Row(
        admin_redirect_url(app_label, model_name), admin_page(organisers=BOUNCE), admin_page(organisers=BOUNCE)
    )


# --- the URL patterns --------------------------------------------------------------------------------------------


def url_patterns(patterns=None, prefix="", namespace=""):
    """(route, key) for every pattern: the key is the pattern's namespaced name, or its route when it has none."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            yield from url_patterns(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            name = ":".join(part for part in (namespace, pattern.name) if part) if pattern.name else ""
            yield route, name or route


def covered_patterns():
    return sorted(
        {key for route, key in url_patterns() if not route.startswith(tuple(EXCLUDED_PREFIXES))}
    )


# --- the world ---------------------------------------------------------------------------------------------------

SECRET_TITLE = "Tajny tytuł macierzy dostępu"
SECRET_PARTNERSHIP = "Partnerstwo Ukryte Macierzy"


class World:
    """Real objects for every row: built once per role's test."""

    def __init__(self):
        from django.contrib.auth.models import Group
        from django.contrib.contenttypes.models import ContentType
        from django_tasks_db.models import DBTaskResult

        from accounts.models import Consent
        from applications.models import Application
        from jury.models import ReminderLog
        from news.models import Dispatch, Subscription

        f.ensure_terc()
        ensure_info_pages()
        self.edition = f.EditionFactory(phase="scoring")
        self.edition.rules_document.save("regulamin.pdf", ContentFile(f.pdf_bytes("Regulamin")))
        f.CriterionFactory(edition=self.edition)
        requirement = f.AttachmentRequirementFactory(edition=self.edition, visible_to_jury=True)
        self.owner = f.UserFactory(email="owner@example.com")
        self.coeditor = f.UserFactory(email="coeditor@example.com")
        self.other_applicant = f.UserFactory(email="other.applicant@example.com")
        self.application = f.jury_entry(
            self.edition, 1, owner=self.owner, title=SECRET_TITLE, partnership_name=SECRET_PARTNERSHIP
        )
        self.application.editors.add(self.coeditor)
        self.partner = f.PartnerFactory(application=self.application)
        self.attachment = f.AttachmentFactory(application=self.application, requirement=requirement)
        ApplicationVersion.objects.create(application=self.application, number=1, snapshot={}, created_by=self.owner)
        self.coeditor_token = "matrix-coeditor-invitation"
        self.coeditor_invitation = CoEditorInvitation.objects.create(
            application=self.application,
            email="invited@example.com",
            token_hash=hash_token(self.coeditor_token),
            expires_at=timezone.now() + timezone.timedelta(days=14),
        )

        self.organiser_without_mfa = f.UserFactory(
            email="organiser.nomfa@example.com", is_organiser=True, is_staff=True
        )
        self.organiser = f.UserFactory(email="organiser@example.com", is_organiser=True, is_staff=True)
        self.superuser = f.UserFactory(
            email="root@example.com", is_organiser=True, is_staff=True, is_superuser=True
        )
        self.juror = f.declared_juror(self.edition, user=f.UserFactory(email="juror@example.com"))
        Assignment.objects.create(member=self.juror, application=self.application)
        self.conflicted = f.declared_juror(self.edition, user=f.UserFactory(email="conflicted@example.com"))
        Assignment.objects.create(member=self.conflicted, application=self.application)
        self.conflict = ConflictOfInterest.objects.create(
            member=self.conflicted, application=self.application, source="declared", reason="Rodzina"
        )
        self.chair = f.declared_juror(self.edition, user=f.UserFactory(email="chair@example.com"), is_chair=True)
        other_edition = f.EditionFactory(phase="scoring")
        self.other_edition_juror = f.declared_juror(other_edition, user=f.UserFactory(email="elsewhere@example.com"))
        self.affiliation = f.AffiliationFactory(user=self.juror.user, organisation_name="Fundacja Matrix")
        [(self.jury_invitation, self.jury_token)] = jury_services.invite(
            self.edition, ["invitee@example.com"], by=self.organiser
        )
        f.ScorecardFactory(member=self.juror, application=self.application)
        # An earlier edition whose results are public, with a laureate and its public picture.
        self.results = rf.published_entry(
            f.EditionFactory(phase="results"), "Partnerstwo Łódzkie Macierzy", units=[rf.LODZ], images=1
        )
        self.results_file = self.results.files.get()
        f.sign_off(self.application, by=self.organiser)
        Group.objects.create(name="Organisers")
        Consent.objects.create(user=self.owner, kind="rodo", text_version="1", text="Zgoda")
        # The owner's data download, ready, and the other applicant's request for erasure, waiting.
        self.owner_export = DataExport.objects.create(
            user=self.owner,
            status="ready",
            ready_at=timezone.now(),
            expires_at=timezone.now() + timezone.timedelta(days=7),
        )
        self.owner_export.file.save("export.zip", ContentFile(b"PK\x05\x06" + bytes(18)))
        self.erasure = ErasureRequest.objects.create(user=self.other_applicant)
        ReminderLog.objects.create(edition=self.edition)
        self.news_token = "matrix-news-subscription-token-0123456789abc"
        Subscription.objects.create(email="reader@example.com", language="pl", token_hash=hash_token(self.news_token))
        Dispatch.objects.create(kind=Dispatch.Kind.CALL_PUBLISHED, edition=self.edition)
        DBTaskResult.objects.create(
            args_kwargs={"args": [], "kwargs": {}},
            task_path="applications.tasks.noop",
            backend_name="default",
            run_after=timezone.now(),
            exception_class_path="",
            traceback="",
        )
        self.users = {
            "owner": self.owner,
            "coeditor": self.coeditor,
            "other_applicant": self.other_applicant,
            "assigned_juror": self.juror.user,
            "conflicted_juror": self.conflicted.user,
            "other_edition_juror": self.other_edition_juror.user,
            "chair": self.chair.user,
            "organiser_without_mfa": self.organiser_without_mfa,
            "organiser": self.organiser,
            "superuser": self.superuser,
        }
        self.application_type = ContentType.objects.get_for_model(Application)
        # Jurors, the organiser and the superuser have an authenticator; applicants and one organiser do not.
        self.secrets = {
            role: activate_totp(user)
            for role, user in self.users.items()
            if role not in GROUPS["applicants"] and role != "organiser_without_mfa"
        }


    def admin_object(self, app_label, model_name):
        model = next(m for m in admin.site._registry if m._meta.label_lower == f"{app_label}.{model_name}")
        found = model._default_manager.order_by("pk").first()
        assert found is not None, f"the world has no {app_label}.{model_name} for its admin pages"
        return found.pk

    def admin_pk(self, url_name):
        for label in ADMIN_MODELS:
            app_label, model_name = label.split(".")
            if url_name.startswith(f"admin:{app_label}_{model_name}_"):
                return self.admin_object(app_label, model_name)
        raise KeyError(url_name)

    def log_in(self, client, role):
        if role == "anonymous":
            return
        user = self.users[role]
        if role in self.secrets:
            login_with_mfa(client, user, self.secrets[role])
        else:
            login_with_password(client, user)


# --- the answers -------------------------------------------------------------------------------------------------


def outcome(response):
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        target = response["Location"].split("?")[0]
        if target in (reverse("account_login"), reverse("admin:login")):
            return LOGIN
        if target.startswith("/accounts/2fa/"):
            return MFA
        return "REDIRECT"
    if status in (403, 404):
        return NO
    if status == 405:
        return M405
    if status < 300 or status in (400, 409):
        return OK
    return f"HTTP {status}"


def matches(expected, got):
    if expected == got:
        return True
    # A redirect of the view's own is both a success (OK) and, after a refusal with a reason, a BOUNCE.
    return got == "REDIRECT" and expected in (OK, BOUNCE)


def foreign_data(response):
    if getattr(response, "streaming", False):
        return []
    body = response.content.decode(errors="replace") + response.get("Location", "")
    return [text for text in (SECRET_TITLE, SECRET_PARTNERSHIP) if text in body]


def ask(client, method, url, data):
    """One request in a savepoint that is rolled back, the client's cookies as they were before it."""
    cookies = SimpleCookie()
    cookies.load(client.cookies.output(header="", sep=";"))
    try:
        with transaction.atomic():
            try:
                return client.get(url) if method == "GET" else client.post(url, data)
            finally:
                transaction.set_rollback(True)
    finally:
        client.cookies = cookies


@pytest.fixture
def matrix_settings(settings):
    settings.REQUIRE_MFA_FOR_STAFF = True
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 3600  # recent reauthentication has its own tests (test_mfa_policy)


def test_every_url_pattern_has_a_row():
    patterns = covered_patterns()
    size = len(patterns) * len(ROLES) * 2
    print(f"\naccess matrix: {len(patterns)} patterns x {len(ROLES)} roles x 2 methods = {size} requests")
    assert {"missing": sorted(set(patterns) - set(ROWS)), "stale": sorted(set(ROWS) - set(patterns))} == {
        "missing": [],
        "stale": [],
    }


@pytest.mark.polish  # the pages in the interface's real default language: every message they show has its Polish
@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(client, role, matrix_settings, untranslated):
    world = World()
    world.log_in(client, role)
    wrong = []
    for key in covered_patterns():
        row = ROWS[key]
        url = row.url(world)
        for method, expected in (("GET", row.get[role]), ("POST", row.post[role])):
            data = row.data(world) if row.data and method == "POST" else {}
            try:
                response = ask(client, method, url, data if method == "POST" else None)
            except Exception as error:  # noqa: BLE001 - a server error is an answer to compare like any other
                wrong.append(f"{method} {url} ({key}): server error {error!r}")
                continue
            got = outcome(response)
            if not matches(expected, got):
                wrong.append(f"{method} {url} ({key}): expected {expected}, got {got} ({response.status_code})")
            elif expected in REFUSALS and foreign_data(response):
                wrong.append(f"{method} {url} ({key}): refused, yet shows {foreign_data(response)}")
    assert not wrong, "\n" + "\n".join(wrong)
    missing = "\n".join(sorted(untranslated))
    assert not missing, f"messages without Polish on the pages this role opened:\n{missing}"

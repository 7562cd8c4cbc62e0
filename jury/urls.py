"""URLs of the jury app: the juror's pages, then the organisers' under manage/."""

from django.urls import path

from .views import juror, organiser, sheets

app_name = "jury"
urlpatterns = [
    path("", juror.home, name="home"),
    path("invitation/<str:token>/", juror.invitation, name="invitation"),
    path("affiliations/", juror.affiliations, name="affiliations"),
    path("affiliations/<int:pk>/delete/", juror.affiliation_delete, name="affiliation_delete"),
    path("<int:year>/", juror.dashboard, name="dashboard"),
    path("<int:year>/declaration/", juror.declaration, name="declaration"),
    path("<int:year>/entries/<str:code>/", juror.entry, name="entry"),
    path("<int:year>/entries/<str:code>/files/<int:pk>/", juror.attachment, name="attachment"),
    path("<int:year>/entries/<str:code>/scorecard/", juror.scorecard, name="scorecard"),
    path("<int:year>/entries/<str:code>/conflict/", juror.declare_conflict, name="declare_conflict"),
    path("<int:year>/manage/", organiser.board, name="board"),
    path("<int:year>/manage/reminders/", organiser.send_reminders, name="send_reminders"),
    path("<int:year>/manage/members/", organiser.members, name="members"),
    path("<int:year>/manage/members/<int:pk>/remind/", organiser.remind_juror, name="remind_juror"),
    path("<int:year>/manage/members/<int:pk>/", organiser.member_update, name="member_update"),
    path(
        "<int:year>/manage/invitations/<int:pk>/<str:action>/",
        organiser.invitation_action,
        name="invitation_action",
    ),
    path("<int:year>/manage/assignment/", organiser.assignment, name="assignment"),
    path("<int:year>/manage/assignment/change/", organiser.assignment_change, name="assignment_change"),
    path("<int:year>/manage/conflicts/", organiser.conflicts, name="conflicts"),
    path("<int:year>/manage/conflicts/add/", organiser.conflict_add, name="conflict_add"),
    path("<int:year>/manage/conflicts/<int:pk>/lift/", organiser.conflict_lift, name="conflict_lift"),
    path("<int:year>/manage/conflicts/detect/", organiser.detect, name="detect"),
    path("<int:year>/manage/entries/<str:code>/anonymised/", organiser.anonymised, name="anonymised"),
    path("<int:year>/manage/redaction/", organiser.redaction_terms, name="redaction_terms"),
    path("<int:year>/manage/audit/", organiser.audit_trail, name="audit"),
    path("<int:year>/manage/entries/<str:code>/audit/", organiser.entry_audit_trail, name="entry_audit"),
    path("<int:year>/score-sheets.pdf", sheets.juror_score_sheets, name="juror_score_sheets"),
    path("<int:year>/manage/score-sheets.pdf", sheets.score_sheets, name="score_sheets"),
    path("<int:year>/manage/scores.<str:fmt>", sheets.scores_export, name="scores_export"),
]

from .views import decisions as decisions_views  # noqa: E402

urlpatterns += [
    path("<int:year>/decisions/", decisions_views.decisions, name="decisions"),
    path("<int:year>/decisions/lock/", decisions_views.decisions_lock, name="decisions_lock"),
    path("<int:year>/decisions/unlock/", decisions_views.decisions_unlock, name="decisions_unlock"),
    path("<int:year>/decisions/entries/<str:code>/", decisions_views.decision_record, name="decision_record"),
]

from .views import ranking as ranking_views  # noqa: E402 (appended, to ease merging)

urlpatterns += [
    # The chair reaches it too, so it is not under manage/.
    path("<int:year>/ranking/", ranking_views.ranking_page, name="ranking"),
]

from .views import protocol as protocol_views  # noqa: E402 (appended, to ease merging)

urlpatterns += [
    # The chair reaches the protocol too, so it is not under manage/.
    path("<int:year>/protocol.pdf", protocol_views.protocol, name="protocol"),
    path("<int:year>/manage/ranking.<str:fmt>", protocol_views.ranking_export, name="ranking_export"),
    path("<int:year>/manage/decisions.<str:fmt>", protocol_views.decisions_export, name="decisions_export"),
]

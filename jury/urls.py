"""URLs of the jury app: the juror's pages, then the organisers' under manage/."""

from django.urls import path

from . import views

app_name = "jury"
urlpatterns = [
    path("", views.home, name="home"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("affiliations/", views.affiliations, name="affiliations"),
    path("affiliations/<int:pk>/delete/", views.affiliation_delete, name="affiliation_delete"),
    path("<int:year>/", views.dashboard, name="dashboard"),
    path("<int:year>/declaration/", views.declaration, name="declaration"),
    path("<int:year>/entries/<str:code>/", views.entry, name="entry"),
    path("<int:year>/entries/<str:code>/files/<int:pk>/", views.attachment, name="attachment"),
    path("<int:year>/entries/<str:code>/scorecard/", views.scorecard, name="scorecard"),
    path("<int:year>/entries/<str:code>/conflict/", views.declare_conflict, name="declare_conflict"),
    path("<int:year>/manage/", views.board, name="board"),
    path("<int:year>/manage/reminders/", views.send_reminders, name="send_reminders"),
    path("<int:year>/manage/members/", views.members, name="members"),
    path("<int:year>/manage/members/<int:pk>/", views.member_update, name="member_update"),
    path(
        "<int:year>/manage/invitations/<int:pk>/<str:action>/",
        views.invitation_action,
        name="invitation_action",
    ),
    path("<int:year>/manage/assignment/", views.assignment, name="assignment"),
    path("<int:year>/manage/assignment/change/", views.assignment_change, name="assignment_change"),
    path("<int:year>/manage/conflicts/", views.conflicts, name="conflicts"),
    path("<int:year>/manage/conflicts/add/", views.conflict_add, name="conflict_add"),
    path("<int:year>/manage/conflicts/<int:pk>/lift/", views.conflict_lift, name="conflict_lift"),
    path("<int:year>/manage/conflicts/detect/", views.detect, name="detect"),
    path("<int:year>/manage/entries/<str:code>/anonymised/", views.anonymised, name="anonymised"),
    path("<int:year>/manage/redaction/", views.redaction_terms, name="redaction_terms"),
]

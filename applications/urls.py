"""URLs of the applications app (mounted at /wnioski/)."""

from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("nowy/<int:year>/", views.start, name="start"),
    path("teryt/", views.terc_search, name="terc_search"),
    path(
        "zaproszenie/<int:invitation_pk>/przyjmij/", views.accept_pending_invitation, name="accept_pending_invitation"
    ),
    path("zaproszenie/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edycja/", views.edit, name="edit"),
    path("<int:pk>/kompletnosc/", views.check, name="check"),
    path("<int:pk>/zloz/", views.submit, name="submit"),
    path("<int:pk>/wycofaj/", views.withdraw, name="withdraw"),
    path("<int:pk>/otworz-ponownie/", views.reopen, name="reopen"),
    path("<int:pk>/potwierdzenie.pdf", views.receipt, name="receipt"),
    path("<int:pk>/partnerzy/", views.partners, name="partners"),
    path("<int:pk>/partnerzy/<int:partner_pk>/", views.partners, name="partner_edit"),
    path("<int:pk>/partnerzy/<int:partner_pk>/usun/", views.partner_delete, name="partner_delete"),
    path("<int:pk>/zalaczniki/", views.attachments, name="attachments"),
    path("<int:pk>/zalaczniki/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/zalaczniki/<int:attachment_pk>/usun/", views.attachment_delete, name="attachment_delete"),
    path("<int:pk>/zalaczniki.zip", views.attachments_zip, name="attachments_zip"),
    path("<int:pk>/wspolautorzy/", views.invite, name="invite"),
    path("<int:pk>/wspolautorzy/<int:invitation_pk>/wycofaj/", views.revoke_invitation, name="revoke_invitation"),
    path("<int:pk>/ocena-formalna/", views.review, name="review"),
    path("<int:pk>/wersje/<int:number>/", views.version_detail, name="version"),
    path("organizator/<int:year>/", views.organiser_list, name="organiser_list"),
    path("organizator/<int:year>/eksport.<str:fmt>", views.organiser_export, name="organiser_export"),
    path("organizator/<int:year>/zaznaczone/", views.organiser_bulk, name="organiser_bulk"),
    path("organizator/<int:year>/wiadomosc/", views.organiser_message, name="organiser_message"),
]

"""The admin's titles with each model's name in the case the sentence needs.

Django builds "Select %s to change", "Add %s" and "Change %s" from verbose_name, the nominative: in Polish that reads
"Wybierz edycja do zmiany", "Dodaj edycja". Polish needs the accusative ("Wybierz edycję do zmiany", "Dodaj
edycję"), so each model of ours names its accusative here, once, as a translation with the context "accusative"
(English keeps the plain name). InflectedTitles, mixed into every ModelAdmin of the project, uses it; the "Add"
button of the list reads `add_label` (templates/admin/change_list_object_tools.html).
"""

from django.contrib.admin.options import IS_POPUP_VAR
from django.utils.translation import gettext, pgettext_lazy

ACCUSATIVE = {
    "contest.edition": pgettext_lazy("accusative", "edition"),
    "contest.territorialunit": pgettext_lazy("accusative", "territorial unit (TERC)"),
    "contest.auditevent": pgettext_lazy("accusative", "audit event"),
    "contest.infopage": pgettext_lazy("accusative", "information page"),
    "accounts.user": pgettext_lazy("accusative", "user"),
    "accounts.consent": pgettext_lazy("accusative", "consent"),
    "applications.application": pgettext_lazy("accusative", "application"),
    "jury.jurymember": pgettext_lazy("accusative", "jury member"),
    "jury.invitation": pgettext_lazy("accusative", "jury invitation"),
    "jury.affiliation": pgettext_lazy("accusative", "affiliation"),
    "jury.impartialitydeclaration": pgettext_lazy("accusative", "impartiality declaration"),
    "jury.conflictofinterest": pgettext_lazy("accusative", "conflict of interest"),
    "jury.assignment": pgettext_lazy("accusative", "assignment"),
    "jury.scorecard": pgettext_lazy("accusative", "scorecard"),
    "jury.reminderlog": pgettext_lazy("accusative", "reminder batch"),
    "news.dispatch": pgettext_lazy("accusative", "announcement dispatch"),
}


def accusative(opts):
    return str(ACCUSATIVE.get(opts.label_lower, opts.verbose_name))


class InflectedTitles:
    """Titles of the list, add, change and view pages with the model's name in the accusative."""

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if changelist.is_popup or IS_POPUP_VAR in request.GET:
            title = gettext("Select %s")
        elif self.has_change_permission(request):
            title = gettext("Select %s to change")
        else:
            title = gettext("Select %s to view")
        changelist.title = title % accusative(self.opts)
        return changelist

    def changelist_view(self, request, extra_context=None):
        extra_context = {"add_label": gettext("Add %s") % accusative(self.opts), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if add:
            title = gettext("Add %s")
        elif self.has_change_permission(request, obj):
            title = gettext("Change %s")
        else:
            title = gettext("View %s")
        context["title"] = title % accusative(self.opts)
        return super().render_change_form(request, context, add, change, form_url, obj)

"""allauth adapter: our user model has no username, e-mails are lower-cased, and whoever has a second factor
reauthenticates with it."""
from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from django.utils.http import url_has_allowed_host_and_scheme


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email):
        return super().clean_email(email).strip().lower()

    def get_reauthentication_methods(self, user):
        """A password alone must not confirm a sensitive change (or remove the authenticator) for someone who has a
        second factor: a stolen password would then be enough."""
        methods = super().get_reauthentication_methods(user)
        with_mfa = [method for method in methods if method["id"].startswith("mfa_reauthenticate")]
        return with_mfa or methods

    def get_email_confirmation_url(self, request, emailconfirmation):
        """The link in the confirmation e-mail carries the page the person was going to (e.g. "Submit an
        application"), so confirming leads back there, in whichever browser the link is opened. Only a path on
        this site is carried."""
        url = super().get_email_confirmation_url(request, emailconfirmation)
        wanted = (request.POST.get("next") or request.GET.get("next") or "") if request else ""
        if wanted and wanted.startswith("/") and url_has_allowed_host_and_scheme(wanted, allowed_hosts=None):
            url = f"{url}?{urlencode({'next': wanted})}"
        return url

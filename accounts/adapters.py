"""allauth adapter: our user model has no username, e-mails are lower-cased, and whoever has a second factor
reauthenticates with it."""
from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from .access import is_organiser


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email):
        return super().clean_email(email).strip().lower()

    def get_reauthentication_methods(self, user):
        """A password alone must not confirm a sensitive change (or remove the authenticator) for someone who has a
        second factor: a stolen password would then be enough."""
        methods = super().get_reauthentication_methods(user)
        with_mfa = [method for method in methods if method["id"].startswith("mfa_reauthenticate")]
        return with_mfa or methods

    def get_login_redirect_url(self, request):
        """Organisers land on their home page of the current edition (a `next` address still wins: allauth asks
        this only without one)."""
        if is_organiser(request.user):
            return reverse("organiser:index")
        return super().get_login_redirect_url(request)

    def save_user(self, request, user, form, commit=True):
        """Sign-up: the account, and the record of the information clause shown on the sign-up page."""
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            # The clause's text is the organisers' information page (contest owns it): the one place accounts asks
            # a higher layer, kept here because allauth creates the account through this adapter.
            from contest import clause

            clause.record_shown(user, "signup")
        return user

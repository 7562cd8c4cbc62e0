"""allauth adapter: our user model has no username, e-mails are lower-cased, and whoever has a second factor
reauthenticates with it."""

from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from .access import is_organiser

# The domain of the label an erased account's address becomes (privacy.services.ANONYMISED_DOMAIN; .invalid is
# reserved, RFC 2606, so no real mailbox has it).
RESERVED_DOMAIN = "anonymised.invalid"


class AccountAdapter(DefaultAccountAdapter):
    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's e-mails (confirmation, password reset, security notices) carry their template's name into the
        sent-mail log, as the platform's own do (contest.emails)."""
        from contest.emails import TEMPLATE_HEADER

        return super().render_mail(
            template_prefix, email, context, headers={**(headers or {}), TEMPLATE_HEADER: template_prefix}
        )

    def clean_email(self, email):
        email = super().clean_email(email).strip().lower()
        # Sign-up and adding an address both come here: an account holding the label an erasure will give another
        # account would make that erasure fail (the address is unique), and no one can receive mail there anyway.
        if email.rpartition("@")[2] == RESERVED_DOMAIN:
            raise forms.ValidationError(_("This address cannot receive e-mail. Enter your own e-mail address."))
        return email

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

    def get_email_confirmation_url(self, request, emailconfirmation):
        """The link in the confirmation e-mail carries the page the person was going to (e.g. "Submit an
        application"), so confirming leads back there, in whichever browser the link is opened. Only a path on
        this site is carried."""
        url = super().get_email_confirmation_url(request, emailconfirmation)
        wanted = (request.POST.get("next") or request.GET.get("next") or "") if request else ""
        if wanted and wanted.startswith("/") and url_has_allowed_host_and_scheme(wanted, allowed_hosts=None):
            url = f"{url}?{urlencode({'next': wanted})}"
        return url

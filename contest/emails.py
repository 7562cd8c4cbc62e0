"""E-mails of every app, made one way: subject and body from the templates `<name>_subject.txt` and
`<name>_body.txt`, rendered in the site's language (or the recipient's own, for those who chose one, such as
subscribers to the announcements), with links built
from SITE_URL (templates get it as `site_url`). Callers send the message after the commit: through a task when the
arguments hold no secret, directly in the process when the message carries a token (a task stores its arguments)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

# Marks read by the sent-mail log (communications.backends), which takes them off before the message leaves.
TEMPLATE_HEADER = "X-SLZ-Template"
KIND_HEADER = "X-SLZ-Kind"
EDITION_HEADER = "X-SLZ-Edition"
# Set on a message whose addresses the log must not keep (the answer to an erasure request).
HIDE_RECIPIENTS_HEADER = "X-SLZ-Hide-Recipients"


def marks(template, *, kind="", edition=None):
    """The headers naming the template (and kind, edition) of a message for the sent-mail log."""
    headers = {TEMPLATE_HEADER: template}
    if kind:
        headers[KIND_HEADER] = kind
    if edition is not None:
        headers[EDITION_HEADER] = str(edition.pk)
    return headers


def absolute_url(path):
    """The link for an e-mail to a path of this site ("/jury/invitation/…/"), from SITE_URL with or without its
    trailing slash."""
    return settings.SITE_URL.rstrip("/") + path


def message(template, context, to, *, language=None, edition=None):
    """The EmailMessage for `template` (e.g. "jury/email/reminder") to the addresses `to`, in `language` (the site's
    by default); callers may attach or add headers. `edition` (if any) is named for the sent-mail log."""
    with translation.override(language or settings.LANGUAGE_CODE):
        # Without a trailing slash, like absolute_url: templates write {{ site_url }}{% url ... %}.
        context = {"site_url": absolute_url(""), **context}
        # One line whatever the data holds: a line break in a subject makes Django refuse the whole e-mail.
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, list(to), headers=marks(template, edition=edition))

"""The one domain event of the applications app: an application changed in a way other apps may care about.

applications.services sends it explicitly, inside the transaction of the change and with the acting user, after a
change of status, partners, co-editors or contact e-mail. Nothing sends it from model signals: saving a model
directly (a shell, a migration, a bulk update) does no hidden work. The jury connects to it in jury/apps.py to keep
conflicts of interest up to date.

    application_changed.send(sender=Application, application=application, by=user)
"""

from django.dispatch import Signal

application_changed = Signal()

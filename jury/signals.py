"""The jury's domain event for other apps: the decisions of an edition were locked or unlocked.

jury.services.decisions sends it explicitly inside the transaction of the lock or unlock, with the acting user.
The results app connects to it to prepare (or take back) what will be published.

    decisions_changed.send(sender=Decision, edition=edition, stage="", locked=True, by=user)
"""

from django.dispatch import Signal

decisions_changed = Signal()

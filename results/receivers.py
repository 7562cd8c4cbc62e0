"""Receivers the results app connects in results/apps.py."""


def decisions_changed(sender, edition, stage, locked, by, **kwargs):
    """Locked decisions are prepared for publication at once, so the results appear at results_at to the second
    whether or not the publishing task has run yet; unlocking takes the prepared entries back."""
    from . import services

    if stage:
        return  # later stages (finalists, a second round) are not published on their own
    if locked:
        services.prepare_publication(edition)
    else:
        services.clear_publication(edition)

"""The verbs of publication: prepare the public record from locked decisions, publish (statuses and outcome
e-mails, exactly once), publish now, unpublish with a reason. Implemented in the publication work (issue 10)."""


def prepare_publication(edition):
    """Copy the locked decisions of an edition into PublishedEntry rows (awarded entries only)."""
    return None  # built in the publication work


def clear_publication(edition):
    """Remove the prepared PublishedEntry rows of an edition whose decisions were unlocked."""
    return None  # built in the publication work

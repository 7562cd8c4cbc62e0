"""Template context shared by every page: the site's name and the user's roles."""

from .permissions import is_organiser


def site(request):
    return {
        "site_name": "Samorządowy Lider Zarządzania – Razem dla Rozwoju",
        "user_is_organiser": is_organiser(request.user) if hasattr(request, "user") else False,
        # A callable: the template asks it only where the header is drawn.
        "shows_my_applications": lambda: shows_my_applications(request),
    }


def shows_my_applications(request):
    """Whether the header offers "My applications": to everyone but a juror who has none (a juror-only account sees
    the jury's link, not an empty list of applications). One query, and only for jurors."""
    from applications.queries import for_user
    from jury.receivers import SESSION_FLAG

    if not hasattr(request, "session") or not request.session.get(SESSION_FLAG):
        return True
    return for_user(request.user).exists()

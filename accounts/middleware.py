"""The staff-session guard: every staff URL needs a session that passes accounts.access's policy."""


class StaffSessionMiddleware:
    """Every staff URL (accounts.access.is_staff_url) needs a staff session that passes accounts.access's policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from .access import is_staff_url, limit_staff_session, refuse, staff_session_ok

        if not is_staff_url(request.resolver_match):
            return None
        verdict = staff_session_ok(request)
        if not verdict:
            return refuse(request, verdict)
        limit_staff_session(request)
        return None

"""The one family of refusals the services of every app raise, and the one way views show them to the user:
`error.message` in a page's messages, `add_to_form(form, error)` on the form that sent the data."""

from django.db import InterfaceError, OperationalError

# The database went away in the middle of a request (its connection killed, the server restarting, SQLite's lock
# wait running out): the transaction was rolled back, so the user is told that nothing was saved and to try again.
# Django drops a connection whose rollback failed and opens a new one at the next query.
DATABASE_INTERRUPTED = (OperationalError, InterfaceError)


class ServiceError(Exception):
    """A refused action. `message` is for the user; `field_errors` ({field: [messages]}) ties parts of it to the
    fields of the form that sent the data, when there is one.

    The first argument may be one message, a list of messages (joined into one), or a dict of field errors.
    """

    def __init__(self, message="", field_errors=None):
        if isinstance(message, dict):
            field_errors, message = message, ""
        field_errors = {name: _as_list(found) for name, found in (field_errors or {}).items()}
        if isinstance(message, (list, tuple)):
            message = " ".join(str(item) for item in message)
        message = str(message) if message else ""
        if not message and field_errors:
            message = " ".join(str(item) for found in field_errors.values() for item in found)
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors

    @property
    def messages(self):
        """Every message as a list, as django.core.exceptions.ValidationError gives them."""
        if self.field_errors:
            return [str(item) for found in self.field_errors.values() for item in found]
        return [self.message] if self.message else []


def _as_list(found):
    return [found] if isinstance(found, str) or not isinstance(found, (list, tuple)) else list(found)


def add_to_form(form, error, field=None):
    """Put a refusal on the form that sent the data: field errors on their fields (the rest on the form), the
    message on `field` (None: the form as a whole)."""
    if error.field_errors:
        for name, found in error.field_errors.items():
            form.add_error(name if name in form.fields else None, found)
    else:
        form.add_error(field, error.message)


class reported:  # noqa: N801 - used as a context manager, named for how it reads: `with reported(request, ...)`
    """Run a service call and tell the user how it went: its refusal as an error message, else `success`.

        with reported(request, _("Partner removed.")):
            services.delete_partner(application, partner, by=request.user)
        return redirect(...)

    `.refused` says afterwards whether the service refused, for a view whose next page depends on it.
    """

    def __init__(self, request, success=None):
        self.request = request
        self.success = success
        self.refused = False

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        from django.contrib import messages

        if kind is None:
            if self.success:
                messages.success(self.request, self.success)
            return False
        if issubclass(kind, ServiceError):
            messages.error(self.request, error.message)
            self.refused = True
            return True  # the refusal is reported; the view goes on to its next page
        return False

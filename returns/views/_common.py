"""Pieces every return view shares: the access decorator, the lock on submitted returns, and the conflict page."""

from contextlib import contextmanager
from functools import wraps

from django.contrib import messages
from django.shortcuts import redirect

from boroughs import conflicts
from boroughs.forms import posted  # noqa: F401 (the section views import it from here)

from ..access import FILE, VIEW, get_return_for_user
from ..models import ReturnLocked


def return_view(*, perm=VIEW, editing=False, keeps_input=False):
    """Look the return up for the user (403/404), and keep editing views off a return the borough cannot change.

    A locked return (submitted, or its period closed) answers an edit URL's GET with a redirect to its
    read-only page and the reason. A POST to a view that `keeps_input` reaches the view, which shows the
    form again with everything typed and the reason (`still_editable`, `refused_if_locked`), answered
    409; the services refuse every write to a locked return, so nothing is saved. Any other view's POST
    (an upload cannot be shown again) gets the redirect and the reason too.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, pk, *args, **kwargs):
            return_ = get_return_for_user(request.user, pk, perm=FILE if editing else perm)
            if editing and not return_.is_editable and not (keeps_input and request.method == "POST"):
                messages.warning(request, return_.lock_reason)
                return redirect(return_)
            try:
                response = view(request, return_, *args, **kwargs)
            except ReturnLocked as locked:
                # Locked while the request ran, in a view that cannot show its input again.
                messages.warning(request, " ".join(locked.messages))
                return redirect(return_)
            if editing and request.method == "POST" and response.status_code == 200 and not return_.is_editable:
                response.status_code = 409
            return response

        return wrapper

    return decorator


NOT_SAVED = "Your answers have not been saved. They are still below if you want to copy them."


def still_editable(return_, form, *, note=NOT_SAVED):
    """True while the borough can change the return; otherwise the form says why, keeping what was typed."""
    if return_.is_editable:
        return True
    form.add_error(None, [return_.lock_reason, note])
    return False


@contextmanager
def refused_if_locked(return_, form, *, note=NOT_SAVED):
    """A return locked after the page loaded (a colleague submitted it, an admin closed the period).

    The service refuses the save with ReturnLocked; the form gets the reason and the view falls through
    to show it again with everything typed. (The caller's `return` inside the block is skipped.)
    """
    try:
        yield
    except ReturnLocked as locked:
        # Re-read so the page, and return_view's status, see the return as it is now.
        return_.refresh_from_db()
        form.add_error(None, [*locked.messages, note])


def finishing(request):
    """False when the user pressed "Save and come back later"."""
    return "later" not in request.POST


def after_save(request, return_, *, finished, next_url=None):
    if not finished:
        messages.success(request, "Your answers have been saved. You can come back to this section at any time.")
    return redirect(next_url or return_)


def render_conflict(request, *, return_, **kwargs):
    """The shared conflict page (boroughs.conflicts), under the return's header."""
    return conflicts.render_conflict(
        request, template_name="returns/conflict.html", context={"return": return_}, **kwargs
    )

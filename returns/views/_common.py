"""Pieces every return view shares: the access decorator, the lock on submitted returns, and the conflict page."""

from functools import wraps

from django.contrib import messages
from django.shortcuts import redirect

from boroughs import conflicts
from boroughs.forms import posted  # noqa: F401 (the section views import it from here)

from ..access import FILE, VIEW, get_return_for_user


def return_view(*, perm=VIEW, editing=False):
    """Look the return up for the user (403/404), and keep editing views off a return that is not a draft.

    A locked return answers every edit URL, GET or POST, with a redirect to its read-only page: no
    direct POST can change it.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, pk, *args, **kwargs):
            return_ = get_return_for_user(request.user, pk, perm=FILE if editing else perm)
            if editing and not return_.is_editable:
                messages.warning(
                    request, f"This return is {return_.get_status_display().lower()}: it can no longer be changed."
                )
                return redirect(return_)
            return view(request, return_, *args, **kwargs)

        return wrapper

    return decorator


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

"""Pieces every return view shares: the access decorator, the lock on submitted returns, and the conflict page."""

import datetime
from functools import wraps

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

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


def _display(field, value):
    if value in (None, "", [], ()):
        return "Not given"
    if isinstance(field, forms.ModelMultipleChoiceField):
        items = [v for v in value if not isinstance(v, (int, str))]
        ids = [v for v in value if isinstance(v, (int, str))]
        items += list(field.queryset.filter(pk__in=ids)) if ids else []
        return ", ".join(sorted(str(item) for item in items)) or "Not given"
    if isinstance(field, forms.ModelChoiceField):
        if isinstance(value, (int, str)):
            value = field.queryset.filter(pk=value).first()
        return str(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if getattr(field, "choices", None):
        labels = {str(k): v for k, v in field.choices}
        return labels.get(str(value), str(value))
    if isinstance(value, datetime.date):
        return f"{value:%-d %B %Y}"
    return str(value)


def render_conflict(request, *, form_class, form_kwargs, current, theirs_initial, return_, heading, back_url):
    """Someone saved first. Show both versions side by side and keep the user's input in a form they can save.

    Nothing is lost: their version is already saved, and ours is on the page, re-based on their version
    number so that pressing save deliberately replaces it.
    """
    data = request.POST.copy()
    data["version"] = str(current.version)
    for key in ("save", "later"):
        data.pop(key, None)
    # Theirs first: validating ours runs construct_instance, which would overwrite a shared instance.
    theirs = form_class(initial=theirs_initial, **form_kwargs)
    their_values = {name: theirs.initial.get(name, field.initial) for name, field in theirs.fields.items()}
    mine = form_class(data, files=request.FILES or None, **form_kwargs)
    mine.is_valid()
    rows = []
    for name, field in mine.fields.items():
        if name in ("version", "completed") or isinstance(field.widget, forms.HiddenInput):
            continue
        their_value = their_values.get(name)
        rows.append(
            {
                "label": field.label,
                "theirs": _display(field, their_value),
                "mine": _display(field, mine.cleaned_data.get(name, data.get(name))),
            }
        )
    return render(
        request,
        "returns/conflict.html",
        {
            "return": return_,
            "form": mine,
            "rows": rows,
            "current": current,
            "heading": heading,
            "back_url": back_url,
        },
        status=409,
    )

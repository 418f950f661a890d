"""The one conflict page, for every versioned edit in every app (boroughs/locking.py raises the conflict).

Someone saved first. The page shows both versions side by side and keeps the user's input in a form
re-based on the saved version, so nothing is lost and saving again is a deliberate replacement.
"""

import datetime

from django import forms
from django.shortcuts import render


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


def saved_by(current):
    """Who saved the version on the page. Not every versioned model records it (an annex does not)."""
    user = getattr(current, "updated_by", None)
    if user is None:
        return "someone else"
    return user.get_full_name() or user.username


def render_conflict(
    request,
    *,
    form_class,
    form_kwargs,
    current,
    theirs_initial,
    heading,
    back_url,
    template_name="conflict.html",
    context=None,
    extra_rows=(),
):
    """The 409 page: their saved version beside the user's, and the user's form on their version number.

    `theirs_initial` is the saved version as the form's initial data; `extra_rows` are
    (label, theirs, mine) lines for what the form has no visible field for (a row's hidden or shown state).
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
    rows = [{"label": label, "theirs": their, "mine": my} for label, their, my in extra_rows]
    for name, field in mine.fields.items():
        if name in ("version", "completed") or isinstance(field.widget, forms.HiddenInput):
            continue
        rows.append(
            {
                "label": field.label,
                "theirs": _display(field, their_values.get(name)),
                "mine": _display(field, mine.cleaned_data.get(name, data.get(name))),
            }
        )
    page = {
        **(context or {}),
        "form": mine,
        "rows": rows,
        "current": current,
        "saved_by": saved_by(current),
        "heading": heading,
        "back_url": back_url,
    }
    return render(request, template_name, page, status=409)

"""OPCC admins set a period's dates and grant boroughs extensions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from ..access import get_period_for_user
from ..forms import ExtensionForm, PeriodForm, PeriodReasonForm
from ..periods import period_state
from ..services import extension_grant, period_close, period_dates_save, period_reopen
from ._common import posted


def period_edit(request, pk):
    period = get_period_for_user(request.user, pk)
    # Before the form: cleaning puts the posted dates on `period`, and a refused date must not change the state.
    state = period_state(period)
    form = PeriodForm(posted(request), instance=period)
    if request.method == "POST" and form.is_valid():
        period_dates_save(period=form.instance, by=request.user)
        messages.success(request, f"The dates for {period.short_label} have been saved.")
        return redirect("period_edit", pk=period.pk)
    return render(
        request,
        "returns/period_form.html",
        {
            "period": period,
            "state": state,
            "form": form,
            "extensions": period.extensions.select_related("borough", "granted_by"),
            "timeline": period.history.select_related("history_user").order_by("-history_date")[:20],
            "heading": f"Dates for {period.short_label}",
        },
    )


def extension_add(request, pk):
    period = get_period_for_user(request.user, pk)
    form = ExtensionForm(posted(request), period=period)
    if request.method == "POST" and form.is_valid():
        extension = extension_grant(period=period, by=request.user, **form.cleaned_data)
        messages.success(request, f"{extension.borough.name} now has until {extension.due_on:%-d %B %Y}.")
        return redirect("period_edit", pk=period.pk)
    return render(
        request,
        "returns/project_form.html",
        {"form": form, "heading": f"Give a borough more time for {period.short_label}", "period": period},
    )


def period_close_or_reopen(request, pk):
    """Close an open period, or reopen a closed one; either way with a reason."""
    period = get_period_for_user(request.user, pk)
    closing = not period.is_closed
    action = "Close" if closing else "Reopen"
    form = PeriodReasonForm(posted(request), submit_label=f"{action} {period.short_label}")
    if request.method == "POST" and form.is_valid():
        change = period_close if closing else period_reopen
        try:
            change(period=period, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as refused:  # e.g. a closed year's period, which stays closed
            form.add_error(None, refused.messages)
        else:
            messages.success(request, f"{period.short_label} is now {'closed' if closing else 'open again'}.")
            return redirect("period_edit", pk=period.pk)
    return render(
        request,
        "returns/project_form.html",
        {"form": form, "heading": f"{action} {period.short_label}", "period": period},
    )

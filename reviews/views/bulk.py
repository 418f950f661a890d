"""Bulk work from the grid: accept several returns, remind overdue partnerships now, resolve several flags.

Each URL is one two-step page. GET (or a POST of the choice that does not validate) shows the choice; a
valid choice shows the confirmation, listing exactly what will change and carrying it in hidden fields;
posting the confirmation applies all of it or, if anything changed meanwhile, none of it (409, the
confirmation shown again as things are now, with what changed named).
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from boroughs.forms import posted
from returns.models import FinancialYear

from ..access import get_year_for_review
from ..forms.bulk import (
    AcceptConfirmForm,
    AcceptSelectForm,
    RemindConfirmForm,
    RemindSelectForm,
    ResolveConfirmForm,
    ResolveSelectForm,
)
from ..models import ReviewNotAllowed
from ..selectors import bulk as selectors
from ..services import bulk as services


def _urls(name, year):
    query = f"?year={year.label}"
    return reverse(f"reviews:{name}") + query, reverse("reviews:grid") + query


def _no_year(request, heading):
    context = {"heading": heading, "years": FinancialYear.objects.all()}
    return render(request, "reviews/bulk/no_year.html", context)


def _is_confirmation(request):
    return request.method == "POST" and "confirm" in request.POST


def _page(request, url_name, heading):
    """What every step of a bulk action shows: the year (?year=, as on the grid), its own URL, the way back."""
    year = get_year_for_review(request.user, request.GET.get("year"))
    if year is None:
        return None
    self_url, grid_url = _urls(url_name, year)
    return {"year": year, "self_url": self_url, "grid_url": grid_url, "heading": heading}


def _confirm(request, template, context, *, changes=(), status=200):
    # `items`: what the shared confirmation page (bulk/_confirm_base.html) carries in its hidden fields.
    items = context["chosen"] if "chosen" in context else context["rows"]
    return render(request, template, {**context, "items": items, "changes": list(changes)}, status=status)


def bulk_accept(request):
    page = _page(request, "bulk_accept", "Accept several returns")
    if page is None:
        return _no_year(request, "Accept several returns")
    year, grid_url = page["year"], page["grid_url"]
    if _is_confirmation(request):
        form = AcceptConfirmForm(request.POST)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            try:
                decisions = services.returns_accept_bulk(returns_seen=form.seen, by=request.user, reason=reason)
            except services.BulkChanged as changed:
                now = selectors.judge_returns(
                    request.user, selectors.returns_of_year(request.user, year, ids=form.seen)
                )
                context = {**page, "chosen": [c for c in now if c.eligible], "reason": reason}
                return _confirm(
                    request, "reviews/bulk/accept_confirm.html", context, changes=changed.changes, status=409
                )
            except ReviewNotAllowed as refused:
                return _accept_choice(request, page, errors=refused.messages)
            labels = ", ".join(selectors.return_label(d.return_of) for d in decisions)
            messages.success(
                request, f"Accepted {len(decisions)} return{'s' if len(decisions) != 1 else ''}: {labels}."
            )
            return redirect(grid_url)
        return _accept_choice(request, page, errors=_confirm_errors(form))
    return _accept_choice(request, page)


def _accept_choice(request, page, *, errors=()):
    candidates = selectors.returns_to_accept(request.user, page["year"])
    data = None if errors else posted(request)
    form = AcceptSelectForm(data, candidates=candidates)
    if data is not None and form.is_valid():
        chosen = [c for c in candidates if c.obj.pk in set(form.cleaned_data["returns"])]
        context = {**page, "chosen": chosen, "reason": form.cleaned_data["reason"]}
        return _confirm(request, "reviews/bulk/accept_confirm.html", context)
    context = {**page, "form": form, "errors": errors, "others": [c for c in candidates if not c.eligible]}
    return render(request, "reviews/bulk/accept.html", context)


def bulk_remind(request):
    page = _page(request, "bulk_remind", "Remind overdue partnerships")
    if page is None:
        return _no_year(request, "Remind overdue partnerships")
    year, grid_url = page["year"], page["grid_url"]
    if _is_confirmation(request):
        form = RemindConfirmForm(request.POST)
        if form.is_valid():
            period = year.periods.filter(pk=form.cleaned_data["period"]).select_related("year").first()
            if period is not None:
                try:
                    sent = services.reminders_send_now(period=period, boroughs_seen=form.seen, by=request.user)
                except services.BulkChanged as changed:
                    found = selectors.overdue_by_period(year, period_ids=[period.pk])
                    context = {**page, "period": period, "rows": found[0][1] if found else []}
                    template = "reviews/bulk/remind_confirm.html"
                    return _confirm(request, template, context, changes=changed.changes, status=409)
                people = sum(len(recipients) for _, recipients in sent)
                messages.success(
                    request,
                    f"Sent the {period.short_label} reminder to {len(sent)} partnership{'s' if len(sent) != 1 else ''}"
                    f" ({people} email{'s' if people != 1 else ''}).",
                )
                return redirect(grid_url)
        return _remind_choice(request, page, errors=_confirm_errors(form))
    return _remind_choice(request, page)


def _remind_choice(request, page, *, errors=()):
    periods = selectors.overdue_by_period(page["year"])
    data = None if errors else posted(request)
    form = RemindSelectForm(data, periods=periods)
    if data is not None and form.is_valid():
        period, rows = next((p, rows) for p, rows in periods if p.pk == form.cleaned_data["period"])
        return _confirm(request, "reviews/bulk/remind_confirm.html", {**page, "period": period, "rows": rows})
    context = {**page, "form": form, "errors": errors, "periods": periods}
    return render(request, "reviews/bulk/remind.html", context)


def bulk_resolve(request):
    page = _page(request, "bulk_resolve", "Resolve several flags")
    if page is None:
        return _no_year(request, "Resolve several flags")
    year, grid_url = page["year"], page["grid_url"]
    if _is_confirmation(request):
        form = ResolveConfirmForm(request.POST)
        if form.is_valid():
            resolution = form.cleaned_data["resolution"]
            try:
                flags = services.flags_resolve_bulk(flags_seen=form.seen, by=request.user, resolution=resolution)
            except services.BulkChanged as changed:
                now = selectors.judge_flags(request.user, selectors.flags_of_year(request.user, year, ids=form.seen))
                context = {**page, "chosen": [c for c in now if c.eligible], "resolution": resolution}
                return _confirm(
                    request, "reviews/bulk/resolve_confirm.html", context, changes=changed.changes, status=409
                )
            except ReviewNotAllowed as refused:
                return _resolve_choice(request, page, errors=refused.messages)
            messages.success(request, f"Resolved {len(flags)} flag{'s' if len(flags) != 1 else ''}.")
            return redirect(grid_url)
        return _resolve_choice(request, page, errors=_confirm_errors(form))
    return _resolve_choice(request, page)


def _confirm_errors(form):
    return [message for messages_ in form.errors.values() for message in messages_] or ["Choose again."]


def _resolve_choice(request, page, *, errors=()):
    candidates = selectors.flags_to_resolve(request.user, page["year"])
    data = None if errors else posted(request)
    form = ResolveSelectForm(data, candidates=candidates)
    if data is not None and form.is_valid():
        chosen = [c for c in candidates if c.obj.pk in set(form.cleaned_data["flags"])]
        context = {**page, "chosen": chosen, "resolution": form.cleaned_data["resolution"]}
        return _confirm(request, "reviews/bulk/resolve_confirm.html", context)
    context = {**page, "form": form, "errors": errors, "others": [c for c in candidates if not c.eligible]}
    return render(request, "reviews/bulk/resolve.html", context)

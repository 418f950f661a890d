"""The account page's API tokens: list, create (the token shown once) and revoke.

Only people the API has something to show may hold tokens (CSP officers and OPCC staff: `may_hold_tokens`);
anyone else gets 403. Each person sees and revokes only their own tokens: another's is 404.
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from boroughs.forms import GDSForm, posted

from .tokens import NAME_MAX, ApiToken, issue_token, may_hold_tokens, revoke_token

# Days until a new token stops working; "never" is allowed, but offered last.
LIFETIMES = {"30": "In 30 days", "90": "In 90 days", "365": "In a year", "never": "Never"}


class ApiTokenForm(GDSForm, forms.Form):
    submit_label = "Create token"

    name = forms.CharField(
        label="What is the token for?",
        help_text="For example, the quarterly performance dashboard. Only you see this.",
        max_length=NAME_MAX,
        error_messages={
            "required": "Enter what the token is for",
            "max_length": f"What the token is for must be {NAME_MAX} characters or fewer",
        },
    )
    lifetime = forms.ChoiceField(
        label="When should it stop working?",
        help_text="You can revoke it sooner on this page.",
        widget=forms.RadioSelect,
        choices=list(LIFETIMES.items()),
        error_messages={
            "required": "Choose when the token stops working",
            "invalid_choice": "Choose one of the options",
        },
    )

    def expires_at(self):
        lifetime = self.cleaned_data["lifetime"]
        return None if lifetime == "never" else timezone.now() + timedelta(days=int(lifetime))


def _require_token_holder(user):
    if not may_hold_tokens(user):
        raise PermissionDenied


def api_tokens(request):
    _require_token_holder(request.user)
    context = {"tokens": ApiToken.objects.for_user(request.user), "now": timezone.now()}
    return render(request, "account/api_tokens.html", context)


@never_cache
def api_token_create(request):
    _require_token_holder(request.user)
    form = ApiTokenForm(posted(request))
    if request.method == "POST" and form.is_valid():
        token, whole = issue_token(user=request.user, name=form.cleaned_data["name"], expires_at=form.expires_at())
        # Rendered in this response rather than redirected to: the whole token never enters the session or a
        # URL, and reloading cannot show it again (the browser offers to post again, which makes a new one).
        context = {"token": token, "whole": whole, "site_url": settings.SITE_URL}
        return render(request, "account/api_tokens_created.html", context)
    return render(request, "account/api_tokens_form.html", {"form": form, "heading": "Create an API token"})


def api_token_revoke(request, pk):
    _require_token_holder(request.user)
    token = get_object_or_404(ApiToken.objects.for_user(request.user), pk=pk)
    if request.method == "POST":
        if revoke_token(token=token):
            messages.success(request, f"The token “{token.name}” has been revoked. It no longer works.")
        else:
            messages.info(request, f"The token “{token.name}” was already revoked.")
        return redirect("api_tokens")
    return render(request, "account/api_tokens_revoke.html", {"token": token})

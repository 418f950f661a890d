"""The service's own account pages. Sign-in, passwords and two-step verification are allauth's views."""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from boroughs.forms import posted
from boroughs.middleware import renew_session
from boroughs.models import NotificationKind, NotificationOptOut

from .forms import NotificationPreferencesForm
from .mfa import mfa_required


def your_account(request):
    """What a person can change about their own account, and whether two-step verification is on."""
    user = request.user
    context = {
        "totp_on": is_mfa_enabled(user, [Authenticator.Type.TOTP]),
        "mfa_required": mfa_required(user),
    }
    return render(request, "account/your_account.html", context)


@require_POST
def keep_alive(request):
    # Pages renew the session at most once a minute (SessionIdleMiddleware); this one always does, and no more.
    renew_session(request)
    return HttpResponse(status=204)


def notification_preferences(request):
    """Each person chooses which optional emails they get; the mandatory ones are not offered."""
    user = request.user
    optional = [kind for kind in NotificationKind.for_user(user) if kind not in NotificationKind.mandatory()]
    opted_out = set(NotificationOptOut.objects.filter(user=user).values_list("kind", flat=True))
    initial = {"kinds": [kind.value for kind in optional if kind.value not in opted_out]}
    # Unticking every box posts nothing but is still a choice: posted() tells it from a GET.
    form = NotificationPreferencesForm(posted(request), initial=initial, kinds=optional)
    if request.method == "POST" and form.is_valid():
        wanted = set(form.cleaned_data["kinds"])
        for kind in optional:
            if kind.value in wanted:
                NotificationOptOut.objects.filter(user=user, kind=kind).delete()
            else:
                NotificationOptOut.objects.get_or_create(user=user, kind=kind)
        messages.success(request, "Your email preferences have been saved.")
        return redirect("notification_preferences")
    return render(request, "account/notification_preferences.html", {"form": form})

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import forms
from .models import NotificationKind, NotificationOptOut


class LoginView(auth_views.LoginView):
    form_class = forms.LoginForm
    redirect_authenticated_user = True


@require_POST
def keep_alive(request):
    # Every request renews the session (SESSION_SAVE_EVERY_REQUEST); this one does nothing else.
    return HttpResponse(status=204)


password_change = auth_views.PasswordChangeView.as_view(form_class=forms.PasswordChangeForm)
password_reset = auth_views.PasswordResetView.as_view(
    form_class=forms.PasswordResetForm,
    email_template_name="registration/password_reset_email.txt",
    html_email_template_name="registration/password_reset_email.html",
    subject_template_name="registration/password_reset_subject.txt",
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(form_class=forms.SetPasswordForm)


def notification_preferences(request):
    """Each person chooses which optional emails they get; the mandatory ones are not offered."""
    user = request.user
    optional = [kind for kind in NotificationKind.for_user(user) if kind not in NotificationKind.mandatory()]
    opted_out = set(NotificationOptOut.objects.filter(user=user).values_list("kind", flat=True))
    initial = {"kinds": [kind.value for kind in optional if kind.value not in opted_out]}
    # Unticking every box posts nothing but is still a choice: posted() tells it from a GET.
    form = forms.NotificationPreferencesForm(forms.posted(request), initial=initial, kinds=optional)
    if request.method == "POST" and form.is_valid():
        wanted = set(form.cleaned_data["kinds"])
        for kind in optional:
            if kind.value in wanted:
                NotificationOptOut.objects.filter(user=user, kind=kind).delete()
            else:
                NotificationOptOut.objects.get_or_create(user=user, kind=kind)
        messages.success(request, "Your email preferences have been saved.")
        return redirect("notification_preferences")
    return render(request, "registration/notification_preferences.html", {"form": form})

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.views.decorators.http import require_POST

from . import forms


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
